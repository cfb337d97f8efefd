"""The event record and the effect claims, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from smpp.store import AdvanceRecord, Event, Store

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_reachable() -> bool:
    try:
        with create_engine(POSTGRES_URL).connect() as connection:
            connection.execute(text("select 1"))
        return True
    except OperationalError:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.db'}"
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    return POSTGRES_URL


@pytest.fixture
def slug() -> str:
    # PostgreSQL is shared between test runs: every test works on its own engagement.
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def opened(url: str) -> Iterator[Store]:
    store = Store(url, owner="one")
    yield store
    store.close()


NOW = datetime(2027, 1, 14, 9, tzinfo=UTC)


def test_a_key_is_claimed_once_and_confirmed_with_its_event(opened: Store, slug: str) -> None:
    key = f"{slug}/mail"
    assert opened.claim(slug, key)
    assert not opened.claim(slug, key)  # held: the same worker does not get it twice either
    opened.confirm(key, Event(slug, NOW, "mail.sent", key, {"to": ["a@b.example"]}))
    assert not opened.claim(slug, key)
    [recorded] = opened.events_for(slug)
    assert (recorded.kind, recorded.key, recorded.data, recorded.at) == (
        "mail.sent",
        key,
        {"to": ["a@b.example"]},
        NOW,
    )


def test_a_failed_effect_can_be_claimed_again(opened: Store, slug: str) -> None:
    key = f"{slug}/mail"
    assert opened.claim(slug, key)
    opened.fail(key, "SMTPServerDisconnected: down")
    assert opened.failed_effects(slug)[0]["last_error"] == "SMTPServerDisconnected: down"
    assert opened.claim(slug, key)
    assert opened.effect_status(key)["attempts"] == 2  # type: ignore[index]


def test_a_claim_whose_worker_died_is_taken_over_after_its_lease(url: str, slug: str) -> None:
    clock = [NOW]
    first = Store(url, owner="first", wallclock=lambda: clock[0], lease=timedelta(minutes=10))
    second = Store(url, owner="second", wallclock=lambda: clock[0])
    key = f"{slug}/write"
    assert first.claim(slug, key)
    assert not second.claim(slug, key)
    clock[0] = NOW + timedelta(minutes=11)
    assert second.claim(slug, key)
    # The worker that lost its lease cannot confirm over the new holder.
    with pytest.raises(RuntimeError, match="not held by this worker"):
        first.confirm(key, Event(slug, NOW, "x", key))
    second.confirm(key, Event(slug, NOW, "x", key))
    assert [e.key for e in first.events_for(slug)] == [key]
    first.close()
    second.close()


def _race(url: str, slug: str, owner: str, keys: int, results: multiprocessing.Queue) -> None:
    store = Store(url, owner=owner)
    won = []
    for number in range(keys):
        key = f"{slug}/k{number}"
        if store.claim(slug, key):
            store.confirm(key, Event(slug, NOW, "effect", key))
            won.append(key)
    store.close()
    results.put(won)


def test_two_processes_racing_for_the_same_keys_each_key_is_won_once(url: str, slug: str) -> None:
    Store(url).close()  # create the tables before the race
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = context.Queue()
    workers = [
        context.Process(target=_race, args=(url, slug, f"w{n}", 100, results)) for n in range(2)
    ]
    for worker in workers:
        worker.start()
    won = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    all_won = won[0] + won[1]
    assert sorted(all_won) == sorted(f"{slug}/k{n}" for n in range(100))
    store = Store(url)
    assert len(store.events_for(slug)) == 100
    store.close()


def test_advances_count_failures_in_a_row_and_a_success_clears_them(
    opened: Store, slug: str
) -> None:
    hour = timedelta(hours=1)
    assert opened.advance_record(slug) is None
    opened.record_advance(slug, NOW, ok=True)
    opened.record_advance(slug, NOW + hour, ok=False, error="SMTPServerDisconnected: down")
    opened.record_advance(slug, NOW + 2 * hour, ok=False, error="OSError: drive gone")
    assert opened.advance_record(slug) == AdvanceRecord(
        engagement=slug,
        last_success=NOW,
        last_failure=NOW + 2 * hour,
        consecutive_failures=2,
        failing_since=NOW + hour,  # the first failure of the run
        last_error="OSError: drive gone",
    )
    opened.record_advance(slug, NOW + 3 * hour, ok=True)
    assert opened.advance_record(slug) == AdvanceRecord(
        engagement=slug,
        last_success=NOW + 3 * hour,
        last_failure=NOW + 2 * hour,  # kept: when it last went wrong, and how
        consecutive_failures=0,
        failing_since=None,
        last_error="OSError: drive gone",
    )


def test_a_first_advance_that_fails_starts_the_record(opened: Store, slug: str) -> None:
    opened.record_advance(slug, NOW, ok=False, error="x" * 3000)
    record = opened.advance_record(slug)
    assert record is not None
    assert (record.last_success, record.consecutive_failures, record.failing_since) == (
        None,
        1,
        NOW,
    )
    assert record.last_error == "x" * 2000
    assert opened.advance_record(f"{slug}-other") is None


def test_a_stored_error_never_keeps_credentials(store: Store) -> None:
    assert store.claim("acme", "acme/k")
    store.fail("acme/k", "ConnectError: https://bob:s3cret@smtp.example/ refused")
    [failed] = store.failed_effects("acme")
    assert failed["last_error"] == "ConnectError: https://***@smtp.example/ refused"


def test_a_message_being_sent_is_never_taken_over_and_in_doubt_once_its_lease_is_out(
    url: str, slug: str
) -> None:
    clock = [NOW]
    first = Store(url, owner="first", wallclock=lambda: clock[0])
    second = Store(url, owner="second", wallclock=lambda: clock[0])
    key = f"{slug}/mail"
    detail = {"subject": "Your list", "to": ["c@acme.example"], "attempted_at": NOW.isoformat()}
    assert first.claim(slug, key)
    first.sending(key, "<abc@agency.example>", detail)
    clock[0] = NOW + timedelta(minutes=11)
    assert not second.claim(slug, key)  # the first may have handed it over: never again by itself
    assert second.expire_sendings(slug) == [key]
    assert second.expire_sendings(slug) == []
    [held] = second.in_doubt_effects(slug)
    assert (held["status"], held["message_id"], held["detail"]) == (
        "in_doubt",
        "<abc@agency.example>",
        detail,
    )
    assert not second.claim(slug, key)
    # The lead: it did not arrive. Released, it can be claimed (and sent) again.
    decision = Event(slug, NOW, "decision.recorded", None, {"decision": "resend", "key": key})
    assert second.resolve_in_doubt(key, decision)
    assert not second.resolve_in_doubt(key, decision)  # decided already
    assert second.claim(slug, key)
    assert second.effect_status(key)["attempts"] == 2  # type: ignore[index]
    first.close()
    second.close()


def test_a_message_the_lead_says_arrived_is_done_with_its_event(opened: Store, slug: str) -> None:
    key = f"{slug}/mail"
    assert opened.claim(slug, key)
    opened.sending(key, "<abc@agency.example>", {"attempted_at": NOW.isoformat()})
    assert opened.mark_in_doubt(key, "SMTP server hung up")
    decision = Event(slug, NOW, "decision.recorded", None, {"decision": "delivered", "key": key})
    sent = Event(slug, NOW, "mail.sent", key, {"where": "confirmed delivered by Lea Lead"})
    assert opened.resolve_in_doubt(key, decision, sent)
    assert opened.effect_status(key)["status"] == "done"  # type: ignore[index]
    assert [(e.kind, e.key) for e in opened.events_for(slug)] == [
        ("decision.recorded", None),
        ("mail.sent", key),
    ]


def test_a_confirm_is_retried_while_the_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    pauses: list[float] = []
    holder = sqlite3.connect(path, isolation_level=None)

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            holder.execute("ROLLBACK")  # the other program lets go during the second pause

    store = Store(
        f"sqlite:///{path}",
        busy_timeout=timedelta(milliseconds=50),
        retry_pauses=(0.1, 0.5, 2.0),
        sleep=pause,
    )
    assert store.claim("acme", "acme/mail")
    holder.execute("BEGIN EXCLUSIVE")
    store.confirm("acme/mail", Event("acme", NOW, "mail.sent", "acme/mail"))
    assert pauses == [0.1, 0.5]
    assert store.effect_status("acme/mail")["status"] == "done"  # type: ignore[index]
    # Locked throughout: after the last attempt the error is raised and the claim stays.
    assert store.claim("acme", "acme/other")
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(OperationalError, match="database is locked"):
        store.confirm("acme/other", Event("acme", NOW, "mail.sent", "acme/other"))
    holder.execute("ROLLBACK")
    assert store.effect_status("acme/other")["status"] == "claimed"  # type: ignore[index]
    holder.close()
    store.close()


OLD_EFFECTS = """CREATE TABLE effects (
    key VARCHAR(255) NOT NULL PRIMARY KEY,
    engagement VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL,
    owner VARCHAR(128) NOT NULL,
    attempts INTEGER NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error TEXT
)"""


@pytest.fixture
def old_database(url: str, slug: str) -> Iterator[str]:
    """A database with the effects table as the first release made it, one claim in it."""
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        # A schema of its own: the shared database's tables are the current ones.
        engine.dispose()
        schema = slug.replace("-", "_")
        with create_engine(POSTGRES_URL).begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(OLD_EFFECTS))
        connection.execute(
            text(
                "INSERT INTO effects VALUES "
                "(:key, :slug, 'failed', 'old', 1, :lease, 'SMTPServerDisconnected: down')"
            ),
            {"key": f"{slug}/mail", "slug": slug, "lease": NOW},
        )
    engine.dispose()
    yield url
    if url.startswith(POSTGRES_URL + "?"):
        with create_engine(POSTGRES_URL).begin() as connection:
            connection.execute(text(f"DROP SCHEMA {slug.replace('-', '_')} CASCADE"))


def test_an_existing_database_gets_the_new_columns_and_keeps_its_claims(
    old_database: str, slug: str
) -> None:
    store = Store(old_database, owner="new")
    key = f"{slug}/mail"
    assert store.failed_effects(slug)[0]["last_error"] == "SMTPServerDisconnected: down"
    assert store.claim(slug, key)
    store.sending(key, "<abc@agency.example>", {"attempted_at": NOW.isoformat()})
    assert store.effect_status(key)["message_id"] == "<abc@agency.example>"  # type: ignore[index]
    store.close()
    Store(old_database).close()  # opening it again changes nothing
