"""The PSR table (`tools/checklist/psr.yaml`): every rule sourced, validated at load, driving the route."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

import tools.rules
from assistant.toolspec import spec_for
from tools.checklist import PsrAnswers, psr_data, psr_route
from tools.rules import RuleDataError, load_table, read_table
from tools.timeline.counting import standstill
from tools.timeline.rules import ROUTES

ROUTE = spec_for(psr_route)  # the tool as the agent and the MCP server call it

RULES = psr_data.all_rules()


def _yaml() -> dict[str, Any]:
    """A copy of the parsed YAML that a test may edit."""
    return copy.deepcopy(read_table("tools.checklist", "psr.yaml"))


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_rule_has_a_regulation_a_public_source_and_a_status(rule):
    assert rule.regulation.strip() and rule.source.strip()
    assert rule.status in ("confirmed", "confirmed-2nd", "unconfirmed")


@pytest.mark.parametrize(
    "rule", [rule for rule in RULES if rule.status == "confirmed"], ids=lambda rule: rule.id
)
def test_every_confirmed_rule_quotes_the_statute_from_legislation_gov_uk(rule):
    assert rule.quote and rule.quote.strip()
    assert "legislation.gov.uk/uksi/2023/1348" in rule.source
    assert rule.citation() == rule.regulation  # no UNCONFIRMED label


def test_every_rule_is_cited_by_the_route():
    table = psr_data.TABLE
    cited = {
        *(rule.id for _, rule in table.route),
        *(limb.rule.id for _, limb in table.considerable_change),
        *(rule.id for notice in table.notices.values() for rule in notice.rules),
        *(rule.id for rule in table.standstill.rules),
        table.key_criteria.rule.id,
    }
    assert cited == set(psr_data.RULES)


def test_every_psr_rule_belongs_to_the_psr_and_applies_from_1_january_2024():
    # The regime's dates (tools/regimes.yaml), so `commission rules --regime psr2023` lists them.
    for rule in psr_data.RULES.values():
        assert (rule.regime, rule.applies_from, rule.applies_until) == ("psr2023", date(2024, 1, 1), None)


def test_there_is_a_question_for_every_answer():
    assert set(psr_data.QUESTIONS) == set(PsrAnswers.model_fields)


def test_the_notices_keep_the_psr_names_schedules_and_deadlines():
    # The PSR's own names. The 30 days is a briefing's figure for Direct Award A and B (confirmed-2nd) and
    # an assumption after the other processes (unconfirmed).
    notices = {key: (n.name, n.schedules, n.deadline_days) for key, n in psr_data.NOTICES.items()}
    assert notices == {
        "msp": ("notice of intention to follow the Most Suitable Provider Process", (), None),
        "intention": ("notice of intention to award", (3, 10), None),
        "award": ("notice of the award", (2,), 30),
        "confirmation": ("confirmation of contract award", (), 30),
    }
    assert psr_data.NOTICES["award"].rules[0].status == "confirmed-2nd"
    assert psr_data.NOTICES["confirmation"].rules[0].status == "unconfirmed"
    assert psr_data.NOTICES["intention"].rules[0].status == "confirmed"  # reg 12(2), quoted


def test_the_25_percent_limb_stays_unconfirmed_until_reg_6_is_quoted():
    # Reg 6's considerable change text was not found; reg 13(2)(b) (£500,000 / 25% for modifications) is
    # only an analogy, so the limb is an assumption and is labelled.
    percent = psr_data.CONSIDERABLE_CHANGE.percent
    assert (percent.percent, percent.fraction, percent.shown) == (Decimal(25), Decimal("0.25"), "25%")
    assert percent.rule.status == "unconfirmed"
    assert psr_data.CONSIDERABLE_CHANGE.value.shown == "£500,000"


@pytest.mark.parametrize(
    ("published", "closes"),
    [
        # Published Tue 10 March 2026: the standstill begins Wed 11 March; the 8 working days after it are
        # 12, 13, 16, 17 (St Patrick's Day is a bank holiday in Northern Ireland only, so it counts in
        # England), 18, 19, 20 and Mon 23 March. UK-wide counting would give Tue 24 March.
        (date(2026, 3, 10), date(2026, 3, 23)),
        # Published Mon 22 December 2025: begins Tue 23 December; then 24 December (1), 25 and 26 December
        # are bank holidays, 29 (2), 30 (3), 31 (4), 1 January is a bank holiday, Fri 2 January (5: a
        # working day in England, unlike Scotland), 5 (6), 6 (7), Wed 7 January 2026 (8).
        (date(2025, 12, 22), date(2026, 1, 7)),
        # Published Fri 28 March 2025: begins Sat 29 March; 31 March to 4 April (5), 7, 8 and Wed 9 April (8).
        (date(2025, 3, 28), date(2025, 4, 9)),
    ],
    ids=["st-patricks-day-counts", "christmas", "weekend-start"],
)
def test_representations_close_at_midnight_after_the_8th_working_day_after_the_standstill_begins(
    published, closes
):
    # The timeline tools count the PSR standstill (tools.timeline.counting); the decision cites the same rule.
    route = ROUTES["psr-competitive"]
    step = route.step("standstill")
    assert step is not None
    assert standstill(route, step, published) == (published + timedelta(days=1), closes)


def test_the_wait_after_representations_is_guidance_until_quoted():
    # NHS England's guidance (5 working days), so confirmed-2nd until reg 12(5) onwards is quoted.
    assert psr_data.RULES["psr.standstill.wait"].status == "confirmed-2nd"
    assert psr_data.STANDSTILL.working_day_rule.regulation.startswith("PSR 2023 reg 2")


def test_changing_the_value_threshold_in_the_data_changes_the_decision(monkeypatch):
    # £1,000,000 to £1,450,000 is £450,000 (45%) higher: below £500,000, so Direct Award C stays open;
    # with the threshold at £400,000 both limbs are met and the change is considerable.
    borderline = {
        "existing_provider": True,
        "only_existing_provider_capable": False,
        "patient_choice_unrestricted": False,
        "existing_contract_expiring": True,
        "materially_different": False,
        "change_attributable_to_authority": True,
        "existing_lifetime_value": 1000000,
        "proposed_lifetime_value": 1450000,
        "existing_provider_satisfactory": True,
    }
    assert ROUTE.invoke(borderline).considerable_change is False
    edited = _yaml()
    edited["considerable_change"]["value"]["amount"] = 400000
    rule = edited["rules"]["psr.considerable-change.value"]
    rule["summary"] = rule["summary"].replace("£500,000", "£400,000")
    table = psr_data.PsrTable.model_validate(edited)
    monkeypatch.setattr(psr_data, "CONSIDERABLE_CHANGE", table.considerable_change)
    result = ROUTE.invoke(borderline)
    assert (result.process, result.considerable_change) == ("competitive", True)
    assert any(
        reason.startswith("Is the lifetime value at least £400,000 higher? Yes.") for reason in result.reasons
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda data: data["rules"]["psr.reg6-3"].update(quote=None),
            "rules.psr.reg6-3: Value error, a confirmed rule carries the statute's words",
        ),
        (
            lambda data: data["rules"]["psr.reg6-3"].update(status="confirmd"),
            "rules.psr.reg6-3.status",
        ),
        (lambda data: data["rules"]["psr.reg5"].update(sources="x"), "rules.psr.reg5.sources: Extra inputs"),
        (
            lambda data: data["route"].update(framework="psr.reg6-9"),
            "route.framework: 'psr.reg6-9' is not a rule under `rules`",
        ),
        (
            lambda data: data["considerable_change"]["value"].update(amount=400000),
            "considerable_change.value: Value error, the rule's summary does not state '£400,000'",
        ),
        (
            lambda data: data["notices"]["award"].update(deadline_days=28),
            "notices.award: Value error, the rule's summary does not state 'within 28 days'",
        ),
        (
            lambda data: data["rules"]["psr.standstill"].update(source="knowledge/psr-notes.md"),
            "rules.psr.standstill.source",
        ),
    ],
    ids=[
        "confirmed-without-quote",
        "misspelt-status",
        "unknown-key",
        "unknown-rule-id",
        "amount-not-in-words",
        "deadline-not-in-words",
        "private-source",
    ],
)
def test_a_defect_in_the_table_fails_at_load_naming_the_file_and_key(monkeypatch, edit, message):
    edited = _yaml()
    edit(edited)
    monkeypatch.setattr(tools.rules, "read_table", lambda package, name: edited)
    with pytest.raises(RuleDataError) as raised:
        load_table("tools.checklist", "psr.yaml", psr_data.PsrTable)
    assert str(raised.value).startswith("tools/checklist/psr.yaml: ")
    assert message in str(raised.value)
