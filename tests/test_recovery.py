"""When the record and the world disagree: a message sent but not recorded (a locked database, a
server hanging up after taking it) is never sent again by itself, the lead is told and decides;
an empty record beside a drive that shows the engagement ran is refused unless started over."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from smpp.cli import app
from smpp.decisions import Decision, DecisionError, decide, record
from smpp.engine import AdvanceFailed, advance
from smpp.events import MAIL_SENT, STARTED
from smpp.mailer import build_mailer
from smpp.models import parse_engagement
from smpp.recovery import EmptyRecord
from smpp.setup import Setup
from smpp.state import State
from smpp.store import Store
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)
REQUESTED = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
REQUEST_KEY = "acme-foods/company-list/request"
SUBJECT = (
    "Acme Foods social media policy workshop: your list of comparable companies, "
    "due Thursday 28 January 2027"
)
# Real time, for leases, as the store sees it: set by each test.
WALLCLOCK = datetime(2026, 12, 1, 9, tzinfo=UTC)


class DatabaseLock:
    """Another program holding the SQLite file's write lock (BEGIN EXCLUSIVE)."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)

    def hold(self) -> None:
        self.connection.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def smtp_setup(tmp_path: Path, server: SmtpServer, clock: list[datetime]) -> Setup:
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(server), attendees=[])
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(
        f"sqlite:///{tmp_path / 'state.db'}",
        wallclock=lambda: clock[0],
        busy_timeout=timedelta(milliseconds=100),
        retry_pauses=(0.05, 0.05),
    )
    return Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str))


def kinds(server: SmtpServer) -> list[str]:
    return [m.message["X-SMPP-Kind"] for m in server.collector.received]


def test_a_message_sent_but_not_recorded_is_held_and_the_lead_told_once(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    clock = [WALLCLOCK]
    setup = smtp_setup(tmp_path, smtp_server, clock)
    advance(setup, KICKOFF)
    # The server takes the message, and meanwhile another program locks the state database.
    lock = DatabaseLock(tmp_path / "state.db")
    smtp_server.collector.on_data = lambda _message: lock.hold()
    with pytest.raises(AdvanceFailed) as failed:
        advance(setup, REQUESTED)
    lock.release()
    smtp_server.collector.on_data = None
    database = f"sqlite:///{tmp_path / 'state.db'}"
    assert str(failed.value) == (
        "1 action(s) failed for acme-foods: The message went out, but the state database could "
        "not record it: it is held, not sent again, and unless it is recorded the account lead "
        "is told and decides\n"
        "  - Ask the client for its list of comparable companies: The message went out, but the "
        "state database could not record it: it is held, not sent again, and unless it is "
        "recorded the account lead is told and decides\n"
        f"    The state database {database} is locked by another program: let it finish, or "
        "close whatever holds it (a sqlite3 shell, a backup); the next advance tries again\n"
        "    OperationalError: (sqlite3.OperationalError) database is locked\n"
        "What failed stays due and is tried again on the next advance, except a message held in "
        "doubt, which waits for the account lead's decision."
    )
    held = setup.store.effect_status(REQUEST_KEY)
    assert held is not None and held["status"] == "sending"
    assert held["message_id"] == smtp_server.collector.received[0].message["Message-ID"]

    # The next advance, while the lease runs: not sent again.
    advance(setup, REQUESTED + timedelta(hours=1))
    assert kinds(smtp_server) == ["company_list_request"]

    # The lease has run out: nobody can know now; the account lead is told, once.
    clock[0] += timedelta(minutes=11)
    report = advance(setup, REQUESTED + timedelta(hours=2))
    assert report.done == [f"Tell the account lead that '{SUBJECT}' may not have gone out"]
    assert advance(setup, REQUESTED + timedelta(hours=3)).done == []
    assert kinds(smtp_server) == ["company_list_request", "mail_in_doubt"]
    notice = smtp_server.collector.received[1]
    assert notice.recipients == ["lea@agency.example"]
    assert notice.message["Subject"] == f"Acme Foods: a message may not have gone out ({SUBJECT})"
    body = notice.message.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert "  To:         Carl Client <carl@acme.example>\n" in text
    assert "  Cc:         Lea Lead <lea@agency.example>\n" in text
    assert "  Attempted:  Thu 14 Jan 2027, 09:30 CET\n" in text
    assert f"  Message-ID: {held['message_id']}\n" in text
    assert f"      smpp decide acme-foods resend --key {REQUEST_KEY}\n" in text
    assert f"      smpp decide acme-foods delivered --key {REQUEST_KEY}\n" in text
    # While in doubt, nothing that waits for the request goes out (no reminders).
    assert advance(setup, datetime(2027, 1, 25, 9, 30, tzinfo=ROME)).done == []

    # The lead finds it never arrived: the next advance sends it again, the same message.
    state = State(setup.engagement, tuple(setup.store.events_for("acme-foods")))
    now = datetime(2027, 1, 25, 10, tzinfo=ROME)
    record(setup.store, decide(state, Decision(kind="resend", key=REQUEST_KEY), now))
    report = advance(setup, datetime(2027, 1, 25, 10, 30, tzinfo=ROME))
    assert report.done[0] == "Ask the client for its list of comparable companies"
    first, _, again = smtp_server.collector.received[:3]
    assert again.message["Message-ID"] == first.message["Message-ID"]
    assert setup.store.in_doubt_effects("acme-foods") == []
    setup.store.close()


def test_a_server_hanging_up_after_taking_the_message_leaves_it_in_doubt_at_once(
    tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [WALLCLOCK]
    setup = smtp_setup(tmp_path, smtp_server, clock)
    advance(setup, KICKOFF)
    smtp_server.collector.hang_ups = 1
    with pytest.raises(AdvanceFailed, match="dropped the connection while taking the message"):
        advance(setup, REQUESTED)
    # Held in doubt straight away, and the lead told in the same advance.
    assert kinds(smtp_server) == ["company_list_request", "mail_in_doubt"]
    assert advance(setup, REQUESTED + timedelta(hours=1)).done == []

    # The lead knows it arrived: it counts as sent, as of when it was sent, and the stage goes on.
    monkeypatch.setenv("SMPP_DATABASE_URL", setup.store.url)
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(tmp_path / "engagements"))
    definition = tmp_path / "engagements" / "acme-foods.yaml"
    definition.parent.mkdir()
    definition.write_text(json.dumps(engagement_data(tmp_path / "drive", attendees=[])))
    runner = CliRunner()
    status = runner.invoke(app, ["status", "acme-foods", "--now", "2027-01-14T11:00"])
    assert (
        f"In doubt: '{SUBJECT}' to Carl Client <carl@acme.example>, attempted Thu 14 Jan 2027 "
        "09:30, may not have gone out; held until you decide: smpp decide acme-foods "
        f"resend|delivered --key {REQUEST_KEY}"
    ) in " ".join(status.output.split())
    wrong = runner.invoke(app, ["decide", "acme-foods", "delivered", "--key", "acme-foods/x"])
    assert wrong.exit_code == 2
    assert (
        f"'acme-foods/x' is not a message in doubt; those in doubt are: {REQUEST_KEY}."
        in " ".join(wrong.output.split())
    )
    said = runner.invoke(app, ["decide", "acme-foods", "delivered", "--key", REQUEST_KEY])
    assert said.exit_code == 0, said.output
    assert " ".join(said.output.split()) == (
        f"Recorded: {REQUEST_KEY} arrived; it counts as sent and is not sent again."
    )
    [sent] = [e for e in setup.store.events_for("acme-foods") if e.key == REQUEST_KEY]
    assert sent.kind == MAIL_SENT and sent.at == REQUESTED
    assert sent.data["where"] == "confirmed delivered by Lea Lead"
    report = advance(setup, datetime(2027, 1, 25, 9, 30, tzinfo=ROME))
    assert report.done == ["Remind the client of the company list (reminder)"]
    assert kinds(smtp_server).count("company_list_request") == 1
    state = State(setup.engagement, tuple(setup.store.events_for("acme-foods")))
    with pytest.raises(DecisionError, match="is recorded as sent already"):
        decide(state, Decision(kind="resend", key=REQUEST_KEY), REQUESTED)
    setup.store.close()


def outbox_setup(tmp_path: Path, database: str) -> Setup:
    engagement = parse_engagement(engagement_data(tmp_path / "drive"), "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / database}")
    return Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str))


def test_an_empty_record_beside_a_drive_that_ran_is_refused_unless_started_over(
    tmp_path: Path,
) -> None:
    first = outbox_setup(tmp_path, "state.db")
    advance(first, KICKOFF)
    advance(first, REQUESTED)
    first.store.close()
    drive = first.engagement.drive
    marker = json.loads((drive / ".smpp" / "engagement.json").read_text())
    assert marker["kickoff"] == "2027-01-04T10:00:00+01:00"
    assert marker["database"] == f"sqlite:///{tmp_path / 'state.db'}"

    # The state database is lost: a new, empty one is pointed at.
    lost = outbox_setup(tmp_path, "new.db")
    outbox = sorted((drive / "outbox").iterdir())
    with pytest.raises(EmptyRecord) as refused:
        advance(lost, REQUESTED + timedelta(days=1))
    assert str(refused.value) == (
        f"The state database sqlite:///{tmp_path / 'new.db'} has no record of acme-foods, but "
        "its drive folder shows it ran before, so nothing was done: restore the state database "
        "or point SMPP_DATABASE_URL at the one it used (the drive's marker names "
        f"sqlite:///{tmp_path / 'state.db'}); only to start this engagement again from nothing, "
        "run smpp advance acme-foods --start-over (the account lead is told).\n"
        f"Found in {drive}: the marker .smpp/engagement.json (kickoff 2027-01-04T10:00:00+01:00, "
        f"record kept in sqlite:///{tmp_path / 'state.db'}); 1 message(s) in the outbox."
    )
    assert lost.store.events_for("acme-foods") == []
    assert sorted((drive / "outbox").iterdir()) == outbox

    # Started over on purpose: recorded, and the lead told.
    restart = datetime(2027, 1, 15, 10, tzinfo=ROME)
    report = advance(lost, restart, start_over=True)
    assert report.done == [
        "Tell the account lead the engagement was started over on an empty record",
        "Ask the client for its list of comparable companies",
    ]
    [started] = [e for e in lost.store.events_for("acme-foods") if e.kind == STARTED]
    assert started.data["started_over"]["found"] == refused.value.found
    notice = next(p for p in (drive / "outbox").iterdir() if "engagement_started_over" in p.name)
    assert "1 message(s) in the outbox" in notice.read_text()
    marker = json.loads((drive / ".smpp" / "engagement.json").read_text())
    assert marker["kickoff"] == "2027-01-15T10:00:00+01:00"
    assert advance(lost, restart).done == []
    lost.store.close()


def test_an_engagement_started_before_markers_gets_one(tmp_path: Path) -> None:
    setup = outbox_setup(tmp_path, "state.db")
    advance(setup, KICKOFF)
    marker = setup.engagement.drive / ".smpp" / "engagement.json"
    marker.unlink()
    advance(setup, KICKOFF + timedelta(hours=1))
    assert json.loads(marker.read_text())["engagement"] == "acme-foods"
    setup.store.close()


def test_people_s_own_files_in_the_drive_are_no_sign_that_it_ran(tmp_path: Path) -> None:
    setup = outbox_setup(tmp_path, "state.db")
    notes = setup.engagement.drive / "01 Company list" / "Kick-off notes.docx"
    notes.parent.mkdir(parents=True)
    notes.write_bytes(b"the lead's own notes")
    advance(setup, KICKOFF)  # started, not refused
    assert [e.kind for e in setup.store.events_for("acme-foods")] == [STARTED]
    setup.store.close()
