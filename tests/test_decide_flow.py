"""Decisions the account lead records: checked without Prefect, then through the run form's flow."""

from __future__ import annotations

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
from smpp.engine import Setup, advance
from smpp.mailer import OutboxMailer
from smpp.models import Engagement
from smpp.plan import DECISION, State, plan
from smpp.store import Store
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
            "Input should be 'replace', 'confirm_gap', 'close', 'resend' or 'delivered'",
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
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    folder = tmp_path / "engagements"
    folder.mkdir()
    data = engagement_data(tmp_path / "drive")
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(data))
    return folder


def test_the_run_form_offers_the_decision_kinds_with_their_fields() -> None:
    from flows.decide import record_decision

    schema = record_decision.parameters.model_dump()
    assert schema["required"] == ["slug", "decision"]
    decision = schema["definitions"]["Decision"]
    assert decision["properties"]["kind"]["enum"] == [
        "replace",
        "confirm_gap",
        "close",
        "resend",
        "delivered",
    ]
    assert set(decision["properties"]) == {"kind", "by", "out", "into", "note", "reason", "key"}
    assert decision["required"] == ["kind"]


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_decision_recorded_from_the_ui_and_one_refused(
    engagements: Path, tmp_path: Path, opened_store: Store
) -> None:
    from flows.decide import record_decision

    result = record_decision(
        "acme-foods",
        Decision(kind="close", reason="Budget withdrawn.", by="Lea Lead"),
        LATER,
        str(engagements),
    )
    assert result == {
        "engagement": "acme-foods",
        "at": "2027-01-15T11:00:00+01:00",
        "decision": "close",
        "reason": "Budget withdrawn.",
        "by": "Lea Lead",
    }
    [closing] = opened_store.events_for("acme-foods")
    assert closing.data["decision"] == "close"

    # From the run form the decision arrives as JSON: validated into a Decision by the flow.
    again = record_decision(
        "acme-foods",
        {"kind": "close", "reason": "Twice?"},  # type: ignore[arg-type]
        LATER,
        str(engagements),
        return_state=True,
    )
    assert again.is_failed()
    with pytest.raises(DecisionError, match="The engagement was closed on 15 January 2027 by Lea"):
        again.result()
    invalid = record_decision(
        "acme-foods",
        {"kind": "replace", "out": "Alpine Crest"},  # type: ignore[arg-type]
        LATER,
        str(engagements),
        return_state=True,
    )
    assert invalid.is_failed()
    assert "a 'replace' decision needs into" in str(invalid.message)
    assert len(opened_store.events_for("acme-foods")) == 1
