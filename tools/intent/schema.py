"""What an officer gives the drafter: the statement's facts, as a pydantic model that rejects unknown fields.

Only the guiding principles have defaults (the Southern Derbyshire pattern, Appendix 2 of its paper); every
other field left out becomes a `[To complete: ...]` placeholder in the draft, never an invented fact.

Every list holds at most `MAX_ITEMS` entries and every piece of text at most `MAX_CHARS` characters: far
beyond a real statement, and stated in the schema (`maxItems`, `maxLength`) so clients can check them too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tools.checklist.regime import Buyer, Service
from tools.formatting import long_date
from tools.types import NOT_FOR_MODELS, parse_date

DEFAULT_PRINCIPLES: tuple[str, ...] = (
    "All proposals from providers will need to be consistent with the vision set out in this statement.",
    "As commissioners we commit to open and honest dialogue with providers.",
    "We will be explicit about our non-negotiables.",
    "We will give a timely response when a steer is requested.",
    "We will take a fair approach to sharing risk and reward.",
    "We expect compassion and quality to remain paramount in any service transformation or change.",
)

Kind = Literal["statement of intent", "statement of commissioner requirements"]

MAX_ITEMS = 200
"""The most paragraphs, points, metrics or names in one list of the statement."""
MAX_CHARS = 20_000
"""The most characters in one paragraph, point or name (a long paragraph is 1,000)."""


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _as_list(value: Any) -> Any:
    """One string or a list of strings, with blank entries dropped (the template leaves them empty)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        items = [item.strip() if isinstance(item, str) else item for item in value]
        return [item for item in items if item not in (None, "")]
    return value


def _none_to_empty(value: Any) -> Any:
    return {} if value is None else value


def _principles(value: Any) -> Any:
    """Left out (None): the defaults apply; given, even as an empty list: the officer's own."""
    return None if value is None else _as_list(value)


def _officer_date(value: Any) -> Any:
    value = _blank_to_none(value)
    return None if value is None else parse_date(value)


def _date_as_text(value: Any) -> Any:
    """`by: 2027-03-31` in YAML arrives as a date; officers read it as 31 March 2027."""
    if isinstance(value, date):
        return long_date(value)
    return _blank_to_none(value)


Chars = Annotated[str, Field(max_length=MAX_CHARS)]
Text = Annotated[Chars | None, BeforeValidator(_blank_to_none)]
Items = Annotated[list[Chars], Field(max_length=MAX_ITEMS)]
TextList = Annotated[Items, BeforeValidator(_as_list)]
OfficerDate = Annotated[date | None, BeforeValidator(_officer_date)]


class _Model(BaseModel):
    # Officers write 12000 where text is expected ("population: 12000"); keep it as they wrote it.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Metric(_Model):
    """One measure of impact: what is measured, where it stands and where it should get to."""

    name: Chars = Field(
        description="what is measured, e.g. 'emergency admissions of people aged 85 and over'"
    )
    baseline: Annotated[Text, BeforeValidator(_date_as_text)] = Field(
        default=None, description="where it stands now"
    )
    target: Annotated[Text, BeforeValidator(_date_as_text)] = Field(
        None, description="where it should get to"
    )
    by: Annotated[Text, BeforeValidator(_date_as_text)] = Field(
        default=None, description="when the target is due"
    )
    source: Text = Field(default=None, description="where the baseline comes from")


class Impact(_Model):
    """The desired impact in one area: statements in words, and metrics with baselines and targets."""

    statements: TextList = Field(default_factory=list, description="the impact wanted, in words")
    metrics: list[Metric] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="how it will be measured"
    )


class Characteristic(_Model):
    """A key characteristic of the transformed system, e.g. 'Workforce', with its points."""

    title: Text = Field(default=None, description="a short heading, e.g. 'Community delivery'")
    text: Text = Field(default=None, description="what commissioners want to see")
    points: TextList = Field(default_factory=list, description="the particular changes, as bullet points")


def _characteristic(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Response(_Model):
    """What providers are asked to send back, by when and to whom."""

    asks: TextList = Field(default_factory=list, description="each thing providers are asked to set out")
    deadline: OfficerDate = Field(default=None, description="the date responses are due")
    send_to: Text = Field(default=None, description="the person or mailbox responses go to")


class Procurement(_Model):
    """What decides the procurement regime: who buys, what, and when the procurement starts."""

    buyer: Buyer | None = Field(
        default=None, description="nhs (ICB or NHS England), nhs-trust, council or joint"
    )
    service: Service | None = Field(default=None, description="health, social-care or other")
    start: OfficerDate = Field(
        default=None, description="when the procurement starts (default: the date of issue)"
    )


# Sub-sections left blank in YAML (`response:`) arrive as None; read them as nothing filled in.
_Blank = BeforeValidator(_none_to_empty)


class StatementInput(_Model):
    """Everything the drafter knows about one statement of intent or of commissioner requirements."""

    kind: Kind = Field("statement of intent", description="which document")
    title: Text = Field(
        None,
        description='the document\'s title; default "Statement of intent"',
        json_schema_extra=NOT_FOR_MODELS,
    )
    date: OfficerDate = Field(
        None,
        description="of issue; default the procurement start",
    )
    commissioners: TextList = Field(default_factory=list, description="commissioning organisations")
    providers: TextList = Field(default_factory=list, description="invited to respond")
    area: Text = Field(None, description="place covered")
    population: Text = Field(None, description="as stated")
    background: TextList = Field(default_factory=list, description="paragraphs, with the case for change")
    services_in_scope: TextList = Field(default_factory=list, description="the services in scope")
    services_out_of_scope: TextList = Field(default_factory=list, description="the services out of scope")
    vision: TextList = Field(default_factory=list, description="paragraphs")
    guiding_principles: Annotated[Items | None, BeforeValidator(_principles)] = Field(
        None,
        description="the principles; leave out to use the Southern Derbyshire defaults",
        json_schema_extra=NOT_FOR_MODELS,
    )
    key_characteristics: list[Annotated[Characteristic, BeforeValidator(_characteristic)]] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="key characteristics of the transformed system: {title, text, points}, or just text",
        json_schema_extra=NOT_FOR_MODELS,
    )
    impact_on_flows_and_pathways: Annotated[Impact, _Blank] = Field(
        default_factory=Impact,
        description="the impact wanted on flows and pathways: statements and metrics",
        json_schema_extra=NOT_FOR_MODELS,
    )
    impact_on_peoples_experience: Annotated[Impact, _Blank] = Field(
        default_factory=Impact,
        description="the impact wanted on people's experience: statements and metrics",
        json_schema_extra=NOT_FOR_MODELS,
    )
    impact_on_cost_and_efficiency: Annotated[Impact, _Blank] = Field(
        default_factory=Impact,
        description="the impact wanted on cost and efficiency: statements and metrics",
        json_schema_extra=NOT_FOR_MODELS,
    )
    envelope_file: Text = Field(
        None, description="the envelope tool's JSON output or its YAML input, as a file"
    )
    envelope_notes: TextList = Field(default_factory=list, description="paragraphs on money")
    timeline_file: Text = Field(
        None,
        description="the timeline tool's JSON output, or a timeline to plan (route, start or go_live), "
        "as a file",
    )
    governance: TextList = Field(
        default_factory=list,
        description="paragraphs: who decides, reporting",
    )
    response: Annotated[Response, _Blank] = Field(
        default_factory=Response,
        description="{asks, deadline, send_to}",
    )
    right_to_revert: Text = Field(
        None,
        description="when commissioners would revert to competition",
    )
    procurement: Annotated[Procurement, _Blank] = Field(
        default_factory=Procurement,
        description="{buyer, service, start}",
    )

    def principles(self) -> list[str]:
        """The principles given, or the Southern Derbyshire defaults when the field is left out."""
        return list(DEFAULT_PRINCIPLES) if self.guiding_principles is None else self.guiding_principles
