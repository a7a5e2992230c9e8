"""The 0.1 home of ``newsnlp evaluate``'s parser, now :mod:`newsnlp.cli.evaluate` (kept for one release)."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["register_cli"]


def __getattr__(name: str) -> Any:
    # By name, not by an import statement: evaluation (layer 4) does not import cli (layer 5).
    if name in ("register_cli", "_cmd_evaluate"):
        return getattr(importlib.import_module("newsnlp.cli.evaluate"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
