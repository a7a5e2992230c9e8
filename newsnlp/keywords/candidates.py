"""Keyword candidates of an article: words, merged noun phrases and quoted names.

:func:`analyse` segments the title and text once (jieba words with dictionary POS tags, see
:func:`segment`) and returns an :class:`ArticleCandidates`: every candidate with its counts and
positions (title, lead paragraph, first offset) and the co-occurrence centrality of the words.
Nothing here depends on the entity extractor or on the score's weights beyond the phrase length
and the centrality window, so the result can be cached per article text.

1. **Words**: nouns and names of two or more characters that are not stop words
   (``newsnlp/data/stopwords.txt``), not numbers.
2. **Phrases**: runs of adjacent noun-like words and modifiers (新就业形态 + 劳动者); a strict
   two-noun phrase is kept at once, a longer one when it recurs or is in the title, one with a
   modifier or verb only when it recurs; a phrase always preceded by the same word is a cut-off
   piece of a longer one and is dropped.
3. **Quoted names** (“工会进万家”, 《机器人争霸》) as written.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterable

from .._util import CJK_RANGE
from ..article import Article

__all__ = ["Candidate", "ArticleCandidates", "LRUCache", "analyse", "segment", "find_candidates", "centrality",
           "norm_key", "occurrences", "load_stopwords", "STOPWORDS_FILE", "NOUN_TAGS"]

def occurrences(text: str, s: str) -> list[int]:
    """The start of every occurrence of ``s`` in ``text``, left to right, not overlapping.

    Example:
        >>> occurrences("乡村振兴，振兴乡村振兴", "乡村振兴")
        [0, 7]
    """
    if not s:
        return []
    out, p = [], text.find(s)
    while p >= 0:
        out.append(p)
        p = text.find(s, p + len(s))
    return out


_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STOPWORDS_FILE = _DATA_DIR / "stopwords.txt"

# jieba POS tags (ICTCLAS set). Nouns and names can be keywords on their own.
NOUN_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "nw", "vn", "an", "j", "un", "eng", "l", "ng"})
PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j"})
# Tags that can sit inside a merged noun phrase.
PHRASE_TAGS = frozenset({"n", "nz", "nt", "ns", "vn", "an", "j", "un", "eng", "nrt", "ng", "l"})
# Tags that can open a phrase as a modifier (新/a 就业, 民营/b 经济) or sit inside a recurring one.
MODIFIER_TAGS = frozenset({"a", "b", "v", "vn"})
ORG_SUFFIXES = (
    "法院", "检察院", "医院", "博物馆", "商会", "委员会", "总工会", "工会", "政府", "银行", "公司", "集团", "大学", "学院", "研究院", "研究所", "研究中心",
    "协会", "学会", "联合会", "法院", "检察院", "办公室", "管理局", "局", "厅", "部", "委", "署", "所", "中心", "基金会",
)
_FRAGMENT_RULE = True
_SENTENCE_END = set("。！？!?；;….，,、：:")
_QUOTED = re.compile(r"[“「『《\"]([^“”「」『』《》\"\n，。、；！？,;!?]{2,12})[”」』》\"]")
NUMERIC = re.compile(r"^[\d０-９.,，%％·:：/\-]+[\w%％]{0,2}$")
HAS_CJK = re.compile(f"[{CJK_RANGE}]")
LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9.+\-&]*$")


@lru_cache(maxsize=1 << 16)
def norm_key(s: str) -> str:
    """Matching key: NFKC and case-folded (so GDP, gdp and ＧＤＰ are one candidate).

    >>> norm_key("ＧＤＰ") == norm_key("gdp")
    True
    """
    return unicodedata.normalize("NFKC", s).casefold()


def load_stopwords(path: str | os.PathLike | None = None) -> frozenset[str]:
    """Read a stop-word file (words separated by spaces or newlines, ``#`` comments).

    Args:
        path: the file; ``None`` for the shipped ``newsnlp/data/stopwords.txt``.

    Returns:
        The normalised words.

    Raises:
        FileNotFoundError: ``path`` does not exist.

    Example:
        >>> "工作" in load_stopwords()
        True
    """
    p = Path(path) if path is not None else STOPWORDS_FILE
    if not p.is_file():
        raise FileNotFoundError(f"stop-word file {p} does not exist; pass the path of a text file with one word per line")
    words = set()
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        for w in line.split():
            words.add(norm_key(w))
    return frozenset(words)


@dataclass(slots=True)
class Candidate:
    """One keyword candidate of an article: its text, matching key, counts and positions."""

    text: str
    key: str
    count: int = 0
    first: int = 1 << 30
    in_title: bool = False
    in_lead: bool = False
    n_words: int = 1
    pos: str = "n"
    parts: tuple[str, ...] = ()
    entity: str | None = None  # "org", "place", "programme", "person"
    org_like: bool = False  # a place/organisation + organisation word phrase (宁波市总工会)
    surfaces: tuple[str, ...] = ()  # keys of an entity's other mention texts (省发改委 for 浙江省发展和改革委员会)
    quoted: bool = False  # the text is quoted somewhere (“…”, 「…」, 《…》): a name the writer marks


@dataclass
class ArticleCandidates:
    """Per-article segmentation and candidates (cached; entity-independent)."""

    text: str
    title_end: int
    lead_end: int
    tokens: list[tuple[str, int, int, str]]
    cands: dict[str, Candidate]
    centrality: dict[str, float]
    headline: bool = False  # a headline alone (no body), or one short line of text
    max_idf: float = 0.0  # the largest IDF of the article's single-word candidates
    first_cand: int = -1  # offset of the first candidate (the topic often opens a headline)
    body_offset: int = 0  # where article.text starts in text (entity offsets shift by this)


class LRUCache:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            v = self._data.get(key)
            if v is not None:
                self._data.move_to_end(key)
            return v

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


# --------------------------------------------------------------------------- segmentation

def _word_tags(segmenter: Any) -> dict[str, str]:
    pos_tok = segmenter.pos_tokenizer
    if segmenter.tokenizer.user_word_tag_tab:
        # May replace the (shared, copy-on-write) table: read it after this.
        pos_tok.makesure_userdict_loaded()
    return pos_tok.word_tag_tab


def segment(segmenter: Any, text: str) -> list[tuple[str, int, int, str]]:
    """jieba words of ``text`` with offsets and dictionary POS tags: ``(word, start, end, tag)``.

    Full jieba.posseg runs a second, much slower HMM; the words here come from the plain
    tokenizer (same dictionary, fast HMM for new words) and take their tag from the POS
    dictionary. Words the dictionary does not know get ``un`` (CJK), ``eng`` or ``m``.

    Args:
        segmenter: a :class:`newsnlp.text.Segmenter`.
        text: the text to cut.
    """
    words = list(segmenter.tokenizer.cut(text, HMM=True))
    ends = list(accumulate(map(len, words)))
    starts = [0] + ends[:-1]
    tags = list(map(_word_tags(segmenter).get, words))
    # Only words the POS dictionary does not know need a look (built-in loops do the rest).
    for i in [i for i, t in enumerate(tags) if t is None]:
        w = words[i]
        if not w.strip():
            tags[i] = ""  # whitespace: dropped below
        elif HAS_CJK.search(w):
            tags[i] = "un" if len(w) > 1 else "x"
        elif LATIN_WORD.match(w):
            tags[i] = "eng"
        elif w[0].isdigit():
            tags[i] = "m"
        else:
            tags[i] = "x"
    return [tok for tok in zip(words, starts, ends, tags) if tok[3]]


# --------------------------------------------------------------------------- one article

def analyse(article: Article, *, segmenter: Any, stopwords: frozenset[str] | set[str], idf: Any,
            window: int, max_phrase_words: int) -> ArticleCandidates:
    """Segment an article once and find its candidates, their positions and centrality.

    The title is the article's, or else a short first line of plain text without a sentence end
    (one short line alone is a headline on its own). The lead is the first paragraph after the
    title (two, when the first is only a dateline).

    Args:
        article: the article.
        segmenter: a :class:`newsnlp.text.Segmenter`.
        stopwords: normalised stop words (:func:`norm_key`).
        idf: the IDF table (for the article's largest single-word IDF).
        window: the co-occurrence window of :func:`centrality`.
        max_phrase_words: the most words merged into one phrase.
    """
    title = (article.title or "").strip()
    body = article.text or ""
    if title:
        text = title + "\n" + body
        body_offset = len(title) + 1
    else:
        # Plain text often starts with its headline: a short first line with no sentence
        # end. A single short line is a headline on its own.
        text = body
        body_offset = 0
        stripped = body.strip()
        first, nl, rest = body.partition("\n")
        if stripped and "\n" not in stripped and len(stripped) <= 60:
            title = body.rstrip()
        elif nl and rest.strip() and 0 < len(first.strip()) <= 40 and first.strip()[-1] not in _SENTENCE_END:
            title = first
    title_end = len(title)
    body_start = title_end + 1 if title else 0
    nl_pos = text.find("\n", body_start)
    lead_end = len(text) if nl_pos < 0 else nl_pos
    if nl_pos >= 0 and lead_end - body_start < 20:
        # A dateline-only first line is not a lead; take the next paragraph too.
        nl2 = text.find("\n", nl_pos + 1)
        lead_end = len(text) if nl2 < 0 else nl2
    tokens = segment(segmenter, text)
    cands = find_candidates(text, tokens, title_end, lead_end, stopwords=stopwords, max_phrase_words=max_phrase_words)
    ranks = centrality(tokens, window=window)
    headline = not text[body_start:].strip()
    return ArticleCandidates(text, title_end, lead_end, tokens, cands, ranks, headline, body_offset=body_offset,
                             max_idf=max((idf.idf(c.text) for c in cands.values() if c.n_words == 1), default=0.0),
                             first_cand=min((c.first for c in cands.values()), default=-1))


def _good_word(w: str, key: str, tag: str, stopwords: Iterable[str]) -> bool:
    if key in stopwords:
        return False
    if HAS_CJK.search(w):
        return len(w) >= 2
    if NUMERIC.match(w):
        return False
    return tag == "eng" and len(w) >= 2 and not w.isdigit()


def find_candidates(text: str, tokens: list[tuple[str, int, int, str]], title_end: int, lead_end: int, *,
                    stopwords: frozenset[str] | set[str], max_phrase_words: int) -> dict[str, Candidate]:
    """The candidates of a segmented text, by :func:`norm_key` (see the module docstring)."""
    cands: dict[str, Candidate] = {}
    stop = stopwords

    def add(s: str, start: int, tag: str, parts: tuple[str, ...]) -> None:
        k = norm_key(s)
        c = cands.get(k)
        if c is None:
            c = cands[k] = Candidate(s, k, pos=tag, parts=parts, n_words=len(parts))
        c.count += 1
        if start < c.first:
            c.first = start
        if start < title_end:
            c.in_title = True
        elif start < lead_end:
            c.in_lead = True

    # Single words (one pass that also prepares the phrase scan below).
    n = len(tokens)
    words: list[str] = []
    keys: list[str] = []
    nounish: list[bool] = []
    joinable: list[bool] = []
    noun_tags, phrase_tags, modifier_tags = NOUN_TAGS, PHRASE_TAGS, MODIFIER_TAGS
    for word, start, _end, tag in tokens:
        key = norm_key(word)
        words.append(word)
        keys.append(key)
        is_noun = tag in phrase_tags
        nounish.append(is_noun)
        joinable.append(is_noun or tag in modifier_tags)
        if tag in noun_tags and len(word) > 1 and _good_word(word, key, tag, stop):
            add(word, start, tag, (word,))
    tags = [t[3] for t in tokens]

    # Merged phrases: runs of adjacent tokens (no gap, no punctuation) made of noun-like
    # words and modifiers; sub-runs of 2..max_phrase_words words that end in a noun become
    # phrase candidates. A strict two-noun phrase is kept at once; a longer strict phrase
    # when it recurs or is in the title; a phrase with a modifier or verb (新/a 就业/v 形态/n
    # 劳动者/n) only when it recurs: that is what "supported by the text" means here.
    max_words = max_phrase_words
    phrase_seen: dict[str, list[tuple[int, int, bool, str | None]]] = {}
    i = 0
    while i < n:
        if not joinable[i]:
            i += 1
            continue
        j = i + 1
        while j < n and joinable[j] and tokens[j][1] == tokens[j - 1][2]:
            j += 1
        if j - i >= 2:
            for a in range(i, j - 1):
                if len(words[a]) > 1 and keys[a] in stop:
                    continue
                strict = nounish[a]
                start = tokens[a][1]
                left = keys[a - 1] if a > i else None
                for b in range(a + 1, min(j, a + max_words)):
                    strict = strict and nounish[b]
                    if not nounish[b] or keys[b] in stop:
                        continue
                    end = tokens[b][2]
                    if end - start > 12:
                        break
                    if end - start < 3:
                        continue
                    phrase_seen.setdefault(text[start:end], []).append((a, b + 1, strict, left))
        i = j
    for s, occ in phrase_seen.items():
        strict = all(o[2] for o in occ)
        a0, b0, _, left0 = occ[0]
        keep = len(occ) >= 2 or (strict and (b0 - a0 == 2 or tokens[a0][1] < title_end))
        if _FRAGMENT_RULE and keep and len(occ) >= 2 and left0 is not None and all(o[3] == left0 for o in occ):
            # Always preceded by the same word: a cut-off piece of a longer phrase
            # (就业形态劳动者 of 新就业形态劳动者), not a phrase of its own.
            keep = False
        if keep:
            for a, b, _strict, _left in occ:
                add(s, tokens[a][1], "phrase" if strict else "mphrase", tuple(words[a:b]))
            # A place or organisation followed by an organisation word (宁波市 + 总工会,
            # 临夏市 + 博物馆) reads as an organisation name.
            if tags[a0] in ("ns", "nt") and words[b0 - 1].endswith(ORG_SUFFIXES):
                cands[norm_key(s)].org_like = True

    # Quoted names (“工会进万家”, 《机器人争霸》, 「声音驿站」) are candidates as written.
    token_starts = [t[1] for t in tokens]
    for m in _QUOTED.finditer(text):
        q = m.group(1).strip()
        k = norm_key(q)
        if k in cands:
            cands[k].quoted = True
            continue
        if len(q) < 2 or k in stop or NUMERIC.match(q) or not (HAS_CJK.search(q) or LATIN_WORD.match(q)):
            continue
        starts = occurrences(text, q)
        lo = bisect.bisect_left(token_starts, m.start(1))
        hi = bisect.bisect_right(token_starts, m.end(1) - 1)
        parts = tuple(t[0] for t in tokens[lo:hi] if t[2] <= m.end(1)) or (q,)
        c = cands[k] = Candidate(q, k, pos="quote", parts=parts, n_words=len(parts), quoted=True)
        for st in starts:
            add(q, st, "quote", parts)
    return cands


def centrality(tokens: list[tuple[str, int, int, str]], *, window: int) -> dict[str, float]:
    """TextRank over noun-like words co-occurring within ``window`` noun tokens (0..1).

    The graph is weighted by co-occurrence counts; 15 power iterations with damping 0.85
    (numpy, so long articles stay fast); scores are divided by the largest.
    """
    win = window
    ids: dict[str, int] = {}
    seq = []
    for t in tokens:
        if t[3] in NOUN_TAGS and len(t[0]) >= 2:
            k = norm_key(t[0])
            seq.append(ids.setdefault(k, len(ids)))
    n = len(ids)
    if len(seq) < 3 or n < 2:
        return {}
    import numpy as np

    arr = np.asarray(seq, dtype=np.int64)
    pairs = []
    for d in range(1, win):
        a, b = arr[:-d], arr[d:]
        keep = a != b
        a, b = a[keep], b[keep]
        pairs.append(a * n + b)
        pairs.append(b * n + a)
    weights = np.bincount(np.concatenate(pairs), minlength=n * n).reshape(n, n).astype(float)
    out = weights.sum(axis=1)
    out[out == 0] = 1.0
    trans = (weights / out[:, None]).T
    rank = np.ones(n)
    for _ in range(15):
        rank = 0.15 + 0.85 * (trans @ rank)
    rank /= rank.max()
    return dict(zip(ids, rank.tolist()))
