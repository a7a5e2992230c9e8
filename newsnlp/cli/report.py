"""``newsnlp report``: a static site from the records of ``newsnlp tag`` (a thin wrapper over :func:`newsnlp.report.build_report`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register_cli"]


def _cmd_report(args: argparse.Namespace) -> int:
    from ..report import ReportError, build_report

    try:
        summary = build_report(args.analysis, args.output, errors=args.errors, archive=args.archive,
                               title=args.title, top_k=args.top, workers=args.workers)
    except (ReportError, ValueError) as exc:
        print(f"newsnlp report: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"newsnlp report: {summary.summary_line()}; open {args.output.rstrip('/')}/index.html", file=sys.stderr)
    return 0


def register_cli(subparsers: Any) -> None:
    """Add the ``report`` command to the ``newsnlp`` parser."""
    p = subparsers.add_parser(
        "report",
        help="build a browsable static site from the JSONL of `newsnlp tag`",
        description="Build a static site from the records `newsnlp tag` wrote: an overview (counts, date range, "
        "top tags, organisations, officials, programmes, a timeline of mentions per month), a page per tag, "
        "organisation, official and programme, a page per post with its mentions highlighted, search, and "
        "the errors file as a table. Open OUTPUT/index.html from disk or publish the folder.",
    )
    p.add_argument("analysis", metavar="ANALYSIS.jsonl", help="the JSONL output of `newsnlp tag`")
    p.add_argument("-o", "--output", default="report", help="folder to write (empty, new, or an earlier report; default: report)")
    p.add_argument("--errors", default=None, help="the run's errors file (default: ANALYSIS.errors.jsonl when present)")
    p.add_argument("--archive", default=None, help="folder of the posts, if not at the records' paths (needed to highlight mentions)")
    p.add_argument("--title", default=None, help="title of the site (default: the JSONL's file name)")
    p.add_argument("--top", type=int, default=20, help="names listed per kind on the overview (default 20)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes writing the post pages of archives of 2,000+ records (default 1)")
    p.add_argument("--quiet", action="store_true", help="do not print the summary line")
    p.set_defaults(func=_cmd_report)
