"""The `smpp` command: contracts of DESIGN.md section 4 and the messages people see."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from smpp.cli import app
from smpp.stages.company_list.demo import DEMO_COMPANIES
from tests.conftest import engagement_data

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(tmp_path / "engagements"))
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    return tmp_path


def filled_list(path: Path, companies: int) -> Path:
    result = runner.invoke(app, ["template", "company-list", str(path), "--client", "Acme"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    sheet = book["Companies"]
    for row, company in enumerate(DEMO_COMPANIES[:companies], start=2):
        for column, value in enumerate(company, start=1):
            sheet.cell(row=row, column=column, value=value)
    book.save(path)
    return path


def test_check_list_accepts_a_good_list(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-list", str(filled_list(tmp_path / "l.xlsx", 24)), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"ok": True, "companies": 24, "problems": [], "notes": []}


def test_check_list_follows_a_link_named_on_its_own_command_line(tmp_path: Path) -> None:
    link = tmp_path / "link.xlsx"
    link.symlink_to(filled_list(tmp_path / "l.xlsx", 24))
    result = runner.invoke(app, ["check-list", str(link), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"ok": True, "companies": 24, "problems": [], "notes": []}


def test_check_list_refuses_a_short_list_with_reasons(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-list", str(filled_list(tmp_path / "l.xlsx", 19)), "--json"])
    assert result.exit_code == 1
    verdict = json.loads(result.output)
    assert verdict["ok"] is False and verdict["companies"] == 19
    assert verdict["problems"][-1]["row"] is None
    assert "at least 20 are needed" in verdict["problems"][-1]["message"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7 this is a pdf", "not an Excel workbook"),
        (None, "There is no file"),
    ],
)
def test_check_list_prints_its_verdict_even_for_what_is_not_a_workbook(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "list.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["check-list", str(path), "--json"])
    assert result.exit_code == 1
    verdict = json.loads(result.output)
    assert verdict["ok"] is False and verdict["companies"] == 0
    assert expected in verdict["problems"][0]["message"]


def test_the_blank_template_is_a_workbook_a_client_can_fill(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    result = runner.invoke(
        app, ["template", "company-list", str(path), "--client", "Acme", "--due", "2027-01-28"]
    )
    assert result.exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["Instructions", "Companies"]
    instructions = " ".join(
        str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c
    )
    assert "Thursday 28 January 2027" in instructions


def test_the_blank_template_without_options_names_no_client_and_no_date(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    assert runner.invoke(app, ["template", "company-list", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    instructions = " ".join(
        str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c
    )
    assert "Your company" not in instructions
    assert "Please return it by the date in our email" in instructions


NEW = [
    "new",
    "--client",
    "Acme Foods",
    "--workshop",
    "2027-02-11T09:30",
    "--timezone",
    "Europe/Rome",
    "--lead",
    "Lea Lead <lea@agency.example>",
    "--contact",
    "Carl Client <carl@acme.example>",
    "--attendee",
    "Carl Client <carl@acme.example>; Communications",
    "--attendee",
    "Eli Legal <eli@acme.example>; Legal; absent",
]


def test_new_writes_a_definition_that_validates(workdir: Path) -> None:
    result = runner.invoke(app, [*NEW, "--drive", str(workdir / "d"), "--now", "2027-01-04T10:00"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((workdir / "engagements" / "acme-foods.yaml").read_text())
    assert data["slug"] == "acme-foods"
    assert data["attendees"][1] == {
        "name": "Eli Legal",
        "email": "eli@acme.example",
        "role": "Legal",
        "attending": False,
    }
    again = runner.invoke(app, [*NEW, "--drive", str(workdir / "d"), "--now", "2027-01-04T10:00"])
    assert again.exit_code == 2 and "exists already" in again.output


def test_new_refuses_a_kickoff_too_late_unless_compressed(workdir: Path) -> None:
    late = [*NEW, "--drive", str(workdir / "d"), "--now", "2027-01-25T10:00"]
    refused = runner.invoke(app, late)
    assert refused.exit_code == 2
    assert "leaves the client 3 days" in refused.output
    assert not (workdir / "engagements" / "acme-foods.yaml").exists()
    accepted = runner.invoke(app, [*late, "--compressed"])
    assert accepted.exit_code == 0 and "at risk" in accepted.output


def test_new_says_what_is_wrong_with_a_flag(workdir: Path) -> None:
    result = runner.invoke(
        app, [*NEW[:7], "--lead", "just-a-name", *NEW[9:], "--drive", str(workdir)]
    )
    assert result.exit_code == 2
    assert "--lead 'just-a-name': write it as 'Name <email>'" in result.output


def test_status_before_and_after_the_first_advance(workdir: Path) -> None:
    folder = workdir / "engagements"
    folder.mkdir()
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(engagement_data(workdir / "drive")))
    before = json.loads(runner.invoke(app, ["status", "acme-foods", "--json"]).output)
    assert before["started"] is False

    from smpp.engine import advance
    from smpp.mailer import OutboxMailer
    from smpp.models import load_engagement
    from smpp.setup import Setup
    from smpp.store import Store

    engagement = load_engagement(folder / "acme-foods.yaml")
    store = Store()
    setup = Setup(engagement, store, OutboxMailer(workdir / "out"))
    advance(setup, engagement.workshop_at.replace(month=1, day=4, hour=10, minute=0))
    advance(setup, engagement.workshop_at.replace(month=1, day=14, hour=10, minute=0))
    store.close()
    result = runner.invoke(app, ["status", "acme-foods", "--json", "--now", "2027-01-30T10:00"])
    status = json.loads(result.output)
    requested = next(m for m in status["timeline"] if m["milestone"] == "company_list_requested")
    assert requested == {
        "milestone": "company_list_requested",
        "label": "Company list requested",
        "planned": "2027-01-14T09:00:00+01:00",
        "actual": "2027-01-14T10:00:00+01:00",
    }
    [awaited] = status["awaited"]
    assert awaited["from"] == ["Carl Client <carl@acme.example>"]
    assert awaited["since"] == "2027-01-14T10:00:00+01:00" and awaited["overdue"] is True
    # Nothing ran since 14 January: the questionnaire invitation (due 21 January) comes first.
    assert status["next_action"]["what"] == "Send Carl Client the questionnaire"
    assert status["questionnaire"]["people"][0]["invited"] is None
    text = runner.invoke(app, ["status", "acme-foods", "--now", "2027-01-30T10:00"]).output
    assert "OVERDUE" in text and "Company list requested" in text


def test_an_unknown_engagement_is_a_clear_error(workdir: Path) -> None:
    result = runner.invoke(app, ["status", "nobody"])
    assert result.exit_code == 2 and "no such engagement file" in result.output


@pytest.mark.prefect
def test_the_demo_command_prints_the_promised_json_and_nothing_else(tmp_path: Path) -> None:
    """The newcomer's first command, as a separate process with the embedded defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    drive = tmp_path / "drive"
    done = subprocess.run(
        [sys.executable, "-m", "smpp", "demo", "--drive", str(drive), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    result = json.loads(done.stdout)
    stages = {
        "company-list",
        "questionnaire",
        "peer-review",
        "packet",
        "consensus",
        "policy",
        "follow-up",
    }
    assert result["deliverables"]
    for item in result["deliverables"]:
        assert item["stage"] in stages and Path(item["path"]).is_file()
        assert Path(item["path"]).is_relative_to(drive)
    for mail in result["emails"]:
        assert mail["to"] and mail["subject"] and mail["kind"]
    for row in result["timeline"]:
        assert set(row) >= {"milestone", "planned", "actual"}


def test_classify_prints_elements_with_evidence_quoted_from_the_file(tmp_path: Path) -> None:
    policy = tmp_path / "policy.txt"
    policy.write_text(
        "Social media policy\n\n"
        "This policy applies to all employees and contractors who use social media.\n"
        "When you post about our products, say that you work for us, for example with #employee.\n"
        "Never share confidential information such as unreleased financial results or customer "
        "data.\n"
        "Employees must not post anything negative about the company or its management.\n"
    )
    from smpp.sample_sites import render_pdf

    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(render_pdf(policy.read_text()))
    result = runner.invoke(app, ["classify", str(policy), str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    [text, from_pdf] = json.loads(result.output)["results"]
    assert text["file"] == str(policy)
    found = {e["id"] for e in text["elements"]}
    assert {"E01", "E08", "E16"} <= found
    for element in text["elements"]:
        for sentence in element["evidence"]:
            assert sentence in policy.read_text()
    assert any(
        flag["element"] in ("E12", "E15") and "negative" in flag["sentence"]
        for flag in text["red_flags"]
    )
    assert {"E01", "E08"} <= {e["id"] for e in from_pdf["elements"]}


@pytest.mark.parametrize("name", ["random.html", "random.txt", "random"])
def test_classify_refuses_random_bytes_whatever_their_name(tmp_path: Path, name: str) -> None:
    noise = tmp_path / name
    noise.write_bytes(bytes(range(256)) * 4 + bytes(reversed(range(256))) * 4)
    result = runner.invoke(app, ["classify", str(noise), "--json"])
    assert result.exit_code == 1
    [entry] = json.loads(result.output)["results"]
    assert entry["error"] == (
        f"could not read {noise}: {name} is not a readable policy: it holds binary data, not a "
        "web page, PDF or text"
    )


def test_classify_refuses_a_pipe_without_waiting_for_it(tmp_path: Path) -> None:
    pipe = tmp_path / "policy.html"
    os.mkfifo(pipe)
    result = runner.invoke(app, ["classify", str(pipe), "--json"])
    assert result.exit_code == 1
    [entry] = json.loads(result.output)["results"]
    assert entry["error"] == f"could not read {pipe}: not a regular file"


def test_classify_says_which_file_it_could_not_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 truncated")
    result = runner.invoke(app, ["classify", str(broken), "--json"])
    assert result.exit_code == 1
    [entry] = json.loads(result.output)["results"]
    assert entry["error"].startswith(f"could not read {broken}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["replace", "--out", "Alpha"], "replace needs --in"),
        (["confirm-gap"], "confirm-gap needs --note"),
        (["close"], "close needs --reason"),
        (
            ["postpone"],
            "Input should be 'replace', 'confirm_gap', 'close', 'resend', 'delivered', 'hold', "
            "'release', 'approve', 'accept_finding', 'item_done' or 'topic'",
        ),
        (["replace", "--out", "Alpha", "--in", "Beta"], "There is no accepted company list yet"),
    ],
)
def test_a_decision_that_cannot_be_taken_says_why(
    workdir: Path, args: list[str], message: str
) -> None:
    folder = workdir / "engagements"
    folder.mkdir()
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(engagement_data(workdir / "drive")))
    result = runner.invoke(app, ["decide", "acme-foods", *args, "--now", "2027-01-14T10:00"])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_closing_an_engagement_stops_everything_once(workdir: Path) -> None:
    folder = workdir / "engagements"
    folder.mkdir()
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(engagement_data(workdir / "drive")))
    first = runner.invoke(
        app,
        [
            "decide",
            "acme-foods",
            "close",
            "--reason",
            "Client cancelled",
            "--now",
            "2027-01-14T10:00",
        ],
    )
    assert first.exit_code == 0, first.output
    assert "the engagement is closed" in first.output
    status = json.loads(
        runner.invoke(app, ["status", "acme-foods", "--json", "--now", "2027-01-20T10:00"]).output
    )
    assert status["closed"] is True
    assert status["next_action"] is None  # closed before it started: nothing is next
    again = runner.invoke(app, ["decide", "acme-foods", "close", "--reason", "twice"])
    assert again.exit_code == 2 and "closed" in again.output


def test_the_demos_summary_fits_an_80_column_terminal_and_lists_every_mail_when_verbose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    from smpp import cli

    manifest = json.loads((REPO / "tests" / "data" / "demo-manifest.json").read_text())
    root = Path("/srv/demo-drive")
    manifest["drive"] = str(root / manifest["drive"])
    for item in manifest["deliverables"]:
        item["path"] = str(root / item["path"])
    shown = {}
    for verbose in (False, True):
        monkeypatch.setattr(cli, "console", Console(width=80, record=True, file=io.StringIO()))
        cli.print_demo(manifest, root, verbose)
        shown[verbose] = cli.console.export_text()
    compact = shown[False].splitlines()
    assert max(len(line) for line in compact) <= 80
    kinds = Counter(m["kind"] for m in manifest["emails"])
    for kind, count in kinds.items():
        assert f"  {count:>3}  {kind.replace('_', ' ')}" in compact
    assert len(compact) < len(kinds) + len(manifest["deliverables"]) + 30  # no line per mail
    assert manifest["emails"][0]["subject"] not in shown[False]
    assert "01 Company list/Company list - Northwind Outdoor Gear - 2027-01-25.xlsx" in shown[False]
    every = " ".join(shown[True].split())
    assert all(" ".join(m["subject"].split()) in every for m in manifest["emails"])
    assert max(len(line) for line in shown[True].splitlines()) <= 80
