"""Engagement definitions: validated at the door, one clear message per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smpp.models import EngagementError, load_engagement, parse_engagement
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
            "mail.smtp.password: write where the password is kept, never the password itself",
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


# --- hostile definitions ---------------------------------------------------------------------

VALID = """\
client: Acme Foods
slug: acme-foods
workshop: 2027-02-11T09:30
account_lead: {name: Lea Lead, email: lea@agency.example}
client_contacts: [{name: Carl Client, email: carl@acme.example}]
drive: /tmp/acme
"""


def refusal(path: Path) -> list[str]:
    with pytest.raises(EngagementError) as refused:
        load_engagement(path)
    return refused.value.problems


def test_an_alias_bomb_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    bomb = VALID + "\n".join(levels) + "\nclient_note: *a9\n"
    assert len(bomb) < 1_300
    assert refusal(write(tmp_path, bomb)) == [
        "refused at line 7, column 5: anchors and aliases (& and *) are not allowed in an "
        "engagement file; write each value out in full"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            VALID + "client: Other Client\n",
            "refused at line 7, column 1: the key 'client' appears twice in the same mapping "
            "(first on line 1); keep only one",
        ),
        (
            VALID + "mail: {sender: {name: A, email: a@agency.example, name: B}}\n",
            "refused at line 7, column 51: the key 'name' appears twice in the same mapping "
            "(first on line 7); keep only one",
        ),
        (
            VALID + "mail: &m {transport: outbox}\n",
            "refused at line 7, column 7: anchors and aliases (& and *) are not allowed in an "
            "engagement file; write each value out in full",
        ),
        (
            "client: [unclosed\n",
            "not valid YAML at line 2, column 1: expected ',' or ']', but got '<stream end>'",
        ),
    ],
)
def test_yaml_that_could_mislead_is_refused_naming_the_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert refusal(write(tmp_path, text)) == [expected]


@pytest.mark.parametrize(
    "password",
    ["hunter2", "{value: hunter2}", "{env: SMTP_PW, prefect_secret: hunter2}", "[hunter2]"],
)
def test_a_secret_written_in_the_file_is_refused_without_being_echoed(
    tmp_path: Path, password: str
) -> None:
    text = VALID + f"mail: {{transport: smtp, smtp: {{host: h, user: u, password: {password}}}}}\n"
    problems = refusal(write(tmp_path, text))
    assert problems and all(p.startswith("mail.smtp.password") for p in problems)
    assert "hunter2" not in "\n".join(problems)
    if password == "hunter2":
        assert problems == [
            "mail.smtp.password: write where the password is kept, never the password itself: "
            "{env: SMPP_SMTP_PASSWORD} (an environment variable) or "
            "{prefect_secret: smpp-smtp-password} (a Prefect Secret block) (the value is not "
            "shown: it may be a secret)"
        ]


def test_a_linked_engagement_file_is_refused_without_reading_its_target(tmp_path: Path) -> None:
    target = tmp_path / "shadow"
    target.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
    link = tmp_path / "acme-foods.yaml"
    link.symlink_to(target)
    problems = refusal(link)
    assert problems == [
        "is a symbolic link; an engagement file must be a regular file in the engagements "
        "folder (copy it there instead of linking to it)"
    ]


def test_a_file_that_is_not_an_engagement_is_refused_without_echoing_it(tmp_path: Path) -> None:
    text = "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon: x\n"
    problems = refusal(write(tmp_path, text))
    assert problems == [
        "this does not look like an engagement file (it has none of the fields client, slug, "
        "workshop, account_lead, client_contacts); see engagements/example.yaml"
    ]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "acme-foods.yaml")
    assert refusal(tmp_path / "acme-foods.yaml") == [
        "cannot be read: it is not a regular file (an engagement file is YAML)"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"client": "Acme\r\nBcc: everyone@example.com"},
            "client: contains a line break, tab or another control character; write it on one "
            "line (found 'Acme\\r\\nBcc: everyone@example.com')",
        ),
        (
            {"client_contacts": [{"name": "Carl\nClient", "email": "carl@acme.example"}]},
            "client_contacts.0.name: contains a line break, tab or another control character; "
            "write it on one line (found 'Carl\\nClient')",
        ),
        (
            {"attendees": [{"name": "Ann\x1b[31m", "email": "ann@acme.example", "role": "PR"}]},
            "attendees.0.name: contains a line break, tab or another control character; write "
            "it on one line (found 'Ann\\x1b[31m')",
        ),
        (
            {"attendees": [{"name": "Ann", "email": "ann@acme.example", "role": "PR\u2028x"}]},
            "attendees.0.role: contains a line break, tab or another control character; write "
            "it on one line (found 'PR\\u2028x')",
        ),
        (
            {"workshop": "9999-12-31T09:30:00"},
            "workshop: the workshop must fall between the years 2000 and 2199; check the year "
            "(found '9999-12-31T09:30:00')",
        ),
        (
            {"workshop": "0001-01-01T09:30:00"},
            "workshop: the workshop must fall between the years 2000 and 2199; check the year "
            "(found '0001-01-01T09:30:00')",
        ),
        (
            {"timeline": {"company_list_requested": -100_000_000}},
            "timeline.company_list_requested: Input should be greater than or equal to -366 "
            "(found -100000000)",
        ),
        (
            {"mail": {"outbox": "../../../elsewhere"}},
            "mail.outbox: a relative outbox is a folder inside the drive folder and cannot climb "
            "out of it with '..'; give an absolute path for an outbox elsewhere (found "
            "'../../../elsewhere')",
        ),
        (
            {"timeline": {"company_list_reminders": list(range(-30, -5))}},
            "timeline.company_list_reminders: Tuple should have at most 20 items after "
            "validation, not 25 (found [-30, -29, -28, -27, ...])",
        ),
    ],
)
def test_values_that_would_break_every_advance_are_refused_at_the_door(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    data = engagement_data(tmp_path / "drive")
    data.update(change)
    assert expected in refusal(write(tmp_path, data))


def test_a_drive_address_with_a_password_is_refused_in_words(tmp_path: Path) -> None:
    """The drive's web address is published in the Prefect UI's links: never with credentials."""
    data = {**engagement_data(tmp_path), "drive_url": "https://lea:s3cret@drive.example/acme"}
    with pytest.raises(EngagementError) as error:
        parse_engagement(data, "acme.yaml", tmp_path)
    assert "user name or password" in str(error.value) and "s3cret" not in str(error.value)
    ok = {**engagement_data(tmp_path), "drive_url": "https://drive.example/teams/@acme"}
    assert parse_engagement(ok, "acme.yaml", tmp_path).drive_url == ok["drive_url"]
