"""Taking a file in from the inbox: which form it is (the stages declare their forms), the judge's
verdict, a copy kept in Inbox/Accepted or Inbox/Rejected (with the reasons beside a refused one),
and the record of it. The checks every upload goes through first are in smpp.uploads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smpp import drive
from smpp.actions import Action, TakeInFile, intake_key
from smpp.models import Engagement
from smpp.stages import stages
from smpp.stages.anatomy import Form, Intake, Judged, Performed
from smpp.state import State
from smpp.store import Event


def forms() -> list[Form]:
    return [form for stage in stages() for form in stage.forms]


def received_at(judged: Event) -> datetime:
    """When a file reached the inbox (its modification time, never later than it was judged):
    what counts for lateness, since advances run only in working hours."""
    received = judged.data.get("received")
    return datetime.fromisoformat(received) if received else judged.at


def inbox_actions(state: State, now: datetime) -> list[Action]:
    """A file in the inbox not taken in yet is taken in now."""
    return [
        TakeInFile(
            intake_key(state, item),
            due=now,
            file=item,
            description=f"Take in '{item.name}' from the inbox",
        )
        for item in state.inbox
        if state.done(intake_key(state, item)) is None
    ]


def take_in_file(
    engagement: Engagement, action: TakeInFile, now: datetime, state: State
) -> Performed:
    """Judge a file from the inbox and move it to Accepted or Rejected, reasons beside it.

    The form is the one whose content it holds (our workbooks carry a marker); failing that, the
    one its name says; failing that, the default form (the company list). A file no form can
    read, whose name does not say it is the default form, goes to a form that takes unreadable
    files in the state the engagement is in (once questionnaires are out, it could come from any
    attendee: the questionnaire's judge then tells the account lead, not the client)."""
    source = drive.inbox_dir(engagement.drive) / action.file.name
    named = action.file.name.casefold()
    every = forms()
    default = next(form for form in every if form.default)
    form = next((f for f in every if f.recognises(source)), None)
    recognised = form is not None
    if form is None:
        form = next(
            (f for f in every if not f.default and any(w in named for w in f.name_words)),
            default,
        )

    def judge(chosen: Form) -> Judged:
        # Known from the record as it is now, not when the advance planned: the file taken in
        # just before this one counts (the second consensus workbook of one advance is version 2).
        intake = Intake(engagement, source, action.file.name, chosen.knows(state), now)
        return chosen.judge(intake)

    judged = judge(form)
    if (
        judged.unreadable
        and form is default
        and not recognised
        and not any(word in named for word in default.name_words)
    ):
        other = next((f for f in every if f is not default and f.takes_unreadable(state)), None)
        if other is not None:
            judged = judge(other)
    stored = archive(engagement, action, judged.ok, judged.reasons, now)
    earlier = [e.at for e in state.events if e.at < now]
    looked = max(earlier, default=state.kickoff or now)
    return judged.kind, record(action, stored, judged, now, looked), []


def record(
    action: TakeInFile, stored: Path, judged: Judged, now: datetime, looked: datetime
) -> dict[str, Any]:
    """The intake's record. `received` is the file's modification time (advances run in working
    hours; a file dropped at night counts from when it was dropped), but never later than now
    and never earlier than the record's last moment before it: a copy that kept an old time, or
    a clock elsewhere that is wrong, cannot date a file before the engagement last looked."""
    dropped = datetime.fromtimestamp(action.file.mtime_ns / 1e9, UTC)
    return {
        "file": action.file.name,
        "received": min(max(dropped, looked), now).isoformat(),
        "stored": str(stored),
        "sha256": action.file.sha256,
        "ok": judged.ok,
        **judged.data,
    }


def archive(
    engagement: Engagement, action: TakeInFile, ok: bool, problems: list[str], now: datetime
) -> Path:
    """Copy the file to Inbox/Accepted or Inbox/Rejected (with the reasons beside a refused one);
    the original leaves the inbox on the next stock-taking, once the copy is safely recorded."""
    item = action.file
    inbox = drive.inbox_dir(engagement.drive)
    label = now.astimezone(engagement.zone).strftime("%Y-%m-%d %H%M")
    folder = inbox / (drive.ACCEPTED if ok else drive.REJECTED)
    stored = folder / drive.archive_name(label, item.name)
    # Copied without following a link: only a regular file is ever taken in.
    drive.copy_in(inbox / item.name, stored, root=engagement.drive)
    if not ok:
        reasons = "".join(f"- {message}\n" for message in problems)
        when = now.astimezone(engagement.zone).strftime("%-d %B %Y at %H:%M")
        drive.write_atomically(
            stored.with_name(stored.name + ".problems.txt"),
            f"{item.name}, received {when}, was refused for these reasons:\n{reasons}".encode(),
            root=engagement.drive,
        )
    return stored
