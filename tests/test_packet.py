"""The workshop packet's content and its three documents, read back: the packet workbook, the
HTML document and the consensus workbook, from the demo's recorded engagement and from hostile
inputs."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from smpp.models import EngagementError, parse_engagement
from smpp.positions import matching, positions
from smpp.scenario import load_scenario, stale_figures
from smpp.simulation import demo_engagement
from smpp.stages.packet.consensus_workbook import (
    COLUMNS,
    DECISION_DEFERRED,
    DECISION_OWN,
    FORM,
    SHEET,
    build_consensus_workbook,
)
from smpp.stages.packet.content import Packet, agenda_total, build_packet
from smpp.stages.packet.document import render_packet_document
from smpp.stages.packet.performers import packet_from_record
from smpp.stages.packet.workbook import SHEETS, TOPIC_HEADERS, build_packet_workbook
from smpp.stages.peer_review.comparison import CompanyReview, compare
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.records import ATTENDING, NOT_ATTENDING
from smpp.stages.questionnaire.summary import Respondent, summarise
from smpp.state import State
from smpp.store import Event
from smpp.taxonomy import QUESTIONS, load_taxonomy
from smpp.uploads import form_marker
from tests.conftest import engagement_data

MADE = datetime(2027, 2, 5, 9, 0, tzinfo=UTC)
WORKSHOP = datetime(2027, 2, 11, 9, 30, tzinfo=UTC)
ELEMENT_ORDER = [
    e.id for e in sorted(load_taxonomy(), key=lambda e: (QUESTIONS.index(e.question), e.id))
]


@pytest.fixture(scope="module")
def demo_packet(recorded: list[Event], tmp_path_factory: pytest.TempPathFactory) -> Packet:
    engagement = demo_engagement(tmp_path_factory.mktemp("demo"))
    return packet_from_record(State(engagement, tuple(recorded)), MADE)


def _book(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def _header_row(sheet: Any, first: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == first)


# --- the packet workbook --------------------------------------------------------------------


def test_the_packet_workbook_reads_back_sheet_by_sheet(demo_packet: Packet) -> None:
    book = _book(build_packet_workbook(demo_packet, MADE, version=1, agency="Agency"))
    assert book.sheetnames[: len(SHEETS)] == list(SHEETS)
    topics = book["Drafting topics"]
    top = _header_row(topics, "Topic")
    assert tuple(c.value for c in topics[top]) == TOPIC_HEADERS
    ids = [topics.cell(r, 1).value for r in range(top + 1, topics.max_row + 1)]
    assert ids == ELEMENT_ORDER  # one row per element, ordered by the five questions
    assert len(ids) == 25
    # The scenario has a native chart; the properties name the client.
    assert len(book["Scenario"]._charts) == 1
    assert book.properties.title == "Workshop packet - Northwind Outdoor Gear"


def test_the_options_are_the_positions_the_reviewed_companies_take(
    recorded: list[Event], demo_packet: Packet, tmp_path: Path
) -> None:
    from smpp.stages.peer_review.records import latest_reviews, review_workbooks

    state = State(demo_engagement(tmp_path), tuple(recorded))
    found = latest_reviews(state)
    reviews = [
        CompanyReview.from_record(found[d].data)
        for d in review_workbooks(state)[-1].data["companies"]
    ]
    expected = {
        p.label: [r.name for r in reviews if p in matching("E06", r.elements.get("E06", ()))]
        for p in positions("E06")
    }
    topic = next(t for t in demo_packet.topics if t.id == "E06")
    assert {o.position.label: o.companies for o in topic.options} == expected
    assert any(expected.values())  # the demo's companies do take positions on E06
    book = _book(build_packet_workbook(demo_packet, MADE, version=1, agency="Agency"))
    sheet = book["Drafting topics"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "E06")
    options = str(
        sheet.cell(row, TOPIC_HEADERS.index("Options seen among the companies") + 1).value
    )
    for label, companies in expected.items():
        assert f"{label}: " + (", ".join(companies) if companies else "no company") in options


def test_divergences_come_from_the_questionnaire(demo_packet: Packet) -> None:
    divergent = [d for q in demo_packet.questions for d in q.divergences]
    assert divergent  # the demo's answers diverge somewhere
    for topic in demo_packet.topics:
        wanted = [
            d.prompt for d in divergent if d.prompt_id.split(".")[0] == topic.element.question
        ]
        assert [d.prompt for d in topic.divergences] == wanted
    book = _book(build_packet_workbook(demo_packet, MADE, version=1, agency="Agency"))
    questions = "\n".join(
        str(c.value) for row in book["Questions"].iter_rows() for c in row if c.value
    )
    for d in divergent:
        assert f"Divergence - {d.prompt}: {d.reason}" in questions


@pytest.mark.parametrize("session", [60, 90, 150, 240, 480, 720])
def test_the_agenda_adds_up_to_the_session(demo_packet: Packet, session: int) -> None:
    packet = _rebuilt(demo_packet, session)
    assert agenda_total(packet.agenda) == session
    assert all(a.minutes > 0 for a in packet.agenda)
    assert packet.agenda[0].start == packet.workshop
    assert (packet.agenda[-1].end - packet.agenda[0].start).total_seconds() == session * 60
    discussed = [a.topic for a in packet.agenda if a.topic]
    assert discussed == [t.id for t in packet.discussion_topics]  # each discussion topic timed
    book = _book(build_packet_workbook(packet, MADE, version=1, agency="Agency"))
    sheet = book["Agenda"]
    top = _header_row(sheet, "Time")
    minutes = [
        sheet.cell(r, 4).value
        for r in range(top + 1, sheet.max_row + 1)
        if isinstance(sheet.cell(r, 4).value, int)
    ]
    assert sum(minutes) == session


def _rebuilt(packet: Packet, session: int) -> Packet:
    """The demo packet's inputs again, for another session length."""
    return build_packet(
        packet.client,
        packet.workshop,
        session,
        [f.figure for f in packet.figures],
        list(packet.stale),
        [q.question for q in packet.questions],
        _demo_summary,
        _demo_reviews,
        compare(_demo_reviews),
    )


_demo_summary: Any = None
_demo_reviews: list[CompanyReview] = []


@pytest.fixture(scope="module", autouse=True)
def _demo_inputs(recorded: list[Event], tmp_path_factory: pytest.TempPathFactory) -> None:
    from smpp.stages.peer_review.records import latest_reviews, review_workbooks
    from smpp.stages.questionnaire.performers import respondents

    global _demo_summary, _demo_reviews
    state = State(demo_engagement(tmp_path_factory.mktemp("inputs")), tuple(recorded))
    found = latest_reviews(state)
    _demo_reviews = [
        CompanyReview.from_record(found[d].data)
        for d in review_workbooks(state)[-1].data["companies"]
    ]
    _demo_summary = summarise(questions_for(None), respondents(state))


# --- the consensus workbook -----------------------------------------------------------------


def test_the_consensus_workbook_reads_back_as_its_form(demo_packet: Packet, tmp_path: Path) -> None:
    content = build_consensus_workbook(
        demo_packet, "northwind-demo", MADE, version=3, agency="Agency"
    )
    path = tmp_path / "consensus.xlsx"
    path.write_bytes(content)
    assert form_marker(path) == FORM == "consensus"
    book = load_workbook(path)
    custom = {p.name: p.value for p in book.custom_doc_props.props}
    assert custom["smpp_engagement"] == "northwind-demo"
    assert custom["smpp_version"] == "3"
    sheet = book[SHEET]
    top = _header_row(sheet, "Topic")
    assert tuple(c.value for c in sheet[top]) == COLUMNS
    ids = [sheet.cell(r, 1).value for r in range(top + 1, sheet.max_row + 1)]
    assert ids == ELEMENT_ORDER
    lists = book["Lists"]
    assert lists.sheet_state == "hidden"
    decision = COLUMNS.index("Decision") + 1
    due = COLUMNS.index("Due date") + 1
    validations = sheet.data_validations.dataValidation
    for offset, element_id in enumerate(ids, start=1):
        row = top + offset
        cell = sheet.cell(row, decision).coordinate
        [drop] = [v for v in validations if v.type == "list" and cell in v.sqref]
        sheet_name, _, cells = drop.formula1.partition("!")
        assert sheet_name.strip("'") == "Lists"
        first, last = (int(re.sub(r"\D", "", part)) for part in cells.split(":"))
        assert first == last == offset
        listed = [c.value for c in lists[offset] if c.value is not None]
        assert listed == [p.label for p in positions(element_id)] + [
            DECISION_OWN,
            DECISION_DEFERRED,
        ]
        due_cell = sheet.cell(row, due).coordinate
        assert any(v.type == "date" and due_cell in v.sqref for v in validations)
        for column, header in enumerate(COLUMNS, start=1):
            unlocked = header in (
                "Decision",
                "Agreed wording",
                "Follow-up",
                "Owner",
                "Due date",
                "Notes",
            )
            assert sheet.cell(row, column).protection.locked is not unlocked, (element_id, header)
    assert sheet.protection.sheet


# --- the document ---------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: bytes) -> _Text:
    parser = _Text()
    parser.feed(html.decode("utf-8"))
    return parser


def test_the_document_holds_every_segment_and_topic_with_print_styles(demo_packet: Packet) -> None:
    html = render_packet_document(demo_packet, MADE, version=1, agency="Agency")
    parsed = _parsed(html)
    assert [i for i in parsed.ids if not i.startswith("topic-")] == [
        "missing",
        "agenda",
        "scenario",
        "questions",
        "review",
        "topics",
    ]
    assert [i.removeprefix("topic-") for i in parsed.ids if i.startswith("topic-")] == ELEMENT_ORDER
    assert b"@media print" in html and b"@page" in html
    text = " ".join(parsed.text)
    assert "The questionnaire is short: 6 of 7 invited people answered." in text
    assert f"<strong>{agenda_total(demo_packet.agenda)}</strong>".encode() in html
    for shown in demo_packet.figures:
        assert f'href="{shown.figure.url}"'.replace("&", "&amp;").encode() in html


def test_common_elements_and_differences_come_with_each_companys_sentence(
    demo_packet: Packet,
) -> None:
    assert demo_packet.common and demo_packet.differences
    expected = [
        (e, c, demo_packet.review_evidence[(e, c)])
        for e in (*demo_packet.common, *demo_packet.differences)
        for c in demo_packet.companies
        if (e, c) in demo_packet.review_evidence
    ]
    book = _book(build_packet_workbook(demo_packet, MADE, version=1, agency="Agency"))
    sheet = book["Review evidence"]
    top = _header_row(sheet, "Element")
    rows = [
        (str(sheet.cell(r, 1).value).split(" ")[0], sheet.cell(r, 3).value, sheet.cell(r, 5))
        for r in range(top + 1, sheet.max_row + 1)
    ]
    assert [(e, c) for e, c, _ in rows] == [(e, c) for e, c, _ in expected]
    assert [cell.hyperlink.target for _, _, cell in rows] == [f.url for _, _, f in expected]
    html = render_packet_document(demo_packet, MADE, version=1, agency="Agency").decode()
    for _, _, found in expected:
        assert str(escape(found.sentence)) in html


# --- hostile names and answers -------------------------------------------------------------

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'
RTL = "\u05e9\u05dc\u05d5\u05dd \u202eevil\u202c \u0645\u0631\u062d\u0628\u0627"
LONG = "Very long answer. " * 800


def _hostile_packet() -> Packet:
    questions = questions_for(None)
    answers = {
        "who.participants": {"choice": None, "text": SCRIPT},
        "who.primer": {"choice": questions[0].prompts[1].choice.options[0], "text": FORMULA},  # type: ignore[union-attr]
        "who.time": {"choice": None, "text": LONG},
        "when.own_voice": {"choice": None, "text": RTL},
    }
    people = [
        Respondent(SCRIPT, "a@x.example", FORMULA, ATTENDING, MADE, answers),
        Respondent(RTL, "b@x.example", "Legal", NOT_ATTENDING, None, {}),
    ]
    review = CompanyReview(
        name=FORMULA,
        domain="evil.example",
        url="https://evil.example/policy",
        fetched_at=MADE.isoformat(),
        sha256="0" * 64,
        source_path="/nowhere",
        elements={
            "E06": (f"Only the press office speaks for the company. {SCRIPT}",),
            "E01": (LONG,),
        },
        red_flags=({"element": "E06", "sentence": RTL, "reason": SCRIPT},),
    )
    figures = load_scenario()
    return build_packet(
        f"{SCRIPT}{FORMULA}",
        WORKSHOP,
        240,
        figures,
        stale_figures(figures, MADE.date()),
        questions,
        summarise(questions, people),
        [review],
        compare([review]),
    )


def test_hostile_text_is_escaped_in_the_document() -> None:
    html = render_packet_document(_hostile_packet(), MADE, version=1, agency=SCRIPT).decode()
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "\u05e9\u05dc\u05d5\u05dd" in html and "<bdi>" in html and 'dir="auto"' in html
    assert LONG.strip()[:200] in html
    parsed = _parsed(html.encode())
    assert "script" not in parsed.tags and "img" not in parsed.tags


def test_hostile_text_is_stored_as_text_in_excel_and_the_layout_holds() -> None:
    packet = _hostile_packet()
    for content in (
        build_packet_workbook(packet, MADE, version=1, agency=FORMULA),
        build_consensus_workbook(packet, "acme-foods", MADE, version=1, agency=FORMULA),
    ):
        book = _book(content)
        seen_formula_text = False
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        if cell.value.startswith("=SUM("):
                            continue  # the agenda's own total
                        assert cell.data_type == "s" and cell.quotePrefix, (
                            sheet.title,
                            cell.coordinate,
                        )
                        seen_formula_text = True
            for number, dimension in sheet.row_dimensions.items():
                assert (dimension.height or 0) <= 409, (sheet.title, number)
        assert seen_formula_text
    book = _book(build_packet_workbook(packet, MADE, version=1, agency="Agency"))
    assert "Full texts" in book.sheetnames  # the very long answer is cut where it is shown
    cells = [str(c.value) for row in book["Questions"].iter_rows() for c in row if c.value]
    assert max(len(c) for c in cells) < 1_000


# --- the inputs: figures, staleness, gaps -------------------------------------------------


def test_every_scenario_figure_has_a_source_url_a_year_and_a_quote() -> None:
    figures = load_scenario()
    assert len(figures) >= 12
    for figure in figures:
        assert re.match(r"^https?://[^\s]+\.[^\s]+", figure.url), figure.id
        assert 1990 <= figure.year <= 2100, figure.id
        assert len(figure.quote.split()) >= 4, figure.id
        assert figure.publisher and figure.title, figure.id


def test_a_stale_figure_is_flagged_in_the_packet() -> None:
    figures = load_scenario()
    fresh_year = max(f.year for f in figures)
    today = MADE.date().replace(year=fresh_year + 4)
    stale = stale_figures(figures, today, max_age_years=3)
    assert stale and len(stale) == len(figures)  # every figure is more than 3 years old then
    packet = build_packet(
        "Acme", WORKSHOP, 240, figures, stale, questions_for(None), None, [], compare([])
    )
    assert all(s.stale is not None for s in packet.figures)
    book = _book(build_packet_workbook(packet, MADE, version=1, agency="Agency"))
    sheet = book["Scenario"]
    top = _header_row(sheet, "Topic")
    marks = [sheet.cell(r, 8).value for r in range(top + 1, top + 1 + len(figures))]
    assert all(str(m).startswith("Stale: ") for m in marks)
    html = render_packet_document(packet, MADE, version=1, agency="Agency").decode()
    assert html.count("(stale: ") == len(figures)
    fresh = build_packet(
        "Acme",
        WORKSHOP,
        240,
        figures,
        stale_figures(figures, MADE.date().replace(year=fresh_year), 3),
        questions_for(None),
        None,
        [],
        compare([]),
    )
    assert any(s.stale is None for s in fresh.figures)


def test_a_missing_input_is_stated_on_the_cover_and_in_the_document(demo_packet: Packet) -> None:
    short = _demo_reviews[:3]
    packet = build_packet(
        "Acme",
        WORKSHOP,
        240,
        load_scenario(),
        [],
        questions_for(None),
        None,
        short,
        compare(short),
    )
    names = ", ".join(r.name for r in short)
    assert packet.missing == (
        f"The peer review covers 3 of the 5 companies the method asks for ({names}): the "
        "options and the majorities rest on fewer peers.",
        "Nobody was invited to the questionnaire: the five questions segment is empty.",
    )
    cover = _book(build_packet_workbook(packet, MADE, version=1, agency="Agency"))["Cover"]
    texts = [str(c.value) for row in cover.iter_rows() for c in row if c.value]
    assert "Missing inputs" in texts
    assert f"•  {packet.missing[0]}" in texts
    html = render_packet_document(packet, MADE, version=1, agency="Agency").decode()
    assert 'id="missing"' in html and "covers 3 of the 5 companies" in html
    complete = _book(build_packet_workbook(demo_packet, MADE, version=1, agency="Agency"))
    assert "covers 3 of" not in " ".join(
        str(c.value) for row in complete["Cover"].iter_rows() for c in row if c.value
    )


def test_the_engagement_points_to_its_own_scenario_and_extends_it(tmp_path: Path) -> None:
    own = tmp_path / "figures.yaml"
    base = load_scenario()
    own.write_text((Path("smpp/scenario.yaml")).read_text(encoding="utf-8"), encoding="utf-8")
    replaced = {
        "id": base[0].id,
        "topic": "use",
        "value": 61,
        "unit": "%",
        "measures": "used social media",
        "population": "Italian enterprises",
        "area": "IT",
        "year": 2025,
        "publisher": "Example office",
        "title": "Example",
        "url": "https://stats.example/figure",
        "quote": "In 2025, 61% of enterprises used social media.",
    }
    data = engagement_data(
        tmp_path / "drive",
        scenario={"path": "figures.yaml", "figures": [replaced], "max_age_years": 1},
    )
    engagement = parse_engagement(data, "test", tmp_path)
    assert engagement.scenario.path == own
    assert engagement.scenario.max_age_years == 1
    figures = load_scenario(engagement.scenario.path, engagement.scenario.figures)
    assert figures[0].value == 61 and figures[0].area == "IT" and len(figures) == len(base)
    bad = engagement_data(
        tmp_path / "drive", scenario={"figures": [{**replaced, "quote": "no number"}]}
    )
    with pytest.raises(EngagementError) as refused:
        parse_engagement(bad, "test", tmp_path)
    assert "does not contain the value 61" in str(refused.value)


def test_the_consensus_workbook_filled_in_is_taken_back_by_the_consensus_judge(
    demo_packet: Packet, tmp_path: Path
) -> None:
    from datetime import date

    from smpp.stages.consensus.judge import judge_consensus

    path = tmp_path / "consensus.xlsx"
    path.write_bytes(
        build_consensus_workbook(demo_packet, "northwind-demo", MADE, version=1, agency="A")
    )
    book = load_workbook(path)
    sheet = book[SHEET]
    top = _header_row(sheet, "Topic")
    column = {name: COLUMNS.index(name) + 1 for name in COLUMNS}
    for row in range(top + 1, sheet.max_row + 1):
        sheet.cell(row, column["Decision"]).value = sheet.cell(row, column["Recommended"]).value
    sheet.cell(top + 1, column["Decision"]).value = DECISION_OWN
    sheet.cell(top + 1, column["Agreed wording"]).value = "Our own words."
    sheet.cell(top + 2, column["Decision"]).value = DECISION_DEFERRED
    sheet.cell(top + 2, column["Follow-up"]).value = "Ask Legal"
    sheet.cell(top + 2, column["Owner"]).value = "Sara Conti"
    sheet.cell(top + 2, column["Due date"]).value = date(2027, 3, 1)
    book.save(path)
    verdict = judge_consensus(path)
    assert verdict.ok, verdict.problems
    assert [d["topic"] for d in verdict.decisions] == sorted(ELEMENT_ORDER)
    chosen = {d["topic"]: d for d in verdict.decisions}
    first, second = ELEMENT_ORDER[0], ELEMENT_ORDER[1]
    assert chosen[first]["choice"] == "own" and chosen[first]["wording"] == "Our own words."
    assert chosen[second]["choice"] == "deferred" and chosen[second]["due"] == "2027-03-01"
    third = next(t for t in demo_packet.topics if t.id == ELEMENT_ORDER[2])
    assert chosen[third.id]["position"] == third.recommended.id  # type: ignore[union-attr]
