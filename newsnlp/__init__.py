"""newsnlp: abstracts, editor-style tags and entities for Chinese news, offline on a CPU.

Example:
    >>> import newsnlp
    >>> newsnlp.summarize("宁波市总工会召开会议。会议部署了全年工作。")
    '宁波市总工会召开会议。'

Importing this package loads no model, no dictionary and neither torch nor transformers;
everything heavy is loaded on first use.
"""

from __future__ import annotations

from typing import Any, Iterable

from . import _compat
from .analyzer import Analyzer, default_analyzer
from .article import Article, read_article
from .config import AnalyzerConfig
from .errors import ArticleError, ArticleWarning, ModelLoadError, ModelNotFoundError, NewsNLPError
from .text import Segmenter, split_sentences
from .types import Analysis, Entities, Entity, Keyword, Mention, Official, Sentence, Span

from .version import __version__

_compat.install()  # the 0.1 module paths (newsnlp.extractive, ...) keep importing, with a warning

__all__ = [
    "Analysis", "Analyzer", "AnalyzerConfig", "Article", "ArticleError", "ArticleWarning", "Entities", "Entity", "Keyword",
    "Mention", "ModelLoadError", "ModelNotFoundError", "NewsNLPError", "Official", "Segmenter", "Sentence",
    "Span", "analyze", "extract_entities", "extract_keywords", "read_article", "split_sentences",
    "evaluate", "report", "suggest_tags", "summarize", "tag_archive", "__version__",
]


def summarize(
    text_or_article: Any, *, max_chars: int | None = None, max_sentences: int | None = None, model: str | None = None
) -> str:
    """Write the abstract of one article.

    Args:
        text_or_article: article text (``str``), an :class:`Article`, a dict record or a path.
        max_chars: length budget in characters (default: the model's news default, 120 for
            features, shorter for short posts).
        max_sentences: at most this many sentences (extractive model only).
        model: ``None`` for the shipped extractive model, or a local directory / hub id of a
            seq2seq model for an abstractive summary (see docs/summarization.md).

    Returns:
        The abstract; ``""`` for an empty article.

    Raises:
        TypeError: the input is not text, an Article, a record or a path.
        ValueError: a non-positive budget.
        ModelNotFoundError: ``model`` is not available offline.

    Example:
        >>> summarize("宁波市总工会召开会议。会议部署了全年工作。", max_chars=12)
        '宁波市总工会召开会议。'
    """
    return default_analyzer().summarize(text_or_article, max_chars=max_chars, max_sentences=max_sentences, model=model)


def extract_keywords(text_or_article: Any, *, top_k: int = 10) -> list[Keyword]:
    """Rank the article's keywords, best first; ``top_k`` is a maximum, not a quota.

    Example:
        >>> [k.text for k in extract_keywords("宁波市总工会推进新就业形态劳动者入会。", top_k=3)]
        ['宁波市总工会', '劳动者']
    """
    return default_analyzer().extract_keywords(text_or_article, top_k=top_k)


def suggest_tags(text_or_article: Any, *, k: int = 5, vocabulary: Iterable[str] | str | None = None) -> list[str]:
    """Suggest up to ``k`` editor-style tags, preferring tags from ``vocabulary`` when given.

    Args:
        vocabulary: an archive's known tags (a list, or the path of a one-tag-a-line file as
            written by ``newsnlp tags learn``).

    Example:
        >>> suggest_tags("宁波市总工会推进新就业形态劳动者入会。", k=2)
        ['宁波市总工会', '劳动者']
    """
    return default_analyzer().suggest_tags(text_or_article, k=k, vocabulary=vocabulary)


def extract_entities(text_or_article: Any, *, model: str | None = None) -> Entities:
    """List the organisations, officials, programmes, persons and places of one article.

    Args:
        model: ``None`` for the shipped NER model, or a local directory / hub id of a
            token-classification model.

    Example:
        >>> official = extract_entities("宁波市人大常委会副主任、市总工会主席李谦出席。").officials[0]
        >>> official.name, official.organisation
        ('李谦', '宁波市总工会')
    """
    return default_analyzer().extract_entities(text_or_article, model=model)


def analyze(text_or_article: Any) -> Analysis:
    """Summary, tags, keywords and entities of one article in one call.

    Example:
        >>> analyze("宁波市总工会召开会议。").summary
        '宁波市总工会召开会议。'
    """
    return default_analyzer()(text_or_article)


def tag_archive(*args: Any, **kwargs: Any):
    """Analyse a whole archive to JSONL/Parquet/CSV; see :func:`newsnlp.batch.tag_archive`."""
    from .batch import tag_archive as _tag_archive

    return _tag_archive(*args, **kwargs)


def report(*args: Any, **kwargs: Any):
    """Build a browsable static site from ``tag_archive``'s JSONL; see :func:`newsnlp.report.build_report`.

    Example:
        >>> report("_posts.tags.jsonl", "report").summary_line()  # doctest: +SKIP
        '1518 posts, 2 failed, 0 skipped; 2351 pages in report'
    """
    from .report import build_report

    return build_report(*args, **kwargs)


def evaluate(*args: Any, **kwargs: Any):
    """Score models beside the baselines on a labelled set; see :func:`newsnlp.evaluation.evaluate`.

    Example:
        >>> evaluate("sample", summary_models=["default", "./my-bart"]).to_text()  # doctest: +SKIP
    """
    from .evaluation import evaluate as _evaluate

    return _evaluate(*args, **kwargs)
