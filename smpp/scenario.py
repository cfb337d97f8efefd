"""The workshop's opening "social media scenario": checkable figures on social media in business.

The figures live in `scenario.yaml` (the agency maintains it); an engagement may point to another
file instead and add or replace figures for the client's sector or country. Every figure carries
its source and the sentence that states it, so anyone can check it, and a figure older than the
allowed age is flagged to the account lead with what to update. Pure: no clock, no Prefect.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

SCENARIO_FILE = Path(__file__).with_name("scenario.yaml")

# In the order a facilitator presents them: the reality first, then what goes wrong, the rules
# that answer it, and the two opportunities (employees' voices, customers on social channels).
TOPICS: tuple[str, ...] = ("use", "trust", "incidents", "policies", "advocacy", "customer_service")
DEFAULT_MAX_AGE_YEARS = 3

# The years a figure may refer to. Fixed bounds rather than the clock, so parsing a file gives the
# same answer every day; staleness is stale_figures' job, with `today` passed in.
FIRST_YEAR = 1990
LAST_YEAR = 2100

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TEXT_FIELDS = ("id", "topic", "unit", "measures", "population", "area")
SOURCE_FIELDS = ("publisher", "title", "url", "quote")
REQUIRED_FIELDS = (*TEXT_FIELDS, "value", "year", *SOURCE_FIELDS)
OPTIONAL_FIELDS = ("published", "sector")

# What to write when a field is missing or empty: the reader of the error is an account lead.
FIELD_HINTS = {
    "id": "a short slug such as 'eu-enterprises-social-media'",
    "topic": "one of: " + ", ".join(TOPICS),
    "value": "the number as the source states it, e.g. 60.9",
    "unit": "e.g. '%' or 'billion'",
    "measures": "what the value counts, e.g. 'used social media'",
    "population": "who or what was counted, e.g. 'EU enterprises with 10+ employees'",
    "area": "a country or region, e.g. 'EU', 'IT', 'World'",
    "year": "the year the figure refers to, e.g. 2023",
    "publisher": "who published the source, e.g. 'Eurostat'",
    "title": "the source's title",
    "url": "the source's address, starting with https://",
    "quote": "the source's sentence that states the figure, copied word for word",
}


@dataclass(frozen=True)
class Figure:
    id: str
    topic: str
    value: float
    unit: str
    measures: str
    population: str
    area: str
    year: int
    publisher: str
    title: str
    url: str
    quote: str
    published: str | None = None
    sector: str | None = None

    def stated(self) -> str:
        """The figure in words for a person, e.g. "60.9% of EU enterprises ... used social media
        (2023)"."""
        number = _number(self.value)
        if self.unit == "%":
            return f"{number}% of {self.population} {self.measures} ({self.year})"
        return f"{number} {self.unit} {self.measures} ({self.population}, {self.year})"


class ScenarioError(ValueError):
    """Figures that cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class StaleFigure:
    figure: Figure
    age_years: int
    advice: str


def parse_figures(data: object, source: str) -> tuple[Figure, ...]:
    """Validate already-parsed YAML: a mapping with `figures:` or a bare list of figures.
    Raises ScenarioError listing every problem, not just the first."""
    if isinstance(data, Mapping) and "figures" in data:
        unknown = sorted(str(key) for key in data if key != "figures")
        if unknown:
            raise ScenarioError(
                source, [f"unknown top-level key(s) {', '.join(unknown)}: only 'figures' is read"]
            )
        data = data["figures"]
    if not isinstance(data, list):
        raise ScenarioError(
            source, ["the file must hold 'figures:' followed by a list of figures (one per '- ')"]
        )
    figures: list[Figure] = []
    problems: list[str] = []
    first_position: dict[str, int] = {}
    for position, raw in enumerate(data, start=1):
        figure, figure_problems = _figure(raw, position)
        problems.extend(figure_problems)
        if figure is None:
            continue
        if figure.id in first_position:
            problems.append(
                f"figure '{figure.id}': id: used by figures {first_position[figure.id]} and"
                f" {position}; give each figure its own id"
            )
            continue
        first_position[figure.id] = position
        figures.append(figure)
    if problems:
        raise ScenarioError(source, problems)
    return tuple(figures)


def load_scenario(
    path: Path | None = None, extra: Sequence[Mapping[str, Any]] = ()
) -> tuple[Figure, ...]:
    """The package's figures (or those in `path` instead), then `extra` appended; an extra figure
    with a base figure's id replaces it in place, which is how an engagement updates a stale one."""
    file = path if path is not None else SCENARIO_FILE
    figures = parse_figures(_read_yaml(file), str(file))
    if not extra:
        return figures
    additions = parse_figures(list(extra), "the engagement's extra figures")
    replacements = {figure.id: figure for figure in additions}
    merged = [replacements.pop(figure.id, figure) for figure in figures]
    # What is left in `replacements` was new, kept in the order the engagement listed it.
    merged.extend(figure for figure in additions if figure.id in replacements)
    return tuple(merged)


def stale_figures(
    figures: Sequence[Figure], today: date, max_age_years: int = DEFAULT_MAX_AGE_YEARS
) -> list[StaleFigure]:
    """Figures whose year is more than `max_age_years` before `today`'s year, with what to do."""
    if max_age_years < 0:
        raise ValueError(f"max_age_years must be 0 or more, not {max_age_years}")
    oldest_fresh_year = today.year - max_age_years
    stale = []
    for figure in figures:
        age = today.year - figure.year
        if age > max_age_years:
            advice = (
                f"{figure.publisher}: look for an edition of '{figure.title}' newer than"
                f" {figure.year} at {figure.url} and update value, year and quote, or replace"
                f" figure '{figure.id}' with one from {oldest_fresh_year} or later"
            )
            stale.append(StaleFigure(figure=figure, age_years=age, advice=advice))
    return stale


def figures_by_topic(figures: Sequence[Figure]) -> dict[str, list[Figure]]:
    """Figures grouped in TOPICS order; topics without figures are left out."""
    grouped: dict[str, list[Figure]] = {topic: [] for topic in TOPICS}
    for figure in figures:
        grouped[figure.topic].append(figure)
    return {topic: listed for topic, listed in grouped.items() if listed}


def _figure(raw: object, position: int) -> tuple[Figure | None, list[str]]:
    """One figure and its problems; the figure is None when any field is unusable."""
    if not isinstance(raw, Mapping):
        return None, [
            f"figure {position}: must be a mapping of fields (id, topic, value, ...),"
            f" found {_kind(raw)}"
        ]
    # Messages name the figure by its id when it has one, else by its place in the list.
    raw_id = raw.get("id")
    label = f"figure {position}"
    if isinstance(raw_id, str) and raw_id.strip():
        label = f"figure '{raw_id.strip()}'"
    problems: list[str] = []
    for key in raw:
        if key not in REQUIRED_FIELDS and key not in OPTIONAL_FIELDS:
            problems.append(f"{label}: {key}: unknown field (check the spelling)")
    for name in REQUIRED_FIELDS:
        if _blank(raw.get(name)):
            problems.append(f"{label}: {name}: missing; write {FIELD_HINTS[name]}")
    if problems:
        return None, problems

    for name in (*TEXT_FIELDS, *SOURCE_FIELDS):
        if not isinstance(raw[name], str):
            problems.append(f"{label}: {name}: must be text; write {FIELD_HINTS[name]}")
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(
            f"{label}: value: must be a number, found {value!r}; write {FIELD_HINTS['value']}"
        )
    year = raw["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        problems.append(f"{label}: year: must be a whole year, found {year!r}; e.g. 2023")
    elif not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(
            f"{label}: year: {year} is not a plausible year; write the year the figure refers to"
            f" ({FIRST_YEAR}..{LAST_YEAR})"
        )
    published = raw.get("published")
    if published is not None and not isinstance(published, str | int | date):
        problems.append(f"{label}: published: must be a year or a date, e.g. '2024-09'")
    sector = raw.get("sector")
    if sector is not None and not isinstance(sector, str):
        problems.append(f"{label}: sector: must be text, e.g. 'food retail'")
    if problems:
        return None, problems

    figure_id = raw["id"].strip()
    if not ID_PATTERN.match(figure_id):
        problems.append(
            f"{label}: id: '{figure_id}' is not a slug; use lowercase letters, digits and '-'"
        )
    topic = raw["topic"].strip()
    if topic not in TOPICS:
        problems.append(f"{label}: topic: '{topic}' is not known; write {FIELD_HINTS['topic']}")
    url = raw["url"].strip()
    if not _is_web_address(url):
        problems.append(f"{label}: url: '{url}' is not a web address; write {FIELD_HINTS['url']}")
    quote = " ".join(raw["quote"].split())
    if not _states(quote, float(value)):
        problems.append(
            f"{label}: quote: does not contain the value {_number(float(value))} as written;"
            " copy the source's sentence that states it"
        )
    if problems:
        return None, problems

    figure = Figure(
        id=figure_id,
        topic=topic,
        value=float(value),
        unit=raw["unit"].strip(),
        measures=raw["measures"].strip(),
        population=raw["population"].strip(),
        area=raw["area"].strip(),
        year=year,
        publisher=raw["publisher"].strip(),
        title=raw["title"].strip(),
        url=url,
        quote=quote,
        published=None if published is None else _published(published),
        sector=None if sector is None else sector.strip() or None,
    )
    return figure, []


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: float) -> str:
    """The value as a person writes it: 79 rather than 79.0, 60.9 rather than 60.900000001."""
    if value.is_integer():
        return str(int(value))
    return repr(value)


def _states(quote: str, value: float) -> bool:
    """Whether the quote contains the value as a number on its own: 8 is found in "only 8% of"
    but not in "EU28" or "58%". Accepts a decimal comma (60,9) and grouped thousands (30,458)."""
    whole, _, fraction = _number(value).lstrip("-").partition(".")
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)][::-1]
    pattern = r"[,.\s\u00a0\u202f]?".join(groups)
    pattern += rf"[.,]{fraction}0*" if fraction else r"(?:[.,]0+)?"
    if value < 0:
        pattern = r"[-\u2212]" + pattern
    return re.search(rf"(?<![\d.,]){pattern}(?![\d]|[.,]\d)", quote) is not None


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", url)


def _published(value: str | int | date) -> str:
    # YAML reads 2024-09-01 as a date and 2024 as a number; both are kept as text.
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{value!r}"


class _RefusedYAML(Exception):
    """YAML that is valid but not allowed in a scenario file."""

    def __init__(self, mark: Any, message: str) -> None:
        where = f"line {mark.line + 1}: " if mark is not None else ""
        super().__init__(where + message)


# PyYAML ships no type hints, so mypy sees SafeLoader as Any.
class _StrictLoader(yaml.SafeLoader):  # type: ignore[misc]
    """safe_load's loader, also refusing anchors and aliases (a small file could expand into a
    huge one) and a key given twice (the second would silently win)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedYAML(
                event.start_mark,
                "YAML anchors and aliases (&name, *name) are not allowed; write each figure out"
                " in full",
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _RefusedYAML(
                    key_node.start_mark, f"'{key}' is given twice in the same place; keep one"
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(str(path), ["no such scenario file"]) from None
    except UnicodeDecodeError:
        raise ScenarioError(str(path), ["not a text file in UTF-8; save it as UTF-8"]) from None
    except OSError as exc:
        raise ScenarioError(str(path), [f"cannot be read: {exc.strerror}"]) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _RefusedYAML as exc:
        raise ScenarioError(str(path), [str(exc)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), [f"not valid YAML: {exc}"]) from None
