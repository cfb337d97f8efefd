"""Engagement definitions: validated at the door, one clear message per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smpp.models import EngagementError, load_engagement
from tests.conftest import engagement_data

REPO = Path(__file__).resolve().parent.parent


def test_every_engagement_file_in_the_repo_validates() -> None:
    files = sorted((REPO / "engagements").glob("*.yaml"))
    assert [f.name for f in files] == ["example.yaml"]
    for path in files:
        engagement = load_engagement(path)
        assert engagement.slug == path.stem
        assert engagement.drive.is_absolute()


def write(tmp_path: Path, data: object, name: str = "acme-foods.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"workshop": "next tuesday"}, "workshop: Input should be a valid datetime"),
        ({"timezone": "Mars/Olympus"}, "timezone: not a known time zone; use an IANA name"),
        (
            {"account_lead": {"name": "Lea", "email": "lea-at-agency"}},
            "account_lead.email: value is not a valid email address",
        ),
        (
            {"client_contacts": []},
            "client_contacts: Tuple should have at least 1 item after validation, not 0 (found [])",
        ),
        ({"slug": "Acme Foods!"}, "slug: String should match pattern"),
        ({"country": "Italy"}, "country: String should match pattern '^[A-Z]{2}$'"),
        ({"colour": "blue"}, "colour: unknown field (check the spelling)"),
        (
            {"timeline": {"company_list_due": -30}},
            "timeline: company_list_requested must come before company_list_due",
        ),
        (
            {"mail": {"transport": "smtp"}},
            "mail: transport is 'smtp' but no 'smtp' settings are given",
        ),
        (
            {
                "mail": {
                    "transport": "smtp",
                    "smtp": {"host": "h", "user": "u", "password": "hunter2"},
                }
            },
            "mail.smtp.password: Input should be a valid dictionary",
        ),
        (
            {"workshop": "2027-02-11T09:30:00+01:00"},
            "workshop: give the local time without an offset",
        ),
    ],
)
def test_invalid_definitions_name_the_field_the_value_and_what_is_expected(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    data = engagement_data(tmp_path / "drive")
    data.update(change)
    with pytest.raises(EngagementError) as refused:
        load_engagement(write(tmp_path, data))
    assert any(line.startswith(expected) for line in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = engagement_data(tmp_path / "drive", timezone="Nowhere", workshop="soon")
    del data["account_lead"]
    with pytest.raises(EngagementError) as refused:
        load_engagement(write(tmp_path, data))
    assert len(refused.value.problems) == 3
    assert "account_lead: missing; this field is required" in refused.value.problems


def test_a_password_is_never_accepted_in_the_file_only_a_reference(tmp_path: Path) -> None:
    data = engagement_data(tmp_path / "drive")
    data["mail"] = {
        "transport": "smtp",
        "smtp": {"host": "h", "user": "u", "password": {"env": "SMPP_SMTP_PASSWORD"}},
    }
    engagement = load_engagement(write(tmp_path, data))
    assert engagement.mail.smtp is not None and engagement.mail.smtp.password is not None
    assert engagement.mail.smtp.password.describe() == "environment variable SMPP_SMTP_PASSWORD"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("client: [unclosed", "not valid YAML"),
        ("- a list", "the file must be a YAML mapping"),
    ],
)
def test_files_that_are_not_definitions(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(EngagementError, match=expected):
        load_engagement(write(tmp_path, text))


def test_the_slug_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(EngagementError, match="must match the file name 'other.yaml'"):
        load_engagement(write(tmp_path, engagement_data(tmp_path / "d"), name="other.yaml"))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"client: \xff\xfe bad", "not a text file in UTF-8"), (None, "cannot be read")],
)
def test_an_unreadable_engagement_file_is_a_clear_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "acme-foods.yaml"
    if content is None:
        path.mkdir()  # a folder where the file should be
    else:
        path.write_bytes(content)
    with pytest.raises(EngagementError, match=message):
        load_engagement(path)
