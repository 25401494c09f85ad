"""A Kafka of a test's own, one node or a three-node cluster, to kill while services run on it.

It is `deploy/local/kafka.sh` (the local stack's own script and jars) on free loopback ports with
a state folder of its own: the shared broker is never touched. The JVMs get small heaps and the
client compiler only (two cores for everything). `kill` is `kill -9` of one node; `up` again
starts whatever node is down; `freeze`/`thaw` (SIGSTOP/SIGCONT) hold a node still, so that what
a client sends it waits.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "local" / "kafka.sh"
JAVA_OPTS = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"


@dataclass(frozen=True)
class PrivateKafka:
    nodes: int
    port: int  # node i listens on port + 2(i-1), its controller on the next port
    state: Path

    @property
    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{self.port + 2 * i}" for i in range(self.nodes))

    def up(self) -> None:
        """Starts every node that is not running and waits until each is ready."""
        self._script("up")

    def down(self) -> None:
        self._script("down")

    def pid(self, node: int = 1) -> int:
        name = "kafka.pid" if self.nodes == 1 else f"kafka-{node}.pid"  # kafka.sh's layout
        return int((self.state / name).read_text())

    def kill(self, node: int = 1) -> None:
        """`kill -9` of one node; returns once it is gone."""
        pid = self.pid(node)
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def freeze(self, node: int = 1) -> None:
        os.kill(self.pid(node), signal.SIGSTOP)

    def thaw(self, node: int = 1) -> None:
        os.kill(self.pid(node), signal.SIGCONT)

    def _script(self, command: str) -> None:
        env = os.environ | {
            "REFETTORIO_KAFKA_NODES": str(self.nodes),
            "REFETTORIO_KAFKA_PORT": str(self.port),
            "REFETTORIO_KAFKA_STATE": str(self.state),
            "REFETTORIO_KAFKA_JAVA_OPTS": JAVA_OPTS,
            "REFETTORIO_KAFKA_READY_TIMEOUT": "240",  # a busy machine
        }
        done = subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"kafka.sh {command} failed:\n{done.stderr}")


def free_port_run(count: int) -> int:
    """The first of `count` consecutive loopback ports that are free now."""
    for _ in range(200):
        first = random.randrange(20_000, 60_000 - count)
        if all(_free(first + i) for i in range(count)):
            return first
    raise RuntimeError(f"no {count} consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@contextlib.contextmanager
def private_kafka(nodes: int = 1) -> Iterator[PrivateKafka]:
    """A new Kafka of `nodes` nodes, up; killed and removed afterwards (nothing in it is kept)."""
    state = Path(tempfile.mkdtemp(prefix="refettorio-kafka-"))
    kafka = PrivateKafka(nodes, free_port_run(2 * nodes), state)
    try:
        kafka.up()
        yield kafka
    finally:
        for node in range(1, nodes + 1):
            with contextlib.suppress(OSError, ValueError):
                kafka.thaw(node)
                kafka.kill(node)
        shutil.rmtree(state, ignore_errors=True)
