"""The ``newsnlp`` command: a thin wrapper over the library's functions."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Sequence

# Modules that add their own subcommands with ``register_cli(subparsers)``; each keeps its
# heavy imports inside functions, so building the parser stays fast.
_EXTENSIONS = ("newsnlp.batch", "newsnlp.keywords.idf", "newsnlp.keywords.vocabulary", "newsnlp.cli.bench",
               "newsnlp.report", "newsnlp.evaluation.cli", "newsnlp.cli.entities")


def positive_int(value: str) -> int:
    """argparse type for a count option: a whole number of at least 1, or a clear usage error."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def _read_input(source: str, args: argparse.Namespace):
    from ..article import parse_post, read_article

    if source == "-":
        data = sys.stdin.buffer.read()
        from ..article import decode_bytes

        return parse_post(decode_bytes(data, source="<stdin>"), source="<stdin>")
    return read_article(Path(source))


def _cmd_analyze(args: argparse.Namespace) -> int:
    from ..analyzer import Analyzer

    nlp = Analyzer(summary_model=args.summary_model, ner_model=args.ner_model, device=args.device)
    status = 0
    for source in args.paths:
        try:
            article = _read_input(source, args)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsnlp",
        description="Abstracts, tags and entities for Chinese news, offline.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"newsnlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "analyze",
        help="print the analysis of articles as JSON",
        description="Print summary, tags, keywords and entities of each article as one JSON object "
        "(one per line, or indented with --pretty). Use - to read one article from standard input; "
        "a path starting with - can be given as ./-name.md or after --.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file(s), or - for standard input")
    p.add_argument("--pretty", action="store_true", help="indent the JSON for people")
    p.add_argument("--keep-mentions", action="store_true", help="include the raw entity mentions")
    p.add_argument("--summary-model", default=None, help="local dir or hub id of a seq2seq model (default: shipped extractive model)")
    p.add_argument("--ner-model", default=None, help="local dir or hub id of a token-classification model")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda:N (transformers back-ends)")
    p.set_defaults(func=_cmd_analyze)

    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        register = getattr(module, "register_cli", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsnlp`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("newsnlp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
