"""``newsnlp bench``: run the benchmark harness of a source checkout (``benchmarks/run.py``).

The harness scores every stage against its baselines and writes docs/benchmarks.md. It lives
in the repository's ``benchmarks/`` folder (with the sample corpus), not in the installed
package, so the command runs it from the current directory.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .main import positive_int

STAGE_CHOICES = ("summary", "keywords", "entities", "speed", "archive")


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    """The harness' options, shared by ``newsnlp bench`` and ``python -m benchmarks.run``."""
    parser.add_argument("--data-dir", default=None, metavar="DIR",
                        help="folder of the public corpora (e.g. ../shared/data); without it only the sample corpus is scored")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: small subsets and a short speed run (under a minute)")
    parser.add_argument("--out", default=None, metavar="PATH",
                        help="report to write; charts go to img/ beside it and all numbers to PATH with .json "
                             "(default: docs/benchmarks.md; bench-out/benchmarks.md with --quick, so a smoke test "
                             "never overwrites the published report)")
    parser.add_argument("--stages", nargs="+", choices=STAGE_CHOICES, default=None, metavar="STAGE",
                        help=f"what to benchmark, any of: {', '.join(STAGE_CHOICES)} (default: all; all but archive "
                             "with --quick)")
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N",
                        help="score at most N records of each public set (default: whole evaluation splits; 50 with --quick)")
    parser.add_argument("--speed-articles", type=positive_int, default=None, metavar="N",
                        help="articles in the speed run: the sample corpus repeated (default 500; 20 with --quick)")
    parser.add_argument("--archive-posts", type=positive_int, default=None, metavar="N",
                        help="posts in the generated archive tagged by newsnlp.tag_archive with 1 and N workers "
                             "(default 2000; 20 with --quick)")
    parser.add_argument("--workers", type=positive_int, default=None, metavar="N",
                        help="worker processes for the N-process speed run (default: os.cpu_count())")




def _cmd_bench(args: argparse.Namespace) -> int:
    sys.path.insert(0, os.getcwd())
    try:
        run = importlib.import_module("benchmarks.run")
    except ModuleNotFoundError as exc:
        if exc.name not in ("benchmarks", "benchmarks.run"):
            raise
        print(
            f"newsnlp bench: no benchmarks/run.py in the current directory ({os.getcwd()}). The benchmark harness "
            "and its sample corpus ship with the source, not the installed package: cd into a checkout of newsnlp "
            "(the folder holding benchmarks/) and run `newsnlp bench` or `python -m benchmarks.run` there. To score "
            "models on a labelled set from an installed newsnlp, use `newsnlp evaluate --data sample` (docs/evaluate.md).",
            file=sys.stderr,
        )
        return 2
    return int(run.run(args, prog="newsnlp bench") or 0)


def register_cli(subparsers) -> None:
    """Add ``newsnlp bench`` to the ``newsnlp`` command."""
    p = subparsers.add_parser(
        "bench",
        help="score every stage against baselines and write docs/benchmarks.md (run from a checkout)",
        description="Run the benchmark harness of a newsnlp checkout (benchmarks/run.py): quality of the current "
        "models and of the baselines on the sample corpus and, with --data-dir, on LCSTS, CLUENER2020, MSRA, "
        "Resume NER, CSL and TNEWS; speed and memory per stage. Writes a Markdown report with PNG charts.",
    )
    add_bench_arguments(p)
    p.set_defaults(func=_cmd_bench)
