"""``newsnlp report``: a static, browsable site built from the records ``newsnlp tag`` wrote.

Example:
    >>> import newsnlp
    >>> newsnlp.report("_posts.tags.jsonl", "report").posts  # doctest: +SKIP
    1518

The site needs no server: open ``report/index.html`` from disk, or publish the folder with
the archive's Jekyll site (every link is relative; no file or folder starts with ``_``).
Nothing is loaded from outside it: no fonts, scripts or style sheets from the web.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from ._build import MARKER, ReportError, ReportSummary, build_report
from ._names import page_name

__all__ = ["MARKER", "ReportError", "ReportSummary", "build_report", "page_name", "register_cli"]


def __getattr__(name: str) -> Any:
    # The command's parser moved to newsnlp.cli.report; by name, so that this layer does not import cli.
    if name in ("register_cli", "_cmd_report"):
        import importlib

        return getattr(importlib.import_module("newsnlp.cli.report"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """``newsnlp.report(...)`` builds a report, though ``newsnlp.report`` is also this package."""

    def __call__(self, *args: Any, **kwargs: Any) -> ReportSummary:
        return build_report(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
