"""Issue 9, point 2: README's production commands are the ones tests/test_server.py runs. The
nginx site is read from README by that test itself; this one ties README's shell blocks to the
commands and settings the server test uses, so that neither can change without the other."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
SERVER_TEST = Path(__file__).resolve().parent / "test_server.py"


def production_commands() -> list[list[str]]:
    """The commands of README's 'Production set-up' shell blocks, comments left out."""
    section = README.read_text().split("### Production set-up", 1)[1].split("\n### ", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                commands.append(shlex.split(line))
    return commands


def test_readmes_production_commands_are_the_ones_the_server_test_runs() -> None:
    commands = production_commands()
    exported = {c[1].split("=", 1)[0] for c in commands if c[0] == "export"}
    run = [" ".join(c).removeprefix(".venv/bin/") for c in commands if c[0] != "export"]
    # What tests/test_server.py starts, as README writes it.
    assert "prefect server start --host 127.0.0.1 --port 4200" in run
    assert "prefect work-pool create smpp --type process" in run
    assert "prefect worker start --pool smpp" in run
    assert "prefect config set PREFECT_API_URL=http://prefect.internal/api" in run
    assert {"PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_UI_API_URL"} <= exported
    assert {"SMPP_REPO", "SMPP_DATABASE_URL", "SMPP_ENGAGEMENTS"} <= exported
    server_test = SERVER_TEST.read_text()
    for used in (
        '"server", "start", "--host", "127.0.0.1", "--port"',
        '"work-pool", "create", "smpp", "--type", "process"',
        '"worker", "start", "--pool", "smpp"',
        '"PREFECT_API_DATABASE_CONNECTION_URL": database',
        '"PREFECT_UI_API_URL": public',
        "postgresql+asyncpg://",
        '"SMPP_REPO"',
        '"SMPP_DATABASE_URL"',
        '"SMPP_ENGAGEMENTS"',
        '"deploy", "--all"',
    ):
        assert used in server_test, used
    # The UI check README gives, and the server test makes.
    assert "http://prefect.internal/ui-settings" in README.read_text()
    assert '"/ui-settings"' in server_test and 'settings["api_url"]' in server_test
