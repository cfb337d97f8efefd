"""Every `smpp` command with markup-looking text in every field that comes from outside (flags,
engagement files, returned workbooks, file names): printed as written, never read as Rich
markup; and the machinery's faults (a busy database, an unusable drive) said in one line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.errors import MarkupError
from typer.testing import CliRunner, Result

from smpp.cli import app
from smpp.stages.company_list.demo import DEMO_COMPANIES
from tests.conftest import engagement_data

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
CLIENT = "Acme [/b] Foods"
LEAD = "Lea [/bold] Lead"
CONTACT = "Carl [/i] Client"
ATTENDEE = "Anna [/bold]"
ROLE = "Comms [/red]"


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """No wrapping, so what is printed can be compared whole."""
    from smpp import cli

    monkeypatch.setattr(cli.console, "width", 1000)
    monkeypatch.setattr(cli.errors, "width", 1000)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(tmp_path / "engagements"))
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    return tmp_path


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert not isinstance(result.exception, MarkupError), result.exception
    return result


def said(result: Result) -> str:
    """The output as one line."""
    return " ".join(result.output.split())


def new_args(workdir: Path, **changes: str) -> list[str]:
    flags = {
        "--client": CLIENT,
        "--workshop": "2027-02-11T09:30",
        "--timezone": "Europe/Rome",
        "--lead": f"{LEAD} <lea@agency.example>",
        "--contact": f"{CONTACT} <carl@acme.example>",
        "--attendee": f"{ATTENDEE} <anna@acme.example>; {ROLE}",
        "--drive": str(workdir / "drive [b]"),
        "--slug": "acme-foods",
        "--now": "2027-01-04T10:00",
    }
    flags.update(changes)
    return ["new", *(part for pair in flags.items() for part in pair)]


def test_new_prints_names_as_written(workdir: Path) -> None:
    result = run(*new_args(workdir))
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((workdir / "engagements" / "acme-foods.yaml").read_text())
    assert written["client"] == CLIENT and written["attendees"][0]["role"] == ROLE
    assert "Next: smpp advance acme-foods" in said(result)


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        (
            "--timezone",
            "Mars/[/b]",
            "timezone: not a known time zone; use an IANA name like 'Europe/Rome' "
            "(found 'Mars/[/b]')",
        ),
        (
            "--slug",
            "[/b]",
            "slug: String should match pattern '^[a-z0-9][a-z0-9-]{0,62}$' (found '[/b]')",
        ),
        ("--workshop", "[/b]", "workshop: Input should be a valid datetime"),
        ("--now", "[/b]", "--now '[/b]' is not an ISO date-time like 2027-01-20T09:00"),
        ("--lead", "[/b] no address", "--lead '[/b] no address': write it as 'Name <email>'"),
        ("--contact", "[bold]x", "--contact '[bold]x': write it as 'Name <email>'"),
    ],
)
def test_new_quotes_a_bad_flag_as_written(
    workdir: Path, flag: str, value: str, message: str
) -> None:
    result = run(*new_args(workdir, **{flag: value}))
    assert result.exit_code == 2
    assert message in said(result)


@pytest.fixture
def engagement(workdir: Path) -> Path:
    """An engagement whose every name looks like markup, advanced to its questionnaire."""
    from smpp.engine import advance
    from smpp.mailer import OutboxMailer
    from smpp.models import load_engagement
    from smpp.setup import Setup
    from smpp.store import Store

    folder = workdir / "engagements"
    folder.mkdir()
    data = engagement_data(
        workdir / "drive [b]",
        client=CLIENT,
        account_lead={"name": LEAD, "email": "lea@agency.example"},
        client_contacts=[{"name": CONTACT, "email": "carl@acme.example"}],
        attendees=[{"name": ATTENDEE, "email": "anna@acme.example", "role": ROLE}],
    )
    path = folder / "acme-foods.yaml"
    path.write_text(yaml.safe_dump(data))
    setup = Setup(load_engagement(path), Store(), OutboxMailer(workdir / "out"))
    advance(setup, datetime_at("2027-01-04T10:00"))
    advance(setup, datetime_at("2027-01-21T10:00"))
    setup.store.close()
    return path


def datetime_at(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Rome"))


def test_status_prints_every_name_as_written(engagement: Path) -> None:
    result = run("status", "acme-foods", "--now", "2027-01-22T10:00")
    assert result.exit_code == 0, result.output
    text = said(result)
    assert text.startswith(f"{CLIENT} (acme-foods)")
    assert f"from {CONTACT} <carl@acme.example>" in text
    assert f"{ATTENDEE} ({ROLE}, listed as attending): awaited since" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["replace", "--out", "Nope [/b]", "--in", "Other [/i]"],
            "There is no accepted company list yet",
        ),
        (["confirm-gap", "--note", "gap [/b]", "--by", "[/b]"], "Recorded: the packet may go"),
        (
            ["[/b]"],
            "Input should be 'replace', 'confirm_gap', 'close', 'resend', 'delivered', 'hold', "
            "'release', 'approve', 'accept_finding', 'item_done' or 'topic'",
        ),
        (["replace", "--out", "[/b]"], "replace needs --in"),
    ],
)
def test_decide_quotes_what_it_was_given(engagement: Path, args: list[str], message: str) -> None:
    result = run("decide", "acme-foods", *args, "--now", "2027-01-22T10:00")
    assert message in said(result)


def test_closing_with_a_markup_reason(engagement: Path) -> None:
    result = run("decide", "acme-foods", "close", "--reason", "[/b] done", "--by", "[/i]")
    assert result.exit_code == 0 and "Recorded: the engagement is closed" in said(result)


@pytest.mark.parametrize("command", ["status", "advance", "decide", "deploy"])
def test_an_unknown_slug_is_quoted_as_written(workdir: Path, command: str) -> None:
    extra = ["close", "--reason", "x"] if command == "decide" else []
    result = run(command, "[b]", *extra)
    assert result.exit_code == 2
    assert f"{workdir / 'engagements' / '[b].yaml'}: - no such engagement file" in said(result)


def test_check_list_quotes_the_file_and_its_cells_as_written(tmp_path: Path) -> None:
    rows = ["Company name,Website", "[/b] Co,[/b]", *(f"{n},{w}" for n, w, *_ in DEMO_COMPANIES)]
    listed = tmp_path / "list [b].csv"
    listed.write_text("\n".join(rows) + "\n")
    result = run("check-list", str(listed))
    assert result.exit_code == 1
    text = said(result)
    assert text.startswith("list [b].csv: refused, 24 distinct companies")
    assert "row 2 [Website]: Row 2: the Website '[/b]' is not a valid web address." in text


def test_template_quotes_its_flags_as_written(tmp_path: Path) -> None:
    target = tmp_path / "form [b].xlsx"
    result = run("template", "company-list", str(target), "--client", CLIENT, "--due", "[/b]")
    assert result.exit_code == 2 and "--due '[/b]' is not a date like 2027-01-28" in said(result)
    result = run("template", "company-list", str(target), "--client", CLIENT)
    assert result.exit_code == 0 and f"Wrote {target}" in said(result)


def test_classify_quotes_file_names_and_evidence_as_written(tmp_path: Path) -> None:
    policy = tmp_path / "policy [b].txt"
    policy.write_text(
        "Social media policy [/b]\n\nEmployees must not disclose confidential information "
        "[/bold] on social media.\n"
    )
    result = run("classify", str(policy), str(tmp_path / "missing [i].txt"))
    assert result.exit_code == 1
    text = said(result)
    assert f"{policy}" in text and "[/bold] on social media" in text
    assert f"could not read {tmp_path / 'missing [i].txt'}" in text


def test_demo_quotes_its_folder_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "demo [b]"
    folder.mkdir()
    (folder / "something.txt").write_text("not a demo")
    result = run("demo", "--drive", str(folder))
    assert result.exit_code == 2
    assert f"{folder} is not empty and holds no earlier demo" in said(result)


# --- the machinery's faults, in words ----------------------------------------------------------


def test_a_locked_state_database_is_said_in_words(workdir: Path) -> None:
    folder = workdir / "engagements"
    folder.mkdir()
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(engagement_data(workdir / "drive")))
    holder = sqlite3.connect(workdir / "state.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        for args in (["status", "acme-foods"], ["decide", "acme-foods", "close", "--reason", "x"]):
            result = run(*args)
            assert result.exit_code == 1, result.output
            assert said(result) == (
                "error: the state database is busy (locked by another process); the next "
                "advance retries"
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.prefect
def test_an_advance_that_fails_prints_one_clean_line_and_no_traceback(tmp_path: Path) -> None:
    """As a separate process, as people run it: Prefect's own log of the failed run stays off
    the terminal (the UI keeps it); --verbose shows it."""
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    (tmp_path / "mount").write_text("a file where the drive's parent folder should be")
    data = engagement_data(tmp_path / "mount" / "Acme Foods")
    (engagements / "acme-foods.yaml").write_text(yaml.safe_dump(data))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        SMPP_ENGAGEMENTS=str(engagements),
        SMPP_DATABASE_URL=f"sqlite:///{tmp_path / 'state.db'}",
        COLUMNS="1000",
    )
    done = subprocess.run(
        [sys.executable, "-m", "smpp", "advance", "acme-foods", "--now", "2027-01-04T10:00"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"error: the drive folder {tmp_path / 'mount' / 'Acme Foods'} cannot be used: "
        f"{tmp_path / 'mount'} is a file, not a folder. Check 'drive:' in the engagement file "
        "and the drive mount."
    )
    status = subprocess.run(
        [sys.executable, "-m", "smpp", "status", "acme-foods", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=REPO,
    )
    assert status.returncode == 0 and json.loads(status.stdout)["engagement"] == "acme-foods"


@pytest.mark.prefect
def test_advance_prints_what_it_did_with_names_as_written(
    engagement: Path, prefect_harness: None
) -> None:
    result = run("advance", "acme-foods", "--now", "2027-01-22T10:00")
    assert result.exit_code == 0, result.output
    result = run("advance", "acme-foods", "--now", "2027-01-28T10:00")
    assert result.exit_code == 0, result.output
    assert f"done  Remind {ATTENDEE} of the questionnaire" in result.output


def test_a_refused_replacement_quotes_the_names_as_written(engagement: Path) -> None:
    from smpp.stages.company_list.events import LIST_JUDGED
    from smpp.store import Event, Store

    row = {"name": "Acme [/b] Co", "website": "https://acme.example", "domain": "acme.example"}
    row |= {"industry": "", "country": "", "size": "", "why_comparable": "", "priority": None}
    row |= {"policy_url": None, "row": 2}
    store = Store()
    store.append(
        Event(
            "acme-foods",
            datetime_at("2027-01-20T10:00"),
            LIST_JUDGED,
            "acme-foods/inbox/test",
            {
                "file": "list.xlsx",
                "ok": True,
                "companies": 1,
                "problems": [],
                "company_rows": [row],
            },
        )
    )
    store.close()
    result = run("decide", "acme-foods", "replace", "--out", "Nope [/b]", "--in", "Acme [/b] Co")
    assert result.exit_code == 2
    assert said(result) == "error: 'Nope [/b]' is not among the companies chosen (none yet)."


@pytest.mark.parametrize(
    "args",
    [
        ["status", "acme-foods"],
        ["advance", "acme-foods"],
        ["decide", "acme-foods", "close", "--reason", "x"],
    ],
)
def test_a_bad_moment_is_quoted_as_written(engagement: Path, args: list[str]) -> None:
    result = run(*args, "--now", "[/b]")
    assert result.exit_code == 2
    assert said(result) == "error: --now '[/b]' is not an ISO date-time like 2027-01-20T09:00"
