"""Small helpers the benchmarks share: medians and percentiles of repeated timings, and printing a figure."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def time_calls(function: Callable[[], object], *, runs: int = 20, warmup: int = 1) -> list[float]:
    """Seconds per call of `function`, after `warmup` untimed calls."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def peak_rss_kib() -> int:
    """This process's own peak resident memory in KiB (`VmHWM`).

    Not `getrusage`'s `ru_maxrss`: on Linux a child inherits its parent's peak across fork and exec, so a
    search process started by a benchmark holding 2.8 GB reported 2.8 GB whatever it used itself.
    """
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def report(label: str, seconds: float, *, target: float | None = None) -> None:
    """Print one figure in milliseconds, with its target and whether it was met."""
    line = f"  {label:<58} {seconds * 1000:9.1f} ms"
    if target is not None:
        line += f"   (target < {target * 1000:.0f} ms: {'met' if seconds < target else 'NOT MET'})"
    print(line)


def median(values: list[float]) -> float:
    return statistics.median(values)
