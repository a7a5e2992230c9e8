"""The ``newsnlp`` command: :func:`main` builds the parser from each command's ``register_cli``.

- :mod:`.main`: the parser, ``analyze``, and the dispatcher.
- :mod:`.bench`: ``newsnlp bench``.
"""

from __future__ import annotations

from .main import build_parser, main, positive_int

__all__ = ["build_parser", "main", "positive_int"]
