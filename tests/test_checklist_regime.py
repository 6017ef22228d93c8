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
        (date(2025, 2, 23), "nhs", "health", ["psr2023"]),
        (date(2025, 2, 24), "nhs", "health", ["psr2023"]),
        (date(2025, 2, 23), "council", "social-care", ["pcr2015"]),
        (date(2025, 2, 24), "council", "social-care", ["pa2023"]),
        (date(2025, 2, 23), "nhs", "other", ["pcr2015"]),
        (date(2025, 2, 24), "nhs", "other", ["pa2023"]),
        (date(2015, 2, 25), "nhs", "health", ["pccr2013"]),
        (date(2015, 2, 26), "nhs", "health", ["pccr2013", "pcr2015"]),
        (date(2013, 4, 1), "nhs", "social-care", []),
    ],
    ids=lambda value: value.isoformat() if isinstance(value, date) else None,
)
def test_the_regime_changes_on_each_boundary_date(start, buyer, service, expected):
    assert [regime.id for regime in which_regime(start, buyer, service).regimes] == expected


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
    result = which_regime(start, "nhs", "health")
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
        ((date(2024, 1, 1), "hospital", "health"), "buyer: 'hospital'"),
        ((date(2024, 1, 1), "nhs", "dentistry"), "service: 'dentistry'"),
        (("not a date", "nhs", "health"), "start: 'not a date' is not a date"),
        ((date(2024, 1, 1), "nhs", "health", Decimal(-1)), "value: -1 is negative"),
        ((date(2013, 3, 31), "nhs", "health"), "start: 31 March 2013 is before 1 April 2013"),
    ],
)
def test_bad_input_names_the_field(arguments, message):
    with pytest.raises(InputError, match=message):
        which_regime(*arguments)
