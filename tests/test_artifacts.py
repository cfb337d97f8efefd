"""What the Prefect UI shows of an engagement: rendered without Prefect, then published by the
advance flow, which also records its outcome and runs one at a time per engagement."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
import yaml

from smpp.artifacts import (
    artifact_key,
    current_stage,
    deliverable_links,
    engagement_artifacts,
    human_time,
    open_steps,
    progress,
    run_name,
    status_markdown,
)
from smpp.engine import advance
from smpp.events import DELIVERABLE_WRITTEN
from smpp.mailer import OutboxMailer
from smpp.models import Engagement
from smpp.setup import Setup
from smpp.state import State
from smpp.status import engagement_status
from smpp.store import Event, Store
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
ZONE = "Europe/Rome"


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        (("smpp", "acme-foods", "status"), "smpp-acme-foods-status"),
        (
            ("smpp", "Acme Foods", "deliverable", "peer-review"),
            "smpp-acme-foods-deliverable-peer-review",
        ),
        (("smpp", "a_b/c--d", ""), "smpp-a-b-c-d"),
    ],
)
def test_artifact_keys_are_lowercase_letters_digits_and_dashes(
    parts: tuple[str, ...], key: str
) -> None:
    assert artifact_key(*parts) == key


@pytest.mark.parametrize(
    ("value", "zone", "shown"),
    [
        ("2027-01-14T09:30:00+01:00", ZONE, "Thu 14 Jan 2027, 09:30 CET"),
        ("2027-06-14T07:30:00+00:00", ZONE, "Mon 14 Jun 2027, 09:30 CEST"),
        (datetime(2027, 1, 14, 8, 30, tzinfo=UTC), "Europe/London", "Thu 14 Jan 2027, 08:30 GMT"),
        ("2027-01-14T09:30:00", ZONE, "Thu 14 Jan 2027, 09:30 CET"),  # naive: local already
        (None, ZONE, ""),
    ],
)
def test_times_are_shown_in_the_engagements_zone(
    value: str | datetime | None, zone: str, shown: str
) -> None:
    assert human_time(value, zone) == shown


def row(milestone: str, actual: str | None, planned: str = "2027-02-11T09:30:00+01:00") -> dict:
    return {"milestone": milestone, "label": milestone, "planned": planned, "actual": actual}


BASE: dict[str, Any] = {"engagement": "acme-foods", "client": "Acme Foods", "started": True}
DONE = "2027-01-14T10:00:00+01:00"


@pytest.mark.parametrize(
    ("status", "stage", "percent"),
    [
        ({**BASE, "started": False, "timeline": []}, "kickoff", 0.0),
        (
            {**BASE, "now": DONE, "timeline": [row("company_list_requested", None)]},
            "company list",
            0.0,
        ),
        (
            {
                **BASE,
                "now": DONE,
                "timeline": [
                    row("company_list_requested", DONE),
                    row("company_list_due", DONE),
                    row("questionnaire_sent", None),
                    row("peer_review_done", DONE),
                ],
            },
            "questionnaire",
            75.0,
        ),
        (  # nobody records the workshop: it is reached when its moment has passed
            {
                **BASE,
                "now": "2027-02-12T09:00:00+01:00",
                "timeline": [row("peer_review_done", DONE), row("workshop", None)],
            },
            "done",
            100.0,
        ),
        (
            {
                **BASE,
                "now": DONE,
                "timeline": [row("peer_review_done", DONE), row("workshop", None)],
            },
            "workshop",
            50.0,
        ),
        (
            {**BASE, "now": DONE, "timeline": [row("packet_review", None)]},
            "packet_review",  # a milestone this module does not know: its label, in words
            0.0,
        ),
        ({**BASE, "closed": True, "timeline": [row("workshop", None)]}, "closed", 0.0),
    ],
)
def test_stage_and_progress_come_from_the_milestones_reached(
    status: dict[str, Any], stage: str, percent: float
) -> None:
    assert current_stage(status) == stage
    assert progress(status) == percent
    assert run_name(status) == f"Acme Foods: {stage}"


def started_state(tmp_path: Path, make_engagement: Any, store: Store) -> State:
    """Acme Foods after the list was requested on 14 January 2027 at 10:00 (Rome)."""
    engagement: Engagement = make_engagement()
    setup = Setup(engagement, store, OutboxMailer(tmp_path / "out"))
    advance(setup, datetime(2027, 1, 4, 10, tzinfo=ROME))
    advance(setup, datetime(2027, 1, 14, 10, tzinfo=ROME))
    return State(engagement, tuple(store.events_for(engagement.slug)))


def test_the_status_page_of_an_overdue_list(
    tmp_path: Path, make_engagement: Any, store: Store
) -> None:
    state = started_state(tmp_path, make_engagement, store)
    now = datetime(2027, 1, 30, 10, tzinfo=ROME)
    failing = [{"key": "acme-foods/company-list/escalation", "attempts": 2, "last_error": "x_y"}]
    status = engagement_status(state, now, failing)
    summaries = {"acme-foods/company-list/escalation": "Tell the account lead"}
    page = status_markdown(status, ZONE, summaries)

    assert page.startswith("# Acme Foods: company list\n")
    assert "As of Sat 30 Jan 2027, 10:00 CET (times in Europe/Rome)." in page
    assert "10% of milestones reached" in page
    assert (
        "| Company list requested | Thu 14 Jan 2027, 09:00 CET | Thu 14 Jan 2027, 10:00 CET |"
        in page
    )
    assert "| Company list due | Thu 28 Jan 2027, 23:59 CET | not yet |" in page
    assert (
        "- **Company list (at least 20 companies)** from Carl Client \\<carl@acme.example\\>, "
        "awaited since Thu 14 Jan 2027, 10:00 CET, due Thu 28 Jan 2027, 23:59 CET **OVERDUE**; "
        "reminders sent: 0; refused versions: 0"
    ) in page
    next_action = status["next_action"]["what"]  # due since before now, so shown as now
    assert f"## Next action\n\n{next_action}: Sat 30 Jan 2027, 10:00 CET.\n" in page
    assert (
        "- Tell the account lead (`acme-foods/company-list/escalation`): 2 attempt(s), "
        "last error: x\\_y"
    ) in page
    assert "**AT RISK**" not in page
    assert open_steps(status, ZONE) == [
        {
            "what": "Company list (at least 20 companies)",
            "who": "Carl Client",  # names only, times without year or zone: a narrow table
            "since": "Thu 14 Jan, 10:00",
            "due": "Thu 28 Jan, 23:59",
            "overdue": "yes",
        }
    ]


def test_sections_the_page_does_not_know_are_shown_generically() -> None:
    status = {
        **BASE,
        "now": DONE,
        "at_risk": True,
        "timeline": [row("questionnaire_sent", DONE)],
        "catering": {
            "invited": 6,
            "anonymised": False,
            "missing": [{"name": "Nina | Legal", "reminded_at": "2027-01-21T09:00:00+01:00"}],
        },
        "notes": ["first", "second"],
        "empty_section": [],
    }
    page = status_markdown(status, ZONE)
    assert "**AT RISK**: a compressed plan" in page
    assert "## Catering\n\n- Invited: 6\n- Anonymised: no\n- Missing:\n" in page
    assert (
        "| Name | Reminded at |\n|---|---|\n| Nina \\| Legal | Thu 21 Jan 2027, 09:00 CET |" in page
    )
    assert "## Notes\n\nfirst, second" in page
    assert "Empty section" not in page


def test_deliverables_link_to_the_drives_web_address_or_show_their_path(tmp_path: Path) -> None:
    drive = tmp_path / "Acme Foods"
    first = drive / "03 Peer review" / "Peer review v1.xlsx"
    second = drive / "03 Peer review" / "Peer review v2.xlsx"
    status = {
        **BASE,
        "drive": str(drive),
        "drive_url": "https://files.agency.example/clients/Acme%20Foods/",
        "deliverables": [
            {"stage": "peer-review", "path": str(first), "at": DONE},
            {"stage": "company-list", "path": "/elsewhere/list.xlsx", "at": DONE},
            {"stage": "peer-review", "path": str(second), "at": "2027-01-15T11:00:00+01:00"},
        ],
    }
    links = deliverable_links(status, ZONE)
    url = "https://files.agency.example/clients/Acme%20Foods/03%20Peer%20review/Peer%20review%20v2.xlsx"
    # A file outside the client's folder has no address: no link artifact for it.
    assert [(link.key, link.link, link.text) for link in links] == [
        ("smpp-acme-foods-deliverable-peer-review", url, "Peer review v2.xlsx"),
    ]
    assert links[0].description == "Acme Foods, peer review: written Fri 15 Jan 2027, 11:00 CET"
    content = engagement_artifacts({**status, "timeline": []}, ZONE)
    assert (content.status_key, content.progress_key, content.open_steps_key) == (
        "smpp-acme-foods-status",
        "smpp-acme-foods-progress",
        "smpp-acme-foods-open-steps",
    )
    assert f"- [Peer review v2.xlsx]({url}): peer review, written Fri 15 Jan 2027" in (
        content.markdown
    )
    assert "- list.xlsx: company list, written Thu 14 Jan 2027, 10:00 CET; on the drive at " in (
        content.markdown
    )
    # Without a web address for the drive, nothing is a link (file:// does not open from a
    # browser): the path is shown as text, and no link artifact is made.
    bare = {**status, "drive_url": None}
    assert deliverable_links(bare, ZONE) == []
    assert "](" not in status_markdown(bare, ZONE).split("## Deliverables")[1]


# --- the advance flow under Prefect --------------------------------------------------------


def write_engagement(folder: Path, drive: Path, **overrides: Any) -> None:
    data = engagement_data(drive, **overrides)
    (folder / f"{data['slug']}.yaml").write_text(yaml.safe_dump(data))


def run_artifacts(flow_run_id: UUID) -> list[Any]:
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )


def flow_run_name(flow_run_id: UUID) -> str:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return str(client.read_flow_run(flow_run_id).name)


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_an_advance_publishes_status_progress_open_steps_and_links(
    engagements: Path, tmp_path: Path, opened_store: Store
) -> None:
    from flows.advance import advance_engagement

    write_engagement(
        engagements, tmp_path / "drive", drive_url="https://files.agency.example/Acme%20Foods"
    )
    kept = tmp_path / "drive" / "01 Company list" / "Company list - Acme Foods.xlsx"
    at = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
    opened_store.append(
        Event(
            "acme-foods",
            at,
            DELIVERABLE_WRITTEN,
            None,
            {"stage": "company-list", "path": str(kept)},
        )
    )
    state = advance_engagement("acme-foods", at, str(engagements), return_state=True)
    assert state.is_completed()
    flow_run_id = state.state_details.flow_run_id
    assert flow_run_id is not None
    # Named "kickoff" when it starts; once done, the name says what it did.
    assert flow_run_name(flow_run_id) == "Acme Foods: engagement started; company list requested"

    found = {(a.key, a.type): a for a in run_artifacts(flow_run_id)}
    assert set(found) == {
        ("smpp-acme-foods-status", "markdown"),
        ("smpp-acme-foods-progress", "progress"),
        ("smpp-acme-foods-open-steps", "table"),
        ("smpp-acme-foods-deliverable-company-list", "markdown"),  # a link is markdown in 3.x
    }
    status = found[("smpp-acme-foods-status", "markdown")].data
    assert status.startswith("# Acme Foods: company list\n")
    # Kicked off at 09:30 on the day the list was to be requested: requested at once.
    requested = (
        "| Company list requested | Thu 14 Jan 2027, 09:30 CET | Thu 14 Jan 2027, 09:30 CET |"
    )
    assert requested in status
    # Created at the start (nothing reached), updated in place once the list was requested.
    assert found[("smpp-acme-foods-progress", "progress")].data == 10.0
    [steps] = [a for a in run_artifacts(flow_run_id) if a.type == "table"]
    assert '"who": "Carl Client"' in str(steps.data)
    link = found[("smpp-acme-foods-deliverable-company-list", "markdown")].data
    url = "https://files.agency.example/Acme%20Foods/01%20Company%20list/Company%20list%20-"
    assert url in link

    again = advance_engagement("acme-foods", at, str(engagements), return_state=True)
    assert again.state_details.flow_run_id is not None
    name = flow_run_name(again.state_details.flow_run_id)
    assert name == "Acme Foods: company list (nothing due)"
    record = opened_store.advance_record("acme-foods")
    assert record is not None and record.consecutive_failures == 0
    assert record.last_success is not None
    assert abs((datetime.now(UTC) - record.last_success).total_seconds()) < 120


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_failed_advance_is_recorded_and_still_fails_the_run(
    engagements: Path, tmp_path: Path, opened_store: Store, smtp_server: SmtpServer
) -> None:
    from flows.advance import advance_engagement
    from smpp.engine import AdvanceFailed

    write_engagement(engagements, tmp_path / "drive", mail=smtp_mail(smtp_server))
    smtp_server.stop()
    at = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
    for _ in range(2):
        state = advance_engagement("acme-foods", at, str(engagements), return_state=True)
        assert state.is_failed()
        with pytest.raises(AdvanceFailed):
            state.result()
    record = opened_store.advance_record("acme-foods")
    assert record is not None and record.consecutive_failures == 2
    assert record.last_success is None and record.failing_since is not None
    assert record.last_error is not None
    assert record.last_error.startswith("AdvanceFailed: 1 action(s) failed for acme-foods")
    # The status published by the failed run shows what fails.
    flow_run_id = state.state_details.flow_run_id
    assert flow_run_id is not None
    [page] = [a.data for a in run_artifacts(flow_run_id) if a.key == "smpp-acme-foods-status"]
    assert (
        "Ask the client for its list of comparable companies (`acme-foods/company-list/request`)"
        in page
    )

    smtp_server.start()
    advance_engagement("acme-foods", at, str(engagements))
    record = opened_store.advance_record("acme-foods")
    assert record is not None and (record.consecutive_failures, record.failing_since) == (0, None)


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_an_engagement_file_that_does_not_validate_is_a_recorded_failure(
    engagements: Path, tmp_path: Path, opened_store: Store
) -> None:
    from flows.advance import advance_engagement

    write_engagement(engagements, tmp_path / "drive", timezone="Mars/Olympus")
    state = advance_engagement("acme-foods", None, str(engagements), return_state=True)
    assert state.is_failed()
    assert state.state_details.flow_run_id is not None
    assert flow_run_name(state.state_details.flow_run_id) == "advance acme-foods"
    record = opened_store.advance_record("acme-foods")
    assert record is not None and record.consecutive_failures == 1
    assert "timezone: not a known time zone" in str(record.last_error)


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_two_advances_of_one_engagement_never_overlap(
    engagements: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect import get_client

    import flows.advance
    from flows.advance import advance_engagement

    write_engagement(engagements, tmp_path / "drive", slug="overlap")
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()
    real = flows.advance.advance

    def slow_advance(setup: Setup, now: datetime, run: Any, **options: Any) -> Any:
        entered = time.monotonic()
        time.sleep(1.0)  # long enough for the other run to try its luck meanwhile
        report = real(setup, now, run=run, **options)
        with lock:
            spans.append((entered, time.monotonic()))
        return report

    monkeypatch.setattr(flows.advance, "advance", slow_advance)
    at = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
    results: list[dict[str, Any]] = []

    def one_run() -> None:
        results.append(advance_engagement("overlap", at, str(engagements)))

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=120)

    (first_in, first_out), (second_in, second_out) = sorted(spans)
    assert first_out <= second_in
    assert sorted(len(r["done"]) for r in results) == [0, 1]
    with get_client(sync_client=True) as client:
        limit = client.read_global_concurrency_limit_by_name("smpp-engagement-overlap")
    assert (limit.limit, limit.active_slots) == (1, 0)


def mail(template: str) -> Event:
    return Event(
        "acme-foods",
        datetime(2027, 1, 14, 10, tzinfo=ROME),
        "mail.sent",
        None,
        {"template": template},
    )


@pytest.mark.parametrize(
    ("recorded", "failed", "name"),
    [
        ([mail("company_list_request")], 0, "Acme Foods: company list requested"),
        (
            [
                Event(
                    "acme-foods",
                    datetime(2027, 1, 20, tzinfo=ROME),
                    "company_list.judged",
                    "k",
                    {"ok": True},
                ),
                mail("company_list_accepted"),  # a reply: the acceptance already says it
                Event(
                    "acme-foods",
                    datetime(2027, 1, 20, tzinfo=ROME),
                    "peer_review.searched",
                    "s",
                    {"companies": ["a", "b", "c", "d", "e"], "found": ["a", "b", "c", "d"]},
                ),
                Event(
                    "acme-foods",
                    datetime(2027, 1, 20, tzinfo=ROME),
                    "deliverable.written",
                    "w",
                    {"stage": "peer-review", "version": 2},
                ),
            ],
            0,
            "Acme Foods: company list accepted; 4 of 5 policies found; peer review v2 written",
        ),
        (
            [mail("questionnaire_invitation")] * 6 + [mail("questionnaire_reminder")],
            1,
            "Acme Foods: questionnaire sent to 6; questionnaire reminder sent to 1; "
            "1 action failed",
        ),
        (
            [
                Event(
                    "acme-foods",
                    datetime(2027, 1, 20, tzinfo=ROME),
                    "peer_review.searched",
                    "s",
                    {"companies": ["a"], "unreachable": {"a": []}},
                )
            ],
            0,
            "Acme Foods: no company site answered",
        ),
        ([], 0, "Acme Foods: company list (nothing due)"),
        ([], 2, "Acme Foods: 2 actions failed"),
    ],
)
def test_a_finished_runs_name_says_what_it_did(
    recorded: list[Event], failed: int, name: str
) -> None:
    from smpp.artifacts import outcome_name

    status = {**BASE, "timeline": [row("company_list_due", None)]}
    assert outcome_name(status, recorded, failed) == name


def test_every_decision_is_in_the_status_with_its_date_and_author(
    tmp_path: Path, make_engagement: Any, store: Store
) -> None:
    state = started_state(tmp_path, make_engagement, store)
    at = datetime(2027, 1, 26, 10, 30, tzinfo=ROME)
    replacement = {
        "decision": "replace",
        "out": "fjellvind.example",
        "into": "everpeak.example",
        "out_name": "Fjellvind Gear",
        "into_name": "Everpeak Sports",
        "by": "Lea Lead",
    }
    store.append(Event("acme-foods", at, "decision.recorded", None, replacement))
    status = engagement_status(State(state.engagement, tuple(store.events_for("acme-foods"))), at)
    assert status["decisions"] == [
        {
            "at": "2027-01-26T10:30:00+01:00",
            "by": "Lea Lead",
            "decision": "replaced a company in the review",
            "detail": "Everpeak Sports instead of Fjellvind Gear",
        }
    ]
    assert "| Tue 26 Jan 2027, 10:30 CET | Lea Lead | replaced a company in the review |" in (
        status_markdown(status, ZONE)
    )
