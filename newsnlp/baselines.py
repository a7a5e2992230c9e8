"""Simple, well-known baselines that the trained stages are measured against.

These are deliberately plain so that benchmark numbers mean something: Lead-N (the first N
sentences) and a jieba-TextRank-style extractive summary for abstracts. Nothing here loads a
model; each function is pure and deterministic.
"""

from __future__ import annotations

import math
from collections import Counter

from ._util import check_positive_int, is_cjk
from .text.sentences import split_sentences

__all__ = [
    "lead_summary", "textrank_summary", "jieba_tfidf_keywords", "jieba_textrank_keywords", "jieba_pos_entities",
]


def lead_summary(text: str, n: int = 3) -> str:
    """Return the first ``n`` sentences of ``text`` joined as they appear (Lead-N).

    Args:
        text: the article text.
        n: how many sentences to keep (at least 1).

    Returns:
        The first ``n`` sentences concatenated; ``""`` for empty text.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: ``n`` is not a positive int.

    Example:
        >>> lead_summary("央行降准。市场上涨。成交放量。", 2)
        '央行降准。市场上涨。'
    """
    if not isinstance(text, str):
        raise TypeError(f"lead_summary() takes a str, not {type(text).__name__}")
    check_positive_int("n", n, hint="; pass n >= 1 sentences")
    return "".join(s.text for s in split_sentences(text)[:n])


def _bigrams(s: str) -> Counter:
    chars = [c for c in s if not c.isspace() and (c.isalnum() or is_cjk(c))]
    if len(chars) < 2:
        return Counter(chars)
    return Counter(a + b for a, b in zip(chars, chars[1:]))


def _pagerank(weights: list[list[float]], damping: float = 0.85, iterations: int = 50) -> list[float]:
    n = len(weights)
    out_sum = [sum(row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        new = []
        for j in range(n):
            total = 0.0
            for i in range(n):
                if weights[i][j] and out_sum[i]:
                    total += weights[i][j] / out_sum[i] * scores[i]
            new.append((1 - damping) / n + damping * total)
        scores = new
    return scores


def textrank_summary(text: str, max_chars: int = 120) -> str:
    """Extractive TextRank summary: PageRank over a sentence-similarity graph.

    Sentences are nodes; edges carry the TF-IDF-weighted cosine of their character bigrams
    (the word-overlap similarity of TextRank, at character level so it needs no segmenter).
    The highest-ranked sentences are taken until ``max_chars`` would be exceeded (the first
    pick is always kept, whole) and returned in document order.

    Args:
        text: the article text.
        max_chars: the character budget.

    Returns:
        The summary; ``""`` for empty text.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: ``max_chars`` is not a positive int.

    Example:
        >>> textrank_summary("央行宣布降准。降准释放资金一万亿元。天气晴。", max_chars=10)
        '央行宣布降准。'
    """
    if not isinstance(text, str):
        raise TypeError(f"textrank_summary() takes a str, not {type(text).__name__}")
    check_positive_int("max_chars", max_chars, hint="; pass max_chars >= 1")
    sentences = split_sentences(text)
    if not sentences:
        return ""
    if len(sentences) == 1:
        return sentences[0].text
    grams = [_bigrams(s.text) for s in sentences]
    df: Counter = Counter()
    for g in grams:
        df.update(g.keys())
    n = len(sentences)
    vectors = []
    for g in grams:
        v = {k: c * math.log((n + 1) / (df[k] + 0.5)) for k, c in g.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({k: x / norm for k, x in v.items()})
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            a, b = vectors[i], vectors[j]
            if len(a) > len(b):
                a, b = b, a
            sim = sum(x * b.get(k, 0.0) for k, x in a.items())
            weights[i][j] = weights[j][i] = sim
    scores = _pagerank(weights)
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    used = 0
    for i in order:
        length = len(sentences[i].text)
        if chosen and used + length > max_chars:
            continue
        chosen.append(i)
        used += length
        if used >= max_chars:
            break
    return "".join(sentences[i].text for i in sorted(chosen))


# --------------------------------------------------------------------------- keywords and entities
# Added by the benchmark harness; what jieba users reach for today, called as they would.


def jieba_tfidf_keywords(text: str, top_k: int = 5) -> list[str]:
    """jieba's TF-IDF keywords (``jieba.analyse.extract_tags`` with its shipped IDF table).

    Example:
        >>> jieba_tfidf_keywords("宁波市总工会推进新就业形态劳动者入会。", 2)
        ['入会', '总工会']
    """
    if not isinstance(text, str):
        raise TypeError(f"jieba_tfidf_keywords() takes a str, not {type(text).__name__}")
    import jieba.analyse

    _quiet_jieba()
    return list(jieba.analyse.extract_tags(text, topK=top_k))


def jieba_textrank_keywords(text: str, top_k: int = 5) -> list[str]:
    """jieba's TextRank keywords (``jieba.analyse.textrank``, default POS filter ns/n/vn/v).

    Example:
        >>> jieba_textrank_keywords("宁波市总工会推进新就业形态劳动者入会。", 2)
        ['就业', '推进']
    """
    if not isinstance(text, str):
        raise TypeError(f"jieba_textrank_keywords() takes a str, not {type(text).__name__}")
    import jieba.analyse

    _quiet_jieba()
    return list(jieba.analyse.textrank(text, topK=top_k))


# jieba POS flags -> newsnlp labels: nr* person names (nr, nrt transliterated, nrfg), ns* places, nt organisations.
JIEBA_POS_LABELS = {"nr": "PERSON", "nrt": "PERSON", "nrfg": "PERSON", "ns": "LOC", "nt": "ORG"}


def jieba_pos_entities(text: str) -> list:
    """Entity mentions from jieba's POS tags: nt → ORG, nr/nrt/nrfg → PERSON, ns → LOC.

    Returns:
        :class:`newsnlp.types.Mention` objects with offsets into ``text``, in text order.

    Example:
        >>> [(m.text, m.label) for m in jieba_pos_entities("李谦在宁波出席会议。")]
        [('李谦', 'PERSON'), ('宁波', 'LOC')]
    """
    if not isinstance(text, str):
        raise TypeError(f"jieba_pos_entities() takes a str, not {type(text).__name__}")
    from .text.segmentation import get_segmenter
    from .types import Mention

    return [
        Mention(t.text, JIEBA_POS_LABELS[t.pos], t.start, t.end)
        for t in get_segmenter().pos_tag(text)
        if t.pos in JIEBA_POS_LABELS
    ]


def _quiet_jieba() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
