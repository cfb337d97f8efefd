"""The flows under Prefect's own test harness."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from flows.advance import advance_engagement
from flows.demo import run_demo
from smpp.engine import AdvanceFailed
from tests.conftest import SmtpServer, engagement_data, smtp_mail

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]
ROME = ZoneInfo("Europe/Rome")


def test_the_advance_flow_sends_what_is_due_once(engagements: Path, tmp_path: Path) -> None:
    data = engagement_data(tmp_path / "drive")
    (engagements / "acme-foods.yaml").write_text(yaml.safe_dump(data))
    moment = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)

    first = advance_engagement("acme-foods", moment, str(engagements))
    again = advance_engagement("acme-foods", moment, str(engagements))

    assert first["done"] == ["Ask the client for its list of comparable companies"]
    assert first["next_due"] == "2027-01-21T09:00:00+01:00"  # the questionnaire goes out
    assert again["done"] == []
    [sent] = (tmp_path / "drive" / "outbox").iterdir()
    parsed = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert parsed["X-SMPP-Kind"] == "company_list_request"


def test_a_failed_send_fails_the_flow_run_and_the_next_run_delivers(
    engagements: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(smtp_server))
    (engagements / "acme-foods.yaml").write_text(yaml.safe_dump(data))
    smtp_server.stop()
    state = advance_engagement(
        "acme-foods",
        datetime(2027, 1, 14, 9, 30, tzinfo=ROME),
        str(engagements),
        return_state=True,
    )
    assert state.is_failed()
    with pytest.raises(AdvanceFailed):
        state.result()
    smtp_server.start()
    result = advance_engagement(
        "acme-foods", datetime(2027, 1, 14, 10, 30, tzinfo=ROME), str(engagements)
    )
    assert result["done"] == ["Ask the client for its list of comparable companies"]
    assert len(smtp_server.collector.received) == 1


def test_the_demo_flow_runs_the_engagement_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import demo

    heard: list[object] = []  # what the CLI's progress line hears, advance by advance
    monkeypatch.setattr(demo, "progress", heard.append)
    result = run_demo(str(tmp_path))
    assert len(heard) > 10  # one per simulated advance
    kinds = [e["kind"] for e in result["emails"]]
    assert [k for k in kinds if not k.startswith(("questionnaire", "packet_delivery"))] == [
        "company_list_request",
        "company_list_rejected",
        "company_list_reminder",
        "company_list_accepted",
        "peer_review_ready",  # five companies reviewed
        "peer_review_ready",  # again after the lead replaced one
        "packet_draft",  # the lead's review, a business day before the packet milestone
        "consensus_recorded",  # the facilitator's workbook, the day after the workshop
        "policy_draft",  # to the lead, with its check
        "policy_delivered",  # to the client, at T+10 (a Sunday: the Friday before)
        "follow_up_report_ready",  # T+14
        "follow_up_item_reminder",  # the spokespeople follow-up, on its due date
        "follow_up_closed",  # both open items done: the engagement closes itself
    ]
    assert kinds.count("packet_delivery") == 7  # everyone invited, attending or not
    stages = [(d["stage"], Path(d["path"]).name) for d in result["deliverables"]]
    assert stages == [
        ("company-list", "Company list - Northwind Outdoor Gear - 2027-01-25.xlsx"),
        ("peer-review", "Peer review - Northwind Outdoor Gear - v1.xlsx"),
        ("peer-review", "Peer review - Northwind Outdoor Gear - v2.xlsx"),
        ("questionnaire", "Questionnaire summary - Northwind Outdoor Gear - v1.xlsx"),
        ("packet", "Workshop packet - Northwind Outdoor Gear - v1.xlsx"),
        ("packet", "Workshop packet - Northwind Outdoor Gear - v1.html"),
        ("packet", "Workshop packet - Northwind Outdoor Gear - v1.docx"),
        ("consensus", "Consensus - Northwind Outdoor Gear - v1.xlsx"),
        ("policy", "Policy - Northwind Outdoor Gear - v1.docx"),
        ("policy", "Policy - Northwind Outdoor Gear - v1.html"),
        ("follow-up", "Follow-up report - Northwind Outdoor Gear - v1.xlsx"),
    ]
    # Six invited plus the delegate one of them sends; one refused return; one never answers.
    assert kinds.count("questionnaire_invitation") == 7
    assert kinds.count("questionnaire_rejected") == 1
    assert kinds.count("questionnaire_escalation") == 1
    reminded = [e["to"] for e in result["emails"] if e["kind"] == "questionnaire_reminder"]
    assert ["Chiara Romano <chiara.romano@northwind.example>"] in reminded
    assert ["Sara Conti <sara.conti@northwind.example>"] not in reminded
    assert all(Path(d["path"]).is_file() for d in result["deliverables"])
    timeline = {row["milestone"]: row for row in result["timeline"]}
    assert timeline["company_list_requested"]["actual"] == "2027-01-14T09:00:00+01:00"
    assert timeline["company_list_due"]["actual"] == "2027-01-25T15:40:00+01:00"
    assert timeline["peer_review_done"]["actual"] == "2027-01-25T15:40:00+01:00"
    assert timeline["workshop"]["planned"] == "2027-02-11T09:30:00+01:00"
    assert timeline["packet_delivered"]["actual"] == "2027-02-08T09:00:00+01:00"
    assert all(row["actual"] for row in result["timeline"])  # the whole engagement, start to end


def test_smpp_advance_runs_the_flow_and_reports_what_it_did(
    engagements: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from smpp.cli import app

    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(engagements))
    (engagements / "acme-foods.yaml").write_text(yaml.safe_dump(engagement_data(tmp_path / "d")))
    runner = CliRunner()
    began = datetime.now(UTC)
    kickoff = runner.invoke(app, ["advance", "acme-foods", "--now", "2027-01-04T10:00"])
    assert kickoff.exit_code == 0, kickoff.output
    assert "Nothing was due." in kickoff.output
    assert "Next due: 2027-01-14T09:00:00+01:00" in kickoff.output
    request = runner.invoke(app, ["advance", "acme-foods", "--now", "2027-01-14T09:05"])
    assert "done  Ask the client for its list of comparable companies" in request.output
    # Started by hand, tagged like the client's scheduled runs: a filter by client finds both.
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterStartTime,
        FlowRunFilterTags,
    )

    mine = FlowRunFilter(
        tags=FlowRunFilterTags(all_=["smpp", "client:acme-foods"]),
        start_time=FlowRunFilterStartTime(after_=began),  # other tests share the server
    )
    with get_client(sync_client=True) as client:
        names = sorted(run.name for run in client.read_flow_runs(flow_run_filter=mine))
    assert names == ["Acme Foods: company list requested", "Acme Foods: engagement started"]
    too_late = tmp_path / "late"
    (engagements / "late.yaml").write_text(yaml.safe_dump(engagement_data(too_late, slug="late")))
    refused = runner.invoke(app, ["advance", "late", "--now", "2027-01-27T10:00"])
    assert refused.exit_code == 2
    assert "which leaves the client 1 day (at least 7 are needed" in " ".join(
        refused.output.split()
    )


def test_the_smtp_password_is_read_from_a_prefect_secret_block() -> None:
    from prefect.blocks.system import Secret

    from smpp.models import SecretRef
    from tasks.setup import MissingSecret, read_secret

    Secret(value="s3cret-value").save("smpp-test-smtp", overwrite=True)
    assert read_secret(SecretRef(prefect_secret="smpp-test-smtp")) == "s3cret-value"
    with pytest.raises(
        MissingSecret, match="there is no Prefect Secret block 'nope' on this Prefect server"
    ):
        read_secret(SecretRef(prefect_secret="nope"))
