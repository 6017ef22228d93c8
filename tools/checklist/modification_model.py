"""What `check_modification` returns: a pydantic model whose JSON is the contract, with readable Markdown."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.checklist.modification_data import ModificationRegime


class Reason(BaseModel):
    """One step of the reasoning: the rule applied and what it says about these figures."""

    rule: str = Field(description="the id of the rule applied")
    regulation: str = Field(
        description="the provision, labelled UNCONFIRMED unless confirmed from the statute"
    )
    message: str


class ModificationResult(BaseModel):
    """Whether a contract modification may be made without a new procurement, and the notice it needs."""

    regime: ModificationRegime
    permitted: bool | None = Field(
        description="true or false where the figures decide it; null where it turns on facts to check"
    )
    notice_required: bool
    notice: str | None = Field(description="the notice to publish, or null when none is needed")
    reasons: list[Reason]
