"""Issue 10, property-based tests: an engagement file of any bytes (not only text that is valid
UTF-8, which tests/test_properties.py generates) is an engagement or a clear EngagementError,
never another exception; and so is a valid engagement file damaged anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smpp.models import EngagementError, load_engagement
from tests.conftest import engagement_data

pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)

FAST = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VALID = yaml.safe_dump(engagement_data(Path("/tmp/acme"))).encode()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("issue10-properties")


def loaded_or_refused(folder: Path, content: bytes) -> None:
    path = folder / "acme-foods.yaml"
    path.write_bytes(content)
    try:
        load_engagement(path)
    except EngagementError as refused:
        assert refused.problems and all(p.strip() for p in refused.problems)


@FAST
@given(content=st.binary(max_size=2_000))
def test_any_bytes_are_an_engagement_or_a_clear_error(folder: Path, content: bytes) -> None:
    loaded_or_refused(folder, content)


@FAST
@given(
    at=st.integers(0, len(VALID) - 1),
    cut=st.integers(0, 40),
    insert=st.binary(max_size=12),
)
def test_a_damaged_engagement_file_is_an_engagement_or_a_clear_error(
    folder: Path, at: int, cut: int, insert: bytes
) -> None:
    loaded_or_refused(folder, VALID[:at] + insert + VALID[at + cut :])
