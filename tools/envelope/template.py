"""The commented starter file `commission envelope template` prints; it computes as it stands."""

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
# or give each year's slice instead:  reduction: {per_year_percent: [2, 2, 1.5, 1.5]}
reduction: {total_percent: 7, profile: even}

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

# Recurrent savings wanted each year, checked against the plan; commissioner is optional.
savings_target_per_year: {min: 6000, max: 7000, commissioner: CCG}

# Totals as the paper prints them, by commissioner, category or "total"; a mismatch is reported.
printed_totals: {CCG: 28348, Council: 40888, total: 69236}

# The paper's own assumptions, in words; they are printed under the table.
stated_assumptions:
  - "a 7% reduction to net budgets over a four year period (Council)"
"""
