"""The policy stage end to end on a simulated clock, mail through a real SMTP server: written
from the consensus as soon as it is recorded (DOCX and HTML), sent to the account lead as a
draft with its check, delivered to the client at the final-policy milestone with the Word file
attached; a finding holds it until the lead accepts it; a changed consensus gives version 2 with
its change list. Nothing is sent twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from smpp.decisions import Decision, DecisionError, decide, record
from smpp.engine import advance
from smpp.events import DELIVERABLE_WRITTEN
from smpp.setup import take_stock
from smpp.stages.policy.records import policies, policy_pages
from tests.conftest import SmtpServer
from tests.test_consensus_stage import at, complete, drop, make_setup, row, workbook


def kinds(server: SmtpServer) -> list[tuple[str, str, str]]:
    """(kind, recipients, local day) of every policy mail, in order."""
    found = []
    for received in server.collector.received:
        kind = received.message["X-SMPP-Kind"]
        if kind.startswith("policy"):
            day = received.message["Date"].datetime.date().isoformat()
            found.append((kind, ", ".join(received.recipients), day))
    return found


def mail_of(server: SmtpServer, kind: str) -> Any:
    return [r.message for r in server.collector.received if r.message["X-SMPP-Kind"] == kind]


def test_written_from_the_consensus_drafted_to_the_lead_and_delivered_at_the_milestone(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))
    drop(setup, "Consensus.xlsx", workbook(complete()), at("2027-02-12T14:00"))
    advance(setup, at("2027-02-12T14:30"))
    state = take_stock(setup)
    (written,) = policies(state)
    (page,) = policy_pages(state)
    assert written.data["version"] == 1 and written.data["findings"] == []
    assert Path(written.data["path"]).name == "Policy - Acme Foods - v1.docx"
    assert Path(written.data["path"]).parent.name == "05 Policy"
    assert Path(page.data["path"]).suffix == ".html"
    read = docx.Document(written.data["path"])
    assert read.paragraphs[0].text == "Acme Foods"
    assert kinds(smtp_server) == [("policy_draft", "lea@agency.example", "2027-02-12")]
    draft = mail_of(smtp_server, "policy_draft")[0]
    assert draft["Subject"] == "Acme Foods draft policy v1: checked, nothing found"
    body = draft.get_body(("plain",)).get_content()
    assert '"Policy - Acme Foods - v1.docx", in the folder "05 Policy"' in " ".join(body.split())
    assert str(tmp_path) not in body  # a place on the shared drive, never a server path

    for moment in ("2027-02-15T10:00", "2027-02-19T10:00", "2027-02-22T10:00", "2027-02-22T11:00"):
        advance(setup, at(moment))
    # T+10 is Sunday 21 February: the policy goes out on the working day before, once.
    assert kinds(smtp_server)[1:] == [
        ("policy_delivered", "carl@acme.example, lea@agency.example", "2027-02-19")
    ]
    delivered = mail_of(smtp_server, "policy_delivered")[0]
    (attached,) = list(delivered.iter_attachments())
    assert attached.get_filename() == "Policy - Acme Foods - v1.docx"
    assert attached.get_content() == Path(written.data["path"]).read_bytes()


def risky() -> list[dict[str, Any]]:
    """A consensus with an undefined confidentiality ban and no carve-out anywhere."""
    rows = complete()
    rows[0] = row("E01", Decision="Official accounts only")
    rows[7] = row(
        "E08", Decision="Own wording", **{"Agreed wording": "Never share confidential information."}
    )
    rows[14] = row("E15", Decision="Deferred")
    return rows


def test_a_finding_holds_the_policy_until_the_lead_accepts_it(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))
    drop(setup, "Consensus.xlsx", workbook(risky()), at("2027-02-12T14:00"))
    advance(setup, at("2027-02-12T14:30"))
    (written,) = policies(take_stock(setup))
    (finding,) = written.data["findings"]
    assert finding["clause"] == "2.3" and finding["element"] == "E08"
    draft = mail_of(smtp_server, "policy_draft")[0]
    assert draft["Subject"] == "Acme Foods draft policy v1: 1 check finding to look at"
    body = draft.get_body(("plain",)).get_content()
    assert f"smpp decide acme-foods accept-finding --key {finding['key']}" in body
    assert "Law: US: NLRA Section 7" in body

    advance(setup, at("2027-02-22T10:00"))
    advance(setup, at("2027-02-22T12:00"))
    assert [k for k, _, _ in kinds(smtp_server)] == ["policy_draft", "policy_held"]

    state = take_stock(setup)
    with pytest.raises(DecisionError, match="is not a finding of the latest policy"):
        decide(
            state,
            Decision(kind="accept_finding", key="E08-nothing", note="x"),
            at("2027-02-22T13:00"),
        )
    accepted = decide(
        state,
        Decision(kind="accept_finding", key=finding["key"], note="Legal approved the wording"),
        at("2027-02-22T13:00"),
    )
    record(setup.store, accepted)
    advance(setup, at("2027-02-22T13:05"))
    assert [k for k, _, _ in kinds(smtp_server)] == [
        "policy_draft",
        "policy_held",
        "policy_delivered",
    ]


def test_a_changed_consensus_gives_version_two_with_its_change_list(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = make_setup(tmp_path, smtp_server)
    advance(setup, at("2027-01-04T10:00"))
    drop(setup, "Consensus.xlsx", workbook(complete()), at("2027-02-12T14:00"))
    advance(setup, at("2027-02-12T14:30"))
    changed = complete()
    changed[2] = row("E03")  # training decided after all
    drop(setup, "Consensus v2.xlsx", workbook(changed), at("2027-02-16T11:00"))
    advance(setup, at("2027-02-16T11:30"))
    state = take_stock(setup)
    assert [p.data["version"] for p in policies(state)] == [1, 2]
    assert policies(state)[1].data["changes"] == [
        "1.3 Training, certification & education: added (position chosen: training required "
        "before speaking for the company).",
        "Open item closed on Training, certification & education: The topic was left for a "
        "later decision.",
    ]
    subjects = [m["Subject"] for m in mail_of(smtp_server, "policy_draft")]
    assert subjects[1] == "Acme Foods draft policy v2: checked, nothing found"
    advance(setup, at("2027-02-22T10:00"))
    (delivered,) = mail_of(smtp_server, "policy_delivered")
    assert delivered["Subject"] == "Acme Foods social media policy (version 2)"
    read = docx.Document(policies(state)[1].data["path"])
    history = [[c.text for c in r.cells] for r in read.tables[-1].rows]
    assert [h[0] for h in history] == ["Version", "1", "2"]
    assert (
        sum(e.kind == DELIVERABLE_WRITTEN and e.data["stage"] == "policy" for e in state.events)
        == 4
    )
