"""The board across engagements and the stuck-engagement rule: pure, then the board flow."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from smpp.board import (
    Entry,
    Stuck,
    Unreadable,
    board_entry,
    board_markdown,
    board_rows,
    redact,
    stuck,
    stuck_mail,
    waits,
)
from smpp.engine import advance
from smpp.events import MAIL_SENT
from smpp.mailer import OutboxMailer
from smpp.models import load_engagement
from smpp.setup import Setup
from smpp.state import State
from smpp.store import AdvanceRecord, Store
from smpp.templating import render_email
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2027, 1, 20, 12, tzinfo=UTC)
KICKOFF = datetime(2027, 1, 10, 9, tzinfo=UTC)


def record(
    success: timedelta | None, failures: int = 0, failing: timedelta | None = None
) -> AdvanceRecord:
    """An advance record: last success and first failure given as time before NOW."""
    return AdvanceRecord(
        engagement="acme-foods",
        last_success=None if success is None else NOW - success,
        last_failure=NOW - timedelta(minutes=5) if failures else None,
        consecutive_failures=failures,
        failing_since=None if failing is None else NOW - failing,
        last_error="OSError: [Errno 2] No such file or directory: '/mnt/drive'"
        if failures
        else None,
    )


H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("advances", "kickoff", "closed", "since", "reason"),
    [
        (record(H, 3, 50 * H / 60), None, False, None, None),  # never started
        (record(H, 3, 50 * H / 60), KICKOFF, True, None, None),  # closed
        (record(H, 2, 50 * H / 60), KICKOFF, False, None, None),
        (record(23 * H), KICKOFF, False, None, None),
        (record(H, 3, 50 * H / 60), KICKOFF, False, NOW - H, "the last 3 advances failed"),
        (record(None, 4, 2 * H), KICKOFF, False, KICKOFF, "the last 4 advances failed"),
        (
            record(25 * H, 1, 2 * H),
            KICKOFF,
            False,
            NOW - 25 * H,
            "no advance has succeeded for 25 hours of business days",
        ),
        (
            record(25 * H),
            KICKOFF,
            False,
            NOW - 25 * H,
            "no advance has succeeded for 25 hours of business days and none has failed either: "
            "no advance seems to run at all",
        ),
        (
            None,
            NOW - 30 * H,
            False,
            NOW - 30 * H,
            "no advance has succeeded for 30 hours of business days and "
            "none has failed either: no advance seems to run at all",
        ),
        (None, NOW - 2 * H, False, None, None),
        (None, NOW + 300 * H, False, None, None),  # a kickoff on a simulated clock, ahead of now
    ],
)
def test_stuck_means_three_failures_in_a_row_or_a_day_without_success(
    make_engagement: Any,
    advances: AdvanceRecord | None,
    kickoff: datetime | None,
    closed: bool,
    since: datetime | None,
    reason: str | None,
) -> None:
    found = stuck(make_engagement(), advances, kickoff, closed, NOW)
    if reason is None:
        assert found is None
        return
    assert found is not None
    assert (found.since, found.reason) == (since, reason)
    assert found.key == f"acme-foods/stuck/{since.astimezone(UTC).isoformat()}"  # type: ignore[union-attr]


def test_one_episode_keeps_its_key_until_an_advance_succeeds(make_engagement: Any) -> None:
    acme = make_engagement()
    three = stuck(acme, record(2 * H, 3, H), KICKOFF, False, NOW)
    # A day later: seven failures, and the day-without-success rule applies too; same episode.
    later = stuck(acme, record(2 * H, 7, H), KICKOFF, False, NOW + 24 * H)
    assert three is not None and later is not None
    assert three.key == later.key == "acme-foods/stuck/2027-01-20T10:00:00+00:00"
    # Records are relative to NOW: this one succeeded an hour after the first episode began.
    after_success = stuck(acme, record(H, 3, H / 2), KICKOFF, False, NOW + 24 * H)
    assert after_success is not None
    assert after_success.key == "acme-foods/stuck/2027-01-20T11:00:00+00:00"


def test_a_weekend_without_advances_is_not_a_day_without_success(make_engagement: Any) -> None:
    acme = make_engagement()  # Rome; Saturday and Sunday are not business days
    friday = datetime(2027, 1, 15, 17, 5, tzinfo=ROME)
    quiet = AdvanceRecord("acme-foods", friday, None, 0, None, None)
    assert stuck(acme, quiet, KICKOFF, False, datetime(2027, 1, 18, 16, 0, tzinfo=ROME)) is None
    monday = stuck(acme, quiet, KICKOFF, False, datetime(2027, 1, 18, 17, 5, tzinfo=ROME))
    assert monday is not None and monday.reason.startswith(
        "no advance has succeeded for 24 hours of business days"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "OperationalError: postgresql://smpp:hunter2@db.internal:5432/smpp refused",
            "OperationalError: postgresql://***@db.internal:5432/smpp refused",
        ),
        (
            "SMTPAuthenticationError: (535, b'bad credentials')",
            "SMTPAuthenticationError: (535, b'bad credentials')",
        ),
        ("see https://example.org/a:b@c", "see https://example.org/a:b@c"),  # a path, no login
    ],
)
def test_errors_lose_credentials_in_urls(text: str, shown: str) -> None:
    assert redact(text) == shown


def status(
    client: str, slug: str, awaited: list[dict[str, Any]], failing: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "engagement": slug,
        "client": client,
        "now": "2027-01-20T13:00:00+01:00",
        "started": True,
        "timeline": [
            {
                "milestone": "company_list_requested",
                "label": "x",
                "planned": "2027-01-14T09:00:00+01:00",
                "actual": "2027-01-14T09:00:00+01:00",
            },
            {
                "milestone": "company_list_due",
                "label": "y",
                "planned": "2027-01-28T23:59:00+01:00",
                "actual": None,
            },
        ],
        "awaited": awaited,
        "next_action": {"what": "Remind the client", "when": "2027-01-25T09:00:00+01:00"},
        "failing": failing,
    }


@pytest.fixture
def entries(make_engagement: Any) -> list[Entry]:
    acme = make_engagement()
    london = make_engagement(client="Beta | Drinks", slug="beta-drinks", timezone="Europe/London")
    acme_status = status(
        "Acme Foods",
        "acme-foods",
        [
            {
                "what": "Company list",
                "from": ["Carl Client <carl@acme.example>"],
                "since": "2027-01-14T09:00:00+01:00",
                "due": "2027-01-28T23:59:00+01:00",
                "overdue": False,
            }
        ],
        [
            {
                "key": "acme-foods/company-list/request",
                "attempts": 3,
                "error": "OSError: drive gone\nwhile writing 01 Company list/x.xlsx\n  detail...",
            }
        ],
    )
    beta_status = status(
        "Beta | Drinks",
        "beta-drinks",
        [
            {
                "what": "Questionnaire",
                "from": "Dana <dana@beta.example>",
                "since": "2027-01-12T09:00:00+00:00",
                "due": "2027-01-19T23:59:00+00:00",
                "overdue": True,
            }
        ],
        [],
    )
    acme_record = record(30 * H, 3, 20 * H)
    acme_stuck = stuck(acme, acme_record, KICKOFF, False, NOW)
    return [
        Entry(
            acme,
            acme_status,
            acme_record,
            acme_stuck,
            {"acme-foods/company-list/request": "Ask the client for its list"},
        ),
        Entry(london, beta_status, record(H), None),
    ]


def test_open_waits_of_all_engagements_oldest_first(entries: list[Entry]) -> None:
    assert board_rows(waits(entries)) == [
        {
            "since": "Tue 12 Jan, 09:00 GMT",
            "engagement": "Beta | Drinks",
            "what": "Questionnaire",
            "who": "Dana",
            "due": "Tue 19 Jan, 23:59 GMT",
            "overdue": "yes",
            "kind": "awaited",
        },
        {
            "since": "Thu 14 Jan, 09:00 CET",
            "engagement": "Acme Foods",
            "what": "Company list",
            "who": "Carl Client",
            "due": "Thu 28 Jan, 23:59 CET",
            "overdue": "no",
            "kind": "awaited",
        },
        {
            "since": "Tue 19 Jan, 17:00 CET",  # the first failure of the run of failures
            "engagement": "Acme Foods",
            "what": "Ask the client for its list (failing: OSError: drive gone)",
            "who": "the agency (operators)",
            "due": "",
            "overdue": "no",
            "kind": "failing",
        },
    ]


def test_the_board_page(entries: list[Entry]) -> None:
    problems = [Unreadable("engagements/broken.yaml", ("timezone: not a known time zone",))]
    page = board_markdown(entries, problems, NOW, {"acme-foods": "Lea Lead was told."})
    assert page.startswith(
        "# Engagement board\n\nAs of Wed 20 Jan 2027, 12:00 UTC: 2 engagement(s), 3 open wait(s), "
        "1 stuck, 1 file(s) with problems.\n"
    )
    assert (
        "- **Acme Foods** (`acme-foods`): the last 3 advances failed; nothing has advanced "
        "since Tue 19 Jan 2027, 07:00 CET; last error: OSError: \\[Errno 2\\] No such file or "
        "directory: '/mnt/drive'. Lea Lead was told."
    ) in page
    assert (
        "| Tue 12 Jan, 09:00 GMT | Beta \\| Drinks | Questionnaire (Dana) | "
        "Tue 19 Jan, 23:59 GMT **overdue** |"
    ) in page
    assert (
        "- **Acme Foods** (`acme-foods`): company list, 50% of milestones reached; next: Remind "
        "the client (Mon 25 Jan 2027, 09:00 CET); last successful advance: Tue 19 Jan 2027, "
        "07:00 CET."
    ) in page
    assert page.endswith(
        "## Engagement files with problems\n\n"
        "- `engagements/broken.yaml`: timezone: not a known time zone\n"
    )


def test_the_stuck_mail_says_what_fails_since_when_and_what_to_check(
    entries: list[Entry], make_engagement: Any
) -> None:
    smtp = {
        "transport": "smtp",
        "smtp": {
            "host": "smtp.agency.example",
            "user": "desk",
            "password": {"prefect_secret": "smpp-smtp"},
        },
    }
    acme = entries[0]
    entry = Entry(make_engagement(mail=smtp), acme.status, acme.record, acme.stuck, acme.summaries)
    action = stuck_mail(entry)
    assert (action.key, action.template, action.to) == (
        "acme-foods/stuck/2027-01-19T06:00:00+00:00",
        "advance_stuck",
        ("Lea Lead <lea@agency.example>",),
    )
    subject, text, html = render_email(action.template, action.context)
    assert subject == "Acme Foods: the engagement is stuck (the last 3 advances failed)"
    assert text.startswith("Dear Lea,\n\nThe engagement Acme Foods (acme-foods) is not moving")
    words = " ".join(text.split())  # the plain text is wrapped at 78 columns
    assert "Last successful advance: Tue 19 Jan 2027, 07:00 CET." in words
    assert "Failed advances in a row: 3, the first on Tue 19 Jan 2027, 17:00 CET." in words
    assert "  OSError: [Errno 2] No such file or directory: '/mnt/drive'" in text
    assert "  - Ask the client for its list (3 attempts): OSError: drive gone" in text
    assert 'the runs of the advance-engagement flow named "Acme Foods: ..."' in words
    # The drive in words, never the server's path (the lead passes it on to the operators).
    assert "that the engagement's drive folder (`drive` in its engagement file) is mounted" in words
    assert str(entry.engagement.drive) not in text + html
    assert (
        "the SMTP password, read from the Prefect Secret block 'smpp-smtp' (is it set and still "
        "valid?), and that the SMTP server smtp.agency.example:587 is reachable"
    ) in " ".join(text.split())
    assert "&#39;/mnt/drive&#39;" in html and "<pre" in html


# --- the board flow under Prefect ----------------------------------------------------------


def started(folder: Path, drive: Path, store: Store, **overrides: Any) -> Setup:
    data = engagement_data(drive, **overrides)
    path = folder / f"{data['slug']}.yaml"
    path.write_text(yaml.safe_dump(data))
    setup = Setup(load_engagement(path), store, OutboxMailer(drive / "outbox"))
    advance(setup, datetime(2027, 1, 14, 9, 30, tzinfo=ROME))
    return setup


def stuck_mails(drive: Path) -> list[email.message.EmailMessage]:
    parsed = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted((drive / "outbox").glob("*.eml"))
    ]
    return [m for m in parsed if m["X-SMPP-Kind"] == "advance_stuck"]  # type: ignore[misc]


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_the_board_flow_lists_waits_and_problems_and_tells_a_stuck_lead_once(
    engagements: Path, tmp_path: Path, opened_store: Store
) -> None:
    from flows.board import engagement_board
    from tests.test_artifacts import run_artifacts

    acme = started(engagements, tmp_path / "acme", opened_store)
    started(engagements, tmp_path / "beta", opened_store, slug="beta-drinks", client="Beta Drinks")
    (engagements / "broken.yaml").write_text("client: [unclosed\n")
    now = datetime(2027, 1, 20, 10, tzinfo=ROME)
    for hours in (5, 4, 3):
        opened_store.record_advance("acme-foods", now - hours * H, ok=False, error="OSError: gone")
    opened_store.record_advance("beta-drinks", now - H, ok=True)

    first = engagement_board(str(engagements), now, return_state=True)
    again = engagement_board(str(engagements), now + H)

    assert first.is_completed()
    result = first.result()
    assert result == {
        "engagements": ["acme-foods", "beta-drinks"],
        "waits": 2,
        "stuck": ["acme-foods"],
        "problems": [str(engagements / "broken.yaml")],
    }
    assert again["stuck"] == ["acme-foods"]
    [mail] = stuck_mails(tmp_path / "acme")  # the second board found the episode told already
    assert mail["Subject"] == "Acme Foods: the engagement is stuck (the last 3 advances failed)"
    assert mail["To"] == "Lea Lead <lea@agency.example>"
    assert not stuck_mails(tmp_path / "beta")
    told = [e for e in opened_store.events_for("acme-foods") if e.kind == MAIL_SENT][-1]
    assert told.key == "acme-foods/stuck/2027-01-14T08:30:00+00:00"  # since the kickoff

    flow_run_id = first.state_details.flow_run_id
    assert flow_run_id is not None
    found = {a.key: a for a in run_artifacts(flow_run_id)}
    assert set(found) == {"smpp-board", "smpp-board-waits"}
    page = found["smpp-board"].data
    assert "the last 3 advances failed" in page and "Lea Lead was told." in page
    assert f"- `{engagements / 'broken.yaml'}`: not valid YAML" in page
    rows = found["smpp-board-waits"].data
    rows = json.loads(rows) if isinstance(rows, str) else rows
    assert [(r["engagement"], r["what"]) for r in rows] == [
        ("Acme Foods", "Company list (at least 20 companies)"),
        ("Beta Drinks", "Company list (at least 20 companies)"),
    ]
    assert acme.engagement.slug == "acme-foods"


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_lead_who_could_not_be_told_is_told_by_a_later_board(
    engagements: Path, tmp_path: Path, opened_store: Store, smtp_server: SmtpServer
) -> None:
    from flows.board import engagement_board
    from tests.test_artifacts import run_artifacts

    started(engagements, tmp_path / "acme", opened_store, mail=smtp_mail(smtp_server))
    now = datetime(2027, 1, 20, 10, tzinfo=ROME)
    for hours in (5, 4, 3):
        opened_store.record_advance("acme-foods", now - hours * H, ok=False, error="OSError: x")
    smtp_server.stop()

    failed = engagement_board(str(engagements), now, return_state=True)

    assert failed.is_failed()
    assert "the account lead of acme-foods could not be told" in str(failed.message)
    assert failed.state_details.flow_run_id is not None
    [page] = [
        a.data for a in run_artifacts(failed.state_details.flow_run_id) if a.type == "markdown"
    ]
    assert "Could not tell Lea Lead: " in page
    smtp_server.start()
    assert engagement_board(str(engagements), now + H)["stuck"] == ["acme-foods"]
    kinds = [m.message["X-SMPP-Kind"] for m in smtp_server.collector.received]
    assert kinds.count("advance_stuck") == 1


def test_a_board_entry_from_the_record(tmp_path: Path, make_engagement: Any, store: Store) -> None:
    engagement = make_engagement()
    setup = Setup(engagement, store, OutboxMailer(tmp_path / "out"))
    advance(setup, datetime(2027, 1, 14, 9, 30, tzinfo=ROME))
    state = State(engagement, tuple(store.events_for("acme-foods")))
    entry = board_entry(state, [], None, datetime(2027, 1, 16, 9, tzinfo=ROME))
    assert entry.stuck == Stuck(
        slug="acme-foods",
        since=datetime(2027, 1, 14, 9, 30, tzinfo=ROME),
        reason="no advance has succeeded for 38 hours of business days and none has failed "
        "either: "
        "no advance seems to run at all",
        consecutive_failures=0,
        failing_since=None,
        last_error=None,
    )
    assert entry.summaries["acme-foods/company-list/reminder/2027-01-25"].startswith("Remind")


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_stuck_lead_is_told_in_working_hours_not_at_night(
    engagements: Path, tmp_path: Path, opened_store: Store
) -> None:
    from flows.board import engagement_board

    started(engagements, tmp_path / "acme", opened_store)
    night = datetime(2027, 1, 19, 23, tzinfo=ROME)
    for hours in (5, 4, 3):
        opened_store.record_advance("acme-foods", night - hours * H, ok=False, error="OSError: x")

    assert engagement_board(str(engagements), night)["stuck"] == ["acme-foods"]
    assert not stuck_mails(tmp_path / "acme")
    engagement_board(str(engagements), datetime(2027, 1, 20, 9, 20, tzinfo=ROME))
    assert len(stuck_mails(tmp_path / "acme")) == 1


def test_a_closed_engagement_leaves_the_board_and_its_status_says_who_closed_it(
    tmp_path: Path, make_engagement: Any, store: Store
) -> None:
    from smpp.artifacts import status_markdown
    from smpp.decisions import close_engagement, replace_company

    engagement = make_engagement()
    setup = Setup(engagement, store, OutboxMailer(tmp_path / "out"))
    advance(setup, datetime(2027, 1, 14, 9, 30, tzinfo=ROME))
    now = datetime(2027, 1, 20, 12, tzinfo=ROME)
    state = State(engagement, tuple(store.events_for("acme-foods")))
    before = board_entry(state, [], record(H), now)
    assert [w.what for w in waits([before])] == ["Company list (at least 20 companies)"]

    with pytest.raises(Exception, match="no accepted company list yet"):
        replace_company(state, "A", "B", "Lea Lead", now)
    closed_at = datetime(2027, 1, 19, 16, 45, tzinfo=ROME)
    store.append(close_engagement(state, "The client cancelled the workshop.", "Max", closed_at))
    closed = State(engagement, tuple(store.events_for("acme-foods")))
    failing = [
        {"key": "acme-foods/company-list/reminder/2027-01-25", "attempts": 1, "last_error": "x"}
    ]
    entry = board_entry(closed, failing, record(H, failures=3), now)
    assert waits([entry]) == []  # neither its wait nor its failures stay on the board
    assert entry.stuck is None
    page = board_markdown([entry], [], now, {})
    assert (
        "Nothing is awaited." in page
        and "- **Acme Foods** (`acme-foods`): closed, 10% of milestones reached; next: nothing"
        in page
    )

    status = entry.status
    assert status["closure"] == {
        "at": "2027-01-19T16:45:00+01:00",
        "by": "Max",
        "reason": "The client cancelled the workshop.",
    }
    assert status["decisions"] == [
        {
            "at": "2027-01-19T16:45:00+01:00",
            "by": "Max",
            "decision": "closed the engagement",
            "detail": "The client cancelled the workshop.",
        }
    ]
    assert status["awaited"] == [] and status["failing"] == [] and status["next_action"] is None
    shown = status_markdown(status, "Europe/Rome")
    assert shown.startswith(
        "# Acme Foods: closed\n\n**Closed** on Tue 19 Jan 2027, 16:45 CET by Max: The client "
        "cancelled the workshop. Nothing more is planned, sent or chased.\n"
    )
    assert "## Decisions\n\n\n| At | By | Decision | Detail |" in shown
    assert "| Tue 19 Jan 2027, 16:45 CET | Max | closed the engagement |" in shown
