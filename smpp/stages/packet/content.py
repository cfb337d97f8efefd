"""What the workshop packet says, worked out once from its inputs: the scenario's figures, the
five questions with the questionnaire's answers, the peer review, the drafting topics and the
agenda. The workbook, the readable document and the consensus workbook all render this.

Pure: the inputs are passed in (read from the record by the performer), no clock, no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from smpp.positions import Position, matching, positions
from smpp.scenario import Figure, StaleFigure, figures_by_topic
from smpp.stages.peer_review.comparison import QUESTION_LABELS, CompanyReview, Comparison
from smpp.stages.peer_review.records import Evidence
from smpp.stages.peer_review.selection import REVIEW_SIZE
from smpp.stages.questionnaire.questions import Question
from smpp.stages.questionnaire.records import ATTENDING
from smpp.stages.questionnaire.summary import Divergence, QuestionnaireSummary, role_label
from smpp.taxonomy import QUESTIONS, Element, load_taxonomy

# A peer position is the recommended start when at least this many reviewed companies take it.
MAJORITY = 3
TOPIC_WORDS = {
    "use": "Use",
    "trust": "Trust",
    "incidents": "Incidents",
    "policies": "Policies",
    "advocacy": "Advocacy",
    "customer_service": "Customer service",
}
QUICK = "Quick confirmation"
DISCUSSION = "For discussion"


@dataclass(frozen=True)
class Option:
    position: Position
    peers: tuple[Evidence, ...]  # the companies whose evidence shows this position

    @property
    def companies(self) -> list[str]:
        return [p.company for p in self.peers]


@dataclass(frozen=True)
class RedFlag:
    company: str
    element: str
    sentence: str
    reason: str
    url: str


@dataclass(frozen=True)
class Topic:
    """One drafting topic: an element of the taxonomy, with everything the room decides on."""

    element: Element
    options: tuple[Option, ...]  # every position the element can take, peers or none
    other_words: tuple[Evidence, ...]  # peers covering it in words no position matches
    silent: tuple[str, ...]  # peers whose policy does not address it
    divergences: tuple[Divergence, ...]  # the questionnaire's, on the element's question
    red_flags: tuple[RedFlag, ...]
    recommended: Position | None
    reason: str
    quick: bool
    minutes: int = 0

    @property
    def id(self) -> str:
        return self.element.id

    @property
    def question(self) -> str:
        return QUESTION_LABELS[self.element.question]

    @property
    def kind(self) -> str:
        return QUICK if self.quick else DISCUSSION


@dataclass(frozen=True)
class Quote:
    prompt: str
    who: str  # a name and role, or "Respondent 3 (Legal)" when anonymised
    text: str
    absent: bool  # said by someone who will not attend


@dataclass(frozen=True)
class PromptCounts:
    prompt: str
    label: str  # the choice's label
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class QuestionSegment:
    question: Question
    counts: tuple[PromptCounts, ...]
    quotes: tuple[Quote, ...]
    divergences: tuple[Divergence, ...]
    answered: int  # people who answered at least one of its prompts


@dataclass(frozen=True)
class AgendaItem:
    segment: str
    item: str
    minutes: int
    start: datetime
    topic: str = ""  # the element id of a discussion topic

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class ScenarioFigure:
    figure: Figure
    stale: StaleFigure | None

    @property
    def topic_words(self) -> str:
        return TOPIC_WORDS.get(self.figure.topic, self.figure.topic)


@dataclass(frozen=True)
class Packet:
    client: str
    workshop: datetime
    session_minutes: int
    figures: tuple[ScenarioFigure, ...]
    questions: tuple[QuestionSegment, ...]
    invited: int
    answered: int
    not_answered: tuple[str, ...]  # who did not answer (anonymised: their roles)
    unrepresented: tuple[str, ...]  # roles invited of which nobody answered
    absent: tuple[str, ...]  # who answered but will not attend (anonymised: their roles)
    companies: tuple[str, ...]
    matrix: pd.DataFrame  # element id x company: bool
    common: tuple[str, ...]  # element ids most of the companies address
    differences: tuple[str, ...]
    unique: dict[str, str]
    red_flags: tuple[RedFlag, ...]
    review_evidence: dict[tuple[str, str], Evidence]  # (element id, company) -> first sentence
    topics: tuple[Topic, ...]
    agenda: tuple[AgendaItem, ...]
    missing: tuple[str, ...]  # inputs short of what the method asks, in words
    anonymised: bool = False
    stale: tuple[StaleFigure, ...] = field(default=())

    @property
    def quick_topics(self) -> list[Topic]:
        return [t for t in self.topics if t.quick]

    @property
    def discussion_topics(self) -> list[Topic]:
        return [t for t in self.topics if not t.quick]


def build_packet(
    client: str,
    workshop: datetime,
    session_minutes: int,
    figures: Sequence[Figure],
    stale: Sequence[StaleFigure],
    questions: Sequence[Question],
    summary: QuestionnaireSummary | None,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    *,
    anonymise: bool = False,
) -> Packet:
    """The packet's content from its inputs; `summary` None: nobody was invited."""
    stale_by_id = {s.figure.id: s for s in stale}
    ordered = [f for listed in figures_by_topic(figures).values() for f in listed]
    scenario = tuple(ScenarioFigure(f, stale_by_id.get(f.id)) for f in ordered)
    labels = _labels(summary, anonymise)
    segments = tuple(_question_segment(q, summary, labels) for q in questions)
    divergences = summary.divergences if summary is not None else ()
    red_flags = tuple(
        RedFlag(r.name, f["element"], f["sentence"], f["reason"], r.url)
        for r in reviews
        for f in r.red_flags
    )
    evidence = {
        (element_id, r.name): Evidence(r.name, sentences[0], r.url)
        for r in reviews
        for element_id, sentences in r.elements.items()
        if sentences
    }
    elements = sorted(load_taxonomy(), key=lambda e: (QUESTIONS.index(e.question), e.id))
    topics = [_topic(e, reviews, divergences, red_flags) for e in elements]
    agenda, topics = _agenda(topics, workshop, session_minutes)
    people = summary.respondents if summary is not None else ()
    not_answered = tuple(labels[p.email] for p in people if p.answered_at is None)
    absent = tuple(
        labels[p.email] for p in people if p.answered_at is not None and p.attendance != ATTENDING
    )
    roles = {role_label(p.role) for p in people}
    answering = {role_label(p.role) for p in people if p.answered_at is not None}
    unrepresented = tuple(sorted(roles - answering))
    return Packet(
        client=client,
        workshop=workshop,
        session_minutes=session_minutes,
        figures=scenario,
        questions=segments,
        invited=len(people),
        answered=sum(p.answered_at is not None for p in people),
        not_answered=not_answered,
        unrepresented=unrepresented,
        absent=absent,
        companies=tuple(r.name for r in reviews),
        matrix=comparison.matrix,
        common=tuple(comparison.common),
        differences=tuple(comparison.differences),
        unique=dict(comparison.unique),
        red_flags=red_flags,
        review_evidence=evidence,
        topics=tuple(topics),
        agenda=tuple(agenda),
        missing=tuple(missing_inputs(summary, reviews)),
        anonymised=anonymise,
        stale=tuple(stale),
    )


def missing_inputs(
    summary: QuestionnaireSummary | None, reviews: Sequence[CompanyReview]
) -> list[str]:
    """What the packet goes out without, in words for its cover and the lead's mail."""
    missing = []
    if not reviews:
        missing.append(
            "No peer review: no company policy was reviewed, so the review segment is empty and "
            "the drafting topics show no peer positions."
        )
    elif len(reviews) < REVIEW_SIZE:
        missing.append(
            f"The peer review covers {len(reviews)} of the {REVIEW_SIZE} companies the method "
            f"asks for ({', '.join(r.name for r in reviews)}): the options and the majorities "
            "rest on fewer peers."
        )
    if summary is None or not summary.invited:
        missing.append(
            "Nobody was invited to the questionnaire: the five questions segment is empty."
        )
    elif summary.answered < summary.invited:
        missing.append(
            f"The questionnaire is short: {summary.answered} of {summary.invited} invited people "
            "answered."
        )
    return missing


def _labels(summary: QuestionnaireSummary | None, anonymise: bool) -> dict[str, str]:
    """How each respondent is named in the packet: name and role, or a number and role."""
    labels = {}
    for number, person in enumerate(summary.respondents if summary else (), start=1):
        role = role_label(person.role)
        labels[person.email] = (
            f"Respondent {number} ({role})" if anonymise else f"{person.name} ({role})"
        )
    return labels


def _question_segment(
    question: Question, summary: QuestionnaireSummary | None, labels: dict[str, str]
) -> QuestionSegment:
    if summary is None:
        return QuestionSegment(question, (), (), (), 0)
    answers = summary.answers
    mine = answers[answers["question_id"] == question.id]
    counts = []
    for prompt in question.prompts:
        if prompt.choice is None:
            continue
        chosen = mine[(mine["prompt_id"] == prompt.id) & mine["choice"].notna()]
        tally = chosen["choice"].value_counts()
        counts.append(
            PromptCounts(
                prompt.text,
                prompt.choice.label,
                tuple((o, int(tally.get(o, 0))) for o in prompt.choice.options),
            )
        )
    texts = {p.id: p.text for p in question.prompts}
    quotes = tuple(
        Quote(
            texts.get(str(row.prompt_id), str(row.prompt)),
            labels.get(str(row.email), str(row.name)),
            " ".join(str(row.text).split()),
            str(row.attendance) != ATTENDING,
        )
        for row in mine.itertuples()
        if isinstance(row.text, str) and row.text.strip()
    )
    divergences = tuple(d for d in summary.divergences if d.prompt_id.startswith(f"{question.id}."))
    return QuestionSegment(
        question, tuple(counts), quotes, divergences, int(mine["email"].nunique())
    )


def _topic(
    element: Element,
    reviews: Sequence[CompanyReview],
    divergences: Sequence[Divergence],
    red_flags: Sequence[RedFlag],
) -> Topic:
    available = positions(element.id)
    peers: dict[str, list[Evidence]] = {p.id: [] for p in available}
    other_words: list[Evidence] = []
    silent: list[str] = []
    for review in reviews:
        sentences = list(review.elements.get(element.id, ()))
        if not sentences:
            silent.append(review.name)
            continue
        shown = False
        for position in available:
            quote = next((s for s in sentences if position in matching(element.id, [s])), None)
            if quote is not None:
                peers[position.id].append(Evidence(review.name, quote, review.url))
                shown = True
        if not shown:
            other_words.append(Evidence(review.name, sentences[0], review.url))
    options = tuple(Option(p, tuple(peers[p.id])) for p in available)
    recommended, reason, majority = _recommendation(options, len(reviews))
    on_question = tuple(d for d in divergences if d.prompt_id.split(".")[0] == element.question)
    flags = tuple(f for f in red_flags if f.element == element.id)
    # The companies agree when most of them take the starting position; the respondents,
    # when the questionnaire shows no divergence on the element's question.
    backing = next((len(o.peers) for o in options if o.position == recommended), 0)
    quick = majority and backing >= _most(len(reviews)) and not on_question and not flags
    return Topic(
        element,
        options,
        tuple(other_words),
        tuple(silent),
        on_question,
        flags,
        recommended,
        reason,
        bool(quick),
    )


def _most(n: int) -> int:
    """How many of n companies make 'most', as the peer review counts it: 4 of 5, 3 of 4."""
    return max(MAJORITY, math.ceil(n * 0.7))


def _recommendation(options: Sequence[Option], reviewed: int) -> tuple[Position | None, str, bool]:
    """The starting position: the peers' majority if 3 or more take one, else the one the
    agency recommends; with its reason in words, and whether it came from the peers."""
    best = max(options, key=lambda o: len(o.peers), default=None)
    if best is not None and len(best.peers) >= MAJORITY:
        names = ", ".join(best.companies)
        return (
            best.position,
            f"{len(best.peers)} of the {reviewed} companies reviewed take it ({names}).",
            True,
        )
    marked = next((o.position for o in options if o.position.recommended), None)
    if marked is not None:
        most = len(best.peers) if best is not None else 0
        why = marked.reason.rstrip(".") + "." if marked.reason else "The agency's default."
        return (
            marked,
            f"No position is taken by {MAJORITY} or more peers (at most {most}). {why}",
            False,
        )
    return None, "No position to start from: the room words this element itself.", False


# --- the agenda -----------------------------------------------------------------------------

# Shares of the session for the fixed segments; what is left goes to the drafting topics.
_FIXED = (
    ("Opening", "Welcome, aims of the session, how decisions are recorded", 0.04),
    ("1. Social media scenario", "Key trends, facts and figures", 0.08),
    ("2. The five questions", "What the attendees answered in advance", 0.12),
    (
        "3. Peer review",
        "Common elements, differences and red flags of the companies reviewed",
        0.12,
    ),
)
_BREAK_FROM = 150  # sessions at least this long have a break
_QUICK_MINUTES = 2  # per quick confirmation
_CLOSE = ("Close", "Decisions read back, owners and due dates of follow-ups, next steps", 0.04)


def _agenda(
    topics: list[Topic], start: datetime, session: int
) -> tuple[list[AgendaItem], list[Topic]]:
    """Each segment and each discussion topic with its minutes, adding up to the session."""
    fixed = [(s, i, max(1, round(session * share))) for s, i, share in _FIXED]
    close = (_CLOSE[0], _CLOSE[1], max(1, round(session * _CLOSE[2])))
    pause = round(session * 0.06) if session >= _BREAK_FROM else 0
    quick = [t for t in topics if t.quick]
    discussion = [t for t in topics if not t.quick]
    quick_minutes = min(len(quick) * _QUICK_MINUTES, round(session * 0.1)) if quick else 0
    left = session - sum(m for _, _, m in fixed) - close[2] - pause - quick_minutes
    if discussion and left < len(discussion):
        # A short session: the fixed segments give way so that every topic has a minute.
        fixed = [(s, i, max(1, m // 2)) for s, i, m in fixed]
        left = session - sum(m for _, _, m in fixed) - close[2] - pause - quick_minutes
    shares = _split(max(left, 0), len(discussion)) if discussion else []
    if not discussion:
        quick_minutes += max(left, 0)
    items: list[AgendaItem] = []
    moment = start

    def add(segment: str, item: str, minutes: int, topic: str = "") -> None:
        nonlocal moment
        if minutes <= 0:
            return
        items.append(AgendaItem(segment, item, minutes, moment, topic))
        moment += timedelta(minutes=minutes)

    for segment, item, minutes in fixed:
        add(segment, item, minutes)
    timed: dict[str, int] = {}
    if quick_minutes:
        add(
            "4. Drafting",
            f"Quick confirmations: {len(quick)} topic{'s' if len(quick) != 1 else ''} where the "
            "peers and the respondents agree"
            if quick
            else "Drafting: spare time",
            quick_minutes,
        )
    half = len(discussion) // 2
    for number, (topic, minutes) in enumerate(zip(discussion, shares, strict=True)):
        if pause and number == half:
            add("Break", "Break", pause)
            pause = 0
        add("4. Drafting", f"{topic.id} {topic.element.name}", minutes, topic.id)
        timed[topic.id] = minutes
    if pause:
        add("Break", "Break", pause)
    add(*close)
    quick_each = quick_minutes // len(quick) if quick else 0
    for topic in quick:
        timed[topic.id] = quick_each
    return items, [_with_minutes(t, timed.get(t.id, 0)) for t in topics]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _with_minutes(topic: Topic, minutes: int) -> Topic:
    from dataclasses import replace

    return replace(topic, minutes=minutes)


def agenda_total(agenda: Sequence[AgendaItem]) -> int:
    return sum(a.minutes for a in agenda)


def figure_value(figure: Figure) -> str:
    number = str(int(figure.value)) if figure.value.is_integer() else repr(figure.value)
    return f"{number}%" if figure.unit == "%" else f"{number} {figure.unit}"


def plain(text: str) -> str:
    """Outside text on one line (quotes from policies and answers)."""
    return re.sub(r"\s+", " ", text).strip()
