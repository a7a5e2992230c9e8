"""Functions for ``datasets.Dataset.map(batched=True)``: :class:`DatasetMapper`, :func:`map_batch`."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Mapping, Sequence

from .workers import analysis_record, analyzer_spec, build_analyzer

__all__ = ["DatasetMapper", "make_dataset_mapper", "map_batch", "MAPPER_FIELDS"]

MAPPER_FIELDS = ("summary", "tags", "keywords", "organisations", "officials", "programmes", "persons", "places")


def _one_thread_after_fork() -> None:
    """In a process forked from one that already ran torch (``Dataset.map(num_proc=N)`` forks), use one thread.

    The OpenMP thread pool torch started in the parent does not exist in a forked child, and the
    child's first parallel region then waits for it forever; one thread never enters one.
    """
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            torch.set_num_threads(1)
        except RuntimeError:
            pass


class DatasetMapper:
    """A function for ``datasets.Dataset.map(batched=True)`` adding analysis columns.

    Each batch ``{"text": [...], ...}`` comes back as new columns: ``summary`` (str) and
    ``tags``, ``keywords``, ``organisations``, ``programmes``, ``persons``, ``places``
    (lists of str) and ``officials`` (list of {name, title, organisation}). Pass
    ``features=mapper.features`` to ``map`` so that empty first batches type the columns right.
    The analyzer is built lazily in each process, so ``num_proc`` works.

    Args:
        analyzer: a :class:`~newsnlp.Analyzer` or a picklable callable; default ``Analyzer()``.
        text_column, title_column, id_column: the input columns (title and id are optional).
        columns: which output columns to add (default all of the above).
        prefix: prepended to every output column name (e.g. ``"nlp_"``).

    Example:
        >>> from datasets import Dataset
        >>> ds = Dataset.from_dict({"text": ["宁波市总工会召开会议。"]})
        >>> mapper = make_dataset_mapper()
        >>> ds.map(mapper, batched=True, batch_size=64)["summary"]  # doctest: +SKIP
        ['宁波市总工会召开会议。']
    """

    def __init__(
        self,
        analyzer: Any = None,
        *,
        text_column: str = "text",
        title_column: str | None = "title",
        id_column: str | None = "id",
        columns: Sequence[str] = MAPPER_FIELDS,
        prefix: str = "",
    ) -> None:
        unknown = [c for c in columns if c not in MAPPER_FIELDS]
        if unknown:
            raise ValueError(f"unknown column(s) {unknown}; valid columns: {', '.join(MAPPER_FIELDS)}")
        self._spec = analyzer_spec(analyzer)
        self._analyzer = analyzer if self._spec[0] == "object" or analyzer is not None else None
        self.text_column = text_column
        self.title_column = title_column
        self.id_column = id_column
        self.columns = tuple(columns)
        self.prefix = prefix
        self._pid = os.getpid()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self._spec[0] == "analyzer":
            state["_analyzer"] = None  # rebuilt from its settings in the other process
        return state

    @property
    def analyzer(self) -> Callable[[Any], Any]:
        if getattr(self, "_pid", None) != os.getpid():
            _one_thread_after_fork()
            self._pid = os.getpid()
        if self._analyzer is None:
            self._analyzer = build_analyzer(self._spec)
        return self._analyzer

    @property
    def features(self):
        """``datasets.Features`` of the added columns (to pass to ``Dataset.map(features=...)``)."""
        from datasets import Features, Sequence as DsSequence, Value

        kinds = {
            "summary": Value("string"),
            "officials": [{"name": Value("string"), "title": Value("string"), "organisation": Value("string")}],
        }
        return Features({self.prefix + c: kinds.get(c, DsSequence(Value("string"))) for c in self.columns})

    def __call__(self, batch: Mapping[str, list]) -> dict[str, list]:
        from ..article import Article, parse_post
        from dataclasses import replace

        if self.text_column not in batch:
            raise KeyError(
                f"the dataset has no {self.text_column!r} column (columns: {', '.join(batch)}); "
                "pass text_column= naming the one holding the article text"
            )
        texts = batch[self.text_column]
        if isinstance(texts, str) or not isinstance(texts, Sequence):
            raise TypeError(
                f"the mapper got one example (its {self.text_column!r} is a {type(texts).__name__}, not a list of "
                "texts): call Dataset.map(mapper, batched=True)"
            )
        titles = batch.get(self.title_column) if self.title_column else None
        ids = batch.get(self.id_column) if self.id_column else None
        out: dict[str, list] = {self.prefix + c: [] for c in self.columns}
        for i, text in enumerate(texts):
            article: Article = parse_post(text or "")
            if titles is not None and titles[i]:
                article = replace(article, title=str(titles[i]))
            if ids is not None and ids[i] is not None:
                article = replace(article, id=str(ids[i]))
            if article.text.strip():
                rec = analysis_record(self.analyzer(article))
            else:
                rec = {"summary": "", "tags": [], "keywords": [], "entities": {}}
            ents = rec.get("entities") or {}
            for c in self.columns:
                if c == "summary":
                    value: Any = rec.get("summary") or ""
                elif c == "tags":
                    value = list(rec.get("tags") or [])
                elif c == "keywords":
                    value = [k["text"] if isinstance(k, dict) else str(k) for k in rec.get("keywords") or []]
                elif c == "officials":
                    value = [{k: o.get(k) for k in ("name", "title", "organisation")} for o in ents.get("officials", [])]
                else:
                    value = [e["name"] for e in ents.get(c, [])]
                out[self.prefix + c].append(value)
        return out


def make_dataset_mapper(analyzer: Any = None, text_column: str = "text", **kwargs: Any) -> DatasetMapper:
    """Build a :class:`DatasetMapper` for ``Dataset.map(mapper, batched=True)``.

    Example:
        >>> mapper = make_dataset_mapper(text_column="content", prefix="nlp_")
        >>> sorted(mapper.features)[:2]
        ['nlp_keywords', 'nlp_officials']
    """
    return DatasetMapper(analyzer, text_column=text_column, **kwargs)


_default_mapper: DatasetMapper | None = None


def map_batch(batch: Mapping[str, list]) -> dict[str, list]:
    """Analyse a ``{"text": [...]}`` batch with the default Analyzer; for ``Dataset.map(map_batch, batched=True)``.

    Example:
        >>> map_batch({"text": ["宁波市总工会召开会议。"]})["summary"]  # doctest: +SKIP
        ['宁波市总工会召开会议。']
    """
    global _default_mapper
    if _default_mapper is None:
        _default_mapper = DatasetMapper()
    return _default_mapper(batch)
