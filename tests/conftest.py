"""Shared test settings: property tests are deterministic on CI so that a run can be repeated."""

import io
import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# --- what the robustness tests tried, printed at the end of the run (the README cites these) ---

TALLY: dict[str, int] = {}


@pytest.fixture(scope="session")
def tally() -> dict[str, int]:
    """Counters a robustness test adds to: tally["keys sent"] += 1, tally["failures"] stays 0."""
    return TALLY


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        counts = ", ".join(f"{what}: {count:,}" for what, count in TALLY.items())
        terminalreporter.write_line(f"robustness tried — {counts}")


class CountingSink(io.TextIOBase):
    """A text stream that counts what is written and keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


@pytest.fixture
def counting_sink() -> type[CountingSink]:
    """Make sinks with counting_sink(): for exports too big to keep."""
    return CountingSink
