"""When the client is asked for its list of comparable companies, reminded, told what became of
each list it sent, and when the account lead hears that the list is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from smpp.actions import (
    MIN_GAP_BETWEEN_CHASERS,
    Action,
    SendMail,
    address,
    common_context,
    key,
    lead_context,
)
from smpp.events import MAIL_SENT
from smpp.intake import received_at
from smpp.stages.company_list.judge import note_line
from smpp.stages.company_list.records import (
    NAME,
    accepted_list,
    list_judgements,
    list_request_key,
)
from smpp.state import State
from smpp.timeline import Timeline, next_working_moment

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
class CompanyListTemplate:
    """Attach the empty company-list template, due on `due`."""

    due: date


@dataclass(frozen=True)
class WriteCompanyList:
    """Write the accepted list judged under `intake_key` to the drive."""

    key: str
    due: datetime
    intake_key: str
    description: str = ""


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """Every company-list action that is or will be due, done ones excluded."""
    engagement = state.engagement
    contacts = tuple(address(c) for c in engagement.client_contacts)
    lead = address(engagement.account_lead)
    context = common_context(state, timeline)
    blank_form = CompanyListTemplate(timeline.company_list_deadline.date())
    actions: list[Action] = []

    def add(action: Action) -> None:
        if state.done(action.key) is None:
            actions.append(action)

    judgements = list_judgements(state)
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
            # What of the accepted list was left out (optional cells that could not be taken),
            # one line per note naming the row and company.
            "notes": [
                note_line(int(row["row"]), str(row["name"]), str(note))
                for row in data.get("company_rows", [])
                for note in row.get("notes", ())
            ],
            # A reply going out after the due date asks for the list as soon as possible, never
            # by a date already past.
            "late": reply_due > timeline.company_list_deadline,
            "earlier_list_stands": bool(
                not data["ok"] and any(j.data["ok"] and j.at < judged.at for j in judgements)
            ),
        }
        template = "company_list_accepted" if data["ok"] else "company_list_rejected"
        add(
            SendMail(
                key(state, NAME, "reply", intake_id),
                reply_due,
                template,
                contacts,
                reply_context,
                cc=(lead,),
                description=f"Tell the client the list '{data['file']}' was "
                + ("accepted" if data["ok"] else "refused"),
            )
        )
        if data["ok"]:
            add(
                WriteCompanyList(
                    key(state, NAME, "deliverable", intake_id),
                    due=judged.at,
                    intake_key=judged.key,
                    description="Write the accepted company list to the drive",
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
            attach=(blank_form,),
            description="Ask the client for its list of comparable companies",
        )
    )
    request = state.done(request_key)
    if accepted_list(state) is not None or request is None or now >= timeline.workshop:
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
            reply = key(state, NAME, "reply", judged.key.rsplit("/", 1)[-1])
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
                key(state, NAME, kind, slot.astimezone(engagement.zone).date().isoformat()),
                slot,
                f"company_list_{kind}",
                contacts,
                {
                    **context,
                    "rejected": [j.data["file"] for j in judgements],
                    "requested_at": request.at.isoformat(),
                },
                cc=(lead,),  # like the request
                attach=(blank_form,),
                description=f"Remind the client of the company list ({kind})",
            )
        )
    add(
        SendMail(
            key(state, NAME, "escalation"),
            timeline.company_list_escalation,
            "company_list_escalation",
            (lead,),
            {
                **context,
                **lead_context(engagement),
                "requested_at": request.at.isoformat(),
                "reminders": len(state.mails("company_list_reminder"))
                + len(state.mails("company_list_overdue")),
                "refused_lists": [
                    {"file": j.data["file"], "problems": len(j.data["problems"])}
                    for j in judgements
                ],
                "contact_emails": [str(c.email) for c in engagement.client_contacts],
            },
            description="Tell the account lead the company list is overdue",
        )
    )
    return actions
