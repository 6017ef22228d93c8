"""Cutting papers along their structure: headings, numbered paragraphs, lists, tables, offsets."""

from __future__ import annotations

import pytest

from assistant.retrieval import chunking
from assistant.retrieval.chunking import chunk_text
from assistant.retrieval.lines import classify_lines

DURHAM_STYLE = """Committee Report

9 November 2017

Governance

- 38 Significant work has been undertaken to inform the development of the financial envelope.

39 The value of services being procured is in the region of £44m across County Durham with approximately
66% of the service value designated for clinical

staffing. Providers will be required to demonstrate how spend on clinical service delivery increases.

- 40 The estates costs for the procurement will be treated as a 'pass-through' cost for the provider.

Timelines

48 The timelines for the procurement process are set out below:

Publication of tender\tEarly November 2017
Service Commences\tOctober 2018
"""

DERBYSHIRE_STYLE = """SUMMARY

- 1.1 Derby City Health and Wellbeing Board has agreed a draft vision for services.
- 1.2 Although originally focussed on the frail and elderly, it now covers all care.

Environmental Sustainability

7.1 N/A
"""

MARKDOWN_STYLE = """# Report to Scrutiny Board

## **2. Procurement in Calderdale**

### **a) Procurement in Calderdale CCG**

Contrary to common belief, the PCCR does not require the Commissioner to tender.

b) Where we have used it

The following are examples where procurement has been used:

- a) Enhanced Community Living Services
- b) Mental Health Telephone Service

## **7. Options Appraisal**

Not applicable
"""


def _find(chunks: list[chunking.Chunk], words: str) -> chunking.Chunk:
    return next(chunk for chunk in chunks if words in chunk.text)


@pytest.mark.parametrize(
    ("text", "words", "section", "paragraphs"),
    [
        pytest.param(DURHAM_STYLE, "£44m", "Governance", ("38", "39", "40"), id="durham-numbered-paragraphs"),
        pytest.param(
            DURHAM_STYLE, "Service Commences", "Timelines", ("48",), id="table-stays-with-its-lead-in"
        ),
        pytest.param(DERBYSHIRE_STYLE, "draft vision", "SUMMARY", ("1.1", "1.2"), id="decimal-paragraphs"),
        pytest.param(
            DERBYSHIRE_STYLE, "N/A", "Environmental Sustainability", ("7.1",), id="short-numbered-line"
        ),
        pytest.param(
            MARKDOWN_STYLE,
            "PCCR does not require",
            "2. Procurement in Calderdale — a) Procurement in Calderdale CCG",
            (),
            id="markdown-headings",
        ),
        pytest.param(
            MARKDOWN_STYLE,
            "Mental Health Telephone",
            "2. Procurement in Calderdale — b) Where we have used it",
            (),
            id="lettered-plain-heading",
        ),
        pytest.param(
            MARKDOWN_STYLE, "Not applicable", "7. Options Appraisal", (), id="empty-heading-is-text"
        ),
    ],
)
def test_chunks_record_section_and_paragraphs(
    text: str, words: str, section: str, paragraphs: tuple[str, ...]
) -> None:
    chunk = _find(chunk_text(text), words)
    assert chunk.section == section
    assert chunk.paragraphs == paragraphs


def test_a_page_break_continuation_stays_with_its_paragraph() -> None:
    chunk = _find(chunk_text(DURHAM_STYLE), "£44m")
    assert "clinical\nstaffing. Providers" in chunk.text


def test_a_list_stays_with_the_sentence_that_introduces_it() -> None:
    chunk = _find(chunk_text(MARKDOWN_STYLE), "examples where procurement")
    assert "Mental Health Telephone Service" in chunk.text


def test_offsets_point_at_the_passage_in_the_text() -> None:
    for chunk in chunk_text(DURHAM_STYLE):
        span = DURHAM_STYLE[chunk.start : chunk.end]
        assert span.split()[:3] == chunk.text.split()[:3]
        assert span.split()[-1] == chunk.text.split()[-1]


def test_a_date_line_is_not_a_numbered_paragraph() -> None:
    kinds = {line.text: (line.kind, line.paragraph) for line in classify_lines(DURHAM_STYLE)}
    assert kinds["9 November 2017"] == ("text", None)


def test_chunks_never_cross_a_heading() -> None:
    text = "First Heading\n\nOne short paragraph.\n\nSecond Heading\n\nAnother short paragraph.\n"
    chunks = chunk_text(text)
    assert [(c.section, c.text) for c in chunks] == [
        ("First Heading", "First Heading\nOne short paragraph."),
        ("Second Heading", "Second Heading\nAnother short paragraph."),
    ]


def test_a_long_paragraph_is_split_between_sentences_and_keeps_its_number() -> None:
    sentence = "The commissioners will review the contract every year with the providers. "
    text = "Finance\n\n12 " + sentence * 40 + "\n"
    chunks = chunk_text(text)
    assert len(chunks) > 1
    assert all(c.paragraphs == ("12",) for c in chunks)
    assert all(len(c.text) <= chunking.MAX_CHARS for c in chunks)
    assert all(c.text.rstrip().endswith(".") for c in chunks)


def test_a_long_table_repeats_its_header_row_in_every_piece() -> None:
    rows = "\n".join(
        f"Service line {n}\tLocality level with a longer description of delivery" for n in range(60)
    )
    text = "Services\n\nTable 1: Services in scope\nService Line\tModel of delivery\n" + rows + "\n"
    chunks = chunk_text(text)
    assert len(chunks) > 1
    assert all(
        c.text.startswith("Services\nTable 1: Services in scope\nService Line | Model of delivery")
        or c.text.startswith("Table 1: Services in scope\nService Line | Model of delivery")
        for c in chunks
    )
    assert "Service line 59 | Locality level" in chunks[-1].text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        pytest.param(
            "<p>Approval. The paper <u>not</u> asking</p>", "Approval. The paper not asking", id="html"
        ),
        pytest.param(
            "The ***your care, your way*** programme", "The your care, your way programme", id="emphasis"
        ),
        pytest.param(
            "| **Meeting Date** | 20 August 2020 |", "Meeting Date | 20 August 2020", id="pipe-table"
        ),
    ],
)
def test_markup_is_removed_from_passage_text(raw: str, clean: str) -> None:
    assert chunk_text(f"Heading\n\n{raw}\n")[0].text.splitlines()[-1] == clean


def test_an_empty_text_has_no_chunks() -> None:
    assert chunk_text("\n\n  \n") == []


def _bundled(name: str) -> list[chunking.Chunk]:
    from tests.conftest import KNOWLEDGE
    from tools.documents import read_document

    return chunk_text(read_document(next(KNOWLEDGE.glob(f"{name}*.txt"))))


def _label(chunk: chunking.Chunk) -> str:
    from assistant.retrieval.passages import Citation

    citation = Citation(
        file="f.txt",
        title="T",
        short="S",
        date="2015-08",
        section=chunk.section,
        paragraphs=list(chunk.paragraphs),
        part=chunk.part,
        start=chunk.start,
        end=chunk.end,
    )
    return citation.label.removeprefix("S, August 2015, ")


def test_the_unheaded_sheffield_appendix_is_appendix_1() -> None:
    chunks = _bundled("sheffield")
    monitor = [c for c in chunks if "acted transparently" in c.text or "holistic view" in c.text]
    assert monitor and {c.section for c in monitor} == {"Appendix 1"}
    assert all(_label(c).startswith("Appendix 1, part ") for c in monitor)
    assert not any("Appendix 1" in c.text.splitlines()[0] for c in monitor)  # the name is not in the text
    recommendations = [c for c in chunks if c.section == "4.0 Recommendations"]
    assert recommendations and all("Consideration" not in c.text for c in recommendations)


def test_the_banes_envelope_passages_have_labels_of_their_own() -> None:
    envelope = [c for c in _bundled("banes") if c.section.endswith("5.4 The Funding Envelope")]
    assert [_label(c) for c in envelope] == [
        f"5.4 The Funding Envelope, part {n} of {len(envelope)}" for n in range(1, len(envelope) + 1)
    ]


@pytest.mark.parametrize(
    "paper", ["banes", "calderdale", "county-durham", "sheffield", "southern-derbyshire"]
)
def test_no_two_passages_of_a_paper_share_a_label(paper: str) -> None:
    labels = [_label(c) for c in _bundled(paper)]
    assert len(labels) == len(set(labels))


def test_a_paragraph_split_in_two_is_numbered_by_part() -> None:
    long = "39 " + " ".join(
        f"Sentence {n} of the paragraph is long enough to matter here." for n in range(40)
    )
    chunks = chunk_text(f"Governance\n\n{long}\n")
    assert len(chunks) > 1
    assert [_label(c) for c in chunks] == [
        f"para 39, part {n} of {len(chunks)}" for n in range(1, len(chunks) + 1)
    ]
