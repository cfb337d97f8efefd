"""What the Prefect UI shows of an engagement, rendered from its status board: a markdown status,
a progress figure, a table of the human steps awaited and links to the deliverables on the drive.

Pure: it takes the dict `engagement_status` returns and renders; keys it does not know (sections
other parts of the product add) are shown generically rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from smpp.plan import State, plan

# Keys rendered in sections of their own; any other key of the status gets a generic section.
HEADER_KEYS = frozenset({"engagement", "client", "now", "started", "at_risk", "closed"})
OWN_SECTIONS = frozenset({"timeline", "awaited", "next_action", "failing", "deliverables"})
# The stage each milestone belongs to, as the flow run's name says it.
STAGES: dict[str, str] = {
    "company_list_requested": "company list",
    "company_list_due": "company list",
    "questionnaire_sent": "questionnaire",
    "questionnaire_due": "questionnaire",
    "peer_review_done": "peer review",
    "packet_delivered": "workshop packet",
    "workshop": "workshop",
    "consensus_recorded": "consensus",
    "final_policy": "final policy",
    "follow_up_report": "follow-up report",
}
# Milestones nobody records: reached when their moment has passed.
BY_THE_CLOCK = frozenset({"workshop"})
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def action_summaries(state: State, now: datetime) -> dict[str, str]:
    """What each planned action does, in words, by its key (failing actions are still due)."""
    current = plan(state, now)
    return {action.key: action.summary for action in current.due + current.upcoming}


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key: lowercase letters, digits and dashes only."""
    text = "-".join(parts).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", text)).strip("-")


def _moment(value: str | datetime, zone: ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def human_time(value: str | datetime | None, timezone: str) -> str:
    """'Thu 14 Jan 2027, 09:30 CET' in the engagement's time zone; '' for no moment."""
    if value is None or value == "":
        return ""
    zone = ZoneInfo(timezone)
    return _moment(value, zone).astimezone(zone).strftime("%a %-d %b %Y, %H:%M %Z")


def md(text: object) -> str:
    """Text shown as itself in markdown (names with <email>, pipes in table cells)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def _reached(row: dict[str, Any], now: datetime | None) -> bool:
    if row.get("actual"):
        return True
    planned = row.get("planned")
    return bool(
        row.get("milestone") in BY_THE_CLOCK
        and planned
        and now is not None
        and datetime.fromisoformat(planned) <= now
    )


def _now(status: dict[str, Any]) -> datetime | None:
    value = status.get("now")
    return datetime.fromisoformat(value) if value else None


def progress(status: dict[str, Any]) -> float:
    """Share of the milestones reached, in percent."""
    timeline = status.get("timeline") or []
    if not timeline:
        return 0.0
    now = _now(status)
    reached = sum(1 for row in timeline if _reached(row, now))
    return round(100 * reached / len(timeline), 1)


def current_stage(status: dict[str, Any]) -> str:
    """The stage of the first milestone not reached yet, in words."""
    if status.get("closed"):
        return "closed"
    if not status.get("started"):
        return "kickoff"  # the run that starts it
    now = _now(status)
    for row in status.get("timeline") or []:
        if not _reached(row, now):
            name = str(row.get("milestone", ""))
            return STAGES.get(name, str(row.get("label") or name.replace("_", " ")).lower())
    return "done"


def run_name(status: dict[str, Any]) -> str:
    """A flow run's name: the client and the stage, e.g. 'Acme Foods: company list'."""
    return f"{status['client']}: {current_stage(status)}"


def _people(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def open_steps(status: dict[str, Any], timezone: str) -> list[dict[str, str]]:
    """One row per human step awaited: what, from whom, since, due, overdue."""
    return [
        {
            "what": str(wait.get("what", "")),
            "who": _people(wait.get("from")),
            "since": human_time(wait.get("since"), timezone),
            "due": human_time(wait.get("due"), timezone),
            "overdue": "yes" if wait.get("overdue") else "no",
        }
        for wait in status.get("awaited") or []
    ]


@dataclass(frozen=True)
class Link:
    key: str
    link: str
    text: str
    description: str


def _uri(path: str) -> str:
    location = Path(path)
    return location.as_uri() if location.is_absolute() else path


def deliverable_links(status: dict[str, Any], timezone: str) -> list[Link]:
    """The latest deliverable of each stage, as a file:// link keyed by stage."""
    latest: dict[str, dict[str, Any]] = {}
    for item in status.get("deliverables") or []:
        latest[str(item["stage"])] = item
    return [
        Link(
            key=artifact_key("smpp", status["engagement"], "deliverable", stage),
            link=_uri(str(item["path"])),
            text=Path(str(item["path"])).name,
            description=f"{status['client']}, {stage.replace('-', ' ')}: written "
            f"{human_time(item.get('at'), timezone)}; on the drive at {item['path']}",
        )
        for stage, item in latest.items()
    ]


def _looks_like_moment(value: str) -> bool:
    return bool(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?", value)
    )


def _plain(value: object, timezone: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, str) and _looks_like_moment(value):
        return human_time(value, timezone)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v, timezone) for v in value) or "none"
    return md(value)


def _words(name: str) -> str:
    return name.replace("_", " ").replace("-", " ")


def _generic(value: object, timezone: str, depth: int = 0) -> list[str]:
    """Any status section as markdown: mappings as bullets, lists of mappings as tables."""
    pad = "  " * depth
    if isinstance(value, dict):
        lines = []
        for name, item in value.items():
            if isinstance(item, dict) or (
                isinstance(item, list) and item and isinstance(item[0], dict)
            ):
                lines.append(f"{pad}- {md(_words(str(name)).capitalize())}:")
                lines += _generic(item, timezone, depth + 1)
            else:
                lines.append(
                    f"{pad}- {md(_words(str(name)).capitalize())}: {_plain(item, timezone)}"
                )
        return lines
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns: list[str] = []
        for row in value:
            columns += [str(c) for c in row if str(c) not in columns]
        lines = [
            "",
            "| " + " | ".join(md(_words(c).capitalize()) for c in columns) + " |",
            "|" + "---|" * len(columns),
        ]
        for row in value:
            lines.append("| " + " | ".join(_plain(row.get(c), timezone) for c in columns) + " |")
        return [*lines, ""]
    return [f"{pad}{_plain(value, timezone)}"]


def status_markdown(
    status: dict[str, Any], timezone: str, summaries: dict[str, str] | None = None
) -> str:
    """The engagement's status as one markdown page, times in its own time zone."""
    summaries = summaries or {}
    client = md(status["client"])
    lines = [f"# {client}: {current_stage(status)}", ""]
    if status.get("at_risk"):
        lines += ["**AT RISK**: a compressed plan; the milestones leave less time than usual.", ""]
    lines += [
        f"As of {human_time(status.get('now'), timezone)} (times in {timezone}). "
        f"Engagement `{status['engagement']}`, {progress(status):g}% of milestones reached.",
        "",
        "## Timeline",
        "",
    ]
    timeline = status.get("timeline") or []
    if timeline:
        lines += ["| Milestone | Planned | Actual |", "|---|---|---|"]
        for row in timeline:
            actual = human_time(row.get("actual"), timezone) or "not yet"
            label = md(row.get("label") or row.get("milestone"))
            lines.append(f"| {label} | {human_time(row.get('planned'), timezone)} | {actual} |")
    else:
        lines.append("Not started: the first advance records the kickoff and plans the timeline.")
    lines += ["", "## Awaited from people", ""]
    waits = status.get("awaited") or []
    for wait in waits:
        extra = {
            k: v for k, v in wait.items() if k not in ("what", "from", "since", "due", "overdue")
        }
        late = " **OVERDUE**" if wait.get("overdue") else ""
        since, due = human_time(wait.get("since"), timezone), human_time(wait.get("due"), timezone)
        lines.append(
            f"- **{md(wait.get('what', ''))}** from {md(_people(wait.get('from')))}, awaited since "
            f"{since}, due {due}{late}"
            + "".join(f"; {_words(k)}: {_plain(v, timezone)}" for k, v in extra.items())
        )
    if not waits:
        lines.append("Nothing is awaited from anyone.")
    lines += ["", "## Next action", ""]
    action = status.get("next_action")
    if action:
        when = human_time(action.get("when"), timezone) or "at the next advance"
        lines.append(f"{md(action.get('what', ''))}: {when}.")
    else:
        lines.append("Nothing is planned.")
    lines += ["", "## Failing actions", ""]
    failing = status.get("failing") or []
    for item in failing:
        what = summaries.get(str(item.get("key")), "")
        lines.append(
            f"- {md(what) + ' ' if what else ''}(`{item.get('key')}`): "
            f"{item.get('attempts')} attempt(s), last error: {md(item.get('error') or '')}"
        )
    if not failing:
        lines.append("None.")
    lines += ["", "## Deliverables", ""]
    links = deliverable_links(status, timezone)
    for link in links:
        lines.append(f"- [{md(link.text)}]({link.link}): {md(link.description)}")
    if not links:
        lines.append("None yet.")
    for name, value in status.items():
        if name in HEADER_KEYS or name in OWN_SECTIONS or value in (None, [], {}):
            continue
        lines += ["", f"## {md(_words(name).capitalize())}", "", *_generic(value, timezone)]
    return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class EngagementArtifacts:
    """Everything an advance publishes for one engagement, keys included."""

    slug: str
    client: str
    markdown: str
    progress: float
    open_steps: list[dict[str, str]]
    links: list[Link]

    @property
    def status_key(self) -> str:
        return artifact_key("smpp", self.slug, "status")

    @property
    def progress_key(self) -> str:
        return artifact_key("smpp", self.slug, "progress")

    @property
    def open_steps_key(self) -> str:
        return artifact_key("smpp", self.slug, "open-steps")


def engagement_artifacts(
    status: dict[str, Any], timezone: str, summaries: dict[str, str] | None = None
) -> EngagementArtifacts:
    return EngagementArtifacts(
        slug=str(status["engagement"]),
        client=str(status["client"]),
        markdown=status_markdown(status, timezone, summaries),
        progress=progress(status),
        open_steps=open_steps(status, timezone),
        links=deliverable_links(status, timezone),
    )
