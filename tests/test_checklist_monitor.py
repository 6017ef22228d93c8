"""The Monitor questions check: the Sheffield appendix, thin and partial papers, locations, applicability."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import KNOWLEDGE
from tools.checklist import check_monitor_questions
from tools.checklist.evidence import Sentence, normalise, shows
from tools.checklist.monitor_data import QUESTIONS, REGULATION_CHECKS
from tools.errors import InputError, UnreadableFileError

SHEFFIELD = KNOWLEDGE / "sheffield-2015-active-support-and-recovery-procurement-approach.txt"
CALDERDALE = KNOWLEDGE / "calderdale-2020-integrated-approach-to-procurement.txt"
DERBYSHIRE = KNOWLEDGE / "southern-derbyshire-collaborative-commissioning-statement-of-intent.txt"

THIN = "Report\n\nThe incumbent provider has always done well; we recommend extending it.\n"
PARTIAL = """Community Nursing: Procurement Approach

1.1 We carried out a health needs assessment of the population, drawing on the JSNA.
1.2 Patients and carers were consulted through a survey and two focus groups.
1.3 The service will stay sustainable because providers keep long term contracts.
"""


def _statuses(result):
    return tuple(question.status for question in result.questions)


@pytest.fixture(scope="module")
def sheffield():
    return check_monitor_questions(str(SHEFFIELD))


@pytest.mark.parametrize("number", range(1, 8), ids=[f"question-{n}" for n in range(1, 8)])
def test_sheffield_appendix_evidences_every_question(sheffield, number):
    question = sheffield.questions[number - 1]
    assert question.number == number
    assert question.status == "evidenced", question.missing
    assert question.missing == []
    assert any(item.location.startswith(f"answer to question {number}, line ") for item in question.evidence)


def test_sheffield_questions_are_worded_as_its_appendix_puts_them(sheffield):
    appendix = re.sub(r"<[^>]+>", "", SHEFFIELD.read_text(encoding="utf-8"))
    for question in sheffield.questions:
        assert question.question.rstrip("?.") in appendix


def test_every_quote_is_the_papers_own_words(sheffield):
    paper = " ".join(re.sub(r"<[^>]+>", " ", SHEFFIELD.read_text(encoding="utf-8")).split())
    for check in (*sheffield.questions, *sheffield.regulation_checks):
        for item in check.evidence:
            assert item.quote.removesuffix(" …") in paper


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("value_for_money", "evidenced"),
        ("single_capable_provider", "missing"),
        ("conflicts_of_interest", "missing"),
        ("award_record", "missing"),
        ("anti_competitive", "missing"),
    ],
)
def test_sheffield_wider_regulation_checks(sheffield, key, status):
    check = next(check for check in sheffield.regulation_checks if check.key == key)
    assert check.status == status


def test_sheffield_is_dated_from_the_paper_and_not_historical(sheffield):
    assert sheffield.procurement_date == date(2015, 9, 3)
    assert sheffield.date_source == "printed in the paper, line 10"
    assert sheffield.historical is None


def test_a_thin_paper_evidences_almost_nothing():
    result = check_monitor_questions(THIN)
    assert _statuses(result).count("missing") >= 6
    assert "evidenced" not in _statuses(result)
    assert all(question.missing for question in result.questions)


def test_a_partial_paper_names_what_is_missing_and_what_to_add():
    result = check_monitor_questions(PARTIAL)
    first = result.questions[0]
    assert first.status == "partial"
    assert first.found == ["a needs assessment", "engagement with the public or patients"]
    assert [item.split(":")[0] for item in first.missing] == ["clinical input", "evidence of best practice"]
    assert "NICE" in first.missing[1]
    assert [item.location for item in first.evidence] == ["paragraph 1.1, line 3", "paragraph 1.2, line 4"]
    assert result.questions[2].status == "partial"
    assert _statuses(result)[3:] == ("missing",) * 4


def test_the_questions_alone_are_not_evidence_of_their_answers():
    paper = "\n\n".join(check.question for check in QUESTIONS)
    assert _statuses(check_monitor_questions(paper)) == ("missing",) * 7


@pytest.mark.parametrize(
    ("paper", "statuses"),
    [
        (CALDERDALE, ("partial", "evidenced", "partial", "partial", "partial", "partial", "partial")),
        (DERBYSHIRE, ("partial", "partial", "partial", "partial", "partial", "missing", "missing")),
    ],
    ids=["calderdale", "southern-derbyshire"],
)
def test_papers_that_weigh_the_duties_without_answering_them_are_partly_evidenced(paper, statuses):
    assert _statuses(check_monitor_questions(str(paper))) == statuses


def test_a_numbered_paragraph_is_the_location():
    result = check_monitor_questions(str(DERBYSHIRE))
    anti_competitive = next(check for check in result.regulation_checks if check.key == "anti_competitive")
    assert anti_competitive.status == "evidenced"
    assert anti_competitive.evidence[0].location == "paragraph 2.1, line 62"


ELEMENTS = {element.name: element for check in (*QUESTIONS, *REGULATION_CHECKS) for element in check.elements}


@pytest.mark.parametrize(
    ("sentence", "element", "expected"),
    [
        ("GPs advised on the model at three design workshops.", "clinical input", True),
        ("NHS Calderdale Clinical Commissioning Group agreed the report.", "clinical input", False),
        ("General practice will be part of the teams.", "clinical input", False),
        (
            "The NHS Procurement, Patient Choice and Competition Regulations apply.",
            "a commitment to patient choice",
            False,
        ),
        ("Patients will keep a choice of provider.", "a commitment to patient choice", True),
        ("Care will be person-centred.", "a holistic view of users' needs", True),
        (
            "All providers were given equal opportunity to bid.",
            "treating providers equally and without discrimination",
            True,
        ),
        ("We consulted patients and carers.", "engagement with the public or patients", True),
        ("The consultant reviewed the community offer.", "engagement with the public or patients", False),
        ("No other provider is capable of providing it.", "the single capable provider justification", True),
        (
            "There is no single provider of the full range.",
            "the single capable provider justification",
            False,
        ),
        ("Members declared conflicts of interest.", "conflicts of interest identified and managed", True),
    ],
)
def test_phrases_and_synonyms(sentence, element, expected):
    assert shows(ELEMENTS[element], Sentence(sentence, normalise(sentence), "line 1")) is expected


def test_a_duty_restated_is_not_evidence_that_it_was_met():
    result = check_monitor_questions("Commissioners must treat all providers equally and act transparently.")
    assert result.questions[6].status == "missing"


@pytest.mark.parametrize(
    ("start", "buyer", "service", "historical"),
    [
        ("2023-12-31", "nhs", "health", False),
        ("2024-01-01", "nhs", "health", True),
        ("2024-01-01", "joint", "health", True),
        ("2024-01-01", None, None, True),
        ("2024-01-01", "council", "health", False),
        ("2024-01-01", "nhs", "social-care", False),
    ],
)
def test_procurements_from_2024_for_nhs_health_care_are_historical(start, buyer, service, historical):
    result = check_monitor_questions(THIN, start=start, buyer=buyer, service=service)
    assert (result.historical is not None) is historical
    if historical:
        assert "commission checklist psr" in (result.historical or "")


def test_a_2024_date_printed_in_the_paper_makes_the_questions_historical():
    result = check_monitor_questions("Governing Body, 4 March 2024\n\n" + THIN)
    assert result.procurement_date == date(2024, 3, 4)
    assert "printed in the paper, line 1" in (result.historical or "")


def test_a_misprinted_date_in_the_paper_is_passed_over():
    result = check_monitor_questions("Meeting of 31 February 2024, papers of 5 January 2024\n\n" + THIN)
    assert result.procurement_date == date(2024, 1, 5)


def test_local_authorities_were_not_bound():
    result = check_monitor_questions(THIN, start=date(2019, 5, 1), buyer="council", service="health")
    assert any("Local authorities were not bound" in note for note in result.notes)


def test_a_file_path_and_the_text_give_the_same_answers(tmp_path):
    path = tmp_path / "paper.md"
    path.write_text(PARTIAL, encoding="utf-8")
    from_file = check_monitor_questions(str(path)).model_dump(exclude={"source"})
    assert from_file == check_monitor_questions(PARTIAL).model_dump(exclude={"source"})


def test_a_word_paper_is_read(tmp_path):
    from docx import Document

    document = Document()
    for line in PARTIAL.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "paper.docx"
    document.save(str(path))
    result = check_monitor_questions(str(path))
    assert _statuses(result) == _statuses(check_monitor_questions(PARTIAL))
    assert result.questions[0].evidence[0].location.startswith("paragraph 1.1, line ")


def test_a_yaml_of_answers_is_checked_answer_by_answer(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "title: Community nursing\nstart: 2019-06-01\n"
        "needs_assessment: The JSNA sets out health needs. GPs advised at design workshops.\n"
        "patient_choice: Patients keep a choice of provider through personal budgets.\n",
        encoding="utf-8",
    )
    result = check_monitor_questions(str(path))
    assert result.source == "Community nursing"
    assert _statuses(result) == (
        "partial",
        "missing",
        "missing",
        "missing",
        "evidenced",
        "missing",
        "missing",
    )
    assert result.questions[0].evidence[0].location == "answer needs_assessment"


@pytest.mark.parametrize(
    ("write", "arguments", "error", "message"),
    [
        (None, {"paper": "   "}, InputError, "paper: is empty"),
        (None, {"paper": "missing.docx"}, UnreadableFileError, "missing.docx: no such file"),
        ("paper.doc", {}, UnreadableFileError, "unsupported file type .doc"),
        ("empty.txt", {}, UnreadableFileError, "has no text"),
        ("answers.yaml", {}, InputError, "unknown field 'needs_asessment'"),
        (None, {"paper": THIN, "buyer": "hospital"}, InputError, "buyer: 'hospital'"),
        (None, {"paper": THIN, "service": "dentistry"}, InputError, "service: 'dentistry'"),
        (None, {"paper": THIN, "start": "soon"}, InputError, "start: 'soon' is not a date"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_or_file(tmp_path, write, arguments, error, message):
    if write:
        path = tmp_path / write
        content = {"answers.yaml": "needs_asessment: JSNA\n", "paper.doc": "text"}.get(write, "")
        path.write_text(content, encoding="utf-8")
        arguments = {"paper": str(path)}
    with pytest.raises(error, match=re.escape(message)):
        check_monitor_questions(**arguments)


def test_a_yaml_that_answers_nothing_is_refused(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("title: Nothing yet\n", encoding="utf-8")
    with pytest.raises(InputError, match="answers no question"):
        check_monitor_questions(str(path))


# A hard-wrapped paper: the clinical input sentence runs over lines 4 and 5, so neither line alone has
# both "tested" and "clinicians"; the heading on line 1 mentions integration but is not evidence of it.
WRAPPED = """# Integrated falls service

The CCG carried out a health needs assessment of the population, drawing on the
JSNA and local falls data. Before choosing a provider, the CCG tested the proposed model with
clinicians from member practices at two workshops in March 2019. Patients and
carers were consulted through a survey.
"""
WRAPPED_SENTENCE = (
    "Before choosing a provider, the CCG tested the proposed model with clinicians from member practices "
    "at two workshops in March 2019."
)


def test_a_sentence_wrapped_over_two_lines_is_matched_and_quoted_whole():
    first = check_monitor_questions(WRAPPED).questions[0]
    assert "clinical input" in first.found
    clinical = next(item for item in first.evidence if "clinical input" in item.elements)
    assert clinical.quote == WRAPPED_SENTENCE
    assert clinical.location == "line 4"  # the line where the sentence starts
    engagement = next(
        item for item in first.evidence if "engagement with the public or patients" in item.elements
    )
    assert engagement.quote == "Patients and carers were consulted through a survey."
    assert engagement.location == "line 5"


def test_a_wrapped_numbered_paragraph_keeps_its_number():
    paper = (
        "1.1 Before choosing a provider, the CCG tested the proposed model with\n"
        "clinicians from member practices at two workshops.\n"
    )
    clinical = check_monitor_questions(paper).questions[0].evidence[0]
    assert clinical.location == "paragraph 1.1, line 1"
    assert clinical.quote.endswith("with clinicians from member practices at two workshops.")


@pytest.mark.parametrize(
    "heading",
    [
        "# Integrated falls service",
        "Integrated falls service",
        "**Integrated Falls Service**",
        "Integrated falls service\n========================",
    ],
    ids=["markdown", "short-line", "bold", "underlined"],
)
def test_a_heading_is_not_evidence(heading):
    result = check_monitor_questions(f"{heading}\n\n{THIN}")
    quotes = [
        item.quote for check in (*result.questions, *result.regulation_checks) for item in check.evidence
    ]
    assert not any("falls service" in quote.lower() for quote in quotes)
    assert "the integrated or collaborative model" not in result.questions[3].found


def test_a_heading_leading_a_wrapped_paragraph_is_left_out_of_its_first_sentence():
    paper = (
        "Integrated falls service\n"
        "The CCG tested the proposed model with clinicians from member practices at two workshops\n"
        "held in March 2019, and the workshops shaped the service specification.\n"
    )
    clinical = check_monitor_questions(paper).questions[0].evidence[0]
    assert clinical.quote.startswith("The CCG tested")
    assert clinical.location == "line 2"
    assert "the integrated or collaborative model" not in check_monitor_questions(paper).questions[3].found


def test_a_year_starting_a_wrapped_line_is_not_a_paragraph_number():
    paper = "1.1 The needs assessment was refreshed in\n2019. Carers were consulted through a survey.\n"
    evidence = check_monitor_questions(paper).questions[0].evidence
    assert [item.location for item in evidence] == ["paragraph 1.1, line 1", "paragraph 1.1, line 2"]
    assert evidence[0].quote == "The needs assessment was refreshed in 2019."


def test_a_short_answer_without_a_full_stop_is_still_evidence(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("needs_assessment: JSNA and GP design workshops\n", encoding="utf-8")
    first = check_monitor_questions(str(path)).questions[0]
    assert first.found == ["a needs assessment", "clinical input"]


@pytest.mark.parametrize(
    ("start", "buyer", "advertising"),
    [
        ("2016-04-17", "nhs", False),  # still under PCR 2015 reg 120's exemption
        ("2016-04-18", "nhs", True),
        ("2019-05-01", "joint", True),
        ("2023-12-31", "nhs", True),
        ("2019-05-01", "council", False),
        ("2019-05-01", "nhs-trust", False),
    ],
)
def test_ccg_procurements_from_18_april_2016_had_pcr_light_touch_advertising_duties(
    start, buyer, advertising
):
    notes = " ".join(check_monitor_questions(THIN, start=start, buyer=buyer, service="health").notes)
    assert ("PCR 2015 reg 75(1)" in notes) is advertising
    if advertising:
        assert "contract notice or a prior information notice" in notes
        assert "reg 32" in notes


def test_ccg_procurements_before_18_april_2016_stayed_under_the_2006_regulations():
    notes = " ".join(
        check_monitor_questions(THIN, start=date(2015, 6, 1), buyer="nhs", service="health").notes
    )
    assert "PCR 2015 reg 120" in notes
    assert "2006 Regulations" in notes


def test_nhs_trusts_were_not_bound_by_the_2013_regulations():
    result = check_monitor_questions(THIN, start=date(2019, 5, 1), buyer="nhs-trust", service="health")
    assert any("not relevant bodies, so the regulations did not bind them" in note for note in result.notes)
    assert result.historical is None


def test_the_monitor_table_gives_every_check_a_sourced_rule_of_the_2013_regulations():
    from tools.checklist.monitor_data import RULES

    assert len(RULES) == len(QUESTIONS) + len(REGULATION_CHECKS) == 12
    assert {rule.regime for rule in RULES.values()} == {"pccr2013"}
    assert RULES["pccr2013.monitor.q1"].summary == QUESTIONS[0].question
    assert "Sheffield CCG Governing Body" in RULES["pccr2013.monitor.q1"].source
    assert RULES["pccr2013.reg3-3"].status == "confirmed"
    assert "most capable of delivering the objective" in (RULES["pccr2013.reg3-3"].quote or "")


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda data: data["questions"][0].update(elements=["needz"]), "['needz'] are not under `elements`"),
        (lambda data: data["elements"]["needs"].update(colour="red"), "colour"),
        (lambda data: data["questions"][1].update(number=9), "numbered 1, 2, 3"),
    ],
    ids=["unknown-element", "unknown-key", "out-of-order"],
)
def test_a_bad_monitor_table_fails_naming_the_file(edit, named):
    import copy

    from tools.checklist.monitor_data import MonitorTable
    from tools.rules import RuleDataError, parse_table, read_table

    data = copy.deepcopy(read_table("tools.checklist", "monitor.yaml"))
    edit(data)
    with pytest.raises(RuleDataError, match=re.escape(named)) as raised:
        parse_table(data, MonitorTable, where="tools/checklist/monitor.yaml")
    assert str(raised.value).startswith("tools/checklist/monitor.yaml: ")
