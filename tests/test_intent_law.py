"""The draft's wording follows the regime and route the timeline gives: every route, read whole.

For each route the timeline tool plans, a statement under that route's regime is drafted in full and read
sentence by sentence: a competition is never offered as something to "revert" to when it is already the
route, collaboration is never "instead of competing" when the route is a competition, no other regime's
process is named, and the governing regulation is cited once.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.test_intent_inputs import ENVELOPE, statement
from tools.intent import Envelope, StatementInput, Timeline, build_draft
from tools.intent.approach import APPROACHES
from tools.intent.render_md import render_markdown
from tools.regimes import REGIMES
from tools.timeline import plan_timeline
from tools.timeline.rules import ROUTES

# A procurement each regime governs: (issue date, who buys, the service).
UNDER = {
    "psr2023": ("2026-09-01", "joint", "health"),
    "pa2023": ("2026-09-01", "council", "social-care"),
    "pcr2015": ("2023-06-01", "council", "social-care"),
    "pccr2013": ("2023-06-01", "nhs", "health"),
}

# What a competition never says of itself, and what a route that is not one never says.
NOT_FOR_A_COMPETITION = (
    "instead of competing",
    "instead of through a competitive",
    "without a competitive",
    "revert to a competitive",
    "non-competitive",
)
NOT_WITHOUT_ONE = (
    "through the competitive process",
    "through a competitive tendering procedure",
    "end the competitive process",
    "tenders will be",
    "offers will be assessed",
)
# Another regime's processes, which a draft under this one never names.
OTHER_REGIMES_WORDS = {
    "psr2023": ("tendering procedure", "tender notice", "open procedure", "light touch"),
    "pa2023": ("most suitable provider", "direct award process", "key criteria", "PSR 2023"),
    "pcr2015": ("most suitable provider", "direct award process", "tendering procedure", "PSR 2023"),
    "pccr2013": ("most suitable provider", "direct award process", "tendering procedure", "PSR 2023"),
}


def draft_for(route: str, **changes: Any) -> str:
    regime = ROUTES[route].regime
    issued, buyer, service = UNDER[regime]
    data = statement(date=issued, procurement={"buyer": buyer, "service": service}, **changes)
    data.pop("envelope_file")
    data.pop("timeline_file")
    planned = plan_timeline(route, start=issued, value=2_400_000)
    timeline = Timeline.model_validate(planned.model_dump(mode="json"))
    draft = build_draft(StatementInput.model_validate(data), envelope=Envelope(**ENVELOPE), timeline=timeline)
    return render_markdown(draft)


def sentences(markdown: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.:;])\s+|\n", markdown) if s.strip()]


def body(markdown: str) -> str:
    """Sections 1 to 12, without the appendix (which quotes the rule behind each stage)."""
    return markdown.split("## Appendix A.")[0]


def test_every_route_has_its_wording():
    assert set(APPROACHES) == set(ROUTES)


@pytest.mark.parametrize("route", list(ROUTES))
def test_no_sentence_contradicts_the_route(route):
    markdown = draft_for(route)
    forbidden = NOT_FOR_A_COMPETITION if APPROACHES[route].competitive else NOT_WITHOUT_ONE
    forbidden += OTHER_REGIMES_WORDS[ROUTES[route].regime]
    found = [(phrase, s) for s in sentences(markdown) for phrase in forbidden if phrase.lower() in s.lower()]
    assert found == []
    assert APPROACHES[route].approach in " ".join(markdown.split()) or route == "collaborative"


@pytest.mark.parametrize("route", list(ROUTES))
def test_each_governing_regulation_is_named_once(route):
    text = body(draft_for(route))
    # The regime check's bullets in section 12 name each regime once, with its regulation and why it
    # governs; no other sentence of the draft names it again.
    bullets = [line for line in text.split("## 12.")[1].splitlines() if line.startswith("- ")]
    rest = "\n".join(line for line in text.splitlines() if line not in bullets)
    governing = {ROUTES[route].regime} | ({"pcr2015"} if route == "collaborative" else set())
    assert len(bullets) == len(governing)
    for regime in governing:
        assert sum(bullet[2:].startswith(REGIMES[regime].name) for bullet in bullets) == 1
        assert REGIMES[regime].name not in rest


def test_psr_competitive_the_case_the_issue_found():
    markdown = draft_for("psr-competitive")
    assert "instead of through a competitive tender" not in markdown
    assert "revert to a competitive procurement" not in markdown
    assert "instead of competing" not in markdown
    assert (
        "The commissioners reserve the right to end the competitive process without awarding a contract if "
        "sufficient progress is not evident."
    ) in markdown
    assert "The timetable below follows the competitive process." in markdown


@pytest.mark.parametrize(
    ("route", "revert"),
    [
        (
            "collaborative",
            "revert to a competitive procurement process if sufficient progress is not evident.",
        ),
        ("psr-msp", "abandon the most suitable provider process and follow the competitive process instead"),
        ("psr-direct-c", "follow the most suitable provider process or the competitive process instead"),
        ("pa-direct-award", "run a competitive tendering procedure instead if sufficient progress"),
        ("pa-light-touch", "end the procurement without awarding a contract if sufficient progress"),
    ],
)
def test_the_right_to_revert_follows_the_route(route, revert):
    section = draft_for(route).split("## 12.")[1]
    assert revert in section


def test_without_a_condition_a_competition_asks_when_it_may_stop():
    markdown = draft_for("psr-competitive", right_to_revert=None)
    assert "[To complete: whether, and when, the commissioners may end the process]" in markdown


def test_a_timetable_under_another_regime_is_a_gap():
    # A PSR procurement (joint, health, 2026) with a timetable planned under the Procurement Act.
    data = statement(date="2026-09-01", procurement={"buyer": "joint", "service": "health"})
    data.pop("envelope_file")
    data.pop("timeline_file")
    planned = plan_timeline("pa-open", start="2026-09-01")
    draft = build_draft(
        StatementInput.model_validate(data), timeline=Timeline.model_validate(planned.model_dump(mode="json"))
    )
    assert [gap.needed for gap in draft.gaps if gap.field == "timeline_file"] == [
        "a timetable under the regime that governs the procurement, not the Procurement Act 2023"
    ]
