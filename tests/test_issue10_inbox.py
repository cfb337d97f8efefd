"""Issue 10, point 1, for the one kind of entry tests/test_drive.py does not make: a device node
in the inbox (README: "a symbolic link, a pipe, a socket, a device ... is refused unread")."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from smpp import drive
from smpp.engine import advance
from smpp.setup import Setup
from tests.test_drive import KICKOFF, LATER, sent, setup  # noqa: F401 (setup: a fixture)


@pytest.mark.parametrize(("kind", "what"), [(stat.S_IFCHR, "a device"), (stat.S_IFBLK, "a device")])
def test_a_device_in_the_inbox_is_refused_unread_and_the_lead_told_once(
    tmp_path: Path,
    setup: Setup,  # noqa: F811
    kind: int,
    what: str,
) -> None:
    engagement = setup.engagement
    advance(setup, KICKOFF)
    path = drive.inbox_dir(engagement.drive) / "list.xlsx"
    try:
        os.mknod(path, kind | 0o600, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("device nodes cannot be made here")
    report = advance(setup, LATER)
    again = advance(setup, LATER.replace(hour=11))
    refused = f"Tell the account lead that 'list.xlsx' in the inbox is {what}, refused unread"
    assert refused in report.done, report.done
    assert not [line for line in again.done if "'list.xlsx'" in line]
    [mail] = [m for m in sent(tmp_path) if m["X-SMPP-Kind"] == "inbox_entry_refused"]
    assert mail["To"] == "Lea Lead <lea@agency.example>"
    assert os.path.lexists(path) and stat.S_IFMT(os.lstat(path).st_mode) == kind
    inbox = drive.inbox_dir(engagement.drive)
    assert list((inbox / "Rejected").iterdir()) == list((inbox / "Accepted").iterdir()) == []
