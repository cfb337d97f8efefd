"""The client's folder on the shared drive: numbered stage folders for deliverables and an inbox.

People drop returned files into the inbox; once taken in, a file moves to `Inbox/Accepted` or
`Inbox/Rejected` (with the reasons beside it). Nothing is ever deleted, and every write is atomic,
so a reader on the drive never sees half a workbook.

The drive is shared with the client, so what is on it is not trusted: only regular files are
taken from the inbox (a link, pipe, device or stray folder is refused unread, `scan_inbox`),
files are opened without following links (`open_regular`), names made from outside text are
made safe (`safe_name`), and every write is checked to stay inside the engagement's folder.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# The folders of stages still to be built, after those the stages declare; a stage built later
# declares its own and leaves this list.
LATER_FOLDERS: dict[str, str] = {}


def stage_folders() -> dict[str, str]:
    """Each stage's folder on the client's drive, by stage name, in the method's order."""
    from smpp.stages import stages  # on first use: the stages import this module

    return {stage.name: stage.folder for stage in stages()} | LATER_FOLDERS


INBOX = "Inbox"
ACCEPTED = "Accepted"
REJECTED = "Rejected"
# Files a sync client or an editor leaves behind while it works; never taken in.
_IGNORED_PREFIXES = (".", "~$", "~")
_IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")


# Longest piece of outside text (a client's or person's name) kept in a file name.
MAX_NAME_CHARS = 80
# Characters Windows (and so an SMB share) refuses in names, besides the control characters.
_RESERVED_CHARS = frozenset('<>:"/\\|?*')
_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
)


class DriveError(RuntimeError):
    """The drive folder cannot be used as it is; the message says what to check."""


def safe_name(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """Outside text (a client's name, a person's name, a file name) made fit to be part of a
    file name on the drive: no path separators or other characters Windows refuses, no control
    characters, no `..`, no leading dots or trailing dots and spaces, not a reserved device name,
    at most `limit` characters (a short extension kept). Ordinary names come back unchanged."""
    kept = "".join(
        "_" if ch in _RESERVED_CHARS or unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
    )
    kept = re.sub(r"\.{2,}", ".", kept).lstrip(". ").rstrip(". ")
    if len(kept) > limit:
        stem, dot, suffix = kept.rpartition(".")
        if dot and stem and 0 < len(suffix) <= 10:
            kept = stem[: limit - len(suffix) - 1].rstrip(". ") + "." + suffix
        else:
            kept = kept[:limit].rstrip(". ")
    if kept.split(".", 1)[0].strip().upper() in _RESERVED_NAMES:
        kept = "_" + kept
    return kept or "unnamed"


def check_inside(root: Path, path: Path) -> Path:
    """`path` resolved, if it lies inside the folder `root`; DriveError otherwise. Links are
    resolved first, so a stage folder replaced by a link to elsewhere is caught too."""
    base = root.resolve()
    resolved = path.resolve()
    if resolved == base or not resolved.is_relative_to(base):
        raise DriveError(
            f"refused to write {path}: it is not inside the engagement's drive folder {root}. "
            "A name in the engagement file may hold a path; nothing was written."
        )
    return resolved


@dataclass(frozen=True)
class RefusedEntry:
    """Something in the inbox that is not a regular file: never opened, read or moved."""

    name: str
    what: str  # "a symbolic link", "a named pipe", ... for the account lead
    ident: str  # stable while the entry stays as it is: the key of the one mail about it


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
    """The stage folders and the inbox, created if missing; DriveError, in words, when the
    drive's path cannot hold them (a file where a folder should be, no permission, /proc)."""
    folders = [drive / f for f in stage_folders().values()]
    folders += [drive / INBOX / f for f in (ACCEPTED, REJECTED)]
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not folder.is_dir():
                raise NotADirectoryError(folder)
        except (FileExistsError, NotADirectoryError):
            raise DriveError(
                f"the drive folder {drive} cannot be used: {_file_in_the_way(folder)} is a "
                "file, not a folder. Check 'drive:' in the engagement file and the drive mount."
            ) from None
        except PermissionError:
            raise DriveError(
                f"the drive folder {drive} cannot be used: no permission to create {folder}. "
                "Check 'drive:' in the engagement file and the drive mount's permissions."
            ) from None
        except OSError as exc:
            raise DriveError(
                f"the drive folder {drive} cannot be used: {folder} cannot be created "
                f"({exc.strerror or type(exc).__name__}). Check 'drive:' in the engagement "
                "file and the drive mount."
            ) from None


def _file_in_the_way(folder: Path) -> Path:
    """The first part of `folder`'s path that exists but is not a folder."""
    for part in reversed(folder.parents):
        if part.exists() and not part.is_dir():
            return part
    return folder


def stage_dir(drive: Path, stage: str) -> Path:
    return drive / stage_folders()[stage]


def write_deliverable(drive: Path, stage: str, name: str, content: bytes) -> Path:
    """A stage's deliverable, written whole into the stage's folder (never outside the drive)."""
    return write_atomically(stage_dir(drive, stage) / name, content, root=drive)


def inbox_dir(drive: Path) -> Path:
    return drive / INBOX


class NotARegularFile(OSError):
    """A path that is a link, pipe, device, socket or folder where a file was expected."""


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """`path` opened for reading only if it is a regular file itself: a symbolic link is not
    followed (O_NOFOLLOW), and a pipe or device is refused without blocking (O_NONBLOCK)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise NotARegularFile(f"{path.name} is a symbolic link") from None
        raise exc
    handle = os.fdopen(descriptor, "rb")
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(f"{path.name} is not a regular file")
        yield handle
    finally:
        handle.close()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _ignored(name: str) -> bool:
    return name.startswith(_IGNORED_PREFIXES) or name.lower().endswith(_IGNORED_SUFFIXES)


def _what(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISBLK(mode) or stat.S_ISCHR(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _refused(name: str, what: str, info: os.stat_result | None) -> RefusedEntry:
    seen = f"{name}\0{what}\0{info.st_ino if info else ''}\0{info.st_mtime_ns if info else ''}"
    return RefusedEntry(name, what, hashlib.sha256(seen.encode()).hexdigest()[:16])


def _survey(drive: Path) -> tuple[list[tuple[str, os.stat_result]], list[RefusedEntry]]:
    """The inbox's regular files (name, lstat) and everything else, refused: links, pipes,
    devices, sockets, folders other than Accepted and Rejected, what cannot be examined or
    opened. Looked at with lstat and opened with O_NOFOLLOW: nothing is followed or read."""
    inbox = inbox_dir(drive)
    try:
        entries = list(os.scandir(inbox))
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    regular, refused = [], []
    for entry in entries:
        name = entry.name
        if _ignored(name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # another worker took it in while we looked
        except OSError:
            refused.append(_refused(name, "a file that cannot be examined", None))
            continue
        if stat.S_ISDIR(info.st_mode) and name in (ACCEPTED, REJECTED):
            continue  # what was already taken in
        if not stat.S_ISREG(info.st_mode):
            refused.append(_refused(name, _what(info.st_mode), info))
            continue
        try:
            with open_regular(inbox / name):
                pass
        except (FileNotFoundError, NotARegularFile):
            continue  # gone or replaced while we looked: the next look sees what it is now
        except OSError:
            refused.append(_refused(name, "a file that cannot be opened", info))
            continue
        regular.append((name, info))
    return regular, sorted(refused, key=lambda r: r.name)


def refused_in_inbox(drive: Path) -> tuple[RefusedEntry, ...]:
    """What is in the inbox but is not a regular file: refused unread."""
    return tuple(_survey(drive)[1])


def scan_inbox(drive: Path) -> tuple[InboxFile, ...]:
    """The regular files waiting in the inbox, oldest first, with their content's SHA-256."""
    found = []
    for name, info in _survey(drive)[0]:
        try:
            digest = file_sha256(inbox_dir(drive) / name)
        except OSError:
            continue  # gone, replaced or unreadable since: the next look refuses or takes it
        found.append(InboxFile(name, digest, info.st_size, info.st_mtime_ns))
    return tuple(sorted(found, key=lambda f: (f.mtime_ns, f.name)))


def write_atomically(path: Path, content: bytes, root: Path | None = None) -> Path:
    """Write `content` to `path` through a temporary file and a rename. With `root` (the
    engagement's drive folder), refuses (DriveError) a path that would land outside it."""
    if root is not None:
        check_inside(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if root is not None:
        check_inside(root, path)  # again, now the folders exist: a link among them counts
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    # O_EXCL | O_NOFOLLOW: a link planted under the temporary name is never written through.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    with os.fdopen(os.open(temporary, flags, 0o644), "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)
    # A writer killed midway left its temporary file behind: only the one holding the claim on
    # this file writes it, so any other temporary of the same name is such a leftover.
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        leftover.unlink(missing_ok=True)
    return path


def copy_in(source: Path, target: Path, root: Path) -> Path:
    """Copy the regular file `source` (never a link's target) to `target` inside `root`."""
    check_inside(root, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    with open_regular(source) as reader, os.fdopen(os.open(temporary, flags, 0o644), "wb") as out:
        shutil.copyfileobj(reader, out)
    os.replace(temporary, target)
    return target


def archive_name(received_label: str, original: str) -> str:
    return safe_name(f"{received_label} {original}", limit=200)
