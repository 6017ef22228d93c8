"""The generator: each route's minimums, meetings, backward planning, and every plan passing the checker."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tools.errors import InputError
from tools.timeline import check_timeline, list_routes, plan_timeline
from tools.timeline.render import plan_csv, plan_markdown
from tools.timeline.rules import ROUTES
from tools.timeline.stages import STAGE_TYPES, match_stages

D = date
PCR_TODAY = D(2024, 1, 2)


def stage(plan, canonical):
    return next(s for s in plan.stages if s.canonical == canonical)


def test_routes_cover_the_issue():
    ids = {route.id for route in list_routes().routes}
    assert ids == {
        "pcr-open", "pcr-restricted", "pcr-cpn", "pcr-dialogue", "pcr-light-touch", "pa-open", "pa-flexible",
        "pa-light-touch", "pa-direct-award", "pa-framework", "pa-call-off",
        "psr-direct-a", "psr-direct-b", "psr-direct-c", "psr-msp", "psr-competitive", "psr-urgent",
        "psr-call-off", "collaborative",
    }  # fmt: skip


@pytest.mark.parametrize("route", list(ROUTES.values()), ids=list(ROUTES))
def test_every_step_names_a_stage_its_own_name_matches(route):
    for step in route.steps:
        assert step.stage in STAGE_TYPES
        assert match_stages(step.name) == [step.stage], step.name
        assert step.rule.citation()


@pytest.mark.parametrize(
    ("route", "start", "canonical", "first", "last"),
    [
        # Worked by hand: approval 28 days from Mon 2 Sep 2024 ends Mon 30 Sep; the notice goes on Tue 1 Oct.
        ("pcr-open", D(2024, 9, 2), "tender-period", D(2024, 10, 1), D(2024, 10, 31)),  # 30 days
        ("pcr-restricted", D(2024, 9, 2), "participation-period", D(2024, 10, 1), D(2024, 10, 31)),  # 30 days
        (
            "pcr-restricted",
            D(2024, 9, 2),
            "tender-period",
            D(2024, 11, 12),
            D(2024, 12, 9),
        ),  # 25 ends Sat 7 Dec
        ("pcr-cpn", D(2024, 9, 2), "participation-period", D(2024, 10, 1), D(2024, 10, 31)),
        ("pcr-cpn", D(2024, 9, 2), "tender-period", D(2024, 11, 12), D(2024, 12, 9)),
        ("pcr-dialogue", D(2024, 9, 2), "participation-period", D(2024, 10, 1), D(2024, 10, 31)),
        ("pa-open", D(2026, 1, 5), "tender-period", D(2026, 2, 3), D(2026, 3, 2)),  # 25 ends Sat 28 Feb
        ("pa-flexible", D(2026, 1, 5), "participation-period", D(2026, 2, 3), D(2026, 3, 2)),
        ("pa-flexible", D(2026, 1, 5), "tender-period", D(2026, 3, 16), D(2026, 4, 10)),
        (
            "pa-open",
            D(2026, 1, 5),
            "standstill",
            D(2026, 5, 7),
            D(2026, 5, 18),
        ),  # 8 working days from Thu 7 May
    ],
)
def test_each_routes_minimums(route, start, canonical, first, last):
    plan = plan_timeline(route, start=start, today=PCR_TODAY)
    found = stage(plan, canonical)
    assert (found.start, found.end) == (first, last)
    step = ROUTES[route].step(canonical)
    assert step is not None and (found.end - found.start).days >= step.days


@pytest.mark.parametrize("route", list(ROUTES), ids=list(ROUTES))
def test_every_milestone_falls_on_a_working_day(route):
    plan = plan_timeline(route, start=D(2026, 12, 18), today=PCR_TODAY)
    for found in plan.stages:
        days = [found.end] if found.canonical == "standstill" else [found.start, found.end]
        assert all(ROUTES[route].calendar.is_working_day(day) for day in days), found


def test_approvals_land_on_the_next_meeting_and_say_so():
    plan = plan_timeline(
        "pcr-open", start=D(2024, 9, 2), meetings=[D(2025, 1, 9), D(2024, 10, 10)], today=PCR_TODAY
    )
    assert stage(plan, "strategy-approval").end == D(2024, 10, 10)
    assert stage(plan, "contract-notice").start == D(2024, 10, 11)
    assert stage(plan, "award-approval").end == D(2025, 1, 9)
    assert (
        "Award approval is ready on 18 December 2024 but waits 22 days for the meeting on 9 January 2025."
        in (plan.notes)
    )


def test_no_meeting_late_enough_falls_back_to_the_typical_duration():
    plan = plan_timeline("pcr-open", start=D(2024, 9, 2), meetings=[D(2024, 10, 10)], today=PCR_TODAY)
    assert any("no meeting date given on or after" in note for note in plan.notes)


@pytest.mark.parametrize(
    ("route", "go_live", "today"),
    [
        ("pcr-open", D(2024, 12, 2), PCR_TODAY),
        ("pa-flexible", D(2027, 4, 1), D(2025, 3, 3)),
        ("psr-direct-c", D(2026, 4, 1), D(2025, 3, 3)),
        ("collaborative", D(2016, 10, 3), D(2015, 6, 1)),
    ],
)
def test_backward_planning_starts_as_late_as_go_live_allows(route, go_live, today):
    plan = plan_timeline(route, go_live=go_live, today=today)
    assert stage(plan, "service-start").start == go_live
    day_after = ROUTES[route].calendar.next_working_day(plan.stages[0].start + timedelta(days=1))
    later = plan_timeline(route, start=day_after, today=today)
    assert stage(later, "service-start").start > go_live
    assert stage(plan, "mobilisation").end < go_live


def test_a_go_live_too_soon_says_by_how_much_and_what_binds():
    plan = plan_timeline("psr-direct-c", go_live=D(2026, 2, 2), today=D(2026, 1, 5))
    note = plan.notes[0]
    late = (stage(plan, "service-start").start - D(2026, 2, 2)).days
    assert note.startswith("Go-live 2 February 2026 cannot be met") and f"{late} days late" in note
    assert "binding constraint is mobilisation" in note


def test_when_the_law_alone_binds_it_says_so():
    short = {"strategy-approval": 1, "evaluation": 1, "award-approval": 1}
    plan = plan_timeline("pa-open", go_live=D(2026, 1, 26), today=D(2026, 1, 5), mobilisation="1 day",
                         durations=short)  # fmt: skip
    assert "binding constraint is the law" in plan.notes[0]


def test_typical_durations_can_be_overridden_but_minimums_not_undercut():
    overrides = {"durations": {"evaluation": 14}, "mobilisation": "6 weeks"}
    plan = plan_timeline("pcr-open", start=D(2024, 9, 2), today=PCR_TODAY, **overrides)
    assert (stage(plan, "evaluation").end - stage(plan, "evaluation").start).days == 14
    assert (stage(plan, "mobilisation").end - stage(plan, "mobilisation").start).days >= 42
    with pytest.raises(InputError, match="undercuts the statutory minimum of 30 days"):
        plan_timeline("pcr-open", start=D(2024, 9, 2), durations={"tender-period": 20}, today=PCR_TODAY)


def test_mobilisation_is_sized_by_value():
    big = plan_timeline("pcr-open", start=D(2024, 9, 2), value=Decimal("12000000"), today=PCR_TODAY)
    small = plan_timeline("pcr-open", start=D(2024, 9, 2), value=Decimal("400000"), today=PCR_TODAY)
    assert "135 days" in stage(big, "mobilisation").duration
    assert (stage(small, "mobilisation").end - stage(small, "mobilisation").start).days < 50


def test_json_is_the_documented_shape_and_labels_unconfirmed_rules():
    data = plan_timeline("pa-open", start=D(2026, 1, 5), today=PCR_TODAY).model_dump(mode="json")
    assert set(data) == {"route", "regime", "stages", "notes"}
    assert set(data["stages"][0]) == {"name", "canonical", "start", "end", "rule"}
    tender = next(s for s in data["stages"] if s["canonical"] == "tender-period")
    assert tender["start"] == "2026-02-03" and "s.54" in tender["rule"] and "UNCONFIRMED" in tender["rule"]


def test_a_route_outside_its_regimes_dates_is_flagged():
    plan = plan_timeline("pcr-open", start=D(2026, 1, 5), today=PCR_TODAY)
    assert any(
        note.startswith("Warning: Open procedure (PCR 2015)") and "routes: pa-open, pa-flexible" in note
        for note in plan.notes
    )


DATES = {  # route prefix: (today, start, go-live, meetings) inside the route's regime
    "pcr": (PCR_TODAY, D(2024, 3, 4), D(2025, 1, 6), [D(2024, 4, 11), D(2024, 9, 12)]),
    "pa": (D(2025, 3, 3), D(2025, 12, 15), D(2027, 4, 1), [D(2026, 1, 15), D(2026, 7, 2)]),
    "psr": (D(2025, 3, 3), D(2025, 12, 15), D(2027, 4, 1), [D(2026, 1, 15), D(2026, 7, 2)]),
    "collaborative": (D(2015, 6, 1), D(2015, 9, 1), D(2016, 10, 3), [D(2015, 10, 1), D(2016, 2, 4)]),
}


@pytest.mark.parametrize("direction", ["forward", "backward"])
@pytest.mark.parametrize("render", [plan_markdown, plan_csv], ids=["md", "csv"])
@pytest.mark.parametrize("route", list(ROUTES), ids=list(ROUTES))
def test_every_plan_written_as_a_table_passes_the_checker(route, render, direction):
    today, start, go_live, meetings = DATES[route.split("-")[0]]
    if direction == "backward" and not ROUTES[route].step("service-start"):
        with pytest.raises(InputError, match="plan it forward from a start date"):
            plan_timeline(route, go_live=go_live, today=today)
        return
    when = {"start": start} if direction == "forward" else {"go_live": go_live}
    plan = plan_timeline(route, meetings=meetings, today=today, **when)
    result = check_timeline(render(plan), route=route)
    assert [f for f in result.findings if f.severity != "info"] == []
    assert [s.canonical for s in result.stages] == [s.canonical for s in plan.stages]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"route": "pcr-opne", "start": D(2024, 9, 2)},
            "route: 'pcr-opne' is not a route; use one of pcr-open",
        ),
        ({"route": "pa-open", "go_live": D(2020, 4, 1)}, "go-live: 1 April 2020 is in the past"),
        ({"route": "pa-open"}, "give either a start date or a go-live date"),
        ({"route": "pa-open", "start": D(2026, 1, 5), "go_live": D(2027, 1, 5)}, "not both"),
        ({"route": "pa-open", "start": D(2026, 1, 5), "mobilisation": "soon"}, "mobilisation: 'soon'"),
        (
            {"route": "pa-open", "start": D(2026, 1, 5), "durations": {"dialogue": 10}},
            "has no stage 'dialogue'",
        ),
        ({"route": "pa-open", "start": D(2026, 1, 5), "durations": {"standstill": 20}}, "cannot be set"),
    ],
    ids=[
        "unknown-route",
        "go-live-past",
        "no-date",
        "both-dates",
        "bad-mobilisation",
        "no-such-stage",
        "fixed",
    ],
)
def test_bad_input_is_named_with_a_fix(arguments, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        plan_timeline(**arguments, today=D(2025, 3, 3))
