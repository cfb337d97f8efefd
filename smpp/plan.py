"""What is due: `plan(state, now)` reads the record and the clock and returns the actions to
carry out now and the moment the next one falls due. Pure: no I/O, no clock of its own.

Every action carries its idempotency key; an action whose key is already recorded as done is never
planned again, and one that failed is simply still due, so the next advance retries it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr
from typing import Any

from smpp.drive import InboxFile
from smpp.models import Attendee, Engagement, Person
from smpp.questionnaire import Question, questions_for
from smpp.questionnaire_summary import ATTENDING, DELEGATE_SENT, NOT_ATTENDING
from smpp.questionnaire_workbook import RSVP_CHOICES, Invitee
from smpp.selection import REVIEW_SIZE, Candidate, Found, Replacement, Selection, choose
from smpp.store import Event
from smpp.timeline import Timeline, build_timeline, next_working_moment

# Nobody is chased twice within this span, whatever the schedule says.
MIN_GAP_BETWEEN_CHASERS = timedelta(hours=20)

STARTED = "engagement.started"
MAIL_SENT = "mail.sent"
LIST_JUDGED = "company_list.judged"
DELIVERABLE_WRITTEN = "deliverable.written"
POLICIES_SEARCHED = "peer_review.searched"
COMPANY_REVIEWED = "peer_review.company"
DECISION = "decision.recorded"
QUESTIONNAIRE_JUDGED = "questionnaire.judged"
# Messages that count as chasing the client for its list.
CLIENT_CHASERS = frozenset(
    {
        "company_list_request",
        "company_list_reminder",
        "company_list_overdue",
        "company_list_rejected",
    }
)


@dataclass(frozen=True)
class SendMail:
    key: str
    due: datetime
    template: str
    to: tuple[str, ...]
    context: dict[str, Any]
    cc: tuple[str, ...] = ()
    # Named attachments the performer builds at send time (e.g. "company-list-template").
    attach: tuple[str, ...] = ()
    summary: str = ""
    # The invited person a questionnaire mail is about (their email), so chasers can be counted.
    person: str = ""


@dataclass(frozen=True)
class TakeInFile:
    """Judge a file dropped in the inbox: a company list or a returned questionnaire, told apart
    by the form marker our workbooks carry."""

    key: str
    due: datetime
    file: InboxFile
    summary: str = ""
    # Who may return a questionnaire, with their personal codes, as known when the file came in.
    invitees: tuple[Invitee, ...] = ()


@dataclass(frozen=True)
class WriteCompanyList:
    key: str
    due: datetime
    intake_key: str
    summary: str = ""


@dataclass(frozen=True)
class ReviewPolicies:
    """Find, fetch, read and classify the policies of these companies (concurrently)."""

    key: str
    due: datetime
    companies: tuple[Candidate, ...]
    summary: str = ""


@dataclass(frozen=True)
class WriteReview:
    key: str
    due: datetime
    chosen: tuple[str, ...]  # domains, in selection order
    version: int
    summary: str = ""


@dataclass(frozen=True)
class WriteQuestionnaireSummary:
    key: str
    due: datetime
    version: int
    summary: str = ""


Action = (
    SendMail
    | TakeInFile
    | WriteCompanyList
    | ReviewPolicies
    | WriteReview
    | WriteQuestionnaireSummary
)


@dataclass(frozen=True)
class State:
    engagement: Engagement
    events: tuple[Event, ...]
    inbox: tuple[InboxFile, ...] = ()

    @property
    def slug(self) -> str:
        return self.engagement.slug

    @property
    def kickoff(self) -> datetime | None:
        for item in self.events:
            if item.kind == STARTED:
                return datetime.fromisoformat(str(item.data["kickoff"]))
        return None

    @property
    def timeline(self) -> Timeline:
        kickoff = self.kickoff
        if kickoff is None:
            raise ValueError(f"engagement {self.slug} has not been started")
        return build_timeline(self.engagement, kickoff)

    def done(self, key: str) -> Event | None:
        for item in self.events:
            if item.key == key:
                return item
        return None

    def of_kind(self, kind: str) -> list[Event]:
        return [item for item in self.events if item.kind == kind]

    def list_judgements(self) -> list[Event]:
        return self.of_kind(LIST_JUDGED)

    def accepted_list(self) -> Event | None:
        """The list that stands: the latest one accepted."""
        accepted = [item for item in self.list_judgements() if item.data["ok"]]
        return accepted[-1] if accepted else None

    def candidates(self) -> list[Candidate]:
        accepted = self.accepted_list()
        if accepted is None:
            return []
        return [Candidate.from_row(row) for row in accepted.data.get("company_rows", [])]

    def searches(self) -> dict[str, Found]:
        """The latest search for each company's policy, by domain."""
        found: dict[str, Found] = {}
        for item in self.of_kind(COMPANY_REVIEWED):
            data = item.data
            found[data["domain"]] = Found(
                bool(data["found"]),
                data.get("final_url") or data.get("url"),
                tuple(data.get("notes", ())),
            )
        return found

    def reviews(self) -> dict[str, Event]:
        latest: dict[str, Event] = {}
        for item in self.of_kind(COMPANY_REVIEWED):
            latest[item.data["domain"]] = item
        return latest

    def replacements(self) -> list[Replacement]:
        return [
            Replacement(e.data["out"], e.data["into"])
            for e in self.of_kind(DECISION)
            if e.data.get("decision") == "replace"
        ]

    def selection(self) -> Selection:
        return choose(self.candidates(), self.searches(), self.replacements())

    def review_workbooks(self) -> list[Event]:
        return [e for e in self.of_kind(DELIVERABLE_WRITTEN) if e.data["stage"] == "peer-review"]

    def mails(self, template: str) -> list[Event]:
        return [e for e in self.of_kind(MAIL_SENT) if e.data.get("template") == template]

    @property
    def closed(self) -> bool:
        return any(e.data.get("decision") == "close" for e in self.of_kind(DECISION))

    # --- questionnaire ---------------------------------------------------------------------

    @property
    def token_salt(self) -> str:
        for item in self.of_kind(STARTED):
            return str(item.data.get("token_salt") or self.slug)
        return self.slug

    def questionnaire_judgements(self) -> list[Event]:
        return self.of_kind(QUESTIONNAIRE_JUDGED)

    def questionnaire_summaries(self) -> list[Event]:
        return [e for e in self.of_kind(DELIVERABLE_WRITTEN) if e.data["stage"] == "questionnaire"]

    def invitations(self) -> dict[str, datetime]:
        """When each person (by email) was sent the questionnaire."""
        return {str(e.data.get("person")): e.at for e in self.mails("questionnaire_invitation")}

    def reminders_sent(self, email: str) -> int:
        return sum(
            1
            for e in self.mails("questionnaire_reminder")
            if str(e.data.get("person", "")).lower() == email
        )

    def standing_answers(self) -> dict[str, Event]:
        """Each person's accepted questionnaire that stands: the latest one (earlier ones are
        kept in the record and on the drive, but no longer count)."""
        latest: dict[str, Event] = {}
        for item in self.questionnaire_judgements():
            person = item.data["verdict"]["person"]
            if item.data["ok"] and person:
                latest[person.lower()] = item
        return latest

    def invited(self) -> list[Invited]:
        """Everyone asked to answer: the engagement's attendees, then any delegate an attendee
        named in their RSVP."""
        standing = self.standing_answers()
        people: list[Invited] = []
        seen: set[str] = set()
        for attendee in self.engagement.attendees:
            email = str(attendee.email).lower()
            if email in seen:
                continue
            seen.add(email)
            people.append(
                Invited(attendee, self._invitee(attendee), _attendance(attendee, standing), None)
            )
        # A delegate named in an accepted RSVP is invited in their own right (and may, in turn,
        # send someone); the list grows as it is read.
        index = 0
        while index < len(people):
            person = people[index]
            index += 1
            answer = standing.get(person.email)
            if answer is None or answer.data["verdict"]["rsvp"] != RSVP_CHOICES[2]:
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
                    self._invitee(delegate),
                    _attendance(delegate, standing),
                    person.attendee.name,
                    answer.at,
                )
            )
        return people

    def _invitee(self, attendee: Attendee) -> Invitee:
        return Invitee(
            name=attendee.name,
            email=str(attendee.email),
            role=attendee.role,
            token=personal_token(self.token_salt, str(attendee.email)),
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


def _attendance(attendee: Attendee, standing: dict[str, Event]) -> str:
    answer = standing.get(str(attendee.email).lower())
    rsvp = answer.data["verdict"]["rsvp"] if answer is not None else None
    if rsvp == RSVP_CHOICES[0]:
        return ATTENDING
    if rsvp == RSVP_CHOICES[1]:
        return NOT_ATTENDING
    if rsvp == RSVP_CHOICES[2]:
        return DELEGATE_SENT
    return ATTENDING if attendee.attending else NOT_ATTENDING


@dataclass(frozen=True)
class Plan:
    due: tuple[Action, ...]
    next_due: datetime | None
    upcoming: tuple[Action, ...] = field(default=())


def key(state: State, *parts: str) -> str:
    return "/".join((state.slug, *parts))


def intake_key(state: State, item: InboxFile) -> str:
    return key(state, "inbox", item.intake_id)


def list_request_key(state: State) -> str:
    return key(state, "company-list", "request")


def address(person: Person) -> str:
    return formataddr((person.name, str(person.email)))


def _common_context(state: State, timeline: Timeline) -> dict[str, Any]:
    engagement = state.engagement
    return {
        "client": engagement.client,
        "account_lead": engagement.account_lead.name,
        "account_lead_email": str(engagement.account_lead.email),
        "contacts": [c.name for c in engagement.client_contacts],
        "workshop": timeline.workshop.isoformat(),
        "due": timeline.company_list_deadline.isoformat(),
        "min_companies": engagement.min_companies,
        "at_risk": timeline.at_risk,
        "return_instructions": engagement.return_instructions,
    }


def _latest_slot(slots: tuple[datetime, ...], now: datetime) -> datetime | None:
    passed = [slot for slot in slots if slot <= now]
    return passed[-1] if passed else None


def _company_list_actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """Every company-list action that is or will be due, done ones excluded."""
    engagement = state.engagement
    contacts = tuple(address(c) for c in engagement.client_contacts)
    lead = address(engagement.account_lead)
    context = _common_context(state, timeline)
    actions: list[Action] = []

    def add(action: Action) -> None:
        if state.done(action.key) is None:
            actions.append(action)

    judgements = state.list_judgements()
    for judged in judgements:
        assert judged.key is not None
        intake_id = judged.key.rsplit("/", 1)[-1]
        data = judged.data
        reply_due = next_working_moment(judged.at, engagement)
        reply_context = {
            **context,
            "file": data["file"],
            "companies": data["companies"],
            "problems": data["problems"],
            "received_at": received_at(judged).astimezone(engagement.zone).isoformat(),
            "earlier_list_stands": bool(
                not data["ok"] and any(j.data["ok"] and j.at < judged.at for j in judgements)
            ),
        }
        template = "company_list_accepted" if data["ok"] else "company_list_rejected"
        add(
            SendMail(
                key(state, "company-list", "reply", intake_id),
                reply_due,
                template,
                contacts,
                reply_context,
                cc=(lead,),
                summary=f"Tell the client the list '{data['file']}' was "
                + ("accepted" if data["ok"] else "refused"),
            )
        )
        if data["ok"]:
            add(
                WriteCompanyList(
                    key(state, "company-list", "deliverable", intake_id),
                    due=judged.at,
                    intake_key=judged.key,
                    summary="Write the accepted company list to the drive",
                )
            )

    request_key = list_request_key(state)
    if now >= timeline.workshop and state.done(request_key) is None:
        return actions  # never asked before the workshop: too late to ask now
    add(
        SendMail(
            request_key,
            timeline.company_list_request,
            "company_list_request",
            contacts,
            context,
            cc=(lead,),
            attach=("company-list-template",),
            summary="Ask the client for its list of comparable companies",
        )
    )
    request = state.done(request_key)
    if state.accepted_list() is not None or request is None or now >= timeline.workshop:
        return actions

    # Still owed: chase the client at the latest slot that has passed (older ones are superseded),
    # never twice within a day, and tell the account lead once it is late.
    # A refused list counts from when it was judged: its reply is due at once; a reply still to
    # go (judged after hours, it waits for the working day) counts as going now, so that the
    # client does not get it and a reminder together.
    chasers = [e.at for e in state.of_kind(MAIL_SENT) if e.data["template"] in CLIENT_CHASERS]
    for judged in judgements:
        if not judged.data["ok"]:
            assert judged.key is not None
            reply = key(state, "company-list", "reply", judged.key.rsplit("/", 1)[-1])
            chasers.append(judged.at if state.done(reply) else max(judged.at, now))
    last_chased = max(chasers, default=request.at)
    slots = sorted(
        [(slot, "reminder") for slot in timeline.company_list_reminders]
        + [(slot, "overdue") for slot in timeline.company_list_overdue_reminders]
    )
    passed = [s for s in slots if s[0] <= now]
    candidates = passed[-1:] + [s for s in slots if s[0] > now]
    for slot, kind in candidates:
        if slot <= now and slot < last_chased + MIN_GAP_BETWEEN_CHASERS:
            continue  # the client heard from us moments ago
        add(
            SendMail(
                key(
                    state, "company-list", kind, slot.astimezone(engagement.zone).date().isoformat()
                ),
                slot,
                f"company_list_{kind}",
                contacts,
                {
                    **context,
                    "rejected": [j.data["file"] for j in judgements],
                    "requested_at": request.at.isoformat(),
                },
                cc=(lead,) if kind == "overdue" else (),
                attach=("company-list-template",),
                summary=f"Remind the client of the company list ({kind})",
            )
        )
    add(
        SendMail(
            key(state, "company-list", "escalation"),
            timeline.company_list_escalation,
            "company_list_escalation",
            (lead,),
            {
                **context,
                "requested_at": request.at.isoformat(),
                "reminders": len(state.mails("company_list_reminder"))
                + len(state.mails("company_list_overdue")),
                "refused_lists": [
                    {"file": j.data["file"], "problems": len(j.data["problems"])}
                    for j in judgements
                ],
                "contact_emails": [str(c.email) for c in engagement.client_contacts],
            },
            summary="Tell the account lead the company list is overdue",
        )
    )
    return actions


def _inbox_actions(state: State, now: datetime) -> list[Action]:
    invitees = tuple(person.invitee for person in state.invited())
    return [
        TakeInFile(
            intake_key(state, item),
            due=now,
            file=item,
            summary=f"Take in '{item.name}' from the inbox",
            invitees=invitees,
        )
        for item in state.inbox
        if state.done(intake_key(state, item)) is None
    ]


def _person_context(
    state: State, timeline: Timeline, person: Invited, questions: list[dict[str, str]]
) -> dict[str, Any]:
    """What a questionnaire mail to one person says, and what their workbook is built from."""
    return {
        **_common_context(state, timeline),
        "due": timeline.milestones["questionnaire_due"].isoformat(),
        "name": person.attendee.name,
        "email": str(person.attendee.email),
        "role": person.attendee.role,
        "token": person.invitee.token,
        "attending": person.attendance == ATTENDING,
        "delegate_for": person.delegate_for,
        "questions": questions,
    }


def _questionnaire_actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """Invite everyone (attending or not), reply to every returned workbook, remind only those
    who have not answered, tell the account lead once who is still missing, and summarise."""
    engagement = state.engagement
    people = state.invited()
    if not people:
        return []
    lead = address(engagement.account_lead)
    context = _common_context(state, timeline)
    standing = state.standing_answers()
    questions = questions_for(engagement.questions)
    titles = [{"title": q.title, "question": q.question} for q in questions]
    actions: list[Action] = []

    def add(action: Action) -> None:
        if state.done(action.key) is None:
            actions.append(action)

    by_email = {person.email: person for person in people}
    # After the workshop, late answers are still taken in and acknowledged, but nobody new is
    # invited, reminded or escalated, and the summary that went to the workshop stays as it is.
    over = now >= timeline.workshop
    for person in people:
        if over or person.email in standing:
            continue  # an answer came first (or it is too late): no invitation to answer
        sent_from = timeline.milestones["questionnaire_sent"]
        if person.named_at is not None:  # a delegate: invited as soon as they are named
            sent_from = max(sent_from, next_working_moment(person.named_at, engagement))
        add(
            SendMail(
                questionnaire_key(state, "invitation", person_id(person.email)),
                sent_from,
                "questionnaire_invitation",
                (address(person.attendee),),
                _person_context(state, timeline, person, titles),
                attach=("questionnaire",),
                summary=f"Send {person.attendee.name} the questionnaire",
                person=person.email,
            )
        )

    judgements = state.questionnaire_judgements()
    for judged in judgements:
        assert judged.key is not None
        intake_id = judged.key.rsplit("/", 1)[-1]
        verdict = judged.data["verdict"]
        sender = by_email.get((verdict["person"] or "").lower())
        reply_due = next_working_moment(judged.at, engagement)
        reply_context = {
            **context,
            "file": judged.data["file"],
            "received_at": received_at(judged).astimezone(engagement.zone).isoformat(),
            "problems": verdict["problems"],
            "stored": judged.data["stored"],
            "name_found": verdict["name_found"],
            "email_found": verdict["email_found"],
        }
        reply_key = questionnaire_key(state, "reply", intake_id)
        if sender is None or verdict["unknown_sender"]:
            add(
                SendMail(
                    reply_key
                    if sender is None
                    else questionnaire_key(state, "outsider", intake_id),
                    reply_due,
                    "questionnaire_unknown_sender",
                    (lead,),
                    reply_context,
                    summary=f"Tell the account lead about '{judged.data['file']}' from "
                    "someone not invited",
                )
            )
        if sender is None:
            continue
        earlier = [
            j
            for j in judgements
            if j.at < judged.at
            and j.data["ok"]
            and str(j.data["verdict"]["person"]).lower() == sender.email
        ]
        personal = {
            **_person_context(state, timeline, sender, titles),
            **reply_context,
            "rsvp": verdict["rsvp"],
            "delegate_name": verdict["delegate_name"],
            "blank_prompts": _prompt_texts(questions, verdict["blank_prompts"]),
            "replaces_earlier": bool(earlier),
            "after_workshop": judged.at >= timeline.workshop,
        }
        ok = judged.data["ok"]
        add(
            SendMail(
                reply_key,
                reply_due,
                "questionnaire_accepted" if ok else "questionnaire_rejected",
                (address(sender.attendee),),
                personal,
                attach=() if ok else ("questionnaire",),
                summary=f"Tell {sender.attendee.name} their questionnaire was "
                + ("received" if ok else "not accepted"),
                person=sender.email,
            )
        )

    if over:
        return actions + _summary_actions(state, timeline, people, standing, over=True)
    waiting = [p for p in people if p.email not in standing]
    actions += _questionnaire_chasers(state, timeline, now, waiting, titles)
    if waiting:
        invitations = state.invitations()
        add(
            SendMail(
                questionnaire_key(state, "escalation"),
                timeline.questionnaire_escalation,
                "questionnaire_escalation",
                (lead,),
                {
                    **context,
                    "due": timeline.milestones["questionnaire_due"].isoformat(),
                    "invited": len(people),
                    "answered": len(people) - len(waiting),
                    "missing": [
                        {
                            "name": p.attendee.name,
                            "email": str(p.attendee.email),
                            "role": p.attendee.role,
                            "attending": p.attendance == ATTENDING,
                            "reminders": state.reminders_sent(p.email),
                            "invited": p.email in invitations,
                        }
                        for p in waiting
                    ],
                },
                summary="Tell the account lead who has not answered the questionnaire",
            )
        )
    actions += _summary_actions(state, timeline, people, standing)
    return actions


def received_at(judged: Event) -> datetime:
    """When a file reached the inbox (its modification time, never later than it was judged):
    what counts for lateness, since advances run only in working hours."""
    received = judged.data.get("received")
    return datetime.fromisoformat(received) if received else judged.at


QUESTIONNAIRE_CHASERS = frozenset(
    {"questionnaire_invitation", "questionnaire_reminder", "questionnaire_rejected"}
)


def questionnaire_key(state: State, *parts: str) -> str:
    return key(state, "questionnaire", *parts)


def _prompt_texts(questions: tuple[Question, ...], prompt_ids: list[str]) -> list[str]:
    texts = {p.id: f"{q.title}: {p.text}" for q in questions for p in q.prompts}
    return [texts.get(i, i) for i in prompt_ids]


def _questionnaire_chasers(
    state: State,
    timeline: Timeline,
    now: datetime,
    waiting: list[Invited],
    titles: list[dict[str, str]],
) -> list[Action]:
    """A reminder at the latest slot that has passed (and the ones to come) to each person who
    has not answered; never within a day of the last message they had from us."""
    engagement = state.engagement
    slots = timeline.questionnaire_reminders
    passed = [slot for slot in slots if slot <= now]
    candidates = passed[-1:] + [slot for slot in slots if slot > now]
    last_contact: dict[str, datetime] = {}
    for mail in state.of_kind(MAIL_SENT):
        recipient = str(mail.data.get("person", "")).lower()
        if recipient and mail.data["template"] in QUESTIONNAIRE_CHASERS:
            last_contact[recipient] = max(mail.at, last_contact.get(recipient, mail.at))
    invited = state.invitations()
    actions: list[Action] = []
    for person in waiting:
        contacted = last_contact.get(person.email)
        if contacted is None or person.email not in invited:
            continue  # not invited yet: the invitation comes first, reminders after it
        for slot in candidates:
            if slot <= contacted or (slot <= now and slot < contacted + MIN_GAP_BETWEEN_CHASERS):
                continue
            day = slot.astimezone(engagement.zone).date().isoformat()
            action = SendMail(
                questionnaire_key(state, "reminder", day, person_id(person.email)),
                slot,
                "questionnaire_reminder",
                (address(person.attendee),),
                {
                    **_person_context(state, timeline, person, titles),
                    "reminders_before": state.reminders_sent(person.email),
                },
                attach=("questionnaire",),
                summary=f"Remind {person.attendee.name} of the questionnaire",
                person=person.email,
            )
            if state.done(action.key) is None:
                actions.append(action)
    return actions


def _summary_actions(
    state: State,
    timeline: Timeline,
    people: list[Invited],
    standing: dict[str, Event],
    over: bool = False,
) -> list[Action]:
    """The summary is written at the due date, or as soon as everyone has answered, and again
    (a new version) whenever a later answer changes what stands, until the workshop; the lead is
    told each time."""
    due = timeline.milestones["questionnaire_due"]
    answers = [standing[p.email] for p in people if p.email in standing]
    if len(answers) == len(people):
        due = min(due, max(a.at for a in answers))
    # The intake ids of the answers that stand (not whole keys: those repeat the slug).
    intake_ids = sorted(str(a.key).rsplit("/", 1)[-1] for a in answers)
    fingerprint = _digest(*intake_ids, *(p.email for p in people))
    summary_key = questionnaire_key(state, "summary", fingerprint)
    versions = state.questionnaire_summaries()
    if over and versions:
        # The version the workshop worked from stands.
        assert versions[-1].key is not None
        summary_key = versions[-1].key
        fingerprint = summary_key.rsplit("/", 1)[-1]
    written = state.done(summary_key)
    if written is None:
        return [
            WriteQuestionnaireSummary(
                summary_key,
                due,
                version=len(versions) + 1,
                summary="Write the questionnaire summary to the drive",
            )
        ]
    mail = SendMail(
        questionnaire_key(state, "summary-ready", fingerprint),
        next_working_moment(written.at, state.engagement),
        "questionnaire_summary_ready",
        (address(state.engagement.account_lead),),
        {
            **_common_context(state, timeline),
            "due": due.isoformat(),
            "workbook": written.data["path"],
            "version": written.data["version"],
            "invited": written.data["invited"],
            "answered": written.data["answered"],
            "topics": written.data["topics"],
            "missing_names": [p.attendee.name for p in people if p.email not in standing],
        },
        summary="Tell the account lead the questionnaire summary is ready",
    )
    return [mail] if state.done(mail.key) is None else []


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _peer_review_actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """Review starts as soon as a valid list is in: search in selection order until five
    policies are found, then write the workbook and tell the account lead what was chosen."""
    accepted = state.accepted_list()
    if accepted is None or not accepted.data.get("company_rows"):
        return []
    selection = state.selection()
    if not selection.complete:
        return _search_actions(state, timeline, selection, accepted.at)
    reviews = state.reviews()
    chosen = tuple(c.domain for c in selection.chosen)
    fingerprint = _digest(*(f"{d}:{reviews[d].data['sha256']}" for d in chosen))
    written = state.done(key(state, "peer-review", "workbook", fingerprint))
    actions: list[Action] = []
    if written is None:
        actions.append(
            WriteReview(
                key(state, "peer-review", "workbook", fingerprint),
                accepted.at,
                chosen,
                version=len(state.review_workbooks()) + 1,
                summary=f"Write the peer review of {len(chosen)} companies to the drive",
            )
        )
        return actions
    engagement = state.engagement
    context = {
        **_common_context(state, timeline),
        "workbook": written.data["path"],
        "version": written.data["version"],
        "chosen": [
            {"name": v.candidate.name, "reason": v.reason}
            for v in selection.verdicts
            if v.status == "chosen"
        ],
        "passed_over": [
            {"name": v.candidate.name, "reason": v.reason}
            for v in selection.verdicts
            if v.status == "passed over"
        ],
        "short_of": max(0, 5 - len(chosen)),
        "slug": state.slug,
        "red_flags": written.data.get("red_flags", 0),
    }
    mails = [
        SendMail(
            key(state, "peer-review", "ready", fingerprint),
            next_working_moment(written.at, engagement),
            "peer_review_ready",
            (address(engagement.account_lead),),
            context,
            summary="Tell the account lead the peer review is ready",
        )
    ]
    if len(chosen) < REVIEW_SIZE and now < timeline.workshop:
        # Every company on the list was tried: only the client can name more.
        assert accepted.key is not None
        mails.append(
            SendMail(
                key(state, "peer-review", "more-companies", accepted.key.rsplit("/", 1)[-1]),
                next_working_moment(written.at, engagement),
                "peer_review_more_companies",
                tuple(address(c) for c in engagement.client_contacts),
                {**context, "tried": len(state.candidates())},
                cc=(address(engagement.account_lead),),
                summary="Ask the client for more companies: the review is short of five",
            )
        )
    return [mail for mail in mails if state.done(mail.key) is None]


# After a search in which no company site answered, it is tried again this much later.
UNREACHABLE_RETRY = timedelta(hours=1)


def _search_actions(
    state: State, timeline: Timeline, selection: Selection, since: datetime
) -> list[Action]:
    """Search the policies the choice still needs. A search in which not one site answered
    (no network, DNS failing) counts for nobody: it is tried again an hour later, and the account
    lead is told once, with what to check."""
    engagement = state.engagement
    domains = sorted(c.domain for c in selection.to_search)
    batch = _digest(*domains)
    base = key(state, "peer-review", "search", batch)
    attempts = [e for e in state.of_kind(POLICIES_SEARCHED) if e.key and e.key.startswith(base)]
    failed = [e for e in attempts if e.data.get("unreachable")]
    actions: list[Action] = []
    if failed:
        first = failed[0]
        actions.append(
            SendMail(
                key(state, "peer-review", "unreachable", batch),
                next_working_moment(first.at, engagement),
                "peer_review_unreachable",
                (address(engagement.account_lead),),
                {
                    **_common_context(state, timeline),
                    "slug": state.slug,
                    "tried_at": first.at.astimezone(engagement.zone).isoformat(),
                    "sites": [
                        {
                            "name": c.name,
                            "website": c.website,
                            "notes": first.data["unreachable"].get(c.domain, [])[:3],
                        }
                        for c in selection.to_search
                    ],
                },
                summary="Tell the account lead that no company site could be reached",
            )
        )
    if attempts and not attempts[-1].data.get("unreachable"):
        return [a for a in actions if state.done(a.key) is None]
    retry = f"{base}/retry-{len(failed)}" if failed else base
    due = (
        since if not failed else next_working_moment(failed[-1].at + UNREACHABLE_RETRY, engagement)
    )
    actions.append(
        ReviewPolicies(
            retry,
            due,
            selection.to_search,
            summary="Find and review the policies of "
            + ", ".join(c.name for c in selection.to_search)
            + (f" (attempt {len(failed) + 1}: no site answered before)" if failed else ""),
        )
    )
    return [a for a in actions if state.done(a.key) is None]


def plan(state: State, now: datetime) -> Plan:
    if state.kickoff is None:
        return Plan(due=(), next_due=None)
    if state.closed:
        return Plan(due=(), next_due=None)
    timeline = state.timeline
    actions = (
        _inbox_actions(state, now)
        + _company_list_actions(state, timeline, now)
        + _questionnaire_actions(state, timeline, now)
        + _peer_review_actions(state, timeline, now)
    )
    due = sorted(
        (a for a in actions if a.due <= now),
        key=lambda a: (not isinstance(a, TakeInFile), a.due, a.key),
    )
    later = sorted((a for a in actions if a.due > now), key=lambda a: (a.due, a.key))
    intake = [a for a in due if isinstance(a, TakeInFile)]
    if intake:
        # Files waiting in the inbox are read before anything is sent: an answer dropped overnight
        # must stop that morning's reminder to its sender.
        return Plan(due=tuple(intake), next_due=now, upcoming=tuple(due[len(intake) :] + later))
    return Plan(
        due=tuple(due),
        next_due=later[0].due if later else None,
        upcoming=tuple(later),
    )
