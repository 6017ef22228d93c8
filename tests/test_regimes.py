from datetime import date
from decimal import Decimal

import pytest

from tools.regimes import health_regime, light_touch_threshold, public_contracts_regime


@pytest.mark.parametrize(
    ("start", "expected"),
    [(date(2023, 12, 31), "pccr2013"), (date(2024, 1, 1), "psr2023"), (date(2026, 11, 23), "psr2023")],
    ids=["day-before-psr", "psr-day-one", "today"],
)
def test_health_regime_by_start_date(start, expected):
    assert health_regime(start).id == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [(date(2025, 2, 23), "pcr2015"), (date(2025, 2, 24), "pa2023")],
    ids=["day-before-act", "act-day-one"],
)
def test_public_contracts_regime_by_start_date(start, expected):
    assert public_contracts_regime(start).id == expected


@pytest.mark.parametrize(
    ("start", "amount", "vat_inclusive", "regime"),
    [
        (date(2015, 6, 1), "625050", False, "pcr2015"),
        (date(2016, 1, 1), "589148", False, "pcr2015"),
        (date(2018, 6, 1), "615278", False, "pcr2015"),
        (date(2021, 12, 31), "663540", False, "pcr2015"),
        (date(2022, 1, 1), "663540", True, "pcr2015"),
        (date(2025, 2, 24), "663540", True, "pa2023"),
        (date(2026, 1, 1), "663540", True, "pa2023"),
    ],
)
def test_light_touch_threshold_by_date(start, amount, vat_inclusive, regime):
    threshold = light_touch_threshold(start)
    assert threshold is not None
    assert threshold.amount == Decimal(amount)
    assert threshold.vat_inclusive is vat_inclusive
    assert threshold.rule.regime == regime
    # Every threshold comes from secondary sources (PPNs and law firms' tables): labelled until quoted.
    assert threshold.rule.status == "confirmed-2nd"
    assert "UNCONFIRMED against the statute" in threshold.rule.citation()


def test_no_threshold_before_pcr_2015():
    assert light_touch_threshold(date(2014, 1, 1)) is None
