"""The production path end to end: a real Prefect server, a process worker, deployment runs.

`prefect server start` (SQLite, fresh PREFECT_HOME) and `prefect worker start` run as
subprocesses on loopback; the deployments come from prefect.yaml (`prefect deploy --all`) and
from `smpp deploy`; the runs' effects are checked on the drive. About 30 s, most of it the server's
first start (its database migrations) and the worker's flow-run processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from smpp.models import engagement_to_yaml
from smpp.simulation import DEMO_SLUG, demo_engagement
from tests.conftest import engagement_data, free_port

REPO = Path(__file__).resolve().parent.parent
PREFECT = Path(sys.executable).with_name("prefect")


def loopback_usable() -> bool:
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.prefect,
    pytest.mark.skipif(
        not PREFECT.is_file() or not loopback_usable(),
        reason=f"`prefect server start` cannot run here (no {PREFECT}, or no loopback)",
    ),
]

QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        """Stop its whole process group (a worker's flow runs included): politely, then not."""
        if self.popen.poll() is not None:
            return
        for sig, grace in ((signal.SIGINT, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue


def spawn(command: list[str], env: dict[str, str], log: Path, cwd: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(popen, log)


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SMPP_"))}
    return {**env, **QUIET, "PREFECT_HOME": str(home)}


@dataclass
class Server:
    url: str
    env: dict[str, str]  # what a client of this server needs


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = {
        **base_env(folder / "home"),
        "PREFECT_SERVER_UI_ENABLED": "false",
        # No runs at the real clock's hours: the test triggers the runs it wants.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    process = spawn(
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env,
        folder / "server.log",
        folder,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.popen.poll() is not None:
                pytest.fail(f"prefect server start exited:\n{process.tail()}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the Prefect server did not answer within 90 s:\n{process.tail()}")
            time.sleep(0.25)
        yield Server(url, {"PREFECT_API_URL": url})
    finally:
        process.stop()


def wait_for_final_states(
    client: Any, run_ids: list[UUID], worker: Process, timeout: float = 60
) -> list[Any]:
    started = time.monotonic()
    finished: dict[UUID, Any] = {}
    while len(finished) < len(run_ids):
        for run_id in set(run_ids) - set(finished):
            run = client.read_flow_run(run_id)
            if run.state is not None and run.state.is_final():
                finished[run_id] = run
                print(f"\n{run.name}: {run.state.name} {time.monotonic() - started:.1f} s in")
        if time.monotonic() > started + timeout:
            pytest.fail(f"flow runs unfinished after {timeout} s; worker log:\n{worker.tail()}")
        time.sleep(0.25)
    return [finished[run_id] for run_id in run_ids]


def test_a_worker_runs_the_deployments_and_the_mail_goes_out(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from smpp.cli import app

    engagements = tmp_path / "engagements"
    engagements.mkdir()
    # The demo's engagement (Northwind, six attendees) as a client of its own, and another client.
    demo = demo_engagement(tmp_path / "northwind")
    (engagements / f"{DEMO_SLUG}.yaml").write_text(engagement_to_yaml(demo))
    other_drive = tmp_path / "beta-foods"
    data = engagement_data(other_drive, slug="beta-foods", client="Beta Foods")
    (engagements / "beta-foods.yaml").write_text(yaml.safe_dump(data))
    database = f"sqlite:///{tmp_path / 'state.db'}"

    with temporary_settings(updates={PREFECT_API_URL: server.url}):
        with get_client(sync_client=True) as client:
            client.create_work_pool(WorkPoolCreate(name="smpp", type="process"))
        worker_env = {
            **base_env(tmp_path / "worker-home"),
            **server.env,
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "SMPP_REPO": str(REPO),
            "SMPP_ENGAGEMENTS": str(engagements),
            "SMPP_DATABASE_URL": database,
            "PYTHONPATH": str(REPO),  # this checkout's code, whatever is installed
        }
        worker = spawn(
            [str(PREFECT), "worker", "start", "--pool", "smpp", "--type", "process"],
            worker_env,
            tmp_path / "worker.log",
            tmp_path,
        )
        try:
            # The deployments of prefect.yaml, as an operator makes them.
            deployed = subprocess.run(
                [str(PREFECT), "--no-prompt", "deploy", "--all"],
                env={**base_env(tmp_path / "deploy-home"), **server.env},
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert deployed.returncode == 0, deployed.stdout + deployed.stderr
            # The client's own, scheduled deployment.
            monkeypatch.setenv("SMPP_ENGAGEMENTS", str(engagements))
            mine = CliRunner().invoke(app, ["deploy", DEMO_SLUG])
            assert mine.exit_code == 0, mine.output

            with get_client(sync_client=True) as client:
                demo_deployment = client.read_deployment_by_name("smpp-demo/demo")
                assert demo_deployment.parameters == {"root": "demo-drive"}
                assert demo_deployment.work_pool_name == "smpp"
                decide = client.read_deployment_by_name("record-decision/decide")
                assert decide.entrypoint == "flows/decide.py:record_decision"
                board = client.read_deployment_by_name("engagement-board/board")
                assert [s.schedule.model_dump(include={"cron"}) for s in board.schedules] == [
                    {"cron": "20 * * * *"}
                ]
                generic = client.read_deployment_by_name("advance-engagement/advance")
                client_own = client.read_deployment_by_name(f"advance-engagement/{DEMO_SLUG}")
                [schedule] = client_own.schedules
                assert schedule.schedule.model_dump(include={"cron", "timezone"}) == {
                    "cron": "5 9-17 * * 1-5",
                    "timezone": "Europe/Rome",
                }

                # T-28 (the first milestone), once through the client's own deployment and once,
                # for another client, through prefect.yaml's: each list is requested.
                t_28 = "2027-01-14T09:30:00+01:00"
                own = client.create_flow_run_from_deployment(
                    client_own.id, parameters={"now": t_28}
                )
                other = client.create_flow_run_from_deployment(
                    generic.id, parameters={"slug": "beta-foods", "now": t_28}
                )
                runs = wait_for_final_states(client, [own.id, other.id], worker)
                assert [r.state.name for r in runs] == ["Completed", "Completed"], worker.tail()
                assert runs[0].parameters["slug"] == DEMO_SLUG
                assert "client:northwind-demo" in runs[0].tags
                assert runs[0].name == "Northwind Outdoor Gear: kickoff"
                # T-21: the demo engagement's next milestone, the questionnaire to all six.
                t_21 = "2027-01-21T09:30:00+01:00"
                again = client.create_flow_run_from_deployment(
                    client_own.id, parameters={"now": t_21}
                )
                [run] = wait_for_final_states(client, [again.id], worker)
                assert run.state.name == "Completed", worker.tail()
                assert run.name == "Northwind Outdoor Gear: company list"
        finally:
            worker.stop()

    demo_kinds = sorted(
        message_from_bytes(f.read_bytes())["X-SMPP-Kind"] for f in demo.outbox_dir.glob("*.eml")
    )
    assert demo_kinds == ["company_list_request"] + ["questionnaire_invitation"] * 6
    [sent] = (other_drive / "outbox").glob("*.eml")
    text = sent.read_text()
    assert "X-SMPP-Kind: company_list_request" in text
    assert "To: Carl Client <carl@acme.example>" in text
