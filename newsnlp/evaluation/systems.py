"""The systems ``newsnlp evaluate`` scores: models named on the command line and the baselines.

A model is named by a spec: ``default`` (the shipped one), a local directory or hub id of a
transformers model, or ``module:callable`` for a user's own function. Every spec is loaded
before any record is scored, so a wrong name fails at once and says what was tried.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal, Mapping

from .. import baselines
from ..errors import ModelLoadError, ModelNotFoundError, NewsNLPError
from .data import Record
from .scoring import K, entity_lists, lists_from_mentions

Task = Literal["summary", "keywords", "entities"]
_CALLABLE_SPEC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


class ModelSpecError(NewsNLPError, ValueError):
    """A ``--summary-model`` / ``--ner-model`` that could not be loaded; the message says what was tried."""


@dataclass
class System:
    """One row of a table: ``predict(record)`` gives its output for one record."""

    name: str
    kind: Literal["model", "baseline"]
    predict: Callable[[Record], Any]


def _shared_analyzer(cache: dict[str, Any], device: str):
    if "analyzer" not in cache:
        from ..analyzer import Analyzer

        cache["analyzer"] = Analyzer(device=device)
    return cache["analyzer"]


def _import_callable(spec: str, option: str) -> Callable[..., Any]:
    module_name, _, attr = spec.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelSpecError(
            f"{option} {spec!r}: read as module:callable, but importing module {module_name!r} failed "
            f"({type(exc).__name__}: {exc}); put the module on PYTHONPATH (or run from its folder) and retry"
        ) from exc
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ModelSpecError(f"{option} {spec!r}: module {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise ModelSpecError(f"{option} {spec!r}: {attr!r} in {module_name!r} is a {type(obj).__name__}, not a function")
    return obj


def is_callable_spec(spec: str) -> bool:
    """``module:callable`` (and not an existing path such as ``C:/models``)."""
    return bool(_CALLABLE_SPEC.match(spec)) and not Path(spec).exists()


def _load_error(option: str, spec: str, exc: Exception) -> ModelSpecError:
    tried = ("'default' (the shipped model), a local directory, the hub cache (offline) and module:callable "
             "(needs the form package.module:function)")
    return ModelSpecError(f"{option} {spec!r} could not be loaded; tried {tried}. {type(exc).__name__}: {exc}")


def summary_system(spec: str, *, cache: dict[str, Any], device: str = "auto") -> System:
    """A summariser named by ``spec``; a callable gets the article text (str) and returns the summary."""
    if spec == "default":
        analyzer = _shared_analyzer(cache, device)
        return System("newsnlp.summarize (default)", "model", lambda r: analyzer.summarize(r.article))
    if is_callable_spec(spec):
        fn = _import_callable(spec, "--summary-model")
        return System(spec, "model", lambda r: fn(r.text))
    from ..summarization.abstractive import AbstractiveSummarizer

    try:
        summarizer = AbstractiveSummarizer(spec, device=device, local_files_only=True)
    except (ModelNotFoundError, ModelLoadError, OSError, ValueError) as exc:
        raise _load_error("--summary-model", spec, exc) from exc
    return System(spec, "model", lambda r: "" if not r.text.strip() else summarizer(r.article))


def _entities_output(value: Any, text: str) -> dict[str, Any]:
    """What a NER callable returned, as ``{"lists": ..., "spans": ...}`` (either may be None)."""
    if hasattr(value, "organisations"):  # an Entities
        return {"lists": entity_lists(value), "spans": list(getattr(value, "mentions", ()) or ())}
    if isinstance(value, Mapping):
        return {"lists": entity_lists(value), "spans": None}
    if isinstance(value, (list, tuple)):
        spans = list(value)
        for s in spans:
            start = s.get("start") if isinstance(s, Mapping) else getattr(s, "start", None)
            end = s.get("end") if isinstance(s, Mapping) else getattr(s, "end", None)
            if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
                raise ValueError(f"a span must have int start/end within the text, got {s!r}")
        return {"lists": lists_from_mentions(spans), "spans": spans}
    raise TypeError(f"a NER callable must return an Entities, a dict of lists or a list of spans "
                    f"({{'start', 'end', 'label'}}), got {type(value).__name__}")


def ner_system(spec: str, *, cache: dict[str, Any], device: str = "auto") -> System:
    """An entity system named by ``spec``: lists from ``extract_entities`` rules, spans from its tagger.

    A callable gets the article text and returns an :class:`~newsnlp.Entities`, a dict of lists
    (``organisations``, ``officials``, ...) or a list of spans with ``start`` / ``end`` / ``label``.
    """
    if is_callable_spec(spec):
        fn = _import_callable(spec, "--ner-model")
        return System(spec, "model", lambda r: _entities_output(fn(r.text), r.text))
    from ..entities.extractor import EntityExtractor

    try:
        if spec == "default":
            analyzer = _shared_analyzer(cache, device)
            extractor = analyzer._entity_extractor(None)
            name = "newsnlp.extract_entities (default)"
        else:
            extractor = EntityExtractor.load(spec, segmenter=_shared_analyzer(cache, device).segmenter, device=device)
            name = spec
    except (ModelNotFoundError, ModelLoadError, OSError, ValueError) as exc:
        raise _load_error("--ner-model", spec, exc) from exc

    def predict(record: Record) -> dict[str, Any]:
        text = record.text
        lists = entity_lists(extractor(record.article)) if text.strip() else entity_lists({})
        # Raw tagger spans (before the news rules), as the benchmarks score them.
        spans = extractor.tagger.predict([text])[0] if text else []
        return {"lists": lists, "spans": spans}

    return System(name, "model", predict)


def _article_text(record: Record) -> str:
    return ((record.article.title or "") + "\n" + record.text).strip()


def keyword_systems(*, cache: dict[str, Any], device: str = "auto") -> list[System]:
    """newsnlp's keywords and tags, then jieba TF-IDF and TextRank, all at k = 5."""
    analyzer = _shared_analyzer(cache, device)
    return [
        System("newsnlp.extract_keywords", "model", lambda r: analyzer.extract_keywords(r.article, top_k=K)),
        System("newsnlp.suggest_tags", "model", lambda r: analyzer.suggest_tags(r.article, k=K)),
        System("jieba TF-IDF", "baseline", lambda r: baselines.jieba_tfidf_keywords(_article_text(r), K)),
        System("jieba TextRank", "baseline", lambda r: baselines.jieba_textrank_keywords(_article_text(r), K)),
    ]


def summary_baselines() -> list[System]:
    return [
        System("Lead-1", "baseline", lambda r: baselines.lead_summary(r.text, 1)),
        System("Lead-3", "baseline", lambda r: baselines.lead_summary(r.text, 3)),
        System("TextRank (120 chars)", "baseline", lambda r: baselines.textrank_summary(r.text)),
    ]


def ner_baselines() -> list[System]:
    def jieba_pos(record: Record) -> dict[str, Any]:
        spans = baselines.jieba_pos_entities(record.text)
        return {"lists": lists_from_mentions(spans), "spans": spans}

    return [System("jieba POS (nr/nt/ns)", "baseline", jieba_pos)]


def default_device() -> str:
    return os.environ.get("NEWSNLP_DEVICE", "auto")
