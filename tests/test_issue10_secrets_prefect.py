"""Issue 10, "Secrets", through Prefect: the SMTP password read from a Prefect Secret block by the
advance flow is found in no flow-run log, no artifact (status, open steps, progress, links, the
board), no run or task-run state message, whether the login succeeds or is refused.
(tests/test_secrets.py covers the engine's own record, mail, drive and logs, with an env: ref.)"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.conftest import SMTP_PASSWORD, SMTP_USER, AuthSmtpServer, engagement_data

ROME = ZoneInfo("Europe/Rome")
BLOCK = "smpp-issue10-smtp-password"
WRONG_BLOCK = "smpp-issue10-wrong-password"


def smtp(server: AuthSmtpServer, block: str) -> dict[str, Any]:
    return {
        "sender": {"name": "SMPP desk", "email": "smpp@agency.example"},
        "transport": "smtp",
        "smtp": {
            "host": server.host,
            "port": server.port,
            "security": "none",
            "user": SMTP_USER,
            "password": {"prefect_secret": block},
            "timeout_seconds": 5,
        },
    }


def everything_prefect_kept(run_ids: list[Any]) -> dict[str, str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=run_ids)))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=run_ids))
        )
        board = client.read_artifacts(limit=50)  # the board's artifacts belong to its own run
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=run_ids))
        )
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=run_ids))
        )
    return {
        "logs": "\n".join(log.message for log in logs),
        "artifacts": json.dumps([a.model_dump(mode="json") for a in [*artifacts, *board]]),
        "flow runs": json.dumps([r.model_dump(mode="json") for r in runs]),
        "task runs": json.dumps([t.model_dump(mode="json") for t in task_runs]),
    }


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_the_password_of_a_secret_block_is_in_nothing_prefect_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, auth_smtp_server: AuthSmtpServer
) -> None:
    from prefect.blocks.system import Secret

    from flows.advance import advance_engagement
    from flows.board import engagement_board

    wrong = "WRONG-" + SMTP_PASSWORD
    Secret(value=SMTP_PASSWORD).save(BLOCK, overwrite=True)  # type: ignore[arg-type]
    Secret(value=wrong).save(WRONG_BLOCK, overwrite=True)  # type: ignore[arg-type]
    folder = tmp_path / "engagements"
    folder.mkdir()
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(folder))
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    for slug, client, block in (
        ("acme-foods", "Acme Foods", BLOCK),
        ("beta-foods", "Beta Foods", WRONG_BLOCK),
    ):
        mail = smtp(auth_smtp_server, block)
        data = engagement_data(tmp_path / slug, slug=slug, client=client, mail=mail, attendees=[])
        (folder / f"{slug}.yaml").write_text(yaml.safe_dump(data))

    kickoff = datetime(2027, 1, 4, 10, tzinfo=ROME)
    request = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
    ids = []
    for slug in ("acme-foods", "beta-foods"):
        for moment in (kickoff, request):
            state = advance_engagement(slug, moment, str(folder), return_state=True)
            ids.append(state.state_details.flow_run_id)
            if slug == "beta-foods" and moment == request:
                assert state.is_failed()  # the login refused
                assert "refused the login (535)" in str(state.message)
            else:
                assert state.is_completed(), state.message
    # The board on the real clock (the runs above were on a simulated one: nobody is stuck).
    board = engagement_board(str(folder), return_state=True)
    assert board.is_completed(), board.message
    ids.append(board.state_details.flow_run_id)

    [sent] = auth_smtp_server.collector.received  # acme's request, through AUTH
    assert sent.message["X-SMPP-Kind"] == "company_list_request"
    assert auth_smtp_server.logins.accepted >= 1 and auth_smtp_server.logins.refused >= 1
    kept = everything_prefect_kept(ids)
    assert "SMTPAuthenticationError" in kept["artifacts"]  # the failure is shown, in words
    assert [where for where, text in kept.items() if SMTP_PASSWORD in text] == []
