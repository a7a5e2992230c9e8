"""What every evaluator returns: a :class:`Block` of :class:`Row` values, and how to fill one safely."""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

Value = float | int | str | None


@dataclass
class Row:
    """One system's numbers in a table: ``kind`` is "model", "baseline" or "reference"."""

    system: str
    kind: str
    values: dict[str, Value] = field(default_factory=dict)
    note: str = ""


@dataclass
class Block:
    """One table of the report, with what is needed to chart it.

    ``columns`` are ``(value key, header)`` pairs; ``chart`` names the figure it joins
    (``None``: not charted) and ``chart_metric`` the value key plotted when one metric per
    block is charted (``None``: every column of the block is plotted).
    """

    key: str
    section: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: str | None = None
    chart_metric: str | None = None
    short: str = ""
    computed_at: str = ""
    seconds: float = 0.0
    plain: set[str] = field(default_factory=set)
    headline: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DD HH:MM:SSZ``."""
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())


class Skip(Exception):
    """A system or set that cannot run here (missing model, missing data); the reason is reported."""


# Errors that mean "not available here" rather than "broken": they skip a row with a note.
def _unavailable_errors() -> tuple[type[BaseException], ...]:
    from newsnlp.errors import ModelLoadError, ModelNotFoundError

    return (Skip, ModelNotFoundError, ModelLoadError, ImportError, FileNotFoundError)


def run_system(system: str, kind: str, compute: Callable[[], dict[str, Value]]) -> Row:
    """Run one system's evaluation; a missing model or a crash becomes a row with a note, not a crash.

    Benchmarks run against other people's work in progress: one broken stage must not hide
    the numbers of the others, so the error is printed and recorded in the report.
    """
    try:
        return Row(system, kind, compute())
    except _unavailable_errors() as exc:
        return Row(system, kind, {}, note=f"skipped: {_one_line(exc)}")
    except Exception as exc:  # noqa: BLE001 - reported in the table and on stderr
        traceback.print_exc(file=sys.stderr)
        return Row(system, kind, {}, note=f"failed: {type(exc).__name__}: {_one_line(exc)}")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def timed_block(build: Callable[[], Block]) -> Block:
    """Build a block and stamp it with when it was computed and how long it took."""
    start = time.perf_counter()
    block = build()
    block.seconds = round(time.perf_counter() - start, 1)
    block.computed_at = utc_now()
    return block
