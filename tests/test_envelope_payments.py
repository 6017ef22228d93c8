"""Capitation and multilateral gain/loss share, worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assistant.toolspec import spec_for
from tools.envelope import AGENT_TOOLS, Cohort, capitation, gain_loss_share
from tools.envelope.render import capitation_markdown
from tools.errors import InputError


def test_capitation_per_person_per_year_and_month():
    # £4,200,000 for 3,500 people aged 85 and over: 4,200,000 / 3,500 = £1,200 a year, / 12 = £100 a month.
    result = capitation(D(4_200_000), 3500)
    assert result.per_person_per_year == D(1200)
    assert result.per_person_per_month == D(100)
    assert result.model_dump(mode="json")["per_person_per_year"] == 1200


def test_capitation_cohort_weights_split_the_budget():
    # Weighted people: 2,500 × 1 + 1,000 × 1.8 = 4,300.
    # Aged 85-89: 4,200,000 × 2,500 / 4,300 = 2,441,860.465 → £2,441,860.47; a person: 976.744 → £976.74
    # a year, 81.395 → £81.40 a month. Aged 90+: 4,200,000 × 1,800 / 4,300 = 1,758,139.535 → £1,758,139.53;
    # a person: £1,758.14 a year, £146.51 a month. The two budgets add to £4,200,000.00.
    cohorts = [Cohort(name="85-89", population=2500), Cohort(name="90+", population=1000, weight=D("1.8"))]
    result = capitation(D(4_200_000), 3500, cohorts=cohorts)
    younger, older = result.cohorts
    assert (younger.budget, younger.per_person_per_year, younger.per_person_per_month) == (
        D("2441860.47"),
        D("976.74"),
        D("81.40"),
    )
    assert (older.budget, older.per_person_per_year, older.per_person_per_month) == (
        D("1758139.53"),
        D("1758.14"),
        D("146.51"),
    )
    assert younger.budget + older.budget == D(4_200_000)


def test_capitation_cohort_budgets_reconcile_to_the_penny():
    # £100 over three equal cohorts is £33.333… each: £33.34 + £33.33 + £33.33 = £100.00.
    cohorts = [Cohort(name=name, population=10) for name in "ABC"]
    result = capitation(D(100), 30, cohorts=cohorts)
    assert [cohort.budget for cohort in result.cohorts] == [D("33.34"), D("33.33"), D("33.33")]


def test_capitation_in_thousands_also_gives_pounds():
    # £1,000k for 1,200 people: 0.8333k = £833.33 a year, £69.44 a month.
    result = capitation(D(1000), 1200, unit="£000")
    assert result.per_person_per_year == D("0.83")
    assert (result.per_person_per_year_pounds, result.per_person_per_month_pounds) == (
        D("833.33"),
        D("69.44"),
    )
    assert "(£833.33)" in capitation_markdown(result)


SHARES = {"CCG": D(50), "Council": D(20), "Provider": D(30)}


@pytest.mark.parametrize(
    ("expected", "actual", "terms", "pool", "shares", "limited_by", "outside"),
    [
        # £1m expected, £900k spent: a £100k gain, shared 50/20/30.
        pytest.param(1_000_000, 900_000, {}, 100_000, [50_000, 20_000, 30_000], None, 0, id="plain-gain"),
        # The first £20k is a dead band: £80k is shared, £20k stays outside the pool.
        pytest.param(
            1_000_000,
            900_000,
            {"dead_band": 20_000},
            80_000,
            [40_000, 16_000, 24_000],
            None,
            20_000,
            id="dead-band",
        ),
        # Dead band first (£80k), then the £50k cap.
        pytest.param(
            1_000_000,
            900_000,
            {"dead_band": 20_000, "cap": 50_000},
            50_000,
            [25_000, 10_000, 15_000],
            "cap",
            50_000,
            id="cap",
        ),
        # £1.1m spent against £1m: a £100k loss; each share carries the sign.
        pytest.param(
            1_000_000, 1_100_000, {}, -100_000, [-50_000, -20_000, -30_000], None, 0, id="plain-loss"
        ),
        # £600k over: £100k dead band leaves £500k, the £300k collar limits it to -£300k.
        pytest.param(
            10_000_000,
            10_600_000,
            {"dead_band": 100_000, "collar": 300_000},
            -300_000,
            [-150_000, -60_000, -90_000],
            "collar",
            -300_000,
            id="collar",
        ),
        # A £10k underspend inside a £20k dead band: nothing to share.
        pytest.param(
            1_000_000, 990_000, {"dead_band": 20_000}, 0, [0, 0, 0], "dead band", 10_000, id="in-dead-band"
        ),
        # A cap does not touch a loss, and a collar does not touch a gain.
        pytest.param(
            1_000_000,
            900_000,
            {"collar": 5_000},
            100_000,
            [50_000, 20_000, 30_000],
            None,
            0,
            id="collar-ignores-gain",
        ),
    ],
)
def test_gain_loss_share(expected, actual, terms, pool, shares, limited_by, outside):
    result = gain_loss_share(D(expected), D(actual), SHARES, **{k: D(v) for k, v in terms.items()})
    assert result.pool == D(pool)
    assert list(result.shares.values()) == [D(amount) for amount in shares]
    assert result.limited_by == limited_by
    assert result.outside_pool == D(outside)
    assert sum(result.shares.values()) == result.pool


@pytest.mark.parametrize(
    ("expected", "actual", "amounts"),
    [
        # £1,000.01 split 50/50 is £500.005 each; rounded one by one that is £1,000.02, so one gets £500.00.
        pytest.param("2000.01", "1000", ["500.01", "500.00"], id="gain"),
        pytest.param("1000", "2000.01", ["-500.01", "-500.00"], id="loss"),
    ],
)
def test_gain_share_rounding_reconciles(expected, actual, amounts):
    result = gain_loss_share(D(expected), D(actual), {"A": D(50), "B": D(50)})
    assert list(result.shares.values()) == [D(amount) for amount in amounts]
    assert sum(result.shares.values()) == result.pool


def test_gain_share_json_has_pool_and_shares():
    data = gain_loss_share(D(1000), D(900), {"CCG": D(60), "Provider": D(40)}).model_dump(mode="json")
    assert data["pool"] == 100
    assert data["shares"] == {"CCG": 60, "Provider": 40}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda: capitation(D(-1), 10), "budget = -1", id="negative-budget"),
        pytest.param(lambda: capitation(D(100), 0), "population = 0", id="no-population"),
        pytest.param(
            lambda: capitation(D(100), 30, cohorts=[Cohort(name="A", population=10)]),
            "must add to population",
            id="cohorts-short",
        ),
        pytest.param(
            lambda: gain_loss_share(D(10), D(9), {"A": D(60), "B": D(30)}), "shares = 90%", id="shares-90"
        ),
        pytest.param(
            lambda: gain_loss_share(D(10), D(9), {"A": D(150), "B": D(-50)}), "shares.A = 150", id="share-150"
        ),
        pytest.param(lambda: gain_loss_share(D(10), D(9), {}), "shares = {}", id="no-parties"),
        pytest.param(
            lambda: gain_loss_share(D(-10), D(9), {"A": D(100)}), "expected = -10", id="negative-expected"
        ),
        pytest.param(
            lambda: gain_loss_share(D(10), D(9), {"A": D(100)}, cap=D(-5)), "cap = -5", id="negative-cap"
        ),
        pytest.param(
            lambda: gain_loss_share(D(10), D(9), {"A": D(100)}, dead_band=D(-1)),
            "dead_band = -1",
            id="negative-band",
        ),
    ],
)
def test_bad_payment_arguments_name_the_field_and_value(call, message):
    with pytest.raises(InputError, match=message.replace("{", r"\{").replace("}", r"\}")):
        call()


def test_agent_tools_describe_every_argument_and_validate_input():
    specs = {spec.name: spec for spec in map(spec_for, AGENT_TOOLS)}
    assert set(specs) == {"compute_envelope", "capitation", "gain_loss_share"}
    for spec in specs.values():
        assert spec.json_schema()["additionalProperties"] is False
    result = specs["gain_loss_share"].invoke(
        {"expected": 1000, "actual": 1100, "shares": {"ICB": 70, "Trust": 30}, "collar": 50}
    )
    assert result.model_dump(mode="json")["shares"] == {"ICB": -35, "Trust": -15}
    with pytest.raises(InputError, match="unknown field 'colar'"):
        specs["gain_loss_share"].invoke({"expected": 1, "actual": 1, "shares": {"A": 100}, "colar": 5})
