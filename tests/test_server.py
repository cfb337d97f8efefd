"""The production path end to end: a real Prefect server with its services on, process workers,
deployment runs, schedules that fire, and the UI as README sets it up.

`prefect server start` (its own PostgreSQL database, or SQLite where none runs; a fresh
PREFECT_HOME; every service on: scheduler, late runs, cancellation cleanup, foreman...) and
`prefect worker start` run as subprocesses on loopback; the
deployments come from prefect.yaml (`prefect deploy --all`) and from `smpp deploy`; the runs'
effects are checked on the drive, and the server's log is read for tracebacks. About two minutes,
most of it the server's first start and waiting for the scheduler's minute to come round.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from smpp.models import engagement_to_yaml
from smpp.simulation import DEMO_SLUG, demo_engagement
from tests.conftest import engagement_data, free_port

REPO = Path(__file__).resolve().parent.parent
PREFECT = Path(sys.executable).with_name("prefect")
README = REPO / "README.md"


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

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self) -> str:
        return self.text()[-3000:]

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


def wait_until_healthy(url: str, process: Process, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.popen.poll() is not None:
            pytest.fail(f"the process exited:\n{process.tail()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within {seconds:g} s:\n{process.tail()}")
        time.sleep(0.25)


def tracebacks(text: str) -> list[str]:
    """Each traceback in a log, with the line that says what it was."""
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "Traceback (most recent call last)" in line:
            found.append("\n".join(lines[index : index + 40]))
    return found


@dataclass
class Server:
    url: str  # the API as workers and the CLI reach it
    ui_api_url: str  # the API as a browser reaches it (PREFECT_UI_API_URL): through the proxy
    proxy_port: int  # where README's reverse proxy listens, when a test starts it
    port: int
    process: Process
    env: dict[str, str]  # what a client of this server needs

    def assert_no_tracebacks(self) -> None:
        found = tracebacks(self.process.text())
        assert not found, "the Prefect server logged tracebacks:\n\n" + "\n\n".join(found)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Prefect server as README's production set-up starts it, with every service running and
    the UI told its API's public address (README's reverse proxy, started by the test that needs
    it); the scheduler looks every 2 s instead of every 60 s, so a test sees its runs quickly."""
    folder = tmp_path_factory.mktemp("prefect-server")
    port, proxy_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}/api"
    public = f"http://127.0.0.1:{proxy_port}/api"
    with prefect_database(folder) as database:
        env = {
            **base_env(folder / "home"),
            "PREFECT_API_DATABASE_CONNECTION_URL": database,
            # README: the API address as the browser reaches it, else the UI cannot find its API.
            "PREFECT_UI_API_URL": public,
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        }
        process = spawn(
            [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env,
            folder / "server.log",
            folder,
        )
        try:
            wait_until_healthy(url, process)
            yield Server(url, public, proxy_port, port, process, {"PREFECT_API_URL": url})
        finally:
            process.stop()


POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def prefect_database(folder: Path) -> Iterator[str]:
    """The server's database as README's production set-up has it: a PostgreSQL database of its
    own (dropped afterwards), or a SQLite file where no PostgreSQL server runs. (On SQLite, a
    busy machine makes Prefect's own services log 'database is locked' tracebacks.)"""
    import psycopg

    name = f"smpp_prefect_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        yield f"sqlite+aiosqlite:///{folder / 'prefect.db'}"
        return
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_env(server: Server, home: Path, engagements: Path, database: str) -> dict[str, str]:
    return {
        **base_env(home),
        **server.env,
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "SMPP_REPO": str(REPO),
        "SMPP_ENGAGEMENTS": str(engagements),
        "SMPP_DATABASE_URL": database,
        "PYTHONPATH": str(REPO),  # this checkout's code, whatever is installed
    }


def start_worker(server: Server, folder: Path, engagements: Path, database: str) -> Process:
    env = worker_env(server, folder / "worker-home", engagements, database)
    return spawn(
        [str(PREFECT), "worker", "start", "--pool", "smpp", "--type", "process"],
        env,
        folder / "worker.log",
        folder,
    )


def create_pool(server: Server, folder: Path) -> None:
    """As README says: `prefect work-pool create smpp --type process` (once per server)."""
    created = subprocess.run(
        [str(PREFECT), "work-pool", "create", "smpp", "--type", "process"],
        env={**base_env(folder / "pool-home"), **server.env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = created.stdout + created.stderr
    assert created.returncode == 0 or "already exists" in output, output


def wait_for_final_states(
    client: Any, run_ids: list[UUID], worker: Process, timeout: float = 240
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


def deployment_runs(client: Any, deployment_id: UUID) -> list[Any]:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    return list(
        client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
        )
    )


def run_logs(client: Any, run_id: UUID) -> str:
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return "\n".join(log.message for log in logs)


def test_a_clients_deployment_is_scheduled_in_its_working_hours_and_time_zone(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from smpp.cli import app

    create_pool(server, tmp_path)
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    workshop = (datetime.now(UTC) + timedelta(days=40)).replace(tzinfo=None, microsecond=0)
    data = engagement_data(
        tmp_path / "delta",
        slug="delta-foods",
        client="Delta Foods",
        workshop=workshop.isoformat(),
        timezone="America/New_York",
    )
    (engagements / "delta-foods.yaml").write_text(yaml.safe_dump(data))
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(engagements))
    with temporary_settings(updates={PREFECT_API_URL: server.url}):
        deployed = CliRunner().invoke(app, ["deploy", "delta-foods"])
        assert deployed.exit_code == 0, deployed.output
        assert "'5 9-17 * * 1-5' (America/New_York)" in " ".join(deployed.output.split())
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment_by_name("advance-engagement/delta-foods")
            assert "timezone:America/New_York" in deployment.tags
            assert "America/New_York" in (deployment.description or "")
            deadline = time.monotonic() + 30
            while len(scheduled := deployment_runs(client, deployment.id)) < 3:
                if time.monotonic() > deadline:
                    made = len(scheduled)
                    pytest.fail(f"the scheduler made {made} runs:\n{server.process.tail()}")
                time.sleep(0.5)
            zone = ZoneInfo("America/New_York")
            for run in scheduled:
                assert run.auto_scheduled, run.name
                assert run.state.name == "Scheduled"
                local = run.expected_start_time.astimezone(zone)
                assert local.isoweekday() <= 5, local
                assert (9 <= local.hour <= 17, local.minute) == (True, 5), local
                assert "client:delta-foods" in run.tags
            paused = CliRunner().invoke(app, ["deploy", "delta-foods", "--pause"])
            assert paused.exit_code == 0, paused.output
            # Pausing takes back the runs planned for later; nothing more is scheduled.
            assert [r for r in deployment_runs(client, deployment.id) if r.auto_scheduled] == []
    server.assert_no_tracebacks()


def test_a_run_the_scheduler_made_sends_the_reminder_that_was_due(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The product's promise: nobody starts a run by hand, and the reminder still goes out."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from smpp.cli import app
    from smpp.engine import advance
    from smpp.mailer import build_mailer
    from smpp.models import parse_engagement
    from smpp.setup import Setup
    from smpp.store import Store
    from tasks.setup import read_secret

    create_pool(server, tmp_path)
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    database = f"sqlite:///{tmp_path / 'state.db'}"
    # The real clock decides here: the workshop 17 days ahead, so T-18's reminder is overdue.
    real_now = datetime.now(UTC).replace(microsecond=0)
    workshop = (real_now + timedelta(days=17)).replace(tzinfo=None)
    data = engagement_data(
        tmp_path / "gamma",
        slug="gamma-foods",
        client="Gamma Foods",
        workshop=workshop.isoformat(),
        timezone="UTC",
        working_hours={"start": "00:00", "end": "23:59", "days": [1, 2, 3, 4, 5, 6, 7]},
        attendees=[],
    )
    (engagements / "gamma-foods.yaml").write_text(yaml.safe_dump(data))
    engagement = parse_engagement(data, "test", engagements)
    # Kicked off eleven days ago (T-28): the list was requested then.
    store = Store(database)
    try:
        mailer = build_mailer(engagement.mail, engagement.drive, read_secret)
        advance(Setup(engagement, store, mailer), real_now - timedelta(days=11))
    finally:
        store.close()
    outbox = engagement.outbox_dir

    def kinds() -> list[str]:
        return sorted(
            str(message_from_bytes(f.read_bytes())["X-SMPP-Kind"]) for f in outbox.glob("*.eml")
        )

    assert kinds() == ["company_list_request"]
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(engagements))
    worker = start_worker(server, tmp_path, engagements, database)
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.url}):
            # The same code path as `smpp deploy`, with a schedule that fires every minute.
            deployed = CliRunner().invoke(app, ["deploy", "gamma-foods", "--cron", "* * * * *"])
            assert deployed.exit_code == 0, deployed.output
            with get_client(sync_client=True) as client:
                deployment = client.read_deployment_by_name("advance-engagement/gamma-foods")
                deadline = time.monotonic() + 150
                while True:
                    runs = deployment_runs(client, deployment.id)
                    done = [r for r in runs if r.state is not None and r.state.is_final()]
                    if done:
                        break
                    if time.monotonic() > deadline:
                        pytest.fail(
                            f"no scheduled run finished: {[r.state.name for r in runs]}\n"
                            f"worker:\n{worker.tail()}\nserver:\n{server.process.tail()}"
                        )
                    time.sleep(0.5)
                [run] = done[:1]
                assert run.auto_scheduled, "a run the scheduler made, not one started by hand"
                assert run.state.name == "Completed", worker.tail()
                assert "client:gamma-foods" in run.tags
                assert run.name == "Gamma Foods: company list reminder sent"
                assert not tracebacks(run_logs(client, run.id))
            paused = CliRunner().invoke(app, ["deploy", "gamma-foods", "--pause"])
            assert paused.exit_code == 0, paused.output
    finally:
        worker.stop()
    assert kinds() == ["company_list_reminder", "company_list_request"]
    server.assert_no_tracebacks()


def test_a_worker_runs_the_deployments_and_the_mail_goes_out(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from smpp.cli import app

    create_pool(server, tmp_path)
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    # The demo's engagement (Northwind, six attendees) as a client of its own, and another client.
    demo = demo_engagement(tmp_path / "northwind")
    (engagements / f"{DEMO_SLUG}.yaml").write_text(engagement_to_yaml(demo))
    other_drive = tmp_path / "beta-foods"
    data = engagement_data(other_drive, slug="beta-foods", client="Beta Foods")
    (engagements / "beta-foods.yaml").write_text(yaml.safe_dump(data))
    database = f"sqlite:///{tmp_path / 'state.db'}"

    worker = start_worker(server, tmp_path, engagements, database)
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.url}):
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
            # The client's own deployment, on a schedule that does not fire while this test runs
            # (its runs here are started by hand, at simulated moments).
            monkeypatch.setenv("SMPP_ENGAGEMENTS", str(engagements))
            mine = CliRunner().invoke(app, ["deploy", DEMO_SLUG, "--cron", "0 3 29 2 *"])
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
                # The hourly board is really scheduled (it never was under SQLAlchemy 2.1).
                deadline = time.monotonic() + 30
                while not deployment_runs(client, board.id):
                    if time.monotonic() > deadline:
                        pytest.fail(f"the board was never scheduled:\n{server.process.tail()}")
                    time.sleep(0.5)
                generic = client.read_deployment_by_name("advance-engagement/advance")
                client_own = client.read_deployment_by_name(f"advance-engagement/{DEMO_SLUG}")

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
                assert (
                    runs[0].name
                    == "Northwind Outdoor Gear: engagement started; company list requested"
                )
                assert runs[1].name == "Beta Foods: engagement started; company list requested"
                # T-21: the demo engagement's next milestone, the questionnaire to all six.
                t_21 = "2027-01-21T09:30:00+01:00"
                again = client.create_flow_run_from_deployment(
                    client_own.id, parameters={"now": t_21}
                )
                [run] = wait_for_final_states(client, [again.id], worker)
                assert run.state.name == "Completed", worker.tail()
                assert run.name == "Northwind Outdoor Gear: questionnaire sent to 6"
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
    server.assert_no_tracebacks()


def test_the_ui_loads_and_knows_where_its_api_is(server: Server) -> None:
    """README's PREFECT_UI_API_URL reaches the browser: the UI's settings name that API."""
    page = httpx.get(server.url.removesuffix("/api") + "/", timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert '<div id="app"' in page.text
    settings = httpx.get(server.url.removesuffix("/api") + "/ui-settings", timeout=10).json()
    assert settings["api_url"] == server.ui_api_url


def readme_block(language: str) -> str:
    """The one fenced block of `language` in README (its commands are what this test runs)."""
    blocks = re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1, f"README should hold one ```{language} block"
    return str(blocks[0])


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_behind_readmes_reverse_proxy_the_ui_and_the_api_answer(
    server: Server, tmp_path: Path
) -> None:
    """README's nginx site, on loopback, in front of the server: the page, the UI's settings
    (which name the proxy's address as the API), the API and the events websocket, all reached
    through the proxy."""
    public = server.ui_api_url.removesuffix("/api")
    site = readme_block("nginx")
    assert "listen 80;" in site and "127.0.0.1:4200" in site
    site = site.replace("listen 80;", f"listen 127.0.0.1:{server.proxy_port};")
    site = site.replace("127.0.0.1:4200", f"127.0.0.1:{server.port}")
    site = re.sub(r"server_name [^;]+;", "server_name 127.0.0.1;", site)
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        "events {}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path};\n"
        f" proxy_temp_path {tmp_path};\n"
        f"{site}\n}}\n"
    )
    assert NGINX is not None
    nginx = spawn(
        [NGINX, "-c", str(config), "-g", "daemon off;"],
        base_env(tmp_path),
        tmp_path / "nginx.log",
        tmp_path,
    )
    try:
        wait_until_healthy(server.ui_api_url, nginx, seconds=20)
        page = httpx.get(f"{public}/", timeout=10)
        assert page.status_code == 200 and '<div id="app"' in page.text
        settings = httpx.get(f"{public}/ui-settings", timeout=10).json()
        assert settings["api_url"] == server.ui_api_url
        assert httpx.get(f"{server.ui_api_url}/version", timeout=10).status_code == 200
        # The UI and workers keep a websocket open to /api/events/in and /api/events/out.
        with socket.create_connection(("127.0.0.1", server.proxy_port), timeout=10) as raw:
            raw.sendall(
                b"GET /api/events/out HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                b"Sec-WebSocket-Version: 13\r\n\r\n"
            )
            assert raw.recv(200).startswith(b"HTTP/1.1 101"), "the websocket was not upgraded"
    finally:
        nginx.stop()
    server.assert_no_tracebacks()
