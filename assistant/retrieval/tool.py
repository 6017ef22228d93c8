"""The paper search as a tool for the agent, the MCP server and `commission tools`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from assistant.retrieval.passages import Passage
from assistant.retrieval.search import check_query, get_retriever
from tools.types import NOT_FOR_MODELS


def search_papers(
    query: str,
    k: Annotated[int, Field(ge=1, le=20, json_schema_extra=NOT_FOR_MODELS)] = 5,
    paper: str | None = None,
    organisation: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[Passage]:
    """Search the commissioning papers for passages that answer a question, with their citations.

    The papers are NHS and council committee and board papers, and any the officer indexed. Use it
    whenever an answer should rest on what a paper says. Quote the passages and give their labels;
    cite nothing the passages do not say.

    Args:
        query: what to look for.
        k: passages wanted, 1 to 20.
        paper: part of a paper's name, e.g. Durham.
        organisation: part of an organisation's name.
        date_from: papers dated on or after this.
        date_to: papers dated on or before this.

    Returns:
        The passages, best first: each with its text, a relevance score and its citation (file, title,
        short name, date, section, paragraph numbers, organisations, body and character offsets).
    """
    from tools.errors import InputError

    if k > 20:
        raise InputError(f"k = {k}: ask for at most 20 passages")
    check_query(query, paper=paper, organisation=organisation)  # before the index is loaded
    return get_retriever().search(
        query, k, paper=paper, organisation=organisation, date_from=date_from, date_to=date_to
    )


AGENT_TOOLS = [search_papers]
