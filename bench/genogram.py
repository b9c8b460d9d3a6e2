"""Benchmark: the SVG genogram of a 40-person family (target: at most 100 ms).

Usage::

    .venv/bin/python bench/genogram.py [--runs 50]

Times the whole path from a family graph to the SVG text (who is drawn, by the
rules; the layout; the page), and each step, over ``--runs`` runs after one to
warm up. The family is the tests' 40-person family (``forty`` in
tests/genogram/pedigrees.py), everyone in it drawn.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# The family is the tests' (tests/genogram/pedigrees.py), so that what is timed is what is tested.
_TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(_TESTS), str(_TESTS / "genogram")]

from pedigrees import DAY, forty  # noqa: E402

from familynet.genogram import Genogram, genogram  # noqa: E402
from familynet.genogram.layout import layout  # noqa: E402
from familynet.genogram.svg import svg  # noqa: E402


def _time(step: Callable[[], object], runs: int) -> list[float]:
    step()
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        found.append((time.perf_counter() - started) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    options = parser.parse_args()
    graph = forty().graph
    drawn: Genogram = genogram(graph, "C", DAY)
    placed = layout(drawn)
    steps: dict[str, Callable[[], object]] = {
        "graph to SVG": lambda: svg(genogram(graph, "C", DAY)),
        "who is drawn (rules, overlays)": lambda: genogram(graph, "C", DAY),
        "layout": lambda: layout(drawn),
        "SVG page": lambda: svg(drawn, placed),
    }
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"{len(drawn.people)} people, {len(drawn.couples)} couples, {len(placed.drops)} descent lines\n")
    print("| step | median (ms) | p95 (ms) |")
    print("| --- | ---: | ---: |")
    for name, step in steps.items():
        times = sorted(_time(step, options.runs))
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
