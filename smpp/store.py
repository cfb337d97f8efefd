"""Durable engagement state: an append-only event record, and claims so each effect happens once.

An effect (an email, a drive write, an intake) is claimed under its idempotency key before it is
performed: the key is the primary key of `effects`, so of two workers racing for it the database
lets exactly one insert win. A claim that failed, or whose worker died (its lease ran out), can be
claimed again; a confirmed one never. Confirmation and the event that records the effect are
written in one transaction. Beside the record, `advances` keeps how each engagement's last advances
went (the machinery's health, not the engagement's story), so a stuck engagement can be told.
SQLite by default; any SQLAlchemy URL (PostgreSQL) for shared work.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

DEFAULT_DATABASE_URL = "sqlite:///var/smpp.db"
_CREDENTIALS_IN_URL = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)


def redact(text: str) -> str:
    """An error message safe to store, show and mail: credentials in URLs are blanked."""
    return _CREDENTIALS_IN_URL.sub(r"\1***@", text)


# How long a claimed effect may stay unconfirmed before another worker may take it over.
DEFAULT_LEASE = timedelta(minutes=10)

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
    Column("status", String(16), nullable=False),  # claimed | done | failed
    Column("owner", String(128), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Column("last_error", Text, nullable=True),
)


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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside a writer; the busy timeout makes a second writer wait, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Any fixed number: the PostgreSQL advisory lock under which the tables are created.
_SCHEMA_LOCK = 0x534D5050  # "SMPP"


def _create_tables(engine: Engine) -> None:
    """Create the tables if missing. On PostgreSQL, two workers starting on a fresh database
    would both try (and one fail on the catalog's unique index), so creation is serialised."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
        metadata.create_all(connection)


class Store:
    def __init__(
        self,
        url: str | None = None,
        *,
        owner: str | None = None,
        wallclock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.url = url or database_url()
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self.wallclock = wallclock  # real time, for leases: unrelated to an engagement's `now`
        self.lease = lease
        self.engine: Engine = _connect(self.url)
        _create_tables(self.engine)

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

    def confirm(self, key: str, item: Event, extra: Sequence[Event] = ()) -> None:
        """Mark `key` done and record what happened (`item`, then any `extra` events without
        keys of their own), together or not at all."""
        with self._begin() as connection:
            done = connection.execute(
                update(effects)
                .where(effects.c.key == key, effects.c.owner == self.owner)
                .where(effects.c.status == "claimed")
                .values(status="done", last_error=None)
            )
            if done.rowcount != 1:
                raise RuntimeError(f"effect {key} was not held by this worker at confirmation")
            connection.execute(insert(events).values(**_event_row(item)))
            for other in extra:
                connection.execute(insert(events).values(**_event_row(other)))

    def fail(self, key: str, error: str) -> None:
        with self._begin() as connection:
            connection.execute(
                update(effects)
                .where(effects.c.key == key, effects.c.owner == self.owner)
                .values(status="failed", last_error=redact(error)[:2000])
            )

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


def _connect(url: str) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine
