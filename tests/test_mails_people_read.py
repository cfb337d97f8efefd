"""The demo's mails as their readers read them: the demo runs once, and every .eml it leaves is
opened as the client contact, an attendee or the account lead would open it (headers, the plain
text, the HTML). Beside it, the parts on their own: the greeting, the sign-off and its signature,
the wrapping, a place on the drive, and the replies that go out after a due date."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from smpp.actions import SendMail, drive_place, greeting
from smpp.decisions import DecisionForm, FormKind
from smpp.events import MAIL_SENT
from smpp.models import Engagement, MailSettings, Person
from smpp.plan import plan
from smpp.simulation import demo_engagement
from smpp.state import State
from smpp.store import Event
from smpp.templating import render_email, wrap_text
from tools.record_demo import run_demo

LEAD = "Giulia Ferri <giulia.ferri@agency.example>"
SENDER = "Agency SMPP desk <smpp@agency.example>"
URL_LINE = re.compile(r"^\s*https?://\S+$")


@dataclass(frozen=True)
class Mail:
    file: str
    kind: str
    sender: str
    to: str
    cc: str
    subject: str
    date: datetime
    text: str
    html: str

    @property
    def words(self) -> str:
        """The plain text with its line breaks undone, as a sentence reads."""
        return " ".join(self.text.split())


@dataclass(frozen=True)
class Demo:
    root: Path
    mails: list[Mail]

    def of(self, kind: str) -> list[Mail]:
        return [m for m in self.mails if m.kind == kind]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("demo")
    run_demo(root)
    mails = []
    for path in sorted((root / "Outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text, html = message.get_body(("plain",)), message.get_body(("html",))
        assert text is not None and html is not None, path.name
        mails.append(
            Mail(
                path.name,
                str(message["X-SMPP-Kind"]),
                str(message["From"]),
                str(message["To"]),
                str(message["Cc"] or ""),
                str(message["Subject"]).strip(),
                parsedate_to_datetime(str(message["Date"])),
                str(text.get_content()).replace("\r\n", "\n"),
                str(html.get_content()),
            )
        )
    assert len(mails) > 20
    return Demo(root, mails)


def first_name(address: str) -> str:
    return address.split("<")[0].split()[0]


# -- greeting and sign-off ----------------------------------------------------------------------


def test_every_mail_greets_its_reader_by_first_name(demo: Demo) -> None:
    for mail in demo.mails:
        assert "," not in mail.to, mail.file  # the demo writes to one person at a time
        assert mail.text.startswith(f"Dear {first_name(mail.to)},\n\n"), mail.file
        assert f"<p>Dear {first_name(mail.to)},</p>" in mail.html, mail.file
    assert {m.text.split("\n")[0] for m in demo.mails} == {
        "Dear Giulia,",
        "Dear Marco,",
        "Dear Sara,",
        "Dear Luca,",
        "Dear Elena,",
        "Dear Paolo,",
        "Dear Chiara,",
        "Dear Anna,",
    }


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([("Giulia Ferri", None)], "Dear Giulia,"),
        ([("Marco Bianchi", None), ("Anna Ricci", None)], "Dear Marco and Anna,"),
        ([("Marco B", None), ("Anna R", None), ("Luca M", None)], "Dear Marco, Anna and Luca,"),
        ([("A a", None), ("B b", None), ("C c", None), ("D d", None)], "Dear all,"),
        ([("Dr. Anna Ricci", None)], "Dear Dr. Anna Ricci,"),  # a title is not a first name
        ([("Lorenzo Rossi", "Dr Rossi")], "Dear Dr Rossi,"),  # as the engagement file says
        ([], "Hello,"),
    ],
)
def test_a_greeting_names_one_person_a_few_or_all(
    people: list[tuple[str, str | None]], expected: str
) -> None:
    persons = [
        Person(name=name, email=f"p{i}@client.example", greet_as=greet_as)
        for i, (name, greet_as) in enumerate(people)
    ]
    assert greeting(persons) == expected


def test_every_mail_closes_with_the_sign_off_and_the_agency(demo: Demo) -> None:
    for mail in demo.mails:
        assert mail.sender == SENDER
        if mail.to == LEAD:  # the agency's desk writes to the account lead
            assert mail.text.endswith("\n\nKind regards,\nAgency SMPP desk\n"), mail.file
            assert "<p>Kind regards,<br>\nAgency SMPP desk</p>" in mail.html, mail.file
            assert "A notice to Giulia Ferri, the account lead of the Northwind" in mail.html
        else:  # the account lead writes to the client's people
            assert mail.text.endswith("\n\nKind regards,\nGiulia Ferri\nAgency SMPP desk\n"), (
                mail.file
            )
            assert "<p>Kind regards,<br>\nGiulia Ferri<br>\nAgency SMPP desk</p>" in mail.html
            assert "Sent on behalf of Giulia Ferri (giulia.ferri@agency.example)" in mail.html


@pytest.mark.parametrize(
    ("signature", "problem"),
    [
        ("Ferri & Partners\n" + "x" * 79, "line 2 is 79 characters long"),
        ("Ferri\tPartners", "line 1 holds a tab"),
        ("\n".join(f"line {n}" for n in range(9)), "has 9 lines"),
        ("  \n ", "is empty"),
    ],
)
def test_a_signature_that_would_not_read_well_is_refused(signature: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        MailSettings(signature=signature)


def test_the_agencys_signature_and_sender_name_close_every_mail(
    recorded: list[Event], tmp_path: Path
) -> None:
    """Per agency: the sender's display name and a signature of its own, in both parts, the
    HTML escaped; without one, the sender's name."""
    base = demo_engagement(tmp_path)
    assert base.mail.signature_lines == ("Agency SMPP desk",)
    mail = base.mail.model_copy(
        update={
            "sender": Person(name="Ferri & Partners <desk>", email="desk@ferri.example"),
            "signature": "Ferri & Partners\nVia Roma 1, 20121 Milano\n  www.ferri.example\n",
        }
    )
    MailSettings.model_validate(mail.model_dump())  # what the engagement file would hold
    engagement = base.model_copy(update={"mail": MailSettings.model_validate(mail.model_dump())})
    first_request = next(e for e in recorded if e.kind == MAIL_SENT)
    state = State(engagement, tuple(e for e in recorded if e.at < first_request.at))
    [request] = [
        a
        for a in plan(state, first_request.at).due
        if isinstance(a, SendMail) and a.template == "company_list_request"
    ]
    _, text, html = render_email(request.template, request.context)
    assert text.endswith(
        "Kind regards,\nGiulia Ferri\nFerri & Partners\nVia Roma 1, 20121 Milano\n"
        "  www.ferri.example\n"
    )
    assert (
        "Kind regards,<br>\nGiulia Ferri<br>\nFerri &amp; Partners<br>\n"
        "Via Roma 1, 20121 Milano<br>\n  www.ferri.example</p>"
    ) in html


# -- plain text ---------------------------------------------------------------------------------


def test_plain_text_wraps_at_78_columns_with_paragraphs_intact(demo: Demo) -> None:
    for mail in demo.mails:
        for line in mail.text.split("\n"):
            assert len(line) <= 78 or URL_LINE.match(line), (mail.file, line)
        # Prose is reflowed, not broken where the template's lines ended: in a paragraph of
        # several lines, only the last may stop well short of the margin.
        for block in mail.text.split("\n\n"):
            lines = block.split("\n")
            if len(lines) > 1 and not any(line.startswith(" ") for line in lines):
                if lines[0] != "Kind regards,":
                    assert all(len(line) > 60 for line in lines[:-1]), (mail.file, block)
    [request] = demo.of("company_list_request")
    assert request.text.split("\n\n")[1] == (
        "Ahead of the social media policy workshop on Thursday 11 February 2027, we\n"
        "will review how companies you consider comparable to Northwind Outdoor Gear\n"
        "handle social media: the policies they publish, what they have in common and\n"
        "where they differ. To pick the right ones, we need your list of at least 20\n"
        "such companies by Thursday 28 January 2027, two weeks before the workshop."
    )


def test_wrapping_keeps_lists_labels_commands_and_long_addresses() -> None:
    url = "https://drive.example/sites/clients/Northwind%20Outdoor%20Gear/03%20Peer%20review/x"
    text = (
        "Dear Marco,\n\n"
        "A paragraph written\nover short lines in the template is reflowed as one, whatever "
        "the length of what was put in it.\n\n"
        "Chosen:\n"
        "  - Alpine Crest Outfitters: Client priority high; policy found at a long address.\n"
        "  - Ask the client to add the address in the\n"
        '    "Policy URL" column of its list.\n'
        "  1. Cedar & Pine Co., Confidential & proprietary information (E08):\n"
        '     "Employees must not disclose any internal or non-public information."\n'
        "     Why: it does not say what is covered, and an employee could read it as a ban.\n"
        '    smpp decide northwind-demo replace --out "<company>" --in "<company>"\n'
        "  Subject:    Peer review v2 for Northwind Outdoor Gear is ready: 5 companies reviewed\n"
        f"  {url}\n"
    )
    assert wrap_text(text) == (
        "Dear Marco,\n\n"
        "A paragraph written over short lines in the template is reflowed as one,\n"
        "whatever the length of what was put in it.\n\n"
        "Chosen:\n"
        "  - Alpine Crest Outfitters: Client priority high; policy found at a long\n"
        "    address.\n"
        '  - Ask the client to add the address in the "Policy URL" column of its list.\n'
        "  1. Cedar & Pine Co., Confidential & proprietary information (E08):\n"
        '     "Employees must not disclose any internal or non-public information."\n'
        "     Why: it does not say what is covered, and an employee could read it as a\n"
        "     ban.\n"
        '    smpp decide northwind-demo replace --out "<company>" --in "<company>"\n'
        "  Subject:    Peer review v2 for Northwind Outdoor Gear is ready: 5 companies\n"
        "              reviewed\n"
        f"  {url}"
    )


# -- the drive: links or words, never a server path ---------------------------------------------


def test_no_mail_shows_a_server_path_and_the_lead_is_told_where_in_words(demo: Demo) -> None:
    drive = demo_engagement(demo.root).drive
    for mail in demo.mails:
        for body in (mail.text, mail.html):
            assert str(demo.root) not in body and str(drive) not in body, mail.file
            assert not re.search(r"(?<![\w.:/])/(?:tmp|home|mnt|srv|var|Users)/", body)
    ready = demo.of("peer_review_ready")
    assert [m.words.split(" Chosen:")[0] for m in ready] == [
        f"Dear Giulia, Version {v} of the peer review for Northwind Outdoor Gear is on the "
        f'drive: "Peer review - Northwind Outdoor Gear - v{v}.xlsx", in the folder "03 Peer '
        'review" of the Northwind Outdoor Gear folder on the shared drive.'
        for v in (1, 2)
    ]
    [summary] = demo.of("questionnaire_summary_ready")
    assert (
        '"Questionnaire summary - Northwind Outdoor Gear - v1.xlsx", in the folder '
        '"02 Questionnaire" of the Northwind Outdoor Gear folder on the shared drive.'
    ) in summary.words


def planned_before(
    recorded: list[Event], engagement: Engagement, template: str, number: int = 0
) -> SendMail:
    """The mail of `template` (the `number`th sent) as planned at the moment it was sent."""
    sent = [
        i for i, e in enumerate(recorded) if e.kind == MAIL_SENT and e.data["template"] == template
    ]
    index = sent[number]
    state = State(engagement, tuple(recorded[:index]))
    mails = [a for a in plan(state, recorded[index].at).due if isinstance(a, SendMail)]
    return next(m for m in mails if m.template == template)


def test_with_a_drive_address_the_lead_gets_links(recorded: list[Event], tmp_path: Path) -> None:
    engagement = demo_engagement(tmp_path).model_copy(
        update={"drive_url": "https://drive.agency.example/clients/Northwind%20Outdoor%20Gear/"}
    )
    ready = planned_before(recorded, engagement, "peer_review_ready", 1)
    _, text, html = render_email(ready.template, ready.context)
    url = (
        "https://drive.agency.example/clients/Northwind%20Outdoor%20Gear/03%20Peer%20review/"
        "Peer%20review%20-%20Northwind%20Outdoor%20Gear%20-%20v2.xlsx"
    )
    assert f"is on the drive:\n  {url}\n\n" in text
    assert f'<a href="{url}">Peer review - Northwind Outdoor Gear - v2.xlsx</a>' in html


@pytest.mark.parametrize(
    ("drive_url", "path", "url", "words"),
    [
        (
            "https://files.example/Acme",
            "Inbox/Rejected/a b.xlsx",
            "https://files.example/Acme/Inbox/Rejected/a%20b.xlsx",
            '"a b.xlsx", in the folder "Inbox / Rejected" of the Acme Foods folder on the '
            "shared drive",
        ),
        (
            "https://sharepoint.example/sites/x?id=42",  # a query: the folder's address only
            "Inbox",
            "",
            '"Inbox", in the Acme Foods folder on the shared drive',
        ),
        (None, "", "", "the Acme Foods folder on the shared drive"),
    ],
)
def test_a_place_on_the_drive_is_a_link_when_it_can_be_and_always_words(
    make_engagement: Any, tmp_path: Path, drive_url: str | None, path: str, url: str, words: str
) -> None:
    engagement = make_engagement(drive_url=drive_url)
    place = drive_place(engagement, engagement.drive / path)
    assert (place["url"], place["words"]) == (url, words)


# -- the peer review's mail: version, red flags, how to replace a company -----------------------


def test_the_subject_gives_the_deliverables_version(demo: Demo) -> None:
    assert [m.subject for m in demo.of("peer_review_ready")] == [
        "Peer review v1 for Northwind Outdoor Gear is ready: 5 companies reviewed, 4 red flags",
        "Peer review v2 for Northwind Outdoor Gear is ready: 5 companies reviewed, 4 red flags",
    ]
    assert [m.subject for m in demo.of("questionnaire_summary_ready")] == [
        "Questionnaire summary v1 for Northwind Outdoor Gear is ready: 6 of 7 answered, "
        "4 drafting topics"
    ]


FLAG = re.compile(
    r"^  (\d+)\. (?P<company>[^,]+), (?P<element>.+) \((?P<id>E\d\d)\):\n"
    r'     "(?P<sentence>[^"]+)"\n'
    r"     Why: (?P<why>(?:.+\n)+?)"
    r"     Fix: (?P<fix>(?:.+\n?)+)",
    re.MULTILINE,
)


def test_when_the_subject_counts_red_flags_the_body_lists_them(demo: Demo) -> None:
    counted = [m for m in demo.mails if re.search(r"\d+ red flags?", m.subject)]
    assert len(counted) == 2
    for mail in counted:
        count = int(re.search(r"(\d+) red flags?", mail.subject).group(1))  # type: ignore[union-attr]
        listed = mail.text.split("\nRed flags: ")[1].split("\nPassed over:")[0]
        flags = [FLAG.match(item.strip("\n").join(["", "\n"])) for item in listed.split("\n\n")[1:]]
        assert len(flags) == count and all(flags), listed
        assert [f.group(1) for f in flags if f] == [str(n) for n in range(1, count + 1)]
        assert mail.html.count("<em>Why:</em>") == count == mail.html.count("<em>Fix:</em>")
    v2 = counted[1]
    assert (
        "3. Cedar & Pine Co., Confidential & proprietary information (E08): "
        '"Employees must not disclose any internal or non-public information about the '
        'company." Why: This bans sharing'
    ) in v2.words
    assert (
        "Fix: define it with examples such as trade secrets, unreleased financial results and "
        "customer data, and say it does not cover wages, hours or working conditions."
    ) in v2.words


def run_form_words() -> list[str]:
    """The run form's own words for a replacement, from the form itself."""
    fields = DecisionForm.model_fields
    return [
        'the "decide" deployment (flow record-decision), then Run, then Custom run',
        "slug: northwind-demo",
        f'{fields["decision"].title}: "{get_args(FormKind)[0]}"',
        f"{fields['take_out'].title}: the company to take out",
        f"{fields['put_in'].title}: a company from the client's list",
        'Or, from a command line: smpp decide northwind-demo replace --out "<company>" '
        '--in "<company>"',
    ]


def test_the_lead_is_shown_how_to_replace_a_company_in_the_prefect_ui(demo: Demo) -> None:
    deployments = yaml.safe_load(Path("prefect.yaml").read_text())["deployments"]
    assert {"name": "decide", "entrypoint": "flows/decide.py:record_decision"}.items() <= next(
        d for d in deployments if d["name"] == "decide"
    ).items()
    assert 'name="record-decision"' in Path("flows/decide.py").read_text()
    for mail in demo.of("peer_review_ready"):
        for words in run_form_words():
            assert words in mail.words, words
        assert "<strong>Company to take out</strong>" in mail.html


def test_the_unreachable_notice_uses_the_forms_words_not_a_kind(
    recorded: list[Event], tmp_path: Path
) -> None:
    ready = planned_before(recorded, demo_engagement(tmp_path), "peer_review_ready")
    sites = [{"name": "Fjellvind Gear", "website": "https://fjellvind.example", "notes": []}]
    context = {**ready.context, "tried_at": "2027-01-25T15:40:00+01:00", "sites": sites}
    _, text, html = render_email("peer_review_unreachable", context)
    words = " ".join(text.split())
    for expected in run_form_words():
        assert expected in words
    assert 'kind "replace"' not in text + html and "(kind" not in text + html


# -- who is copied ------------------------------------------------------------------------------


def test_reminders_keep_the_lead_in_cc_like_the_request(demo: Demo) -> None:
    [request] = demo.of("company_list_request")
    assert request.cc == LEAD
    chasers = demo.of("company_list_reminder") + demo.of("company_list_overdue")
    assert chasers and all(m.cc == request.cc for m in chasers)
    invitations = {m.to: m.cc for m in demo.of("questionnaire_invitation")}
    reminders = demo.of("questionnaire_reminder")
    assert reminders and all(m.cc == invitations[m.to] for m in reminders)


# -- dates: the questionnaire's own, never one already past -------------------------------------

LONG_DATE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} \w+ \d{4}"


def test_questionnaire_replies_give_the_questionnaires_due_date(demo: Demo) -> None:
    replies = demo.of("questionnaire_accepted") + demo.of("questionnaire_rejected")
    assert len(replies) >= 7
    for mail in replies:
        assert "28 January" not in mail.text + mail.html, mail.file
    asking = [
        m for m in replies if "send the workbook again" in m.words or "send it again" in m.words
    ]
    assert len(asking) >= 6
    assert all("by Thursday 4 February 2027" in m.words for m in asking)


def test_no_mail_asks_for_something_by_a_date_already_past(demo: Demo) -> None:
    for mail in demo.mails:
        for found in re.findall(rf"\b(?:by|before) ({LONG_DATE})", mail.words):
            day = datetime.strptime(found, "%A %d %B %Y").date()
            assert day >= mail.date.date(), (mail.file, found)


def late_reply(
    recorded: list[Event], engagement: Engagement, judged: Event, at: datetime
) -> tuple[str, str]:
    """The reply to `judged` had the file come in at `at` instead."""
    moved = replace(judged, at=at, data={**judged.data, "received": at.isoformat()})
    state = State(engagement, (*(e for e in recorded if e.at < judged.at), moved))
    [reply] = [
        a
        for a in plan(state, at).due
        if isinstance(a, SendMail) and a.key.endswith(str(judged.key).rsplit("/", 1)[-1])
    ]
    _, text, html = render_email(reply.template, reply.context)
    assert all(len(line) <= 78 for line in text.split("\n"))
    return " ".join(text.split()), html


def test_a_reply_sent_after_the_due_date_says_late_and_still_welcome(
    recorded: list[Event], tmp_path: Path
) -> None:
    engagement = demo_engagement(tmp_path)
    zone = engagement.zone
    judged = [e for e in recorded if e.kind == "questionnaire.judged"]
    accepted = next(e for e in judged if e.data["ok"] and e.data["verdict"]["blank_prompts"])
    rejected = next(e for e in judged if not e.data["ok"])
    after = datetime(2027, 2, 5, 10, 0, tzinfo=zone)  # the day after the questionnaire's due date

    words, html = late_reply(recorded, engagement, accepted, after)
    assert (
        "The answers were due on Thursday 4 February 2027, but if you want to add to them you "
        "are still welcome to: send the workbook again as soon as you can, before the workshop "
        "on Thursday 11 February 2027"
    ) in words
    assert "by Thursday 4 February" not in words and "as soon as you can</strong>" in html

    words, html = late_reply(recorded, engagement, rejected, after)
    assert (
        "The answers were due on Thursday 4 February 2027, but yours are still welcome: please "
        "correct these points, or copy your answers into the fresh copy, and send it again as "
        "soon as you can, before the workshop on Thursday 11 February 2027."
    ) in words
    assert "by Thursday 4 February" not in words

    refused = next(e for e in recorded if e.kind == "company_list.judged" and not e.data["ok"])
    words, _ = late_reply(recorded, engagement, refused, datetime(2027, 1, 29, 10, tzinfo=zone))
    assert (
        "The list was due on Thursday 28 January 2027, so please correct these points and send "
        "it again as soon as you can"
    ) in words
    assert "by Thursday 28 January" not in words

    # On time, the same replies give the due date itself.
    on_time = accepted.at.astimezone(zone)
    assert on_time < datetime(2027, 2, 4, tzinfo=zone)
    words, _ = late_reply(recorded, engagement, accepted, on_time + timedelta(minutes=1))
    assert "send the workbook again by Thursday 4 February 2027" in words


def test_a_delegate_named_after_the_due_date_is_not_given_a_date_past(
    recorded: list[Event], tmp_path: Path
) -> None:
    engagement = demo_engagement(tmp_path)
    after = datetime(2027, 2, 5, 10, 0, tzinfo=engagement.zone)
    naming = next(
        e
        for e in recorded
        if e.kind == "questionnaire.judged" and e.data["verdict"].get("delegate_name")
    )
    moved = replace(naming, at=after, data={**naming.data, "received": after.isoformat()})
    state = State(engagement, (*(e for e in recorded if e.at < naming.at), moved))
    [invitation] = [
        a
        for a in plan(state, after).due
        if isinstance(a, SendMail) and a.template == "questionnaire_invitation"
    ]
    assert invitation.to == ("Anna Ricci <anna.ricci@northwind.example>",)
    subject, text, _ = render_email(invitation.template, invitation.context)
    assert subject.endswith("your views on five questions, as soon as you can")
    assert (
        "The answers were due on Thursday 4 February 2027, but yours are still welcome: please "
        "return it as soon as you can, before the workshop on Thursday 11 February 2027."
    ) in " ".join(text.split())


def test_a_mail_to_several_client_contacts_greets_them_together(
    recorded: list[Event], tmp_path: Path
) -> None:
    engagement = demo_engagement(tmp_path)
    contacts = (*engagement.client_contacts, Person(name="Anna Ricci", email="a@northwind.example"))
    engagement = engagement.model_copy(update={"client_contacts": contacts})
    request = planned_before(recorded, engagement, "company_list_request")
    _, text, html = render_email(request.template, request.context)
    assert text.startswith("Dear Marco and Anna,\n\n") and "<p>Dear Marco and Anna,</p>" in html


def test_the_notice_of_a_message_in_doubt_uses_the_forms_words(tmp_path: Path) -> None:
    from smpp.recovery import in_doubt_notice

    engagement = demo_engagement(tmp_path)
    key = "northwind-demo/company-list/request"
    effect = {
        "key": key,
        "message_id": "<x@agency.example>",
        "detail": {"subject": "Your list", "to": ["Marco"], "attempted_at": "2027-01-14T09:00"},
    }
    notice = in_doubt_notice(engagement, effect)
    _, text, html = render_email(notice.template, notice.context)
    words = " ".join(text.split())
    resend, delivered = get_args(FormKind)[3:5]
    assert (
        f'run the "decide" deployment (Run, then Custom run), with northwind-demo as the '
        f'engagement, "{resend}" or "{delivered}" as the decision, and {key} as '
        f'"{DecisionForm.model_fields["message"].title}".'
    ) in words
    assert text.startswith("Dear Giulia,") and "kind resend" not in text + html
