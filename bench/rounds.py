"""What the benchmarks share: rounds in rotating order, ratios within rounds, the report.

No Django here (tests/test_bench.py checks these helpers in milliseconds).

Why rounds: on a shared 2-core machine the load changes from one second to
the next. Timing contender A for a minute and then B for a minute compares
two different machines. Running A, B, C in turn, round after round, with the
order rotated each round (ABC, BCA, CAB, ...) exposes every contender to the
same conditions; a ratio is then computed inside each round (A's time over
B's time in the same round) and the median of those ratios is reported, so
a burst of load elsewhere moves both sides of a ratio, not one.
"""

import datetime
import json
import math
import os
import platform
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def rotation(contenders, round_number):
    """The order of ``contenders`` in round ``round_number`` (from 0): rotated by one a round."""
    contenders = list(contenders)
    if not contenders:
        return []
    shift = round_number % len(contenders)
    return contenders[shift:] + contenders[:shift]


def schedule(contenders, rounds):
    """Every round's order: each contender runs once per round, and first equally often."""
    return [rotation(contenders, number) for number in range(rounds)]


def run_rounds(contenders, rounds, measure):
    """Calls ``measure(name)`` for each contender, round by round in rotating order.

    Returns ``[{name: value, ...}, ...]``, one dict per round.
    """
    return [{name: measure(name) for name in order} for order in schedule(contenders, rounds)]


def per_round_ratios(rounds, numerator, denominator):
    """``numerator``'s value over ``denominator``'s in each round that has both."""
    return [
        entry[numerator] / entry[denominator]
        for entry in rounds
        if entry.get(numerator) is not None and entry.get(denominator)
    ]


def median_ratio(rounds, numerator, denominator):
    """The median of the per-round ratios (NaN when no round has both)."""
    ratios = per_round_ratios(rounds, numerator, denominator)
    return statistics.median(ratios) if ratios else math.nan


def values(rounds, name):
    return [entry[name] for entry in rounds if entry.get(name) is not None]


def spread(numbers):
    """(median, lowest, highest), NaNs when empty."""
    if not numbers:
        return math.nan, math.nan, math.nan
    return statistics.median(numbers), min(numbers), max(numbers)


def percentile(sorted_values, share):
    """Nearest rank: the smallest value with at least ``share`` % of values at or below it."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(share / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def machine():
    """Cores, CPU model, memory, load and versions: what a reader needs to weigh the figures."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout)
    except (OSError, ValueError):
        nproc = os.cpu_count()
    return {
        "nproc": nproc,
        "cpu": cpu,
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
    }


def machine_line(box):
    load = ", ".join(f"{value:.2f}" for value in box["load_average"])
    return (
        f"Machine: `nproc` {box['nproc']}, {box['cpu']}, {box['memory_gib']:.1f} GiB RAM, "
        f"load average at the start {load}; Python {box['python']}."
    )


def table(header, rows):
    """A Markdown table: ``header`` a list of titles, ``rows`` lists of cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def met(value, goal, *, at_most=True):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return "yes" if (value <= goal if at_most else value >= goal) else "**no**"


def save(name, markdown, data, started_at):
    """bench/results/<name>-<date>.md and .json; returns the two paths."""
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{name}-{started_at:%Y-%m-%d}"
    markdown_path, json_path = stem.with_suffix(".md"), stem.with_suffix(".json")
    markdown_path.write_text(markdown, encoding="utf-8")
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    return markdown_path, json_path


def now():
    return datetime.datetime.now(datetime.UTC)
