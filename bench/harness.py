"""What every benchmark shares: its figures, the machine's load, processes' CPU and memory,
the load generator (wrk) and PostgreSQL's own pgbench.

A benchmark prints its figures as lines people read and, when `BENCH_FIGURES` names a file,
appends each as one JSON line there: `bench/run_all.py` (`make bench`) collects them into one
table. A figure compares itself with a reference measured in the same run where there is one
(the machine is shared: only ratios survive its load), and states its bar; nothing asserts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class Figure:
    """One measured figure. `bar` is `(what, op, limit)`: what is `value` or `ratio` (value /
    reference), op is `>=` or `<`."""

    name: str
    value: float
    unit: str
    bar: tuple[str, str, float]
    reference: float | None = None
    reference_name: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.reference if self.reference else None

    @property
    def met(self) -> bool | None:
        what, op, limit = self.bar
        measured = self.ratio if what == "ratio" else self.value
        if measured is None:
            return None
        return measured >= limit if op == ">=" else measured < limit

    def bar_text(self) -> str:
        what, op, limit = self.bar
        return f"{op} {limit:g}x" if what == "ratio" else f"{op} {limit:g} {self.unit}"


def emit(figures: list[Figure]) -> None:
    """Prints the figures and hands them to `make bench` when it asked for them."""
    print(f"load average: {load_average()}")
    for f in figures:
        ref = f"  (reference {f.reference_name} {f.reference:,.1f})" if f.reference else ""
        print(f"  {f.name}: {f.value:,.1f} {f.unit}{ref}  bar {f.bar_text()}: {'met' if f.met else 'NOT met'}")
    target = os.environ.get("BENCH_FIGURES")
    if target:
        with Path(target).open("a") as out:
            for f in figures:
                out.write(json.dumps(asdict(f) | {"load": load_average()}) + "\n")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu_percent(pids: dict[str, int], seconds: float) -> dict[str, float]:
    """Each process's CPU over `seconds` of wall time, in percent of one core."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - started
    return {name: 100 * (cpu_seconds(pid) - before[name]) / wall for name, pid in pids.items()}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p99_ms: float
    errors: int


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_ERRORS = r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)\s*:?\s*(\d+)"


def wrk(url: str, headers: dict[str, str], connections: int = 32, seconds: int = 10) -> Load:
    """`wrk -t1 -cN -dS --latency`: requests/s, p99 and non-2xx/3xx answers or socket errors
    (a request unanswered after 10 s counts as a timeout)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk not found: run deploy/local/ensure-wrk.sh (make bench does)")
    args = [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    errors = sum(int(n) for n in re.findall(_ERRORS, out))
    return Load(rate, float(p99.group(1)) * _UNITS_MS[p99.group(2)] if p99 else float("nan"), errors)


def pgbench(database_url: str, clients: int = 4, seconds: int = 15) -> float:
    """PostgreSQL's TPC-B (scale 10) on this machine now, with durable commits as the services
    use them: its transactions per second."""
    binary = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if binary is None:
        raise SystemExit("pgbench not found (Debian's postgresql-client)")
    url = make_url(database_url)
    env = os.environ | {"PGPASSWORD": url.password or "", "PGOPTIONS": "-c synchronous_commit=on"}
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "", url.database or ""]
    subprocess.run([str(binary), "-i", "-q", "-s", "10", *args], env=env, check=True, capture_output=True)
    run = [str(binary), "-c", str(clients), "-j", "2", "-T", str(seconds), *args]
    out = subprocess.run(run, env=env, check=True, capture_output=True, text=True).stdout
    return float(re.search(r"^tps = ([\d.]+)", out, re.M).group(1))  # type: ignore[union-attr]


@contextmanager
def profiling(pids: dict[str, int]) -> Iterator[None]:
    """With `BENCH_PROFILE=<dir>`: `py-spy record` on each process while the block runs, as
    collapsed stacks in `<dir>/<name>.txt` (read them with `bench/profile_top.py`)."""
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    record = [spy, "record", "-r", "50", "--nonblocking", "--format", "raw"]
    recorders = [
        subprocess.Popen(
            [*record, "-p", str(pid), "-o", f"{folder}/{name}.txt"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]
    try:
        yield
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in recorders:
            recorder.wait(30)


def consumer_batches(service_url: str, group: str) -> str:
    """What a consumer's batches were like, from the service's `/metrics`: how many, their mean
    size, and the mean time to apply one."""
    text = httpx.get(f"{service_url}/metrics", timeout=10).text

    def total(metric: str) -> float:
        pattern = rf'^{metric}\{{group="{re.escape(group)}"\}} ([\d.e+]+)$'
        return sum(float(v) for v in re.findall(pattern, text, re.M))

    batches = total("refettorio_consumer_batch_records_count")
    if not batches:
        return f"{group}: no batch"
    records = total("refettorio_consumer_batch_records_sum")
    seconds = total("refettorio_consumer_batch_duration_seconds_sum")
    return f"{group}: {batches:.0f} batches, {records / batches:.0f} records and {1000 * seconds / batches:.0f} ms each"
