"""The :class:`Analyzer` holds loaded models for repeated and batched use."""

from __future__ import annotations

import threading
from typing import Any, Iterable, Iterator, Literal

from .article import Article, as_article
from .types import Analysis, Entities, Keyword

Device = Literal["auto", "cpu"] | str


class Analyzer:
    """Summaries, tags, keywords and entities with models loaded once.

    Models load lazily on first use, so building an ``Analyzer`` is cheap.

    Args:
        summary_model: ``None`` for the shipped extractive summariser, or a local directory /
            hub id of a seq2seq model (BART-Chinese, mT5, Pegasus-Chinese) for abstracts.
        ner_model: ``None`` for the shipped NER model, or a local directory / hub id of a
            token-classification model.
        device: ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda:N"``; for transformers back-ends.
        local_files_only: never download (default); set ``False`` to let transformers fetch
            a hub id.
        user_dict: jieba user dictionary path(s) for segmentation.
        tag_vocabulary: an archive's known tags, preferred by :meth:`suggest_tags`.
        entity_lexicon: an archive's entity lexicon (path or
            :class:`~newsnlp.entities.lexicon.EntityLexicon`, from ``newsnlp entities learn``):
            its names are organisations in every article.

    Example:
        >>> nlp = Analyzer()
        >>> nlp("宁波市总工会召开会议，部署新就业形态劳动者工会工作。").summary
        '宁波市总工会召开会议，部署新就业形态劳动者工会工作。'
    """

    def __init__(
        self,
        *,
        summary_model: str | None = None,
        ner_model: str | None = None,
        device: Device = "auto",
        local_files_only: bool = True,
        user_dict: Any = None,
        tag_vocabulary: Iterable[str] | str | None = None,
        entity_lexicon: Any = None,
    ) -> None:
        self.summary_model = summary_model
        self.ner_model = ner_model
        self.device = device
        self.local_files_only = local_files_only
        self.user_dict = user_dict
        self.tag_vocabulary = tag_vocabulary
        self.entity_lexicon = entity_lexicon
        self._lock = threading.RLock()
        self._cache: dict[tuple[str, Any], Any] = {}

    # ------------------------------------------------------------------ model loading
    def _get(self, key: tuple[str, Any], build):
        obj = self._cache.get(key)
        if obj is None:
            with self._lock:
                obj = self._cache.get(key)
                if obj is None:
                    obj = build()
                    self._cache[key] = obj
        return obj

    @property
    def segmenter(self):
        from .text.segmentation import Segmenter, get_segmenter

        return self._get(("segmenter", None), lambda: Segmenter(user_dict=self.user_dict) if self.user_dict else get_segmenter())

    def _summarizer(self, model: str | None):
        model = model if model is not None else self.summary_model
        if model is None:
            from .summarization.extractive import ExtractiveSummarizer

            return self._get(("summarizer", None), ExtractiveSummarizer.load)
        from .summarization.abstractive import AbstractiveSummarizer

        return self._get(
            ("summarizer", model),
            lambda: AbstractiveSummarizer(model, device=self.device, local_files_only=self.local_files_only),
        )

    @property
    def keyword_extractor(self):
        from .keywords.extractor import KeywordExtractor

        return self._get(("keywords", None), lambda: KeywordExtractor.load(segmenter=self.segmenter))

    def _entity_extractor(self, model: str | None):
        model = model if model is not None else self.ner_model
        from .entities.extractor import EntityExtractor

        return self._get(
            ("entities", model),
            lambda: EntityExtractor.load(
                model, segmenter=self.segmenter, device=self.device, local_files_only=self.local_files_only,
                entity_lexicon=self.entity_lexicon,
            ),
        )

    # ------------------------------------------------------------------ one article
    def summarize(
        self, text_or_article: Any, *, max_chars: int | None = None, max_sentences: int | None = None, model: str | None = None
    ) -> str:
        """Return the abstract of one article (see :func:`newsnlp.summarize`)."""
        article = as_article(text_or_article)
        _check_budget(max_chars, max_sentences)
        if not article.text.strip():
            return ""
        return self._summarizer(model)(article, max_chars=max_chars, max_sentences=max_sentences)

    def extract_keywords(self, text_or_article: Any, *, top_k: int = 10) -> list[Keyword]:
        """Return at most ``top_k`` keywords, best first (see :func:`newsnlp.extract_keywords`)."""
        article = as_article(text_or_article)
        _check_positive("top_k", top_k)
        return self.keyword_extractor.extract(article, top_k=top_k, entities=None)

    def suggest_tags(self, text_or_article: Any, *, k: int = 5, vocabulary: Iterable[str] | str | None = None) -> list[str]:
        """Return at most ``k`` normalised tags (see :func:`newsnlp.suggest_tags`)."""
        article = as_article(text_or_article)
        _check_positive("k", k)
        vocab = vocabulary if vocabulary is not None else self.tag_vocabulary
        return self.keyword_extractor.suggest_tags(article, k=k, vocabulary=vocab, entities=None)

    def extract_entities(self, text_or_article: Any, *, model: str | None = None) -> Entities:
        """Return the article's entities (see :func:`newsnlp.extract_entities`)."""
        article = as_article(text_or_article)
        if not article.text.strip():
            return Entities()
        return self._entity_extractor(model)(article)

    def __call__(self, text_or_article: Any) -> Analysis:
        """Analyse one article: summary, tags, keywords and entities."""
        article = as_article(text_or_article)
        return self._analyze(article)

    def analyze_many(self, items: Iterable[Any]) -> list[Analysis]:
        """Analyse a batch of articles; the same results as ``[self(x) for x in items]``, faster.

        The entity model reads all the articles' windows in shared batches, which costs
        much less than one article at a time, and an abstractive summary model generates
        for the batch at once. :meth:`pipe` calls this on each batch.

        Args:
            items: texts, Articles, records or paths.

        Returns:
            One :class:`Analysis` per item, in order.

        Raises:
            TypeError: an item cannot be read as an article.

        Example:
            >>> [a.summary for a in Analyzer().analyze_many(["第一篇。", "第二篇。"])]
            ['第一篇。', '第二篇。']
        """
        articles = [as_article(x) for x in items]
        if len(articles) < 2:
            return [self._analyze(a) for a in articles]
        many = getattr(self._entity_extractor(None), "extract_many", None)
        entities: list[Entities | None] = many(articles) if many is not None else [None] * len(articles)
        summaries = self._summaries_of(articles)
        return [self._analyze(a, e, s) for a, e, s in zip(articles, entities, summaries)]

    def _summaries_of(self, articles: list[Article]) -> list[str | None]:
        """Summaries of a batch from summarisers that batch (the abstractive ones), else Nones.

        A seq2seq model generates for length-sorted batches of articles at once, which is
        where a GPU pays off; the extractive summariser reads one article at a time.
        """
        many = getattr(self._summarizer(None), "summarize_many", None)
        out: list[str | None] = [None] * len(articles)
        if many is None:
            return out
        todo = [i for i, a in enumerate(articles) if a.text.strip()]
        for i, summary in zip(todo, many([articles[i] for i in todo])):
            out[i] = summary
        return out

    def _analyze(self, article: Article, entities: Entities | None = None, summary: str | None = None) -> Analysis:
        if not article.text.strip() and not (article.title or "").strip():
            return Analysis(id=article.id, title=article.title, summary="")
        if entities is None:
            entities = self._entity_extractor(None)(article) if article.text.strip() else Entities()
        kw = self.keyword_extractor
        keywords = kw.extract(article, top_k=10, entities=entities)
        tags = kw.suggest_tags(article, k=5, vocabulary=self.tag_vocabulary, entities=entities, keywords=keywords)
        if summary is None:
            summary = self._summarizer(None)(article, max_chars=None, max_sentences=None) if article.text.strip() else ""
        return Analysis(
            id=article.id, title=article.title, summary=summary, tags=tuple(tags), keywords=tuple(keywords), entities=entities
        )

    # ------------------------------------------------------------------ many articles
    def pipe(
        self,
        items: Iterable[Any],
        *,
        batch_size: int = 32,
        n_process: int = 1,
        as_tuples: bool = False,
    ) -> Iterator[Analysis] | Iterator[tuple[Analysis, Any]]:
        """Analyse many articles lazily, in input order.

        Args:
            items: texts, Articles, records or paths; with ``as_tuples=True``,
                ``(item, context)`` pairs whose context is passed through.
            batch_size: articles analysed together (the entity model reads them in shared
                batches); with ``n_process > 1``, articles handed to a worker at a time.
            n_process: worker processes (each loads the models once); 1 runs here.
            as_tuples: yield ``(analysis, context)`` pairs.

        Yields:
            One :class:`Analysis` per item, in order.

        Example:
            >>> [a.summary for a in Analyzer().pipe(["第一篇。", "第二篇。"])]
            ['第一篇。', '第二篇。']
        """
        _check_positive("batch_size", batch_size)
        _check_positive("n_process", n_process)
        if as_tuples:
            pairs = iter(items)

            def split():
                for pair in pairs:
                    if not (isinstance(pair, tuple) and len(pair) == 2):
                        raise TypeError(f"with as_tuples=True each item must be an (article, context) pair, got {pair!r:.60}")
                    yield pair

            contexts: list[Any] = []

            def articles():
                for item, ctx in split():
                    contexts.append(ctx)
                    yield item

            for i, analysis in enumerate(self.pipe(articles(), batch_size=batch_size, n_process=n_process)):
                yield analysis, contexts[i]
                contexts[i] = None
            return
        if n_process == 1:
            for chunk in _chunks(items, batch_size):
                try:
                    results = self.analyze_many(chunk)
                except Exception:
                    # Redo the batch one by one: the results before the failing item are
                    # yielded and its error is raised where it belongs.
                    results = None
                if results is None:
                    for item in chunk:
                        yield self(item)
                else:
                    yield from results
            return
        from .batch import parallel_map

        yield from parallel_map(self, items, n_process=n_process, batch_size=batch_size)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Group ``items`` into lists of ``size`` (the last may be shorter), reading lazily; batch.py uses it too."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_positive(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def _check_budget(max_chars: Any, max_sentences: Any) -> None:
    if max_chars is not None:
        _check_positive("max_chars", max_chars)
    if max_sentences is not None:
        _check_positive("max_sentences", max_sentences)


_default: Analyzer | None = None
_default_lock = threading.Lock()


def default_analyzer() -> Analyzer:
    """The shared :class:`Analyzer` behind the module-level functions."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyzer()
    return _default
