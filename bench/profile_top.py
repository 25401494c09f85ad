"""The top of a py-spy profile (collapsed stacks, `py-spy record --format raw`): the functions
with the most samples on-CPU by themselves, and including what they call.

    .venv/bin/python bench/profile_top.py PROFILE.txt [--top 25] [--skip-idle]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

IDLE = ("select (selectors.py", "poll (selectors.py", "_run_once (asyncio/base_events.py")


def frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rpartition(" ")
    return [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")" if " (" in f else f
            for f in stack.split(";")], int(count)  # fmt: skip


def main(args: argparse.Namespace) -> None:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = idle = 0
    for line in Path(args.profile).read_text().splitlines():
        if not line.strip():
            continue
        stack, count = frames(line)
        total += count
        if any(stack[-1].startswith(i.split(" (")[0]) for i in IDLE):
            idle += count
            if args.skip_idle:
                continue
        own[stack[-1]] += count
        for frame in set(stack):
            inclusive[frame] += count
    busy = total - idle
    print(f"{total} samples, {idle} idle ({100 * idle / max(total, 1):.0f} %), {busy} busy")
    base = busy if args.skip_idle else total
    for title, counter in (("self", own), ("inclusive", inclusive)):
        print(f"-- top {args.top} by {title} time (% of {'busy' if args.skip_idle else 'all'} samples)")
        for frame, count in counter.most_common(args.top):
            print(f"{100 * count / max(base, 1):5.1f} %  {frame}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--skip-idle", action="store_true")
    main(parser.parse_args())
