"""The stage registry: each stage declares what it uses, and what it does not declare fails here or
at first use, never by falling through at run time. The demo's recorded engagement
(tests/data/demo-record.db) gives real states to plan over: every mail planned at every moment,
sent or still to come, must render under StrictUndefined, every action planned must have its
performer, and every recorded event must have the shape its kind defines."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest

from smpp import drive
from smpp.actions import SendMail
from smpp.drive import DriveError
from smpp.engine import attachment, performer_for
from smpp.events import PayloadError, check
from smpp.models import Offsets
from smpp.plan import plan
from smpp.simulation import demo_engagement
from smpp.stages import ORDER, RegistryError, check_registry, stages
from smpp.state import State
from smpp.store import Event
from smpp.templating import render_email
from smpp.timeline import build_timeline, milestones_in_order


@pytest.fixture(scope="module")
def planned_over_the_demo(
    recorded: list[Event], tmp_path_factory: pytest.TempPathFactory
) -> list[object]:
    """Every action planned (due or upcoming) at every moment of the demo's record, as the record
    grew event by event (an advance re-plans after each effect: a judged list makes a reply due)."""
    engagement = demo_engagement(tmp_path_factory.mktemp("drive"))
    actions: dict[str, object] = {}
    for count, item in enumerate(recorded):
        state = State(engagement, tuple(recorded[:count]))
        current = plan(state, item.at)
        for action in (*current.due, *current.upcoming):
            actions.setdefault(action.key, action)
    return list(actions.values())


def test_the_registry_lists_every_stage_folder_in_order() -> None:
    folders = sorted(p.name for p in (Path(__file__).parent.parent / "smpp" / "stages").iterdir())
    assert [s for s in folders if (Path("smpp/stages") / s / "stage.py").exists()] == sorted(ORDER)
    assert [stage.name for stage in stages()] == [
        "company-list",
        "questionnaire",
        "peer-review",
        "packet",
        "consensus",
        "policy",
        "follow-up",
    ]


def test_every_stage_milestone_is_planned_labelled_and_an_engagement_offset() -> None:
    offsets = set(Offsets.model_fields)
    names = [m.name for m, _ in milestones_in_order()]
    assert len(names) == len(set(names))
    for stage in stages():
        for milestone in stage.milestones:
            assert milestone.name in offsets and milestone.label and milestone.name in names
    engagement = demo_engagement(Path("/nonexistent"))
    timeline = build_timeline(engagement, datetime(2027, 1, 12, 10, tzinfo=engagement.zone))
    assert list(timeline.milestones) == names


def test_every_stage_folder_is_made_on_the_drive(tmp_path: Path) -> None:
    drive.ensure_layout(tmp_path)
    for stage in stages():
        assert drive.stage_dir(tmp_path, stage.name) == tmp_path / stage.folder
        assert (tmp_path / stage.folder).is_dir()


def test_every_mail_planned_over_the_demo_renders_with_every_variable_given(
    planned_over_the_demo: list[object],
) -> None:
    mails = [a for a in planned_over_the_demo if isinstance(a, SendMail)]
    rendered = set()
    for mail in mails:
        subject, text, html = render_email(mail.template, mail.context)  # StrictUndefined
        assert subject and text.strip() and "<html" in html.lower()
        rendered.add(mail.template)
    every = {kind for stage in stages() for kind in stage.mail_templates}
    # Planned only when something goes wrong (a stranger's file, no site answering, a list
    # that never comes): rendered under StrictUndefined by the tests named beside them.
    elsewhere = {
        "questionnaire_unknown_sender": "test_questionnaire_stage.py",
        "peer_review_unreachable": "test_peer_review_stage.py",
        "peer_review_more_companies": "test_peer_review_stage.py",
        # Approval only where an engagement asks for it; the packet's other mails come after
        # the recorded demo's end until its fixture is regenerated with the packet stage.
        "packet_approval_reminder": "test_packet_stage.py",
        "packet_approval_escalation": "test_packet_stage.py",
        "packet_draft": "test_packet_stage.py",
        "packet_delivery": "test_packet_stage.py",
        # The demo does not reach the days after the workshop yet.
        "consensus_incomplete": "test_consensus_stage.py",
        "consensus_recorded": "test_consensus_stage.py",
        "consensus_reminder": "test_consensus_stage.py",
        "policy_draft": "test_policy_stage.py",
        "policy_held": "test_policy_stage.py",
        "policy_delivered": "test_policy_stage.py",
        "follow_up_report_ready": "test_follow_up.py",
        "follow_up_item_reminder": "test_follow_up.py",
        "follow_up_item_unassigned": "test_follow_up.py",
        "follow_up_closed": "test_follow_up.py",
    }
    assert every - rendered <= set(elsewhere), every - rendered - set(elsewhere)


def test_every_action_planned_has_a_performer_and_every_attachment_a_builder(
    planned_over_the_demo: list[object], tmp_path: Path
) -> None:
    engagement = demo_engagement(tmp_path)
    types = set()
    for action in planned_over_the_demo:
        assert callable(performer_for(action))  # type: ignore[arg-type]
        types.add(type(action).__name__)
        for spec in getattr(action, "attach", ()):
            if hasattr(spec, "path"):
                # A file written earlier (packet, policy, report), on the recording's drive: it is
                # read only from inside this engagement's drive, never from anywhere else.
                with pytest.raises(DriveError, match="not inside the engagement's drive"):
                    attachment(engagement, spec, action.due)  # type: ignore[attr-defined]
                continue
            made = attachment(engagement, spec, action.due).content  # type: ignore[attr-defined]
            assert made[:2] == b"PK"
    assert {"SendMail", "WriteCompanyList", "ReviewPolicies", "WriteReview"} <= types


def test_an_action_or_attachment_nobody_declared_is_refused_not_fallen_through() -> None:
    @dataclass(frozen=True)
    class Unknown:
        key: str = "x"
        due: datetime = datetime(2027, 1, 1)
        description: str = ""

    with pytest.raises(TypeError, match="no performer"):
        performer_for(Unknown())
    with pytest.raises(TypeError, match="no stage builds"):
        attachment(demo_engagement(Path("/nonexistent")), Unknown(), datetime(2027, 1, 1))


def test_two_stages_claiming_one_action_type_or_a_template_half_there_fail_at_once(
    tmp_path: Path,
) -> None:
    first, second, *_ = stages()
    twin = replace(second, performers={**second.performers, **first.performers})
    with pytest.raises(RegistryError, match="action type"):
        check_registry((first, twin))
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "lonely.txt").write_text("{% block subject %}x{% endblock %}")
    with pytest.raises(RegistryError, match="lonely"):
        check_registry((replace(first, templates=tmp_path),))


def test_every_recorded_event_has_the_shape_its_kind_defines(recorded: list[Event]) -> None:
    for item in recorded:
        check(item.kind, item.data)
    kinds = {item.kind for item in recorded}
    assert {"company_list.judged", "questionnaire.judged", "peer_review.company"} <= kinds


def test_a_payload_short_of_its_kind_is_refused_before_it_is_recorded() -> None:
    with pytest.raises(PayloadError, match="lacks companies, company_rows, ok"):
        check("company_list.judged", {"file": "a", "received": "", "stored": "", "sha256": ""})
    with pytest.raises(PayloadError, match="unknown stage"):
        check("deliverable.written", {"stage": "nowhere", "path": "x"})
    with pytest.raises(PayloadError, match="unknown event kind"):
        check("made.up", {})
