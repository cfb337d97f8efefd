"""The consensus after the workshop: the filled consensus workbook taken in from the inbox,
checked complete (every topic decided or deferred, own wording where chosen, owner and date for
every follow-up); what is missing goes to the account lead as one list and nothing is recorded;
a complete workbook is a version of the consensus, a later one a new version; the lead is
reminded while none is recorded. Mail through a real SMTP server on loopback."""

from __future__ import annotations

import io
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.packaging.custom import StringProperty

from smpp import drive
from smpp.engine import advance
from smpp.mailer import build_mailer
from smpp.models import parse_engagement
from smpp.positions import catalogue, recommended
from smpp.setup import Setup, take_stock
from smpp.sheets import FORM_MARKER_NAME
from smpp.stages.consensus.judge import judge_consensus
from smpp.stages.consensus.records import consensus_versions, decisions, open_items, refusals
from smpp.stages.packet.consensus_workbook import COLUMNS
from smpp.store import Store
from smpp.templating import render_email
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
HEADER = COLUMNS  # as the packet writes the workbook


def row(topic: str, **fields: Any) -> dict[str, Any]:
    return {"Topic": topic, "Decision": recommended(topic).label} | fields


def complete() -> list[dict[str, Any]]:
    rows = [row(topic) for topic in catalogue()]
    rows[2] = row("E03", Decision="Deferred", Notes="Budget first")
    rows[5] = row(
        "E06",
        **{
            "Follow-up": "Name the spokespeople",
            "Owner": "Carl Client",
            "Due date": datetime(2027, 3, 1),
        },
    )
    rows[12] = row("E13", Decision="Own wording", **{"Agreed wording": "We stay out of elections."})
    return rows


def workbook(rows: list[dict[str, Any]], marker: bool = True, title: bool = True) -> bytes:
    """A consensus workbook laid out as the packet writes it (a title row, then the header)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Consensus"
    if title:
        sheet.append(["Consensus of the drafting workshop"])
    sheet.append(list(HEADER))
    for values in rows:
        sheet.append([values.get(name) for name in HEADER])
    if marker:
        book.custom_doc_props.append(StringProperty(name=FORM_MARKER_NAME, value="consensus"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def judged(tmp_path: Path, rows: list[dict[str, Any]]) -> list[str]:
    path = tmp_path / "Consensus.xlsx"
    path.write_bytes(workbook(rows))
    return judge_consensus(path).problems


def test_a_complete_workbook_gives_one_decision_per_topic(tmp_path: Path) -> None:
    path = tmp_path / "Consensus.xlsx"
    path.write_bytes(workbook(complete()))
    verdict = judge_consensus(path)
    assert verdict.ok and verdict.problems == []
    found = {d["topic"]: d for d in verdict.decisions}
    assert list(found) == list(catalogue())
    assert found["E01"]["choice"] == "position"
    assert found["E01"]["position"] == "E01.everyone-every-channel"
    assert found["E03"] == {
        "topic": "E03",
        "choice": "deferred",
        "position": "",
        "wording": "",
        "follow_up": "",
        "owner": "",
        "due": "",
        "notes": "Budget first",
    }
    assert found["E06"]["due"] == "2027-03-01" and found["E06"]["owner"] == "Carl Client"
    assert (
        found["E13"]["choice"] == "own" and found["E13"]["wording"] == "We stay out of elections."
    )


def test_labels_are_matched_whatever_the_case_and_spacing_and_dates_may_be_text(
    tmp_path: Path,
) -> None:
    rows = complete()
    rows[0] = {"Topic": "e01", "Decision": "  everyone,   OFFICIAL and personal accounts "}
    rows[5] = row("E06", **{"Follow-up": "Name them", "Owner": "Carl", "Due date": "1/3/2027"})
    path = tmp_path / "Consensus.xlsx"
    path.write_bytes(workbook(rows, title=False))
    verdict = judge_consensus(path)
    assert verdict.ok, verdict.problems
    assert verdict.decisions[5]["due"] == "2027-03-01"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"index": 1, "row": row("E02", Decision=None)},
            "E02 Participation stance (encourage / permit / restrict): no decision. Choose one of "
            "'Encouraged', 'Permitted, within the rules', 'Restricted to approved staff', "
            "'Own wording', 'Deferred' in the Decision column.",
        ),
        (
            {"index": 1, "row": row("E02", Decision="Mandatory")},
            "E02 Participation stance (encourage / permit / restrict): 'Mandatory' is not one of "
            "the choices; choose one of 'Encouraged', 'Permitted, within the rules', 'Restricted "
            "to approved staff', 'Own wording', 'Deferred'.",
        ),
        (
            {"index": 12, "row": row("E13", Decision="Own wording")},
            "E13 Politics, controversial topics & impartiality: 'Own wording' was chosen but the "
            "Agreed wording is empty; write the wording the workshop agreed.",
        ),
        (
            {"index": 5, "row": row("E06", **{"Follow-up": "Name them", "Due date": "2027-03-01"})},
            "E06 Authorized spokespeople / speaking on behalf of the company: the follow-up 'Name "
            "them' has no owner; name one.",
        ),
        (
            {"index": 5, "row": row("E06", **{"Follow-up": "Name them", "Owner": "Carl"})},
            "E06 Authorized spokespeople / speaking on behalf of the company: the follow-up 'Name "
            "them' has no due date; give one.",
        ),
        (
            {
                "index": 5,
                "row": row(
                    "E06", **{"Follow-up": "Name them", "Owner": "Carl", "Due date": "next week"}
                ),
            },
            "E06 Authorized spokespeople / speaking on behalf of the company: the due date 'next "
            "week' is not a date (write it as 2027-03-01 or 1/3/2027).",
        ),
        (
            {"index": 24, "row": None},
            "E25 Enforcement & consequences: the topic's row is missing; every topic needs a "
            "decision (choose 'Deferred' to leave it for later).",
        ),
        (
            {"index": 24, "row": {"Topic": "E99", "Decision": "Deferred"}},
            "Row 27: 'E99' in the Topic column is not a topic of the packet (E01 to E25); leave "
            "the Topic column as it was.",
        ),
    ],
)
def test_what_is_missing_is_said_topic_by_topic(
    tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    rows = complete()
    if change["row"] is None:
        del rows[change["index"]]
    else:
        rows[change["index"]] = change["row"]
    assert problem in judged(tmp_path, rows)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    rows = [row(topic, Decision=None) for topic in catalogue()]
    assert len(judged(tmp_path, rows)) == 25


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.7 a pdf", "not the consensus workbook of the workshop packet"),
        (b"Topic,Decision\nE01,Encouraged\n", "not the consensus workbook of the workshop packet"),
    ],
)
def test_a_file_that_is_not_the_workbook_is_refused_in_words(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "consensus.xlsx"
    path.write_bytes(content)
    verdict = judge_consensus(path)
    assert not verdict.ok and words in verdict.problems[0]


def test_formula_looking_text_is_taken_as_text(tmp_path: Path) -> None:
    rows = complete()
    rows[12] = row("E13", Decision="Own wording", **{"Agreed wording": '=HYPERLINK("x")'})
    path = tmp_path / "Consensus.xlsx"
    path.write_bytes(workbook(rows))
    verdict = judge_consensus(path)
    assert verdict.ok
    assert verdict.decisions[12]["wording"] == '=HYPERLINK("x")'


# --- the stage, end to end --------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def make_setup(tmp_path: Path, server: SmtpServer) -> Setup:
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(server))
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    return Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str))


def drop(setup: Setup, name: str, content: bytes, moment: datetime) -> None:
    path = drive.inbox_dir(setup.engagement.drive) / name
    path.write_bytes(content)
    os.utime(path, ns=(int(moment.timestamp() * 1e9),) * 2)


def lead_mail(server: SmtpServer) -> list[tuple[str, str]]:
    """The lead's mails about workbooks taken in (the reminder of the deadline, which goes out
    on the day after the workshop too, has its own test)."""
    return [
        (r.message["X-SMPP-Kind"], str(r.message["Subject"]).strip())
        for r in server.collector.received
        if r.message["X-SMPP-Kind"].startswith("consensus")
        and r.message["X-SMPP-Kind"] != "consensus_reminder"
    ]


def test_incomplete_then_complete_then_a_new_version(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))  # kickoff
    incomplete = complete()
    incomplete[12] = row("E13", Decision="Own wording")
    drop(setup, "Consensus - Acme Foods.xlsx", workbook(incomplete), at("2027-02-12T09:00"))
    advance(setup, at("2027-02-12T10:00"))
    state = take_stock(setup)
    assert consensus_versions(state) == [] and len(refusals(state)) == 1
    assert lead_mail(smtp_server) == [
        ("consensus_incomplete", "Acme Foods consensus workbook: 1 thing to complete")
    ]
    (notice,) = [
        r
        for r in smtp_server.collector.received
        if r.message["X-SMPP-Kind"] == "consensus_incomplete"
    ]
    body = notice.message.get_body(("plain",)).get_content()
    assert "'Own wording' was chosen but the Agreed wording is empty" in " ".join(body.split())
    rejected = list((setup.engagement.drive / drive.INBOX / drive.REJECTED).glob("*Consensus*"))
    assert any(p.suffix == ".xlsx" for p in rejected)  # the file is kept

    drop(setup, "Consensus - Acme Foods.xlsx", workbook(complete()), at("2027-02-12T15:00"))
    advance(setup, at("2027-02-12T15:30"))
    advance(setup, at("2027-02-12T15:45"))  # nothing twice
    state = take_stock(setup)
    assert len(consensus_versions(state)) == 1
    assert [d["topic"] for d in open_items(state)] == ["E03", "E06"]
    kinds = [kind for kind, _ in lead_mail(smtp_server)]
    assert kinds == ["consensus_incomplete", "consensus_recorded"]
    assert lead_mail(smtp_server)[-1][1] == (
        "Acme Foods consensus recorded (version 1): 24 topics decided, 1 deferred"
    )

    changed = complete()
    changed[2] = row("E03")
    drop(setup, "Consensus v2.xlsx", workbook(changed), at("2027-02-15T11:00"))
    advance(setup, at("2027-02-15T11:30"))
    state = take_stock(setup)
    assert len(consensus_versions(state)) == 2
    assert consensus_versions(state)[-1].data["version"] == 2
    assert decisions(state)[2]["choice"] == "position"
    assert consensus_versions(state)[0].data["decisions"][2]["choice"] == "deferred"  # kept


def test_two_workbooks_taken_in_by_one_advance_are_versions_one_and_two(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    """What a judge knows is read from the record as each file is taken in, not once when the
    advance planned: the facilitator's and a colleague's copies dropped together count apart."""
    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))  # kickoff
    changed = complete()
    changed[2] = row("E03")
    drop(setup, "Consensus - Acme Foods.xlsx", workbook(complete()), at("2027-02-12T15:00"))
    drop(setup, "Consensus - Acme Foods (2).xlsx", workbook(changed), at("2027-02-12T15:10"))
    advance(setup, at("2027-02-12T15:30"))
    versions = consensus_versions(take_stock(setup))
    assert [v.data["version"] for v in versions] == [1, 2]
    subjects = [subject for kind, subject in lead_mail(smtp_server) if kind == "consensus_recorded"]
    assert [s.split("(")[1].split(")")[0] for s in subjects] == ["version 1", "version 2"]


def test_the_lead_is_reminded_before_the_deadline_and_once_after_it(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))
    for moment in (
        "2027-02-12T10:00",
        "2027-02-15T10:00",
        "2027-02-15T16:00",
        "2027-02-16T10:00",
        "2027-02-17T10:00",
        "2027-02-18T10:00",
    ):
        advance(setup, at(moment))
    # T+3 is Sunday 14 February: the reminder on Friday, its last business day before, then
    # one overdue notice on Monday, once it has passed; nothing more.
    received = [
        (r.message["Date"].datetime.astimezone(ROME).date().isoformat(), r.message)
        for r in smtp_server.collector.received
        if r.message["X-SMPP-Kind"] == "consensus_reminder"
    ]
    assert [day for day, _ in received] == ["2027-02-12", "2027-02-15"]
    (_, reminder), (_, overdue) = received
    assert reminder["Subject"] == (
        "Acme Foods consensus due by Sunday 14 February 2027: the filled consensus workbook"
    )
    said = " ".join(reminder.get_body(("plain",)).get_content().split())
    assert "The workshop's consensus is due by Sunday 14 February 2027." in said
    assert "today" not in said
    assert str(overdue["Subject"]).startswith("Acme Foods consensus overdue")


def test_consensus_mails_render_with_every_variable_given() -> None:
    context = {
        "client": "Acme",
        "account_lead": "Lea",
        "account_lead_email": "lea@x.example",
        "contacts": [],
        "workshop": "2027-02-11T09:30:00+01:00",
        "due": "2027-01-28T17:30:00+01:00",
        "min_companies": 20,
        "at_risk": False,
        "return_instructions": "",
        "greeting": "Dear Lea,",
        "sign_off": {"closing": "Kind regards,", "name": "SMPP desk", "signature": []},
    }
    render_email(
        "consensus_incomplete",
        {
            **context,
            "file": "c.xlsx",
            "problems": ["x"],
            "kept": {"url": "", "name": "c.xlsx", "folder": "Inbox", "words": "c.xlsx"},
        },
    )
    render_email(
        "consensus_reminder",
        {**context, "overdue": True, "refused": 1, "due_by": "2027-02-14T17:30:00+01:00"},
    )
    subject, text, html = render_email(
        "consensus_recorded",
        {
            **context,
            "version": 1,
            "file": "<b>c.xlsx</b>",
            "decided": 24,
            "deferred": ["T"],
            "follow_ups": [{"topic": "S", "what": "do", "owner": "Carl", "due": "2027-03-01"}],
            "decisions": [{"topic": "S", "decision": "own wording"}],
        },
    )
    assert "&lt;b&gt;c.xlsx&lt;/b&gt;" in html
    assert "(Carl, by" in text


# --- topics decided with smpp decide ----------------------------------------------------------


def test_topics_decided_one_by_one_make_a_consensus_once_every_topic_has_one(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    from smpp.decisions import Decision, DecisionError, decide, record

    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))
    before = at("2027-02-10T10:00")
    with pytest.raises(DecisionError, match="The workshop has not taken place yet"):
        decide(take_stock(setup), Decision(kind="topic", topic="E01", choice="Deferred"), before)
    moment = at("2027-02-12T10:00")
    refused = [
        ({"topic": "E77", "choice": "Deferred"}, "'E77' is not a drafting topic"),
        ({"topic": "E13", "choice": "Own wording"}, "the Agreed wording is empty"),
        ({"topic": "E06", "choice": "Nobody"}, "'Nobody' is not one of the choices"),
        (
            {"topic": "E06", "choice": "Deferred", "follow_up": "Name them"},
            "the follow-up 'Name them' has no owner",
        ),
    ]
    for fields, words in refused:
        with pytest.raises(DecisionError, match=words):
            decide(take_stock(setup), Decision(kind="topic", **fields), moment)
    for topic in list(catalogue())[:-1]:
        chosen = Decision(kind="topic", topic=topic.lower(), choice=recommended(topic).label)
        record(setup.store, decide(take_stock(setup), chosen, moment))
    advance(setup, at("2027-02-12T10:05"))
    assert consensus_versions(take_stock(setup)) == []  # E25 is still to decide
    last = Decision(
        kind="topic",
        topic="E25",
        choice="Deferred",
        follow_up="Agree the disciplinary wording with HR",
        owner="Carl Client",
        due="2027-03-15",
    )
    record(setup.store, decide(take_stock(setup), last, at("2027-02-12T11:00")))
    advance(setup, at("2027-02-12T11:05"))
    state = take_stock(setup)
    (version,) = consensus_versions(state)
    assert version.data["source"] == "decide" and version.data["version"] == 1
    assert decisions(state)[-1]["due"] == "2027-03-15"
    # A topic decided after the consensus makes version 2; the others stand.
    again = Decision(kind="topic", topic="E03", choice="Deferred")
    record(setup.store, decide(take_stock(setup), again, at("2027-02-15T10:00")))
    advance(setup, at("2027-02-15T10:05"))
    state = take_stock(setup)
    assert len(consensus_versions(state)) == 2
    assert [d["choice"] for d in decisions(state)][2] == "deferred"
    assert [d["choice"] for d in decisions(state)][0] == "position"
