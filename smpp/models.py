"""The engagement definition: what an account lead writes in `engagements/<slug>.yaml`.

Validated at the door so that everything after can trust it; an invalid file gives one message
per problem, naming the field, the value found and what is expected.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from smpp.questionnaire import QuestionChanges, questions_for

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


class EngagementError(ValueError):
    """A definition that cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}:\n" + "\n".join(f"  - {p}" for p in problems))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Strict):
    name: str = Field(min_length=1)
    email: EmailStr


class Attendee(Person):
    role: str = ""
    attending: bool = True


class SecretRef(Strict):
    """Where a secret lives, never the secret itself: a Prefect Secret block or an env variable."""

    prefect_secret: str | None = None
    env: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.prefect_secret is None) == (self.env is None):
            raise ValueError("give exactly one of 'prefect_secret' (a block name) or 'env'")
        return self

    def describe(self) -> str:
        if self.prefect_secret is not None:
            return f"Prefect Secret block '{self.prefect_secret}'"
        return f"environment variable {self.env}"


class SmtpSettings(Strict):
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str | None = None
    password: SecretRef | None = None
    timeout_seconds: float = Field(default=30, gt=0)

    @model_validator(mode="after")
    def _login_needs_password(self) -> SmtpSettings:
        if self.user is not None and self.password is None:
            raise ValueError("'user' is set but 'password' is not: name a Prefect Secret or env")
        return self


class MailSettings(Strict):
    sender: Person = Person(name="SMPP desk", email="smpp@agency.example")
    transport: Literal["outbox", "smtp"] = "outbox"
    # The embedded default: each message becomes an .eml file here (relative: to the drive root).
    outbox: Path = Path("outbox")
    smtp: SmtpSettings | None = None

    @model_validator(mode="after")
    def _smtp_needs_settings(self) -> MailSettings:
        if self.transport == "smtp" and self.smtp is None:
            raise ValueError("transport is 'smtp' but no 'smtp' settings are given")
        return self


class Offsets(Strict):
    """Days relative to the workshop (T); negative is before. DESIGN.md section 2 defaults."""

    company_list_requested: int = -28
    company_list_due: int = -14
    company_list_reminders: tuple[int, ...] = (-18, -16, -14)
    company_list_escalation: int = -13
    questionnaire_sent: int = -21
    questionnaire_due: int = -7
    # Reminders go only to invited people who have not answered by then.
    questionnaire_reminders: tuple[int, ...] = (-14, -10, -7)
    questionnaire_escalation: int = -6
    peer_review_done: int = -5
    packet_delivered: int = -3
    consensus_recorded: int = 3
    final_policy: int = 10
    follow_up_report: int = 14
    # The client must have at least this many days between our request and the list's due date.
    company_list_min_notice_days: int = Field(default=7, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Offsets:
        if not self.company_list_requested < self.company_list_due < 0:
            raise ValueError("company_list_requested must come before company_list_due, before T")
        if self.company_list_escalation <= self.company_list_due:
            raise ValueError("company_list_escalation must fall after company_list_due")
        if not self.questionnaire_sent < self.questionnaire_due < 0:
            raise ValueError("questionnaire_sent must come before questionnaire_due, before T")
        if self.questionnaire_escalation <= self.questionnaire_due:
            raise ValueError("questionnaire_escalation must fall after questionnaire_due")
        if any(
            not self.questionnaire_sent < r <= self.questionnaire_due
            for r in self.questionnaire_reminders
        ):
            raise ValueError("questionnaire_reminders must fall after questionnaire_sent, by due")
        return self


class WorkingHours(Strict):
    start: time = time(9, 0)
    end: time = time(17, 30)
    # ISO weekday numbers (Monday = 1) on which people are written to.
    days: tuple[int, ...] = (1, 2, 3, 4, 5)

    @model_validator(mode="after")
    def _sane(self) -> WorkingHours:
        if self.start >= self.end:
            raise ValueError(
                "working hours must start before they end (for a day that ends at midnight, "
                "write 23:59)"
            )
        if not self.days or any(d < 1 or d > 7 for d in self.days):
            raise ValueError("days must be ISO weekday numbers 1 (Monday) to 7 (Sunday)")
        return self


class Engagement(Strict):
    client: str = Field(min_length=1, max_length=200)
    slug: str = Field(pattern=SLUG_PATTERN)
    workshop: datetime  # local wall time in `timezone`, without offset
    timezone: str = "Europe/London"
    # The client's country, ISO 3166 alpha-2 (IT): the peer review says whether the law each red
    # flag rests on applies there. Unset: the review says it could not tell.
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    account_lead: Person
    client_contacts: tuple[Person, ...] = Field(min_length=1)
    attendees: tuple[Attendee, ...] = ()
    # The client's folder on the shared drive; relative paths are relative to the definition file.
    drive: Path
    # The same folder as people open it in a browser (SharePoint, a file server's web view...):
    # deliverables are linked from the Prefect UI under it. Unset: paths are shown as text.
    drive_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$", max_length=500)
    timeline: Offsets = Offsets()
    working_hours: WorkingHours = WorkingHours()
    holidays: tuple[date, ...] = ()
    # The method asks the client for at least 20 comparable companies.
    min_companies: int = Field(default=20, ge=5, le=200)
    # How a client contact returns a file: they never see our drive's paths, only this sentence.
    return_instructions: str = (
        "Please save the workbook and put it in the Inbox folder of the shared folder we set up "
        "with you."
    )
    # Set when the account lead accepts a kickoff too late for the two-week rule.
    compressed: bool = False
    mail: MailSettings = MailSettings()
    # Rewordings and additions to the method's five questions (smpp/questions.yaml).
    questions: QuestionChanges = QuestionChanges()
    # The questionnaire summary names nobody when set (roles stay): for candid answers.
    anonymise_answers: bool = False

    @field_validator("questions")
    @classmethod
    def _questions_apply(cls, value: QuestionChanges) -> QuestionChanges:
        questions_for(value)  # refuses a change that names nothing, with the id at fault
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known time zone; use an IANA name like 'Europe/Rome'") from None
        return value

    @field_validator("workshop")
    @classmethod
    def _wall_time(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError("give the local time without an offset; 'timezone' says where")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def workshop_at(self) -> datetime:
        return self.workshop.replace(tzinfo=self.zone)

    @property
    def outbox_dir(self) -> Path:
        return self.drive / self.mail.outbox


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:63] or "engagement"


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(file)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return f"{where}: missing; this field is required"
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown field (check the spelling)"
    found = error.get("input")
    shown = repr(found)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"{where}: {message} (found {shown})"


def parse_engagement(data: object, source: str, base_dir: Path) -> Engagement:
    """Validate already-parsed YAML; a relative drive is resolved against `base_dir`."""
    if not isinstance(data, dict):
        raise EngagementError(source, ["the file must be a YAML mapping of fields to values"])
    try:
        engagement = Engagement.model_validate(data)
    except ValidationError as exc:
        raise EngagementError(source, [_describe(dict(e)) for e in exc.errors()]) from None
    if not engagement.drive.is_absolute():
        engagement = engagement.model_copy(update={"drive": (base_dir / engagement.drive)})
    return engagement


def load_engagement(path: Path) -> Engagement:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EngagementError(str(path), ["no such engagement file"]) from None
    except UnicodeDecodeError:
        raise EngagementError(str(path), ["not a text file in UTF-8; save it as UTF-8"]) from None
    except OSError as exc:
        raise EngagementError(str(path), [f"cannot be read: {exc.strerror}"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EngagementError(str(path), [f"not valid YAML: {exc}"]) from None
    engagement = parse_engagement(data, str(path), path.parent.resolve())
    if engagement.slug != path.stem:
        raise EngagementError(
            str(path), [f"slug: '{engagement.slug}' must match the file name '{path.stem}.yaml'"]
        )
    return engagement


def engagement_to_yaml(engagement: Engagement) -> str:
    """The definition as YAML, defaults left out so the file stays short and readable."""
    data = engagement.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("timezone", engagement.timezone)
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
