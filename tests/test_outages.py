"""Outages: the mail server down for a day, a company site down, the drive unwritable, the state
database locked or gone. Each fails the advance in words naming the system, loses nothing (the
file stays in the inbox, the action stays due), and once the fault is cleared the engagement
resumes with every effect done once.

The engagement: the list was requested, and the client's good list waits in the inbox; an advance
takes it in, replies, files it, reviews the sample sites' policies and tells the lead."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from typer.testing import CliRunner

from smpp import drive
from smpp.engine import AdvanceFailed, advance
from smpp.fetch import FetchSettings
from smpp.mailer import build_mailer
from smpp.models import parse_engagement
from smpp.recovery import EmptyRecord
from smpp.setup import Setup, Web
from smpp.simulation import demo_web
from smpp.site_server import SiteServer, demo_client
from smpp.stages.company_list.demo import happenings as client_drops
from smpp.stages.peer_review.events import COMPANY_REVIEWED
from smpp.store import Store
from tests.conftest import SmtpServer, engagement_data, free_port, smtp_mail
from tests.test_store import POSTGRES_URL, postgres_reachable

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)
REQUESTED = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
DROPPED = datetime(2027, 1, 25, 15, 40, tzinfo=ROME)
LIST = "Northwind comparables v2.xlsx"
DONE_ONCE = [
    "company_list_request",
    "company_list_accepted",
    "peer_review_ready",
]


def list_waiting(tmp_path: Path, server: SmtpServer, web: Web, store: Store | None = None) -> Setup:
    """The engagement with its list requested and the client's good list in the inbox."""
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(server), attendees=[])
    engagement = parse_engagement(data, "test", tmp_path)
    store = store or Store(f"sqlite:///{tmp_path / 'state.db'}")
    setup = Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str), web)
    advance(setup, KICKOFF)
    advance(setup, REQUESTED)
    good = client_drops(engagement, KICKOFF)[1]
    (drive.inbox_dir(engagement.drive) / good.name).write_bytes(good.content)
    return setup


def assert_done_once(setup: Setup, server: SmtpServer) -> None:
    received = server.collector.received
    assert [m.message["X-SMPP-Kind"] for m in received] == DONE_ONCE
    assert len({m.message["Message-ID"] for m in received}) == len(received)
    folder = setup.engagement.drive
    assert [p.name for p in (folder / "01 Company list").iterdir()] == [
        "Company list - Acme Foods - 2027-01-25.xlsx"
    ]
    assert [p.name for p in (folder / "03 Peer review").glob("*.xlsx")] == [
        "Peer review - Acme Foods - v1.xlsx"
    ]
    [accepted] = (folder / "Inbox" / "Accepted").iterdir()  # taken in once
    assert accepted.name.endswith(LIST)
    assert setup.store.failed_effects("acme-foods") == []


def first_line(failed: pytest.ExceptionInfo[AdvanceFailed]) -> str:
    return str(failed.value).splitlines()[0]


def test_the_mail_server_down_for_a_day(
    tmp_path: Path, smtp_server: SmtpServer, sites: SiteServer
) -> None:
    setup = list_waiting(tmp_path, smtp_server, demo_web(sites))
    smtp_server.stop()
    with pytest.raises(AdvanceFailed) as failed:
        advance(setup, DROPPED)
    assert first_line(failed) == (
        f"2 action(s) failed for acme-foods: SMTP server 127.0.0.1:{smtp_server.port} refused "
        "the connection: check mail.smtp in acme-foods.yaml and the SMTP secret"
    )
    assert failed.value.report.failed[0][0] == f"Tell the client the list '{LIST}' was accepted"
    with pytest.raises(AdvanceFailed):
        advance(setup, datetime(2027, 1, 26, 9, 30, tzinfo=ROME))  # still down the next day
    assert {f["attempts"] for f in setup.store.failed_effects("acme-foods")} == {2}

    smtp_server.start()
    report = advance(setup, datetime(2027, 1, 26, 10, 30, tzinfo=ROME))
    assert report.done == [
        f"Tell the client the list '{LIST}' was accepted",
        "Tell the account lead the peer review is ready",
    ]
    assert_done_once(setup, smtp_server)
    setup.store.close()


def test_a_company_site_down_is_passed_over_with_its_reason(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    # Northpass answers too late for the fetch's patience: down, as far as the review can tell.
    with SiteServer(delays={"northpass.example": 2.0, "fjellvind.example": 0.0}) as sites:
        web = Web(FetchSettings(allow_private=True, timeout=0.3), lambda: demo_client(sites))
        setup = list_waiting(tmp_path, smtp_server, web)
        advance(setup, DROPPED)
    reviews = [e.data for e in setup.store.events_for("acme-foods") if e.kind == COMPANY_REVIEWED]
    [northpass] = [r for r in reviews if r["domain"] == "northpass.example"]
    assert not northpass["found"]
    assert any("timed out after 0.3 s" in note for note in northpass["notes"]), northpass["notes"]
    assert len([r for r in reviews if r["found"]]) == 5  # another company reviewed instead
    setup.store.close()


def test_a_drive_folder_that_cannot_be_made(
    tmp_path: Path, smtp_server: SmtpServer, sites: SiteServer
) -> None:
    # Root writes through permission bits; a file where a folder should be stops anyone.
    setup = list_waiting(tmp_path, smtp_server, demo_web(sites))
    stage = setup.engagement.drive / "01 Company list"
    stage.rmdir()
    stage.write_text("someone saved a file here")
    # Found before anything is done, and said as it is.
    with pytest.raises(drive.DriveError) as failed:
        advance(setup, DROPPED)
    assert str(failed.value) == (
        f"the drive folder {setup.engagement.drive} cannot be used: {stage} is a file, not a "
        "folder. Check 'drive:' in the engagement file and the drive mount."
    )
    assert (drive.inbox_dir(setup.engagement.drive) / LIST).is_file()  # still waiting
    assert len(smtp_server.collector.received) == 1  # the request only

    stage.unlink()
    advance(setup, DROPPED + timedelta(hours=1))
    assert_done_once(setup, smtp_server)
    setup.store.close()


def test_the_state_database_locked_by_another_program(
    tmp_path: Path, smtp_server: SmtpServer, sites: SiteServer
) -> None:
    path = tmp_path / "state.db"
    store = Store(f"sqlite:///{path}", busy_timeout=timedelta(milliseconds=100))
    setup = list_waiting(tmp_path, smtp_server, demo_web(sites), store)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(AdvanceFailed) as failed:
        advance(setup, DROPPED)
    assert first_line(failed) == (
        f"1 action(s) failed for acme-foods: The state database sqlite:///{path} is locked by "
        "another program: let it finish, or close whatever holds it (a sqlite3 shell, a "
        "backup); the next advance tries again"
    )
    assert (drive.inbox_dir(setup.engagement.drive) / LIST).is_file()

    holder.execute("ROLLBACK")
    holder.close()
    advance(setup, DROPPED + timedelta(hours=1))
    assert_done_once(setup, smtp_server)
    store.close()


def test_the_state_database_deleted_then_restored(
    tmp_path: Path, smtp_server: SmtpServer, sites: SiteServer
) -> None:
    setup = list_waiting(tmp_path, smtp_server, demo_web(sites))
    setup.store.close()
    path = tmp_path / "state.db"
    shutil.copy(path, tmp_path / "backup.db")  # closed, so the file holds everything
    path.unlink()
    gone = Setup(setup.engagement, Store(f"sqlite:///{path}"), setup.mailer, setup.web)
    with pytest.raises(EmptyRecord, match="has no record of acme-foods"):
        advance(gone, DROPPED)
    gone.store.close()
    assert (drive.inbox_dir(setup.engagement.drive) / LIST).is_file()

    path.unlink()
    shutil.copy(tmp_path / "backup.db", path)
    restored = Setup(setup.engagement, Store(f"sqlite:///{path}"), setup.mailer, setup.web)
    advance(restored, DROPPED + timedelta(hours=1))
    assert_done_once(restored, smtp_server)
    restored.store.close()


@pytest.mark.prefect
@pytest.mark.postgres
@pytest.mark.usefixtures("prefect_harness")
def test_the_state_database_unreachable_then_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    slug = f"outage-{uuid.uuid4().hex[:8]}"  # the PostgreSQL database is shared between runs
    folder = tmp_path / "engagements"
    folder.mkdir()
    data = engagement_data(tmp_path / "drive", slug=slug, mail=smtp_mail(smtp_server))
    (folder / f"{slug}.yaml").write_text(yaml.safe_dump(data))
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(folder))
    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    monkeypatch.setenv("SMPP_DATABASE_URL", closed)
    from smpp.cli import app

    runner = CliRunner()
    kickoff = ["advance", slug, "--now", "2027-01-04T10:00"]
    down = runner.invoke(app, kickoff)
    assert down.exit_code == 1
    assert (
        f"error: The state database {closed} cannot be reached: check SMPP_DATABASE_URL and "
        "that the database server is running"
    ) in " ".join(down.output.split())
    monkeypatch.setenv("SMPP_DATABASE_URL", POSTGRES_URL)
    assert runner.invoke(app, kickoff).exit_code == 0
    request = runner.invoke(app, ["advance", slug, "--now", "2027-01-14T09:30"])
    assert "done  Ask the client for its list of comparable companies" in request.output
    assert [m.message["X-SMPP-Kind"] for m in smtp_server.collector.received] == [
        "company_list_request"
    ]
