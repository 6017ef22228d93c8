"""The paper search as a tool for the agent, the MCP server and `commission tools`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from assistant.retrieval.passages import Passage
from assistant.retrieval.search import check_query, get_retriever


def search_papers(
    query: str,
    k: Annotated[int, Field(ge=1, le=20)] = 5,
    paper: str | None = None,
    organisation: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[Passage]:
    """Search the commissioning papers (committee and board papers of NHS commissioners and councils,
    plus any papers the officer has indexed) and return the passages that best answer the query, each
    with a citation such as "County Durham, 9 November 2017, para 39".

    Use it whenever an answer should rest on what a paper says: precedents, funding envelopes, procurement
    routes and the regulations they relied on, risks, timelines, contracting models. Quote the passages and
    give their citation labels; do not cite anything the passages do not say. Search finds both exact terms
    ("TUPE", "Regulation 3", "£44m") and the same idea in other words.

    Args:
        query: what to look for, in plain words or the paper's own terms, e.g. "estates pass through cost"
            (at most 2,000 characters).
        k: how many passages to return, best first (1 to 20; default 5).
        paper: only this paper: any part of its short name, title or file name, e.g. "Durham" or "B&NES".
        organisation: only papers from this organisation: any part of its name, e.g. "Calderdale" or "CCG".
        date_from: only papers dated on or after this date (YYYY-MM-DD); undated papers are left out.
        date_to: only papers dated on or before this date (YYYY-MM-DD); undated papers are left out.

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
