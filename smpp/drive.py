"""The client's folder on the shared drive: numbered stage folders for deliverables and an inbox.

People drop returned files into the inbox; once taken in, a file moves to `Inbox/Accepted` or
`Inbox/Rejected` (with the reasons beside it). Nothing is ever deleted, and every write is atomic,
so a reader on the drive never sees half a workbook.
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

STAGE_FOLDERS: dict[str, str] = {
    "company-list": "01 Company list",
    "questionnaire": "02 Questionnaire",
    "peer-review": "03 Peer review",
    "packet": "04 Workshop packet",
    "policy": "05 Policy",
    "follow-up": "06 Follow-up",
}
INBOX = "Inbox"
ACCEPTED = "Accepted"
REJECTED = "Rejected"
# Files a sync client or an editor leaves behind while it works; never taken in.
_IGNORED_PREFIXES = (".", "~$", "~")
_IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")


@dataclass(frozen=True)
class InboxFile:
    name: str
    sha256: str
    size: int
    mtime_ns: int

    @property
    def intake_id(self) -> str:
        # Content and drop time: the same file dropped again later is a new submission to answer.
        return f"{self.sha256[:16]}-{self.mtime_ns}"


def ensure_layout(drive: Path) -> None:
    for folder in STAGE_FOLDERS.values():
        (drive / folder).mkdir(parents=True, exist_ok=True)
    for folder in (ACCEPTED, REJECTED):
        (drive / INBOX / folder).mkdir(parents=True, exist_ok=True)


def stage_dir(drive: Path, stage: str) -> Path:
    return drive / STAGE_FOLDERS[stage]


def inbox_dir(drive: Path) -> Path:
    return drive / INBOX


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def scan_inbox(drive: Path) -> tuple[InboxFile, ...]:
    """The files waiting in the inbox, oldest first (sub-folders hold what was already taken in)."""
    inbox = inbox_dir(drive)
    if not inbox.is_dir():
        return ()
    found = []
    for path in inbox.iterdir():
        if not path.is_file() or path.name.startswith(_IGNORED_PREFIXES):
            continue
        if path.name.lower().endswith(_IGNORED_SUFFIXES):
            continue
        try:
            info = path.stat()
            found.append(InboxFile(path.name, file_sha256(path), info.st_size, info.st_mtime_ns))
        except FileNotFoundError:
            continue  # another worker took it in while we looked
    return tuple(sorted(found, key=lambda f: (f.mtime_ns, f.name)))


def write_atomically(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
    # A writer killed midway left its temporary file behind: only the one holding the claim on
    # this file writes it, so any other temporary of the same name is such a leftover.
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        leftover.unlink(missing_ok=True)
    return path


def archive_name(received_label: str, original: str) -> str:
    return f"{received_label} {original}"
