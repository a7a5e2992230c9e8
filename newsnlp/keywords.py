"""Keywords and editor-style tag suggestions for Chinese news.

Candidates are jieba words and merged noun phrases (新就业形态 + 劳动者 → 新就业形态劳动者)
plus the article's named entities; stop words and generic report vocabulary are filtered
by ``newsnlp/data/stopwords.txt``. Each candidate is scored by

    score = tf_part × idf_part × pos_weight × (1 + title_boost) × (1 + lead_boost)
            × (1 + entity_boost) × (1 + centrality_weight × centrality)

with a news-domain IDF table (``models/idf``) and a small TextRank over a co-occurrence
window for centrality. Weights are in :class:`KeywordWeights` and docs/keywords.md.
``top_k`` is a maximum: candidates scoring below ``weights.min_relative_score`` × the
best score are dropped.
"""

from __future__ import annotations

import math
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from .article import Article, as_article
from .types import Entities, Keyword

__all__ = ["KeywordExtractor", "KeywordWeights", "load_stopwords", "normalize_tag"]

_DATA_DIR = Path(__file__).resolve().parent / "data"
STOPWORDS_FILE = _DATA_DIR / "stopwords.txt"


@dataclass(frozen=True)
class KeywordWeights:
    """The weights of the keyword score (see docs/keywords.md for how they were tuned).

    Attributes:
        title_boost: added factor for a candidate that occurs in the title.
        lead_boost: added factor for one that occurs in the first paragraph (not the title).
        entity_boost: added factor for a named entity (organisation, programme, place) given by
            the entity extractor.
        person_boost: added factor for a person given by the entity extractor.
        proper_noun_boost: added factor for words jieba tags as names (nr/ns/nt/nz) or Latin words.
        centrality_weight: weight of the TextRank centrality (0..1, relative to the most central).
        window: co-occurrence window (in candidate tokens) of the TextRank graph.
        tf_exponent: term frequency enters as ``tf ** tf_exponent``.
        idf_exponent: IDF enters as ``idf ** idf_exponent``.
        phrase_bonus: added factor per extra word in a merged phrase.
        verb_noun_weight: weight of verbal nouns (vn, e.g. 管理) relative to nouns.
        unknown_weight: weight of words jieba found with its HMM (not in its dictionary).
        nest_ratio: a shorter candidate inside a longer one is dropped when the longer one
            occurs at least this fraction as often.
        min_relative_score: candidates scoring below this fraction of the best are dropped.
    """

    title_boost: float = 1.0
    lead_boost: float = 0.3
    entity_boost: float = 0.5
    person_boost: float = 0.2
    proper_noun_boost: float = 0.2
    centrality_weight: float = 0.5
    window: int = 5
    tf_exponent: float = 0.7
    idf_exponent: float = 1.0
    phrase_bonus: float = 0.15
    verb_noun_weight: float = 0.8
    unknown_weight: float = 0.8
    nest_ratio: float = 0.6
    min_relative_score: float = 0.2


# jieba POS tags (ICTCLAS set). Nouns and names can be keywords on their own.
_NOUN_TAGS = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "nw", "vn", "an", "j", "un", "eng", "l", "ng"}
_PROPER_TAGS = {"nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j"}
# Tags that can sit inside a merged noun phrase.
_PHRASE_TAGS = {"n", "nz", "nt", "ns", "vn", "an", "j", "un", "eng", "nrt", "ng", "l"}
# Tags that can open a phrase as a modifier (新/a 就业, 民营/b 经济) or sit inside a recurring one.
_MODIFIER_TAGS = {"a", "b", "v", "vn", "d"}
_ORG_SUFFIXES = (
    "委员会", "总工会", "工会", "政府", "银行", "公司", "集团", "大学", "学院", "研究院", "研究所", "研究中心",
    "协会", "学会", "联合会", "法院", "检察院", "办公室", "管理局", "局", "厅", "部", "委", "署", "所", "中心", "基金会",
)
_NUMERIC = re.compile(r"^[\d０-９.,，%％·:：/\-]+[\w%％]{0,2}$")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9.+\-&]*$")
_STRIP_CHARS = " \t\r\n\"'“”‘’「」『』《》〈〉【】[]()（）<>,，.。;；:：!！?？、·…—-_~*#|/\\"
_REMOVE_INSIDE = re.compile(r"[\"'“”‘’「」『』《》〈〉【】]")


def normalize_tag(tag: str) -> str:
    """Normalise a tag: half-width ASCII, Latin case, no quotes, brackets or edge punctuation.

    Full-width ASCII (ＡＢＣ１２３) becomes half-width; Latin words are lower-cased unless
    written all in capitals (acronyms such as GDP stay as they are); quotes and 《》 are
    removed; punctuation at either end is stripped and inner whitespace collapsed.

    Args:
        tag: the tag as written.

    Returns:
        The normalised tag (``""`` when nothing is left).

    Raises:
        TypeError: ``tag`` is not a str.

    Example:
        >>> normalize_tag("《民营经济》")
        '民营经济'
        >>> normalize_tag("ＧＤＰ"), normalize_tag("ChatGPT")
        ('GDP', 'chatgpt')
    """
    if not isinstance(tag, str):
        raise TypeError(f"normalize_tag() takes a str, not {type(tag).__name__}")
    chars = []
    for ch in tag:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        elif o == 0x3000:
            ch = " "
        chars.append(ch)
    s = _REMOVE_INSIDE.sub("", "".join(chars))
    s = " ".join(s.split()).strip(_STRIP_CHARS)
    return re.sub(r"[A-Za-z][A-Za-z0-9.+\-&]*", _case_word, s)


def _case_word(m: re.Match) -> str:
    w = m.group(0)
    letters = [c for c in w if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return w
    return w.lower()


def _norm_key(s: str) -> str:
    """Matching key: NFKC and case-folded (so GDP, gdp and ＧＤＰ are one candidate)."""
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
            words.add(_norm_key(w))
    return frozenset(words)


# --------------------------------------------------------------------------- document analysis

@dataclass
class _Cand:
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
    starts: list[int] = field(default_factory=list)


@dataclass
class _Doc:
    """Per-article segmentation and candidates (cached; entity-independent)."""

    text: str
    title_end: int
    lead_end: int
    tokens: list[tuple[str, int, int, str]]
    cands: dict[str, _Cand]
    centrality: dict[str, float]


class _LRU:
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


class KeywordExtractor:
    """Rank keyword candidates of an article and suggest editor-style tags.

    Build it with :meth:`load`; it holds the IDF table, the stop list and a jieba segmenter.
    Segmentation is cached per article text (a small LRU), so :meth:`extract` followed by
    :meth:`suggest_tags` on the same article segments once.

    Example:
        >>> kx = KeywordExtractor.load()
        >>> [k.text for k in kx.extract("宁波市总工会推进新就业形态劳动者入会。新就业形态劳动者入会率提高。", top_k=2)]
        ['新就业形态劳动者', '宁波市总工会']
    """

    def __init__(self, idf: Any, *, segmenter: Any = None, stopwords: Iterable[str] | None = None,
                 weights: KeywordWeights | None = None, cache_size: int = 64) -> None:
        self.idf = idf
        if segmenter is None:
            from .text import get_segmenter

            segmenter = get_segmenter()
        self.segmenter = segmenter
        self.stopwords = frozenset(_norm_key(w) for w in stopwords) if stopwords is not None else load_stopwords()
        self.weights = weights or KeywordWeights()
        self._cache = _LRU(cache_size)
        self._word_tags: dict[str, str] | None = None

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, segmenter: Any = None,
             stopwords: str | os.PathLike | Iterable[str] | None = None, extra_stopwords: Iterable[str] = (),
             weights: KeywordWeights | None = None) -> "KeywordExtractor":
        """Load the extractor with an IDF table.

        Args:
            path: an IDF table file, or a folder holding ``idf.tsv.gz``; ``None`` for the shipped
                news table (``models/idf``). Build your own with ``newsnlp idf build ARCHIVE -o OUT``.
            segmenter: a :class:`newsnlp.text.Segmenter` (default: the shared one).
            stopwords: a stop-word file path or an iterable of words (default: the shipped list).
            extra_stopwords: words added to the stop list.
            weights: scoring weights (default: the tuned :class:`KeywordWeights`).

        Returns:
            The :class:`KeywordExtractor`.

        Raises:
            ModelNotFoundError: the shipped table is missing.
            FileNotFoundError: ``path`` or the stop-word file does not exist.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> kx.extract("央行宣布降准。", top_k=1)[0].text
            '降准'
        """
        from .idf import IDFTable, default_idf

        table = default_idf() if path is None else IDFTable.load(path)
        if stopwords is None or isinstance(stopwords, (str, os.PathLike)):
            words = set(load_stopwords(stopwords))
        else:
            words = {_norm_key(w) for w in stopwords}
        words.update(_norm_key(w) for w in extra_stopwords)
        return cls(table, segmenter=segmenter, stopwords=words, weights=weights)

    # ------------------------------------------------------------------ segmentation
    def _tags(self) -> dict[str, str]:
        if self._word_tags is None:
            pos_tok = self.segmenter.pos_tokenizer
            self._word_tags = pos_tok.word_tag_tab
        pos_tok = self.segmenter.pos_tokenizer
        if self.segmenter.tokenizer.user_word_tag_tab:
            pos_tok.makesure_userdict_loaded()
        return self._word_tags

    def _segment(self, text: str) -> list[tuple[str, int, int, str]]:
        """jieba words with offsets and dictionary POS tags.

        Full jieba.posseg runs a second, much slower HMM; the words here come from the plain
        tokenizer (same dictionary, fast HMM for new words) and take their tag from the POS
        dictionary. Words the dictionary does not know get ``un`` (CJK), ``eng`` or ``m``.
        """
        tags = self._tags()
        out = []
        pos = 0
        for w in self.segmenter.tokenizer.cut(text, HMM=True):
            start = pos
            pos += len(w)
            if not w.strip():
                continue
            t = tags.get(w)
            if t is None:
                if _HAS_CJK.search(w):
                    t = "un" if len(w) > 1 else "x"
                elif _LATIN_WORD.match(w):
                    t = "eng"
                elif w[0].isdigit():
                    t = "m"
                else:
                    t = "x"
            out.append((w, start, pos, t))
        return out

    def _analyse(self, article: Article) -> _Doc:
        title = (article.title or "").strip()
        body = article.text or ""
        text = title + "\n" + body if title else body
        key = text
        doc = self._cache.get(key)
        if doc is not None:
            return doc
        title_end = len(title) if title else 0
        body_start = title_end + 1 if title else 0
        nl = body.find("\n")
        lead_end = body_start + (len(body) if nl < 0 else nl)
        if not title and nl >= 0 and lead_end - body_start < 20:
            # A dateline-only first line is not a lead; take the next paragraph too.
            nl2 = body.find("\n", nl + 1)
            lead_end = body_start + (len(body) if nl2 < 0 else nl2)
        tokens = self._segment(text)
        cands = self._candidates(text, tokens, title_end, lead_end)
        centrality = self._centrality(tokens, cands)
        doc = _Doc(text, title_end, lead_end, tokens, cands, centrality)
        self._cache.put(key, doc)
        return doc

    def _good_word(self, w: str, key: str, tag: str) -> bool:
        if key in self.stopwords:
            return False
        if _HAS_CJK.search(w):
            return len(w) >= 2
        if _NUMERIC.match(w):
            return False
        return tag == "eng" and len(w) >= 2 and not w.isdigit()

    def _candidates(self, text: str, tokens, title_end: int, lead_end: int) -> dict[str, _Cand]:
        w = self.weights
        cands: dict[str, _Cand] = {}
        stop = self.stopwords

        def add(s: str, start: int, tag: str, parts: tuple[str, ...]) -> None:
            k = _norm_key(s)
            c = cands.get(k)
            if c is None:
                c = cands[k] = _Cand(s, k, pos=tag, parts=parts, n_words=len(parts))
            c.count += 1
            c.starts.append(start)
            if start < c.first:
                c.first = start
            if start < title_end:
                c.in_title = True
            elif start < lead_end:
                c.in_lead = True

        # Single words.
        for word, start, _end, tag in tokens:
            if tag in _NOUN_TAGS and self._good_word(word, _norm_key(word), tag):
                add(word, start, tag, (word,))

        # Merged phrases: runs of adjacent tokens (no gap, no punctuation) where every word is
        # a noun-like or modifier word; sub-runs of 2-4 words that end in a noun become phrase
        # candidates. Strict noun runs are kept at once; runs with modifiers/verbs only when
        # they recur in the text (that is what "supported by the text" means here).
        n = len(tokens)
        phrase_seen: dict[str, list[tuple[int, bool, tuple[str, ...]]]] = {}
        i = 0
        while i < n:
            if tokens[i][3] not in _PHRASE_TAGS and tokens[i][3] not in _MODIFIER_TAGS:
                i += 1
                continue
            j = i + 1
            while (j < n and tokens[j][1] == tokens[j - 1][2]
                   and (tokens[j][3] in _PHRASE_TAGS or tokens[j][3] in _MODIFIER_TAGS)):
                j += 1
            if j - i >= 2:
                for a in range(i, j):
                    if tokens[a][3] in ("d",) or _norm_key(tokens[a][0]) in stop and tokens[a][3] not in _PHRASE_TAGS:
                        continue
                    for b in range(a + 2, min(j, a + 4) + 1):
                        last = tokens[b - 1]
                        if last[3] not in _PHRASE_TAGS or _norm_key(last[0]) in stop:
                            continue
                        first_word = tokens[a][0]
                        if _norm_key(first_word) in stop:
                            continue
                        seg = tokens[a:b]
                        s = text[seg[0][1]:last[2]]
                        if len(s) > 12 or len(s) < 3:
                            continue
                        strict = all(t[3] in _PHRASE_TAGS for t in seg)
                        phrase_seen.setdefault(s, []).append((seg[0][1], strict, tuple(t[0] for t in seg)))
            i = j
        for s, occ in phrase_seen.items():
            strict = occ[0][1]
            if len(occ) >= 2 or strict:
                for start, _strict, parts in occ:
                    add(s, start, "phrase" if strict else "mphrase", parts)
        self._merge_nested(cands, text)
        return cands

    def _merge_nested(self, cands: dict[str, _Cand], text: str) -> None:
        """Drop a shorter candidate when a longer one containing it carries most of its uses."""
        ratio = self.weights.nest_ratio
        by_len = sorted(cands.values(), key=lambda c: (-len(c.key), c.first, c.key))
        dropped: set[str] = set()
        for long in by_len:
            if long.key in dropped or long.n_words < 2:
                continue
            for short in cands.values():
                if short is long or short.key in dropped or len(short.key) >= len(long.key):
                    continue
                if short.key in long.key and long.count >= ratio * short.count:
                    dropped.add(short.key)
        # A phrase seen once whose parts are all much more frequent is a fragment of prose.
        for c in cands.values():
            if c.n_words >= 2 and c.key not in dropped and c.count == 1:
                pass
        for k in dropped:
            del cands[k]

    def _centrality(self, tokens, cands: dict[str, _Cand]) -> dict[str, float]:
        """TextRank over noun-like words co-occurring within ``window`` candidate tokens."""
        win = self.weights.window
        seq = [_norm_key(t[0]) for t in tokens if t[3] in _NOUN_TAGS and len(t[0]) >= 2]
        if len(seq) < 3:
            return {}
        nbrs: dict[str, dict[str, float]] = {}
        for i, a in enumerate(seq):
            for b in seq[i + 1:i + win]:
                if a == b:
                    continue
                da = nbrs.setdefault(a, {})
                da[b] = da.get(b, 0.0) + 1.0
                db = nbrs.setdefault(b, {})
                db[a] = db.get(a, 0.0) + 1.0
        if not nbrs:
            return {}
        out_sum = {k: sum(v.values()) for k, v in nbrs.items()}
        nodes = sorted(nbrs)
        rank = {k: 1.0 for k in nodes}
        for _ in range(10):
            rank = {k: 0.15 + 0.85 * sum(wt / out_sum[o] * rank[o] for o, wt in nbrs[k].items()) for k in nodes}
        top = max(rank.values())
        return {k: v / top for k, v in rank.items()}

    # ------------------------------------------------------------------ scoring
    def _word_idf(self, word: str) -> float:
        return self.idf.idf(word)

    def _score(self, c: _Cand, doc: _Doc) -> float:
        w = self.weights
        if c.n_words >= 2:
            idfs = [self._word_idf(p) for p in c.parts]
            idf = max(idfs) * (1.0 + w.phrase_bonus * (c.n_words - 1))
        else:
            idf = self._word_idf(c.text)
        score = (c.count ** w.tf_exponent) * (idf ** w.idf_exponent)
        if c.pos == "vn":
            score *= w.verb_noun_weight
        elif c.pos in ("un",):
            score *= w.unknown_weight
        elif c.pos == "l":
            score *= 0.6
        if c.in_title:
            score *= 1.0 + w.title_boost
        if c.in_lead:
            score *= 1.0 + w.lead_boost
        if c.entity in ("org", "place", "programme"):
            score *= 1.0 + w.entity_boost
        elif c.entity == "person":
            score *= 1.0 + w.person_boost
        elif c.pos in _PROPER_TAGS:
            score *= 1.0 + w.proper_noun_boost
        if doc.centrality:
            if c.n_words >= 2:
                cent = sum(doc.centrality.get(_norm_key(p), 0.0) for p in c.parts) / c.n_words
            else:
                cent = doc.centrality.get(c.key, 0.0)
            score *= 1.0 + w.centrality_weight * cent
        return score

    def _with_entities(self, doc: _Doc, entities: Entities | None) -> dict[str, _Cand]:
        if entities is None:
            return doc.cands
        cands = {k: replace(c, starts=list(c.starts)) for k, c in doc.cands.items()}
        shift = doc.title_end + 1 if doc.title_end else 0
        groups = (("org", entities.organisations), ("programme", entities.programmes),
                  ("place", entities.places), ("person", entities.persons))
        for kind, ents in groups:
            for e in ents:
                name = e.name.strip()
                k = _norm_key(name)
                if not name or k in self.stopwords or len(name) < 2:
                    continue
                starts = sorted({m.start + shift for m in e.mentions})
                # Count the canonical name's own occurrences too (title included).
                pos = doc.text.find(name)
                while pos >= 0:
                    starts.append(pos)
                    pos = doc.text.find(name, pos + len(name))
                starts = sorted(set(starts))
                c = cands.get(k)
                if c is None:
                    parts = tuple(t[0] for t in doc.tokens if any(t[1] >= s and t[2] <= s + len(name) for s in starts[:1])) or (name,)
                    c = cands[k] = _Cand(name, k, pos="nt" if kind == "org" else "ns", parts=parts, n_words=1)
                c.entity = kind
                c.count = max(c.count, len(starts), 1)
                if starts:
                    c.first = min(c.first, starts[0])
                    c.in_title = c.in_title or starts[0] < doc.title_end
                    c.in_lead = c.in_lead or any(doc.title_end <= s < doc.lead_end for s in starts)
        # An entity absorbs the words and phrases nested in it when it carries most of their uses.
        ratio = self.weights.nest_ratio
        ents = [c for c in cands.values() if c.entity]
        for e in ents:
            for k in list(cands):
                c = cands[k]
                if c is e or c.entity or len(k) >= len(e.key) or k not in e.key:
                    continue
                if e.count >= ratio * c.count:
                    del cands[k]
        return cands

    def _ranked(self, article: Article, entities: Entities | None) -> list[tuple[float, _Cand]]:
        doc = self._analyse(article)
        cands = self._with_entities(doc, entities)
        scored = [(self._score(c, doc), c) for c in cands.values()]
        scored.sort(key=lambda sc: (-sc[0], sc[1].first, sc[1].text))
        return scored

    # ------------------------------------------------------------------ public API
    def extract(self, article: Any, *, top_k: int = 10, entities: Entities | None = None) -> list[Keyword]:
        """Return at most ``top_k`` keywords of an article, best first.

        ``top_k`` is a maximum: candidates scoring below ``weights.min_relative_score`` times
        the best score are not returned. Ties are broken by first occurrence, then text.

        Args:
            article: an :class:`Article` (or article text).
            top_k: the most keywords to return.
            entities: the article's entities from :class:`newsnlp.entities.EntityExtractor`;
                organisations, programmes and places become boosted candidates.

        Returns:
            :class:`Keyword` items with scores comparable within this call.

        Raises:
            TypeError: ``article`` is not an Article or text.
            ValueError: ``top_k`` is not a positive int.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> [k.text for k in kx.extract("宁波市总工会召开会议，推进工会经费保障。工会经费保障是重点。", top_k=3)]
            ['工会经费保障', '宁波市总工会']
        """
        article = as_article(article)
        if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
            raise ValueError(f"top_k must be a positive int, got {top_k!r}")
        if not article.text.strip() and not (article.title or "").strip():
            return []
        scored = self._ranked(article, entities)
        if not scored:
            return []
        floor = scored[0][0] * self.weights.min_relative_score
        return [Keyword(c.text, float(s)) for s, c in scored[:top_k] if s >= floor]

    def suggest_tags(self, article: Any, *, k: int = 5, vocabulary: Any = None, entities: Entities | None = None,
                     keywords: list[Keyword] | None = None) -> list[str]:
        """Suggest at most ``k`` normalised, editor-style tags.

        With a vocabulary, known tags found in the article (exactly or through an alias) come
        first, ranked by how strongly the article supports them; the rest is filled from the
        keywords and the article's main organisations and places. Feed labels (source names
        such as 中国发展网新闻) are never suggested.

        Args:
            article: an :class:`Article` (or article text).
            k: the most tags to return.
            vocabulary: known tags: a list/set of str, a path to a vocabulary file (one tag a
                line, see :mod:`newsnlp.tagvocab`), or a :class:`~newsnlp.tagvocab.TagVocabulary`.
            entities: the article's entities, when already computed.
            keywords: the article's keywords, when already computed.

        Returns:
            Normalised tags, best first.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> kx.suggest_tags("市总工会发放工会经费。工会经费用于帮扶。", k=2, vocabulary=["工会经费", "中国发展网新闻"])
            ['工会经费']
        """
        from .tagvocab import TagVocabulary, is_feed_label

        article = as_article(article)
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k must be a positive int, got {k!r}")
        if not article.text.strip() and not (article.title or "").strip():
            return []
        vocab = TagVocabulary.coerce(vocabulary) if vocabulary is not None else None
        if keywords is None:
            keywords = self.extract(article, top_k=max(10, 2 * k), entities=entities)
        doc = self._analyse(article)
        best = keywords[0].score if keywords else 1.0
        picked: list[tuple[float, str]] = []
        seen: set[str] = set()

        def take(tag: str, score: float) -> None:
            t = normalize_tag(tag)
            key = _norm_key(t)
            if not t or key in seen or key in self.stopwords or is_feed_label(t):
                return
            if vocab is not None and vocab.is_feed(t):
                return
            # A tag nested in one already taken (or containing one) adds nothing.
            for s in seen:
                if key in s or s in key:
                    return
            seen.add(key)
            picked.append((score, t))

        if vocab is not None:
            matches = vocab.find(doc.text)
            kw_scores = {_norm_key(kw.text): kw.score for kw in keywords}
            ranked = []
            for tag, (count, first, in_title) in matches.items():
                key = _norm_key(tag)
                score = kw_scores.get(key)
                if score is None:
                    c = _Cand(tag, key, count=count, first=first, in_title=in_title,
                              in_lead=doc.title_end <= first < doc.lead_end, parts=(tag,))
                    score = self._score(c, doc)
                ranked.append((score, first, tag))
            ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
            for score, _first, tag in ranked:
                if score >= best * self.weights.min_relative_score * 0.5:
                    take(tag, score)
                if len(picked) >= k:
                    break
        for kw in keywords:
            if len(picked) >= k:
                break
            take(kw.text, kw.score)
        if entities is not None and len(picked) < k:
            for e in tuple(entities.organisations) + tuple(entities.places):
                if len(picked) >= k:
                    break
                if len(e.mentions) >= 2:
                    take(e.name, 0.0)
        return [t for _s, t in picked[:k]]


_default: KeywordExtractor | None = None
