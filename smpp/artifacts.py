"""What the Prefect UI shows of an engagement, rendered from its status board: a markdown status,
a progress figure, a table of the human steps awaited and links to the deliverables on the drive.

Pure: it takes the dict `engagement_status` returns and renders; keys it does not know (sections
other parts of the product add) are shown generically rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from smpp.events import STARTED
from smpp.plan import plan
from smpp.stages import stages
from smpp.state import State
from smpp.store import Event
from smpp.timeline import milestones_in_order

# Keys rendered in sections of their own; any other key of the status gets a generic section.
HEADER_KEYS = frozenset(
    {"engagement", "client", "now", "started", "at_risk", "closed", "closure", "drive", "drive_url"}
)
OWN_SECTIONS = frozenset(
    {"timeline", "awaited", "next_action", "failing", "deliverables", "problems"}
)
# Milestones nobody records: reached when their moment has passed.
BY_THE_CLOCK = frozenset({"workshop"})
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def action_descriptions(state: State, now: datetime) -> dict[str, str]:
    """What each planned action does, in words, by its key (failing actions are still due)."""
    current = plan(state, now)
    return {action.key: action.description for action in current.due + current.upcoming}


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


def short_time(value: str | datetime | None, timezone: str, with_zone: bool = False) -> str:
    """'Thu 14 Jan, 09:30': for tables, whose page says the year (and, unless `with_zone`, the
    time zone) once."""
    if value is None or value == "":
        return ""
    zone = ZoneInfo(timezone)
    shown = "%a %-d %b, %H:%M %Z" if with_zone else "%a %-d %b, %H:%M"
    return _moment(value, zone).astimezone(zone).strftime(shown)


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
    words = {m.name: stage for m, stage in milestones_in_order()}
    for row in status.get("timeline") or []:
        if not _reached(row, now):
            name = str(row.get("milestone", ""))
            return words.get(name, str(row.get("label") or name.replace("_", " ")).lower())
    return "done"


def run_name(status: dict[str, Any]) -> str:
    """A flow run's name: the client and the stage, e.g. 'Acme Foods: company list'."""
    return f"{status['client']}: {current_stage(status)}"


MAX_RUN_NAME = 120


def deeds(events: list[Event]) -> list[str]:
    """What the events an advance recorded say it did, in a few words each, in order."""
    said: dict[str, int] = {}
    counted = frozenset().union(*(stage.counted for stage in stages()))
    for item in events:
        phrase = "engagement started" if item.kind == STARTED else None
        for stage in stages():
            phrase = phrase or stage.deeds(item)
        if phrase is not None:
            said[phrase] = said.get(phrase, 0) + 1
    words = []
    for phrase, count in said.items():
        if phrase in counted:
            words.append(f"{phrase} to {count}")
        elif count > 1:
            words.append(f"{phrase} ({count})")
        else:
            words.append(phrase)
    return words


def outcome_name(status: dict[str, Any], recorded: list[Event], failed: int = 0) -> str:
    """A finished run's name: what it did ('Acme Foods: company list accepted; peer review
    written'), or where the engagement stands when it did nothing."""
    words = deeds(recorded)
    if failed:
        words.append(f"{failed} action{'s' if failed != 1 else ''} failed")
    said = "; ".join(words) if words else f"{current_stage(status)} (nothing due)"
    name = f"{status['client']}: {said}"
    return name if len(name) <= MAX_RUN_NAME else name[: MAX_RUN_NAME - 1].rstrip() + "…"


def _people(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


_ADDRESS = re.compile(r"\s*<[^<>]*@[^<>]*>")


def names_only(value: object) -> str:
    """'Marco Bianchi, Sara Conti' from 'Marco Bianchi <marco@...>, ...': a table cell's width."""
    return _ADDRESS.sub("", _people(value))


def open_steps(status: dict[str, Any], timezone: str) -> list[dict[str, str]]:
    """One row per human step awaited: what, from whom, since, due, overdue (narrow enough for
    a 1,400-pixel window: names without addresses, times without the year)."""
    return [
        {
            "what": str(wait.get("what", "")),
            "who": names_only(wait.get("from")),
            "since": short_time(wait.get("since"), timezone),
            "due": short_time(wait.get("due"), timezone),
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


def drive_link(path: str, drive: str | None, drive_url: str | None) -> str | None:
    """The address a person opens for a file on the drive: the drive's base URL and the file's
    place under the client's folder. None when no base URL is configured, or for a file outside
    the folder (then only the path can be shown, as text)."""
    if not drive_url or not drive:
        return None
    try:
        relative = Path(path).relative_to(drive)
    except ValueError:
        return None
    return drive_url.rstrip("/") + "/" + quote(relative.as_posix())


def latest_deliverables(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for item in status.get("deliverables") or []:
        latest[str(item["stage"])] = item
    return latest


def deliverable_links(status: dict[str, Any], timezone: str) -> list[Link]:
    """The latest deliverable of each stage that can be opened from a browser (the drive has a
    base URL), as a link keyed by stage."""
    links = []
    for stage, item in latest_deliverables(status).items():
        url = drive_link(str(item["path"]), status.get("drive"), status.get("drive_url"))
        if url is None:
            continue
        links.append(
            Link(
                key=artifact_key("smpp", status["engagement"], "deliverable", stage),
                link=url,
                text=Path(str(item["path"])).name,
                description=f"{status['client']}, {stage.replace('-', ' ')}: written "
                f"{human_time(item.get('at'), timezone)}",
            )
        )
    return links


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
    closure = status.get("closure")
    if closure:
        lines += [
            f"**Closed** on {human_time(closure.get('at'), timezone)} by {md(closure.get('by'))}: "
            f"{md(str(closure.get('reason', '')).rstrip('.'))}. "
            "Nothing more is planned, sent or chased.",
            "",
        ]
    if status.get("at_risk"):
        lines += ["**AT RISK**: a compressed plan; the milestones leave less time than usual.", ""]
    lines += [
        f"As of {human_time(status.get('now'), timezone)} (times in {timezone}). "
        f"Engagement `{status['engagement']}`, {progress(status):g}% of milestones reached.",
        "",
    ]
    problems = status.get("problems") or []
    if problems:
        lines += ["## Problems", ""]
        for problem in problems:
            since = human_time(problem.get("since"), timezone)
            lines.append(
                f"- **{md(problem.get('what', ''))}** For {md(problem.get('who', ''))}"
                + (f", since {since}." if since else ".")
            )
        lines.append("")
    lines += ["## Timeline", ""]
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
    latest = latest_deliverables(status)
    for stage, item in latest.items():
        path = str(item["path"])
        url = drive_link(path, status.get("drive"), status.get("drive_url"))
        written = f"{stage.replace('-', ' ')}, written {human_time(item.get('at'), timezone)}"
        if url:
            lines.append(f"- [{md(Path(path).name)}]({url}): {md(written)}")
        else:  # no address a browser could open: the path, for someone at the drive
            lines.append(f"- {md(Path(path).name)}: {md(written)}; on the drive at {md(path)}")
    if not latest:
        lines.append("None yet.")
    own = {stage.status_key: stage.status_markdown for stage in stages() if stage.status_markdown}
    for name, value in status.items():
        if name in HEADER_KEYS or name in OWN_SECTIONS or value in (None, [], {}):
            continue
        body = own[name](value, timezone) if name in own else _generic(value, timezone)
        lines += ["", f"## {md(_words(name).capitalize())}", "", *body]
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
    status: dict[str, Any] = field(default_factory=dict)  # what it was rendered from

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
        status=status,
    )
