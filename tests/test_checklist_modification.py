"""`check_modification` against hand-worked cases, its data table, its inputs, and `commission checklist
modification` through the real entry point."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from assistant.cli import app
from assistant.render import markdown
from tools.checklist.modification import check_modification
from tools.checklist.modification_data import TABLE, ModificationTable
from tools.errors import InputError
from tools.rules import read_table

runner = CliRunner()

# (regime, original, new, terms, works, light touch) -> (permitted, notice_required), each worked by hand.
CASES = [
    pytest.param(
        # change £400,000 is below £500,000 (though 40% is not under 25%): one limb is enough -> permitted.
        # £400,000 is under £500,000 -> no transparency notice.
        ("psr2023", 1_000_000, 1_400_000, None, False, False),
        (True, False),
        id="psr-40pc-but-under-500k",
    ),
    pytest.param(
        # change £600,000 is not below £500,000, but 15% is under 25% -> permitted.
        # £600,000 is £500,000 or more -> transparency notice.
        ("psr2023", 4_000_000, 4_600_000, None, False, False),
        (True, True),
        id="psr-15pc-600k-notice",
    ),
    pytest.param(
        # change £600,000 (not below £500,000) and 60% (not under 25%): both limits exceeded -> not permitted
        # under the value ground; any other ground would still need the notice (£500,000 or more).
        ("psr2023", 1_000_000, 1_600_000, None, False, False),
        (False, True),
        id="psr-60pc-600k-not-permitted",
    ),
    pytest.param(
        # exactly £500,000 is not "below £500,000"; exactly 25% is not "less than 25%" -> not permitted.
        ("psr2023", 2_000_000, 2_500_000, None, False, False),
        (False, True),
        id="psr-both-limits-exactly",
    ),
    pytest.param(
        # change £499,999 is below £500,000 -> permitted; under £500,000 -> no notice.
        ("psr2023", 2_000_000, 2_499_999, None, False, False),
        (True, False),
        id="psr-just-under-500k",
    ),
    pytest.param(
        # a fall of £1,000,000 (33.3%) counts as a change: both limits exceeded -> not permitted.
        ("psr2023", 3_000_000, 2_000_000, None, False, False),
        (False, True),
        id="psr-fall-counts",
    ),
    pytest.param(
        # goods: value +8% (10% or less) and term unchanged -> s.75(2)(a): no contract change notice.
        # Whether permitted turns on the s.74(1) grounds -> null.
        ("pa2023", 1_000_000, 1_080_000, (36, 36), False, False),
        (None, False),
        id="pa-goods-8pc-no-notice",
    ),
    pytest.param(
        # works: +12% is 15% or less -> no contract change notice.
        ("pa2023", 1_000_000, 1_120_000, None, True, False),
        (None, False),
        id="pa-works-12pc-no-notice",
    ),
    pytest.param(
        # services: +12% is more than 10% -> contract change notice (UK10).
        ("pa2023", 1_000_000, 1_120_000, None, False, False),
        (None, True),
        id="pa-services-12pc-notice",
    ),
    pytest.param(
        # services: exactly 10% is "10 per cent or less" -> no notice.
        ("pa2023", 1_000_000, 1_100_000, None, False, False),
        (None, False),
        id="pa-services-exactly-10pc",
    ),
    pytest.param(
        # light touch: s.74(2) lets it be modified (permitted); s.75(6)(b) disapplies the notice, even at +60%
        ("pa2023", 1_000_000, 1_600_000, (36, 60), False, True),
        (True, False),
        id="pa-light-touch",
    ),
    pytest.param(
        # value unchanged, term 36 -> 40 months: 4/36 = 11.1%, more than 10% -> notice.
        ("pa2023", 1_000_000, 1_000_000, (36, 40), False, False),
        (None, True),
        id="pa-term-only-11pc-notice",
    ),
    pytest.param(
        # value +5% and term 36 -> 39 (8.3%): both within 10% -> no notice.
        ("pa2023", 1_000_000, 1_050_000, (36, 39), False, False),
        (None, False),
        id="pa-value-and-term-small",
    ),
    pytest.param(
        # value +5% but term 36 -> 48 (33.3%): the term is outside its limit -> notice (the reading labelled
        # unconfirmed: both changes must be within their limits).
        ("pa2023", 1_000_000, 1_050_000, (36, 48), False, False),
        (None, True),
        id="pa-small-value-long-extension",
    ),
    pytest.param(
        # neither value nor term changes: s.75(2) excuses only those -> notice for a change of another kind.
        ("pa2023", 1_000_000, 1_000_000, None, False, False),
        (None, True),
        id="pa-no-change-of-value-or-term",
    ),
    pytest.param(
        # light touch services: +8% is below 10%, and £80,000 is below every PCR light touch threshold (never
        # less than £589,148) -> permitted under reg 72(5); no modification notice.
        ("pcr2015", 1_000_000, 1_080_000, None, False, True),
        (True, False),
        id="pcr-light-touch-8pc-de-minimis",
    ),
    pytest.param(
        # services, not light touch: +8% is below 10% but the threshold is not held -> null; no notice under
        # reg 72(5).
        ("pcr2015", 1_000_000, 1_080_000, None, False, False),
        (None, False),
        id="pcr-services-8pc-threshold-unknown",
    ),
    pytest.param(
        # +60% is more than the 50% cap of reg 72(1)(b)/(c) and not de minimis -> false; the grounds left
        # (review clause, new contractor, not substantial) need no modification notice.
        ("pcr2015", 1_000_000, 1_600_000, None, False, False),
        (False, False),
        id="pcr-60pc-over-cap",
    ),
    pytest.param(
        # exactly +50% "does not exceed 50%" -> (b)/(c) may apply -> null, modification notice.
        ("pcr2015", 1_000_000, 1_500_000, None, False, False),
        (None, True),
        id="pcr-exactly-50pc",
    ),
    pytest.param(
        # +30%: not de minimis, within the cap -> null; a modification notice if made under (b) or (c).
        ("pcr2015", 1_000_000, 1_300_000, None, False, False),
        (None, True),
        id="pcr-30pc-within-cap",
    ),
    pytest.param(
        # works +12%: below 15%, threshold not held -> null, no notice under reg 72(5).
        ("pcr2015", 1_000_000, 1_120_000, None, True, False),
        (None, False),
        id="pcr-works-12pc",
    ),
    pytest.param(
        # light touch +8% of £10m: £800,000 is never below the threshold (never more than £663,540) -> not
        # de minimis -> null, notice if (b)/(c).
        ("pcr2015", 10_000_000, 10_800_000, None, False, True),
        (None, True),
        id="pcr-light-touch-8pc-over-threshold",
    ),
    pytest.param(
        # light touch +£600,000 (8.6% of £7m): between £589,148 and £663,540 -> depends on the date -> null.
        ("pcr2015", 7_000_000, 7_600_000, None, False, True),
        (None, False),
        id="pcr-light-touch-between-thresholds",
    ),
]


def _check(regime, original, new, terms, works, light_touch):
    first, then = terms or (None, None)
    return check_modification(
        regime,
        Decimal(original),
        Decimal(new),
        first,
        then,
        works=works,
        light_touch=light_touch,
    )


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_hand_worked_cases(case, expected):
    result = _check(*case)
    assert (result.permitted, result.notice_required) == expected
    assert (result.notice is not None) == result.notice_required
    assert result.reasons


def test_json_is_exactly_the_contract():
    data = _check("psr2023", 4_000_000, 4_600_000, None, False, False).model_dump(mode="json")
    assert set(data) == {"regime", "permitted", "notice_required", "notice", "reasons"}
    assert data["regime"] == "psr2023"
    assert data["notice"] == "Transparency notice of the modification"
    assert all(set(reason) == {"rule", "regulation", "message"} for reason in data["reasons"])
    first = data["reasons"][0]
    assert first["rule"] == "modification.psr2023.value_ground"
    assert "£4,000,000 to £4,600,000, a change of £600,000 (15%)" in first["message"]


def test_the_procurement_act_notice_is_the_uk10_contract_change_notice():
    result = _check("pa2023", 1_000_000, 1_120_000, None, False, False)
    assert result.notice == "Contract change notice (UK10), before the change is made"
    rules = [reason.rule for reason in result.reasons]
    assert "modification.pa2023.notice" in rules
    assert "modification.pa2023.notice_code" in rules


def test_a_long_extension_is_a_substantial_modification():
    result = _check("pa2023", 1_000_000, 1_050_000, (36, 48), False, False)
    substantial = next(r for r in result.reasons if r.rule == "modification.pa2023.substantial_term")
    assert "33.3%" in substantial.message
    assert "it is a substantial modification" in substantial.message
    assert any(r.rule == "modification.pa2023.both_limbs" for r in result.reasons)


def test_the_psr_reasons_name_the_grounds_without_a_value_limit():
    result = _check("psr2023", 1_000_000, 1_600_000, None, False, False)
    messages = " ".join(reason.message for reason in result.reasons)
    assert "materially different in character" in messages
    assert "value limits do not apply" in messages
    assert "If it is made under another ground" in messages


def test_a_percentage_that_would_round_onto_the_limit_is_shown_exactly():
    # £1,000,001 on £10,000,000 is 10.00001%: more than 10%, so it must not print as "10%".
    result = _check("pa2023", 10_000_000, 11_000_001, None, False, False)
    assert result.notice_required
    value = next(r for r in result.reasons if r.rule == "modification.pa2023.value_exemption")
    assert "a change of £1,000,001 (just over 10%): more than 10%" in value.message


def test_markdown_says_the_same_in_british_english_and_labels_unconfirmed_rules():
    text = markdown(_check("psr2023", 1_000_000, 1_400_000, None, False, False))
    assert text.startswith("# Contract modification: Provider Selection Regime (PSR)")
    assert "**Permitted without a new procurement:** yes" in text
    assert "**Notice:** none needed." in text
    assert "£1,000,000 to £1,400,000, a change of £400,000 (40%)" in text
    assert "[UNCONFIRMED against the statute: from a secondary source]" in text
    pcr = markdown(_check("pcr2015", 1_000_000, 1_300_000, None, False, False))
    assert "not decided" in pcr
    assert "Modification notice on Find a Tender" in pcr


def test_pcr_term_change_is_valued_through_the_new_value():
    result = _check("pcr2015", 1_000_000, 1_300_000, (24, 36), False, False)
    assert any("24 to 36 months" in reason.message for reason in result.reasons)


# --- Invariants over a grid of values (no hypothesis installed here) ----------------------------------------

GRID = [
    (Decimal(original), Decimal(original) * Decimal(factor))
    for original in ("1", "750000", "1000000", "2000000", "4000000", "12345678.90")
    for factor in ("0", "0.5", "0.75", "0.9", "1", "1.08", "1.1", "1.15", "1.249", "1.25", "1.5", "1.51", "3")
]


@pytest.mark.parametrize(("original", "new"), GRID)
def test_invariants(original, new):
    change = abs(new - original)
    ground, notice = TABLE.psr2023.value_ground, TABLE.psr2023.notice
    psr = check_modification("psr2023", original, new)
    assert psr.permitted == (change < ground.amount or change / original < ground.share)
    assert psr.notice_required == (change >= notice.amount)
    light = check_modification("pa2023", original, new, light_touch=True)
    assert (light.permitted, light.notice_required) == (True, False)
    for works in (False, True):
        pa = check_modification("pa2023", original, new, works=works)
        assert pa.permitted is None
        if change:
            limit = TABLE.pa2023.value_exemption.for_contract(works)
            assert pa.notice_required == (change / original > limit)
        pcr = check_modification("pcr2015", original, new, works=works)
        if pcr.permitted is False:
            assert new - original > TABLE.pcr2015.additional_or_unforeseen.share * original
        assert pcr.permitted is not True  # the threshold is held only for light touch contracts


# --- The data -----------------------------------------------------------------------------------------------


def test_the_figures_are_the_laws():
    psr, pa, pcr = TABLE.psr2023, TABLE.pa2023, TABLE.pcr2015
    assert (psr.value_ground.amount, psr.value_ground.share, psr.notice.amount) == (
        500000,
        Decimal("0.25"),
        500000,
    )
    assert (pa.value_exemption.share, pa.value_exemption.works_share) == (Decimal("0.10"), Decimal("0.15"))
    assert pa.term_exemption.share == pa.substantial_term.share == Decimal("0.10")
    assert (pa.below_threshold.share, pa.below_threshold.works_share) == (Decimal("0.10"), Decimal("0.15"))
    assert pa.unforeseeable.share == Decimal("0.50")
    assert (pcr.de_minimis.share, pcr.de_minimis.works_share) == (Decimal("0.10"), Decimal("0.15"))
    assert pcr.additional_or_unforeseen.share == Decimal("0.50")


def _rules():
    for regime in (TABLE.psr2023, TABLE.pa2023, TABLE.pcr2015):
        for entry in dict(regime).values():
            yield entry.rule


def test_every_rule_has_its_id_and_a_confirmed_one_quotes_its_figures():
    rules = list(_rules())
    assert len({rule.id for rule in rules}) == len(rules)
    assert all(rule.id.startswith("modification.") for rule in rules)
    quoted = {rule.id: rule.quote or "" for rule in rules if rule.status == "confirmed"}
    assert "below £500,000" in quoted["modification.psr2023.value_ground"]
    assert "less than 25%" in quoted["modification.psr2023.value_ground"]
    assert "15 per cent or less" in quoted["modification.pa2023.value_exemption"]
    assert "is a light touch contract" in quoted["modification.pa2023.light_touch_notice"]
    assert "more than 50 per cent" in quoted["modification.pa2023.unforeseeable"]


def test_an_unknown_key_in_the_table_fails_naming_it():
    data = copy.deepcopy(read_table("tools.checklist", "modification.yaml"))
    data["psr2023"]["value_ground"]["amonut"] = 1
    with pytest.raises(ValidationError, match="amonut"):
        ModificationTable.model_validate(data)


# --- Inputs -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"regime": "psr"}, "regime: 'psr' is not one of psr2023, pa2023, pcr2015"),
        ({"original_value": Decimal(0)}, "original_value: 0 is less than £1"),
        ({"original_value": Decimal(-1)}, "original_value: -1 is negative"),
        ({"new_value": Decimal("NaN")}, "new_value: NaN is not a finite amount"),
        ({"new_value": float("inf")}, "new_value: inf is not a finite amount"),
        ({"new_value": None}, "new_value is required"),
        ({"new_value": "lots"}, "new_value: 'lots' is not an amount"),
        ({"original_term_months": 0, "new_term_months": 12}, "original_term_months: 0 is not a term"),
        ({"original_term_months": True, "new_term_months": 12}, "original_term_months: true is not a term"),
        ({"original_term_months": 36}, "new_term_months is missing"),
        ({"works": True, "light_touch": True}, "works and light_touch"),
    ],
    ids=[
        "unknown-regime",
        "zero-original",
        "negative-original",
        "nan",
        "infinite",
        "missing-new",
        "new-not-money",
        "zero-term",
        "bool-term",
        "one-term",
        "works-and-light-touch",
    ],
)
def test_bad_input_is_one_line_naming_the_argument(arguments, message):
    given = {"regime": "psr2023", "original_value": Decimal(1_000_000), "new_value": Decimal(1_100_000)}
    with pytest.raises(InputError) as raised:
        check_modification(**{**given, **arguments})
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_officers_money_is_read_when_given_as_text():
    result = check_modification("psr2023", "£1,000,000", "1.4m")  # type: ignore[arg-type]
    assert result.permitted is True


# --- The command --------------------------------------------------------------------------------------------


def _run(*args):
    return runner.invoke(app, ["checklist", "modification", *args])


def test_cli_json_for_the_psr_notice_case():
    result = _run("--regime", "psr2023", "--original-value", "£4,000,000", "--new-value", "4.6m", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["permitted"], data["notice_required"]) == (True, True)
    assert data["notice"] == "Transparency notice of the modification"


def test_cli_report_for_a_procurement_act_change_with_its_term():
    result = _run(
        "--regime",
        "pa2023",
        "--original-value",
        "1,000,000",
        "--new-value",
        "1,080,000",
        "--original-term-months",
        "36",
        "--new-term-months",
        "36",
    )
    assert result.exit_code == 0, result.output
    assert "Contract modification: Procurement Act 2023" in result.output
    assert "none needed" in result.output


def test_cli_light_touch_and_works_flags():
    light = json.loads(
        _run(
            "--regime", "pa2023", "--original-value", "1m", "--new-value", "2m", "--light-touch", "--json"
        ).output
    )
    assert (light["permitted"], light["notice_required"]) == (True, False)
    works = json.loads(
        _run(
            "--regime", "pa2023", "--original-value", "1m", "--new-value", "1.12m", "--works", "--json"
        ).output
    )
    assert works["notice_required"] is False


def test_cli_out_writes_the_report(tmp_path):
    out = tmp_path / "modification.md"
    args = ["--regime", "pcr2015", "--original-value", "1m", "--new-value", "1.6m", "--out", str(out)]
    assert _run(*args).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Contract modification: PCR 2015")
    assert _run(*args).exit_code == 2
    assert _run(*args, "--force").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--regime", "psr", "--original-value", "1m", "--new-value", "2m"],
            "--regime = 'psr': Input should be 'psr2023', 'pa2023' or 'pcr2015'",
        ),
        (
            ["--regime", "psr2023", "--original-value", "lots", "--new-value", "2m"],
            "--original-value: 'lots'",
        ),
        (
            ["--regime", "psr2023", "--original-value", "1m", "--new-value", "-2"],
            "--new-value: '-2' is negative",
        ),
        (
            ["--regime", "psr2023", "--original-value", "0", "--new-value", "2m"],
            "original_value: 0 is less than £1",
        ),
        (
            ["--regime", "pa2023", "--original-value", "1m", "--new-value", "2m", "--new-term-months", "12"],
            "original_term_months is missing",
        ),
    ],
    ids=["unknown-regime", "not-money", "negative", "zero-original", "one-term"],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, message):
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
