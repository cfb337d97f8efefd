"""The engagement definition: what an account lead writes in `engagements/<slug>.yaml`.

Validated at the door so that everything after can trust it; an invalid file gives one message
per problem, naming the field, the value found and what is expected. The file itself is not
trusted either: a link, a special file, YAML anchors and aliases (a few hundred bytes can expand
to gigabytes), duplicate keys and content that is not an engagement at all are refused before
anything is built, and no message ever shows the value of a secret-like field or the content of
a file that is not an engagement.
"""

from __future__ import annotations

import os
import re
import reprlib
import stat
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from smpp.stages.questionnaire.questions import QuestionChanges, questions_for

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
# An engagement file is a few kilobytes; anything much larger is not one.
MAX_ENGAGEMENT_FILE_BYTES = 1_000_000
# Workshops fall within these years; outside them date arithmetic overflows (year 1, year 9999).
FIRST_WORKSHOP_YEAR = 2000
LAST_WORKSHOP_YEAR = 2199
# Timeline offsets are days from the workshop; a year either way is more than any plan needs.
MAX_OFFSET_DAYS = 366
# Field names whose values are never shown in a message, whatever they hold.
_SECRET_LIKE = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api_?key|(^|_)key$|credential|auth", re.IGNORECASE
)
# A web address with a user name or password in it ("https://user:pw@host/...").
_CREDENTIALS_IN_URL = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s]*@", re.IGNORECASE)


def _holds_credentials(value: object) -> bool:
    return isinstance(value, str) and bool(_CREDENTIALS_IN_URL.match(value))


PLAINTEXT_SECRET = (
    "write where the password is kept, never the password itself: "
    "{env: SMPP_SMTP_PASSWORD} (an environment variable) or "
    "{prefect_secret: smpp-smtp-password} (a Prefect Secret block)"
)


class EngagementError(ValueError):
    """A definition that cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}:\n" + "\n".join(f"  - {p}" for p in problems))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_line(value: str) -> str:
    """Names go into mail headers, file names and terminals: a line break or another control
    character in one would break every advance after, so it is refused here."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise ValueError(
            "contains a line break, tab or another control character; write it on one line"
        )
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]


# Words before a name that are not what a person is called by ("Dr Anna Ricci" is not "Dear Dr,").
_TITLES = frozenset(
    "dr dr. prof prof. mr mr. mrs mrs. ms ms. mx mx. sir dame dott. dott dott.ssa ing. ing avv. "
    "herr frau mme mme. m. sig. sig.ra".split()
)


class Person(Strict):
    name: OneLine = Field(min_length=1, max_length=200)
    email: EmailStr
    # How mails greet them ("Giulia", "Dr Rossi"); unset: the first word of the name.
    greet_as: OneLine | None = Field(default=None, min_length=1, max_length=100)

    @property
    def first_name(self) -> str:
        """What "Dear ...," says: `greet_as`, else the first word of the name (the whole name
        when that word is a title)."""
        if self.greet_as:
            return self.greet_as.strip()
        words = self.name.split()
        if not words:
            return self.name
        return self.name.strip() if words[0].casefold() in _TITLES else words[0]


class Attendee(Person):
    role: OneLine = Field(default="", max_length=200)
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

    @field_validator("password", mode="before")
    @classmethod
    def _reference_only(cls, value: object) -> object:
        if value is not None and not isinstance(value, dict | SecretRef):
            raise ValueError(PLAINTEXT_SECRET)
        return value

    @model_validator(mode="after")
    def _login_needs_password(self) -> SmtpSettings:
        if self.user is not None and self.password is None:
            raise ValueError("'user' is set but 'password' is not: name a Prefect Secret or env")
        return self


# A signature is a few short lines: it closes every mail as written, so it must fit the 78
# columns of a plain-text mail.
MAX_SIGNATURE_LINES = 8
MAX_SIGNATURE_WIDTH = 78


def _signature_text(value: str) -> str:
    """Lines of plain text, each within a plain-text mail's width; no tab or control character
    (a line break separates the lines)."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").strip("\n").split("\n")]
    for number, line in enumerate(lines, 1):
        if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in line):
            raise ValueError(
                f"line {number} holds a tab or another control character; write plain text"
            )
        if len(line) > MAX_SIGNATURE_WIDTH:
            raise ValueError(
                f"line {number} is {len(line)} characters long; a signature line must fit "
                f"{MAX_SIGNATURE_WIDTH} (a plain-text mail's width): break it in two"
            )
    if not any(line.strip() for line in lines):
        raise ValueError("is empty; leave 'signature' out for the default (the sender's name)")
    if len(lines) > MAX_SIGNATURE_LINES:
        raise ValueError(
            f"has {len(lines)} lines; a signature has at most {MAX_SIGNATURE_LINES} "
            "(the agency's name, a web address, a telephone number...)"
        )
    return "\n".join(lines)


class MailSettings(Strict):
    # The From of every mail: its display name is how people see the agency in their inbox.
    sender: Person = Person(name="SMPP desk", email="smpp@agency.example")
    # Closes every mail, under the name of whoever signs it; several lines of plain text (the
    # agency's name, its address or telephone...). Unset: the sender's display name.
    signature: Annotated[str, AfterValidator(_signature_text)] | None = Field(
        default=None, max_length=1000
    )
    transport: Literal["outbox", "smtp"] = "outbox"
    # The embedded default: each message becomes an .eml file here (relative: to the drive root).
    outbox: Path = Path("outbox")
    smtp: SmtpSettings | None = None

    @field_validator("outbox")
    @classmethod
    def _outbox_inside_drive(cls, value: Path) -> Path:
        if not value.is_absolute() and ".." in value.parts:
            raise ValueError(
                "a relative outbox is a folder inside the drive folder and cannot climb out "
                "of it with '..'; give an absolute path for an outbox elsewhere"
            )
        return value

    @property
    def signature_lines(self) -> tuple[str, ...]:
        """The signature as it closes a mail, line by line."""
        if self.signature is None:
            return (self.sender.name,)
        return tuple(self.signature.split("\n"))

    @model_validator(mode="after")
    def _smtp_needs_settings(self) -> MailSettings:
        if self.transport == "smtp" and self.smtp is None:
            raise ValueError("transport is 'smtp' but no 'smtp' settings are given")
        return self


class ScenarioSettings(Strict):
    """The figures of the workshop's opening scenario (smpp/scenario.yaml by default)."""

    # Another scenario file instead of the package's (relative: to the definition file).
    path: Path | None = None
    # Figures for the client's sector or country, in the scenario file's format: added, or
    # replacing the figure of the same id (how a stale one is updated).
    figures: tuple[dict[str, Any], ...] = Field(default=(), max_length=200)
    # A figure older than this many years is flagged to the account lead before the packet.
    max_age_years: int = Field(default=3, ge=0, le=50)

    @field_validator("figures")
    @classmethod
    def _figures_valid(cls, value: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        from smpp.scenario import ScenarioError, parse_figures

        if value:
            try:
                parse_figures(list(value), "scenario.figures")
            except ScenarioError as exc:
                raise ValueError("; ".join(exc.problems)) from None
        return value


class PacketSettings(Strict):
    """The workshop packet: the session it prepares, the lead's review, how it is delivered."""

    # The workshop session's length: the packet's agenda shares it out.
    session_minutes: int = Field(default=240, ge=60, le=720)
    # The account lead gets the draft this many business days before the packet milestone.
    review_days: int = Field(default=1, ge=0, le=10)
    # The packet goes out only once the lead approves it (a decision), reminded and escalated.
    approval: bool = False
    # Files up to this size are attached to the packet's mail; above it, the mail links them.
    attachment_limit_mb: float = Field(default=10.0, gt=0, le=100)


Offset = Annotated[int, Field(ge=-MAX_OFFSET_DAYS, le=MAX_OFFSET_DAYS)]


class PolicySettings(Strict):
    """Who does what in the client's policy: the roles and times its clauses and procedures name.
    The method's defaults; the account lead sets the client's own after the workshop."""

    communications_team: OneLine = Field(default="the Communications team", max_length=120)
    customer_care: OneLine = Field(default="Customer Care", max_length=120)
    legal_team: OneLine = Field(default="the Legal team", max_length=120)
    security_team: OneLine = Field(default="IT Security", max_length=120)
    # A customer's question or complaint seen online: answered within this many working hours.
    first_response_hours: int = Field(default=4, ge=1, le=120)
    # A post that may need an official response (criticism, an error, an incident): the
    # communications team acknowledges it within this many hours, at any time of day.
    issue_response_hours: int = Field(default=1, ge=1, le=48)
    reporting_frequency: Literal["monthly", "quarterly", "twice a year", "yearly"] = "quarterly"
    reporting_to: OneLine = Field(default="the management board", max_length=120)
    # The policy's first review, this many months after the final policy.
    review_months: int = Field(default=12, ge=1, le=60)


class Offsets(Strict):
    """Days relative to the workshop (T); negative is before. The method's defaults."""

    company_list_requested: Offset = -28
    company_list_due: Offset = -14
    company_list_reminders: tuple[Offset, ...] = Field(default=(-18, -16, -14), max_length=20)
    company_list_escalation: Offset = -13
    questionnaire_sent: Offset = -21
    questionnaire_due: Offset = -7
    # Reminders go only to invited people who have not answered by then.
    questionnaire_reminders: tuple[Offset, ...] = Field(default=(-14, -10, -7), max_length=20)
    questionnaire_escalation: Offset = -6
    peer_review_done: Offset = -5
    packet_delivered: Offset = -3
    consensus_recorded: Offset = 3
    final_policy: Offset = 10
    follow_up_report: Offset = 14
    # The client must have at least this many days between our request and the list's due date.
    company_list_min_notice_days: int = Field(default=7, ge=1, le=MAX_OFFSET_DAYS)

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
    client: OneLine = Field(min_length=1, max_length=200)
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
    scenario: ScenarioSettings = ScenarioSettings()
    packet: PacketSettings = PacketSettings()
    policy: PolicySettings = PolicySettings()

    @field_validator("drive_url")
    @classmethod
    def _no_credentials_in_drive_url(cls, value: str | None) -> str | None:
        # It is published in the Prefect UI's links, so it must not carry a password.
        if value is not None and "@" in value.split("://", 1)[1].split("/", 1)[0]:
            raise ValueError(
                "the drive's web address must not hold a user name or password; give the "
                "address alone (people sign in to the drive themselves)"
            )
        return value

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
        if not FIRST_WORKSHOP_YEAR <= value.year <= LAST_WORKSHOP_YEAR:
            raise ValueError(
                f"the workshop must fall between the years {FIRST_WORKSHOP_YEAR} and "
                f"{LAST_WORKSHOP_YEAR}; check the year"
            )
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


_shorten = reprlib.Repr()
_shorten.maxstring = _shorten.maxother = 60
_shorten.maxlist = _shorten.maxtuple = _shorten.maxdict = _shorten.maxset = 4
_shorten.maxlevel = 2


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(file)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return f"{where}: missing; this field is required"
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown field (check the spelling)"
    if any(_SECRET_LIKE.search(str(part)) for part in error["loc"]) or _holds_credentials(
        error.get("input")
    ):
        return f"{where}: {message} (the value is not shown: it may be a secret)"
    # reprlib bounds the work too: a value may be a huge nested structure.
    return f"{where}: {message} (found {_shorten.repr(error.get('input'))})"


_ENGAGEMENT_FIELDS = frozenset({"client", "slug", "workshop", "account_lead", "client_contacts"})


def parse_engagement(data: object, source: str, base_dir: Path) -> Engagement:
    """Validate already-parsed YAML; a relative drive is resolved against `base_dir`."""
    if not isinstance(data, dict):
        raise EngagementError(source, ["the file must be a YAML mapping of fields to values"])
    if not _ENGAGEMENT_FIELDS.intersection(str(k) for k in data):
        # Most likely another file altogether: say so, without echoing a word of it.
        raise EngagementError(
            source,
            [
                "this does not look like an engagement file (it has none of the fields client, "
                "slug, workshop, account_lead, client_contacts); see engagements/example.yaml"
            ],
        )
    try:
        engagement = Engagement.model_validate(data)
    except ValidationError as exc:
        raise EngagementError(source, [_describe(dict(e)) for e in exc.errors()]) from None
    if not engagement.drive.is_absolute():
        engagement = engagement.model_copy(update={"drive": (base_dir / engagement.drive)})
    scenario = engagement.scenario
    if scenario.path is not None and not scenario.path.is_absolute():
        moved = scenario.model_copy(update={"path": base_dir / scenario.path})
        engagement = engagement.model_copy(update={"scenario": moved})
    return engagement


class _Refused(yaml.MarkedYAMLError):  # type: ignore[misc]
    """YAML that is valid but not accepted in an engagement file."""


class _EngagementLoader(yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader, refusing anchors and aliases (an alias bomb expands a few hundred
    bytes to gigabytes) and duplicate keys (YAML keeps the last one silently)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                problem="anchors and aliases (& and *) are not allowed in an engagement file; "
                "write each value out in full",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            first_line: dict[object, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = first_line.get(key)
                except TypeError:
                    continue  # unhashable: the constructor refuses it with its own message
                if earlier is not None:
                    raise _Refused(
                        problem=f"the key {_shorten.repr(str(key))} appears twice in the same "
                        f"mapping (first on line {earlier}); keep only one",
                        problem_mark=key_node.start_mark,
                    )
                first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """Where and what, never the snippet of the file PyYAML would quote."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "cannot be parsed"
        if isinstance(exc, _Refused):
            return f"refused{where}: {what}"
        return f"not valid YAML{where}: {what}"
    return "not valid YAML"


def read_engagement_text(path: Path) -> str:
    """The text of an engagement file, opened without following a link and only if it is a
    regular file of a sensible size; EngagementError otherwise (nothing of it is echoed)."""
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise EngagementError(source, ["no such engagement file"]) from None
    except OSError as exc:
        if path.is_symlink():
            raise EngagementError(
                source,
                [
                    "is a symbolic link; an engagement file must be a regular file in the "
                    "engagements folder (copy it there instead of linking to it)"
                ],
            ) from None
        raise EngagementError(source, [f"cannot be read: {exc.strerror}"]) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise EngagementError(
            source, ["cannot be read: it is not a regular file (an engagement file is YAML)"]
        )
    with os.fdopen(descriptor, "rb") as handle:
        if info.st_size > MAX_ENGAGEMENT_FILE_BYTES:
            raise EngagementError(
                source,
                [f"is {info.st_size:,} bytes; an engagement file is a few kilobytes of YAML"],
            )
        try:
            content = handle.read(MAX_ENGAGEMENT_FILE_BYTES + 1)
        except OSError as exc:
            raise EngagementError(source, [f"cannot be read: {exc.strerror}"]) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise EngagementError(source, ["not a text file in UTF-8; save it as UTF-8"]) from None


def parse_engagement_yaml(text: str, source: str) -> object:
    """The YAML of an engagement file, parsed safely; EngagementError naming the line if not."""
    try:
        return yaml.load(text, Loader=_EngagementLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise EngagementError(source, [_yaml_problem(exc)]) from None
    except RecursionError:
        raise EngagementError(source, ["not valid YAML: nested too deeply"]) from None


def load_engagement(path: Path) -> Engagement:
    data = parse_engagement_yaml(read_engagement_text(path), str(path))
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
