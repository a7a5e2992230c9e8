"""The :class:`Analyzer` holds loaded models for repeated and batched use."""

from __future__ import annotations

import threading
from typing import Any, Iterable, Iterator, Literal

from ._util import LazyDefault, check_positive_int, chunks
from .article import Article, as_article
from .config import AnalyzerConfig
from .protocols import run_batch, stream_batch
from .types import Analysis, Entities, Keyword

Device = Literal["auto", "cpu"] | str


class Analyzer:
    """Summaries, tags, keywords and entities with models loaded once.

    Models load lazily on first use, so building an ``Analyzer`` is cheap.

    Every option lives in one :class:`~newsnlp.config.AnalyzerConfig` (``config=``); the keyword
    options are a shortcut for it (``Analyzer(top_k=20)`` is
    ``Analyzer(config=AnalyzerConfig.from_kwargs(top_k=20))``) and, given with ``config=``,
    change those options of it. The same configuration is rebuilt in every worker process.

    Args:
        config: the whole configuration (default: the defaults).
        summary_model: ``None`` for the shipped extractive summariser, or a local directory /
            hub id of a seq2seq model (BART-Chinese, mT5, Pegasus-Chinese) for abstracts.
        ner_model: ``None`` for the shipped NER model, or a local directory / hub id of a
            token-classification model.
        device: ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda:N"``; for transformers back-ends.
        local_files_only: never download (default); set ``False`` to let transformers fetch
            a hub id.
        user_dict: jieba user dictionary path(s) for segmentation (keywords, entities and the
            summary trimmers).
        tag_vocabulary: an archive's known tags, preferred by :meth:`suggest_tags`.
        entity_lexicon: an archive's entity lexicon (path or
            :class:`~newsnlp.entities.lexicon.EntityLexicon`, from ``newsnlp entities learn``):
            its names are organisations in every article.
        **options: any other option of :data:`newsnlp.config.FLAT_OPTIONS`: ``top_k``,
            ``tags_k`` (keywords and tags of a full analysis), ``max_chars``, ``max_sentences``
            (its summary budget), ``idf`` (an IDF table from ``newsnlp idf build``), ``num_beams``,
            ``max_new_tokens``, ``max_input_tokens``, ``summary_batch_size``, ``dtype``
            (abstractive summariser), ``gazetteer``, ``place_head`` (entities).

    Raises:
        TypeError: an unknown option (the message names the closest valid one).
        ValueError: a bad option value.

    Example:
        >>> nlp = Analyzer()
        >>> nlp("宁波市总工会召开全市工会工作会议。会议部署了全年工作。").summary
        '宁波市总工会召开全市工会工作会议。'
        >>> Analyzer(top_k=3).config.keywords.top_k
        3
    """

    def __init__(self, *, config: AnalyzerConfig | None = None, **options: Any) -> None:
        if config is None:
            config = AnalyzerConfig.from_kwargs(**options)
        elif not isinstance(config, AnalyzerConfig):
            raise TypeError(
                f"config must be an AnalyzerConfig, got {type(config).__name__}; build one with "
                "AnalyzerConfig(...), AnalyzerConfig.from_dict(data) or AnalyzerConfig.from_kwargs(**options)"
            )
        elif options:
            config = config.replace(**options)
        self._config = config
        self._lock = threading.RLock()
        self._cache: dict[tuple[str, Any], Any] = {}

    @property
    def config(self) -> AnalyzerConfig:
        """The configuration (frozen: build another Analyzer to change it)."""
        return self._config

    # The 0.1 attributes, read from the configuration.
    summary_model = property(lambda self: self._config.summary.model)
    ner_model = property(lambda self: self._config.entities.model)
    device = property(lambda self: self._config.device)
    local_files_only = property(lambda self: self._config.local_files_only)
    user_dict = property(lambda self: self._config.text.user_dict)
    tag_vocabulary = property(lambda self: self._config.keywords.tag_vocabulary)
    entity_lexicon = property(lambda self: self._config.entities.entity_lexicon)

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

        user_dict = self._config.text.user_dict
        return self._get(("segmenter", None), lambda: Segmenter(user_dict=user_dict) if user_dict else get_segmenter())

    def _summarizer(self, model: str | None):
        model = model if model is not None else self._config.summary.model
        if model is None:
            from .summarization.extractive import ExtractiveSummarizer

            return self._get(("summarizer", None), lambda: ExtractiveSummarizer.load(segmenter=self.segmenter))
        from .summarization.abstractive import AbstractiveSummarizer

        options = self._config.summary.abstractive_options()
        return self._get(
            ("summarizer", model),
            lambda: AbstractiveSummarizer(
                model, device=self.device, local_files_only=self.local_files_only, segmenter=self.segmenter, **options
            ),
        )

    @property
    def keyword_extractor(self):
        from .keywords.extractor import KeywordExtractor

        idf = self._config.keywords.idf
        return self._get(("keywords", None), lambda: KeywordExtractor.load(idf=idf, segmenter=self.segmenter))

    def _entity_extractor(self, model: str | None):
        model = model if model is not None else self._config.entities.model
        from .entities.extractor import EntityExtractor

        ents = self._config.entities
        return self._get(
            ("entities", model),
            lambda: EntityExtractor.load(
                model, segmenter=self.segmenter, device=self.device, local_files_only=self.local_files_only,
                gazetteer=ents.gazetteer, entity_lexicon=ents.entity_lexicon, place_head=ents.place_head,
            ),
        )

    def _budget(self, max_chars: int | None, max_sentences: int | None) -> dict[str, int | None]:
        """The summary budget of a call: what it gives, else the configuration's."""
        summary = self._config.summary
        return {
            "max_chars": summary.max_chars if max_chars is None else check_positive_int("max_chars", max_chars),
            "max_sentences": (
                summary.max_sentences if max_sentences is None else check_positive_int("max_sentences", max_sentences)
            ),
        }

    # ------------------------------------------------------------------ one article
    def summarize(
        self, text_or_article: Any, *, max_chars: int | None = None, max_sentences: int | None = None, model: str | None = None
    ) -> str:
        """Return the abstract of one article (see :func:`newsnlp.summarize`).

        A budget not given is the configuration's (``max_chars``/``max_sentences``, by default
        the model's news default).
        """
        article = as_article(text_or_article)
        budget = self._budget(max_chars, max_sentences)
        if not article.text.strip():
            return ""
        return self._summarizer(model)(article, **budget)

    def extract_keywords(self, text_or_article: Any, *, top_k: int | None = None) -> list[Keyword]:
        """Return at most ``top_k`` keywords, best first (see :func:`newsnlp.extract_keywords`).

        ``top_k`` not given is the configuration's (10 by default).
        """
        article = as_article(text_or_article)
        top_k = self._config.keywords.top_k if top_k is None else check_positive_int("top_k", top_k)
        return self.keyword_extractor.extract(article, top_k=top_k, entities=None)

    def suggest_tags(
        self, text_or_article: Any, *, k: int | None = None, vocabulary: Iterable[str] | str | None = None
    ) -> list[str]:
        """Return at most ``k`` normalised tags (see :func:`newsnlp.suggest_tags`).

        ``k`` and ``vocabulary`` not given are the configuration's (``tags_k``, 5 by default, and
        ``tag_vocabulary``).
        """
        article = as_article(text_or_article)
        k = self._config.keywords.tags_k if k is None else check_positive_int("k", k)
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
        # Each stage runs on the batch by the one rule of newsnlp.protocols: in one call when the
        # back-end batches (the NER model reads every article's windows in shared batches, a
        # seq2seq model generates for length-sorted batches), else article by article.
        todo = [i for i, a in enumerate(articles) if a.text.strip()]
        texts = [articles[i] for i in todo]
        entities: list[Entities | None] = [Entities()] * len(articles)
        summaries: list[str | None] = [""] * len(articles)
        for i, found in zip(todo, run_batch(self._entity_extractor(None), texts)):
            entities[i] = found
        for i, summary in zip(todo, run_batch(self._summarizer(None), texts, **self._budget(None, None))):
            summaries[i] = summary
        return [self._analyze(a, e, s) for a, e, s in zip(articles, entities, summaries)]

    def _analyze(self, article: Article, entities: Entities | None = None, summary: str | None = None) -> Analysis:
        if not article.text.strip() and not (article.title or "").strip():
            return Analysis(id=article.id, title=article.title, summary="")
        if entities is None:
            entities = self._entity_extractor(None)(article) if article.text.strip() else Entities()
        kw = self.keyword_extractor
        options = self._config.keywords
        keywords = kw.extract(article, top_k=options.top_k, entities=entities)
        tags = kw.suggest_tags(article, k=options.tags_k, vocabulary=options.tag_vocabulary, entities=entities,
                               keywords=keywords)
        if summary is None:
            summary = self._summarizer(None)(article, **self._budget(None, None)) if article.text.strip() else ""
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
        check_positive_int("batch_size", batch_size)
        check_positive_int("n_process", n_process)
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
            for chunk in chunks(items, batch_size):
                # analyze_many on the chunk; if it raises, the chunk is redone one by one: the
                # results before the failing item are yielded and its error is raised where it belongs.
                yield from stream_batch(self, chunk, batch=self.analyze_many)
            return
        from .parallel import parallel_map

        yield from parallel_map(self, items, n_process=n_process, batch_size=batch_size)


_chunks = chunks  # the 0.1 private name (newsnlp.batch imported it), kept for one release; use newsnlp._util.chunks


_default = LazyDefault(lambda: Analyzer())


def default_analyzer() -> Analyzer:
    """The shared :class:`Analyzer` behind the module-level functions."""
    return _default.get()
