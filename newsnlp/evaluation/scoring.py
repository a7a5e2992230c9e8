"""Per-record statistics and how they add up: the one implementation of every score that
``newsnlp evaluate`` and ``benchmarks/run.py`` report.

Each task turns one record's prediction and gold labels into a small dict of numbers
(*per-record statistics*), and an aggregate turns a list of those into the reported scores.
Keeping the two apart is what lets the bootstrap (:mod:`newsnlp.evaluation.bootstrap`)
resample records and recompute exactly the reported score:

* summaries: character ROUGE-1/2/L P/R/F per record (:func:`newsnlp.metrics.rouge`), reported
  as the mean over records, with the mean summary length in characters;
* keywords / tags: P/R/F1@k per record (:func:`newsnlp.metrics.keyword_prf`), mean over records;
* entity lists: matched / predicted / gold counts per record and list, micro-averaged
  (summed counts) over records;
* entity spans: exact ``(start, end, label)`` matches per record and label, micro-averaged.

Everything here is pure Python: importing it loads no model.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Hashable, Iterable, Literal, Mapping, Sequence

from ..metrics import PRF, keyword_prf, normalize_programme, normalize_term, official_key, programme_key, rouge

Stats = dict[str, float]

# --------------------------------------------------------------------------- summaries

ROUGE_KEYS = [f"{name}_{part}" for name in ("rouge1", "rouge2", "rougeL") for part in ("p", "r", "f")]


def rouge_stats(candidate: str, reference: str) -> Stats:
    """One record's character ROUGE (P/R/F of ROUGE-1, -2, -L) and the candidate's length.

    Example:
        >>> s = rouge_stats("宁波市总工会召开会议", "宁波市总工会")
        >>> round(s["rouge1_f"], 4), s["chars"]
        (0.75, 10)
    """
    stats: Stats = {}
    for name, s in rouge(candidate, reference).items():
        stats[f"{name}_p"], stats[f"{name}_r"], stats[f"{name}_f"] = s.precision, s.recall, s.fmeasure
    stats["chars"] = len(candidate)
    return stats


def aggregate_rouge(stats: Sequence[Stats]) -> dict[str, Any]:
    """Mean ROUGE over records and the mean length in characters (rounded to 0.1).

    Raises:
        ValueError: no records.
    """
    if not stats:
        raise ValueError("no records to score summaries on")
    values: dict[str, Any] = {}
    for key in ROUGE_KEYS:
        total = 0.0
        for s in stats:  # summed in record order, as newsnlp.metrics.mean_rouge does
            total += s[key]
        values[key] = total / len(stats)
    values["chars"] = round(sum(s["chars"] for s in stats) / len(stats), 1)
    return values


def rouge_values(candidates: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    """Mean character ROUGE of candidates against references (the benchmarks' summary row).

    Example:
        >>> round(rouge_values(["甲乙", "丙"], ["甲乙", "丁"])["rougeL_f"], 2)
        0.5
    """
    return aggregate_rouge([rouge_stats(c, r) for c, r in zip(candidates, references)])


# --------------------------------------------------------------------------- keywords and tags

K = 5  # keywords and tags are scored at 5


def keyword_stats(predicted: Sequence[Any], gold: Iterable[str], k: int = K) -> Stats:
    """One record's P/R/F1@k; ``predicted`` holds strs or objects with ``.text`` (Keyword).

    Example:
        >>> keyword_stats(["工会", "会议"], ["工会", "经费"], k=5)["f1"]
        0.5
    """
    texts = [getattr(p, "text", p) for p in predicted]
    s = keyword_prf(texts, list(gold), k)
    return {"p": s.precision, "r": s.recall, "f1": s.f1, "n": min(len(texts), k)}


def aggregate_keywords(stats: Sequence[Stats]) -> dict[str, Any]:
    """Mean P/R/F1@k over records and the mean number returned (rounded to 0.01)."""
    if not stats:
        raise ValueError("no records to score keywords on")
    p = r = f = 0.0
    for s in stats:
        p, r, f = p + s["p"], r + s["r"], f + s["f1"]
    n = len(stats)
    return {"p": p / n, "r": r / n, "f1": f / n, "n": round(sum(s["n"] for s in stats) / n, 2)}


def keyword_values(predicted: Sequence[Sequence[Any]], gold: Sequence[Sequence[str]], k: int = K) -> dict[str, Any]:
    """Mean P/R/F1@k of keyword lists against gold lists (the benchmarks' keyword row)."""
    return aggregate_keywords([keyword_stats(p, g, k) for p, g in zip(predicted, gold)])


# --------------------------------------------------------------------------- entity lists

LIST_FIELDS = ("organisations", "officials", "programmes", "persons", "places")
ListRules = Literal["newsdev", "exact"]
_PLACE_PREFIX = re.compile(r"[\u4e00-\u9fff]{1,10}")


def resolves_short_form(predicted: str, gold: str) -> bool:
    """Whether a prediction resolves a gold short form to the article's place.

    The newsdev rule (``shared/data/README.md``): the prediction ends with the gold name and
    what comes before is a place: CJK only, at most 10 characters, and either the gold name
    starts with 省/市/县/区 or the prefix ends with one of 省/市/县/区/州.

    Example:
        >>> resolves_short_form("宁波市政府", "市政府"), resolves_short_form("宁波银行", "银行")
        (True, False)
    """
    if len(predicted) <= len(gold) or not predicted.endswith(gold):
        return False
    prefix = predicted[: len(predicted) - len(gold)]
    if not _PLACE_PREFIX.fullmatch(prefix):
        return False
    return gold[0] in "省市县区" or prefix[-1] in "省市县区州"


def _name(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        value = item.get("name")
    else:
        value = getattr(item, "name", None)
    return value if isinstance(value, str) else ""


def list_key(field: str, rules: ListRules) -> Callable[[Any], Hashable]:
    """What is compared for one item of a list.

    ``"newsdev"`` rules: names NFKC-normalised and case-folded with quotation marks and 《》
    ignored anywhere, officials by name. ``"exact"`` rules (the sample corpus' report):
    normalised names, officials as ``(name, title)`` pairs, programmes ignoring the marks.
    """
    if rules == "newsdev":
        return lambda item: normalize_programme(_name(item))
    if field == "officials":
        return official_key
    if field == "programmes":
        return programme_key
    return lambda item: normalize_term(_name(item))


def list_stats(predicted: Iterable[Any], gold: Iterable[Any], *, field: str, rules: ListRules = "newsdev") -> Stats:
    """One record's ``{"tp", "pred", "gold"}`` counts for one entity list.

    Each prediction matches at most one gold item and the other way round. With ``"newsdev"``
    rules exact matches are taken first, then a gold short form kept as written (市政府) matches
    a prediction that resolves it to a place (宁波市政府), see :func:`resolves_short_form`.

    Example:
        >>> list_stats(["宁波市政府", "宁波银行"], ["市政府"], field="organisations")
        {'tp': 1, 'pred': 2, 'gold': 1}
    """
    key = list_key(field, rules)
    p = list(dict.fromkeys(k for k in map(key, predicted) if k))
    g = list(dict.fromkeys(k for k in map(key, gold) if k))
    unmatched_gold = list(g)
    tp = 0
    rest: list[Any] = []
    for x in p:  # exact matches first, so a resolved short form never steals an exact one
        if x in unmatched_gold:
            unmatched_gold.remove(x)
            tp += 1
        else:
            rest.append(x)
    if rules == "newsdev":
        for x in rest:
            hit = next((y for y in unmatched_gold if resolves_short_form(x, y)), None)
            if hit is not None:
                unmatched_gold.remove(hit)
                tp += 1
    return {"tp": tp, "pred": len(p), "gold": len(g)}


def aggregate_counts(stats: Sequence[Stats]) -> PRF:
    """Micro P/R/F1 from summed ``tp`` / ``pred`` / ``gold`` counts."""
    tp = sum(int(s["tp"]) for s in stats)
    pred = sum(int(s["pred"]) for s in stats)
    gold = sum(int(s["gold"]) for s in stats)
    return PRF.from_counts(tp, pred - tp, gold - tp)


def entity_lists(entities: Any) -> dict[str, list[Any]]:
    """The scored lists of an :class:`~newsnlp.Entities` (or a dict holding the lists)."""
    if isinstance(entities, Mapping):
        return {name: list(entities.get(name) or []) for name in LIST_FIELDS}
    return {
        "organisations": [e.name for e in entities.organisations],
        "officials": list(entities.officials),
        "programmes": [e.name for e in entities.programmes],
        "persons": [e.name for e in entities.persons],
        "places": [e.name for e in entities.places],
    }


def lists_from_mentions(mentions: Iterable[Any]) -> dict[str, list[Any]]:
    """Entity lists from labelled mentions: ORG → organisations, PERSON → persons, LOC → places."""
    by_label = {"ORG": "organisations", "PERSON": "persons", "LOC": "places"}
    out: dict[str, list[Any]] = {name: [] for name in LIST_FIELDS}
    for m in mentions:
        label, text = _span_label(m), _span_text(m)
        if label in by_label and text not in out[by_label[label]]:
            out[by_label[label]].append(text)
    return out


def list_values(
    predicted: Sequence[Mapping[str, Sequence[Any]]], gold: Sequence[Mapping[str, Any]], *,
    fields: Sequence[str] = LIST_FIELDS, rules: ListRules = "exact",
) -> dict[str, Any]:
    """Micro F1 (and ``<list>_p`` / ``<list>_r``) of predicted entity lists per list (the benchmarks' row)."""
    values: dict[str, Any] = {}
    for name in fields:
        s = aggregate_counts([list_stats(p[name], g.get(name) or [], field=name, rules=rules)
                              for p, g in zip(predicted, gold)])
        values[name], values[f"{name}_p"], values[f"{name}_r"] = s.f1, s.precision, s.recall
    return values


# --------------------------------------------------------------------------- entity spans

# newsnlp (label, ORG subtype) -> each corpus' label. A subtype of None (e.g. the jieba
# baseline's nt words) maps like the plain label; LOC maps to CLUENER "address".
NEWSNLP_MAP: dict[tuple[str, str | None], str] = {
    ("PERSON", None): "PERSON", ("ORG", None): "ORG", ("TITLE", None): "TITLE", ("LOC", None): "LOC",
}
CLUENER_MAP: dict[tuple[str, str | None], str] = {
    ("PERSON", None): "name",
    ("TITLE", None): "position",
    ("ORG", "gov"): "government",
    ("ORG", "government"): "government",
    ("ORG", "company"): "company",
    ("ORG", "organisation"): "organization",
    ("ORG", "organization"): "organization",
    ("ORG", None): "organization",
    ("LOC", None): "address",
}
MSRA_MAP: dict[tuple[str, str | None], str] = {("PERSON", None): "PER", ("ORG", None): "ORG", ("LOC", None): "LOC"}
RESUME_MAP: dict[tuple[str, str | None], str] = {
    ("PERSON", None): "NAME", ("ORG", None): "ORG", ("TITLE", None): "TITLE", ("LOC", None): "LOC",
}
LABEL_MAPS: dict[str, dict[tuple[str, str | None], str]] = {
    "newsnlp": NEWSNLP_MAP, "cluener": CLUENER_MAP, "msra": MSRA_MAP, "resume": RESUME_MAP,
}
CLUENER_ORG_LABELS = {"organization", "government", "company"}


def map_label(label: str, subtype: str | None, mapping: Mapping[tuple[str, str | None], str]) -> str | None:
    """Map a newsnlp label (and ORG subtype) to a corpus label; ``None`` when it has none.

    Example:
        >>> map_label("ORG", "gov", CLUENER_MAP), map_label("ORG", "school", CLUENER_MAP), map_label("TITLE", None, MSRA_MAP)
        ('government', 'organization', None)
    """
    return mapping.get((label, subtype)) or mapping.get((label, None))


def choose_label_map(gold_labels: Iterable[str]) -> str:
    """The label scheme whose labels cover most of the gold labels (ties: newsnlp, CLUENER, MSRA, Resume).

    Example:
        >>> choose_label_map(["name", "company"]), choose_label_map(["PER", "ORG"]), choose_label_map(["ORG"])
        ('cluener', 'msra', 'newsnlp')
    """
    wanted = set(gold_labels)
    return max(LABEL_MAPS, key=lambda name: (len(wanted & set(LABEL_MAPS[name].values())), -list(LABEL_MAPS).index(name)))


def _span_label(span: Any) -> str:
    if isinstance(span, Mapping):
        return str(span.get("label") or span.get("type") or "")
    return str(getattr(span, "label", ""))


def _span_text(span: Any) -> str:
    return str(span.get("text", "") if isinstance(span, Mapping) else getattr(span, "text", ""))


def _span_field(span: Any, name: str) -> Any:
    return span.get(name) if isinstance(span, Mapping) else getattr(span, name, None)


def mapped_spans(spans: Iterable[Any], mapping: Mapping[tuple[str, str | None], str] | None) -> set[tuple[int, int, str]]:
    """``(start, end, corpus label)`` of predicted spans; ``mapping=None`` keeps labels as given."""
    out = set()
    for s in spans:
        label = _span_label(s)
        if mapping is not None:
            label = map_label(label, _span_field(s, "subtype"), mapping) or ""
        if label:
            out.add((int(_span_field(s, "start")), int(_span_field(s, "end")), label))
    return out


def gold_spans(entities: Iterable[Mapping[str, Any]], labels: Iterable[str]) -> set[tuple[int, int, str]]:
    """``(start, end, label)`` of a record's gold entities with one of ``labels``."""
    wanted = set(labels)
    return {(int(e["start"]), int(e["end"]), str(e["type"])) for e in entities if e["type"] in wanted}


def span_stats(gold: set[tuple[int, int, str]], predicted: set[tuple[int, int, str]], labels: Sequence[str], *,
               merge_org: bool = False) -> Stats:
    """One record's exact-span counts: ``<label>_tp`` / ``_pred`` / ``_gold`` per label, and ``micro_*``.

    With ``merge_org`` the three CLUENER organisation labels also count as one, ``ORG*``.

    Example:
        >>> s = span_stats({(0, 2, "PER"), (5, 8, "ORG")}, {(0, 2, "PER"), (5, 7, "ORG")}, ["PER", "ORG"])
        >>> s["PER_tp"], s["ORG_tp"], s["micro_pred"]
        (1, 0, 2)
    """
    wanted = set(labels)
    gold = {g for g in gold if g[2] in wanted}
    predicted = {p for p in predicted if p[2] in wanted}
    stats: Stats = {}
    groups: list[tuple[str, set, set]] = [(label, {g for g in gold if g[2] == label}, {p for p in predicted if p[2] == label})
                                          for label in labels]
    if merge_org:
        def merge(spans):
            return {(s, e, "ORG*" if label in CLUENER_ORG_LABELS else label) for s, e, label in spans}

        mg, mp = merge(gold), merge(predicted)
        groups.append(("ORG*", {g for g in mg if g[2] == "ORG*"}, {p for p in mp if p[2] == "ORG*"}))
    groups.append(("micro", gold, predicted))
    for name, g, p in groups:
        stats[f"{name}_tp"], stats[f"{name}_pred"], stats[f"{name}_gold"] = len(g & p), len(p), len(g)
    return stats


def aggregate_spans(stats: Sequence[Stats], names: Sequence[str]) -> dict[str, Any]:
    """Micro F1 (``<label>``) and P / R (``<label>_p`` / ``<label>_r``) per label name from per-record counts."""
    values: dict[str, Any] = {}
    for name in names:
        s = aggregate_counts([{"tp": x[f"{name}_tp"], "pred": x[f"{name}_pred"], "gold": x[f"{name}_gold"]} for x in stats])
        values[name], values[f"{name}_p"], values[f"{name}_r"] = s.f1, s.precision, s.recall
    return values


def ner_values(
    records: Sequence[Mapping[str, Any]], predictions: Sequence[Iterable[Any]], mapping, labels: Sequence[str], *, merge_org: bool
) -> dict[str, Any]:
    """Per-label exact-span F1 (and P/R), ``micro`` and optionally ``ORG*``, of predictions mapped onto a corpus' labels."""
    stats = [span_stats(gold_spans(r["entities"], labels), mapped_spans(p, mapping), labels, merge_org=merge_org)
             for r, p in zip(records, predictions)]
    return aggregate_spans(stats, [*labels, "micro", *(["ORG*"] if merge_org else [])])
