"""Builds what an advance works with: the engagement file, the state store, the mail transport.

The one place where a secret reference is resolved, so a Prefect Secret block works here while
the core knows only references.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from smpp.engine import Setup
from smpp.mailer import build_mailer
from smpp.models import SecretRef, load_engagement
from smpp.store import Store

DEFAULT_ENGAGEMENTS_DIR = "engagements"


class MissingSecret(RuntimeError):
    pass


def read_secret(ref: SecretRef) -> str:
    if ref.env is not None:
        value = os.environ.get(ref.env)
        if not value:
            raise MissingSecret(f"the {ref.describe()} is not set")
        return value
    from prefect.blocks.system import Secret

    assert ref.prefect_secret is not None
    try:
        # Called from synchronous code, load() returns the block itself, not a coroutine.
        secret = cast("Secret[str]", Secret.load(ref.prefect_secret))
    except ValueError:
        raise MissingSecret(f"there is no {ref.describe()} on this Prefect server") from None
    return str(secret.get())


def engagement_path(slug: str, engagements_dir: str | None = None) -> Path:
    folder = engagements_dir or os.environ.get("SMPP_ENGAGEMENTS", DEFAULT_ENGAGEMENTS_DIR)
    return Path(folder) / f"{slug}.yaml"


def load_setup(slug: str, engagements_dir: str | None = None, database: str | None = None) -> Setup:
    engagement = load_engagement(engagement_path(slug, engagements_dir))
    mailer = build_mailer(engagement.mail, engagement.drive, read_secret)
    return Setup(engagement, Store(database), mailer)
