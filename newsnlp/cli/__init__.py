"""The ``newsnlp`` command: :func:`main` builds the parser from each command's ``register_cli``.

- :mod:`.main`: the parser and the dispatcher;
- :mod:`.options`: the analysis options every command that builds an Analyzer shares
  (``add_analyzer_arguments`` -> ``config_from_args`` -> :class:`~newsnlp.config.AnalyzerConfig`);
- one module per command: :mod:`.analyze`, :mod:`.tag`, :mod:`.idf`, :mod:`.tags`, :mod:`.entities`,
  :mod:`.report`, :mod:`.evaluate`, :mod:`.bench` (which forwards its arguments to ``benchmarks/run.py``).
"""

from __future__ import annotations

from .main import build_parser, main, positive_int

__all__ = ["build_parser", "main", "positive_int"]
