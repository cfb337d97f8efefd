"""Property-based tests (hypothesis): the intake parsers answer anything with a verdict (or, for
an engagement file, a clear EngagementError) and never another exception; and the planner keeps
its promises over generated engagements, histories and moments.

The parsers are called below their own catch-all (`_judge`), so a crash is found here instead of
being hidden behind the generic "could not read" answer. Examples are few and derandomised, so
the suite stays fast and CI stable.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from smpp import uploads
from smpp.actions import MIN_GAP_BETWEEN_CHASERS, SendMail, TakeInFile, intake_key
from smpp.events import DECISION, DELIVERABLE_WRITTEN, MAIL_SENT, STARTED
from smpp.models import (
    Engagement,
    EngagementError,
    load_engagement,
    parse_engagement,
)
from smpp.plan import plan
from smpp.stages.company_list import judge as intake
from smpp.stages.company_list.events import LIST_JUDGED
from smpp.stages.company_list.judge import ListVerdict
from smpp.stages.company_list.planner import CLIENT_CHASERS, WriteCompanyList
from smpp.stages.company_list.workbook import build_company_list_template
from smpp.stages.packet.planner import WritePacket
from smpp.stages.questionnaire import workbook as questionnaire_workbook
from smpp.stages.questionnaire.events import QUESTIONNAIRE_JUDGED
from smpp.stages.questionnaire.planner import QUESTIONNAIRE_CHASERS, WriteQuestionnaireSummary
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.records import questionnaire_summaries
from smpp.stages.questionnaire.workbook import RSVP_CHOICES, Invitee, QuestionnaireVerdict
from smpp.state import State
from smpp.store import Event
from smpp.timeline import KickoffTooLate, build_timeline
from tests.conftest import engagement_data

# Threads left running by other tests in the session (Prefect's test server, loopback servers)
# use the `random` module; hypothesis would take that for a strategy using it and fail.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)

FAST = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples on every run and machine; nothing written to disk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Examples that build a workbook with openpyxl take ~0.1 s each.
WORKBOOKS = settings(FAST, max_examples=20)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def as_file(folder: Path, content: bytes, name: str = "list.xlsx") -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def judged_list(path: Path) -> ListVerdict:
    verdict = intake._judge(path, 20, 5_000_000, 1_000)
    assert isinstance(verdict, ListVerdict)
    assert verdict.ok == (not verdict.problems)
    assert all(p.message.strip() for p in verdict.problems)
    return verdict


# --- the company list ------------------------------------------------------------------------

CELL_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
CELL = st.one_of(
    st.none(),
    CELL_TEXT,
    st.sampled_from(["Company name", "Website", "Priority", "=1+1", "acme.com", "javascript:x"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)


@FAST
@given(content=st.binary(max_size=2_000))
def test_any_bytes_get_a_company_list_verdict(folder: Path, content: bytes) -> None:
    judged_list(as_file(folder, content))


@FAST
@given(
    rows=st.lists(st.lists(CELL_TEXT, max_size=8), max_size=30),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_any_csv_gets_a_company_list_verdict(
    folder: Path, rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([["Company name", "Website"], *rows])
    content = buffer.getvalue().encode(encoding, errors="replace")
    judged_list(as_file(folder, content, "list.csv"))


def workbook_bytes(rows: list[list[Any]], hidden: bool, title: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append([uploads._ILLEGAL_CHARS.sub("", v) if isinstance(v, str) else v for v in row])
    if hidden:
        book.create_sheet("Notes")
        sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@WORKBOOKS
@given(
    rows=st.lists(st.lists(CELL, max_size=10), max_size=25),
    hidden=st.booleans(),
    title=st.sampled_from(["Companies", "Sheet1", "companies ", "Peers"]),
)
def test_any_workbook_gets_a_company_list_verdict(
    folder: Path, rows: list[list[Any]], hidden: bool, title: str
) -> None:
    judged_list(as_file(folder, workbook_bytes(rows, hidden, title)))


TEMPLATE = build_company_list_template("Acme Foods", datetime(2027, 1, 28).date())


@FAST
@given(
    cut=st.integers(0, len(TEMPLATE)),
    flips=st.lists(st.tuples(st.integers(0, len(TEMPLATE) - 1), st.integers(0, 255)), max_size=8),
)
def test_a_damaged_workbook_gets_a_company_list_verdict(
    folder: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    damaged = bytearray(TEMPLATE)
    for where, value in flips:
        damaged[where] = value
    judged_list(as_file(folder, bytes(damaged[: max(cut, 1)])))


# --- the questionnaire -----------------------------------------------------------------------

INVITEE = Invitee("Ann Archer", "ann@acme.example", "Comms", "ABCD-EFGH", True)
QUESTIONS = questions_for()
BLANK = questionnaire_workbook.build_questionnaire(
    "Acme Foods",
    INVITEE,
    QUESTIONS,
    datetime(2027, 2, 4).date(),
    datetime(2027, 2, 11, 9, 30, tzinfo=ZoneInfo("Europe/Rome")),
)


def judged_questionnaire(path: Path) -> QuestionnaireVerdict:
    verdict = questionnaire_workbook._judge(path, [INVITEE], QUESTIONS, 5_000_000)
    assert isinstance(verdict, QuestionnaireVerdict)
    assert verdict.ok == (not verdict.problems)
    assert verdict.person in (None, INVITEE.email)
    return verdict


@FAST
@given(content=st.binary(max_size=2_000))
def test_any_bytes_get_a_questionnaire_verdict(folder: Path, content: bytes) -> None:
    judged_questionnaire(as_file(folder, content, "answers.xlsx"))


@WORKBOOKS
@given(edits=st.lists(st.tuples(st.integers(1, 60), st.integers(1, 8), CELL), max_size=20))
def test_any_edit_of_the_workbook_gets_a_questionnaire_verdict(
    folder: Path, edits: list[tuple[int, int, Any]]
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(BLANK))
    sheet = book[questionnaire_workbook.ANSWERS_SHEET]
    for row, column, value in edits:
        if isinstance(value, str):
            value = uploads._ILLEGAL_CHARS.sub("", value)
        sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    judged_questionnaire(as_file(folder, buffer.getvalue(), "answers.xlsx"))


@FAST
@given(cut=st.integers(1, len(BLANK)), at=st.integers(0, len(BLANK) - 1), value=st.integers(0, 255))
def test_a_damaged_questionnaire_gets_a_verdict(
    folder: Path, cut: int, at: int, value: int
) -> None:
    damaged = bytearray(BLANK)
    damaged[at] = value
    path = as_file(folder, bytes(damaged[:cut]), "answers.xlsx")
    judged_questionnaire(path)
    assert isinstance(questionnaire_workbook.is_questionnaire(path), bool)


# --- the engagement file ---------------------------------------------------------------------

YAML_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), CELL_TEXT
)
YAML_VALUE = st.recursive(
    YAML_SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(CELL_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = [
    "client",
    "slug",
    "workshop",
    "timezone",
    "account_lead",
    "client_contacts",
    "attendees",
    "drive",
    "timeline",
    "working_hours",
    "holidays",
    "min_companies",
    "mail",
    "questions",
    "compressed",
    "anonymise_answers",
]


def loaded(folder: Path, text: str) -> Engagement | None:
    path = folder / "acme-foods.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return load_engagement(path)
    except EngagementError as refused:
        assert refused.problems and all(p.strip() for p in refused.problems)
        return None


@FAST
@given(text=st.text(max_size=400))
def test_any_text_is_an_engagement_or_a_clear_error(folder: Path, text: str) -> None:
    loaded(folder, text)


@FAST
@given(value=YAML_VALUE)
def test_any_yaml_is_an_engagement_or_a_clear_error(folder: Path, value: object) -> None:
    loaded(folder, yaml.safe_dump(value, allow_unicode=True))


@FAST
@given(changes=st.dictionaries(st.sampled_from(FIELDS), YAML_VALUE, max_size=3))
def test_a_definition_with_any_field_changed_is_valid_or_a_clear_error(
    folder: Path, changes: dict[str, object]
) -> None:
    data = engagement_data(folder / "drive")
    data.update(changes)
    engagement = loaded(folder, yaml.safe_dump(data, allow_unicode=True))
    if engagement is not None:  # a valid one can be planned: its dates do not overflow
        try:
            build_timeline(engagement, engagement.workshop_at - timedelta(days=40))
        except KickoffTooLate:
            pass


# --- the planner -----------------------------------------------------------------------------

ZONES = ["Europe/Rome", "Europe/London", "America/New_York", "Asia/Tokyo", "Pacific/Auckland"]
SLUG = "acme-foods"


@dataclass(frozen=True)
class Return:
    """Something a person does between advances: returns a questionnaire or a company list."""

    hours: float  # after the kickoff
    who: int  # attendee index; -1: a company list from the client
    ok: bool
    rsvp: int  # index into RSVP_CHOICES (2: sends a delegate)


@st.composite
def engagements(draw: st.DrawFn) -> tuple[Engagement, datetime]:
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.dates(datetime(2027, 1, 1).date(), datetime(2028, 12, 31).date()))
    hour = draw(st.integers(8, 16))
    people = draw(st.integers(0, 3))
    attendees = [
        {"name": f"Person {n}", "email": f"p{n}@acme.example", "role": f"Role {n % 2}"}
        for n in range(people)
    ]
    reminders = sorted(draw(st.sets(st.integers(-20, -7), min_size=0, max_size=4)))
    data = engagement_data(
        Path("/nonexistent/drive"),
        workshop=datetime.combine(day, time(hour, 30)).isoformat(),
        timezone=zone,
        attendees=attendees,
        timeline={"questionnaire_reminders": reminders},
        compressed=draw(st.booleans()),
    )
    engagement = parse_engagement(data, "property", Path("/nonexistent"))
    lead_days = draw(st.integers(8, 50))
    kickoff = engagement.workshop_at - timedelta(days=lead_days, hours=draw(st.integers(0, 20)))
    return engagement, kickoff


RETURNS = st.lists(
    st.builds(
        Return,
        hours=st.floats(0, 60 * 24),
        who=st.integers(-1, 2),
        ok=st.booleans(),
        rsvp=st.integers(0, 2),
    ),
    max_size=6,
)


def judged_questionnaire_event(
    engagement: Engagement, item: Return, number: int, now: datetime, received: datetime
) -> Event:
    person = f"p{item.who}@acme.example"
    rsvp = RSVP_CHOICES[item.rsvp]
    verdict = QuestionnaireVerdict(
        ok=item.ok,
        person=person,
        unknown_sender=False,
        rsvp=rsvp,
        delegate_name=f"Delegate {number}" if item.rsvp == 2 else "",
        delegate_email=f"d{number}@acme.example" if item.rsvp == 2 else "",
        answers={},
        blank_prompts=(),
        problems=() if item.ok else (intake.Problem(None, None, "A question is blank."),),
        name_found=f"Person {item.who}",
        email_found=person,
    )
    return Event(
        SLUG,
        now,
        QUESTIONNAIRE_JUDGED,
        f"{SLUG}/inbox/return{number}",
        {
            "file": f"answers {number}.xlsx",
            "received": received.isoformat(),
            "stored": f"/drive/Inbox/answers {number}.xlsx",
            "sha256": f"{number:064x}",
            "ok": item.ok,
            "verdict": verdict.as_dict(),
        },
    )


def judged_list_event(item: Return, number: int, now: datetime, received: datetime) -> Event:
    return Event(
        SLUG,
        now,
        LIST_JUDGED,
        f"{SLUG}/inbox/list{number}",
        {
            "file": f"list {number}.xlsx",
            "received": received.isoformat(),
            "stored": f"/drive/Inbox/list {number}.xlsx",
            "sha256": f"{number:064x}",
            "ok": item.ok,
            "companies": 20 if item.ok else 3,
            "problems": [] if item.ok else [{"row": 4, "column": "Website", "message": "Fix it."}],
            "company_rows": [],  # no peer review: it needs the web
        },
    )


def performed(action: object, now: datetime, version: int) -> Event:
    """What the engine would record for `action` at `now`, without doing it."""
    if isinstance(action, SendMail):
        data = {
            "template": action.template,
            "to": list(action.to),
            "cc": list(action.cc),
            "subject": action.description,
            "to_client": action.template in CLIENT_CHASERS,
            "person": action.person,
        }
        return Event(SLUG, now, MAIL_SENT, action.key, data)
    if isinstance(action, WriteQuestionnaireSummary):
        data = {"stage": "questionnaire", "path": "/drive/summary.xlsx", "version": version}
        data |= {"invited": 0, "answered": 0, "topics": []}
        return Event(SLUG, now, DELIVERABLE_WRITTEN, action.key, data)
    if isinstance(action, WritePacket):
        data = {"stage": "packet", "path": "/drive/packet.xlsx", "part": "workbook"}
        data |= {"version": version, "fingerprint": action.fingerprint, "bytes": 1}
        data |= {"missing": [], "stale": [], "consensus": "/drive/consensus.xlsx"}
        return Event(SLUG, now, DELIVERABLE_WRITTEN, action.key, data)
    assert isinstance(action, WriteCompanyList), action
    data = {"stage": "company-list", "path": "/drive/list.xlsx", "companies": 20}
    return Event(SLUG, now, DELIVERABLE_WRITTEN, action.key, data)


def check_plan(state: State, now: datetime) -> list[object]:
    """The plan at `now`, with the invariants that hold for every plan."""
    current = plan(state, now)
    keys = [a.key for a in (*current.due, *current.upcoming)]
    assert len(keys) == len(set(keys)), "a key planned twice in one plan"
    assert all(state.done(a.key) is None for a in current.due), "a done action planned again"
    assert all(a.due <= now for a in current.due)
    assert not any(isinstance(a, TakeInFile) for a in current.due)  # no inbox here
    if state.closed:
        assert current.due == () and current.upcoming == () and current.next_due is None
    return list(current.due)


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    engagement_and_kickoff=engagements(),
    moments=st.lists(st.floats(0, 70 * 24), min_size=1, max_size=14),
    returns=RETURNS,
    close_after=st.one_of(st.none(), st.integers(0, 13)),
)
def test_the_plan_keeps_its_promises_over_any_history(
    engagement_and_kickoff: tuple[Engagement, datetime],
    moments: list[float],
    returns: list[Return],
    close_after: int | None,
) -> None:
    engagement, kickoff = engagement_and_kickoff
    try:
        build_timeline(engagement, kickoff)
    except KickoffTooLate:
        assume(False)
    started = {"kickoff": kickoff.isoformat(), "at_risk": False, "token_salt": "salt"}
    events = [Event(SLUG, kickoff, STARTED, f"{SLUG}/started", started)]
    pending = sorted(enumerate(returns), key=lambda r: r[1].hours)
    invited = len(engagement.attendees)
    for step, hours in enumerate(sorted(moments)):
        now = (kickoff + timedelta(hours=hours)).astimezone(UTC)
        while pending and kickoff + timedelta(hours=pending[0][1].hours) <= now:
            number, item = pending.pop(0)
            received = kickoff + timedelta(hours=item.hours)
            if item.who < 0:
                events.append(judged_list_event(item, number, now, received))
            elif item.who < invited:
                events.append(judged_questionnaire_event(engagement, item, number, now, received))
        for _ in range(10):  # as an advance does: act, then plan again
            state = State(engagement, tuple(events))
            due = check_plan(state, now)
            if not due:
                break
            summaries = len(questionnaire_summaries(state))
            events += [performed(action, now, summaries + 1) for action in due]
        else:
            raise AssertionError("the plan did not settle within ten rounds")
        if close_after is not None and step == close_after:
            events.append(
                Event(SLUG, now, DECISION, f"{SLUG}/decision/close", {"decision": "close"})
            )
            assert check_plan(State(engagement, tuple(events)), now + timedelta(days=1)) == []

    mails = [e for e in events if e.kind == MAIL_SENT]
    for template in sorted({str(m.data["template"]) for m in mails}):
        event(template)  # shown by --hypothesis-show-statistics: what the histories reached
    # Nobody is reminded within 20 hours of the last questionnaire mail they had from us.
    for person in {str(m.data["person"]) for m in mails if m.data["person"]}:
        theirs = [m for m in mails if m.data["person"] == person]
        theirs = [m for m in theirs if m.data["template"] in QUESTIONNAIRE_CHASERS]
        for before, after in zip(theirs, theirs[1:], strict=False):
            if after.data["template"] == "questionnaire_reminder":
                assert after.at - before.at >= MIN_GAP_BETWEEN_CHASERS, (person, before, after)
    # Nor is the client chased for its list within 20 hours of the last time.
    chased = sorted(
        [m for m in mails if m.data["template"] in CLIENT_CHASERS]
        + [e for e in events if e.kind == LIST_JUDGED and not e.data["ok"]],
        key=lambda e: e.at,
    )
    for before, after in zip(chased, chased[1:], strict=False):
        if after.kind == MAIL_SENT and after.data["template"] in (
            "company_list_reminder",
            "company_list_overdue",
        ):
            assert after.at - before.at >= MIN_GAP_BETWEEN_CHASERS, (before, after)
    # Each effect happened once.
    keys = [e.key for e in events if e.key is not None]
    assert len(keys) == len(set(keys))


def test_intake_key_is_what_the_property_histories_use() -> None:
    """The histories above stand in for the engine's intake: same key shape."""
    from smpp.drive import InboxFile

    engagement = parse_engagement(engagement_data(Path("/d")), "t", Path("/"))
    item = InboxFile("a.xlsx", "0" * 64, 1, 5)
    assert intake_key(State(engagement, ()), item) == f"{SLUG}/inbox/{'0' * 16}-5"


def test_the_zip_module_refuses_what_the_damaged_examples_feed_it() -> None:
    """A sanity check of the damage strategy: a cut workbook is no longer a zip."""
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(TEMPLATE[:100]))


# Found by the property above (and mended in smpp/plan.py):
def test_a_deferred_refusal_reply_and_a_reminder_never_go_out_together() -> None:
    rome = ZoneInfo("Europe/Rome")
    data = engagement_data(Path("/d"), workshop="2027-01-01T08:30:00", attendees=[])
    engagement = parse_engagement(data, "t", Path("/"))
    kickoff = datetime(2026, 12, 11, 8, 30, tzinfo=rome)  # a Friday
    started = {"kickoff": kickoff.isoformat(), "at_risk": False, "token_salt": "salt"}
    events = [Event(SLUG, kickoff, STARTED, f"{SLUG}/started", started)]
    evening = datetime(2026, 12, 11, 17, 30, tzinfo=rome)
    for now in (evening, datetime(2026, 12, 16, 9, 30, tzinfo=rome)):
        if now == evening:  # a refused list, judged by an advance run after hours
            events.append(judged_list_event(Return(0, -1, False, 0), 0, now, kickoff))
        for _ in range(10):
            due = plan(State(engagement, tuple(events)), now).due
            if not due:
                break
            events += [performed(action, now, 1) for action in due]
    sent = [(e.at, e.data["template"]) for e in events if e.kind == MAIL_SENT]
    wednesday = datetime(2026, 12, 16, 9, 30, tzinfo=rome)
    assert (wednesday, "company_list_rejected") in sent
    assert (wednesday, "company_list_reminder") not in sent


# Found by the property above (and mended in smpp/plan.py):
def test_an_invitation_and_a_reminder_never_go_out_together() -> None:
    rome = ZoneInfo("Europe/Rome")
    person = {"name": "Person 0", "email": "p0@acme.example", "role": "Role 0"}
    data = engagement_data(
        Path("/d"),
        workshop="2027-01-01T08:30:00",
        attendees=[person],
        timeline={"questionnaire_reminders": [-14]},
    )
    engagement = parse_engagement(data, "t", Path("/"))
    kickoff = datetime(2026, 12, 4, 8, 30, tzinfo=rome)
    started = {"kickoff": kickoff.isoformat(), "at_risk": False, "token_salt": "salt"}
    events = [Event(SLUG, kickoff, STARTED, f"{SLUG}/started", started)]
    early = kickoff + timedelta(hours=1)
    later = kickoff + timedelta(hours=337)  # past both T-21 (invitation) and T-14 (reminder)
    for now in (early, later):
        if now == early:  # a workbook of theirs, refused before anyone was invited
            events.append(
                judged_questionnaire_event(engagement, Return(0, 0, False, 0), 0, now, kickoff)
            )
        for _ in range(10):
            due = plan(State(engagement, tuple(events)), now).due
            if not due:
                break
            events += [performed(action, now, 1) for action in due]
    sent = [(e.at, e.data["template"]) for e in events if e.kind == MAIL_SENT]
    assert (later, "questionnaire_invitation") in sent
    assert (later, "questionnaire_reminder") not in sent
