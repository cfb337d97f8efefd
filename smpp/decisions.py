"""Decisions the account lead records: checked against the engagement's state before they count.

A decision is an event in the record like any other; the plan reads it on the next advance, so
only what the decision changes is redone. `Decision` is how a lead enters one (the Prefect run
form shows its fields); `decide` checks it against the state and returns the event to record.
A decision on a message in doubt (resend, delivered) changes its claim too, in the same
transaction as its event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.exc import IntegrityError

from smpp.events import DECISION, MAIL_SENT
from smpp.stages.packet.records import (
    APPROVE,
    HOLD,
    RELEASE,
    approval,
    deliveries,
    held,
    packet_workbooks,
)
from smpp.stages.peer_review.records import candidates, current_selection
from smpp.stages.peer_review.selection import Candidate
from smpp.state import State
from smpp.store import Event, Store


class DecisionError(ValueError):
    """A decision that cannot be taken as given; the message says why and what would work."""


def _find(candidates: list[Candidate], name: str) -> Candidate | None:
    wanted = " ".join(name.casefold().split())
    for candidate in candidates:
        if wanted in (" ".join(candidate.name.casefold().split()), candidate.domain):
            return candidate
    return None


def _closing(state: State) -> Event | None:
    for item in state.of_kind(DECISION):
        if item.data.get("decision") == "close":
            return item
    return None


def _refuse_when_closed(state: State) -> None:
    closing = _closing(state)
    if closing is not None:
        raise DecisionError(
            f"The engagement was closed on {closing.at.astimezone(state.engagement.zone):%-d %B %Y}"
            f" by {closing.data.get('by') or 'the account lead'}; nothing more can be decided."
        )


def replace_company(state: State, out: str, into: str, by: str, now: datetime) -> Event:
    """The event recording that `into` replaces `out` among the companies reviewed."""
    _refuse_when_closed(state)
    on_list = candidates(state)
    if not on_list:
        raise DecisionError("There is no accepted company list yet, so nothing to replace.")
    chosen = current_selection(state).chosen
    leaving = _find(list(chosen), out)
    if leaving is None:
        names = ", ".join(c.name for c in chosen) or "none yet"
        raise DecisionError(f"'{out}' is not among the companies chosen ({names}).")
    entering = _find(on_list, into)
    if entering is None:
        raise DecisionError(
            f"'{into}' is not on the accepted company list; use a name or web domain from it."
        )
    if entering in chosen:
        raise DecisionError(f"'{entering.name}' is already among the companies chosen.")
    data: dict[str, Any] = {
        "decision": "replace",
        "out": leaving.domain,
        "into": entering.domain,
        "out_name": leaving.name,
        "into_name": entering.name,
        "by": by,
    }
    return Event(state.slug, now, DECISION, None, data)


def confirm_gap(state: State, note: str, by: str, now: datetime) -> Event:
    """The event recording that the packet goes out with the gap `note` describes (a missing
    answer, a company short in the review), knowingly rather than by oversight."""
    _refuse_when_closed(state)
    if state.kickoff is None:
        raise DecisionError("The engagement has not started, so there is no gap to confirm yet.")
    text = " ".join(note.split())
    if not text:
        raise DecisionError("Say which gap the packet goes out with (the note is empty).")
    return Event(
        state.slug, now, DECISION, None, {"decision": "confirm_gap", "note": text, "by": by}
    )


def packet_decision(state: State, kind: str, note: str, by: str, now: datetime) -> Event:
    """The event holding the workshop packet (it is not sent until released), releasing it, or
    approving it where the engagement asks for approval; refused once it has gone out."""
    _refuse_when_closed(state)
    if state.kickoff is None:
        raise DecisionError("The engagement has not started, so there is no packet yet.")
    sent = deliveries(state)
    if sent:
        when = sent[0].at.astimezone(state.engagement.zone)
        raise DecisionError(
            f"The workshop packet went out on {when:%-d %B %Y at %H:%M}; it can no longer be "
            f"{'held' if kind == HOLD else 'released' if kind == RELEASE else 'approved'}."
        )
    standing = held(state)
    if kind == HOLD and standing is not None:
        raise DecisionError(
            f"The packet is held already (by {standing.data.get('by')}); release it with "
            f"`smpp decide {state.slug} release`."
        )
    if kind == RELEASE and standing is None:
        raise DecisionError("The packet is not held, so there is nothing to release.")
    if kind == APPROVE:
        if not state.engagement.packet.approval:
            raise DecisionError(
                "This engagement does not ask for the packet's approval: it goes out at the "
                "packet milestone unless you hold it."
            )
        if not packet_workbooks(state):
            raise DecisionError("No packet is written yet; approve it once you have its draft.")
        if approval(state) is not None:
            raise DecisionError("The packet is approved already.")
    data: dict[str, Any] = {"decision": kind, "by": by}
    text = " ".join(note.split())
    if kind == HOLD and text:
        data["note"] = text
    return Event(state.slug, now, DECISION, None, data)


def close_key(state: State) -> str:
    # A key of its own: the database refuses a second close even from two recorders at once.
    return f"{state.slug}/decision/close"


def close_engagement(state: State, reason: str, by: str, now: datetime) -> Event:
    """The event closing the engagement: nothing more is planned, sent or chased after it."""
    _refuse_when_closed(state)
    text = " ".join(reason.split())
    if not text:
        raise DecisionError("Say why the engagement is closed (the reason is empty).")
    data = {"decision": "close", "reason": text, "by": by}
    return Event(state.slug, now, DECISION, close_key(state), data)


def settle_doubt(state: State, kind: str, key: str, by: str, now: datetime) -> Event:
    """The event recording the lead's word on a message in doubt: `resend` it (it did not
    arrive) or count it as `delivered` (it did). Whether it is in doubt, `record` checks."""
    _refuse_when_closed(state)
    wanted = key.strip()
    if not wanted.startswith(f"{state.slug}/"):
        raise DecisionError(f"'{wanted}' is not a key of {state.slug}; the lead's notice names it.")
    if state.done(wanted) is not None:
        raise DecisionError(f"'{wanted}' is recorded as sent already; there is nothing to decide.")
    return Event(state.slug, now, DECISION, None, {"decision": kind, "key": wanted, "by": by})


def accept_finding(state: State, finding: str, note: str, by: str, now: datetime) -> Event:
    """The event recording that the lead accepts a finding of the policy check, with why: the
    policy may go out with that wording, and its appendix says so."""
    from smpp.stages.policy.records import policies

    _refuse_when_closed(state)
    written = policies(state)
    if not written:
        raise DecisionError("No policy has been written yet, so there is no finding to accept.")
    findings = {f["key"]: f for f in written[-1].data.get("findings", [])}
    wanted = finding.strip()
    if wanted not in findings:
        known = ", ".join(findings) or "none"
        raise DecisionError(
            f"'{wanted}' is not a finding of the latest policy (version "
            f"{written[-1].data['version']}); its findings: {known}."
        )
    text = " ".join(note.split())
    if not text:
        raise DecisionError("Say why the finding is accepted (the note is empty).")
    data = {"decision": "accept_finding", "key": wanted, "note": text, "by": by}
    return Event(state.slug, now, DECISION, None, data)


def mark_item_done(state: State, item: str, note: str, by: str, now: datetime) -> Event:
    """The event recording that an open item of the follow-up (a topic the consensus deferred
    or gave a follow-up) is done; once every one is, the engagement closes itself."""
    from smpp.stages.follow_up.records import items_done, tracked_items

    _refuse_when_closed(state)
    wanted = item.strip().upper()
    items = tracked_items(state)
    if not items:
        raise DecisionError("No consensus with open items is recorded, so nothing can be done.")
    topics = [i["topic"] for i in items]
    if wanted not in topics:
        raise DecisionError(
            f"'{item.strip()}' is not an open item; the open items are: {', '.join(topics)}."
        )
    earlier = items_done(state).get(wanted)
    if earlier is not None:
        raise DecisionError(
            f"{wanted} was marked done on "
            f"{earlier.at.astimezone(state.engagement.zone):%-d %B %Y} already."
        )
    data = {"decision": "item_done", "item": wanted, "note": " ".join(note.split()), "by": by}
    return Event(state.slug, now, DECISION, None, data)


def _decide_topic(state: State, decision: Decision, by: str, now: datetime) -> Event:
    from smpp.stages.consensus.decide import TopicRefused, decide_topic

    _refuse_when_closed(state)
    try:
        return decide_topic(
            state,
            decision.topic,
            decision.choice,
            decision.wording,
            decision.follow_up,
            decision.owner,
            decision.due,
            decision.note,
            by,
            now,
        )
    except TopicRefused as exc:
        raise DecisionError(str(exc)) from None


@dataclass(frozen=True)
class Kind:
    """One kind of decision, all of it in one place: how the lead enters it (the run form, the
    command line), how it is checked, and how it is told afterwards."""

    name: str  # as recorded; `smpp decide` takes it with '-' for '_'
    choice: str  # the run form's words for it
    help: str  # what it does, for the field's description
    done: str  # what the lead did, on the status page
    said: str  # what `smpp decide` says once it is recorded ({fields} of the event's data)
    named: Callable[[dict[str, Any]], str]  # in a few words: a run's name and its log
    take: Callable[[State, Decision, str, datetime], Event]  # the checked event, or refused
    # The fields it needs: (Decision's field, the run form's field, the form's words for it).
    needs: tuple[tuple[str, str, str], ...] = ()
    # The fields it reads when given: (Decision's field, the run form's field).
    reads: tuple[tuple[str, str], ...] = ()
    # What the status page shows beside it; the page cuts a note the lead wrote to its line,
    # but not what the product itself says (`whole_detail`).
    detail: Callable[[dict[str, Any]], str] = lambda data: ""
    whole_detail: bool = False


def _note(data: dict[str, Any]) -> str:
    return str(data.get("note", ""))


def _settle(state: State, decision: Decision, by: str, now: datetime) -> Event:
    return settle_doubt(state, decision.kind, decision.key, by, now)


def _on_packet(state: State, decision: Decision, by: str, now: datetime) -> Event:
    return packet_decision(state, decision.kind, decision.note, by, now)


def _key(data: dict[str, Any]) -> str:
    return str(data.get("key", ""))


# Every kind of decision, in the order the run form offers them.
KINDS: tuple[Kind, ...] = (
    Kind(
        "replace",
        "Replace one of the five companies reviewed",
        "swap one of the five companies reviewed",
        "replaced a company in the review",
        "Recorded: {into_name} replaces {out_name}. The next advance reviews it and writes a new "
        "version of the peer review.",
        lambda data: f"{data.get('into_name')} replaces {data.get('out_name')} in the review",
        lambda state, d, by, now: replace_company(state, d.out, d.into, by, now),
        needs=(
            ("out", "take_out", "the company to take out"),
            ("into", "put_in", "the company to review instead"),
        ),
        detail=lambda data: f"{data.get('into_name')} instead of {data.get('out_name')}",
        whole_detail=True,
    ),
    Kind(
        "confirm_gap",
        "Let the workshop packet go out with a known gap",
        "the packet goes out with a known gap",
        "let the packet go out with a known gap",
        "Recorded: the packet may go out with this gap.",
        lambda data: "the packet may go out with a known gap",
        lambda state, d, by, now: confirm_gap(state, d.note, by, now),
        needs=(("note", "gap", "the gap"),),
        detail=_note,
    ),
    Kind(
        "close",
        "Close the engagement (nothing more is sent)",
        "end the engagement (nothing more is sent)",
        "closed the engagement",
        "Recorded: the engagement is closed; nothing more is planned or sent.",
        lambda data: "engagement closed",
        lambda state, d, by, now: close_engagement(state, d.reason, by, now),
        needs=(("reason", "reason", "why the engagement closes"),),
        detail=lambda data: str(data.get("reason", "")),
    ),
    Kind(
        "resend",
        "Send again a message that did not arrive",
        "a message in doubt did not arrive (send it again)",
        "had a message in doubt sent again",
        "Recorded: {key} did not arrive; the next advance sends it again, with the same "
        "Message-ID.",
        lambda data: "a message in doubt is sent again",
        _settle,
        needs=(("key", "message", "the message's key"),),
        detail=_key,
        whole_detail=True,
    ),
    Kind(
        "delivered",
        "Count as delivered a message that did arrive",
        "a message in doubt did arrive",
        "counted a message in doubt as delivered",
        "Recorded: {key} arrived; it counts as sent and is not sent again.",
        lambda data: "a message in doubt counted as delivered",
        _settle,
        needs=(("key", "message", "the message's key"),),
        detail=_key,
        whole_detail=True,
    ),
    Kind(
        HOLD,
        "Hold the workshop packet (it is not sent)",
        "keep the workshop packet from going out (note: why)",
        "held the workshop packet",
        "Recorded: the workshop packet is held; nothing is sent until you release it.",
        lambda data: "the workshop packet is held",
        _on_packet,
        reads=(("note", "why_held"),),
        detail=_note,
    ),
    Kind(
        RELEASE,
        "Release the workshop packet (it goes out)",
        "let a held workshop packet go out",
        "released the workshop packet",
        "Recorded: the workshop packet is released; it goes out at the packet milestone.",
        lambda data: "the workshop packet is released",
        _on_packet,
    ),
    Kind(
        APPROVE,
        "Approve the workshop packet (it goes out)",
        "let the packet go out where the engagement asks for approval",
        "approved the workshop packet",
        "Recorded: the workshop packet is approved; it goes out at the packet milestone.",
        lambda data: "the workshop packet is approved",
        _on_packet,
    ),
    Kind(
        "accept_finding",
        "Accept a finding of the policy check",
        "the policy may go out with a wording its check found risky",
        "accepted a finding of the policy check",
        "Recorded: finding {key} is accepted; the policy may go out with that wording, and its "
        "appendix gives your note.",
        lambda data: "a policy check finding accepted",
        lambda state, d, by, now: accept_finding(state, d.key, d.note, by, now),
        needs=(("key", "finding", "the finding's key"), ("note", "why_accepted", "why")),
        detail=lambda data: f"{data.get('key', '')}: {data.get('note', '')}",
    ),
    Kind(
        "item_done",
        "Mark an open item of the follow-up done",
        "an open item of the follow-up is done",
        "marked an open item of the follow-up done",
        "Recorded: the open item {item} is done. Once every open item is, the next advance "
        "closes the engagement.",
        lambda data: f"open item {data.get('item')} done",
        lambda state, d, by, now: mark_item_done(state, d.item, d.note, by, now),
        needs=(("item", "open_item", "the open item"),),
        reads=(("note", "done_note"),),
        detail=lambda data: " ".join(f"{data.get('item', '')}: {_note(data)}".split()).rstrip(":"),
    ),
    Kind(
        "topic",
        "Decide a drafting topic of the workshop",
        "a drafting topic decided after the workshop (instead of, or after, the consensus "
        "workbook)",
        "decided a drafting topic",
        "Recorded: topic {topic} decided.",
        lambda data: f"topic {data.get('topic')} decided",
        _decide_topic,
        needs=(("topic", "topic", "the topic"), ("choice", "topic_decision", "what was decided")),
        reads=(
            ("wording", "wording"),
            ("follow_up", "follow_up"),
            ("owner", "owner"),
            ("due", "due"),
            ("note", "topic_notes"),
        ),
        detail=lambda data: f"{data.get('topic', '')}: {data.get('decided', {}).get('choice', '')}",
    ),
)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_CHOICE = {kind.choice: kind for kind in KINDS}
IN_DOUBT_DECISIONS = ("resend", "delivered")
# What each kind needs, by Decision's fields (`smpp decide` names the missing flags from it).
REQUIRED: dict[str, tuple[str, ...]] = {
    kind.name: tuple(field for field, _, _ in kind.needs) for kind in KINDS
}

# The kinds as Literals, so pydantic (and the Prefect run form) offer exactly these choices.
if TYPE_CHECKING:
    DecisionKind = str
    FormKind = str
else:
    DecisionKind = Literal[tuple(BY_NAME)]
    FormKind = Literal[tuple(BY_CHOICE)]


class Decision(BaseModel):
    """A decision as the account lead enters it; only the fields its kind needs are read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DecisionKind = Field(
        description="; ".join(f"{kind.name}: {kind.help}" for kind in KINDS) + "."
    )
    by: str = Field(
        default="", description="Who decides; empty means the account lead in the engagement file."
    )
    out: str = Field(default="", description="replace: the company to take out (name or domain).")
    into: str = Field(
        default="", description="replace: the company to review instead (name or domain)."
    )
    note: str = Field(
        default="",
        description="confirm_gap: the gap the packet goes out with; hold: why it is held; "
        "accept_finding: why; item_done, topic: a note.",
    )
    reason: str = Field(default="", description="close: why the engagement ends.")
    key: str = Field(
        default="",
        description="resend / delivered: the message's key, as the lead's notice says; "
        "accept_finding: the finding's key, as the draft policy's mail says.",
    )
    item: str = Field(
        default="", description="item_done: the open item's topic, as the report names it (E06)."
    )
    topic: str = Field(default="", description="topic: the drafting topic, E01 to E25.")
    choice: str = Field(
        default="",
        description="topic: one of the topic's positions (as the consensus workbook lists them), "
        "'Own wording' or 'Deferred'.",
    )
    wording: str = Field(default="", description="topic: the agreed wording (for 'Own wording').")
    follow_up: str = Field(default="", description="topic: a follow-up agreed on it, if any.")
    owner: str = Field(default="", description="topic: who does the follow-up.")
    due: str = Field(default="", description="topic: the follow-up's due date (2027-03-01).")

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Decision:
        missing = [name for name in REQUIRED[self.kind] if not str(getattr(self, name)).strip()]
        if missing:
            raise ValueError(f"a '{self.kind}' decision needs {' and '.join(missing)}")
        return self


class DecisionForm(BaseModel):
    """Choose what you decide, then fill in only what that decision needs; the rest stays
    empty."""

    # (The Prefect run form shows this docstring to the lead; only the chosen decision's fields
    # are read, and `to_decision` names any that is missing.)

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: FormKind = Field(title="What do you decide?")
    take_out: str = Field(
        default="",
        title="Company to take out",
        description="Replacing: a company now in the review (its name or web domain).",
    )
    put_in: str = Field(
        default="",
        title="Company to review instead",
        description="Replacing: a company from the client's list (its name or web domain).",
    )
    gap: str = Field(
        default="",
        title="The gap",
        description="Known gap: what the packet goes out without, e.g. 'no answer from Legal'.",
    )
    reason: str = Field(
        default="", title="Why it closes", description="Closing: why the engagement ends."
    )
    why_held: str = Field(
        default="",
        title="Why the packet is held",
        description="Holding the packet: why (optional), e.g. 'the client is renaming a role'.",
    )
    message: str = Field(
        default="",
        title="The message",
        description="A message in doubt: its key, as the notice you were sent names it.",
    )
    finding: str = Field(
        default="",
        title="The finding",
        description="Accepting a finding: its key, as the draft policy's mail names it.",
    )
    why_accepted: str = Field(
        default="",
        title="Why it is accepted",
        description="Accepting a finding: why the wording stays (shown in the policy).",
    )
    open_item: str = Field(
        default="",
        title="The open item",
        description="Done: the open item's topic, as the follow-up report names it (e.g. E06).",
    )
    done_note: str = Field(
        default="", title="How it was done", description="Done: a note on the item (optional)."
    )
    topic: str = Field(
        default="", title="The topic", description="A drafting topic: its number, E01 to E25."
    )
    topic_decision: str = Field(
        default="",
        title="What was decided",
        description="A drafting topic: one of its positions as the consensus workbook lists "
        "them, 'Own wording' or 'Deferred'.",
    )
    wording: str = Field(
        default="", title="Agreed wording", description="A drafting topic: for 'Own wording'."
    )
    follow_up: str = Field(
        default="", title="Follow-up", description="A drafting topic: a follow-up agreed, if any."
    )
    owner: str = Field(default="", title="Owner", description="The follow-up's owner.")
    due: str = Field(default="", title="Due date", description="The follow-up's due date.")
    topic_notes: str = Field(
        default="", title="Notes", description="A drafting topic: notes on it (optional)."
    )
    by: str = Field(
        default="", title="Decided by", description="Empty: the account lead in the engagement."
    )

    def to_decision(self) -> Decision:
        """The decision this form records; ValueError names a missing field in the form's words."""
        kind = BY_CHOICE[self.decision]
        missing = [words for _, name, words in kind.needs if not str(getattr(self, name)).strip()]
        if missing:
            raise ValueError(
                f"'{self.decision}' needs {' and '.join(missing)}: fill it in the form."
            )
        given = [(field, name) for field, name, _ in kind.needs] + list(kind.reads)
        return Decision(
            kind=kind.name, by=self.by, **{field: getattr(self, name) for field, name in given}
        )


def describe(event: Event) -> str:
    """A recorded decision in a few words: for a run's name and its log."""
    kind = BY_NAME.get(str(event.data.get("decision")))
    return kind.named(event.data) if kind else str(event.data.get("decision"))


def decide(state: State, decision: Decision, now: datetime) -> Event:
    """The event `decision` records, checked against `state`; DecisionError says why not."""
    by = decision.by.strip() or state.engagement.account_lead.name
    return BY_NAME[decision.kind].take(state, decision, by, now)


def record(store: Store, event: Event) -> None:
    """Append a decision's event; a close someone recorded meanwhile refuses this one. A decision
    on a message in doubt is refused unless the message is in doubt."""
    if event.data["decision"] in IN_DOUBT_DECISIONS:
        _record_on_doubt(store, event)
        return
    try:
        store.append(event)
    except IntegrityError:
        raise DecisionError("The engagement has been closed already; it stays closed.") from None


def _record_on_doubt(store: Store, event: Event) -> None:
    key = event.data["key"]
    effect = store.effect_status(key)
    if effect is None or effect["status"] != "in_doubt" or effect["engagement"] != event.engagement:
        held = [e["key"] for e in store.in_doubt_effects(event.engagement)]
        raise DecisionError(
            f"'{key}' is not a message in doubt; "
            + (f"those in doubt are: {', '.join(held)}." if held else "none is in doubt.")
        )
    sent = None
    if event.data["decision"] == "delivered":
        detail = dict(effect["detail"])
        attempted = datetime.fromisoformat(detail.pop("attempted_at"))
        where = f"confirmed delivered by {event.data['by']}"
        sent = Event(event.engagement, attempted, MAIL_SENT, key, {**detail, "where": where})
    if not store.resolve_in_doubt(key, event, sent):
        raise DecisionError(f"'{key}' was decided meanwhile; nothing was changed.")
