"""Comparing entities with labelled articles (benchmarks/data/labels.jsonl): the labels' shape and micro P/R/F."""

from __future__ import annotations

from typing import Sequence

from ..metrics import PRF
from ..types import Entities


def entity_labels(entities: Entities) -> dict[str, list]:
    """Return entities in the shape of the sample corpus labels.

    Args:
        entities: what :class:`EntityExtractor` returned.

    Returns:
        ``{"organisations": [name, ...], "officials": [{"name", "title", "organisation"}, ...],
        "programmes": [...], "persons": [...], "places": [...]}``.

    Example:
        >>> from newsnlp.entities import EntityExtractor
        >>> entity_labels(EntityExtractor.load()("市总工会主席李谦讲话。"))["officials"][0]["name"]
        '李谦'
    """
    return {
        "organisations": [e.name for e in entities.organisations],
        "officials": [
            {"name": o.name, "title": o.title, "organisation": o.organisation} for o in entities.officials
        ],
        "programmes": [e.name for e in entities.programmes],
        "persons": [e.name for e in entities.persons],
        "places": [e.name for e in entities.places],
    }


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """The scores in percent, rounded to 0.1, with the counts (the P/R/F itself is :class:`newsnlp.metrics.PRF`'s)."""
    score = PRF.from_totals(tp, n_pred, n_gold)
    return {"precision": round(100 * score.precision, 1), "recall": round(100 * score.recall, 1),
            "f1": round(100 * score.f1, 1), "tp": tp, "pred": n_pred, "gold": n_gold}


def score_entity_labels(preds: Sequence[dict], golds: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Micro precision / recall / F1 of predicted against gold labels, exact match per article.

    Lists are compared as sets per article. Officials are scored three ways: ``officials``
    (name only), ``officials_org`` (name and organisation) and ``officials_full`` (name,
    title and organisation).

    Args:
        preds: one :func:`entity_labels` dict per article.
        golds: the matching labels (same order; missing keys count as empty).

    Returns:
        ``{field: {"precision", "recall", "f1", "tp", "pred", "gold"}}`` in percent.

    Raises:
        ValueError: the two sequences differ in length.

    Example:
        >>> score_entity_labels([{"programmes": ["工惠保"]}], [{"programmes": ["工惠保"]}])["programmes"]["f1"]
        100.0
    """
    if len(preds) != len(golds):
        raise ValueError(f"got {len(preds)} predictions for {len(golds)} gold articles; pass one per article")
    keys = {
        "organisations": lambda d: {x for x in d.get("organisations") or []},
        "programmes": lambda d: {x for x in d.get("programmes") or []},
        "persons": lambda d: {x for x in d.get("persons") or []},
        "places": lambda d: {x for x in d.get("places") or []},
        "officials": lambda d: {o["name"] for o in d.get("officials") or []},
        "officials_org": lambda d: {(o["name"], o.get("organisation")) for o in d.get("officials") or []},
        "officials_full": lambda d: {
            (o["name"], o.get("title"), o.get("organisation")) for o in d.get("officials") or []
        },
    }
    out = {}
    for field, get in keys.items():
        tp = n_pred = n_gold = 0
        for p, g in zip(preds, golds):
            ps, gs = get(p), get(g)
            tp += len(ps & gs)
            n_pred += len(ps)
            n_gold += len(gs)
        out[field] = _prf(tp, n_pred, n_gold)
    return out
