"""The workshop's social media scenario: the shipped figures are checkable, bad figures give clear
errors, an engagement can update a figure, and stale figures are flagged with what to do."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from smpp.scenario import (
    DEFAULT_MAX_AGE_YEARS,
    TOPICS,
    Figure,
    ScenarioError,
    figures_by_topic,
    load_scenario,
    parse_figures,
    stale_figures,
)

REPO = Path(__file__).resolve().parents[1]


def good_figure(**changes: Any) -> dict[str, Any]:
    figure: dict[str, Any] = {
        "id": "eu-enterprises-social-media",
        "topic": "use",
        "value": 60.9,
        "unit": "%",
        "measures": "used social media",
        "population": "EU enterprises with at least 10 employees",
        "area": "EU",
        "year": 2023,
        "publisher": "Eurostat",
        "title": "Digital economy and society statistics - enterprises",
        "url": "https://ec.europa.eu/eurostat/statistics-explained/index.php",
        "quote": "In 2023, 60.9 % of EU enterprises used social media.",
    }
    figure.update(changes)
    return figure


def make(**changes: Any) -> Figure:
    (figure,) = parse_figures([good_figure(**changes)], "test")
    return figure


def problems_of(data: object) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_figures(data, "test")
    return caught.value.problems


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped figures ------------------------------------------------------------------------


SHIPPED = load_scenario()


def test_ships_at_least_twelve_figures_with_unique_ids() -> None:
    assert len(SHIPPED) >= 12
    ids = [figure.id for figure in SHIPPED]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("figure", SHIPPED, ids=lambda figure: figure.id)
def test_every_shipped_figure_can_be_checked(figure: Figure) -> None:
    assert figure.url.startswith(("https://", "http://"))
    assert 1990 <= figure.year <= 2100
    assert figure.publisher and figure.title and figure.measures and figure.population
    number = f"{figure.value:g}"
    # The quote states the value as written, with a decimal point or an (Italian) decimal comma.
    assert number in figure.quote or number.replace(".", ",") in figure.quote


def test_every_topic_has_a_figure() -> None:
    assert list(figures_by_topic(SHIPPED)) == list(TOPICS)


def test_the_demo_clients_country_has_a_figure() -> None:
    # The demo client is Italian; the scenario should speak to its country, not only to the EU.
    assert any(figure.area == "IT" for figure in SHIPPED)


def test_scenario_file_ships_with_the_package() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.yaml" in pyproject["tool"]["setuptools"]["package-data"]["*"]


# --- parsing ------------------------------------------------------------------------------------


def test_a_good_figure_is_read_as_written() -> None:
    figure = make(published="2024-01", sector="food retail")
    assert figure.value == 60.9
    assert figure.year == 2023
    assert figure.published == "2024-01"
    assert figure.sector == "food retail"
    assert figure.stated() == (
        "60.9% of EU enterprises with at least 10 employees used social media (2023)"
    )


def test_a_figure_in_another_unit_is_stated_with_its_unit() -> None:
    figure = make(
        value=5.41,
        unit="billion",
        measures="active social media user identities",
        population="worldwide",
        year=2025,
        quote="user “identities” reaching 5.41 billion in July 2025.",
    )
    assert figure.stated() == "5.41 billion active social media user identities (worldwide, 2025)"


def test_a_quoted_value_may_use_a_decimal_comma_or_grouped_thousands() -> None:
    assert make(quote="Nel 2023 il 60,9% delle imprese usa i social media.").value == 60.9
    assert make(value=30458, quote="It examined 30,458 security incidents.").value == 30458
    assert make(value=21.5, quote="In 2023, 21.50% of enterprises.").value == 21.5


def test_a_quote_with_a_longer_number_does_not_state_the_value() -> None:
    # "8" is inside "EU28" and "58%" but is not stated by either.
    assert problems_of([good_figure(value=8, quote="In the EU28, 58% of enterprises.")]) == [
        "figure 'eu-enterprises-social-media': quote: does not contain the value 8 as written;"
        " copy the source's sentence that states it"
    ]


def test_yaml_dates_and_years_are_kept_as_text() -> None:
    assert make(published=date(2024, 3, 19)).published == "2024-03-19"
    assert make(published=2024).published == "2024"


def test_a_bare_list_and_a_figures_mapping_are_both_read() -> None:
    assert parse_figures([good_figure()], "test") == parse_figures(
        {"figures": [good_figure()]}, "test"
    )


LABEL = "figure 'eu-enterprises-social-media'"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"quote": ""},
            f"{LABEL}: quote: missing; write the source's sentence that states the figure,"
            " copied word for word",
        ),
        (
            {"measures": "   "},
            f"{LABEL}: measures: missing; write what the value counts, e.g. 'used social media'",
        ),
        (
            {"url": None},
            f"{LABEL}: url: missing; write the source's address, starting with https://",
        ),
        ({"year": None}, f"{LABEL}: year: missing; write the year the figure refers to, e.g. 2023"),
        (
            {"topic": "jobs"},
            f"{LABEL}: topic: 'jobs' is not known; write one of: use, trust, incidents, policies,"
            " advocacy, customer_service",
        ),
        (
            {"url": "www.eurostat.eu/page"},
            f"{LABEL}: url: 'www.eurostat.eu/page' is not a web address; write the source's"
            " address, starting with https://",
        ),
        (
            {"url": "ftp://ec.europa.eu/file"},
            f"{LABEL}: url: 'ftp://ec.europa.eu/file' is not a web address; write the source's"
            " address, starting with https://",
        ),
        (
            {"year": 1890},
            f"{LABEL}: year: 1890 is not a plausible year; write the year the figure refers to"
            " (1990..2100)",
        ),
        ({"year": "2023"}, f"{LABEL}: year: must be a whole year, found '2023'; e.g. 2023"),
        (
            {"value": "60.9%"},
            f"{LABEL}: value: must be a number, found '60.9%'; write the number as the source"
            " states it, e.g. 60.9",
        ),
        (
            {"value": True},
            f"{LABEL}: value: must be a number, found True; write the number as the source states"
            " it, e.g. 60.9",
        ),
        (
            {"value": 61},
            f"{LABEL}: quote: does not contain the value 61 as written; copy the source's"
            " sentence that states it",
        ),
        (
            {"publisher": ["Eurostat"]},
            f"{LABEL}: publisher: must be text; write who published the source, e.g. 'Eurostat'",
        ),
        (
            {"id": "EU enterprises"},
            "figure 'EU enterprises': id: 'EU enterprises' is not a slug; use lowercase letters,"
            " digits and '-'",
        ),
        (
            {"id": None},
            "figure 1: id: missing; write a short slug such as 'eu-enterprises-social-media'",
        ),
        ({"source": "Eurostat"}, f"{LABEL}: source: unknown field (check the spelling)"),
        ({"sector": 5}, f"{LABEL}: sector: must be text, e.g. 'food retail'"),
        ({"published": [2024]}, f"{LABEL}: published: must be a year or a date, e.g. '2024-09'"),
    ],
)
def test_a_bad_figure_gives_a_clear_message(changes: dict[str, Any], message: str) -> None:
    assert problems_of([good_figure(**changes)]) == [message]


def test_every_problem_is_listed_not_just_the_first() -> None:
    problems = problems_of(
        [
            good_figure(quote="", title=""),
            "not a figure",
            good_figure(id="second", topic="jobs"),
        ]
    )
    assert problems == [
        f"{LABEL}: title: missing; write the source's title",
        f"{LABEL}: quote: missing; write the source's sentence that states the figure, copied"
        " word for word",
        "figure 2: must be a mapping of fields (id, topic, value, ...), found the text"
        " 'not a figure'",
        "figure 'second': topic: 'jobs' is not known; write one of: use, trust, incidents,"
        " policies, advocacy, customer_service",
    ]


def test_an_id_used_twice_is_refused() -> None:
    assert problems_of([good_figure(), good_figure()]) == [
        f"{LABEL}: id: used by figures 1 and 2; give each figure its own id"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "the file must hold 'figures:' followed by a list of figures (one per '- ')"),
        (
            {"figures": "none"},
            "the file must hold 'figures:' followed by a list of figures (one per '- ')",
        ),
        ({"figures": [], "notes": "x"}, "unknown top-level key(s) notes: only 'figures' is read"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(data: object, message: str) -> None:
    assert problems_of(data) == [message]


def test_the_error_names_the_source_and_lists_the_problems() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_figures([good_figure(quote="")], "engagements/acme.yaml")
    assert str(caught.value).startswith("engagements/acme.yaml:\n  - figure 'eu-enterprises")


# --- reading files ------------------------------------------------------------------------------


def test_a_path_replaces_the_package_file(tmp_path: Path) -> None:
    path = write(tmp_path, yaml.safe_dump({"figures": [good_figure()]}))
    assert [figure.id for figure in load_scenario(path)] == ["eu-enterprises-social-media"]


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "figures:\n  - &first\n    id: a\n  - *first\n",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems == [
        "line 2: YAML anchors and aliases (&name, *name) are not allowed; write each figure out"
        " in full"
    ]


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    # Six levels that would expand to 9**6 (531,441) strings if aliases were followed.
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for name, previous in (("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e")):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path = write(tmp_path, "\n".join(levels) + "\n")
    with pytest.raises(ScenarioError, match="anchors and aliases"):
        load_scenario(path)


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "figures:\n  - id: a\n    year: 2020\n    year: 2024\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems == ["line 4: 'year' is given twice in the same place; keep one"]


def test_invalid_yaml_and_missing_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, "figures: [\n"))
    assert caught.value.problems[0].startswith("not valid YAML: ")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "absent.yaml")
    assert caught.value.problems == ["no such scenario file"]


# --- an engagement's own figures ----------------------------------------------------------------


def test_an_extra_figure_with_a_known_id_replaces_it_in_place() -> None:
    known = SHIPPED[1]
    updated = good_figure(id=known.id, topic=known.topic, year=2026, title="2026 edition")
    figures = load_scenario(extra=[updated])
    assert len(figures) == len(SHIPPED)
    assert figures[1].id == known.id
    assert figures[1].year == 2026 and figures[1].title == "2026 edition"
    assert figures[0] == SHIPPED[0] and figures[2:] == SHIPPED[2:]


def test_an_extra_figure_with_a_new_id_is_appended() -> None:
    sector = good_figure(id="it-food-retail-social", sector="food retail", area="IT")
    figures = load_scenario(extra=[sector])
    assert figures[: len(SHIPPED)] == SHIPPED
    assert figures[-1].id == "it-food-retail-social"
    assert figures[-1].sector == "food retail"


def test_a_bad_extra_figure_is_reported_as_the_engagements() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(extra=[good_figure(quote="no number here")])
    assert caught.value.source == "the engagement's extra figures"


# --- staleness ----------------------------------------------------------------------------------


def test_stale_figures_flags_exactly_those_older_than_the_limit() -> None:
    figures = [make(id=f"from-{year}", year=year) for year in (2020, 2021, 2022, 2023, 2024)]
    stale = stale_figures(figures, today=date(2025, 1, 15))
    # 2025 - 2022 = 3 is still within the default limit of 3 years; 2021 is 4 years old.
    assert [(s.figure.id, s.age_years) for s in stale] == [("from-2020", 5), ("from-2021", 4)]


def test_stale_advice_names_the_source_and_what_to_update() -> None:
    (stale,) = stale_figures([make(year=2019)], today=date(2025, 6, 1))
    assert stale.advice == (
        "Eurostat: look for an edition of 'Digital economy and society statistics - enterprises'"
        " newer than 2019 at https://ec.europa.eu/eurostat/statistics-explained/index.php and"
        " update value, year and quote, or replace figure 'eu-enterprises-social-media' with one"
        " from 2022 or later"
    )


def test_the_age_limit_is_configurable() -> None:
    figures = [make(id=f"from-{year}", year=year) for year in (2023, 2024, 2025)]
    today = date(2025, 12, 31)
    assert [s.figure.id for s in stale_figures(figures, today, max_age_years=1)] == ["from-2023"]
    assert [s.figure.id for s in stale_figures(figures, today, max_age_years=0)] == [
        "from-2023",
        "from-2024",
    ]
    assert stale_figures(figures, today, max_age_years=DEFAULT_MAX_AGE_YEARS) == []
    with pytest.raises(ValueError, match="0 or more"):
        stale_figures(figures, today, max_age_years=-1)


def test_the_shipped_set_names_its_stale_figures_for_a_fixed_day() -> None:
    # The same answer whatever day the tests run: the day is a parameter, never the clock.
    stale = stale_figures(SHIPPED, today=date(2025, 6, 1))
    assert {s.figure.id for s in stale} == {figure.id for figure in SHIPPED if figure.year < 2022}
    assert all(s.figure.url in s.advice for s in stale)


# --- grouping -----------------------------------------------------------------------------------


def test_figures_are_grouped_in_the_facilitators_order() -> None:
    figures = [
        make(id="c", topic="customer_service"),
        make(id="u", topic="use"),
        make(id="i", topic="incidents"),
        make(id="u2", topic="use"),
    ]
    grouped = figures_by_topic(figures)
    assert list(grouped) == ["use", "incidents", "customer_service"]
    assert [figure.id for figure in grouped["use"]] == ["u", "u2"]
