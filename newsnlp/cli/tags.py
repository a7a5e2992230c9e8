"""``newsnlp tags learn ARCHIVE -o vocab.txt``: a thin wrapper over
:func:`newsnlp.keywords.vocabulary.learn_vocabulary` and
:func:`~newsnlp.keywords.vocabulary.learn_vocabulary_from_keywords`."""

from __future__ import annotations

from typing import Any

from .common import USAGE_ERROR, add_command_group, add_learn_parser, read_archive, run_reporting_errors, write_output

__all__ = ["register_cli"]


def _learn(args: Any) -> tuple[str, Any]:
    """``(source, vocabulary)``: learned from the posts' front-matter tags or from their keywords."""
    from ..keywords.vocabulary import learn_vocabulary, learn_vocabulary_from_keywords

    source = args.source
    if source == "auto":
        # Front-matter tags when the archive has topic tags on at least a fifth of its
        # posts; else (only feed names there, as in many real archives) its keywords.
        posts = list(read_archive(args.archive))
        vocab = learn_vocabulary(posts, min_count=1)
        topical = set(vocab.topics())
        tagged = sum(1 for a in posts if any(t in topical for t in a.tags))
        source = "tags" if posts and tagged >= 0.2 * len(posts) else "keywords"
    else:
        posts = read_archive(args.archive)
    if source == "tags":
        return source, learn_vocabulary(posts, min_count=args.min_count)
    from ..analyzer import default_analyzer

    extractor = default_analyzer().keyword_extractor

    def suggest(article: Any, k: int) -> list[str]:
        return extractor.suggest_tags(article, k=k)

    return source, learn_vocabulary_from_keywords(posts, min_count=max(2, args.min_count), suggest=suggest)


def _cmd_learn(args: Any) -> int:
    from ..errors import ArticleError

    learned = run_reporting_errors("tags learn", lambda: _learn(args), errors=(FileNotFoundError, ArticleError))
    if learned is None:
        return USAGE_ERROR
    source, vocab = learned
    out = write_output(args.output, vocab.to_text())
    feeds = [t for t, i in vocab.tags.items() if i.feed]
    print(f"wrote {out} (from {source}): {len(vocab) - len(feeds)} topic tags, {len(feeds)} feed labels"
          + (f" ({', '.join(feeds[:5])}{'…' if len(feeds) > 5 else ''})" if feeds else ""))
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``newsnlp tags learn ARCHIVE -o vocab.txt``."""
    group = add_command_group(subparsers, "tags", help="tag vocabularies",
                              description="Work with an archive's tag vocabulary.")
    learn = add_learn_parser(
        group,
        help="learn the tag vocabulary of an archive",
        description="Learn a tag vocabulary from ARCHIVE: its posts' front-matter tags, or, when those are "
        "only feed names, the posts' own keywords with variants merged; write a vocabulary file "
        "(tag, count, aliases; feed labels such as 东财滚动新闻 marked 'feed').",
        output_help="vocabulary file to write",
    )
    learn.add_argument("--min-count", type=int, default=1,
                       help="keep tags used on at least this many posts (at least 2 when learning from keywords)")
    learn.add_argument("--from", dest="source", choices=["auto", "tags", "keywords"], default="auto",
                       help="tags: the posts' front-matter tags; keywords: the posts' own keywords, variants "
                            "merged (阿里/阿里巴巴); auto (default): tags when at least a fifth of the posts have "
                            "topic tags, else keywords")
    learn.set_defaults(func=_cmd_learn)
