"""What is due: `plan(state, now)` reads the record and the clock and returns the actions to
carry out now and the moment the next one falls due. Pure: no I/O, no clock of its own.

Every action carries its idempotency key; an action whose key is already recorded as done is never
planned again, and one that failed is simply still due, so the next advance retries it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr
from typing import Any

from smpp.drive import InboxFile
from smpp.models import Engagement, Person
from smpp.selection import Candidate, Found, Replacement, Selection, choose
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


@dataclass(frozen=True)
class TakeInFile:
    key: str
    due: datetime
    file: InboxFile
    summary: str = ""


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


Action = SendMail | TakeInFile | WriteCompanyList | ReviewPolicies | WriteReview


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


@dataclass(frozen=True)
class Plan:
    due: tuple[Action, ...]
    next_due: datetime | None
    upcoming: tuple[Action, ...] = field(default=())


def key(state: State, *parts: str) -> str:
    return "/".join((state.slug, *parts))


def intake_key(state: State, item: InboxFile) -> str:
    return key(state, "company-list", "intake", item.intake_id)


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

    for item in state.inbox:
        add(
            TakeInFile(
                intake_key(state, item),
                due=now,
                file=item,
                summary=f"Take in '{item.name}' from the inbox",
            )
        )
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
            "received_at": judged.at.astimezone(engagement.zone).isoformat(),
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
    if state.accepted_list() is not None or request is None:
        return actions

    # Still owed: chase the client at the latest slot that has passed (older ones are superseded),
    # never twice within a day, and tell the account lead once it is late.
    # A refused list counts from when it was judged: its reply is due at once.
    chasers = [e.at for e in state.of_kind(MAIL_SENT) if e.data["template"] in CLIENT_CHASERS]
    chasers += [j.at for j in judgements if not j.data["ok"]]
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


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _peer_review_actions(state: State, timeline: Timeline) -> list[Action]:
    """Review starts as soon as a valid list is in: search in selection order until five
    policies are found, then write the workbook and tell the account lead what was chosen."""
    accepted = state.accepted_list()
    if accepted is None or not accepted.data.get("company_rows"):
        return []
    selection = state.selection()
    if not selection.complete:
        domains = sorted(c.domain for c in selection.to_search)
        action = ReviewPolicies(
            key(state, "peer-review", "search", _digest(*domains)),
            accepted.at,
            selection.to_search,
            summary="Find and review the policies of "
            + ", ".join(c.name for c in selection.to_search),
        )
        return [action] if state.done(action.key) is None else []
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
    mail = SendMail(
        key(state, "peer-review", "ready", fingerprint),
        next_working_moment(written.at, engagement),
        "peer_review_ready",
        (address(engagement.account_lead),),
        context,
        summary="Tell the account lead the peer review is ready",
    )
    return [mail] if state.done(mail.key) is None else []


def plan(state: State, now: datetime) -> Plan:
    if state.kickoff is None:
        return Plan(due=(), next_due=None)
    timeline = state.timeline
    actions = _company_list_actions(state, timeline, now) + _peer_review_actions(state, timeline)
    due = sorted((a for a in actions if a.due <= now), key=lambda a: (a.due, a.key))
    later = sorted((a for a in actions if a.due > now), key=lambda a: (a.due, a.key))
    return Plan(
        due=tuple(due),
        next_due=later[0].due if later else None,
        upcoming=tuple(later),
    )
