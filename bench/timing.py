"""The one way the benchmarks time things: median of runs after warm-ups."""

import statistics
import time


def median_seconds(function, runs, warm_ups=3):
    # Caches (Pango's, WeasyPrint's, the database's) take a few runs to settle.
    for _ in range(warm_ups):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
