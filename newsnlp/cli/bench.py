"""``newsnlp bench``: run the benchmark harness of a source checkout (``benchmarks/run.py``).

The harness scores every stage against its baselines and writes docs/benchmarks.md. It lives
in the repository's ``benchmarks/`` folder (with the sample corpus), not in the installed
package, so the command runs it from the current directory. The harness owns its options
(``benchmarks.run.build_parser``); this command only forwards its arguments there, so the
library never imports ``benchmarks`` (no import cycle) and the two command lines cannot drift.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

__all__ = ["register_cli"]

_DESCRIPTION = (
    "Run the benchmark harness of a newsnlp checkout (benchmarks/run.py): quality of the current "
    "models and of the baselines on the sample corpus and, with --data-dir, on LCSTS, CLUENER2020, MSRA, "
    "Resume NER, CSL and TNEWS; speed and memory per stage. Writes a Markdown report with PNG charts. "
    "Its options are the harness' own: see `newsnlp bench --help` in a checkout."
)


def _not_here() -> str:
    return (
        f"newsnlp bench: no benchmarks/run.py in the current directory ({os.getcwd()}). The benchmark harness "
        "and its sample corpus ship with the source, not the installed package: cd into a checkout of newsnlp "
        "(the folder holding benchmarks/) and run `newsnlp bench` or `python -m benchmarks.run` there. To score "
        "models on a labelled set from an installed newsnlp, use `newsnlp evaluate --data sample` (docs/evaluate.md)."
    )


def _cmd_bench(args: argparse.Namespace) -> int:
    argv = list(getattr(args, "argv", None) or [])
    sys.path.insert(0, os.getcwd())
    try:
        run = importlib.import_module("benchmarks.run")
    except ModuleNotFoundError as exc:
        if exc.name not in ("benchmarks", "benchmarks.run"):
            raise
        if {"-h", "--help"} & set(argv):
            print(f"usage: newsnlp bench [OPTIONS]\n\n{_DESCRIPTION}\n\n{_not_here()}")
            return 0
        print(_not_here(), file=sys.stderr)
        return 2
    return int(run.main(argv, prog="newsnlp bench") or 0)


def register_cli(subparsers) -> None:
    """Add ``newsnlp bench`` to the ``newsnlp`` command; its arguments go to ``benchmarks.run`` unparsed."""
    p = subparsers.add_parser(
        "bench",
        help="score every stage against baselines and write docs/benchmarks.md (run from a checkout)",
        description=_DESCRIPTION,
        add_help=False,  # --help is the harness' (it lists the options)
    )
    # ``newsnlp.cli.main`` hands the arguments this parser does not know (all of them) to ``argv``.
    p.set_defaults(func=_cmd_bench, forward_argv=True)
