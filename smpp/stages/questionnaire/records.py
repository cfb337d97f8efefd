"""What the record says of the questionnaire: who is invited (attendees, then the delegates they
name), whose answer stands, who was sent what and when."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from smpp.events import STARTED
from smpp.models import Attendee
from smpp.stages.questionnaire.events import QUESTIONNAIRE_JUDGED
from smpp.stages.questionnaire.workbook import (
    RSVP_ATTENDING,
    RSVP_DELEGATE,
    RSVP_NOT_ATTENDING,
    Invitee,
)
from smpp.state import State
from smpp.store import Event

NAME = "questionnaire"
# How an invited person stands towards the workshop.
ATTENDING, NOT_ATTENDING, DELEGATE_SENT = "attending", "not attending", "delegate sent"


def token_salt(state: State) -> str:
    for item in state.of_kind(STARTED):
        return str(item.data.get("token_salt") or state.slug)
    return state.slug


def questionnaire_judgements(state: State) -> list[Event]:
    return state.of_kind(QUESTIONNAIRE_JUDGED)


def questionnaire_summaries(state: State) -> list[Event]:
    return state.deliverables(NAME)


def invitations_sent(state: State) -> dict[str, datetime]:
    """When each person (by email) was sent the questionnaire."""
    return {str(e.data.get("person")): e.at for e in state.mails("questionnaire_invitation")}


def reminders_sent(state: State, email: str) -> int:
    return sum(
        1
        for e in state.mails("questionnaire_reminder")
        if str(e.data.get("person", "")).lower() == email
    )


def standing_answers(state: State) -> dict[str, Event]:
    """Each person's accepted questionnaire that stands: the latest one (earlier ones are
    kept in the record and on the drive, but no longer count)."""
    latest: dict[str, Event] = {}
    for item in questionnaire_judgements(state):
        person = item.data["verdict"]["person"]
        if item.data["ok"] and person:
            latest[person.lower()] = item
    return latest


def invited_people(state: State) -> list[Invited]:
    """Everyone asked to answer: the engagement's attendees, then any delegate an attendee
    named in their RSVP."""
    standing = standing_answers(state)
    people: list[Invited] = []
    seen: set[str] = set()
    for attendee in state.engagement.attendees:
        email = str(attendee.email).lower()
        if email in seen:
            continue
        seen.add(email)
        people.append(
            Invited(
                attendee,
                _invitee(state, attendee),
                _attendance(attendee, standing),
                None,
                said=said_attendance(standing.get(email)),
            )
        )
    # A delegate named in an accepted RSVP is invited in their own right (and may, in turn,
    # send someone); the list grows as it is read.
    index = 0
    while index < len(people):
        person = people[index]
        index += 1
        answer = standing.get(person.email)
        if answer is None or answer.data["verdict"]["rsvp"] != RSVP_DELEGATE:
            continue
        verdict = answer.data["verdict"]
        email = verdict["delegate_email"].strip().lower()
        if not email or email in seen:
            continue
        try:
            delegate = Attendee(
                name=" ".join(verdict["delegate_name"].split()) or email,
                email=email,
                role=person.attendee.role,
                attending=True,
            )
        except ValueError:
            continue  # the judge checks the address; an unusable one invites nobody
        seen.add(email)
        people.append(
            Invited(
                delegate,
                _invitee(state, delegate),
                _attendance(delegate, standing),
                person.attendee.name,
                answer.at,
                said=said_attendance(standing.get(email)),
            )
        )
    return people


def _invitee(state: State, attendee: Attendee) -> Invitee:
    return Invitee(
        name=attendee.name,
        email=str(attendee.email),
        role=attendee.role,
        token=personal_token(token_salt(state), str(attendee.email)),
        attending=attendee.attending,
    )


@dataclass(frozen=True)
class Invited:
    """A person asked to answer the questionnaire, and how they stand towards the workshop."""

    attendee: Attendee
    invitee: Invitee
    attendance: str  # ATTENDING | NOT_ATTENDING | DELEGATE_SENT
    delegate_for: str | None  # the attendee who named this person as their delegate
    named_at: datetime | None = None  # when a delegate was named
    said: str | None = None  # the attendance their RSVP gave; None: no answer, or RSVP blank

    @property
    def listed(self) -> str:
        """The attendance the engagement file (or the naming as a delegate) gives."""
        return ATTENDING if self.attendee.attending else NOT_ATTENDING

    @property
    def email(self) -> str:
        return str(self.attendee.email).lower()


def personal_token(salt: str, email: str) -> str:
    """A person's code on their questionnaire: stable (the same workbook if sent again), not
    guessable from the email alone (keyed by a random salt drawn at the engagement's start)."""
    digest = hmac.new(salt.encode(), email.strip().lower().encode(), "sha256").digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"{code[:4]}-{code[4:]}"


def person_id(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:10]


_SAID = {RSVP_ATTENDING: ATTENDING, RSVP_NOT_ATTENDING: NOT_ATTENDING, RSVP_DELEGATE: DELEGATE_SENT}


def said_attendance(answer: Event | None) -> str | None:
    """The attendance a person's standing answer says (ATTENDING, NOT_ATTENDING or
    DELEGATE_SENT), or None: no answer yet, or the RSVP left blank."""
    if answer is None:
        return None
    return _SAID.get(str(answer.data["verdict"]["rsvp"]))


def delegate_named(answer: Event | None) -> str:
    """The delegate a person's standing answer names (their name, else their address), or ""."""
    if answer is None or answer.data["verdict"]["rsvp"] != RSVP_DELEGATE:
        return ""
    verdict = answer.data["verdict"]
    name = " ".join(str(verdict.get("delegate_name") or "").split())
    return name or str(verdict.get("delegate_email") or "").strip()


def attendance_words(listed: str, said: str | None, answered: bool) -> str:
    """How a person stands, saying where that comes from: "attending" as their RSVP said it,
    else "listed as attending" (no answer yet), or "listed as attending, no RSVP given"."""
    if said is not None:
        return said
    return f"listed as {listed}" + (", no RSVP given" if answered else "")


def _attendance(attendee: Attendee, standing: dict[str, Event]) -> str:
    said = said_attendance(standing.get(str(attendee.email).lower()))
    if said is not None:
        return said
    return ATTENDING if attendee.attending else NOT_ATTENDING
