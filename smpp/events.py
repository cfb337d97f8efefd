"""Every kind of event the record holds, and the shape of its payload, defined once.

The engine, the decisions and the stages write payloads through these TypedDicts and read them
back through `payload`; `check` refuses, before anything is recorded, a payload that lacks what
its kind promises. The kinds and keys are what stored engagements hold: never renamed.

The kinds shared by every stage are here; a stage's own kinds are in its `events.py` and listed
in its declaration, so `check` knows them too. (No `from __future__ import annotations` in the
event modules: TypedDict must see NotRequired at run time to know which keys are optional.)
"""

from functools import cache
from typing import Any, NotRequired, TypedDict, TypeVar, cast, is_typeddict

from smpp.store import Event

STARTED = "engagement.started"
MAIL_SENT = "mail.sent"
DELIVERABLE_WRITTEN = "deliverable.written"
DECISION = "decision.recorded"


class StartedOver(TypedDict):
    found: list[str]  # what the drive showed of an earlier run
    database: str  # the record it was started over in, without credentials


class Started(TypedDict):
    kickoff: str  # ISO moment
    at_risk: bool
    # Keys the personal codes on questionnaires, so nobody can work out another's code.
    token_salt: str
    started_over: NotRequired[StartedOver]


class MailSent(TypedDict):
    template: str
    to: list[str]
    cc: list[str]
    subject: str
    message_id: str
    where: str  # the outbox file, or the SMTP server's answer
    to_client: bool  # a chaser of the client's company list
    person: str  # the invited person a questionnaire mail is about, else ""


class FileJudged(TypedDict):
    """What the record says of every file taken in from the inbox; a form adds its verdict."""

    file: str  # its name in the inbox
    received: str  # ISO moment it reached the inbox (never later than it was judged)
    stored: str  # the copy kept in Inbox/Accepted or Inbox/Rejected
    sha256: str
    ok: bool


class Deliverable(TypedDict):
    """What every deliverable's record says; a stage's deliverable adds its own facts."""

    stage: str  # the stage's name, as in its declaration
    path: str


class Decision(TypedDict):
    decision: str  # replace | confirm_gap | close | resend | delivered | hold | release | approve
    # | item_done | topic | ...
    by: str
    # replace
    out: NotRequired[str]
    into: NotRequired[str]
    out_name: NotRequired[str]
    into_name: NotRequired[str]
    # confirm_gap, hold
    note: NotRequired[str]
    # close
    reason: NotRequired[str]
    # resend | delivered: the message in doubt
    key: NotRequired[str]
    # item_done: the open item's topic (the element's id), with the lead's `note` if any
    item: NotRequired[str]
    # topic: one drafting topic decided by the lead (consensus.events.TopicDecision)
    topic: NotRequired[str]
    decided: NotRequired[dict[str, str]]


SHARED_KINDS: dict[str, type] = {
    STARTED: Started,
    MAIL_SENT: MailSent,
    DELIVERABLE_WRITTEN: Deliverable,
    DECISION: Decision,
}

P = TypeVar("P")


class PayloadError(ValueError):
    """A payload that does not have the shape its kind promises: a bug, caught before it is
    recorded."""


@cache
def kinds() -> dict[str, type]:
    """Every event kind the product records, with its payload type."""
    from smpp.stages import stages  # the registry imports the stages, which import this

    found = dict(SHARED_KINDS)
    for stage in stages():
        for kind, shape in stage.events.items():
            if kind in found:
                raise PayloadError(f"event kind {kind!r} is defined twice")
            found[kind] = shape
    return found


@cache
def deliverable_shapes() -> dict[str, type]:
    from smpp.stages import stages

    shapes = {stage.name: stage.deliverable for stage in stages() if stage.deliverable is not None}
    for stage in stages():
        for name, shape in stage.other_deliverables.items():
            shapes.setdefault(name, shape)
    return shapes


def check(kind: str, data: dict[str, Any]) -> None:
    """Raise PayloadError unless `data` has every key its kind (and, for a deliverable, its
    stage) requires, and no key it does not know."""
    shape = kinds().get(kind)
    if shape is None:
        raise PayloadError(f"unknown event kind {kind!r}")
    shapes = [shape]
    if kind == DELIVERABLE_WRITTEN:
        stage = deliverable_shapes().get(str(data.get("stage")))
        if stage is None:
            raise PayloadError(f"a deliverable of unknown stage {data.get('stage')!r}")
        shapes = [stage]
    for each in shapes:
        assert is_typeddict(each)
        required: frozenset[str] = each.__required_keys__  # type: ignore[attr-defined]
        allowed: frozenset[str] = required | each.__optional_keys__  # type: ignore[attr-defined]
        missing = sorted(required - data.keys())
        unknown = sorted(data.keys() - allowed)
        if missing or unknown:
            raise PayloadError(
                f"a {kind} payload ({each.__name__}) "
                + (f"lacks {', '.join(missing)}" if missing else "")
                + ("; " if missing and unknown else "")
                + (f"has unknown {', '.join(unknown)}" if unknown else "")
            )


def payload(event: Event, shape: type[P]) -> P:
    """An event's payload, read as the type its kind defines."""
    return cast(P, event.data)
