"""The client's folder on the drive, which the client can write to: names made safe, writes kept
inside the folder, and only regular files taken from the inbox (links, pipes, sockets and stray
folders refused unread, the account lead told once about each)."""

from __future__ import annotations

import email
import email.policy
import os
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from smpp import drive
from smpp.engine import advance
from smpp.mailer import OutboxMailer
from smpp.models import Engagement, parse_engagement
from smpp.setup import Setup
from smpp.stages.company_list.demo import DEMO_COMPANIES
from smpp.store import Store
from tests.conftest import engagement_data

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)
LATER = datetime(2027, 1, 14, 10, tzinfo=ROME)
SECRET = "TOP-SECRET-CONTENT-OF-THE-TARGET"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Northwind Outdoor Gear", "Northwind Outdoor Gear"),
        ("Acme Foods", "Acme Foods"),
        ("Société Générale & Fils (Europe) Ltd.", "Société Générale & Fils (Europe) Ltd"),
        ("2027-01-22 1115 list.xlsx", "2027-01-22 1115 list.xlsx"),
        ("Acme/../../../../../outside/ESCAPED", "Acme_._._._._._outside_ESCAPED"),
        ("..", "unnamed"),
        ("", "unnamed"),
        (".hidden", "hidden"),
        ("back\\slash", "back_slash"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("two\r\nlines\ttab\x00nul", "two__lines_tab_nul"),
        ("trailing dots...", "trailing dots"),
        ("CON", "_CON"),
        ("lpt1.txt", "_lpt1.txt"),
        ("x" * 100, "x" * 80),
        ("y" * 100 + ".xlsx", "y" * 75 + ".xlsx"),
    ],
)
def test_safe_name_leaves_ordinary_names_alone_and_makes_the_rest_safe(
    text: str, expected: str
) -> None:
    assert drive.safe_name(text) == expected


def test_a_write_outside_the_drive_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "drive"
    root.mkdir()
    with pytest.raises(drive.DriveError, match="is not inside the engagement's drive folder"):
        drive.write_atomically(root / ".." / "outside.txt", b"x", root=root)
    (root / "01 Company list").symlink_to(tmp_path)  # a stage folder replaced by a link
    with pytest.raises(drive.DriveError, match="is not inside the engagement's drive folder"):
        drive.write_atomically(root / "01 Company list" / "list.xlsx", b"x", root=root)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drive"]
    assert drive.write_atomically(root / "a" / "b.txt", b"x", root=root).read_bytes() == b"x"


def test_a_link_planted_under_the_temporary_name_is_not_written_through(tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("untouched")
    path = tmp_path / "drive" / "out.txt"
    path.parent.mkdir()
    (path.parent / f".out.txt.{os.getpid()}.tmp").symlink_to(target)
    drive.write_atomically(path, b"new", root=tmp_path / "drive")
    assert path.read_bytes() == b"new" and target.read_text() == "untouched"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda root: (root.parent.mkdir(parents=True), root.write_text("a file")),
            "the drive folder {root} cannot be used: {root} is a file, not a folder",
        ),
        (
            lambda root: (root.mkdir(parents=True), (root / "Inbox").write_text("a file")),
            "the drive folder {root} cannot be used: {root}/Inbox is a file, not a folder",
        ),
    ],
)
def test_a_drive_that_cannot_hold_the_folders_is_a_clear_error(
    tmp_path: Path, make: object, message: str
) -> None:
    root = tmp_path / "mount" / "Acme"
    make(root)  # type: ignore[operator]
    with pytest.raises(drive.DriveError) as refused:
        drive.ensure_layout(root)
    assert str(refused.value).startswith(message.format(root=root))
    assert "Check 'drive:' in the engagement file" in str(refused.value)


def test_a_drive_under_proc_is_a_clear_error() -> None:
    with pytest.raises(drive.DriveError, match="the drive folder /proc/self cannot be used"):
        drive.ensure_layout(Path("/proc/self"))


# --- the inbox -------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the drive with a file whose content must never reach anyone."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    rows = ["Company name,Website", *(f"{SECRET} {n},{c[1]}" for n, c in enumerate(DEMO_COMPANIES))]
    (folder / "list.csv").write_text("\n".join(rows) + "\n")
    return folder


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    data = engagement_data(tmp_path / "drive", attendees=[])
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    yield Setup(engagement, store, OutboxMailer(tmp_path / "out"))
    store.close()


def sent(tmp_path: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for p in sorted((tmp_path / "out").glob("*.eml"))
    ]


def every_byte_written(tmp_path: Path, engagement: Engagement) -> bytes:
    """All the drive holds (links not followed) and all that was mailed."""
    found = b""
    for folder in (engagement.drive, tmp_path / "out"):
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                found += path.read_bytes()
    return found


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize(
    ("name", "make", "what"),
    [
        ("list.csv", lambda path, there: path.symlink_to(there / "list.csv"), "a symbolic link"),
        ("passwd.xlsx", lambda path, there: path.symlink_to("/etc/passwd"), "a symbolic link"),
        ("Elsewhere", lambda path, there: path.symlink_to(there), "a symbolic link"),
        ("list.xlsx", lambda path, there: os.mkfifo(path), "a named pipe (FIFO)"),
        ("list.sock", lambda path, there: make_socket(path), "a socket"),
        ("Old lists", lambda path, there: path.mkdir(), "a folder"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_unread_and_the_lead_told_once(
    tmp_path: Path, setup: Setup, elsewhere: Path, name: str, make: object, what: str
) -> None:
    engagement = setup.engagement
    advance(setup, KICKOFF)
    make(drive.inbox_dir(engagement.drive) / name, elsewhere)  # type: ignore[operator]
    report = advance(setup, LATER)
    again = advance(setup, LATER.replace(hour=11))
    refused = f"Tell the account lead that '{name}' in the inbox is {what}, refused unread"
    assert refused in report.done and refused not in again.done
    [mail] = [m for m in sent(tmp_path) if m["X-SMPP-Kind"] == "inbox_entry_refused"]
    assert mail["To"] == "Lea Lead <lea@agency.example>"
    assert mail["Subject"] == "Acme Foods: something in the inbox that is not a file was refused"
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f'"{name}" in the Acme Foods inbox is {what}, not a regular file' in " ".join(
        body.split()
    )
    # Left where it is; nothing taken in, copied or answered; no word of the target anywhere.
    assert os.path.lexists(drive.inbox_dir(engagement.drive) / name)
    inbox = drive.inbox_dir(engagement.drive)
    assert list((inbox / "Rejected").iterdir()) == list((inbox / "Accepted").iterdir()) == []
    replies = {"company_list_rejected", "company_list_accepted"}
    assert not [m for m in sent(tmp_path) if m["X-SMPP-Kind"] in replies]
    written = every_byte_written(tmp_path, engagement)
    assert SECRET.encode() not in written and b"root:x:0:0" not in written


def test_a_regular_file_beside_a_refused_link_is_still_taken_in(
    tmp_path: Path, setup: Setup, elsewhere: Path
) -> None:
    engagement = setup.engagement
    advance(setup, KICKOFF)
    inbox = drive.inbox_dir(engagement.drive)
    (inbox / "link.csv").symlink_to(elsewhere / "list.csv")
    (inbox / "mine.csv").write_text("Company name,Website\nAcme,acme.com\n")
    report = advance(setup, LATER)
    assert "Take in 'mine.csv' from the inbox" in report.done
    assert [p.name for p in (inbox / "Rejected").iterdir()] == [
        "2027-01-14 1000 mine.csv",
        "2027-01-14 1000 mine.csv.problems.txt",
    ]


def test_a_file_swapped_for_a_link_after_the_scan_is_not_read(tmp_path: Path) -> None:
    """The judges open what they read without following links, so a swap between the scan and
    the reading finds a link and reads nothing."""
    from smpp.stages.company_list.judge import judge_company_list

    target = tmp_path / "secret.csv"
    target.write_text(f"Company name,Website\n{SECRET},acme.com\n")
    link = tmp_path / "list.csv"
    link.symlink_to(target)
    verdict = judge_company_list(link, min_companies=1)
    assert not verdict.ok
    assert [p.message for p in verdict.problems] == [
        "list.csv is not a file itself (it is a link or a special file), so it was not read. "
        "Please send the file itself."
    ]


def test_a_client_name_that_is_a_path_writes_inside_the_drive(tmp_path: Path, sites: Any) -> None:
    from smpp.simulation import demo_web, run_engagement
    from smpp.stages.company_list.demo import happenings as client_drops

    name = "Acme/../../../../../outside/ESCAPED"
    data = engagement_data(tmp_path / "drive", client=name, attendees=[])
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    setup = Setup(engagement, store, OutboxMailer(tmp_path / "drive" / "Outbox"), demo_web(sites))
    try:
        run_engagement(setup, KICKOFF, client_drops(engagement, KICKOFF))
    finally:
        store.close()
    outside = [p for p in tmp_path.rglob("*") if not p.is_relative_to(tmp_path / "drive")]
    assert sorted(str(p.relative_to(tmp_path)) for p in outside) == ["state.db"]
    safe = "Acme_._._._._._outside_ESCAPED"
    deliverables = [p.name for p in (tmp_path / "drive").glob("0*/*.xlsx") if p.is_file()]
    assert sorted(deliverables) == [
        f"Company list - {safe} - 2027-01-25.xlsx",
        f"Consensus - {safe} - v1.xlsx",
        f"Peer review - {safe} - v1.xlsx",
        f"Workshop packet - {safe} - v1.xlsx",
    ]
    attachments = {
        part.get_filename()
        for path in (tmp_path / "drive" / "Outbox").glob("*.eml")
        for part in email.message_from_bytes(
            path.read_bytes(), policy=email.policy.default
        ).iter_attachments()  # type: ignore[attr-defined]
    }
    assert attachments == {
        f"Company list - {safe}.xlsx",
        f"Workshop packet - {safe} - v1.xlsx",  # to the client contact: nobody is invited
        f"Workshop packet - {safe} - v1.html",
        f"Workshop packet - {safe} - v1.docx",
    }


def test_attachment_names_are_safe_names(tmp_path: Path) -> None:
    from datetime import date

    from smpp.stages.questionnaire.performers import questionnaire_attachment
    from smpp.stages.questionnaire.workbook import Invitee

    data = engagement_data(tmp_path / "drive", client="Acme/../Foods")
    engagement = parse_engagement(data, "test", tmp_path)
    invitee = Invitee("Ann/../../Archer", "ann@acme.example", "Comms", "ABCD-EFGH", True)
    attachment = questionnaire_attachment(engagement, invitee, date(2027, 2, 4))
    assert attachment.filename == "Questionnaire - Acme_._Foods - Ann_._._Archer.xlsx"
