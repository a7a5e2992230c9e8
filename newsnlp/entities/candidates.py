"""Candidate mentions and how overlapping candidates are merged into one reading of the text.

Every finder of the entity stage (model spans after repair, organisation and programme rules, titles,
gazetteer names) yields :class:`Candidate` spans; :func:`resolve_overlaps` keeps a non-overlapping set.

Example:
    >>> kept = resolve_overlaps([Candidate(0, 3, "LOC", None, "model"), Candidate(0, 6, "ORG", "gov", "rule")])
    >>> [(c.start, c.end, c.label) for c in kept]
    [(0, 6, 'ORG')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A candidate mention before overlaps are resolved."""

    start: int
    end: int
    label: str
    subtype: str | None
    source: str  # "model" or "rule"
    name: str | None = None  # canonical name (programmes)


_PRIORITY = {"PROGRAMME": 0, "PERSON": 1, "ORG": 2, "TITLE": 3, "LOC": 4}


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep a non-overlapping set: programmes first, then persons, then the longest span.

    A rule-found organisation that contains a model span replaces it (the model often
    tags ``宁波市`` as a place inside ``宁波市总工会``).
    """

    def key(c: Candidate):
        length = c.end - c.start
        if c.label in ("PROGRAMME", "PERSON"):
            return (_PRIORITY[c.label], -length, c.start)
        # Titles lose ties to organisations so 人大常委会 is not read as 常委.
        return (2, -length, _PRIORITY[c.label], 0 if c.source == "model" else 1, c.start)

    taken: list[Candidate] = []
    occupied = bytearray(max((c.end for c in cands), default=0))
    for c in sorted(cands, key=key):
        if any(occupied[c.start : c.end]):
            continue
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        taken.append(c)
    taken.sort(key=lambda c: (c.start, c.end))
    return taken


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n\u3000":
        start += 1
    while end > start and text[end - 1] in " \t\n\u3000":
        end -= 1
    return start, end


_OPEN_CLOSE = {"（": "）", "(": ")"}


_QUOTE_CLOSE = {"“": "”", "《": "》"}


def cut_at_punctuation(text: str, start: int, end: int, *, keep_quoted: bool = False) -> tuple[int, int]:
    """Cut a model span at sentence punctuation or an unclosed bracket (美国能源信息署（EIA).

    With ``keep_quoted`` a quoted name inside the span that more of the span follows stays in it
    (台湾“工商建设研究会”经贸考察团, “幸福工程”组委会: the quotes are part of an organisation's name).
    """
    k = start
    while k < end:
        ch = text[k]
        if keep_quoted and ch in _QUOTE_CLOSE:
            close = text.find(_QUOTE_CLOSE[ch], k + 1, end)
            inner = text[k + 1 : close]
            # 英国《每日电讯报》 (a place, then the quoted name, as MSRA writes newspapers) stays whole too.
            if (0 < close < end - 1 or close == end - 1 and k > start) and inner and not re.search(
                r"[，。、；：！？,;:!?“《\n]", inner
            ):
                k = close + 1
                continue
        if ch in "，。、；：！？,;:!?“”《》\n":
            return start, k
        if ch in _OPEN_CLOSE and _OPEN_CLOSE[ch] not in text[k:end]:
            return start, k
        if ch in "）)" and not any(o in text[start:k] for o in "（("):
            return cut_at_punctuation(text, k + 1, end, keep_quoted=keep_quoted)  # 区(县、市)总工会 read from the middle
        k += 1
    return start, end


def strip_quotes(s: str) -> str:
    return re.sub(r"[“”‘’「」《》\"]", "", s)


def is_name_like(q: str) -> bool:
    """A quoted name has no sentence punctuation and is not a quoted sentence."""
    return not re.search(r"[，,。！？!?；;：:、…]", q) and len(q) <= 20


def last_suffix_end(pattern: re.Pattern, s: str) -> int:
    end = 0
    for m in pattern.finditer(s):
        end = m.end()
    return end
