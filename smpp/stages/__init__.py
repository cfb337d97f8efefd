"""The engagement's stages, in the order of the method. Adding a stage: its folder under
smpp/stages/ with a `stage.py` declaring `STAGE` (see anatomy.py), and one line here.

Imported on first use rather than at import time, because the stages build on the shared
machinery (models, state, timeline) that in turn asks the registry what the stages are.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smpp.stages.anatomy import Stage

ORDER = (
    "company_list",
    "questionnaire",
    "peer_review",
    "packet",
    "consensus",
    "policy",
    "follow_up",
)


@cache
def stages() -> tuple[Stage, ...]:
    found = tuple(import_module(f"smpp.stages.{name}.stage").STAGE for name in ORDER)
    check_registry(found)
    return found


def by_name(name: str) -> Stage:
    for stage in stages():
        if stage.name == name:
            return stage
    raise KeyError(f"no stage is named {name!r}")


class RegistryError(RuntimeError):
    """Two stages claim the same thing, or a stage declares something that is not there."""


def check_registry(found: tuple[Stage, ...]) -> None:
    """What would otherwise fall through silently at run time fails here, on first use: an
    action type or form claimed twice, a template a stage lists without its file."""
    seen: dict[object, str] = {}

    def claim(thing: object, stage: Stage, what: str) -> None:
        if thing in seen:
            raise RegistryError(f"{what} {thing!r} is declared by {seen[thing]} and {stage.name}")
        seen[thing] = stage.name

    for stage in found:
        claim(("name", stage.name), stage, "stage name")
        if not stage.shares_folder:
            claim(("folder", stage.folder), stage, "drive folder")
        for action_type in stage.performers:
            claim(action_type, stage, "action type")
        for spec in stage.attachments:
            claim(spec, stage, "attachment")
        for form in stage.forms:
            claim(("form", form.marker), stage, "form marker")
        for milestone in stage.milestones:
            claim(("milestone", milestone.name), stage, "milestone")
        for kind in stage.mail_templates:
            claim(("template", kind), stage, "email template")
            if not (stage.templates / "email" / f"{kind}.html").is_file():
                raise RegistryError(f"{stage.name}: template {kind}.txt has no {kind}.html")
