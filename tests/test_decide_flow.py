"""Decisions the account lead records: checked without Prefect, then through the run form's flow."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from pydantic import ValidationError

from smpp.decisions import (
    Decision,
    DecisionError,
    close_engagement,
    confirm_gap,
    decide,
    record,
    replace_company,
)
from smpp.engine import advance
from smpp.events import DECISION, STARTED
from smpp.mailer import OutboxMailer
from smpp.models import Engagement
from smpp.plan import plan
from smpp.setup import Setup
from smpp.state import State
from smpp.store import Event, Store
from tests.conftest import engagement_data

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
LATER = datetime(2027, 1, 15, 11, tzinfo=ROME)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "replace", "out": "Alpine Crest"}, "a 'replace' decision needs into"),
        ({"kind": "replace"}, "a 'replace' decision needs out and into"),
        ({"kind": "confirm_gap", "note": "   "}, "a 'confirm_gap' decision needs note"),
        ({"kind": "close"}, "a 'close' decision needs reason"),
        (
            {"kind": "postpone", "reason": "x"},
            "Input should be 'replace', 'confirm_gap', 'close', 'resend', 'delivered', 'hold', "
            "'release', 'approve', 'accept_finding', 'item_done' or 'topic'",
        ),
        ({"kind": "close", "reason": "x", "when": "now"}, "Extra inputs are not permitted"),
    ],
)
def test_a_decision_needs_the_fields_of_its_kind(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Decision.model_validate(fields)


def state_of(engagement: Engagement, store: Store) -> State:
    return State(engagement, tuple(store.events_for(engagement.slug)))


@pytest.fixture
def started(tmp_path: Path, make_engagement: Any, store: Store) -> Engagement:
    engagement: Engagement = make_engagement()
    advance(Setup(engagement, store, OutboxMailer(tmp_path / "out")), KICKOFF)
    return engagement


def test_a_gap_is_confirmed_only_once_the_engagement_has_started(
    make_engagement: Any, store: Store, started: Engagement
) -> None:
    with pytest.raises(DecisionError, match="has not started, so there is no gap"):
        confirm_gap(State(make_engagement(), ()), "no answer from Nina", "Lea", LATER)
    gap = decide(
        state_of(started, store),
        Decision(kind="confirm_gap", note="  Nina's answers\nare missing "),
        LATER,
    )
    assert (gap.kind, gap.key, gap.at) == (DECISION, None, LATER)
    assert gap.data == {
        "decision": "confirm_gap",
        "note": "Nina's answers are missing",
        "by": "Lea Lead",
    }


def test_an_engagement_is_closed_once_and_nothing_is_decided_or_planned_after(
    store: Store, started: Engagement
) -> None:
    closing = decide(
        state_of(started, store),
        Decision(kind="close", reason="The client cancelled the workshop.", by="Max Manager"),
        LATER,
    )
    assert closing.key == "acme-foods/decision/close"
    assert closing.data == {
        "decision": "close",
        "reason": "The client cancelled the workshop.",
        "by": "Max Manager",
    }
    record(store, closing)
    closed = state_of(started, store)
    refusal = "The engagement was closed on 15 January 2027 by Max Manager; nothing more"
    with pytest.raises(DecisionError, match=refusal):
        close_engagement(closed, "again", "Lea Lead", LATER)
    with pytest.raises(DecisionError, match=refusal):
        confirm_gap(closed, "a gap", "Lea Lead", LATER)
    with pytest.raises(DecisionError, match=refusal):
        replace_company(closed, "A", "B", "Lea Lead", LATER)
    # Two leads closing at once: the database refuses the second, with the same kind of reason.
    with pytest.raises(DecisionError, match="has been closed already"):
        record(store, closing)
    assert plan(closed, datetime(2027, 2, 1, 10, tzinfo=ROME)).due == ()


def test_a_close_needs_a_reason(store: Store, started: Engagement) -> None:
    with pytest.raises(DecisionError, match="Say why the engagement is closed"):
        close_engagement(state_of(started, store), " \n", "Lea Lead", LATER)


# --- the flow behind the Prefect run form --------------------------------------------------


@pytest.fixture
def engagements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The worker's engagements folder and state database, as its environment names them."""
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    folder = tmp_path / "engagements"
    folder.mkdir()
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(folder))
    data = engagement_data(tmp_path / "drive")
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(data))
    return folder


def test_the_run_form_asks_only_what_a_lead_knows_in_words() -> None:
    from flows.decide import record_decision

    schema = record_decision.parameters.model_dump()
    assert schema["required"] == ["slug", "decision"]
    assert set(schema["properties"]) == {"slug", "decision"}  # no `now`, no folders
    form = schema["definitions"]["DecisionForm"]
    assert form["properties"]["decision"]["enum"] == [
        "Replace one of the five companies reviewed",
        "Let the workshop packet go out with a known gap",
        "Close the engagement (nothing more is sent)",
        "Send again a message that did not arrive",
        "Count as delivered a message that did arrive",
        "Hold the workshop packet (it is not sent)",
        "Release the workshop packet (it goes out)",
        "Approve the workshop packet (it goes out)",
        "Accept a finding of the policy check",
        "Mark an open item of the follow-up done",
        "Decide a drafting topic of the workshop",
    ]
    assert form["properties"]["decision"]["title"] == "What do you decide?"
    assert [form["properties"][name]["title"] for name in ("take_out", "put_in", "gap")] == [
        "Company to take out",
        "Company to review instead",
        "The gap",
    ]
    assert form["required"] == ["decision"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"decision": "Replace one of the five companies reviewed", "take_out": "Alpine"},
            "'Replace one of the five companies reviewed' needs the company to review instead: "
            "fill it in the form.",
        ),
        (
            {"decision": "Close the engagement (nothing more is sent)", "reason": "  "},
            "'Close the engagement (nothing more is sent)' needs why the engagement closes",
        ),
        (
            {"decision": "Let the workshop packet go out with a known gap"},
            "needs the gap: fill it in the form.",
        ),
    ],
)
def test_the_form_says_which_field_its_decision_needs(fields: dict[str, Any], message: str) -> None:
    from smpp.decisions import DecisionForm

    with pytest.raises(ValueError, match=re.escape(message)):
        DecisionForm.model_validate(fields).to_decision()


def test_a_decision_for_an_engagement_that_does_not_exist_names_the_ones_that_do(
    engagements: Path,
) -> None:
    from flows.decide import take_decision

    (engagements / "beta-foods.yaml").write_text("client: [unclosed")
    with pytest.raises(DecisionError) as refused:
        take_decision("acme-fods", Decision(kind="close", reason="x"), LATER)
    assert str(refused.value) == (
        f"There is no engagement 'acme-fods' (no file acme-fods.yaml in {engagements}). "
        "Engagements: acme-foods, beta-foods."
    )


def run_logs(run_id: Any) -> str:
    """What a flow run logged, as the UI shows it (read back from the server)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # logs go to the server in the background: send what is queued
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return "\n".join(log.message for log in logs)


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_decision_recorded_from_the_ui_and_refused_ones_end_plainly(
    engagements: Path, tmp_path: Path, opened_store: Store
) -> None:
    from prefect.artifacts import Artifact

    from flows.decide import record_decision
    from smpp.decisions import DecisionForm

    close = {"decision": "Close the engagement (nothing more is sent)", "by": "Lea Lead"}
    result = record_decision("acme-foods", DecisionForm(**close, reason="Budget withdrawn."))
    assert isinstance(result, dict)
    assert result["decision"] == "close" and result["by"] == "Lea Lead"
    assert result["reason"] == "Budget withdrawn."
    [closing] = opened_store.events_for("acme-foods")
    assert closing.data["decision"] == "close"
    # The status shows it at once, before any advance runs.
    status = Artifact.get("smpp-acme-foods-status")
    assert status is not None
    when = closing.at.astimezone(ZoneInfo("Europe/Rome")).strftime("%a %-d %b %Y")
    assert f"**Closed** on {when}" in str(status.data)
    assert "by Lea Lead: Budget withdrawn." in str(status.data)

    refusals = [
        # From the run form the decision arrives as JSON, validated into the form.
        (
            "acme-foods",
            {**close, "reason": "Twice?"},
            "The engagement was closed on ",
        ),
        (
            "acme-foods",
            {"decision": "Replace one of the five companies reviewed", "take_out": "Alpine"},
            "needs the company to review instead",
        ),
        ("nobody", {**close, "reason": "x"}, "There is no engagement 'nobody'"),
    ]
    for slug, form, reason in refusals:
        state = record_decision(slug, form, return_state=True)  # type: ignore[arg-type]
        assert state.is_failed()
        assert reason in str(state.message)
        logs = run_logs(state.state_details.flow_run_id)
        assert "Not recorded for" in logs  # the run's log says why, in words
        assert "Traceback" not in logs
        assert record_decision.retries == 0
    assert len(opened_store.events_for("acme-foods")) == 1


def test_every_kind_of_decision_is_entered_and_told_in_words(
    make_engagement: Any,
) -> None:
    """One table holds each kind: the run form offers it, the command line names it, the fields
    it needs exist where it reads them, and the status page says in words what the lead did."""
    from typer.testing import CliRunner

    from smpp.cli import app
    from smpp.decisions import KINDS, DecisionForm
    from smpp.status import engagement_status

    offered = DecisionForm.model_json_schema()["properties"]["decision"]["enum"]
    assert offered == [kind.choice for kind in KINDS]
    helped = " ".join(CliRunner().invoke(app, ["decide", "--help"]).output.split())
    for kind in KINDS:
        assert kind.name.replace("_", "-") in helped, kind.name
        for field, name, _ in kind.needs:
            assert field in Decision.model_fields and name in DecisionForm.model_fields
        for field, name in kind.reads:
            assert field in Decision.model_fields and name in DecisionForm.model_fields

    engagement = make_engagement()
    started = {"kickoff": KICKOFF.isoformat(), "at_risk": False, "token_salt": "salt"}
    events = [Event(engagement.slug, KICKOFF, STARTED, f"{engagement.slug}/started", started)]
    for kind in KINDS:
        data = {"decision": kind.name, "by": "Max", "note": "n", "key": "k", "reason": "r"}
        events.append(Event(engagement.slug, LATER, DECISION, None, data))
    shown = engagement_status(State(engagement, tuple(events)), LATER)["decisions"]
    assert [row["decision"] for row in shown] == [kind.done for kind in KINDS]
    assert all(" " in row["decision"] for row in shown)  # words, not "accept_finding"


def test_the_run_form_gives_each_decision_only_its_own_fields() -> None:
    """A topic's notes reach its decision; text typed in another decision's field does not (the
    gap once became a release's or a topic's note)."""
    from smpp.decisions import DecisionForm

    topic = DecisionForm(
        decision="Decide a drafting topic of the workshop",
        topic="E03",
        topic_decision="Deferred",
        topic_notes="Ask HR first",
        gap="no answer from Legal",
    ).to_decision()
    assert (topic.kind, topic.topic, topic.choice, topic.note) == (
        "topic",
        "E03",
        "Deferred",
        "Ask HR first",
    )
    release = DecisionForm(
        decision="Release the workshop packet (it goes out)", gap="no answer from Legal"
    ).to_decision()
    assert (release.kind, release.note) == ("release", "")
