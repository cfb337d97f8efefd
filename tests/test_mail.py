"""Messages, both transports, and the templates they are rendered from."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smpp.mailer import (
    Attachment,
    DeliveryUnknown,
    Message,
    OutboxMailer,
    SmtpError,
    SmtpMailer,
    build_mailer,
)
from smpp.models import MailSettings, SmtpSettings
from smpp.templating import email_kinds, render_email
from tests.conftest import SmtpServer

SAMPLE_CONTEXT = {
    "client": "Acme <script>alert(1)</script> & Sons",
    "account_lead": "Lea Lead",
    "account_lead_email": "lea@agency.example",
    "contacts": ["Carl Client"],
    "workshop": "2027-02-11T09:30:00+01:00",
    "due": "2027-01-28T23:59:00+01:00",
    "min_companies": 20,
    "at_risk": True,
    "return_instructions": "Put it in the Inbox folder.",
    "file": "list.xlsx",
    "what": "a symbolic link",
    "inbox": {"url": "", "name": "Inbox", "folder": "", "words": '"Inbox", in the Acme folder'},
    "noticed_at": "2027-01-22T11:15:00+01:00",
    "companies": 19,
    "problems": [
        {"row": 7, "column": "Website", "message": "Row 7: 'acme dot com' is not a web address."},
        {"row": None, "column": None, "message": "The list has 19 distinct companies."},
    ],
    "received_at": "2027-01-22T11:15:00+01:00",
    "earlier_list_stands": False,
    "rejected": ["list.xlsx"],
    "requested_at": "2027-01-14T09:00:00+01:00",
    "reminders": 2,
    "refused_lists": [{"file": "list.xlsx", "problems": 3}],
    "contact_emails": ["carl@acme.example"],
    "workbook": {
        "url": "https://drive.example/Acme/03%20Peer%20review/Peer%20review%20-%20Acme.xlsx",
        "name": "Peer review - Acme <b> - v1.xlsx",
        "folder": "03 Peer review",
        "words": '"Peer review - Acme - v1.xlsx", in the folder "03 Peer review"',
    },
    "version": 1,
    "chosen": [{"name": "Alpha <b>", "reason": "Client priority high."}],
    "passed_over": [{"name": "Bravo", "reason": "No public social media policy found."}],
    "short_of": 4,
    "slug": "acme",
    "flags": [
        {
            "company": "Alpha <b>",
            "element": "Confidential & proprietary information (E08)",
            "sentence": "Never share <internal> information.",
            "why": "It does not say what is internal.",
            "fix": "Define it with examples.",
        }
    ],
    "replace_form": {
        "deployment": "decide",
        "flow": "record-decision",
        "slug_field": "slug",
        "decision_field": "What do you decide?",
        "kind": "Replace one of the five companies reviewed",
        "take_out": "Company to take out",
        "put_in": "Company to review instead",
    },
    "late": False,
    "greeting": "Dear Carl,",
    "sign_off": {
        "closing": "Kind regards,",
        "name": "Lea Lead",
        "signature": ["Lead & <Partners>", "  www.lead.example"],
    },
    # questionnaire mails
    "name": "Carl Client",
    "email": "carl@acme.example",
    "role": "Comms",
    "token": "ABCD-EFGH",
    "attending": False,
    "delegate_for": "Dana <i>Delegator</i>",
    "questions": [{"title": "Who", "question": "Who should take part <b>?"}],
    "rsvp": "Sending a delegate",
    "delegate_name": "Dora Delegate",
    "blank_prompts": ["Who: Is time spent on social media wasted?"],
    "replaces_earlier": True,
    "after_workshop": False,
    "reminders_before": 1,
    "stored_place": {
        "url": "",
        "name": "2027-01-22 1115 answers.xlsx",
        "folder": "Inbox / Rejected",
        "words": '"2027-01-22 1115 answers.xlsx", in the folder "Inbox / Rejected"',
    },
    "name_found": "Eve <Outsider>",
    "email_found": "eve@elsewhere.example",
    "invited": 6,
    "answered": 4,
    "missing": [
        {
            "name": "Nina",
            "email": "nina@acme.example",
            "role": "Legal",
            "attending": True,
            "reminders": 2,
            "invited": True,
        }
    ],
    "missing_names": ["Nina"],
    # the board's stuck-engagement mail
    "stuck": {
        "reason": "the last 3 advances failed",
        "since": "Thu 14 Jan 2027, 09:30 CET",
        "last_success": "Wed 13 Jan 2027, 17:05 CET",
        "consecutive_failures": 3,
        "failing_since": "Thu 14 Jan 2027, 09:30 CET",
        "last_error": "OSError: <drive not mounted>",
        "failing": [{"what": "Send <b>mail</b>", "attempts": 3, "error": "SMTP refused"}],
        "drive": "/mnt/shared/Acme",
        "mail_check": "the SMTP server smtp.agency.example:587",
    },
    "topics": [{"question": "Who", "prompt": "Mandatory training?", "reason": "3 of 5 chose Yes"}],
    # the peer review's mails when sites cannot be reached or the list runs out
    "tried": 20,
    "tried_at": "2027-01-20T10:05:00+01:00",
    "sites": [
        {"name": "Alpha <b>", "website": "https://alpha.example", "notes": ["home page: refused"]}
    ],
    # after the workshop: the consensus taken in, the policy drafted, held and delivered
    "decided": 24,
    "deferred": ["Training <b>"],
    "follow_ups": [
        {"topic": "Spokespeople", "what": "Name <them>", "owner": "Carl", "due": "2027-03-01"}
    ],
    "decisions": [{"topic": "Politics", "decision": "own wording"}],
    "overdue": True,
    "due_by": "2027-02-14T23:59:00+01:00",
    "refused": 1,
    "kept": {"url": "", "name": "c.xlsx", "folder": "Inbox / Rejected", "words": "c.xlsx"},
    "document": {"url": "", "name": "P.docx", "folder": "05 Policy", "words": "P.docx <b>"},
    "changes": ["2.1 Spokespeople: changed <b>."],
    "open_count": 2,
    "findings": [
        {
            "key": "E08-abc",
            "clause": "2.3",
            "sentence": "Never <share>.",
            "why": "Undefined.",
            "law": "US: NLRA",
            "applies": "It does not apply in Italy as such.",
            "suggestion": "Define it.",
            "fix": "Define it.",
        }
    ],
    "accepted": [],
    "still_open": [
        {
            "key": "E08-abc",
            "clause": "2.3",
            "sentence": "Never <share>.",
            "why": "Undefined.",
            "law": "US: NLRA",
            "applies": "x",
            "suggestion": "Define it.",
            "fix": "Define it.",
        }
    ],
    "final_policy": "2027-02-21T23:59:00+01:00",
    # the workshop packet: the lead's draft, the delivery
    "consensus": {"url": "", "name": "C.xlsx", "folder": "04 Workshop packet", "words": "C <b>"},
    "word": {"url": "", "name": "W.docx", "folder": "04 Workshop packet", "words": "W <b>"},
    "stale": ["Eurostat: look for an edition newer than 2023 <b>"],
    "delivery": "2027-02-08T09:00:00+01:00",
    "approval": True,
    "recipients": ["Carl Client"],
    "attached": False,
    "places": [
        {"url": "https://drive.example/P.xlsx", "name": "P.xlsx", "folder": "", "words": "P"}
    ],
    "limit_mb": 10.0,
    # the lead's notices: a message in doubt, an engagement started over
    "doubt": {
        "key": "acme/company-list/request",
        "subject": "Your list <b>",
        "to": ["Carl Client <carl@acme.example>"],
        "cc": ["Lea Lead <lea@agency.example>"],
        "attempted": "Thu 14 Jan 2027, 09:30 CET",
        "message_id": "<4c84970282f6@agency.example>",
        "reason": "the worker stopped",
    },
    "started_over": {
        "kickoff": "Mon 4 Jan 2027, 10:00 CET",
        "found": ["2 file(s) in '01 Company list'"],
        "drive": "/mnt/shared/Acme",
        "database": "sqlite:///var/smpp.db",
    },
    # the follow-up's mails ("what" and "name" above serve them too)
    "page": {
        "url": "",
        "name": "Follow-up report - Acme - v1.html",
        "folder": "06 Follow-up",
        "words": '"Follow-up report - Acme - v1.html", in the folder "06 Follow-up"',
    },
    "open_items": [
        {
            "topic": "E06 Authorized <b>spokespeople</b>",
            "item": "E06",
            "what": "Name the <i>spokespeople</i>",
            "owner": "Ann <ann@acme.example>",
            "due_words": "Monday 1 March 2027",
            "notes": "",
            "slug": "acme",
            "done": False,
        }
    ],
    "gaps": ["The final policy is not recorded as delivered."],
    "topic": "E06 Authorized <b>spokespeople</b>",
    "item": "E06",
    "owner": "Zed <Unknown>",
    "due_words": "Monday 1 March 2027",
    "notes": "Ask <Legal>",
    "why": "nobody named Zed is among the engagement's people",
    "reason": "Every open item of the follow-up is done (3 in all).",
    "items": 3,
}


def message(**overrides: object) -> Message:
    fields: dict[str, object] = {
        "key": "acme/company-list/request",
        "kind": "company_list_request",
        "sender": "SMPP desk <smpp@agency.example>",
        "to": ("Carl Client <carl@acme.example>",),
        "cc": ("Lea Lead <lea@agency.example>",),
        "subject": "Your list",
        "text": "Plain body",
        "html": "<p>HTML body</p>",
        "date": datetime(2027, 1, 14, 8, tzinfo=UTC),
        "attachments": (Attachment("list.xlsx", b"PK\x03\x04data", "application/vnd.ms-excel"),),
    }
    fields.update(overrides)
    return Message(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", email_kinds())
def test_every_email_template_renders_with_strict_variables_and_escaped_html(kind: str) -> None:
    subject, text, html = render_email(kind, SAMPLE_CONTEXT)
    assert subject and "\n" not in subject
    assert "Acme <script>" in subject  # plain text is not HTML: nothing to escape there
    assert text.startswith("Dear Carl,\n\n")
    assert text.endswith("\n\nKind regards,\nLea Lead\nLead & <Partners>\n  www.lead.example\n")
    assert (
        "<script>" not in html and "Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons" in html
    )
    assert (
        "Kind regards,<br>\nLea Lead<br>\nLead &amp; &lt;Partners&gt;<br>\n  www.lead.example</p>"
        in html
    )
    assert all(len(line) <= 78 for line in text.splitlines()), text


def test_the_rejection_lists_every_problem_with_its_row() -> None:
    _, text, html = render_email("company_list_rejected", SAMPLE_CONTEXT)
    assert "  - Row 7: 'acme dot com' is not a web address." in text
    assert "  - The list has 19 distinct companies." in text
    assert "<li>Row 7: &#39;acme dot com&#39; is not a web address.</li>" in html


def test_the_message_id_derives_from_the_key() -> None:
    first, again = message(), message(subject="other")
    assert first.message_id == again.message_id
    assert first.message_id.endswith("@agency.example>")
    assert message(key="acme/other").message_id != first.message_id


def test_the_outbox_writes_one_eml_per_key(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path / "Outbox")
    where = outbox.send(message())
    outbox.send(message())  # a repeat of the same key overwrites, never duplicates
    # ... even a repeat at a later moment (after a crash): the first file is replaced.
    again = outbox.send(message(date=datetime(2027, 1, 14, 10, 5, tzinfo=UTC)))
    assert again == where
    assert len(list((tmp_path / "Outbox").iterdir())) == 1
    assert Path(where).name == "20270114-0800 company_list_request 4c84970282f6.eml"
    parsed = email.message_from_bytes(Path(where).read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "Carl Client <carl@acme.example>"
    assert parsed["Cc"] == "Lea Lead <lea@agency.example>"
    assert parsed["Message-ID"] == message().message_id
    assert parsed.get_body(("plain",)).get_content().strip() == "Plain body"  # type: ignore[union-attr]
    assert parsed.get_body(("html",)).get_content().strip() == "<p>HTML body</p>"  # type: ignore[union-attr]
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_filename() == "list.xlsx"
    assert attachment.get_content() == b"PK\x03\x04data"


def test_smtp_delivers_the_same_message_to_every_recipient(smtp_server: SmtpServer) -> None:
    settings = SmtpSettings(host=smtp_server.host, port=smtp_server.port, security="none")
    SmtpMailer(settings, "smpp@agency.example", None).send(message())
    [received] = smtp_server.collector.received
    assert received.envelope_from == "smpp@agency.example"
    assert received.recipients == ["carl@acme.example", "lea@agency.example"]
    assert received.message["Message-ID"] == message().message_id


def test_smtp_refusal_and_absence_raise_naming_the_server(smtp_server: SmtpServer) -> None:
    settings = SmtpSettings(host=smtp_server.host, port=smtp_server.port, security="none")
    server = f"{smtp_server.host}:{smtp_server.port}"
    smtp_server.collector.refuse = True
    with pytest.raises(SmtpError, match=f"^SMTP {server}: SMTPDataError: \\(451") as refused:
        SmtpMailer(settings, "smpp@agency.example", None).send(message())
    assert not isinstance(refused.value, DeliveryUnknown)  # the server said no: not delivered
    smtp_server.stop()
    with pytest.raises(SmtpError, match=f"^SMTP {server}: ConnectionRefusedError"):
        SmtpMailer(settings, "smpp@agency.example", None).send(message())


def test_a_server_that_hangs_up_after_taking_the_message_leaves_its_delivery_unknown(
    smtp_server: SmtpServer,
) -> None:
    settings = SmtpSettings(host=smtp_server.host, port=smtp_server.port, security="none")
    smtp_server.collector.hang_ups = 1
    with pytest.raises(DeliveryUnknown, match="SMTPServerDisconnected"):
        SmtpMailer(settings, "smpp@agency.example", None).send(message())
    assert len(smtp_server.collector.received) == 1  # it did arrive: only the server knows


def test_a_message_refused_for_one_recipient_is_delivered_to_the_others_and_says_so(
    smtp_server: SmtpServer,
) -> None:
    settings = SmtpSettings(host=smtp_server.host, port=smtp_server.port, security="none")
    smtp_server.collector.unknown_recipients = {"lea@agency.example"}
    where = SmtpMailer(settings, "smpp@agency.example", None).send(message())
    assert where == (
        f"smtp://{smtp_server.host}:{smtp_server.port} "
        "(refused: Lea Lead <lea@agency.example>: 550 5.1.1 No such user)"
    )
    [received] = smtp_server.collector.received
    assert received.recipients == ["carl@acme.example"]


def test_the_transport_is_chosen_from_settings_and_the_password_read_by_reference(
    tmp_path: Path,
) -> None:
    outbox = build_mailer(MailSettings(), tmp_path, lambda ref: "unused")
    assert isinstance(outbox, OutboxMailer) and outbox.folder == tmp_path / "outbox"
    asked = []
    settings = MailSettings.model_validate(
        {
            "transport": "smtp",
            "smtp": {"host": "mail.example", "user": "u", "password": {"env": "SMTP_PASSWORD"}},
        }
    )
    smtp = build_mailer(settings, tmp_path, lambda ref: asked.append(ref.env) or "s3cret")
    assert isinstance(smtp, SmtpMailer) and smtp.password is not None
    assert asked == []  # read when a message is sent, so a missing secret fails only the sends
    assert smtp.password() == "s3cret"
    assert asked == ["SMTP_PASSWORD"]
