"""The envelope arithmetic against answers worked by hand from the papers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assistant.toolspec import spec_for
from tests.conftest import EXAMPLES
from tools.envelope import compute_envelope, envelope_from_file
from tools.envelope.compute import reduction_multipliers
from tools.envelope.render import envelope_markdown
from tools.envelope.schema import Reduction


def envelope_tool(**arguments):
    """The envelope tool as the agent and the MCP server call it."""
    return spec_for(compute_envelope).invoke(arguments)


BANES_FILE = EXAMPLES / "banes-2015-envelope.yaml"

# B&NES outline business case (November 2015), Table 3, 2015/16 spend in £000.
BANES_LINES = [
    {"category": "Complex & Specialist", "commissioner": "CCG", "amount": 20567},
    {"category": "Complex & Specialist", "commissioner": "Council", "amount": 14296},
    {"category": "Early Intervention", "commissioner": "CCG", "amount": 2714},
    {"category": "Early Intervention", "commissioner": "Council", "amount": 23120},
    {"category": "Prevention and Self-Management", "commissioner": "CCG", "amount": 5067},
    {"category": "Prevention and Self-Management", "commissioner": "Council", "amount": 3472},
]
BANES_TOTAL = D(69236)


def banes(**plan):
    return envelope_tool(unit="£000", base_year="2015/16", lines=BANES_LINES, **plan)


def totals(result):
    return [year.total for year in result.years]


def test_banes_example_file_reports_the_base_year_and_reconciles_its_printed_totals():
    result = envelope_from_file(BANES_FILE)
    (year,) = result.years
    assert year.year == "2015/16"
    # Table 3: 20,567 + 2,714 + 5,067 = 28,348 (CCG); 14,296 + 23,120 + 3,472 = 40,888 (Council).
    assert year.by_commissioner == {"CCG": D(28348), "Council": D(40888)}
    assert year.total == D(69236) == D(28348) + D(40888)
    assert year.by_category == {
        "Complex & Specialist": D(34863),
        "Early Intervention": D(25834),
        "Prevention and Self-Management": D(8539),
    }
    assert year.provider_envelope == year.total and year.retained == 0
    assert [check.severity for check in result.checks] == ["info", "info", "info"]
    assert all("reconciles" in check.message for check in result.checks)
    assert (
        "Stated in the source: a 7% reduction to net budgets over a four year period (Council)"
        in result.assumptions
    )


def test_banes_json_keeps_the_issue_shape():
    data = envelope_from_file(BANES_FILE).model_dump(mode="json")
    assert data["unit"] == "£000"
    year = data["years"][0]
    assert {
        "year",
        "total",
        "provider_envelope",
        "retained",
        "by_commissioner",
        "by_category",
        "ring_fences",
    } <= set(year)
    assert year["total"] == 69236 and isinstance(year["total"], int)
    assert year["by_commissioner"] == {"CCG": 28348, "Council": 40888}
    assert data["checks"][0] == {"severity": "info", "message": data["checks"][0]["message"]}


def test_a_printed_total_that_does_not_add_up_is_reported_not_accepted():
    result = banes(printed_totals={"CCG": 28349, "Council": 40000, "total": 69236})
    severities = {check.message.split(" is ")[0]: check.severity for check in result.checks}
    # 28,349 against 28,348 over three lines is within the half-unit-a-line a paper's rounding allows.
    assert severities["Printed total for CCG"] == "warning"
    assert severities["Printed total for Council"] == "error"
    assert "difference -£888k" in result.checks[1].message


def test_seven_percent_over_four_years_even_and_compound_meet_in_the_final_year():
    even = totals(banes(years=4, reduction={"total_percent": 7, "profile": "even"}))
    compound = totals(banes(years=4, reduction={"total_percent": 7, "profile": "compound"}))
    # Final year: 69,236 × 0.93 = 64,389.48 under both.
    assert even[4] == compound[4] == D("64389.48")
    # Even takes 1.75% of the baseline a year: year 2 is 69,236 × 0.965 = 66,812.74.
    assert even[1:4] == [D("68024.37"), D("66812.74"), D("65601.11")]
    # Compound takes the same share off the previous year: year 2 is 69,236 × √0.93 = 69,236 × 0.9643651
    # = 66,768.78.
    assert compound[2] == (BANES_TOTAL * D("0.93").sqrt()).quantize(D("0.01")) == D("66768.78")
    assert compound[1] != even[1] and compound[3] != even[3]


@pytest.mark.parametrize(
    ("reduction", "left_after_each_year"),
    [
        pytest.param(
            {"total_percent": 7, "profile": "even"}, ["0.9825", "0.965", "0.9475", "0.93"], id="even"
        ),
        # 7% in the proportions 4, 3, 2, 1: slices of 2.8%, 2.1%, 1.4% and 0.7% of the baseline.
        pytest.param(
            {"total_percent": 7, "profile": "front-loaded"},
            ["0.972", "0.951", "0.937", "0.93"],
            id="front-loaded",
        ),
        pytest.param(
            {"per_year_percent": [2, 2, 1.5, 1.5]}, ["0.98", "0.96", "0.945", "0.93"], id="per-year-list"
        ),
        pytest.param({"total_percent": 0}, ["1", "1", "1", "1"], id="no-reduction"),
    ],
)
def test_reduction_profiles(reduction, left_after_each_year):
    multipliers = reduction_multipliers(Reduction.model_validate(reduction), 4)
    assert multipliers == (D(1), *(D(value) for value in left_after_each_year))


def test_county_durham_ring_fence_pass_through_and_mobilisation_fund():
    # County Durham, November 2017, paragraphs 39-43: "in the region of £44m" procured, "approximately 66%
    # of the service value designated for clinical staffing", estates "c£5m ... treated as a pass through
    # cost" that commissioners retain, and a one-off fund for mobilisation. We take the £44m to include the
    # estates, and the paper gives no figure for the fund, so £1,000k here is illustrative.
    result = envelope_tool(
        unit="£000",
        base_year="2017/18",
        years=1,
        lines=[
            {"category": "Community services", "commissioner": "County Durham CCGs", "amount": 39000},
            {
                "category": "Estates",
                "commissioner": "County Durham CCGs",
                "amount": 5000,
                "pass_through": True,
            },
        ],
        ring_fences=[{"name": "clinical staffing", "min_percent": 66}],
        one_off=[{"name": "mobilisation fund", "amount": 1000, "year": 1}],
        printed_totals={"total": 44000},
    )
    base, first = result.years
    for year in (base, first):
        assert year.total == D(44000)
        assert year.retained == D(5000)
        assert year.provider_envelope == D(39000)  # 44,000 less the 5,000 estates pass-through
        assert year.ring_fences[0].amount == D(25740)  # 66% × 39,000
    assert base.non_recurrent == {} and base.total_with_non_recurrent == D(44000)
    assert first.year == "2018/19"
    assert first.non_recurrent == {"mobilisation fund": D(1000)}
    assert first.total == D(44000)  # the one-off stays out of the recurrent envelope
    assert first.total_with_non_recurrent == D(45000)


def test_southern_derbyshire_wedge_shares_add_to_the_whole():
    # "The current apportionment of funding to each level (SDCCG funding only)": £592.2m =
    # 0.0 + 96.4 + 73.0 + 70.1 + 352.7.
    levels = {"Level 1": "0.0", "Level 2": "96.4", "Level 3": "73.0", "Level 4": "70.1", "Level 5": "352.7"}
    result = envelope_tool(
        unit="£m",
        base_year="2015/16",
        lines=[
            {"category": level, "commissioner": "SDCCG", "amount": amount} for level, amount in levels.items()
        ],
        printed_totals={"total": "592.2"},
    )
    (year,) = result.years
    assert year.total == D("592.2")
    assert result.checks[0].severity == "info"
    # Shares: 96.4/592.2 = 16.2783%, 73.0/592.2 = 12.3269%, 70.1/592.2 = 11.8372%, 352.7/592.2 = 59.5576%.
    # Rounded one by one they make 100.01%; the largest remainders (.83, .76, .72 of a hundredth, against
    # Level 3's .69) keep Level 3 at 12.32 so the shares add to 100.00.
    assert year.category_shares_percent == {
        "Level 1": D(0),
        "Level 2": D("16.28"),
        "Level 3": D("12.32"),
        "Level 4": D("11.84"),
        "Level 5": D("59.56"),
    }
    assert sum(year.category_shares_percent.values()) == 100


def test_rounded_lines_add_to_the_rounded_total_with_the_adjustment_shown():
    # Three lines of £100.40: exactly £301.20, printed as £301. Rounded one by one they make £300, so the
    # £1 rounding adjustment goes to the first line (equal remainders go to the earlier line).
    lines = [{"category": f"Service {n}", "commissioner": "ICB", "amount": "100.40"} for n in "ABC"]
    result = envelope_tool(unit="£", base_year="2025/26", lines=lines, decimal_places=0)
    (year,) = result.years
    assert year.line_amounts == [D(101), D(100), D(100)]
    assert year.total == D(301)
    assert any("£1 less than the rounded total" in check.message for check in result.checks)
    assert "rounded half up to the nearest pound" in result.rounding


def test_every_year_adds_up_after_growth_inflation_investment_and_pass_through():
    result = envelope_tool(
        unit="£000",
        base_year="2024/25",
        years=5,
        lines=[
            {"category": "Nursing", "commissioner": "ICB", "amount": "12345.678"},
            {"category": "Therapies", "commissioner": "ICB", "amount": "2345.111"},
            {"category": "Estates", "commissioner": "ICB", "amount": "999.999", "pass_through": True},
            {"category": "Reablement", "commissioner": "Council", "amount": "7777.777", "protected": True},
        ],
        reduction={"total_percent": "9.5", "profile": "compound"},
        growth_percent_per_year="1.3",
        inflation_percent_per_year=[2.1, 2.0, 1.9, 1.8, 1.7],
        deflator_percent_per_year="1.1",
        investments=[
            {
                "name": "Virtual ward",
                "commissioner": "ICB",
                "category": "Nursing",
                "amount": 333,
                "from_year": 2,
            }
        ],
        decimal_places=0,
    )
    for year in result.years:
        assert sum(year.line_amounts) == year.total
        assert sum(year.by_commissioner.values()) == year.total == sum(year.by_category.values())
        assert year.provider_envelope + year.retained == year.total
        assert sum(year.commissioner_shares_percent.values()) == 100
    savings = [year.savings_in_year for year in result.years]
    assert sum(savings) == result.years[-1].cumulative_savings


def test_savings_target_reports_the_shortfall_each_year():
    # CCG lines total 28,348; 7% evenly over four years takes 1.75% a year: 28,348 × 0.0175 = 496.09 a year,
    # against a £6,000k-£7,000k target: a shortfall of 6,000 - 496.09 = 5,503.91 each year.
    result = banes(
        years=4,
        reduction={"total_percent": 7, "profile": "even"},
        savings_target_per_year={"min": 6000, "max": 7000, "commissioner": "CCG"},
    )
    assert [year.savings_shortfall for year in result.years] == [None, *[D("5503.91")] * 4]
    assert [year.savings_surplus for year in result.years[1:]] == [D(0)] * 4
    warnings = [check.message for check in result.checks if check.severity == "warning"]
    assert len(warnings) == 4
    # The figures in the message are rounded as the table prints them (whole £000); the JSON keeps 5,503.91.
    assert warnings[0] == (
        "2016/17: savings of £496k (CCG lines) fall short of the £6,000k–£7,000k target by £5,504k."
    )


def test_savings_above_the_target_are_a_surplus():
    # 7% of 69,236 evenly is 1,211.63 a year, above a 500-1,000 target by 211.63.
    result = banes(years=4, reduction={"total_percent": 7}, savings_target_per_year={"min": 500, "max": 1000})
    assert {year.savings_surplus for year in result.years[1:]} == {D("211.63")}
    assert {year.savings_shortfall for year in result.years[1:]} == {D(0)}


def test_growth_and_inflation_compound_on_the_reduced_baseline():
    # One line of £1,000, 10% evenly over 2 years, 2% growth and 3% inflation a year:
    # year 1: 1,000 × 0.95 × 1.02 × 1.03 = 998.07; year 2: 1,000 × 0.90 × 1.0506² = 900 × 1.10376036 = 993.38.
    result = envelope_tool(
        unit="£",
        base_year="2025/26",
        years=2,
        lines=[{"category": "Care", "commissioner": "ICB", "amount": 1000}],
        reduction={"total_percent": 10},
        growth_percent_per_year=2,
        inflation_percent_per_year=3,
    )
    assert totals(result) == [D(1000), D("998.07"), D("993.38")]
    # Savings against the uplifted baseline: year 2, 1,000 × 1.10376036 × 0.10 = 110.38.
    assert result.years[2].cumulative_savings == D("110.38")


def test_markdown_puts_the_assumptions_and_rounding_rule_under_the_table():
    text = envelope_markdown(
        banes(years=4, reduction={"total_percent": 7, "profile": "compound"}, decimal_places=0)
    )
    assert "| £000 | 2015/16 (base) | 2016/17 | 2017/18 | 2018/19 | 2019/20 |" in text
    assert "| **Total recurrent** | **69,236** | **67,991** | **66,769** | **65,568** | **64,389** |" in text
    assert "compound: 1.8% off the previous year's amount each year" in text
    assert text.rstrip().endswith("each within one unit of its exact value.")


def test_savings_are_measured_against_growth_and_inflation_only_as_the_assumption_says():
    # £1,000, 10% compound over 4 years, growth 3%, inflation 2%, deflator 1.5% a year. The assumption
    # printed says the do-nothing position is the baseline uplifted for growth and inflation:
    # 1,000 × (1.03 × 1.02)^4 = 1,218.29; the plan is 1,000 × 0.90 × (1.03 × 1.02 × 0.985)^4 = 1,032.14;
    # cumulative savings 186.15 (the deflator counts as a saving; measured with it, they would be 115).
    result = envelope_tool(
        unit="£",
        base_year="2025/26",
        years=4,
        lines=[{"category": "Care", "commissioner": "ICB", "amount": 1000}],
        reduction={"total_percent": 10, "profile": "compound"},
        growth_percent_per_year=3,
        inflation_percent_per_year=2,
        deflator_percent_per_year="1.5",
    )
    assert result.years[-1].total == D("1032.14")
    assert result.years[-1].cumulative_savings == D("186.15")
    assert (
        "Savings are measured against the baseline uplifted for growth and inflation only (the do-nothing "
        "position), so the reduction and any deflator both count as savings"
    ) in " ".join(result.assumptions)


def test_a_reduction_for_one_commissioner_leaves_the_others_lines_alone():
    # B&NES: the Council's 7% over four years on its own lines; 40,888 × 0.93 = 38,025.84 by 2019/20.
    result = banes(years=4, reduction_by_commissioner={"Council": {"total_percent": 7, "profile": "even"}})
    assert [year.by_commissioner["CCG"] for year in result.years] == [D(28348)] * 5
    assert result.years[-1].by_commissioner["Council"] == D("38025.84")
    said = " ".join(result.assumptions)
    assert "Council: reduction of 7% over 4 years, in even steps" in said
    assert "CCG: no efficiency or reduction is applied to its lines." in said


def test_a_shared_reduction_applies_to_commissioners_without_their_own():
    result = banes(
        years=2,
        reduction={"total_percent": 10},
        reduction_by_commissioner={"Council": {"per_year_percent": [0, 0]}},
    )
    assert result.years[-1].by_commissioner == {"CCG": D("25513.20"), "Council": D(40888)}


def test_a_target_across_a_whole_allocation_is_reported_not_tested():
    # The CCG's £6m-£7m a year is across its whole allocation: tested against the £28.3m of in-scope lines it
    # would report a shortfall of about £5,504k a year that is not real.
    result = banes(
        years=4,
        reduction_by_commissioner={"Council": {"total_percent": 7}},
        savings_target_per_year={"min": 6000, "max": 7000, "commissioner": "CCG", "applies_to": "allocation"},
    )
    assert {year.savings_shortfall for year in result.years} == {None}
    assert [check.severity for check in result.checks] == ["info"]
    assert result.checks[0].message.startswith(
        "The £6,000k–£7,000k a year savings target is across the CCG's whole allocation, so it is not tested"
    )
    assert "Savings shortfall" not in " ".join(row.label for row in result.table.rows)


def test_a_reduction_for_an_unknown_commissioner_is_refused():
    from tools.errors import InputError

    with pytest.raises(InputError, match="reduction_by_commissioner = 'ICB': not one of the commissioners"):
        banes(years=4, reduction_by_commissioner={"ICB": {"total_percent": 7}})


def test_the_table_people_read_is_rounded_for_a_paper_whatever_the_json_keeps():
    data = banes(years=4, reduction={"total_percent": 7}).model_dump(mode="json")
    assert data["years"][1]["total"] == 68024.37  # exact to 2 places in JSON
    table = data["table"]
    assert (table["unit"], table["decimal_places"]) == ("£000", 0)
    assert table["headings"] == ["£000", "2015/16 (base)", "2016/17", "2017/18", "2018/19", "2019/20"]
    total = next(row for row in table["rows"] if row["label"] == "Total recurrent")
    assert total["cells"] == ["69,236", "68,024", "66,813", "65,601", "64,389"]
    assert "the nearest £000" in table["rounding"]


def test_the_table_is_the_same_whatever_places_are_asked_for():
    plan = {"years": 4, "reduction": {"total_percent": 7, "profile": "compound"}}
    plan["growth_percent_per_year"] = 2
    assert banes(**plan).table == banes(**plan, decimal_places=0).table
    assert banes(**plan).checks == banes(**plan, decimal_places=0).checks
