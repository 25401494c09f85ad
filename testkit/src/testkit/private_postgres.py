"""A PostgreSQL server of a test's own, to stop and crash while services run on it.

It is `deploy/local/postgres.sh` (the local stack's own script, Debian's server binaries) on a
free port with a data directory of its own: the shared server is never touched. Stop it `fast`
(a clean shutdown) or `immediate` (what a crash or a power cut looks like: recovery from the WAL
at the next start) and bring it `up` again. `REFETTORIO_PG_OPTIONS` in the environment adds
server options (`-c synchronous_commit=off`), as the script documents.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from testkit.processes import free_port

SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "local" / "postgres.sh"
ROLE = "refettorio:refettorio"

StopMode = Literal["fast", "immediate"]


@dataclass(frozen=True)
class PrivatePostgres:
    port: int
    data: Path  # under the system's temporary folder: the postgres user must reach it
    home: Path  # the script's REFETTORIO_HOME (its log link), apart from the real one

    def up(self) -> None:
        """Creates (once), starts and prepares the server; after a stop, starts it again."""
        self._script("up")

    def stop(self, mode: StopMode = "fast") -> None:
        self._script("down", mode)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{ROLE}@127.0.0.1:{self.port}/{database}"

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join((self.data / "postgres.log").read_text(errors="replace").splitlines()[-lines:])
        return ""

    def _script(self, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "REFETTORIO_PG_ADMIN_URL"} | {
            "REFETTORIO_PG_PORT": str(self.port),
            "REFETTORIO_PG_DATA": str(self.data),
            "REFETTORIO_HOME": str(self.home),
        }
        done = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            raise RuntimeError(f"postgres.sh {' '.join(args)} failed:\n{done.stderr}\n{self.log_tail()}")


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A new server, up; stopped and removed afterwards."""
    data = Path(tempfile.mkdtemp(prefix="refettorio-pg-"))
    home = Path(tempfile.mkdtemp(prefix="refettorio-pg-home-"))
    server = PrivatePostgres(free_port(), data, home)
    try:
        server.up()
        yield server
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            server.stop("immediate")  # nothing to keep
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
