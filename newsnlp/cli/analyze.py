"""``newsnlp analyze``: print the analysis of articles as JSON (a thin wrapper over :class:`newsnlp.Analyzer`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .options import add_analyzer_arguments, config_from_args

__all__ = ["register_cli"]


def _read_input(source: str) -> Any:
    from ..article import decode_bytes, parse_post, read_article

    if source == "-":
        data = sys.stdin.buffer.read()
        return parse_post(decode_bytes(data, source="<stdin>"), source="<stdin>")
    return read_article(Path(source))


def _cmd_analyze(args: argparse.Namespace) -> int:
    from ..analyzer import Analyzer

    try:
        nlp = Analyzer(config=config_from_args(args))
    except (TypeError, ValueError) as exc:
        print(f"newsnlp analyze: {exc}", file=sys.stderr)
        return 2
    status = 0
    for source in args.paths:
        try:
            article = _read_input(source)
            result = nlp(article).to_dict()
        except Exception as exc:  # one bad file must not hide the others' results
            from ..errors import NewsNLPError

            if not isinstance(exc, (NewsNLPError, OSError, TypeError, ValueError)):
                raise
            print(f"newsnlp analyze: {source}: {exc}", file=sys.stderr)
            status = 1
            continue
        if article.path:
            result["path"] = article.path
        if not args.keep_mentions:
            result["entities"].pop("mentions", None)
        print(json.dumps(result, ensure_ascii=False, indent=2 if args.pretty else None))
    return status


def register_cli(subparsers: Any) -> None:
    """Add ``newsnlp analyze`` to the ``newsnlp`` command."""
    p = subparsers.add_parser(
        "analyze",
        help="print the analysis of articles as JSON",
        description="Print summary, tags, keywords and entities of each article as one JSON object "
        "(one per line, or indented with --pretty). Use - to read one article from standard input; "
        "a path starting with - can be given as ./-name.md or after --.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file(s), or - for standard input")
    p.add_argument("--pretty", action="store_true", help="indent the JSON for people")
    p.add_argument("--keep-mentions", action="store_true", help="include the raw entity mentions")
    add_analyzer_arguments(p)
    p.set_defaults(func=_cmd_analyze)
