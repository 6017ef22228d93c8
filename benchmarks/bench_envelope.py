"""Envelope calculator: a 200-line, 10-year envelope (target under 50 ms).

Times the whole calculation an officer waits for (validating the input, the exact arithmetic, rounding that
reconciles, checks and assumptions), then the renderers on the same result.
"""

from __future__ import annotations

from typing import Any

from benchmarks.timing import median, percentile, report, time_calls

TARGET = 0.050


def envelope(lines: int = 200, years: int = 10) -> dict[str, Any]:
    """A large envelope: 200 lines across 4 commissioners and 50 categories, with every kind of adjustment."""
    return {
        "unit": "£000",
        "base_year": "2025/26",
        "years": years,
        "lines": [
            {
                "category": f"Service {n % 50:02d}",
                "commissioner": f"Commissioner {n % 4}",
                "amount": f"{1000 + n * 37.123:.3f}",
                "pass_through": n % 25 == 0,
                "protected": n % 40 == 0,
            }
            for n in range(lines)
        ],
        "reduction": {"total_percent": "9.5", "profile": "compound"},
        "growth_percent_per_year": "1.2",
        "inflation_percent_per_year": ["2.1"] * years,
        "deflator_percent_per_year": "1.1",
        "investments": [
            {
                "name": "Virtual ward",
                "commissioner": "Commissioner 1",
                "category": "Service 03",
                "amount": 500,
                "from_year": 2,
            }
        ],
        "ring_fences": [{"name": "clinical staffing", "min_percent": 66}],
        "one_off": [{"name": "mobilisation fund", "amount": 1000, "year": 1}],
        "third_sector_share_percent": {"min": 10, "max": 20},
        "savings_target_per_year": {"min": 6000, "max": 7000},
        "printed_totals": {"total": 1},
    }


def main() -> None:
    from tools.envelope.render import envelope_csv, envelope_markdown, envelope_xlsx, to_json
    from tools.envelope.report import compute
    from tools.envelope.schema import spec_from

    data = envelope()
    timings = time_calls(lambda: compute(spec_from(data), places=2), runs=20)
    report("compute 200 lines × 10 years (median)", median(timings), target=TARGET)
    report("compute 200 lines × 10 years (95th percentile)", percentile(timings, 0.95))
    result = compute(spec_from(data), places=0)
    report("Markdown", median(time_calls(lambda: envelope_markdown(result), runs=10)))
    report("CSV", median(time_calls(lambda: envelope_csv(result), runs=10)))
    report("JSON", median(time_calls(lambda: to_json(result), runs=10)))
    report("xlsx workbook", median(time_calls(lambda: envelope_xlsx(result), runs=5)))


if __name__ == "__main__":
    main()
