"""The rule tables as the `holidays` package keeps its own: every rule sourced, dated and consistent.

The tables are data (regimes.yaml, routes.yaml and the checklist tables); these tests fail when an edit
leaves a rule unsourced, a confirmed rule without the statute's words, a gap or overlap between regimes or
thresholds, or a route naming a stage it lacks. One test proves the data, not the code, sets the dates.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tools.regimes import LIGHT_TOUCH_THRESHOLDS, REGIMES
from tools.rules import Rule, RuleDataError, parse_table, read_table
from tools.ruleset import every_rule
from tools.timeline.plan import schedule, stage_lengths
from tools.timeline.rules import ROUTES, RouteTable, build_routes

RULES = every_rule()
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_rule_says_what_it_is_where_from_and_how_sure(rule: Rule):
    assert rule.summary.strip() and rule.regulation.strip() and rule.source.strip()
    assert rule.status in ("confirmed", "confirmed-2nd", "unconfirmed", "officer")
    if rule.status == "confirmed":
        assert rule.quote and len(rule.quote) > 40, "a confirmed rule quotes the statute"
    assert (rule.label is None) == (rule.status in ("confirmed", "officer"))
    assert "shared/" not in rule.source and "procurement-rules.md" not in rule.source
    if rule.applies_from and rule.applies_until:
        assert rule.applies_from <= rule.applies_until


def test_rule_ids_are_unique_across_tables():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("regime", [r for r in REGIMES.values() if r.succeeds], ids=lambda r: r.id)
def test_each_regime_starts_the_day_after_the_one_it_replaces(regime):
    before = REGIMES[regime.succeeds]
    assert before.family == regime.family
    assert before.rule.applies_until is not None and regime.rule.applies_from is not None
    assert before.rule.applies_until + ONE_DAY == regime.rule.applies_from


@pytest.mark.parametrize("family", ["health", "public"])
def test_each_family_has_one_regime_in_force_now(family):
    current = [r for r in REGIMES.values() if r.family == family and r.rule.applies_until is None]
    assert len(current) == 1


def test_light_touch_thresholds_leave_no_gap_and_never_overlap():
    ranges = [(t.rule.applies_from, t.rule.applies_until) for t in LIGHT_TOUCH_THRESHOLDS]
    assert ranges[0][0] == REGIMES["pcr2015"].rule.applies_from
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end is not None and end + ONE_DAY == start
    assert ranges[-1][1] is None


@pytest.mark.parametrize("route", ROUTES.values(), ids=list(ROUTES))
def test_every_period_is_counted_from_a_stage_before_it_in_its_route(route):
    for number, step in enumerate(route.steps):
        if step.measured_from:
            assert 0 <= route.index(step.measured_from) < number, (route.id, step.stage)
        if step.rule.regime:
            assert step.rule.regime == route.regime
        if step.kind == "standstill":
            assert step.begins and step.days


def _table(edit) -> RouteTable:
    data = read_table("tools.timeline", "routes.yaml")
    data = {**data, "groups": {**data["groups"]}, "rules": {**data["rules"]}, "routes": {**data["routes"]}}
    edit(data)
    return parse_table(data, RouteTable, where="tools/timeline/routes.yaml")


def test_changing_the_data_changes_the_plan():
    def ten_day_standstill(data):
        award = [dict(step) if isinstance(step, dict) else step for step in data["groups"]["pa-award"]]
        standstill = next(step for step in award if isinstance(step, dict) and step["stage"] == "standstill")
        standstill["days"] = 10
        data["groups"]["pa-award"] = award

    as_shipped, edited = ROUTES["pa-open"], build_routes(_table(ten_day_standstill))["pa-open"]
    start = date(2026, 3, 2)
    rows = {
        name: {row.step.stage: row for row in schedule(route, start, stage_lengths(route, {}, None), [])}
        for name, route in (("shipped", as_shipped), ("edited", edited))
    }
    notice = rows["shipped"]["contract-award-notice"].end
    assert rows["edited"]["contract-award-notice"].end == notice
    calendar = as_shipped.calendar
    assert rows["shipped"]["standstill"].end == calendar.add_working_days(notice - ONE_DAY, 8)
    assert rows["edited"]["standstill"].end == calendar.add_working_days(notice - ONE_DAY, 10)


def _rule(base: str, **change):
    return lambda data: data["rules"].update({"x": {**data["rules"][base], **change}})


def _strategy(**step):
    return lambda data: data["groups"].update({"strategy": [step]})


BAD_DATA = {
    "unknown-key": (_rule("typical.approval", colour="red"), "rules.x.colour"),
    "bad-status": (_rule("typical.approval", status="sure"), "rules.x.status"),
    "confirmed-without-quote": (
        _rule("pa2023.can", quote=None),
        "a confirmed rule carries the statute's words",
    ),
    "private-source": (
        _rule("typical.approval", source="shared/reference/x.md"),
        "not a file of this project",
    ),
    "unknown-stage": (
        _strategy(stage="lunch", kind="typical", rule="typical.approval"),
        "'lunch' is not a stage",
    ),
    "unknown-rule": (_strategy(stage="evaluation", kind="typical", rule="nope"), "'nope' is not a rule"),
    "standstill-without-counting": (
        _strategy(stage="standstill", kind="standstill", days=8, rule="pa2023.standstill"),
        "a standstill needs days, begins, counting and from",
    ),
}


@pytest.mark.parametrize(("edit", "named"), BAD_DATA.values(), ids=list(BAD_DATA))
def test_bad_data_fails_at_load_naming_the_file_and_key(edit, named):
    with pytest.raises(RuleDataError) as raised:
        _table(edit)
    assert str(raised.value).startswith("tools/timeline/routes.yaml: ")
    assert named in str(raised.value)


def test_aliases_are_refused_in_rule_tables(tmp_path, monkeypatch):
    import yaml

    from tools.rules import _BoundedLoader

    with pytest.raises(yaml.YAMLError, match="aliases are not allowed"):
        yaml.load("a: &x [1, 2]\nb: *x\n", Loader=_BoundedLoader)


def test_a_calendar_rule_owned_by_one_regime_applies_from_that_regimes_start():
    from tools.regimes import CALENDARS

    for entry in CALENDARS.values():
        if entry.rule.regime:
            assert entry.rule.applies_from == REGIMES[entry.rule.regime].rule.applies_from, entry.rule.id
