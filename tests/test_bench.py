"""The benchmarks' helpers (bench/rounds.py) do what they say: fair rounds, ratios within rounds.

Benchmarks are not tests; these only check the arithmetic the reports rely on.
"""

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import rounds  # noqa: E402  (bench/rounds.py)


def test_each_round_runs_every_contender_once_in_a_rotated_order():
    assert rounds.schedule(["app", "weasyprint", "chromium"], 4) == [
        ["app", "weasyprint", "chromium"],
        ["weasyprint", "chromium", "app"],
        ["chromium", "app", "weasyprint"],
        ["app", "weasyprint", "chromium"],
    ]


def test_over_whole_cycles_every_contender_goes_first_equally_often():
    plan = rounds.schedule(list("abcd"), 8)
    firsts = [order[0] for order in plan]
    assert {name: firsts.count(name) for name in "abcd"} == dict.fromkeys("abcd", 2)
    assert all(sorted(order) == list("abcd") for order in plan)


def test_run_rounds_calls_in_the_scheduled_order_and_keeps_each_round_apart():
    calls = []

    def measure(name):
        calls.append(name)
        return len(calls)

    measured = rounds.run_rounds(["a", "b"], 2, measure)
    assert calls == ["a", "b", "b", "a"]
    assert measured == [{"a": 1, "b": 2}, {"b": 3, "a": 4}]


def test_a_ratio_is_taken_within_each_round_then_the_median_of_the_ratios():
    # A busy machine in round 2 slows both contenders: their ratio stays 1.1.
    measured = [
        {"app": 1.1, "weasyprint": 1.0},
        {"app": 5.5, "weasyprint": 5.0},
        {"app": 2.2, "weasyprint": 2.0},
    ]
    assert rounds.per_round_ratios(measured, "app", "weasyprint") == pytest.approx([1.1] * 3)
    assert rounds.median_ratio(measured, "app", "weasyprint") == pytest.approx(1.1)
    # Not the ratio of the medians, which pairs values of different rounds (2 / 1 here).
    mixed = [{"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 9, "b": 10}]
    assert rounds.median_ratio(mixed, "a", "b") == pytest.approx(1.0)


def test_rounds_without_a_value_are_left_out_of_ratios_and_spreads():
    measured = [{"a": 2.0, "b": None}, {"a": 3.0, "b": 1.5}, {"a": 4.0, "b": 0}]
    assert rounds.per_round_ratios(measured, "a", "b") == [2.0]
    assert math.isnan(rounds.median_ratio(measured, "a", "missing"))
    assert rounds.spread(rounds.values(measured, "a")) == (3.0, 2.0, 4.0)
    assert all(math.isnan(value) for value in rounds.spread([]))


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert rounds.percentile(values, 50) == 10
    assert rounds.percentile(values, 95) == 19
    assert rounds.percentile([7], 95) == 7


def test_the_report_helpers_write_markdown_and_judge_goals():
    assert rounds.table(["goal", "met?"], [["a", "yes"]]) == (
        "| goal | met? |\n|---|---|\n| a | yes |"
    )
    assert rounds.met(1.04, 1.05) == "yes"
    assert rounds.met(1.2, 1.05) == "**no**"
    assert rounds.met(0.4, 0.3, at_most=False) == "yes"
    assert rounds.met(None, 1) == "n/a"
    box = rounds.machine()
    assert box["nproc"] >= 1 and box["memory_gib"] > 0
    assert "nproc" in rounds.machine_line(box)
