"""The demo: one engagement run end to end on a simulated clock, inside a single flow run.

Each simulated step is an advance whose actions are task runs; a flow run per step would cost
about a second each in Prefect's bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow

from smpp.engine import AdvanceReport
from smpp.mailer import build_mailer
from smpp.models import engagement_to_yaml
from smpp.setup import Setup, Web
from smpp.simulation import (
    demo_engagement,
    demo_happenings,
    demo_kickoff,
    demo_summary,
    demo_web,
    run_engagement,
)
from smpp.site_server import SiteServer
from smpp.store import Store
from tasks.actions import carry_out
from tasks.setup import read_secret

# Told of each simulated advance as it ends, in this process (the CLI's progress line); a
# module-level hook rather than a flow parameter, since a parameter is recorded by Prefect.
progress: Callable[[AdvanceReport], None] | None = None


def demo_setup(root: Path, web: Web) -> Setup:
    engagement = demo_engagement(root)
    definitions = root / ".smpp" / "engagements"
    definitions.mkdir(parents=True, exist_ok=True)
    (definitions / f"{engagement.slug}.yaml").write_text(engagement_to_yaml(engagement))
    store = Store(f"sqlite:///{root / '.smpp' / 'state.db'}")
    mailer = build_mailer(engagement.mail, engagement.drive, read_secret)
    return Setup(engagement, store, mailer, web)


@flow(name="smpp-demo", flow_run_name="demo: Northwind Outdoor Gear, whole engagement")
def run_demo(root: str) -> dict[str, Any]:
    with SiteServer() as sites:
        setup = demo_setup(Path(root), demo_web(sites))
        try:
            engagement = setup.engagement
            kickoff = demo_kickoff(engagement)
            people = demo_happenings(engagement, kickoff)
            reports = run_engagement(setup, kickoff, people, run=carry_out, on_step=progress)
            return demo_summary(setup, reports[-1].now)
        finally:
            setup.store.close()
