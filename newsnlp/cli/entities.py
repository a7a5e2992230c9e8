"""``newsnlp entities learn ARCHIVE -o lexicon.tsv``: a thin wrapper over
:func:`newsnlp.entities.lexicon.learn_entity_lexicon`."""

from __future__ import annotations

from typing import Any

from .common import USAGE_ERROR, add_command_group, add_learn_parser, read_archive, run_reporting_errors, write_output

__all__ = ["register_cli"]


def _cmd_learn(args: Any) -> int:
    from ..entities.lexicon import learn_entity_lexicon

    lexicon = run_reporting_errors(
        "entities learn",
        lambda: learn_entity_lexicon(read_archive(args.archive), min_posts=args.min_posts),
        errors=(FileNotFoundError, ValueError),
    )
    if lexicon is None:
        return USAGE_ERROR
    out = write_output(args.output, lexicon.to_tsv())
    short = sum(1 for _, _, canonical in lexicon.entries.values() if canonical)
    print(f"wrote {out}: {len(lexicon) - short} names, {short} short forms")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``newsnlp entities learn ARCHIVE -o lexicon.tsv``."""
    group = add_command_group(subparsers, "entities", help="entity lexicons",
                              description="Work with an archive's entity lexicon.")
    learn = add_learn_parser(
        group,
        help="learn the organisation names of an archive",
        description="Run the entity extractor over ARCHIVE and write the organisation names it finds with "
        "confidence (in --min-posts posts, with a stock code, or as a full company name) and their short "
        "forms; use the file with `newsnlp tag --entity-lexicon FILE` or Analyzer(entity_lexicon=FILE).",
        output_help="lexicon file to write (TSV)",
    )
    learn.add_argument("--min-posts", type=int, default=2, help="keep names found in at least this many posts (default 2)")
    learn.set_defaults(func=_cmd_learn)
