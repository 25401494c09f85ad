"""`make bench`: every benchmark, N rounds, one table of medians (figure, reference, ratio, bar).

Each round runs the benchmarks one after another as their own processes; each appends its
figures to a file (`harness.emit`). The table shows, per figure, the median over the rounds of
the value, of its same-run reference and of their ratio, the bar and whether the median meets
it, and the load average each round started with: the machine is shared, so read the ratios.

    source deploy/local/test.env && .venv/bin/python bench/run_all.py [--rounds 3] [--only city_day]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from harness import Figure, load_average

BENCHMARKS = ["accounts_meal_throughput", "city_day", "idle_cpu", "payments_receipt_latency", "gateway_reads"]
HERE = Path(__file__).resolve().parent


def run_round(names: list[str], figures: Path) -> list[str]:
    """Runs each benchmark once; the load average when each started."""
    loads = []
    for name in names:
        loads.append(f"{name} {load_average()}")
        print(f"-- {name} (load average {load_average()})", flush=True)
        env = os.environ | {"BENCH_FIGURES": str(figures)}
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py")], env=env, check=False)
        if done.returncode:
            print(f"   {name} failed with exit code {done.returncode}", flush=True)
    return loads


def medians(lines: list[dict[str, Any]]) -> list[tuple[Figure, float | None, int]]:
    """Per figure name, in first-seen order: a figure of the medians, the median ratio, the runs."""
    by_name: dict[str, list[Figure]] = defaultdict(list)
    for line in lines:
        line.pop("load", None)
        by_name[line["name"]].append(Figure(**(line | {"bar": tuple(line["bar"])})))
    table = []
    for runs in by_name.values():
        references = [f.reference for f in runs if f.reference]
        ratios = [r for f in runs if (r := f.ratio) is not None]
        median = Figure(
            runs[0].name, statistics.median(f.value for f in runs), runs[0].unit, runs[0].bar,
            statistics.median(references) if references else None, runs[0].reference_name,
        )  # fmt: skip
        table.append((median, statistics.median(ratios) if ratios else None, len(runs)))
    return table


def print_table(table: list[tuple[Figure, float | None, int]]) -> None:
    print(f"\n{'figure':<46} {'median':>24} {'reference (same run)':>32} {'ratio':>7}  {'bar':<18} met  runs")
    for f, ratio, runs in table:
        reference = f"{f.reference:,.1f} {f.reference_name}" if f.reference else "-"
        measured = ratio if f.bar[0] == "ratio" else f.value
        met = "-" if measured is None else ("yes" if Figure(f.name, measured, "", ("value", *f.bar[1:])).met else "NO")
        shown_ratio = f"{ratio:.2f}x" if ratio is not None else "-"
        value = f"{f.value:,.1f} {f.unit}"
        print(f"{f.name:<46} {value:>24} {reference:>32} {shown_ratio:>7}  {f.bar_text():<18} {met:<4} {runs}")


def main(args: argparse.Namespace) -> None:
    names = args.only or BENCHMARKS
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures.jsonl"
        figures.touch()
        loads = [run_round(names, figures) for _ in range(args.rounds)]
        lines = [json.loads(line) for line in figures.read_text().splitlines() if line.strip()]
    print_table(medians(lines))
    for n, round_loads in enumerate(loads, start=1):
        print(f"round {n} load average (1, 5, 15 min) at each start: " + "; ".join(round_loads))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS)
    main(parser.parse_args())
