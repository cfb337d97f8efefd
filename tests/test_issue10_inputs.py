"""Issue 10, README "Hostile and broken input": an engagement file is read only if it is at most
1 MB (a huge or sparse file is refused by its size, unread)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from smpp.models import EngagementError, load_engagement


def test_an_engagement_file_over_a_megabyte_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "acme-foods.yaml"
    with path.open("wb") as handle:
        handle.write(b"client: Acme Foods\n")
        handle.truncate(4_000_000_000)  # sparse: 4 GB that take no room
    started = time.monotonic()
    with pytest.raises(EngagementError) as refused:
        load_engagement(path)
    assert time.monotonic() - started < 1
    assert refused.value.problems == [
        "is 4,000,000,000 bytes; an engagement file is a few kilobytes of YAML"
    ]
