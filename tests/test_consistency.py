"""Consistency: docs cover every command, layers import one way, every flow is deployed, and every
stage declares all it uses (templates, milestones, folders, performers)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from smpp.cli import app, template_app
from smpp.models import Offsets
from smpp.templating import template_folders

REPO = Path(__file__).resolve().parent.parent


def command_names() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    names += [f"template {c.name}" for c in template_app.registered_commands]
    return names


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_documented_in_the_readme(name: str) -> None:
    assert f"smpp {name}" in (REPO / "README.md").read_text()


def imports_of(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


CORE = sorted((REPO / "smpp").rglob("*.py"))


def test_the_core_includes_the_stages() -> None:
    assert any("stages" in p.parts for p in CORE) and len(CORE) > 40


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(REPO / "smpp")))
def test_the_domain_package_never_imports_prefect_or_the_layers_above(path: Path) -> None:
    # The CLI sits above the flows and imports them only inside the commands that run one.
    top_level_only = path.name == "cli.py"
    assert not imports_of(path, top_level_only) & {"prefect", "flows", "tasks"}


@pytest.mark.parametrize("path", sorted((REPO / "tasks").glob("*.py")), ids=lambda p: p.name)
def test_tasks_never_import_flows(path: Path) -> None:
    assert "flows" not in imports_of(path, top_level_only=False)


def test_every_flow_has_a_deployment() -> None:
    flows = set()
    for path in (REPO / "flows").glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") == "flow"
                for d in node.decorator_list
            ):
                flows.add(f"flows/{path.name}:{node.name}")
    deployed = {
        d["entrypoint"] for d in yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]
    }
    assert flows and flows <= deployed


@pytest.mark.parametrize("folder", template_folders(), ids=lambda p: p.parent.name)
def test_every_email_has_a_text_and_an_html_template(folder: Path) -> None:
    texts = {p.stem for p in (folder / "email").glob("*.txt")}
    htmls = {p.stem for p in (folder / "email").glob("*.html")} - {"base"}
    assert texts and texts == htmls


def test_every_email_template_a_stage_names_is_in_that_stage() -> None:
    for path in (REPO / "smpp" / "stages").rglob("*.py"):
        stage = path.relative_to(REPO / "smpp" / "stages").parts[0]
        named = set(re.findall(rf'"({stage}_[a-z_]+)"', path.read_text()))
        folder = REPO / "smpp" / "stages" / stage / "templates" / "email"
        kinds = {p.stem for p in folder.glob("*.txt")}
        assert named - set(Offsets.model_fields) <= kinds, path


def test_the_shipped_taxonomy_is_the_shared_one() -> None:
    shared = REPO.parent / "shared" / "taxonomy.json"
    if not shared.is_file():
        pytest.skip("the shared folder is not beside this checkout")
    shipped = REPO / "smpp" / "taxonomy.json"
    assert shipped.read_bytes() == shared.read_bytes()


def test_the_readme_installs_with_the_pip_that_ci_uses() -> None:
    pins = {
        name: re.findall(r"pip==([0-9.]+)", (REPO / name).read_text())
        for name in ("README.md", ".ci/run")
    }
    assert pins["README.md"] and pins["README.md"][:1] == pins[".ci/run"][:1]
