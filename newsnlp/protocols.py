"""What each stage of the analysis looks like, and the one rule for running a stage on a batch.

Layer 1: imports only :mod:`newsnlp.types` (for the result types), so every stage package and the
:class:`~newsnlp.Analyzer` may import it.

Every stage is a small callable: ``stage(article, **options)`` analyses one article. A back-end
that can do better on many articles at once (the NER model reading all their windows in shared
batches, a seq2seq model generating for a length-sorted batch) adds **one** batch method,
:data:`BATCH_METHOD` (``pipe``, spaCy's name), taking a list and the same options and returning
one result per item, in order. :func:`stream_batch` (and :func:`run_batch`, its list form) is the
one loop that the Analyzer's
:meth:`~newsnlp.Analyzer.analyze_many`, :meth:`~newsnlp.Analyzer.pipe` and the batch workers use
for every back-end (spaCy's ``_pipe`` rule):

- the component has ``pipe``: the batch goes through it in one call;
- it has not, or ``pipe`` raises: each item is called on its own, so only the item at fault
  raises, and the results before it are kept.

The protocols are :func:`typing.runtime_checkable`, so ``isinstance(x, Summarizer)`` checks the
method names (not the signatures); they are for readers and type checkers, not a registry.

Example:
    >>> class Upper:
    ...     def __call__(self, text):
    ...         return text.upper()
    >>> run_batch(Upper(), ["ab", "cd"])
    ['AB', 'CD']
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence, TypeVar, runtime_checkable

from .types import Entities, Keyword

__all__ = [
    "BATCH_METHOD", "LEGACY_BATCH_METHODS", "BatchedStage", "EntityExtractor", "KeywordRanker", "NERSpanLike",
    "NERTagger", "Summarizer", "batch_method", "run_batch", "stream_batch",
]

T = TypeVar("T")
R = TypeVar("R")

#: The one name of a stage's batch method.
BATCH_METHOD = "pipe"

#: Batch methods of the 0.1 back-ends, still honoured for one release when a back-end has no
#: :data:`BATCH_METHOD` yet (give it ``pipe = summarize_many`` and drop its name from here).
LEGACY_BATCH_METHODS = ("summarize_many", "extract_many", "analyze_many")


@runtime_checkable
class BatchedStage(Protocol[T, R]):
    """A stage that analyses a batch at once: ``stage.pipe(items, **options)`` -> one result per item."""

    def pipe(self, items: Sequence[T], /, **options: Any) -> Iterable[R]: ...


@runtime_checkable
class Summarizer(Protocol):
    """Writes the abstract of one article (``ExtractiveSummarizer``, ``AbstractiveSummarizer``)."""

    def __call__(self, article: Any, *, max_chars: int | None = None, max_sentences: int | None = None) -> str: ...


@runtime_checkable
class KeywordRanker(Protocol):
    """Ranks an article's keywords and turns them into editor-style tags (``KeywordExtractor``)."""

    def extract(self, article: Any, *, top_k: int = 10, entities: Entities | None = None) -> list[Keyword]: ...

    def suggest_tags(
        self,
        article: Any,
        *,
        k: int = 5,
        vocabulary: Any = None,
        entities: Entities | None = None,
        keywords: list[Keyword] | None = None,
    ) -> list[str]: ...


@runtime_checkable
class EntityExtractor(Protocol):
    """Finds the organisations, officials, programmes, persons and places of one article."""

    def __call__(self, article: Any) -> Entities: ...


@runtime_checkable
class NERSpanLike(Protocol):
    """One labelled span of a text: ``text[start:end]`` is the mention."""

    start: int
    end: int
    label: str
    subtype: str


@runtime_checkable
class NERTagger(Protocol):
    """A token-classification model: typed spans for each text, in order (always batched)."""

    def predict(self, texts: Sequence[str], batch_size: int | None = None) -> list[list[NERSpanLike]]: ...


def batch_method(component: Any) -> Callable[..., Iterable[Any]] | None:
    """The component's batch method (:data:`BATCH_METHOD`, else a 0.1 name), or ``None``.

    >>> batch_method(str.upper) is None
    True
    """
    for name in (BATCH_METHOD, *LEGACY_BATCH_METHODS):
        method = getattr(component, name, None)
        if method is not None and callable(method):
            return method
    return None


def stream_batch(
    component: Callable[..., R], items: Iterable[Any], /, *, batch: Callable[..., Iterable[R]] | None = None,
    **options: Any,
) -> Iterator[R]:
    """Run one stage on a batch, yielding one result per item, in order: the one batching rule.

    The batch goes through the component's batch method in one call when it has one (or through
    ``batch`` when given); when it has none, when the batch holds one item, or when the batch call
    raises (or returns the wrong number of results), the items are called one by one: the results
    before a failing item are yielded, then its own exception is raised, as in one process.

    Args:
        component: a stage: callable on one item, maybe with a batch method (:data:`BATCH_METHOD`).
        items: the batch.
        batch: the batch call to use instead of the component's own (the Analyzer passes its
            ``analyze_many``, since its ``pipe`` is the streaming driver that calls this).
        **options: passed to every call (``max_chars=`` for a summariser ...).

    Yields:
        One result per item, in order.

    Raises:
        Exception: what calling the component on the first failing item raised.
    """
    chunk = list(items)
    many = (batch if batch is not None else batch_method(component)) if len(chunk) > 1 else None
    if many is not None:
        try:
            results = list(many(chunk, **options))
        except Exception:
            results = None  # redo one by one: the failing item raises its own error
        if results is not None and len(results) == len(chunk):
            yield from results
            return
    for item in chunk:
        yield component(item, **options)


def run_batch(
    component: Callable[..., R], items: Iterable[Any], /, *, batch: Callable[..., Iterable[R]] | None = None,
    **options: Any,
) -> list[R]:
    """:func:`stream_batch` as a list: one result per item, in order.

    Example:
        >>> class Twice:
        ...     def __call__(self, x):
        ...         return 2 * x
        ...     def pipe(self, xs):
        ...         return [2 * x for x in xs]
        >>> run_batch(Twice(), [1, 2, 3])
        [2, 4, 6]
        >>> class Fragile(Twice):
        ...     def pipe(self, xs):
        ...         raise MemoryError  # a batch too big: the items are redone one by one
        >>> run_batch(Fragile(), [1, 2])
        [2, 4]
    """
    return list(stream_batch(component, items, batch=batch, **options))
