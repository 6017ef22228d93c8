"""Which regime applies: each boundary date, the light touch threshold either side, and bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tools.checklist import which_regime
from tools.errors import InputError


@pytest.mark.parametrize(
    ("start", "buyer", "service", "expected"),
    [
        (date(2023, 12, 31), "nhs", "health", ["pccr2013", "pcr2015"]),
        (date(2024, 1, 1), "nhs", "health", ["psr2023"]),
        (date(2023, 12, 31), "joint", "health", ["pccr2013", "pcr2015"]),
        (date(2024, 1, 1), "joint", "health", ["psr2023"]),
        (date(2023, 12, 31), "council", "health", ["pcr2015"]),
        (date(2024, 1, 1), "council", "health", ["psr2023"]),
        (date(2023, 12, 31), "nhs-trust", "health", ["pcr2015"]),
        (date(2024, 1, 1), "nhs-trust", "health", ["psr2023"]),
        (date(2025, 2, 23), "nhs", "health", ["psr2023"]),
        (date(2025, 2, 24), "nhs", "health", ["psr2023"]),
        (date(2025, 2, 23), "council", "social-care", ["pcr2015"]),
        (date(2025, 2, 24), "council", "social-care", ["pa2023"]),
        (date(2025, 2, 23), "nhs", "other", ["pcr2015"]),
        (date(2025, 2, 24), "nhs", "other", ["pa2023"]),
        # Before PCR 2015 every public contract was under the 2006 Regulations; health care as Part B.
        (date(2015, 2, 25), "nhs", "health", ["pccr2013", "pcr2006"]),
        # PCR 2015 reg 120: NHS health care begun before 18 April 2016 stayed under the 2006 Regulations.
        (date(2015, 2, 26), "nhs", "health", ["pccr2013", "pcr2006"]),
        (date(2016, 4, 17), "nhs", "health", ["pccr2013", "pcr2006"]),
        (date(2016, 4, 17), "joint", "health", ["pccr2013", "pcr2006"]),
        (date(2016, 4, 18), "nhs", "health", ["pccr2013", "pcr2015"]),
        # Reg 120 covered only procedures within the 2013 regulations' scope: councils and trusts were
        # never relevant bodies, so PCR 2015 reached them on 26 February 2015.
        (date(2015, 2, 26), "council", "health", ["pcr2015"]),
        (date(2015, 2, 26), "nhs-trust", "health", ["pcr2015"]),
        (date(2015, 2, 25), "nhs-trust", "health", ["pcr2006"]),
        (date(2013, 4, 1), "nhs", "social-care", ["pcr2006"]),
    ],
    ids=lambda value: value.isoformat() if isinstance(value, date) else None,
)
def test_the_regime_changes_on_each_boundary_date(start, buyer, service, expected):
    assert [regime.id for regime in which_regime(start, buyer, service).regimes] == expected


# Hand-worked cases: (start, buyer, service, value, framework awarded) -> [(regime, light touch)].
@pytest.mark.parametrize(
    ("start", "buyer", "service", "value", "framework", "expected"),
    [
        # A CCG buying health care on 1 June 2015: the 2013 regulations bind it (a relevant body), and
        # PCR 2015 reg 120 leaves the procedure (begun before 18 April 2016) under the 2006 Regulations,
        # where health services are Part B services: no light touch regime yet.
        pytest.param(
            date(2015, 6, 1),
            "nhs",
            "health",
            None,
            None,
            [("pccr2013", False), ("pcr2006", False)],
            id="ccg-2015-reg-120",
        ),
        # A CCG on 18 April 2016 at £700,000: the exemption has ended, so PCR 2015 applies alongside the
        # 2013 regulations; the light touch threshold on the date is £589,148, and £700,000 is above it.
        pytest.param(
            date(2016, 4, 18),
            "nhs",
            "health",
            Decimal(700000),
            None,
            [("pccr2013", False), ("pcr2015", True)],
            id="ccg-2016-light-touch",
        ),
        # An NHS trust on 1 May 2019: not a relevant body, so not the 2013 regulations; PCR 2015 binds it
        # as a contracting authority, light touch at or above the threshold (no value given: assumed so).
        pytest.param(
            date(2019, 5, 1), "nhs-trust", "health", None, None, [("pcr2015", True)], id="trust-2019"
        ),
        # An NHS trust on 1 March 2024: health care services fall under the PSR, which binds trusts.
        pytest.param(
            date(2024, 3, 1), "nhs-trust", "health", None, None, [("psr2023", False)], id="trust-2024"
        ),
        # A council call-off on 1 March 2026 from a framework awarded on 1 June 2024 under PCR 2015: the
        # transitional provisions keep PCR 2015 for call-offs from it after 24 February 2025.
        pytest.param(
            date(2026, 3, 1),
            "council",
            "other",
            None,
            date(2024, 6, 1),
            [("pcr2015", False)],
            id="pcr-framework-call-off",
        ),
        # A council buying social care on 10 January 2026 at £900,000: the Procurement Act, and £900,000
        # is at or above the Act's light touch threshold (£663,540), so a light touch contract.
        pytest.param(
            date(2026, 1, 10),
            "council",
            "social-care",
            Decimal(900000),
            None,
            [("pa2023", True)],
            id="council-social-care-act",
        ),
        # A call-off on 1 March 2026 from a framework awarded on 1 March 2025 under the Act: the Act.
        pytest.param(
            date(2026, 3, 1),
            "council",
            "other",
            None,
            date(2025, 3, 1),
            [("pa2023", False)],
            id="act-framework-call-off",
        ),
    ],
)
def test_hand_worked_cases(start, buyer, service, value, framework, expected):
    result = which_regime(start, buyer, service, value, framework_awarded=framework)
    assert [(regime.id, regime.light_touch) for regime in result.regimes] == expected


def test_the_2006_regulations_for_nhs_health_care_cite_regulation_120_and_part_b():
    entry = which_regime(date(2015, 6, 1), "nhs", "health").regimes[1]
    assert entry.name == "Public Contracts Regulations 2006"
    assert "PCR 2015 reg 120" in entry.regulation
    assert "PCR 2006 reg 5(2)" in entry.regulation
    assert "18 April 2016" in entry.reason
    assert "Part B" in entry.reason


def test_from_18_april_2016_a_ccg_had_the_light_touch_advertising_duty():
    entry = which_regime(date(2016, 4, 18), "nhs", "health", Decimal(700000)).regimes[1]
    assert "PCR 2015 reg 75(1)" in entry.regulation
    assert "contract notice or a prior information notice" in entry.reason


def test_an_nhs_trust_was_never_bound_by_the_2013_regulations():
    result = which_regime(date(2019, 5, 1), "nhs-trust", "health")
    assert "pccr2013" not in [regime.id for regime in result.regimes]
    notes = " ".join(result.notes)
    assert "NHS trusts, NHS foundation trusts and local authorities are not relevant bodies" in notes
    assert "S.I. 2013/500 reg 1(2)" in notes
    assert "NHS trusts and foundation trusts procured as contracting authorities" in result.regimes[0].reason


def test_a_pcr_framework_call_off_cites_the_transitional_provision():
    result = which_regime(date(2026, 3, 1), "council", "social-care", framework_awarded=date(2024, 6, 1))
    entry = result.regimes[0]
    assert "(S.I. 2024/716) reg 5(1)" in entry.regulation
    assert "UNCONFIRMED" in entry.regulation  # the 24 February 2025 date is from secondary sources
    assert "1 June 2024" in entry.reason
    assert "regs 74 to 76" in entry.reason
    # A PCR call-off takes the PCR threshold of the date its framework was awarded.
    assert "(the date the framework was awarded)" in (result.threshold_note or "")
    assert "PCR 2015 reg 5" in (result.threshold_note or "")


def test_the_acts_light_touch_regime_is_described_in_the_acts_terms():
    entry = which_regime(date(2026, 1, 10), "council", "social-care", Decimal(900000)).regimes[0]
    assert "PCR 2015" not in entry.regulation
    assert "regs 74" not in entry.reason
    for wording in ("s.54", "s.51", "120 days", "s.53", "s.50(6)", "s.75(6)(b)", "Schedule 1"):
        assert wording in entry.reason
    assert "Procurement Act 2023 s.50(1) and (6);" in entry.regulation + ";"


def test_a_framework_awarded_after_the_call_off_starts_is_refused():
    with pytest.raises(InputError, match="framework_awarded: 2 March 2026 is after the call-off's start"):
        which_regime(date(2026, 3, 1), "council", "other", framework_awarded=date(2026, 3, 2))


def test_every_rule_of_the_table_is_valid_and_public():
    from tools.checklist.regime import RULES

    assert RULES
    for key, rule in RULES.items():
        assert rule.id == key
        if rule.status == "confirmed":
            assert rule.quote


@pytest.mark.parametrize(
    ("start", "value", "light_touch", "wording"),
    [
        (date(2024, 6, 1), Decimal("663539"), False, "£663,539 is below it"),
        (date(2024, 6, 1), Decimal("663540"), True, "£663,540 is at or above it"),
        (date(2024, 6, 1), Decimal("663541"), True, "£663,541 is at or above it"),
        (date(2025, 3, 1), Decimal("663539"), False, "£663,539 is below it"),
        (date(2025, 3, 1), Decimal("663540"), True, "£663,540 is at or above it"),
        (date(2017, 6, 1), Decimal("589147"), False, "£589,147 is below it"),
        (date(2017, 6, 1), Decimal("589148"), True, "£589,148 is at or above it"),
        (date(2024, 6, 1), None, True, "Give the value"),
    ],
)
def test_the_light_touch_threshold_either_side(start, value, light_touch, wording):
    result = which_regime(start, "council", "social-care", value)
    assert [regime.light_touch for regime in result.regimes] == [light_touch]
    assert wording in (result.threshold_note or "")


@pytest.mark.parametrize(
    ("start", "threshold", "wording"),
    [
        (date(2021, 12, 31), Decimal("663540"), "(excluding VAT)"),
        (date(2022, 1, 1), Decimal("663540"), "(including VAT)"),
        (date(2015, 12, 31), Decimal("625050"), "(excluding VAT)"),
        (date(2016, 1, 1), Decimal("589148"), "(excluding VAT)"),
    ],
)
def test_the_threshold_is_the_one_in_force_on_the_date(start, threshold, wording):
    # A council's health care: PCR 2015 light touch from 26 February 2015 (a CCG's waited for 18 April 2016).
    result = which_regime(start, "council", "health")
    assert result.light_touch_threshold == threshold
    assert wording in (result.threshold_note or "")


def test_an_unconfirmed_threshold_is_labelled():
    assert "UNCONFIRMED" in (which_regime(date(2020, 6, 1), "council", "social-care").threshold_note or "")


def test_the_health_regimes_have_no_threshold():
    result = which_regime(date(2024, 6, 1), "nhs", "health", Decimal(100))
    assert result.light_touch_threshold is None
    assert "whatever the value" in (result.threshold_note or "")


@pytest.mark.parametrize(
    ("start", "mixed"), [(date(2023, 12, 31), False), (date(2024, 1, 1), True), (date(2025, 2, 24), True)]
)
def test_mixed_health_and_non_health_contracts_are_explained_from_2024(start, mixed):
    notes = " ".join(which_regime(start, "nhs", "health").notes)
    assert ("main subject-matter is relevant health care services" in notes) is mixed


def test_local_authorities_were_not_bound_by_the_2013_regulations():
    notes = " ".join(which_regime(date(2019, 1, 1), "council", "health").notes)
    assert "Local authorities were not bound by the 2013 regulations" in notes


def test_json_has_the_contract_fields():
    data = which_regime(date(2023, 12, 31), "joint", "health").model_dump(mode="json")
    first = data["regimes"][0]
    assert set(first) >= {"id", "name", "light_touch", "reason"}
    assert first["id"] == "pccr2013"
    assert "council's side" in first["reason"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((date(2024, 1, 1), "hospital", "health"), "buyer: 'hospital' is not one of nhs, nhs-trust"),
        ((date(2024, 1, 1), "nhs", "dentistry"), "service: 'dentistry'"),
        (("not a date", "nhs", "health"), "start: 'not a date' is not a date"),
        ((date(2024, 1, 1), "nhs", "health", Decimal(-1)), "value: -1 is negative"),
        ((date(2013, 3, 31), "nhs", "health"), "start: 31 March 2013 is before 1 April 2013"),
    ],
)
def test_bad_input_names_the_field(arguments, message):
    with pytest.raises(InputError, match=message):
        which_regime(*arguments)
