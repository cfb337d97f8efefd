"""The follow-up from the command line: marking an open item done with `smpp decide`, and the
follow-up's section of `smpp status`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from smpp.cli import app
from smpp.events import STARTED
from smpp.store import Event, Store
from tests.conftest import engagement_data
from tests.test_follow_up import DECISIONS, KICKOFF, PEOPLE, SLUG, at, consensus

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(tmp_path / "engagements"))
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    folder = tmp_path / "engagements"
    folder.mkdir()
    data = engagement_data(tmp_path / "drive", attendees=PEOPLE)
    (folder / f"{SLUG}.yaml").write_text(yaml.safe_dump(data))
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    started = {"kickoff": KICKOFF.isoformat(), "at_risk": False, "token_salt": "salt"}
    store.append(Event(SLUG, KICKOFF, STARTED, f"{SLUG}/started", started))
    store.append(consensus(at("2027-02-12T16:00"), 1, DECISIONS))
    store.close()
    return tmp_path


def test_an_open_item_is_marked_done_from_the_command_line(workdir: Path) -> None:
    missing = runner.invoke(app, ["decide", SLUG, "item-done"])
    assert missing.exit_code == 2 and "item-done needs --item" in missing.output
    done = runner.invoke(
        app,
        ["decide", SLUG, "item-done", "--item", "E21", "--note", "Agreed", "--now", "2027-02-20"],
    )
    assert done.exit_code == 0, done.output
    assert "Recorded: the open item E21 is done." in " ".join(done.output.split())
    unknown = runner.invoke(app, ["decide", SLUG, "item-done", "--item", "E99"])
    assert unknown.exit_code == 2
    assert "the open items are: E03, E21, E23" in " ".join(unknown.output.split())
    status = runner.invoke(app, ["status", SLUG, "--now", "2027-02-22T10:00"])
    assert status.exit_code == 0, status.output
    said = " ".join(status.output.split())  # the terminal wraps long lines
    assert "Follow-up: The report is due on Thu 25 Feb 2027 23:59." in said
    assert (
        "done E21 Customer-service routing & fulfilment: Agree how customer complaints are "
        "routed (Cat Cole <cat@acme.example>): Done: marked on 20 February 2027 by Lea Lead"
    ) in said
    assert "marked an open item of the follow-up done (E21: Agreed)" in said
