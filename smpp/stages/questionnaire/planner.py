"""Who is sent the questionnaire and when, the replies to returned workbooks, the reminders to
those who have not answered, the account lead's word on who is missing, and the summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from smpp.actions import (
    MIN_GAP_BETWEEN_CHASERS,
    Action,
    SendMail,
    address,
    common_context,
    digest,
    drive_place,
    key,
    lead_context,
    writer_context,
)
from smpp.events import MAIL_SENT
from smpp.intake import received_at
from smpp.stages.questionnaire.questions import Question, questions_for
from smpp.stages.questionnaire.records import (
    ATTENDING,
    NAME,
    Invited,
    attendance_words,
    invitations_sent,
    invited_people,
    person_id,
    questionnaire_judgements,
    questionnaire_summaries,
    reminders_sent,
    standing_answers,
)
from smpp.stages.questionnaire.workbook import Invitee
from smpp.state import State
from smpp.store import Event
from smpp.timeline import Timeline, next_working_moment


@dataclass(frozen=True)
class QuestionnaireFile:
    """Attach this person's own questionnaire workbook (their name and code), due on `due`."""

    invitee: Invitee
    due: date


@dataclass(frozen=True)
class WriteQuestionnaireSummary:
    key: str
    due: datetime
    version: int
    description: str = ""


def _day(moment: str) -> date:
    return datetime.fromisoformat(moment).date()


def _person_context(
    state: State, timeline: Timeline, person: Invited, questions: list[dict[str, str]]
) -> dict[str, Any]:
    """What a questionnaire mail to one person says, and what their workbook is built from."""
    return {
        **common_context(state, timeline),
        **writer_context(state.engagement, (person.attendee,)),
        "due": timeline.milestones["questionnaire_due"].isoformat(),
        "name": person.attendee.name,
        "email": str(person.attendee.email),
        "role": person.attendee.role,
        "token": person.invitee.token,
        "attending": person.attendance == ATTENDING,
        "delegate_for": person.delegate_for,
        "questions": questions,
    }


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """Invite everyone (attending or not), reply to every returned workbook, remind only those
    who have not answered, tell the account lead once who is still missing, and summarise."""
    engagement = state.engagement
    people = invited_people(state)
    if not people:
        return []
    lead = address(engagement.account_lead)
    context = common_context(state, timeline)
    standing = standing_answers(state)
    questions = questions_for(engagement.questions)
    titles = [{"title": q.title, "question": q.question} for q in questions]
    actions: list[Action] = []

    def add(action: Action) -> None:
        if state.done(action.key) is None:
            actions.append(action)

    questionnaire_due = timeline.milestones["questionnaire_due"]
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
                {
                    **_person_context(state, timeline, person, titles),
                    # A delegate named after the due date is not asked for a date past.
                    "late": sent_from > questionnaire_due,
                },
                attach=(QuestionnaireFile(person.invitee, questionnaire_due.date()),),
                description=f"Send {person.attendee.name} the questionnaire",
                person=person.email,
            )
        )

    judgements = questionnaire_judgements(state)
    for judged in judgements:
        assert judged.key is not None
        intake_id = judged.key.rsplit("/", 1)[-1]
        verdict = judged.data["verdict"]
        sender = by_email.get((verdict["person"] or "").lower())
        reply_due = next_working_moment(judged.at, engagement)
        # What the reply says about the file; the questionnaire's own due date comes with the
        # person (the common context's `due` is the company list's).
        reply_context = {
            "file": judged.data["file"],
            "received_at": received_at(judged).astimezone(engagement.zone).isoformat(),
            "problems": verdict["problems"],
            "stored_place": drive_place(engagement, judged.data["stored"]),
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
                    {**context, **lead_context(engagement), **reply_context},
                    description=f"Tell the account lead about '{judged.data['file']}' from "
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
            # Sent after the due date: the reply says so, and never asks for a date past.
            "late": reply_due > questionnaire_due,
        }
        ok = judged.data["ok"]
        add(
            SendMail(
                reply_key,
                reply_due,
                "questionnaire_accepted" if ok else "questionnaire_rejected",
                (address(sender.attendee),),
                personal,
                # The workbook to fill in again, due as the reply says.
                attach=() if ok else (QuestionnaireFile(sender.invitee, _day(personal["due"])),),
                description=f"Tell {sender.attendee.name} their questionnaire was "
                + ("received" if ok else "not accepted"),
                person=sender.email,
            )
        )

    if over:
        return actions + _summary_actions(state, timeline, people, standing, over=True)
    waiting = [p for p in people if p.email not in standing]
    actions += _questionnaire_chasers(state, timeline, now, waiting, titles)
    if waiting:
        invitations = invitations_sent(state)
        add(
            SendMail(
                questionnaire_key(state, "escalation"),
                timeline.questionnaire_escalation,
                "questionnaire_escalation",
                (lead,),
                {
                    **context,
                    **lead_context(engagement),
                    "due": timeline.milestones["questionnaire_due"].isoformat(),
                    "invited": len(people),
                    "answered": len(people) - len(waiting),
                    "missing": [
                        {
                            "name": p.attendee.name,
                            "email": str(p.attendee.email),
                            "role": p.attendee.role,
                            "attending": p.attendance == ATTENDING,
                            # Nobody missing has said: "listed as attending" in words.
                            "attendance": attendance_words(p.listed, p.said, False),
                            "reminders": reminders_sent(state, p.email),
                            "invited": p.email in invitations,
                        }
                        for p in waiting
                    ],
                },
                description="Tell the account lead who has not answered the questionnaire",
            )
        )
    actions += _summary_actions(state, timeline, people, standing)
    return actions


QUESTIONNAIRE_CHASERS = frozenset(
    {"questionnaire_invitation", "questionnaire_reminder", "questionnaire_rejected"}
)


def questionnaire_key(state: State, *parts: str) -> str:
    return key(state, NAME, *parts)


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
    invited = invitations_sent(state)
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
                    "reminders_before": reminders_sent(state, person.email),
                },
                attach=(
                    QuestionnaireFile(
                        person.invitee, timeline.milestones["questionnaire_due"].date()
                    ),
                ),
                description=f"Remind {person.attendee.name} of the questionnaire",
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
    fingerprint = digest(*intake_ids, *(p.email for p in people))
    summary_key = questionnaire_key(state, "summary", fingerprint)
    versions = questionnaire_summaries(state)
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
                description="Write the questionnaire summary to the drive",
            )
        ]
    mail = SendMail(
        questionnaire_key(state, "summary-ready", fingerprint),
        next_working_moment(written.at, state.engagement),
        "questionnaire_summary_ready",
        (address(state.engagement.account_lead),),
        {
            **common_context(state, timeline),
            **lead_context(state.engagement),
            "due": due.isoformat(),
            "workbook": drive_place(state.engagement, written.data["path"]),
            "version": written.data["version"],
            "invited": written.data["invited"],
            "answered": written.data["answered"],
            "topics": written.data["topics"],
            "missing_names": [p.attendee.name for p in people if p.email not in standing],
        },
        description="Tell the account lead the questionnaire summary is ready",
    )
    return [mail] if state.done(mail.key) is None else []
