"""The packet as a readable document: one HTML page with print styles (A4, a section per
segment, sources printed after their links), rendered by Jinja2 with every value autoescaped,
so a client's name or an answer holding markup shows as the text it is."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from smpp.documents import long_date
from smpp.stages.packet.content import Packet, agenda_total, figure_value
from smpp.taxonomy import element
from smpp.templating import page_environment

TEMPLATES = Path(__file__).with_name("templates") / "document"


def render_packet_document(
    packet: Packet, made_at: datetime, *, version: int, agency: str, draft: bool = False
) -> bytes:
    matrix = [
        {
            "label": f"{e_id} {element(str(e_id)).name}",
            "marks": ["✓" if bool(packet.matrix.loc[e_id, c]) else "" for c in packet.companies],
        }
        for e_id in (packet.matrix.index if packet.companies else [])
    ]
    html = (
        page_environment(TEMPLATES)
        .get_template("packet.html")
        .render(
            packet=packet,
            version=version,
            made_at=long_date(made_at),
            workshop=long_date(packet.workshop),
            agency=agency,
            draft=draft,
            total=agenda_total(packet.agenda),
            value=figure_value,
            matrix=matrix,
            review_evidence=[
                ("Common elements (most companies)", _evidence_rows(packet, packet.common)),
                ("Differences (some companies)", _evidence_rows(packet, packet.differences)),
            ],
        )
    )
    return html.encode("utf-8")


def _evidence_rows(packet: Packet, ids: tuple[str, ...]) -> list[dict[str, object]]:
    return [
        {
            "element": f"{i} {element(i).name}",
            "evidence": [
                packet.review_evidence[(i, c)]
                for c in packet.companies
                if (i, c) in packet.review_evidence
            ],
        }
        for i in ids
    ]
