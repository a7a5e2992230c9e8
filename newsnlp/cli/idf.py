"""``newsnlp idf build ARCHIVE -o OUT``: a thin wrapper over :func:`newsnlp.keywords.idf.build_idf`."""

from __future__ import annotations

import sys
from typing import Any

from .._util import positive_int_arg
from .common import USAGE_ERROR, add_command_group, read_archive, run_reporting_errors

__all__ = ["register_cli"]


def _cmd_build(args: Any) -> int:
    from ..errors import ArticleError
    from ..keywords.idf import article_document, build_idf, default_idf
    from ..text.segmentation import Segmenter, get_segmenter

    segmenter = Segmenter(user_dict=args.user_dict) if args.user_dict else get_segmenter()
    docs = run_reporting_errors("idf build", lambda: [article_document(a) for a in read_archive(args.archive)],
                                errors=(FileNotFoundError, ArticleError))
    if docs is None:
        return USAGE_ERROR
    if not docs:
        print(f"newsnlp idf build: no posts found under {args.archive} (looked for .md/.html/.txt posts, .jsonl/.parquet records or a saved dataset)",
              file=sys.stderr)
        return USAGE_ERROR
    table = build_idf(docs, segmenter=segmenter, min_df=args.min_df, meta={"corpus": str(args.archive)})
    if args.merge_shipped:
        table = default_idf().merged(table)
    out = table.save(args.output)
    print(f"wrote {out}: {len(table)} words from {table.n_docs} documents (min_df={table.min_df})")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``newsnlp idf build ARCHIVE -o OUT``."""
    group = add_command_group(subparsers, "idf", help="build an IDF table for keyword scoring",
                              description="Build inverse-document-frequency tables for keyword extraction.")
    b = group.add_parser(
        "build",
        help="count document frequencies over an archive",
        description="Count word document frequencies over an archive (a folder of posts, one post, a .jsonl or "
        ".parquet file of records, or a saved dataset) and write a table that KeywordExtractor.load(idf=...), "
        "Analyzer(idf=...) and `newsnlp analyze --idf` can use.",
    )
    b.add_argument("archive", metavar="ARCHIVE", help="folder of .md/.html/.txt posts, a .jsonl/.parquet file, or a saved dataset")
    b.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (.tsv or .tsv.gz)")
    b.add_argument("--min-df", type=positive_int_arg, default=2, help="drop words seen in fewer documents (default 2)")
    b.add_argument("--merge-shipped", action="store_true", help="add the shipped news table's counts")
    b.add_argument("--user-dict", default=None, help="jieba user dictionary for segmentation")
    b.set_defaults(func=_cmd_build)
