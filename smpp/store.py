"""Durable engagement state: an append-only event record, and claims so each effect happens once.

An effect (an email, a drive write, an intake) is claimed under its idempotency key before it is
performed: the key is the primary key of `effects`, so of two workers racing for it the database
lets exactly one insert win. A claim that failed, or whose worker died (its lease ran out), can be
claimed again; a confirmed one never. Confirmation and the event that records the effect are
written in one transaction, retried on a passing database error.

An SMTP message cannot be taken back, so its claim goes one step further: it is marked `sending`
(with its Message-ID and what the record would say) just before the message is handed to the
server. A `sending` claim is never taken over: if its worker died before confirming, nobody can
know whether the message went out, so once its lease runs out it is `in_doubt` and stays held
until the account lead decides (`resolve_in_doubt`: send it again, or count it as sent).

    claimed -> done | failed            (failed -> claimed again; claimed, lease out -> claimed)
    claimed -> sending -> done | failed | in_doubt (lease out, or the server dropped mid-message)
    in_doubt -> failed (the lead: send again) | done (the lead: it arrived)

Beside the record, `advances` keeps how each engagement's last advances went (the machinery's
health, not the engagement's story), so a stuck engagement can be told. SQLite by default; any
SQLAlchemy URL (PostgreSQL) for shared work.
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

T = TypeVar("T")
DEFAULT_DATABASE_URL = "sqlite:///var/smpp.db"
_CREDENTIALS_IN_URL = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)


def redact(text: str) -> str:
    """An error message safe to store, show and mail: credentials in URLs are blanked."""
    return _CREDENTIALS_IN_URL.sub(r"\1***@", text)


class LostClaim(RuntimeError):
    """This worker no longer holds an effect it claimed: its lease ran out and another took it."""


# How long a claimed effect may stay unconfirmed before another worker may take it over.
DEFAULT_LEASE = timedelta(minutes=10)
# How long SQLite waits for another writer before "database is locked".
DEFAULT_BUSY_TIMEOUT = timedelta(seconds=30)
# Pauses between attempts at recording an effect already performed (a locked database, a dropped
# connection): the effect must not be redone because its record failed once.
DEFAULT_RETRY_PAUSES = (0.2, 1.0, 3.0)

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("engagement", String(64), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("key", String(255), nullable=True, unique=True),
    Column("data", JSON, nullable=False),
)

effects = Table(
    "effects",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("engagement", String(64), nullable=False, index=True),
    # claimed | sending | done | failed | in_doubt (see the module docstring)
    Column("status", String(16), nullable=False),
    Column("owner", String(128), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Column("last_error", Text, nullable=True),
    # A message being sent: its Message-ID, and what its event would record (plus when it was
    # attempted), so the account lead can be told exactly which message is in doubt.
    Column("message_id", String(255), nullable=True),
    Column("detail", JSON, nullable=True),
)
# Columns added after the first release: added to an existing database when it is opened.
_ADDED_COLUMNS = {"effects": {"message_id": "VARCHAR(255)", "detail": "JSON"}}


# How each engagement's advances went: one row per engagement, updated after every advance.
advances = Table(
    "advances",
    metadata,
    Column("engagement", String(64), primary_key=True),
    Column("last_success", DateTime(timezone=True), nullable=True),
    Column("last_failure", DateTime(timezone=True), nullable=True),
    Column("consecutive_failures", Integer, nullable=False),
    # The first failure of the current run of failures; cleared by a success.
    Column("failing_since", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
)


@dataclass(frozen=True)
class AdvanceRecord:
    engagement: str
    last_success: datetime | None
    last_failure: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Event:
    engagement: str
    at: datetime
    kind: str
    key: str | None
    data: dict[str, Any] = field(default_factory=dict)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def database_url() -> str:
    return os.environ.get("SMPP_DATABASE_URL", DEFAULT_DATABASE_URL)


def _sqlite_pragmas(busy_timeout: timedelta) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers run beside a writer; the busy timeout makes a second writer wait.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout.total_seconds() * 1000)}")
        cursor.close()

    return on_connect


# Any fixed number: the PostgreSQL advisory lock under which the tables are created.
_SCHEMA_LOCK = 0x534D5050  # "SMPP"


def _create_tables(engine: Engine) -> None:
    """Create the tables if missing, and add the columns a database made by an earlier version
    lacks. On PostgreSQL, two workers starting on a fresh database would both try (and one fail
    on the catalog's unique index), so this is serialised."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
        metadata.create_all(connection)
        for table, columns in _ADDED_COLUMNS.items():
            present = {column["name"] for column in inspect(connection).get_columns(table)}
            for name, sql_type in columns.items():
                if name not in present:
                    _add_column(connection, table, name, sql_type)


def _add_column(connection: Connection, table: str, name: str, sql_type: str) -> None:
    try:
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
    except OperationalError as exc:
        # SQLite has no advisory lock: a worker opening the same old file at the same moment
        # may have added it first.
        if "duplicate column" not in str(exc).lower():
            raise


class Store:
    def __init__(
        self,
        url: str | None = None,
        *,
        owner: str | None = None,
        wallclock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lease: timedelta = DEFAULT_LEASE,
        busy_timeout: timedelta = DEFAULT_BUSY_TIMEOUT,
        retry_pauses: Sequence[float] = DEFAULT_RETRY_PAUSES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url or database_url()
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self.wallclock = wallclock  # real time, for leases: unrelated to an engagement's `now`
        self.lease = lease
        self.retry_pauses = tuple(retry_pauses)
        self.sleep = sleep
        self.engine: Engine = _connect(self.url, busy_timeout)
        try:
            _create_tables(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def events_for(self, engagement: str) -> list[Event]:
        query = select(events).where(events.c.engagement == engagement).order_by(events.c.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            Event(row["engagement"], _utc(row["at"]), row["kind"], row["key"], dict(row["data"]))
            for row in rows
        ]

    def append(self, item: Event) -> None:
        with self._begin() as connection:
            connection.execute(insert(events).values(**_event_row(item)))

    def claim(self, engagement: str, key: str) -> bool:
        """True if this worker now holds `key` and must perform the effect; False otherwise."""
        now = self.wallclock()
        lease_until = now + self.lease
        try:
            with self._begin() as connection:
                connection.execute(
                    insert(effects).values(
                        key=key,
                        engagement=engagement,
                        status="claimed",
                        owner=self.owner,
                        attempts=1,
                        lease_until=lease_until,
                    )
                )
            return True
        except IntegrityError:
            pass
        takeover = (
            update(effects)
            .where(effects.c.key == key)
            .where(
                or_(
                    effects.c.status == "failed",
                    (effects.c.status == "claimed") & (effects.c.lease_until < now),
                )
            )
            .values(
                status="claimed",
                owner=self.owner,
                attempts=effects.c.attempts + 1,
                lease_until=lease_until,
            )
        )
        with self._begin() as connection:
            return connection.execute(takeover).rowcount == 1

    def sending(self, key: str, message_id: str, detail: dict[str, Any]) -> None:
        """Mark a claimed message as being handed to the mail server now. From here on it is
        never taken over: a worker that dies before confirming leaves it in doubt."""
        moment = self.wallclock()
        with self._begin() as connection:
            marked = connection.execute(
                update(effects)
                .where(effects.c.key == key, effects.c.owner == self.owner)
                .where(effects.c.status == "claimed")
                .values(
                    status="sending",
                    message_id=message_id,
                    detail=detail,
                    lease_until=moment + self.lease,
                )
            )
        if marked.rowcount != 1:
            raise LostClaim(f"effect {key} was not held by this worker when sending")

    def confirm(self, key: str, item: Event, extra: Sequence[Event] = ()) -> None:
        """Mark `key` done and record what happened (`item`, then any `extra` events without
        keys of their own), together or not at all. The effect has happened already, so a
        passing database error (locked, connection dropped) is retried, not reported at once."""
        self._retrying(lambda: self._confirm_once(key, item, extra))

    def _confirm_once(self, key: str, item: Event, extra: Sequence[Event]) -> None:
        with self._begin() as connection:
            done = connection.execute(
                update(effects)
                .where(effects.c.key == key, effects.c.owner == self.owner)
                # in_doubt too: a worker that outlived its lease knows its message went out.
                .where(effects.c.status.in_(("claimed", "sending", "in_doubt")))
                .values(status="done", last_error=None)
            )
            if done.rowcount == 1:
                connection.execute(insert(events).values(**_event_row(item)))
                for other in extra:
                    connection.execute(insert(events).values(**_event_row(other)))
                return
        if self._confirmed_earlier(key):
            return  # an earlier attempt committed, but its answer was lost with the connection
        raise LostClaim(f"effect {key} was not held by this worker at confirmation")

    def _confirmed_earlier(self, key: str) -> bool:
        with self.engine.connect() as connection:
            row = connection.execute(select(effects).where(effects.c.key == key)).mappings().first()
            recorded = connection.execute(select(events.c.id).where(events.c.key == key)).first()
        return (
            row is not None
            and row["status"] == "done"
            and row["owner"] == self.owner
            and recorded is not None
        )

    def fail(self, key: str, error: str) -> None:
        """Note that the effect did not happen; it may be claimed again."""

        def once() -> None:
            with self._begin() as connection:
                connection.execute(
                    update(effects)
                    .where(effects.c.key == key, effects.c.owner == self.owner)
                    .where(effects.c.status.in_(("claimed", "sending")))
                    .values(status="failed", last_error=redact(error)[:2000])
                )

        self._retrying(once)

    def mark_in_doubt(self, key: str, error: str) -> bool:
        """A message this worker was sending may or may not have reached the server (the
        connection dropped while it was handed over): hold it for the account lead. False if
        it was not being sent (nothing to hold)."""

        def once() -> bool:
            with self._begin() as connection:
                result = connection.execute(
                    update(effects)
                    .where(effects.c.key == key, effects.c.owner == self.owner)
                    .where(effects.c.status == "sending")
                    .values(status="in_doubt", last_error=redact(error)[:2000])
                )
            return result.rowcount == 1

        return self._retrying(once)

    def expire_sendings(self, engagement: str) -> list[str]:
        """Messages whose worker stopped between handing them over and confirming (their lease
        ran out): from now on in doubt. Returns their keys."""
        now = self.wallclock()
        stale = (
            (effects.c.engagement == engagement)
            & (effects.c.status == "sending")
            & (effects.c.lease_until < now)
        )
        with self._begin() as connection:
            keys = [row[0] for row in connection.execute(select(effects.c.key).where(stale))]
            if keys:
                connection.execute(
                    update(effects)
                    .where(stale, effects.c.key.in_(keys))
                    .values(
                        status="in_doubt",
                        last_error="the worker stopped after handing the message to the mail "
                        "server and before recording it",
                    )
                )
        return keys

    def in_doubt_effects(self, engagement: str) -> list[dict[str, Any]]:
        """The messages held because nobody can know whether they went out, oldest first."""
        query = (
            select(effects)
            .where(effects.c.engagement == engagement, effects.c.status == "in_doubt")
            .order_by(effects.c.key)
        )
        with self.engine.connect() as connection:
            rows = [dict(row) for row in connection.execute(query).mappings().all()]
        return sorted(rows, key=lambda row: str((row["detail"] or {}).get("attempted_at", "")))

    def resolve_in_doubt(self, key: str, decision: Event, sent: Event | None = None) -> bool:
        """The account lead's decision on a message in doubt, recorded with it in one
        transaction: with `sent` (its event) it counts as sent; without, it is released to be
        sent again. False if `key` is not (or no longer) in doubt."""
        with self._begin() as connection:
            changed = connection.execute(
                update(effects)
                .where(effects.c.key == key, effects.c.status == "in_doubt")
                .values(
                    status="done" if sent is not None else "failed",
                    last_error=None if sent is not None else "released by the account lead",
                )
            )
            if changed.rowcount != 1:
                return False
            connection.execute(insert(events).values(**_event_row(decision)))
            if sent is not None:
                connection.execute(insert(events).values(**_event_row(sent)))
        return True

    def _retrying(self, attempt: Callable[[], T]) -> T:
        for pause in self.retry_pauses:
            try:
                return attempt()
            except OperationalError:
                self.sleep(pause)
        return attempt()

    def effect_status(self, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(effects).where(effects.c.key == key)).mappings().first()
        return dict(row) if row is not None else None

    def failed_effects(self, engagement: str) -> list[dict[str, Any]]:
        query = select(effects).where(
            effects.c.engagement == engagement, effects.c.status == "failed"
        )
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings().all()]

    def record_advance(
        self, engagement: str, at: datetime, ok: bool, error: str | None = None
    ) -> None:
        """Note how an advance of `engagement` ended at `at` (real time): a success clears the
        run of failures; a failure adds to it and keeps when it began."""
        moment = _utc(at)
        first: dict[str, Any] = {"engagement": engagement}
        if ok:
            changes: dict[str, Any] = {
                "last_success": moment,
                "consecutive_failures": 0,
                "failing_since": None,
            }
            first.update(changes)
        else:
            message = redact(error or "unknown error")[:2000]
            changes = {
                "last_failure": moment,
                "consecutive_failures": advances.c.consecutive_failures + 1,
                "failing_since": func.coalesce(advances.c.failing_since, moment),
                "last_error": message,
            }
            first.update(
                last_failure=moment,
                consecutive_failures=1,
                failing_since=moment,
                last_error=message,
            )
        change = update(advances).where(advances.c.engagement == engagement).values(**changes)
        with self._begin() as connection:
            if connection.execute(change).rowcount == 1:
                return
        try:
            with self._begin() as connection:
                connection.execute(insert(advances).values(**first))
        except IntegrityError:  # another worker wrote the first row meanwhile
            with self._begin() as connection:
                connection.execute(change)

    def advance_record(self, engagement: str) -> AdvanceRecord | None:
        query = select(advances).where(advances.c.engagement == engagement)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return AdvanceRecord(
            engagement=row["engagement"],
            last_success=_utc_or_none(row["last_success"]),
            last_failure=_utc_or_none(row["last_failure"]),
            consecutive_failures=int(row["consecutive_failures"]),
            failing_since=_utc_or_none(row["failing_since"]),
            last_error=row["last_error"],
        )


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _event_row(item: Event) -> dict[str, Any]:
    return {
        "engagement": item.engagement,
        "at": _utc(item.at),
        "kind": item.kind,
        "key": item.key,
        "data": item.data,
    }


def _connect(url: str, busy_timeout: timedelta = DEFAULT_BUSY_TIMEOUT) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout))
    return engine
