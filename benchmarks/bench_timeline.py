"""Procurement timelines: checking a 50-stage timeline and planning any route (target under 20 ms each).

Times what an officer waits for in-process: reading the table, the dates as papers write them, inferring
the route and every check; and planning each route forward from a start date and backward from go-live
(the backward search plans the route a dozen times).
"""

from __future__ import annotations

from datetime import date, timedelta

from benchmarks.timing import median, percentile, report, time_calls

TARGET = 0.020
FORMS = ("{d} {m} {y}", "early {m} {y}", "w/c {d} {m} {y}", "{m} {y}", "late {m} {y}")
NAMES = (
    "Cabinet approval", "Publication of tender", "Tender return", "Evaluation and moderation", "Award report",
    "Outcome letters", "Standstill", "Contract signed", "Contract award notice", "Mobilisation", "Go-live",
)  # fmt: skip


def timeline(stages: int = 50) -> str:
    """A Markdown table of `stages` rows in officers' words, dates in every form papers use."""
    rows, day = [], date(2024, 1, 8)
    for n in range(stages):
        day += timedelta(days=7 + n % 5)
        monday = day - timedelta(days=day.weekday())
        form = FORMS[n % len(FORMS)]
        when = form.format(d=monday.day, m=monday.strftime("%B"), y=monday.year)
        rows.append(f"| {NAMES[n % len(NAMES)]} {n // len(NAMES) + 1} | {when} |")
    return "| Stage | When |\n|---|---|\n" + "\n".join(rows)


def main() -> None:
    from tools.timeline import check_timeline, plan_timeline
    from tools.timeline.rules import ROUTES

    text = timeline()
    timings = time_calls(lambda: check_timeline(text), runs=30)
    report("check a 50-stage timeline (median)", median(timings), target=TARGET)
    report("check a 50-stage timeline (95th percentile)", percentile(timings, 0.95))
    today = date(2025, 3, 3)
    worst_forward = worst_backward = 0.0
    for route in ROUTES:
        forward = median(time_calls(lambda r=route: plan_timeline(r, start=date(2026, 1, 5), today=today)))
        worst_forward = max(worst_forward, forward)
        if ROUTES[route].step("service-start"):  # a framework has no go-live to work back from
            backward = median(
                time_calls(lambda r=route: plan_timeline(r, go_live=date(2027, 4, 1), today=today))
            )
            worst_backward = max(worst_backward, backward)
    report(f"plan forward, slowest of {len(ROUTES)} routes (median)", worst_forward, target=TARGET)
    report(
        f"plan backward from go-live, slowest of {len(ROUTES)} routes (median)", worst_backward, target=TARGET
    )


if __name__ == "__main__":
    main()
