"""``newsnlp evaluate``: a thin wrapper over :func:`newsnlp.evaluation.evaluate`."""

from __future__ import annotations

import argparse
import json
import sys

from .._util import atomic_write, positive_int_arg
from ..evaluation.data import BUILTIN_SETS

__all__ = ["register_cli"]




def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ..errors import NewsNLPError
    from ..evaluation.run import evaluate

    if args.out:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            from ..evaluation.report import MATPLOTLIB_HINT

            print(f"newsnlp evaluate: {MATPLOTLIB_HINT}", file=sys.stderr)
            return 2
    try:
        report = evaluate(
            args.data, summary_models=args.summary_model or ["default"], ner_models=args.ner_model or ["default"],
            data_dir=args.data_dir, limit=args.limit, seed=args.seed, n_resamples=args.resamples,
            list_rules=args.list_rules, label_map=args.label_map, device=args.device,
            progress=not args.no_progress and not (args.json == "-"),
        )
    except (NewsNLPError, FileNotFoundError) as exc:
        print(f"newsnlp evaluate: {exc}", file=sys.stderr)
        return 2
    if args.json == "-":
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.to_text())
        if args.json:
            atomic_write(args.json, json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
            print(f"wrote {args.json}", file=sys.stderr)
    if args.out:
        written = report.write_markdown(args.out)
        print("wrote " + ", ".join(map(str, written)), file=sys.stderr)
    return 0


def register_cli(subparsers) -> None:
    """Add ``newsnlp evaluate`` to the ``newsnlp`` command."""
    p = subparsers.add_parser(
        "evaluate",
        help="score summarisers and entity models beside the baselines on a labelled set",
        description="Score models on a labelled set in the newsdev format (docs/evaluate.md), side by side with "
        "the baselines (Lead-1/3, TextRank, jieba TF-IDF/TextRank, jieba POS) on the same records, with a paired "
        "bootstrap interval for each model's difference to the best baseline.",
    )
    p.add_argument("--data", required=True, metavar="SET",
                   help=f"a .jsonl/.json/.parquet file, a saved datasets folder, a folder of posts with labels.jsonl, "
                        f"or a built-in set: {', '.join(BUILTIN_SETS)} (all but sample need --data-dir)")
    p.add_argument("--data-dir", default=None, metavar="DIR", help="folder of the public sets (e.g. ../shared/data)")
    p.add_argument("--summary-model", action="append", metavar="MODEL",
                   help="repeatable: default, a seq2seq model directory or hub id (offline), or module:callable "
                        "(text -> summary); default: default")
    p.add_argument("--ner-model", action="append", metavar="MODEL",
                   help="repeatable: default, a token-classification model directory or hub id (offline), a newsnlp NER "
                        "model directory, or module:callable (text -> Entities, dict of lists or spans); default: default")
    p.add_argument("--limit", type=positive_int_arg, default=None, metavar="N", help="score the first N records only")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    p.add_argument("--resamples", type=positive_int_arg, default=1000, metavar="N", help="bootstrap resamples (default 1000)")
    p.add_argument("--list-rules", choices=("newsdev", "exact"), default="newsdev",
                   help="entity-list matching: newsdev (the data README's rules, default) or exact (docs/benchmarks.md's "
                        "sample-corpus rules: officials as (name, title) pairs, no short-form resolution)")
    p.add_argument("--label-map", choices=("newsnlp", "cluener", "msra", "resume"), default=None,
                   help="labels of the gold spans (default: guessed from the labels)")
    p.add_argument("--device", default=None, help="device for transformers models: auto (default), cpu, cuda:0")
    p.add_argument("--out", default=None, metavar="REPORT.md", help="write a Markdown report with PNG charts in img/ beside it")
    p.add_argument("--json", default=None, metavar="PATH", help="write all numbers as JSON to PATH ('-': stdout, no table)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_evaluate)
