"""Policy assembly: a fixed set of decisions gives the expected sections and clauses, each
traceable to its decision and the peer-review evidence behind it; a deferred topic is an open
item; a changed decision gives a second version with its change list; the Word document reads
back with its headings, clause numbers and appendix, and opens in LibreOffice."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import docx
import pytest

from smpp.models import PolicySettings
from smpp.positions import catalogue, recommended
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.peer_review.records import Evidence
from smpp.stages.policy.assembly import AssemblyError, assemble, changes
from smpp.stages.policy.document import PolicyDocument, Version, policy_docx, policy_html
from tests.document_check import CAN_PRINT, CANNOT_PRINT, pdf_text, print_to_pdf

CLIENT = "Fiorenza Foods"
MADE_AT = datetime(2027, 2, 11, 17, 0)
NORTHPASS = Evidence(
    "Northpass",
    "Only our named spokespeople may speak for Northpass.",
    "https://northpass.example/p",
)
BLUEFJORD = Evidence(
    "Bluefjord",
    "Forward any question from a journalist to the press office.",
    "https://bluefjord.example/p",
)


def decision(topic: str, **fields: str) -> TopicDecision:
    base = TopicDecision(
        topic=topic,
        choice="position",
        position=recommended(topic).id,
        wording="",
        follow_up="",
        owner="",
        due="",
        notes="",
    )
    return TopicDecision(**(base | fields))  # type: ignore[typeddict-item]


def workshop() -> list[TopicDecision]:
    """The recommended position everywhere, but: training deferred, spokespeople with a
    follow-up, and the attendees' own words on politics."""
    chosen = {topic: decision(topic) for topic in catalogue()}
    chosen["E03"] = decision("E03", choice="deferred", position="", notes="Budget first")
    chosen["E06"] = decision(
        "E06", follow_up="Name the three spokespeople", owner="Giulia Rossi", due="2027-03-01"
    )
    chosen["E13"] = decision(
        "E13", choice="own", position="", wording="Fiorenza Foods takes no side in elections."
    )
    return list(chosen.values())


EVIDENCE = {"E06": [NORTHPASS, BLUEFJORD]}


def test_sections_follow_the_five_questions_and_clauses_are_numbered_within_them() -> None:
    policy = assemble(CLIENT, workshop(), PolicySettings(), EVIDENCE, 1)
    assert [s.question for s in policy.sections] == [
        "who",
        "when",
        "identity",
        "routing",
        "reporting",
    ]
    numbers = {c.element: c.number for c in policy.clauses()}
    assert numbers["E01"] == "1.1"
    assert numbers["E04"] == "1.3"  # E03 was deferred: no clause, no gap in the numbering
    assert numbers["E06"] == "2.1"
    assert numbers["E25"] == "5.3"
    assert "E03" not in numbers
    assert len(policy.clauses()) == 24


def test_each_clause_records_its_decision_and_the_evidence_that_takes_the_same_position() -> None:
    policy = assemble(CLIENT, workshop(), PolicySettings(), EVIDENCE, 1)
    clauses = {c.element: c for c in policy.clauses()}
    spokespeople = clauses["E06"]
    assert spokespeople.position == "E06.named-spokespeople"
    assert spokespeople.basis == "Position chosen: Named spokespeople speak for the company"
    # Bluefjord speaks to the topic but takes another position (media to communications).
    assert spokespeople.evidence == (NORTHPASS,)
    assert "Only the people Fiorenza Foods names as its spokespeople" in spokespeople.text
    politics = clauses["E13"]
    assert politics.text == "Fiorenza Foods takes no side in elections."
    assert politics.basis == "Own wording agreed in the workshop"


def test_roles_and_response_times_come_from_the_engagement() -> None:
    settings = PolicySettings(customer_care="the Care Desk", first_response_hours=2)
    policy = assemble(CLIENT, workshop(), settings, {}, 1)
    routing = next(c for c in policy.clauses() if c.element == "E21")
    assert (
        "passed to the Care Desk, which answers it on the official channel within 2 working hours"
        in routing.text
    )
    steps = policy.procedures[0].steps
    assert steps[1].startswith("The Care Desk answers a customer")  # a sentence opens capitalised


def test_deferred_topics_and_follow_ups_are_open_items_never_dropped() -> None:
    policy = assemble(CLIENT, workshop(), PolicySettings(), {}, 1)
    items = {(i.element, i.deferred): i for i in policy.open_items}
    assert set(items) == {("E03", True), ("E06", False)}
    assert items[("E06", False)].owner == "Giulia Rossi"
    assert items[("E06", False)].due == date(2027, 3, 1)
    assert items[("E03", True)].notes == "Budget first"
    # A topic with no decision at all is open too.
    short = [d for d in workshop() if d["topic"] != "E24"]
    missing = assemble(CLIENT, short, PolicySettings(), {}, 1)
    assert any(i.element == "E24" and i.deferred for i in missing.open_items)


def test_a_changed_decision_gives_version_two_with_its_change_list() -> None:
    first = assemble(CLIENT, workshop(), PolicySettings(), EVIDENCE, 1)
    later = workshop()
    later[2] = decision("E03")  # training decided after all
    later[5] = decision("E06", position="E06.media-to-communications")
    second = assemble(CLIENT, later, PolicySettings(), EVIDENCE, 2)
    assert second.version == 2
    assert changes(first, second) == [
        "1.3 Training, certification & education: added (position chosen: training required "
        "before speaking for the company).",
        "2.1 Authorized spokespeople / speaking on behalf of the company: changed (position "
        "chosen: media enquiries go to communications).",
        "Open item closed on Training, certification & education: The topic was left for a "
        "later decision.",
        "Open item closed on Authorized spokespeople / speaking on behalf of the company: Name "
        "the three spokespeople",
    ]
    assert changes(None, first) == ["First version."]
    assert changes(first, first) == ["No change to the text; regenerated from the same decisions."]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"choice": "own", "position": ""}, "own wording was chosen but none is given"),
        ({"position": "E06.nobody"}, "no position 'E06.nobody'"),
        ({"position": "E07.disclaimer-when-discussing-work"}, "another topic's position"),
    ],
)
def test_decisions_the_policy_cannot_be_written_from_are_refused_by_topic(
    fields: dict[str, str], words: str
) -> None:
    decisions = workshop()
    decisions[5] = decision("E06", **fields)
    with pytest.raises(AssemblyError, match=words):
        assemble(CLIENT, decisions, PolicySettings(), {}, 1)


def document(client: str = CLIENT) -> PolicyDocument:
    policy = assemble(client, workshop(), PolicySettings(), EVIDENCE, 2)
    history = (
        Version(1, datetime(2027, 2, 10, 17, 0), ("First version.",)),
        Version(2, MADE_AT, ("2.1 Spokespeople: changed.",)),
    )
    return PolicyDocument(policy, MADE_AT, "Brightline Agency", history, (), date(2028, 2, 11))


def test_the_word_document_reads_back_with_headings_numbered_clauses_and_appendix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(policy_docx(document()))
    read = docx.Document(str(path))
    headings = [
        (p.style.name, p.text) for p in read.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "1. Who this policy covers and who takes part") in headings
    assert (
        "Heading 2",
        "2.1 Authorized spokespeople / speaking on behalf of the company",
    ) in headings
    assert ("Heading 1", "6. Procedures") in headings
    assert ("Heading 2", "6.1 Routing what is said online") in headings
    assert [t for s, t in headings if s == "Heading 1"][-4:] == [
        "Open items",
        "Appendix A: Where each clause comes from",
        "Appendix B: Policy check",
        "Version history",
    ]
    assert read.paragraphs[0].text == CLIENT and read.paragraphs[0].style.name == "Title"
    assert read.core_properties.author == "Brightline Agency"
    assert read.core_properties.revision == 2
    provenance = read.tables[1]
    rows = [[cell.text for cell in row.cells] for row in provenance.rows]
    assert rows[0] == ["Clause", "Topic", "Decision", "Seen among the reviewed companies"]
    spokes = next(r for r in rows if r[0] == "2.1")
    assert spokes[2] == "Position chosen: Named spokespeople speak for the company"
    assert 'Northpass: "Only our named spokespeople may speak for Northpass."' in spokes[3]
    open_items = [[cell.text for cell in row.cells] for row in read.tables[0].rows]
    assert [
        "Training, certification & education",
        "The topic was left for a later decision. (Budget first)",
        "not named yet",
        "no date yet",
    ] in open_items
    assert "w:instrText" in read.element.xml and "TOC" in read.element.xml  # a contents field


def test_hostile_text_is_text_in_the_document_and_escaped_in_the_page() -> None:
    hostile = 'Acme <script>alert(1)</script> & "Co" =HYPERLINK("x") שלום\x07'
    info = document(hostile)
    page = policy_html(info).decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;" in page
    read = docx.Document(__import__("io").BytesIO(policy_docx(info)))
    assert read.paragraphs[0].text == 'Acme <script>alert(1)</script> & "Co" =HYPERLINK("x") שלום'


@pytest.mark.skipif(not CAN_PRINT, reason=CANNOT_PRINT)
def test_the_word_document_opens_in_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "policy.docx"
    source.write_bytes(policy_docx(document()))
    print_to_pdf(tmp_path, source)
    text = pdf_text(tmp_path / "policy.pdf")
    assert "2.1 Authorized spokespeople" in text
    assert "Appendix A: Where each clause comes from" in text
