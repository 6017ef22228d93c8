"""The Procurement Act 2023 and PSR as officers meet them in 2026: the cases a procurement lawyer raised.

Each expected date is worked by hand in a comment; the examples are real-shaped timetables in examples/.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import EXAMPLES
from tools.timeline import check_timeline, plan_timeline

PA_OPEN_2026 = EXAMPLES / "pa-open-2026-timeline.md"
HOMECARE = EXAMPLES / "council-homecare-2026-light-touch.md"
runner = CliRunner()


def errors(result) -> list[str]:
    return [finding.message for finding in result.findings if finding.severity == "error"]


def test_signing_on_20_march_2026_is_inside_the_acts_standstill():
    # Contract award notice Tue 10 March 2026. Under s.51(2) and s.123 the 8 working days are 10, 11, 12, 13,
    # 16, 18, 19, 20 March: 17 March is St Patrick's Day, a bank holiday in Northern Ireland. The standstill
    # runs to the end of Fri 20 March, so the first day to sign is Mon 23 March.
    outcome = runner.invoke(app, ["timeline", "check", str(PA_OPEN_2026)])
    assert outcome.exit_code == 1
    assert "'Contract signed' (20 March 2026) is before the standstill ends (20 March 2026)" in outcome.output
    assert "Fix: move it to 23 March 2026 or later" in outcome.output
    assert "Saint Patrick's Day (Northern Ireland) (17 March 2026)" in outcome.output


def test_signing_on_23_march_2026_is_accepted(tmp_path):
    fixed = PA_OPEN_2026.read_text(encoding="utf-8")
    fixed = fixed.replace(
        "| Standstill | 10 March 2026 to 19 March 2026 |", "| Standstill | 10 March 2026 to 20 March 2026 |"
    )
    fixed = fixed.replace("| Contract signed | 20 March 2026 |", "| Contract signed | 23 March 2026 |")
    path = tmp_path / "fixed.md"
    path.write_text(fixed, encoding="utf-8")
    outcome = runner.invoke(app, ["timeline", "check", str(path), "--route", "pa-open"])
    assert outcome.exit_code == 0, outcome.output
    assert "0 errors" in outcome.output


def test_new_year_under_the_act_skips_scotlands_2_january():
    # Notice Mon 29 December 2025: 29, 30, 31 December, then 1 January (everywhere) and 2 January (Scotland)
    # are skipped; 5, 6, 7, 8, 9 January are days 4 to 8. Signing on Fri 9 January is an error; 12 January is
    # the first lawful day.
    rows = "| Stage | Date |\n|---|---|\n| Contract award notice | 29 December 2025 |\n"
    early = check_timeline(rows + "| Contract signed | 9 January 2026 |\n", route="pa-open")
    assert any("Fix: move it to 12 January 2026 or later" in message for message in errors(early))
    on_time = check_timeline(rows + "| Contract signed | 12 January 2026 |\n", route="pa-open")
    assert not any("before the standstill ends" in message for message in errors(on_time))


def test_a_lawful_light_touch_homecare_tender_gets_no_false_errors():
    # £900,000 council homecare, tendered in 2026 as a light touch contract: a 20-day tender period (s.54
    # sets no minimum), no standstill (s.51 exempts it), the contract details notice 75 days after signing
    # (within 120 days). None of these is an error.
    result = check_timeline(
        HOMECARE.read_text(encoding="utf-8"), route="pa-light-touch", value=Decimal(900000)
    )
    assert errors(result) == []
    voluntary = [f for f in result.findings if "Voluntary standstill" in (f.stage or "")]
    assert voluntary and voluntary[0].severity == "info"
    assert "recommended" in voluntary[0].message


def test_the_same_tender_under_the_open_procedure_shows_why_the_route_matters():
    # Without the route the checker infers the open procedure, whose rules do apply, and says which other
    # routes fit as well, so the officer can choose pa-light-touch.
    result = check_timeline(HOMECARE.read_text(encoding="utf-8"), value=Decimal(900000))
    assert result.route == "pa-open" and len(errors(result)) == 4
    inferred = next(f.message for f in result.findings if f.rule.startswith("Route and regime inferred"))
    assert "pa-light-touch" in inferred


def test_a_light_touch_contract_details_notice_is_late_after_120_days():
    # Signed 2 March 2026; 120 days beginning with that day end on 29 June 2026 (2 March + 119 days).
    rows = "| Stage | Date |\n|---|---|\n| Contract signed | 2 March 2026 |\n"
    rows += "| Contract details notice | 30 June 2026 |\n"
    late = check_timeline(rows, route="pa-light-touch")
    assert any("last day allowed, 29 June 2026" in message for message in errors(late))
    in_time = check_timeline(rows.replace("30 June 2026", "29 June 2026"), route="pa-light-touch")
    assert not any("last day allowed" in message for message in errors(in_time))


def test_a_voluntary_standstill_too_short_is_a_warning_not_an_error():
    # Notice Tue 10 March 2026: a voluntary standstill to the end of 19 March falls a day short of the
    # 8 working days it should run (to 20 March); the law does not require it, so it is a warning.
    rows = (
        "| Stage | Date |\n|---|---|\n| Contract award notice | 10 March 2026 |\n"
        "| Voluntary standstill | 10 March 2026 to 19 March 2026 |\n| Contract signed | 20 March 2026 |\n"
    )
    result = check_timeline(rows, route="pa-light-touch")
    assert not any("standstill ends" in message for message in errors(result))
    warnings = [f.message for f in result.findings if f.severity == "warning"]
    assert any("The voluntary standstill ends 19 March 2026" in message for message in warnings)
    assert any("before the voluntary standstill ends" in message for message in warnings)


@pytest.mark.parametrize(
    "route", ["pa-open", "pa-flexible", "pa-light-touch", "pa-direct-award", "pa-framework", "pa-call-off"]
)
def test_act_plans_name_each_notice_by_its_code(route):
    plan = plan_timeline(route, start=date(2026, 1, 5), today=date(2026, 1, 1))
    names = [stage.name for stage in plan.stages]
    assert "Contract award notice (UK6)" in names
    assert any("(UK7)" in name for name in names)
    if route == "pa-direct-award":
        assert "Transparency notice (UK5)" in names
    elif route != "pa-call-off":
        assert "Tender notice (UK4)" in names


def test_a_missing_contract_award_notice_is_reported_by_its_code():
    rows = "| Stage | Date |\n|---|---|\n| Transparency notice | 5 January 2026 |\n"
    rows += "| Contract signed | 20 January 2026 |\n"
    result = check_timeline(rows, route="pa-direct-award")
    assert any("no 'Contract award notice (UK6)'" in message for message in errors(result))


def test_a_direct_award_has_the_acts_standstill_counted_uk_wide():
    # Transparency notice and contract award notice the same week; the notice on Tue 10 March 2026 gives
    # the same 8 working days as any award: signing on 20 March is too early.
    rows = (
        "| Stage | Date |\n|---|---|\n| Transparency notice | 2 March 2026 |\n"
        "| Contract award notice | 10 March 2026 |\n| Contract signed | 20 March 2026 |\n"
    )
    result = check_timeline(rows, route="pa-direct-award")
    assert any("move it to 23 March 2026 or later" in message for message in errors(result))


def test_the_psr_counts_englands_days_where_the_act_counts_the_uks():
    # The same 10 March 2026 notice under the PSR: the standstill begins Wed 11 March and 17 March is a
    # working day in England, so the 8 working days after 11 March end Mon 23 March; signing from Tue 24.
    plan_rows = (
        "| Stage | Date |\n|---|---|\n| Notice of intention to award | 10 March 2026 |\n"
        "| Contract signed | 23 March 2026 |\n"
    )
    result = check_timeline(plan_rows, route="psr-competitive")
    assert any("move it to 24 March 2026 or later" in message for message in errors(result))


def test_a_framework_plan_cannot_be_worked_back_from_go_live():
    from tools.errors import InputError

    with pytest.raises(InputError, match="plan it forward from a start date"):
        plan_timeline("pa-framework", go_live=date(2027, 4, 1), today=date(2026, 1, 1))


def test_rules_lists_every_rule_with_its_source_and_status():
    outcome = runner.invoke(app, ["rules", "--regime", "pa2023", "--json"])
    assert outcome.exit_code == 0, outcome.output
    import json

    data = json.loads(outcome.output)
    assert data["regime"] == "pa2023" and data["rules"]
    assert all(rule["regime"] == "pa2023" for rule in data["rules"])
    standstill = next(rule for rule in data["rules"] if rule["id"] == "pa2023.standstill")
    assert standstill["status"] == "confirmed" and "eight working days beginning with" in standstill["quote"]
    assert standstill["applies_from"] == "2025-02-24" and standstill["applies_until"] is None


def test_rules_reads_as_a_list_and_refuses_an_unknown_regime():
    readable = runner.invoke(app, ["rules", "--regime", "psr2023"])
    assert readable.exit_code == 0
    assert "# Rules: Health Care Services (Provider Selection Regime) Regulations 2023" in readable.output
    assert "Status: confirmed (statute quoted)" in readable.output
    refused = runner.invoke(app, ["rules", "--regime", "pcr2016"])
    assert refused.exit_code == 2
    assert (
        "'pcr2016' is not a regime; use one of pcr2006, pcr2015, pa2023, pccr2013, psr2023" in refused.output
    )


def test_a_pcr_light_touch_contract_above_the_threshold_needs_its_standstill():
    # PCR 2015 regs 86-87 apply to light touch contracts above the threshold: leaving the standstill out is
    # an error, not the warning a voluntary standstill would get.
    rows = (
        "| Stage | Date |\n|---|---|\n| Contract notice | 1 June 2022 |\n"
        "| Award decision notice | 1 August 2022 |\n| Contract signed | 3 August 2022 |\n"
    )
    result = check_timeline(rows, route="pcr-light-touch")
    assert any("no 'Standstill'" in message for message in errors(result))
    # Notice sent Mon 1 August 2022: the 10th day after is Thu 11 August, so signing from Fri 12 August.
    assert any("move it to 12 August 2022 or later" in message for message in errors(result))
