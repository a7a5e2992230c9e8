"""Keywords and editor-style tag suggestions for Chinese news: :class:`KeywordExtractor`.

The extractor loads the models and wires the three jobs together; each job has its module:

- :mod:`.candidates`: jieba words, merged noun phrases (新就业形态 + 劳动者 → 新就业形态劳动者) and
  quoted names of an article, with their positions (cached per article text);
- :mod:`.scoring`: a logistic score over news-domain IDF (``models/idf``), frequency, title and
  lead occurrence, entity status, centrality, part of speech, length and a keyphraseness prior
  (:class:`~newsnlp.keywords.scoring.KeywordWeights`, ``models/idf/keyword_weights.json``,
  docs/keywords.md); nested duplicates merged; ``top_k`` is a maximum: candidates scoring below
  ``weights.min_relative_score`` × the best score are dropped;
- :mod:`.tags`: editor-style tags from the ranked keywords, a tag vocabulary and the entities.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from .._util import LazyDefault, check_positive_int
from ..article import Article, as_article
from ..types import Entities, Keyword
from .candidates import ArticleCandidates, Candidate, LRUCache, analyse, load_stopwords, norm_key, segment
from .idf import DEFAULT_FILE, IDFTable, default_idf
from .scoring import (  # noqa: F401 (FEATURES, DEFAULT_COEF, save_keyphraseness: re-exported)
    DEFAULT_COEF, FEATURES, KeywordScorer, KeywordWeights, load_keyphraseness, save_keyphraseness,
)
from .tags import choose_tags, editor_tag_ok, market_tags, normalize_tag  # noqa: F401 (re-exported)
from .vocabulary import TagVocabulary

if TYPE_CHECKING:  # pragma: no cover
    from ..text.segmentation import Segmenter

__all__ = ["KeywordExtractor", "KeywordWeights", "load_stopwords", "normalize_tag", "shipped_extractor"]

#: The files of a keyword model folder (``models/idf``): the weights and keyphraseness beside the IDF table.
WEIGHTS_FILE = "keyword_weights.json"
KEYPHRASENESS_FILE = "keyphraseness.tsv.gz"


class KeywordExtractor:
    """Rank keyword candidates of an article and suggest editor-style tags.

    Build it with :meth:`load`; it holds the IDF table, the stop list, the score's weights and a
    jieba segmenter. Segmentation is cached per article text (a small LRU), so :meth:`extract`
    followed by :meth:`suggest_tags` on the same article segments once.

    Example:
        >>> kx = KeywordExtractor.load()
        >>> [k.text for k in kx.extract("宁波市总工会推进新就业形态劳动者入会。新就业形态劳动者入会率提高。", top_k=2)]
        ['宁波市总工会', '新就业形态劳动者']
    """

    def __init__(self, idf: Any, *, segmenter: "Segmenter | None" = None, stopwords: Iterable[str] | None = None,
                 weights: KeywordWeights | None = None, keyphraseness: Mapping[str, tuple[int, int]] | None = None,
                 cache_size: int = 64) -> None:
        self.idf = idf
        # candidate key -> (articles it was a candidate in, articles where it was a gold keyword)
        self.keyphraseness: Mapping[str, tuple[int, int]] = keyphraseness or {}
        if segmenter is None:
            from ..text.segmentation import get_segmenter

            segmenter = get_segmenter()
        self.segmenter = segmenter
        self.stopwords = frozenset(norm_key(w) for w in stopwords) if stopwords is not None else load_stopwords()
        self.weights = weights or KeywordWeights()
        self._cache = LRUCache(cache_size)
        self._freq_table: dict[str, int] | None = None

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, idf: str | os.PathLike | IDFTable | None = None,
             segmenter: "Segmenter | None" = None, stopwords: str | os.PathLike | Iterable[str] | None = None,
             extra_stopwords: Iterable[str] = (), weights: KeywordWeights | None = None) -> "KeywordExtractor":
        """Load the extractor with an IDF table.

        Args:
            path: a model folder holding ``idf.tsv.gz`` (and, beside it, ``keyword_weights.json``
                and ``keyphraseness.tsv.gz``), or an IDF table file; ``None`` for the shipped news
                model (``models/idf``).
            idf: an IDF table to use instead of ``path``'s: an :class:`~newsnlp.keywords.idf.IDFTable`,
                or a table file (or the folder holding ``idf.tsv.gz``) written by
                ``newsnlp idf build ARCHIVE -o OUT``. The weights and keyphraseness still come from
                ``path`` (the shipped, tuned ones when ``path`` is ``None``).
            segmenter: a :class:`newsnlp.text.Segmenter` (default: the shared one).
            stopwords: a stop-word file path or an iterable of words (default: the shipped list).
            extra_stopwords: words added to the stop list.
            weights: scoring weights (default: the tuned :class:`KeywordWeights`).

        Returns:
            The :class:`KeywordExtractor`.

        Raises:
            ModelNotFoundError: the shipped table is missing, or ``idf`` names no table.
            FileNotFoundError: ``path`` or the stop-word file does not exist.
            TypeError: ``idf`` is neither a path nor an IDF table.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> kx.extract("央行宣布降准。", top_k=1)[0].text
            '降准'
        """
        if idf is not None:
            table = _idf_table(idf)
        else:
            table = default_idf() if path is None else IDFTable.load(path)
        if weights is None:
            weights = _default_weights(path)
        if stopwords is None or isinstance(stopwords, (str, os.PathLike)):
            words = set(load_stopwords(stopwords))
        else:
            words = {norm_key(w) for w in stopwords}
        words.update(norm_key(w) for w in extra_stopwords)
        kp = load_keyphraseness(_model_folder(path) / KEYPHRASENESS_FILE)
        return cls(table, segmenter=segmenter, stopwords=words, weights=weights, keyphraseness=kp)

    # ------------------------------------------------------------------ wiring
    def clear_cache(self) -> None:
        """Forget the cached segmentations (e.g. before timing extraction on repeated texts)."""
        self._cache = LRUCache(self._cache.size)

    @property
    def _freq(self) -> dict[str, int]:
        """jieba's dictionary word frequencies (how common a word is in general text)."""
        if self._freq_table is None:
            self._freq_table = self.segmenter.tokenizer.FREQ
        return self._freq_table

    @property
    def scorer(self) -> KeywordScorer:
        """The :class:`~newsnlp.keywords.scoring.KeywordScorer` over this extractor's IDF table,
        weights, stop list and keyphraseness (built on each use, so it always sees them as set)."""
        return KeywordScorer(self.idf, self.weights, stopwords=self.stopwords, keyphraseness=self.keyphraseness,
                             word_freq=self._freq)

    def analyse(self, article: Article) -> ArticleCandidates:
        """The article's segmentation and candidates (:func:`newsnlp.keywords.candidates.analyse`), cached."""
        key = ((article.title or "").strip(), article.text or "")
        doc = self._cache.get(key)
        if doc is None:
            doc = analyse(article, segmenter=self.segmenter, stopwords=self.stopwords, idf=self.idf,
                          window=self.weights.window, max_phrase_words=self.weights.max_phrase_words)
            self._cache.put(key, doc)
        return doc

    _analyse = analyse  # the 0.1 name (newsnlp.train.keywords, tests)

    def _segment(self, text: str) -> list[tuple[str, int, int, str]]:
        return segment(self.segmenter, text)

    def features(self, c: Candidate, doc: ArticleCandidates) -> dict[str, float]:
        """The score's features of one candidate (see :class:`KeywordWeights`)."""
        return self.scorer.features(c, doc)

    # ------------------------------------------------------------------ public API
    def extract(self, article: Any, *, top_k: int = 10, entities: Entities | None = None) -> list[Keyword]:
        """Return at most ``top_k`` keywords of an article, best first.

        ``top_k`` is a maximum: candidates scoring below ``weights.min_relative_score`` times
        the best score are not returned. Ties are broken by first occurrence, then text.

        Args:
            article: an :class:`Article` (or article text).
            top_k: the most keywords to return.
            entities: the article's entities from :class:`newsnlp.entities.EntityExtractor`;
                organisations, programmes and places become boosted candidates.

        Returns:
            :class:`Keyword` items with scores comparable within this call.

        Raises:
            TypeError: ``article`` is not an Article or text.
            ValueError: ``top_k`` is not a positive int.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> [k.text for k in kx.extract("宁波市总工会召开会议，推进工会经费保障。工会经费保障是重点。", top_k=3)]
            ['宁波市总工会', '工会经费']
        """
        article = as_article(article)
        check_positive_int("top_k", top_k)
        if not article.text.strip() and not (article.title or "").strip():
            return []
        doc = self.analyse(article)
        scorer = self.scorer
        return scorer.keywords(doc, scorer.rank(doc, entities), top_k)

    def suggest_tags(self, article: Any, *, k: int = 5, vocabulary: Any = None, entities: Entities | None = None,
                     keywords: list[Keyword] | None = None) -> list[str]:
        """Suggest at most ``k`` normalised, editor-style tags.

        With a vocabulary, known tags found in the article (exactly or through an alias) come
        first, ranked by how strongly the article supports them; the rest is filled from the
        keywords and the article's main organisations and places. Feed labels (source names
        such as 中国发展网新闻) are never suggested.

        Args:
            article: an :class:`Article` (or article text).
            k: the most tags to return.
            vocabulary: known tags: a list/set of str, a path to a vocabulary file (one tag a
                line, see :mod:`newsnlp.keywords.vocabulary`), or a :class:`~newsnlp.keywords.vocabulary.TagVocabulary`.
            entities: the article's entities, when already computed.
            keywords: the article's keywords, when already computed.

        Returns:
            Normalised tags, best first.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> kx.suggest_tags("宁波总工会发放工会经费。工会经费用于帮扶。", k=3,
            ...                 vocabulary=["工会经费", "宁波市总工会", "中国发展网新闻"])
            ['宁波市总工会', '工会经费']
        """
        article = as_article(article)
        check_positive_int("k", k)
        if not article.text.strip() and not (article.title or "").strip():
            return []
        vocab = TagVocabulary.coerce(vocabulary) if vocabulary is not None else None
        doc = self.analyse(article)
        scorer = self.scorer
        scored = None
        if keywords is None:
            scored = scorer.rank(doc, entities)
            keywords = scorer.keywords(doc, scored, max(10, 2 * k))
        return choose_tags(article, doc, keywords, k=k, scorer=scorer, vocabulary=vocab, entities=entities,
                           ranked=lambda: scored if scored is not None else scorer.rank(doc, entities))


# --------------------------------------------------------------------------- model files

def _model_folder(path: str | os.PathLike | None) -> Path:
    if path is None:
        from ..resources import model_path

        return model_path("idf")
    return Path(path) if Path(path).is_dir() else Path(path).parent


def _idf_table(idf: Any) -> IDFTable:
    """The IDF table ``KeywordExtractor.load(idf=...)`` names: a table, a table file or its folder."""
    from ..errors import ModelNotFoundError

    if isinstance(idf, IDFTable):
        return idf
    if not isinstance(idf, (str, os.PathLike)):
        raise TypeError(f"idf must be a path to an IDF table or an IDFTable, not {type(idf).__name__}")
    given = Path(idf)
    table = given / DEFAULT_FILE if given.is_dir() else given
    if not table.is_file():
        what = f"the folder {given} holds no {DEFAULT_FILE}" if given.is_dir() else f"{given} does not exist"
        raise ModelNotFoundError(
            f"idf={str(idf)!r}: {what}; pass an IDF table file written by `newsnlp idf build ARCHIVE -o FILE` "
            f"(or the folder holding {DEFAULT_FILE}), or an IDFTable"
        )
    return IDFTable.load(table)


def _default_weights(path: str | os.PathLike | None) -> KeywordWeights:
    """The weights stored beside the IDF table (``keyword_weights.json``), else the defaults."""
    f = _model_folder(path) / WEIGHTS_FILE
    return KeywordWeights.load(f) if f.is_file() else KeywordWeights()


_shipped = LazyDefault(lambda: KeywordExtractor.load())


def shipped_extractor() -> KeywordExtractor:
    """The shipped extractor (``KeywordExtractor.load()``), loaded once per process."""
    return _shipped.get()


def suggest_with_shipped_model(article: Any, k: int) -> list[str]:
    """``shipped_extractor().suggest_tags(article, k=k)``: the default tagger of
    :func:`~newsnlp.keywords.vocabulary.learn_vocabulary_from_keywords`."""
    return shipped_extractor().suggest_tags(article, k=k)


# --------------------------------------------------------------------------- 0.1 names
# The module held all four jobs in 0.1; its private names are still reachable here for one release.
_MOVED = {
    "_norm_key": ("candidates", "norm_key"), "_Cand": ("candidates", "Candidate"),
    "_Doc": ("candidates", "ArticleCandidates"), "_LRU": ("candidates", "LRUCache"),
    "STOPWORDS_FILE": ("candidates", "STOPWORDS_FILE"), "_NOUN_TAGS": ("candidates", "NOUN_TAGS"),
    "_PROPER_TAGS": ("candidates", "PROPER_TAGS"), "_PHRASE_TAGS": ("candidates", "PHRASE_TAGS"),
    "_MODIFIER_TAGS": ("candidates", "MODIFIER_TAGS"), "_ORG_SUFFIXES": ("candidates", "ORG_SUFFIXES"),
    "_FRAGMENT_RULE": ("candidates", "_FRAGMENT_RULE"), "_SENTENCE_END": ("candidates", "_SENTENCE_END"),
    "_QUOTED": ("candidates", "_QUOTED"), "_NUMERIC": ("candidates", "NUMERIC"),
    "_HAS_CJK": ("candidates", "HAS_CJK"), "_LATIN_WORD": ("candidates", "LATIN_WORD"),
    "_SUFFIX_CLASS": ("scoring", "_SUFFIX_CLASS"), "_PRUNE_ABOVE": ("scoring", "_PRUNE_ABOVE"),
    "_STRIP_CHARS": ("tags", "_STRIP_CHARS"), "_REMOVE_INSIDE": ("tags", "_REMOVE_INSIDE"),
    "_case_word": ("tags", "_case_word"), "_TICKER_WORDS": ("tags", "_TICKER_WORDS"), "_MEDIA": ("tags", "_MEDIA"),
    "_COMMENTARY": ("tags", "_COMMENTARY"), "_CODE_IN_TAG": ("tags", "_CODE_IN_TAG"),
    "_TOO_BROAD": ("tags", "TOO_BROAD"), "_MARKET_RULES": ("tags", "_MARKET_RULES"),
    "_SECTOR_MOVE": ("tags", "_SECTOR_MOVE"), "_STOCK_MOVE": ("tags", "_STOCK_MOVE"),
}


def __getattr__(name: str):
    moved = _MOVED.get(name)
    if moved is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__package__}.{moved[0]}"), moved[1])
