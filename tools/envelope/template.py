"""The commented starter file `commission envelope template` prints; it computes as it stands.

It is the B&NES outline business case (November 2015) modelled as the paper models it: Table 3's baseline,
the Council's 7% reduction over four years on its own lines, and the CCG's £6m-£7m a year of savings, which
the paper sets across the CCG's whole allocation rather than the in-scope lines.
"""

from __future__ import annotations

TEMPLATE = """\
# Funding envelope: edit the figures, then run  commission envelope THIS-FILE.yaml
# Unknown keys are refused, so a misspelt field is reported rather than ignored.
# Every amount is in the unit below. Percentages are 0-100.

title: "Community services funding envelope"   # optional heading for the table
unit: "£000"                 # "£", "£000" or "£m"  (currency_unit is accepted as another name for it)
base_year: "2015/16"         # the financial year of the baseline; plan year 1 is the year after
years: 4                     # plan years after the base year; leave out to report the base year only

# Base-year spend by category and commissioner. pass_through: true keeps a line (e.g. estates) with the
# commissioners, outside the provider envelope. protected: true keeps a line out of the reduction.
lines:
  - {category: Complex & Specialist,           commissioner: CCG,     amount: 20567}
  - {category: Complex & Specialist,           commissioner: Council, amount: 14296}
  - {category: Early Intervention,             commissioner: CCG,     amount: 2714}
  - {category: Early Intervention,             commissioner: Council, amount: 23120}
  - {category: Prevention and Self-Management, commissioner: CCG,     amount: 5067}
  - {category: Prevention and Self-Management, commissioner: Council, amount: 3472}
  # - {category: Estates, commissioner: CCG, amount: 5000, pass_through: true}

# The efficiency or reduction, as a percentage of the base-year baseline:
#   even         the same slice of the baseline each year (7% over 4 years: 1.75% a year)
#   compound     the same percentage off the previous year, reaching the same total by the last year
#   front-loaded bigger slices first (over 4 years in the proportions 4, 3, 2, 1)
# or give each year's slice instead:  {per_year_percent: [2, 2, 1.5, 1.5]}
# One reduction for every line:       reduction: {total_percent: 7, profile: even}
# or one for each commissioner, as B&NES sets them (the Council's 7% over four years); a commissioner not
# named here takes `reduction`, or none if it is left out:
reduction_by_commissioner:
  Council: {total_percent: 7, profile: even}

# Growth, inflation and a contract deflator: one figure for every year, or a list with one per year.
growth_percent_per_year: 0
inflation_percent_per_year: 0
deflator_percent_per_year: 0

# Recurrent new investment (a negative amount is a disinvestment), in cash from from_year on.
investments: []
#   - {name: Care co-ordination, commissioner: Council, category: Early Intervention,
#      amount: 250, from_year: 2}

# Minimum shares of the provider envelope, reported as an amount each year.
ring_fences: []
#   - {name: clinical staffing, min_percent: 66}

# Non-recurrent funds, kept apart from the recurrent envelope (year 1 is the first plan year).
one_off: []
#   - {name: mobilisation fund, amount: 1000, year: 1}

# Third-sector and SME share of the provider envelope, as a range.
# third_sector_share_percent: {min: 10, max: 20}

# Recurrent savings wanted each year; commissioner is optional. applies_to: lines (the default) tests the
# target against these lines. applies_to: allocation says it is across the commissioner's whole allocation
# (B&NES: the CCG's £6m-£7m a year, a 10% efficiency requirement on all its spending), so what these lines
# save is reported beside it instead of a shortfall that is not real.
savings_target_per_year: {min: 6000, max: 7000, commissioner: CCG, applies_to: allocation}

# Totals as the paper prints them, by commissioner, category or "total"; a mismatch is reported.
printed_totals: {CCG: 28348, Council: 40888, total: 69236}

# The paper's own assumptions, in words; they are printed under the table.
stated_assumptions:
  - "a 7% reduction to net budgets over a four year period (Council)"
  - "CCG recurring savings of between £6 million and £7 million per year over four years;
    £24 million, a 10% efficiency requirement"
"""
