"""Carrying out the packet's actions: reading its inputs from the record, writing the packet
workbook, its readable document (HTML and Word) and the consensus workbook to
`04 Workshop packet`, and attaching the packet's files to its mail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from smpp import drive
from smpp.events import DELIVERABLE_WRITTEN
from smpp.scenario import load_scenario, stale_figures
from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Performed
from smpp.stages.packet.consensus_workbook import FORM, build_consensus_workbook
from smpp.stages.packet.content import Packet, build_packet
from smpp.stages.packet.document import render_packet_document
from smpp.stages.packet.events import ConsensusWritten, PacketWritten
from smpp.stages.packet.planner import WritePacket
from smpp.stages.packet.records import CONSENSUS, DOCUMENT, NAME, WORD, WORKBOOK
from smpp.stages.packet.word import packet_docx
from smpp.stages.packet.workbook import build_packet_workbook
from smpp.stages.peer_review.comparison import CompanyReview, compare
from smpp.stages.peer_review.records import latest_reviews, review_workbooks
from smpp.stages.questionnaire.performers import respondents
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.summary import summarise
from smpp.state import State


def packet_from_record(state: State, today: datetime) -> Packet:
    """The packet's content from what the record holds: the peer review's latest workbook (its
    companies, as recorded), the questionnaire's answers that stand, the scenario's figures."""
    engagement = state.engagement
    settings = engagement.scenario
    figures = load_scenario(settings.path, settings.figures)
    stale = stale_figures(figures, today.date(), settings.max_age_years)
    written = review_workbooks(state)
    reviews: list[CompanyReview] = []
    if written:
        found = latest_reviews(state)
        reviews = [
            CompanyReview.from_record(found[d].data)
            for d in written[-1].data["companies"]
            if d in found and found[d].data.get("found")
        ]
    people = respondents(state)
    questions = questions_for(engagement.questions)
    summary = summarise(questions, people) if people else None
    return build_packet(
        engagement.client,
        engagement.workshop_at,
        engagement.packet.session_minutes,
        figures,
        stale,
        questions,
        summary,
        reviews,
        compare(reviews),
        anonymise=engagement.anonymise_answers,
    )


def write_packet(setup: Setup, action: WritePacket, now: datetime) -> Performed:
    engagement = setup.engagement
    state = take_stock(setup)
    made_at = now.astimezone(engagement.zone)
    packet = packet_from_record(state, made_at)
    agency = engagement.mail.sender.name
    version = action.version
    client = drive.safe_name(engagement.client)
    draft = False  # the version the lead reviews is the one that goes out
    files = (
        (
            f"Workshop packet - {client} - v{version}.xlsx",
            build_packet_workbook(packet, made_at, version=version, agency=agency, draft=draft),
        ),
        (
            f"Workshop packet - {client} - v{version}.html",
            render_packet_document(packet, made_at, version=version, agency=agency, draft=draft),
        ),
        (
            f"Workshop packet - {client} - v{version}.docx",
            packet_docx(packet, made_at, version=version, agency=agency, draft=draft),
        ),
        (
            f"Consensus - {client} - v{version}.xlsx",
            build_consensus_workbook(
                packet, engagement.slug, made_at, version=version, agency=agency
            ),
        ),
    )
    paths = [drive.write_deliverable(engagement.drive, NAME, name, data) for name, data in files]
    stale = [s.advice for s in packet.stale]

    def written(part: str, path: Path, size: int) -> dict[str, object]:
        return dict(
            PacketWritten(
                stage=NAME,
                path=str(path),
                part=part,
                version=version,
                fingerprint=action.fingerprint,
                bytes=size,
                missing=list(packet.missing),
                stale=stale,
            )
        )

    workbook = written(WORKBOOK, paths[0], len(files[0][1])) | {"consensus": str(paths[3])}
    document = written(DOCUMENT, paths[1], len(files[1][1]))
    word = written(WORD, paths[2], len(files[2][1]))
    consensus = ConsensusWritten(
        stage=CONSENSUS, path=str(paths[3]), version=version, topics=len(packet.topics), form=FORM
    )
    return (
        DELIVERABLE_WRITTEN,
        workbook,
        [
            (DELIVERABLE_WRITTEN, document),
            (DELIVERABLE_WRITTEN, word),
            (DELIVERABLE_WRITTEN, dict(consensus)),
        ],
    )
