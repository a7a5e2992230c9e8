"""Evaluation metrics for Chinese news: character ROUGE, keyword P/R/F1@k, entity and list F1.

Every function here is pure Python and loads nothing, so ``newsnlp.metrics`` is safe to import
anywhere. Scores are fractions in ``[0, 1]``; reports multiply by 100.

Conventions (documented once, used everywhere):

* **ROUGE** is computed on characters: text is NFKC-normalised and lower-cased, whitespace and
  punctuation are dropped, and every remaining character (a Chinese character, a letter, a
  digit, a symbol such as % or ¥) is one token. ``rouge-score``'s default tokenizer keeps only
  ``[a-z0-9]`` and so scores every Chinese pair 0; given :func:`rouge_tokens` as its tokenizer
  it agrees with :func:`rouge` (the tests check this to 4 decimals).
* **Keywords and tags** are compared after :func:`normalize_term` (NFKC folds full-width
  letters and digits, then case-folding and trimming). ``P@k`` divides by the number of
  predictions actually returned (at most ``k``), because ``top_k`` is a maximum, not a quota;
  corpus scores are the mean of the per-document scores.
* **Entities** are exact ``(document, start, end, label)`` spans, micro-averaged per label.
  **Officials** are ``(name, title)`` pairs; **programmes** ignore quotation marks and
  book-title marks wherever they appear; **organisations** and other lists are sets of
  normalised names. List scores are micro-averaged over documents.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence

from ._util import check_positive_int

__all__ = [
    "PRF",
    "RougeScore",
    "f1_score",
    "rouge_tokens",
    "char_tokenizer",
    "ngram_counts",
    "lcs_length",
    "rouge_from_counts",
    "rouge",
    "mean_rouge",
    "normalize_term",
    "keyword_prf",
    "mean_keyword_prf",
    "span_prf",
    "set_prf",
    "normalize_programme",
    "official_key",
    "programme_key",
]

# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts they come from.

    ``tp`` / ``fp`` / ``fn`` are counts for micro scores; for a mean of per-document scores
    (:func:`mean_keyword_prf`) they are the summed counts, kept for reference.
    """

    precision: float
    recall: float
    f1: float
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> "PRF":
        """Micro scores from counts; an empty denominator gives 0.

        Example:
            >>> round(PRF.from_counts(tp=2, fp=1, fn=2).f1, 4)
            0.5714
        """
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        return cls(precision, recall, f1_score(precision, recall), tp, fp, fn)

    @classmethod
    def from_totals(cls, tp: int, n_predicted: int, n_gold: int) -> "PRF":
        """Micro scores from the hits and the sizes of the predicted and gold sets.

        Example:
            >>> PRF.from_totals(tp=1, n_predicted=2, n_gold=4).recall
            0.25
        """
        return cls.from_counts(tp, n_predicted - tp, n_gold - tp)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class RougeScore:
    """One ROUGE variant: precision, recall and F (β = 1), as in ``rouge-score``."""

    precision: float
    recall: float
    fmeasure: float


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0): the one F1 of newsnlp.

    Example:
        >>> f1_score(0.5, 1.0)
        0.6666666666666666
    """
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


_f1 = f1_score  # the 0.1 private name


# --------------------------------------------------------------------------- ROUGE

# Unicode files these under punctuation, but in news figures they carry meaning (5% ≠ 5).
_MEANINGFUL_MARKS = frozenset("%‰#&@")


def rouge_tokens(text: str, *, keep_punctuation: bool = False) -> list[str]:
    """Split text into ROUGE tokens: one token per character, normalised.

    Args:
        text: any text.
        keep_punctuation: keep punctuation characters as tokens (default: drop them, so
            that a shared "。" does not count as overlap).

    Returns:
        The characters left after NFKC, lower-casing and dropping whitespace (and punctuation,
        except ``% ‰ # & @``, which carry meaning in figures).

    Raises:
        TypeError: ``text`` is not a str.

    Example:
        >>> rouge_tokens("ＧＤＰ增长5%。")
        ['g', 'd', 'p', '增', '长', '5', '%']
    """
    if not isinstance(text, str):
        raise TypeError(f"rouge_tokens() takes a str, not {type(text).__name__}")
    out = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        if ch.isspace():
            continue
        if not keep_punctuation and unicodedata.category(ch).startswith("P") and ch not in _MEANINGFUL_MARKS:
            continue
        out.append(ch)
    return out


class _CharTokenizer:
    """Adapter with ``tokenize(text)``, the interface ``rouge-score`` expects."""

    def __init__(self, keep_punctuation: bool = False) -> None:
        self.keep_punctuation = keep_punctuation

    def tokenize(self, text: str) -> list[str]:
        return rouge_tokens(text, keep_punctuation=self.keep_punctuation)


def char_tokenizer(*, keep_punctuation: bool = False) -> _CharTokenizer:
    """A tokenizer object for ``rouge_score.rouge_scorer.RougeScorer(tokenizer=...)``.

    Example:
        >>> char_tokenizer().tokenize("宁波，总工会")
        ['宁', '波', '总', '工', '会']
    """
    return _CharTokenizer(keep_punctuation)


def ngram_counts(tokens: Sequence[str], n: int) -> Counter:
    """The n-grams of a token sequence with their counts (tuples of ``n`` tokens).

    Example:
        >>> ngram_counts(["宁", "波", "宁", "波"], 2)[("宁", "波")]
        2
    """
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """The length of the longest common subsequence of two token sequences (ROUGE-L's overlap).

    Example:
        >>> lcs_length(list("宁波市总工会"), list("宁波总工会议"))
        5
    """
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, 1):
            # A conditional instead of max(): this loop is the summariser training's hot path.
            current.append(previous[j - 1] + 1 if x == y else (previous[j] if previous[j] > current[j - 1] else current[j - 1]))
        previous = current
    return previous[-1]


def rouge_from_counts(overlap: int, n_candidate: int, n_reference: int) -> RougeScore:
    """ROUGE precision, recall and F from an overlap count and the two sequences' sizes.

    Example:
        >>> rouge_from_counts(3, 4, 6).fmeasure
        0.6
    """
    precision = overlap / n_candidate if n_candidate else 0.0
    recall = overlap / n_reference if n_reference else 0.0
    return RougeScore(precision, recall, f1_score(precision, recall))


# The 0.1 private names (newsnlp.train.summarizer used them).
_ngrams, _lcs_length, _score = ngram_counts, lcs_length, rouge_from_counts


def rouge(
    candidate: str,
    reference: str,
    *,
    keep_punctuation: bool = False,
) -> dict[str, RougeScore]:
    """Character-level ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against one reference.

    ROUGE-N counts clipped n-gram overlap; ROUGE-L uses the longest common subsequence of the
    two token sequences. Precision divides by the candidate's count, recall by the reference's.

    Args:
        candidate: the system summary.
        reference: the human summary.
        keep_punctuation: see :func:`rouge_tokens`.

    Returns:
        ``{"rouge1": RougeScore, "rouge2": ..., "rougeL": ...}``; empty text scores 0.

    Raises:
        TypeError: either argument is not a str.

    Example:
        >>> round(rouge("宁波市总工会召开会议", "宁波市总工会")["rouge1"].fmeasure, 4)
        0.75
    """
    cand = rouge_tokens(candidate, keep_punctuation=keep_punctuation)
    ref = rouge_tokens(reference, keep_punctuation=keep_punctuation)
    scores: dict[str, RougeScore] = {}
    for n in (1, 2):
        c, r = ngram_counts(cand, n), ngram_counts(ref, n)
        scores[f"rouge{n}"] = rouge_from_counts(sum((c & r).values()), sum(c.values()), sum(r.values()))
    scores["rougeL"] = rouge_from_counts(lcs_length(cand, ref), len(cand), len(ref))
    return scores


def mean_rouge(pairs: Iterable[tuple[str, str]], *, keep_punctuation: bool = False) -> dict[str, RougeScore]:
    """Mean of the per-pair ROUGE scores over ``(candidate, reference)`` pairs.

    Raises:
        ValueError: ``pairs`` is empty.

    Example:
        >>> round(mean_rouge([("甲乙", "甲乙"), ("丙", "丁")])["rougeL"].fmeasure, 2)
        0.5
    """
    totals: dict[str, list[float]] = {}
    count = 0
    for candidate, reference in pairs:
        count += 1
        for name, s in rouge(candidate, reference, keep_punctuation=keep_punctuation).items():
            t = totals.setdefault(name, [0.0, 0.0, 0.0])
            t[0] += s.precision
            t[1] += s.recall
            t[2] += s.fmeasure
    if not count:
        raise ValueError("mean_rouge() got no (candidate, reference) pairs; pass at least one")
    return {name: RougeScore(p / count, r / count, f / count) for name, (p, r, f) in totals.items()}


# --------------------------------------------------------------------------- keywords and tags


def normalize_term(term: str) -> str:
    """Normalise a keyword or tag for comparison: NFKC width folding, case-folding, trimming.

    Inner spaces are collapsed to one (``"Open  AI"`` → ``"open ai"``).

    Example:
        >>> normalize_term(" ＡＩ芯片 ")
        'ai芯片'
    """
    if not isinstance(term, str):
        raise TypeError(f"a keyword must be a str, not {type(term).__name__}")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", term).casefold()).strip()


def _unique(items: Iterable[str], normalize: Callable[[str], str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = normalize(item)
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def keyword_prf(predicted: Sequence[str], gold: Iterable[str], k: int = 5) -> PRF:
    """Precision, recall and F1 of the first ``k`` predicted keywords against a gold set.

    Predictions and gold are normalised with :func:`normalize_term`; duplicates after
    normalisation count once. Precision divides by the number of predictions kept (at most
    ``k``): a system that returns fewer, better keywords is not padded with misses.

    Args:
        predicted: keywords, best first.
        gold: the reference keywords or tags.
        k: how many predictions to keep.

    Returns:
        A :class:`PRF` with the counts of this one document.

    Raises:
        ValueError: ``k`` is not a positive int.

    Example:
        >>> keyword_prf(["工会", "ＡＩ", "会议"], ["ai", "工会经费"], k=2).precision
        0.5
    """
    check_positive_int("k", k)
    if isinstance(predicted, str) or isinstance(gold, str):
        raise TypeError("keyword_prf() takes lists of keywords, not a single str; wrap it in a list")
    pred = _unique(predicted, normalize_term)[:k]
    ref = set(_unique(gold, normalize_term))
    tp = sum(1 for p in pred if p in ref)
    return PRF.from_counts(tp, len(pred) - tp, len(ref) - tp)


def mean_keyword_prf(pairs: Iterable[tuple[Sequence[str], Iterable[str]]], k: int = 5) -> PRF:
    """Mean over documents of :func:`keyword_prf` (macro average), the usual keyphrase F1@k.

    Args:
        pairs: ``(predicted, gold)`` per document.
        k: see :func:`keyword_prf`.

    Returns:
        Mean precision, recall and F1 (F1 is the mean of per-document F1, not the F1 of
        the means), with the summed counts.

    Raises:
        ValueError: ``pairs`` is empty.

    Example:
        >>> mean_keyword_prf([(["甲"], ["甲"]), (["乙"], ["丙"])], k=5).f1
        0.5
    """
    p = r = f = 0.0
    tp = fp = fn = n = 0
    for predicted, gold in pairs:
        s = keyword_prf(predicted, gold, k)
        p, r, f = p + s.precision, r + s.recall, f + s.f1
        tp, fp, fn, n = tp + s.tp, fp + s.fp, fn + s.fn, n + 1
    if not n:
        raise ValueError("mean_keyword_prf() got no documents; pass at least one (predicted, gold) pair")
    return PRF(p / n, r / n, f / n, tp, fp, fn)


# --------------------------------------------------------------------------- entities


def span_prf(
    gold: Iterable[tuple[Hashable, int, int, str]],
    predicted: Iterable[tuple[Hashable, int, int, str]],
    *,
    labels: Iterable[str] | None = None,
) -> dict[str, PRF]:
    """Exact-span precision, recall and F1 per label, micro-averaged over documents.

    A prediction counts only when its document, start, end and label all equal a gold span's.

    Args:
        gold: ``(document id, start, end, label)`` tuples.
        predicted: the same for the system; duplicates count once.
        labels: the labels to report (default: every label seen in gold or predictions).
            Spans with other labels are ignored, also in ``"micro"``.

    Returns:
        ``{label: PRF}`` in the order of ``labels`` (or sorted), plus ``"micro"`` over those labels.

    Example:
        >>> s = span_prf([(0, 0, 2, "PER"), (0, 5, 8, "ORG")], [(0, 0, 2, "PER"), (0, 5, 7, "ORG")])
        >>> s["PER"].f1, s["ORG"].f1, s["micro"].f1
        (1.0, 0.0, 0.5)
    """
    gold_set = set(gold)
    pred_set = set(predicted)
    names = list(labels) if labels is not None else sorted({g[3] for g in gold_set} | {p[3] for p in pred_set})
    wanted = set(names)
    gold_set = {g for g in gold_set if g[3] in wanted}
    pred_set = {p for p in pred_set if p[3] in wanted}
    result: dict[str, PRF] = {}
    for label in names:
        g = {x for x in gold_set if x[3] == label}
        p = {x for x in pred_set if x[3] == label}
        tp = len(g & p)
        result[label] = PRF.from_counts(tp, len(p) - tp, len(g) - tp)
    tp = len(gold_set & pred_set)
    result["micro"] = PRF.from_counts(tp, len(pred_set) - tp, len(gold_set) - tp)
    return result


def set_prf(
    pairs: Iterable[tuple[Iterable[Any], Iterable[Any]]],
    *,
    key: Callable[[Any], Hashable] = normalize_term,
) -> PRF:
    """Micro P/R/F1 of predicted lists against gold lists, each compared as a set per document.

    Used for organisation, person and place lists (``key=normalize_term``), officials
    (``key=official_key``) and programmes (``key=programme_key``).

    Args:
        pairs: ``(predicted, gold)`` per document.
        key: maps an item to what is compared; items with an empty key are ignored.

    Returns:
        Micro-averaged :class:`PRF` over all documents.

    Example:
        >>> set_prf([(["宁波市总工会", "市总工会"], ["宁波市总工会"])]).precision
        0.5
    """
    tp = fp = fn = 0
    for predicted, gold in pairs:
        p = {k for k in map(key, predicted) if k}
        g = {k for k in map(key, gold) if k}
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    return PRF.from_counts(tp, fp, fn)


_QUOTES = "“”‘’「」『』\"'《》〈〉"
_QUOTES_RE = re.compile("[" + re.escape(_QUOTES) + "]")


def normalize_programme(name: str) -> str:
    """Normalise a programme name: drop quotation and book-title marks, then :func:`normalize_term`.

    The marks go wherever they are, so a quoted name with its head noun outside the quotes
    matches the same name written without them.

    Example:
        >>> normalize_programme("“十件实事”项目") == normalize_programme("十件实事项目")
        True
    """
    return normalize_term(_QUOTES_RE.sub("", unicodedata.normalize("NFKC", name)))


def programme_key(item: Any) -> str:
    """Comparison key of a programme: a str, a dict with ``name``, or an object with ``.name``."""
    return normalize_programme(_field(item, "name"))


def official_key(item: Any) -> tuple[str, str] | None:
    """Comparison key of an official: the normalised ``(name, title)`` pair.

    ``item`` is a dict with ``name`` and ``title`` or an object with those attributes (such
    as :class:`newsnlp.Official`); the organisation is not compared.

    Example:
        >>> official_key({"name": "李谦", "title": "市总工会主席", "organisation": "宁波市总工会"})
        ('李谦', '市总工会主席')
    """
    if isinstance(item, str):
        raise TypeError(f"an official is a dict or object with name and title, not the str {item!r}")
    name = normalize_term(_field(item, "name"))
    if not name:
        return None
    return name, normalize_term(_field(item, "title") or "")


def _field(item: Any, name: str) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        value = item.get(name)
    else:
        value = getattr(item, name, None)
    return value if isinstance(value, str) else ""
