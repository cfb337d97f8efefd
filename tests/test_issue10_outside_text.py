"""Issue 10, point 2, as the probe found it: a delegate named `Anna [/bold]` in a returned
questionnaire. The advance that takes the return in (through the CLI, under Prefect) and `smpp
status` afterwards print the name as written, and neither ends in a MarkupError."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from rich.errors import MarkupError
from typer.testing import CliRunner

from smpp.cli import app
from smpp.engine import advance
from smpp.mailer import OutboxMailer
from smpp.models import engagement_to_yaml
from smpp.setup import Setup
from smpp.simulation import DEMO_SLUG, demo_engagement, demo_kickoff
from smpp.stages.questionnaire.demo import happenings as attendee_returns
from smpp.state import State
from smpp.store import Store

DELEGATE = "Anna [/bold]"


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    from smpp import cli

    monkeypatch.setattr(cli.console, "width", 1000)
    monkeypatch.setattr(cli.errors, "width", 1000)


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_delegate_named_like_markup_in_a_returned_questionnaire(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "engagements"
    folder.mkdir()
    database = f"sqlite:///{tmp_path / 'state.db'}"
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(folder))
    monkeypatch.setenv("SMPP_DATABASE_URL", database)
    engagement = demo_engagement(tmp_path / "drive")
    (folder / f"{DEMO_SLUG}.yaml").write_text(engagement_to_yaml(engagement))

    # Kicked off, and the questionnaire sent (no company list: the peer review stays idle).
    kickoff = demo_kickoff(engagement)
    store = Store(database)
    try:
        setup = Setup(engagement, store, OutboxMailer(engagement.outbox_dir))
        advance(setup, kickoff)
        state = State(engagement, tuple(store.events_for(DEMO_SLUG)))
        sent = state.timeline.milestones["questionnaire_sent"] + timedelta(hours=1)
        advance(setup, sent)
        [paolo] = [r for r in attendee_returns(engagement, kickoff) if r.delegate]
        returned = replace(paolo, at=sent, delegate=(DELEGATE, "anna.ricci@northwind.example"))
        returned.happen(setup)  # dropped in the inbox
    finally:
        store.close()

    runner = CliRunner()
    moment = (sent + timedelta(minutes=30)).isoformat()
    advanced = runner.invoke(app, ["advance", DEMO_SLUG, "--now", moment])
    assert not isinstance(advanced.exception, MarkupError), advanced.exception
    assert advanced.exit_code == 0, advanced.output
    assert DELEGATE in advanced.output

    for _ in range(2):  # every time after, too
        status = runner.invoke(app, ["status", DEMO_SLUG, "--now", moment])
        assert not isinstance(status.exception, MarkupError), status.exception
        assert status.exit_code == 0, status.output
        assert f"{DELEGATE} (" in status.output
