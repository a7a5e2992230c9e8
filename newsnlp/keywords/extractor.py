"""Keywords and editor-style tag suggestions for Chinese news.

Candidates are jieba words and merged noun phrases (新就业形态 + 劳动者 → 新就业形态劳动者)
plus the article's named entities; stop words and generic report vocabulary are filtered
by ``newsnlp/data/stopwords.txt``. Each candidate is scored by a logistic model over its
news-domain IDF (``models/idf``), frequency, title and lead-paragraph occurrence, entity
status, co-occurrence centrality (a small TextRank over a window), part of speech, length and
a keyphraseness prior; headlines alone have their own coefficients. The weights are in
:class:`KeywordWeights`, ``models/idf/keyword_weights.json`` and docs/keywords.md.
``top_k`` is a maximum: candidates scoring below ``weights.min_relative_score`` × the
best score are dropped.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..article import Article, as_article
from ..types import Entities, Keyword

__all__ = ["KeywordExtractor", "KeywordWeights", "load_stopwords", "normalize_tag"]

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STOPWORDS_FILE = _DATA_DIR / "stopwords.txt"


# Default coefficients of the log-linear score (fitted by `python -m newsnlp.train.keywords`
# on the tuning halves of TNEWS and CSL; models/idf/keyword_weights.json holds the shipped copy).
DEFAULT_COEF: dict[str, float] = {
    "bias": -3.0, "idf": 1.5, "log_tf": 0.8, "title": 1.0, "lead": 0.3, "centrality": 0.5, "early": 0.3,
    "pos_nr": 1.0, "pos_ns": 1.0, "pos_nt": 1.0, "pos_nz": 0.5, "pos_vn": -1.0, "pos_un": 0.0, "pos_eng": 0.3,
    "pos_l": -0.5, "pos_j": 0.0, "phrase2": 0.0, "phrase3": -1.0, "phrase4": -2.0, "mixed": -0.5,
    "phrase_idf_min": 0.0, "len3": 0.5, "len4": 0.5, "len5_6": 0.3, "len7p": 0.0,
    "quoted": 0.0, "dict_freq": 0.0, "oov": 0.0, "un_edge": 0.0,
    "suf_place": 0.0, "suf_org": 0.0, "suf_event": 0.0, "suf_term": 0.0, "idf_gap": 0.0, "n_cands": 0.0,
    "org_like": 0.0, "latin_caps": 0.0, "latin_digit": 0.0, "first_cand": 0.0,
    "kp": 0.0, "kp_unseen": 0.0,
}
# A headline on its own (TNEWS, a title with no body) has no frequencies and no context, and
# editors tag it differently: it gets its own coefficients, the same features prefixed "h_".
DEFAULT_COEF.update({"h_" + k: v for k, v in list(DEFAULT_COEF.items())})
FEATURES: tuple[str, ...] = tuple(DEFAULT_COEF)


@dataclass(frozen=True)
class KeywordWeights:
    """The weights of the keyword score (docs/keywords.md explains each and how they were fitted).

    The score of a candidate is a logistic model of whether an editor would pick it::

        score = sigmoid(sum(coef[f] * x[f]) + entity_boost·[entity] + person_boost·[person])

    with features ``x`` (all computed per article): ``idf`` (news IDF / 10; a phrase takes its
    rarest word), ``log_tf`` (ln of occurrences), ``title``/``lead`` (occurs in the title / the
    first paragraph), ``centrality`` (TextRank over a co-occurrence window, 0..1), ``early``
    (1 - relative offset of the first occurrence), part-of-speech classes ``pos_*`` (n is the
    reference), merged phrases ``phrase2/3/4`` and ``mixed`` (a phrase with a verb/adjective,
    kept only when it recurs), ``phrase_idf_min`` and length classes ``len*`` (2 characters is
    the reference).

    Attributes:
        coef: the fitted coefficients, by feature name.
        entity_boost: added to the logit of an organisation, programme or place given by the
            entity extractor (set by hand: the tuning sets have no entity annotations).
        person_boost: added to the logit of a person given by the entity extractor.
        org_like_boost: added to the logit of an organisation-like phrase (宁波市 + 总工会) in
            an article when the entity extractor did not name it (set by hand).
        window: co-occurrence window (in noun tokens) of the TextRank graph.
        nest_ratio: a shorter candidate inside a longer one is dropped when the longer one
            occurs at least this fraction as often...
        nest_min_count: ...and at least this many times (a phrase seen once is too little
            evidence that the shorter word never stands alone).
        headline_min_relative_score: the same cut-off for a headline on its own.
        min_relative_score: candidates scoring below this fraction of the best are dropped
            (``top_k`` is a maximum, not a quota).
        max_phrase_words: the most jieba words merged into one phrase.
    """

    coef: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_COEF))
    entity_boost: float = 1.0
    person_boost: float = 0.5
    org_like_boost: float = 0.5
    window: int = 5
    nest_ratio: float = 0.6
    nest_min_count: int = 2
    min_relative_score: float = 0.3
    headline_min_relative_score: float = 0.3
    max_phrase_words: int = 4

    @classmethod
    def load(cls, path: str | os.PathLike) -> "KeywordWeights":
        """Read weights saved by :meth:`save` (JSON); unknown features are an error."""
        import json

        data = json.loads(Path(path).read_text(encoding="utf-8"))
        coef = dict(DEFAULT_COEF)
        for k, v in data.get("coef", {}).items():
            if k not in coef:
                raise ValueError(f"{path}: unknown feature {k!r}; valid features are {', '.join(FEATURES)}")
            coef[k] = float(v)
        params = {k: data[k] for k in ("entity_boost", "person_boost", "org_like_boost", "window", "nest_ratio", "nest_min_count",
                                       "min_relative_score", "headline_min_relative_score", "max_phrase_words") if k in data}
        return cls(coef=coef, **params)

    def save(self, path: str | os.PathLike, **extra: Any) -> Path:
        """Write the weights as JSON (``extra`` keys, e.g. metrics, are stored alongside)."""
        import json

        path = Path(path)
        data = {"coef": {k: round(float(self.coef[k]), 4) for k in FEATURES}, "entity_boost": self.entity_boost,
                "person_boost": self.person_boost, "org_like_boost": self.org_like_boost, "window": self.window, "nest_ratio": self.nest_ratio, "nest_min_count": self.nest_min_count,
                "min_relative_score": self.min_relative_score,
                "headline_min_relative_score": self.headline_min_relative_score, "max_phrase_words": self.max_phrase_words, **extra}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


# jieba POS tags (ICTCLAS set). Nouns and names can be keywords on their own.
_NOUN_TAGS = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "nw", "vn", "an", "j", "un", "eng", "l", "ng"}
_PROPER_TAGS = {"nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j"}
# Tags that can sit inside a merged noun phrase.
_PHRASE_TAGS = {"n", "nz", "nt", "ns", "vn", "an", "j", "un", "eng", "nrt", "ng", "l"}
# Tags that can open a phrase as a modifier (新/a 就业, 民营/b 经济) or sit inside a recurring one.
_MODIFIER_TAGS = {"a", "b", "v", "vn"}
_ORG_SUFFIXES = (
    "法院", "检察院", "医院", "博物馆", "商会", "委员会", "总工会", "工会", "政府", "银行", "公司", "集团", "大学", "学院", "研究院", "研究所", "研究中心",
    "协会", "学会", "联合会", "法院", "检察院", "办公室", "管理局", "局", "厅", "部", "委", "署", "所", "中心", "基金会",
)
_SUFFIX_CLASS = {
    **{ch: "suf_place" for ch in "省市县区镇村乡州岛湾山河湖江港路街"},
    **{ch: "suf_org" for ch in "会局厅部委院校所行司团社队馆台"},
    **{ch: "suf_event" for ch in "节赛杯展宴"},
    **{ch: "suf_term" for ch in "法率性度型化器机量论学术剂症病"},
}
_PRUNE_ABOVE = 40
_FRAGMENT_RULE = True
_SENTENCE_END = set("。！？!?；;….，,、：:")
_QUOTED = re.compile(r"[“「『《\"]([^“”「」『』《》\"\n，。、；！？,;!?]{2,12})[”」』》\"]")
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
    if letters and all(c.isupper() for c in letters):
        return w
    return w.lower()


@lru_cache(maxsize=1 << 16)
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

@dataclass(slots=True)
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
    org_like: bool = False  # a place/organisation + organisation word phrase (宁波市总工会)
    surfaces: tuple[str, ...] = ()  # keys of an entity's other mention texts (省发改委 for 浙江省发展和改革委员会)
    quoted: bool = False  # the text is quoted somewhere (“…”, 「…」, 《…》): a name the writer marks


@dataclass
class _Doc:
    """Per-article segmentation and candidates (cached; entity-independent)."""

    text: str
    title_end: int
    lead_end: int
    tokens: list[tuple[str, int, int, str]]
    cands: dict[str, _Cand]
    centrality: dict[str, float]
    headline: bool = False  # a headline alone (no body), or one short line of text
    max_idf: float = 0.0  # the largest IDF of the article's single-word candidates
    first_cand: int = -1  # offset of the first candidate (the topic often opens a headline)
    body_offset: int = 0  # where article.text starts in text (entity offsets shift by this)


class _LRU:
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


class KeywordExtractor:
    """Rank keyword candidates of an article and suggest editor-style tags.

    Build it with :meth:`load`; it holds the IDF table, the stop list and a jieba segmenter.
    Segmentation is cached per article text (a small LRU), so :meth:`extract` followed by
    :meth:`suggest_tags` on the same article segments once.

    Example:
        >>> kx = KeywordExtractor.load()
        >>> [k.text for k in kx.extract("宁波市总工会推进新就业形态劳动者入会。新就业形态劳动者入会率提高。", top_k=2)]
        ['宁波市总工会', '新就业形态劳动者']
    """

    def __init__(self, idf: Any, *, segmenter: Any = None, stopwords: Iterable[str] | None = None,
                 weights: KeywordWeights | None = None, keyphraseness: Mapping[str, tuple[int, int]] | None = None,
                 cache_size: int = 64) -> None:
        self.idf = idf
        # candidate key -> (articles it was a candidate in, articles where it was a gold keyword)
        self.keyphraseness: Mapping[str, tuple[int, int]] = keyphraseness or {}
        if segmenter is None:
            from ..text.segmentation import get_segmenter

            segmenter = get_segmenter()
        self.segmenter = segmenter
        self.stopwords = frozenset(_norm_key(w) for w in stopwords) if stopwords is not None else load_stopwords()
        self.weights = weights or KeywordWeights()
        self._cache = _LRU(cache_size)
        self._freq_table: dict[str, int] | None = None

    def clear_cache(self) -> None:
        """Forget the cached segmentations (e.g. before timing extraction on repeated texts)."""
        self._cache = _LRU(self._cache.size)

    @property
    def _freq(self) -> dict[str, int]:
        """jieba's dictionary word frequencies (how common a word is in general text)."""
        if self._freq_table is None:
            self._freq_table = self.segmenter.tokenizer.FREQ
        return self._freq_table

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, idf: "str | os.PathLike | IDFTable | None" = None,
             segmenter: Any = None, stopwords: str | os.PathLike | Iterable[str] | None = None,
             extra_stopwords: Iterable[str] = (), weights: KeywordWeights | None = None) -> "KeywordExtractor":
        """Load the extractor with an IDF table.

        Args:
            path: a model folder holding ``idf.tsv.gz`` (and, beside it, ``keyword_weights.json``
                and ``keyphraseness.tsv.gz``), or an IDF table file; ``None`` for the shipped news
                model (``models/idf``).
            idf: an IDF table to use instead of ``path``'s: an :class:`~newsnlp.keywords.idf.IDFTable`,
                or a table file (or the folder holding ``idf.tsv.gz``) written by
                ``newsnlp idf build ARCHIVE -o OUT``. The weights and keyphraseness still come from
                ``path`` (the shipped, tuned ones when ``path`` is ``None``).
            segmenter: a :class:`newsnlp.text.Segmenter` (default: the shared one).
            stopwords: a stop-word file path or an iterable of words (default: the shipped list).
            extra_stopwords: words added to the stop list.
            weights: scoring weights (default: the tuned :class:`KeywordWeights`).

        Returns:
            The :class:`KeywordExtractor`.

        Raises:
            ModelNotFoundError: the shipped table is missing, or ``idf`` names no table.
            FileNotFoundError: ``path`` or the stop-word file does not exist.
            TypeError: ``idf`` is neither a path nor an IDF table.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> kx.extract("央行宣布降准。", top_k=1)[0].text
            '降准'
        """
        from .idf import IDFTable, default_idf

        if idf is not None:
            table = _idf_table(idf)
        else:
            table = default_idf() if path is None else IDFTable.load(path)
        if weights is None:
            weights = _default_weights(path)
        if stopwords is None or isinstance(stopwords, (str, os.PathLike)):
            words = set(load_stopwords(stopwords))
        else:
            words = {_norm_key(w) for w in stopwords}
        words.update(_norm_key(w) for w in extra_stopwords)
        kp = load_keyphraseness(_model_folder(path) / KEYPHRASENESS_FILE)
        return cls(table, segmenter=segmenter, stopwords=words, weights=weights, keyphraseness=kp)

    # ------------------------------------------------------------------ segmentation
    def _tags(self) -> dict[str, str]:
        pos_tok = self.segmenter.pos_tokenizer
        if self.segmenter.tokenizer.user_word_tag_tab:
            # May replace the (shared, copy-on-write) table: read it after this.
            pos_tok.makesure_userdict_loaded()
        return pos_tok.word_tag_tab

    def _segment(self, text: str) -> list[tuple[str, int, int, str]]:
        """jieba words with offsets and dictionary POS tags.

        Full jieba.posseg runs a second, much slower HMM; the words here come from the plain
        tokenizer (same dictionary, fast HMM for new words) and take their tag from the POS
        dictionary. Words the dictionary does not know get ``un`` (CJK), ``eng`` or ``m``.
        """
        words = list(self.segmenter.tokenizer.cut(text, HMM=True))
        ends = list(accumulate(map(len, words)))
        starts = [0] + ends[:-1]
        tags = list(map(self._tags().get, words))
        # Only words the POS dictionary does not know need a look (built-in loops do the rest).
        for i in [i for i, t in enumerate(tags) if t is None]:
            w = words[i]
            if not w.strip():
                tags[i] = ""  # whitespace: dropped below
            elif _HAS_CJK.search(w):
                tags[i] = "un" if len(w) > 1 else "x"
            elif _LATIN_WORD.match(w):
                tags[i] = "eng"
            elif w[0].isdigit():
                tags[i] = "m"
            else:
                tags[i] = "x"
        return [tok for tok in zip(words, starts, ends, tags) if tok[3]]

    def _analyse(self, article: Article) -> _Doc:
        title = (article.title or "").strip()
        body = article.text or ""
        key = (title, body)
        doc = self._cache.get(key)
        if doc is not None:
            return doc
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
        tokens = self._segment(text)
        cands = self._candidates(text, tokens, title_end, lead_end)
        centrality = self._centrality(tokens, cands)
        headline = not text[body_start:].strip()
        doc = _Doc(text, title_end, lead_end, tokens, cands, centrality, headline, body_offset=body_offset,
                   max_idf=max((self.idf.idf(c.text) for c in cands.values() if c.n_words == 1), default=0.0),
                   first_cand=min((c.first for c in cands.values()), default=-1))
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
        good_word = self._good_word
        noun_tags, phrase_tags, modifier_tags = _NOUN_TAGS, _PHRASE_TAGS, _MODIFIER_TAGS
        for word, start, _end, tag in tokens:
            key = _norm_key(word)
            words.append(word)
            keys.append(key)
            is_noun = tag in phrase_tags
            nounish.append(is_noun)
            joinable.append(is_noun or tag in modifier_tags)
            if tag in noun_tags and len(word) > 1 and good_word(word, key, tag):
                add(word, start, tag, (word,))
        tags = [t[3] for t in tokens]

        # Merged phrases: runs of adjacent tokens (no gap, no punctuation) made of noun-like
        # words and modifiers; sub-runs of 2..max_phrase_words words that end in a noun become
        # phrase candidates. A strict two-noun phrase is kept at once; a longer strict phrase
        # when it recurs or is in the title; a phrase with a modifier or verb (新/a 就业/v 形态/n
        # 劳动者/n) only when it recurs: that is what "supported by the text" means here.
        max_words = w.max_phrase_words
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
                if tags[a0] in ("ns", "nt") and words[b0 - 1].endswith(_ORG_SUFFIXES):
                    cands[_norm_key(s)].org_like = True

        # Quoted names (“工会进万家”, 《机器人争霸》, 「声音驿站」) are candidates as written.
        token_starts = [t[1] for t in tokens]
        for m in _QUOTED.finditer(text):
            q = m.group(1).strip()
            k = _norm_key(q)
            if k in cands:
                cands[k].quoted = True
                continue
            if len(q) < 2 or k in stop or _NUMERIC.match(q) or not (_HAS_CJK.search(q) or _LATIN_WORD.match(q)):
                continue
            starts, p = [], text.find(q)
            while p >= 0:
                starts.append(p)
                p = text.find(q, p + len(q))
            lo = bisect.bisect_left(token_starts, m.start(1))
            hi = bisect.bisect_right(token_starts, m.end(1) - 1)
            parts = tuple(t[0] for t in tokens[lo:hi] if t[2] <= m.end(1)) or (q,)
            c = cands[k] = _Cand(q, k, pos="quote", parts=parts, n_words=len(parts), quoted=True)
            for st in starts:
                add(q, st, "quote", parts)
        return cands

    def _centrality(self, tokens, cands: dict[str, _Cand]) -> dict[str, float]:
        """TextRank over noun-like words co-occurring within ``window`` noun tokens (0..1).

        The graph is weighted by co-occurrence counts; 15 power iterations with damping 0.85
        (numpy, so long articles stay fast); scores are divided by the largest.
        """
        win = self.weights.window
        ids: dict[str, int] = {}
        seq = []
        for t in tokens:
            if t[3] in _NOUN_TAGS and len(t[0]) >= 2:
                k = _norm_key(t[0])
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

    # ------------------------------------------------------------------ scoring
    _POS_CLASS = {"nr": "pos_nr", "nrfg": "pos_nr", "nrt": "pos_nr", "ns": "pos_ns", "nt": "pos_nt",
                  "nz": "pos_nz", "vn": "pos_vn", "un": "pos_un", "eng": "pos_eng", "l": "pos_l", "j": "pos_j"}

    def features(self, c: _Cand, doc: _Doc) -> dict[str, float]:
        """The score's features of one candidate (see :class:`KeywordWeights`)."""
        idf = self.idf.idf
        f: dict[str, float] = {"bias": 1.0}
        if c.n_words >= 2:
            idfs = [idf(p) for p in c.parts]
            f["idf"] = max(idfs) / 10.0
            f["phrase_idf_min"] = min(idfs) / 10.0
            f["phrase2" if c.n_words == 2 else "phrase3" if c.n_words == 3 else "phrase4"] = 1.0
            if c.pos == "mphrase":
                f["mixed"] = 1.0
        else:
            f["idf"] = idf(c.text) / 10.0
            cls = self._POS_CLASS.get(c.pos)
            if cls:
                f[cls] = 1.0
            freq = self._freq.get(c.text, 0)
            f["dict_freq"] = math.log1p(freq) / 10.0
            if c.text not in self.idf:
                f["oov"] = 1.0
            if c.pos == "un":
                # A word jieba's HMM made up whose edge is a common single character (有个,
                # 能省, 位文创) is usually a mis-cut, not a new name.
                freq_table = self._freq
                edge = max(freq_table.get(c.text[0], 0), freq_table.get(c.text[-1], 0))
                f["un_edge"] = math.log1p(edge) / 10.0
        f["log_tf"] = math.log(c.count) if c.count > 1 else 0.0
        if c.quoted:
            f["quoted"] = 1.0
        if c.org_like:
            f["org_like"] = 1.0
        if c.pos == "eng":
            letters = [ch for ch in c.text if ch.isalpha()]
            if len(letters) >= 2 and all(ch.isupper() for ch in letters):
                f["latin_caps"] = 1.0  # WWDC, MSCI: acronyms are names
            if any(ch.isdigit() for ch in c.text):
                f["latin_digit"] = 1.0  # H5, i5, SE2: model numbers, rarely tags alone
        if c.first == doc.first_cand:
            f["first_cand"] = 1.0
        if self.keyphraseness:
            # KEA's "keyphrase frequency": how often this candidate was a gold keyword of the
            # tuning articles it appeared in (smoothed, log scale).
            seen = self.keyphraseness.get(c.key)
            if seen is None:
                f["kp_unseen"] = 1.0
            else:
                f["kp"] = math.log((seen[1] + 0.1) / (seen[0] + 1.0)) / 3.0
        if c.in_title:
            f["title"] = 1.0
        if c.in_lead:
            f["lead"] = 1.0
        n = len(doc.text)
        f["early"] = 1.0 - min(c.first, n) / n if n else 1.0
        if doc.centrality:
            if c.n_words >= 2:
                cent = sum(doc.centrality.get(_norm_key(p), 0.0) for p in c.parts) / c.n_words
            else:
                cent = doc.centrality.get(c.key, 0.0)
            f["centrality"] = cent
        length = len(c.text)
        if length == 3:
            f["len3"] = 1.0
        elif length == 4:
            f["len4"] = 1.0
        elif 5 <= length <= 6:
            f["len5_6"] = 1.0
        elif length >= 7:
            f["len7p"] = 1.0
        # How far below the rarest single word of the article this one is (candidates compete).
        f["idf_gap"] = (doc.max_idf - f["idf"] * 10.0) / 10.0 if c.n_words == 1 else 0.0
        f["n_cands"] = math.log1p(len(doc.cands)) / 5.0
        if length >= 3:
            # The last character says what kind of name a longer word is.
            suffix_class = _SUFFIX_CLASS.get(c.text[-1])
            if suffix_class:
                f[suffix_class] = 1.0
        if doc.headline:
            return {"h_" + k: v for k, v in f.items()}
        return f

    def _score(self, c: _Cand, doc: _Doc) -> float:
        w = self.weights
        coef = w.coef
        z = sum(coef.get(k, 0.0) * v for k, v in self.features(c, doc).items())
        if c.entity in ("org", "place", "programme"):
            z += w.entity_boost
        elif c.entity == "person":
            z += w.person_boost
        elif c.org_like and not doc.headline:
            # Tuning articles are scientific abstracts, where organisations are never keywords;
            # in news they are the tags editors want, so an organisation-like phrase gets a
            # hand-set part of the entity boost (see docs/keywords.md).
            z += w.org_like_boost
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def _with_entities(self, doc: _Doc, entities: Entities | None) -> dict[str, _Cand]:
        if entities is None:
            return dict(doc.cands)  # a copy: merging nested candidates must not touch the cache
        # The cached candidates are shared: copy only those an entity updates (below).
        cands = dict(doc.cands)
        shift = doc.body_offset
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
                    s0 = starts[0] if starts else 0
                    parts = tuple(t[0] for t in doc.tokens if t[1] >= s0 and t[2] <= s0 + len(name)) or (name,)
                    c = cands[k] = _Cand(name, k, pos="nt" if kind == "org" else "ns", parts=parts, n_words=1)
                else:
                    c = cands[k] = replace(c)
                c.entity = kind
                c.surfaces = tuple({_norm_key(m.text) for m in e.mentions} - {k})
                c.count = max(c.count, len(starts), 1)
                if starts:
                    c.first = min(c.first, starts[0])
                    c.in_title = c.in_title or starts[0] < doc.title_end
                    c.in_lead = c.in_lead or any(doc.title_end <= s < doc.lead_end for s in starts)
        return cands

    def _ranked(self, article: Article, entities: Entities | None) -> list[tuple[float, _Cand]]:
        doc = self._analyse(article)
        cands = self._with_entities(doc, entities)
        if len(cands) > _PRUNE_ABOVE and not doc.headline:
            # In a long article a word seen once, outside the title and lead, unquoted and not
            # an entity, never reaches the top: skip scoring it (a third of the time).
            cands = {k: c for k, c in cands.items()
                     if c.count > 1 or c.in_title or c.in_lead or c.quoted or c.org_like or c.entity}
        scores = {k: self._score(c, doc) for k, c in cands.items()}
        self._merge_nested(cands, scores)
        scored = [(scores[k], c) for k, c in cands.items()]
        scored.sort(key=lambda sc: (-sc[0], sc[1].first, sc[1].text))
        return scored

    def _merge_nested(self, cands: dict[str, _Cand], scores: dict[str, float]) -> None:
        """Merge nested duplicates: a longer phrase or entity absorbs a shorter one inside it.

        The shorter candidate is dropped when the longer one occurs at least
        ``nest_ratio`` times as often and at least ``nest_min_count`` times (an entity from
        the entity extractor needs no minimum); the longer keeps the better of the two scores.
        """
        from .vocabulary import org_aliases

        w = self.weights
        absorbers = [c for c in cands.values() if c.n_words >= 2 or c.entity or c.org_like]
        absorbers.sort(key=lambda c: (-len(c.key), c.first, c.key))
        dropped: set[str] = set()
        for long in absorbers:
            if long.key in dropped or (long.count < w.nest_min_count and not (long.entity or long.org_like)):
                continue
            keys = [_norm_key(p) for p in long.parts]
            inner = ["".join(keys[i:j]) for i in range(len(keys)) for j in range(i + 1, len(keys) + 1)
                     if j - i < len(keys)]
            if long.entity:
                # An entity absorbs what is nested in its name and its other mention texts.
                names = (long.key,) + long.surfaces
                inner += [k for k in cands if k != long.key and any(k in name for name in names)]
            elif long.org_like:
                # An organisation-like phrase absorbs its usual short forms (宁波总工会).
                inner += [k for k in org_aliases(long.key) if k in cands]
            for k in dict.fromkeys(inner):
                short = cands.get(k)
                if short is None or k in dropped or short is long or short.entity and not long.entity:
                    continue
                if long.count >= w.nest_ratio * short.count:
                    dropped.add(k)
                    if scores[k] > scores[long.key]:
                        scores[long.key] = scores[k]
        for k in dropped:
            del cands[k]

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
            ['宁波市总工会', '工会经费']
        """
        article = as_article(article)
        if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
            raise ValueError(f"top_k must be a positive int, got {top_k!r}")
        if not article.text.strip() and not (article.title or "").strip():
            return []
        return self._keywords_of(article, self._ranked(article, entities), top_k)

    def _keywords_of(self, article: Article, scored: list[tuple[float, _Cand]], top_k: int) -> list[Keyword]:
        if not scored:
            return []
        w = self.weights
        floor = scored[0][0] * (w.headline_min_relative_score if self._analyse(article).headline else w.min_relative_score)
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
                line, see :mod:`newsnlp.keywords.vocabulary`), or a :class:`~newsnlp.keywords.vocabulary.TagVocabulary`.
            entities: the article's entities, when already computed.
            keywords: the article's keywords, when already computed.

        Returns:
            Normalised tags, best first.

        Example:
            >>> kx = KeywordExtractor.load()
            >>> kx.suggest_tags("宁波总工会发放工会经费。工会经费用于帮扶。", k=3,
            ...                 vocabulary=["工会经费", "宁波市总工会", "中国发展网新闻"])
            ['宁波市总工会', '工会经费']
        """
        from .vocabulary import TagVocabulary, is_feed_label

        article = as_article(article)
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k must be a positive int, got {k!r}")
        if not article.text.strip() and not (article.title or "").strip():
            return []
        vocab = TagVocabulary.coerce(vocabulary) if vocabulary is not None else None
        scored = None
        if keywords is None:
            scored = self._ranked(article, entities)
            keywords = self._keywords_of(article, scored, max(10, 2 * k))
        doc = self._analyse(article)
        best = keywords[0].score if keywords else 1.0
        picked: list[tuple[float, str]] = []
        seen: set[str] = set()
        # Surfaces of the vocabulary tags taken, with their counts: a keyword inside one of
        # them (宁波总工会 matched 宁波市总工会; 总工会 inside it) is a duplicate when the
        # surface carries most of its occurrences.
        surfaces: list[tuple[str, int]] = []

        def duplicate(t: str) -> bool:
            if not surfaces:
                return False
            n = doc.text.count(t)
            return any(t in s and cnt >= self.weights.nest_ratio * n for s, cnt in surfaces)

        body = article.text
        title = article.title or ""
        longer = [c.text for c in doc.cands.values() if len(c.text) >= 3]
        entity_names = set()
        if entities is not None:
            entity_names = {_norm_key(normalize_tag(e.name)) for e in tuple(entities.organisations) + tuple(entities.programmes)}

        def take(tag: str, score: float, matched: tuple[str, ...] = ()) -> None:
            t = normalize_tag(tag)
            key = _norm_key(t)
            if not t or key in seen or key in self.stopwords or is_feed_label(t):
                return
            cand = doc.cands.get(key)
            # A name the entity model found may be long (浙江省发展和改革委员会).
            named = key in entity_names or (cand is not None and cand.entity in ("org", "programme"))
            if not matched and not named and not editor_tag_ok(t, text=body, title=title, longer=longer):
                return
            if not matched and cand is not None and (cand.entity == "place" or cand.pos.startswith("ns")) and not cand.in_title \
                    and cand.count < 3:
                return  # a place the story is not about: not in the headline, hardly mentioned
            if not matched and t in _TOO_BROAD:
                return
            if not matched and not named and cand is not None and cand.pos == "mphrase" and len(cand.parts) >= 3:
                return  # a stretch of a sentence (贵州茅台发布年报), not a reusable tag
            if vocab is not None and vocab.is_feed(t):
                return
            if not matched and duplicate(t):
                return
            seen.add(key)
            picked.append((score, t))
            for s in matched:
                surfaces.append((s, doc.text.count(s)))

        if vocab is not None:
            matches = vocab.find(doc.text)
            kw_scores = {_norm_key(kw.text): kw.score for kw in keywords}
            ranked = []
            for tag, (count, first) in matches.items():
                in_title = first < doc.title_end
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
                    info = vocab.tags.get(tag)
                    found = tuple(s for s in [tag] + list(info.aliases if info else ()) if s in doc.text)
                    take(tag, score, found or (tag,))
                if len(picked) >= k:
                    break
        # The market / story-kind tags go after the strongest keyword: an editor files a
        # flash under its company first, then under 港股 or 个股异动.
        market = market_tags(body, title)
        for kw in keywords:
            if len(picked) >= k:
                break
            take(kw.text, kw.score)
            if market and len(picked) >= 1:
                for m in market:
                    take(m, kw.score, (m,))
                market = []
        for m in market:
            take(m, 0.0, (m,))
        if len(picked) < k:
            # The editor's filters drop more than the keyword floor keeps: go further down the
            # ranking, still above a fifth of the best score.
            for score, c in (scored if scored is not None else self._ranked(article, entities)):
                if len(picked) >= k or score < 0.2 * best:
                    break
                take(c.text, score)
        if entities is not None and len(picked) < k:
            for e in tuple(entities.organisations) + tuple(entities.places):
                if len(picked) >= k:
                    break
                if len(e.mentions) >= 2:
                    take(e.name, 0.0)
        return [t for _s, t in picked[:k]]


# --------------------------------------------------------------------------- editor tag rules
# What an editor never keeps as a tag (issue 14): ticker suffixes and code fragments, source
# attributions, words of market commentary that name nothing, long titles, and segmentation
# fragments. And what an editor adds that the text rarely says as a word: the market and the
# kind of story (港股, A股, 个股异动, 板块异动).

_TICKER_WORDS = frozenset({"hk", "us", "sh", "sz", "bj", "ss", "q1", "q2", "q3", "q4", "h1", "h2", "etf"})
_MEDIA = re.compile(
    r"^(?:中证网|中新网|中新社|新华社|新华网|人民网|人民日报|央视网|央视新闻|央广网|新闻联播|光明网|环球网|澎湃新闻|界面新闻|"
    r"财联社|证券时报网?|上海证券报|上证报|中国证券报|中证报|证券日报|经济观察网|每经网|每日经济新闻|第一财经|21世纪经济报道|"
    r"中国基金报|中国发展网|智通财经|格隆汇|金融界|新浪财经|东方财富网?|同花顺|天眼查|企查查|choice|wind|e公司)$",
    re.IGNORECASE,
)
# Bare words of market commentary: they say how a story is told, not what it is about.
_COMMENTARY = frozenset({
    "交易员", "大关", "涨幅", "跌幅", "日内跌幅", "日内涨幅", "去年同期", "上年同期", "同比", "环比", "总书记", "现报",
    "收盘", "盘中", "午后", "早盘", "尾盘", "记者", "消息", "报道", "公告显示", "数据显示",
})
_CODE_IN_TAG = re.compile(r"\d")
# Too broad to browse by in a Chinese news archive.
_TOO_BROAD = frozenset({"中国", "我国", "全国", "国内", "国际", "世界", "全球", "中共中央", "党中央", "国务院"})
_MARKET_RULES: tuple[tuple[str, "re.Pattern[str]"], ...] = (
    ("港股", re.compile(r"\d{4,5}\.HK|港股|恒生指数|恒指|港交所|港元", re.IGNORECASE)),
    ("美股", re.compile(r"美股|纳斯达克|纳指|道指|道琼斯|标普500|NYSE|NASDAQ|[A-Z]{1,5}\.(?:US|O|N)\b")),
    ("A股", re.compile(r"A股|沪指|深成指|创业板指|科创50|沪深两市|两市成交|北向资金")),
)
_SECTOR_MOVE = re.compile(
    r"(?:板块|概念股|[\u4e00-\u9fff]{1,4}股)(?:午后|盘中|早盘|尾盘|集体|持续|再度|全线|短线|直线|震荡)*"
    r"(?:拉升|走强|走弱|走低|跳水|异动|大涨|大跌|活跃|爆发|冲高|反弹|下挫|回调|涨幅居前|跌幅居前)"
)
_STOCK_MOVE = re.compile(
    r"(?:涨停|跌停|涨超|跌超|涨幅扩大|跌幅扩大|涨幅达|跌幅达|日内涨|日内跌|股价大涨|股价大跌|直线拉升|快速拉升|跳水|闪崩|"
    r"(?:午后|盘中|早盘|尾盘)(?:涨|跌)(?:超|逾)?\d)"
)


def editor_tag_ok(tag: str, *, text: str = "", title: str = "", longer: Iterable[str] = ()) -> bool:
    """Whether an editor would keep ``tag``: not a ticker suffix or code fragment, not a source
    attribution, not a bare word of market commentary, not a long title (over 10 characters),
    not a fragment that the text only ever uses inside one longer word.

    Example:
        >>> [t for t in ["HK", "中证网", "交易员", "美联储", "USDA12"] if editor_tag_ok(t)]
        ['美联储']
    """
    key = tag.casefold()
    if not tag or key in _TICKER_WORDS or _MEDIA.match(tag) or tag in _COMMENTARY:
        return False
    if _HAS_CJK.search(tag):
        if _CODE_IN_TAG.search(tag) and not re.fullmatch(r"[\u4e00-\u9fff]*\d+[\u4e00-\u9fff]+|\d+[A-Za-z]", tag):
            return False  # 触宝Q3, USDA12, 碳达峰2030: a code or date glued to a name
        if len(tag) > 10:
            return False
    elif _CODE_IN_TAG.search(tag) and (not re.search(r"[A-Za-z]", tag) or re.fullmatch(r"[A-Za-z]{3,}\d+", tag)):
        return False  # a bare number, or a month glued to a name (USDA12)
    if text and _HAS_CJK.search(tag):
        full = (title + "\n" + text) if title else text
        at = [m.start() for m in re.finditer(re.escape(tag), full)]
        if len(at) >= 2:
            before = {full[i - 1] if i > 0 else "" for i in at}
            after = {full[i + len(tag)] if i + len(tag) < len(full) else "" for i in at}
            longer = tuple(longer)
            if len(after) == 1 and any(x.startswith(tag + next(iter(after))) for x in longer if next(iter(after))):
                return False  # 申通 only ever inside 申通快递
            if len(before) == 1 and any(x.endswith(next(iter(before)) + tag) for x in longer if next(iter(before))):
                return False  # 兴股份 only ever inside 昇兴股份
    return True


def market_tags(text: str, title: str = "") -> list[str]:
    """Market and story-kind tags an editor adds: 港股 / 美股 / A股 from codes and index names,
    板块异动 for a sector move, 个股异动 for one stock's move (in the title or first sentence).

    Example:
        >>> market_tags("金斯瑞生物科技(01548.HK)午后涨幅扩大至7.72%。")
        ['港股', '个股异动']
    """
    full = (title + "\n" + text) if title else text
    out = [tag for tag, pat in _MARKET_RULES if pat.search(full)]
    head = title or re.split(r"[。！？\n]", text.strip(), maxsplit=1)[0]
    if _SECTOR_MOVE.search(head):
        out.append("板块异动")
    elif _STOCK_MOVE.search(head):
        out.append("个股异动")
    return out


WEIGHTS_FILE = "keyword_weights.json"
KEYPHRASENESS_FILE = "keyphraseness.tsv.gz"


def _model_folder(path: str | os.PathLike | None) -> Path:
    if path is None:
        from ..resources import model_path

        return model_path("idf")
    return Path(path) if Path(path).is_dir() else Path(path).parent


def _idf_table(idf: Any) -> Any:
    """The IDF table ``KeywordExtractor.load(idf=...)`` names: a table, a table file or its folder."""
    from ..errors import ModelNotFoundError
    from .idf import DEFAULT_FILE, IDFTable

    if isinstance(idf, IDFTable):
        return idf
    if not isinstance(idf, (str, os.PathLike)):
        raise TypeError(f"idf must be a path to an IDF table or an IDFTable, not {type(idf).__name__}")
    given = Path(idf)
    table = given / DEFAULT_FILE if given.is_dir() else given
    if not table.is_file():
        what = f"the folder {given} holds no {DEFAULT_FILE}" if given.is_dir() else f"{given} does not exist"
        raise ModelNotFoundError(
            f"idf={str(idf)!r}: {what}; pass an IDF table file written by `newsnlp idf build ARCHIVE -o FILE` "
            f"(or the folder holding {DEFAULT_FILE}), or an IDFTable"
        )
    return IDFTable.load(table)


def _default_weights(path: str | os.PathLike | None) -> KeywordWeights:
    """The weights stored beside the IDF table (``keyword_weights.json``), else the defaults."""
    f = _model_folder(path) / WEIGHTS_FILE
    return KeywordWeights.load(f) if f.is_file() else KeywordWeights()


def load_keyphraseness(path: str | os.PathLike) -> dict[str, tuple[int, int]]:
    """Read a keyphraseness table (``key<TAB>articles<TAB>as_keyword``); ``{}`` when absent."""
    import gzip

    path = Path(path)
    if not path.is_file():
        return {}
    out: dict[str, tuple[int, int]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.startswith("#") or not line.strip():
                continue
            key, appeared, hits = line.rstrip("\n").split("\t")
            out[key] = (int(appeared), int(hits))
    return out


def save_keyphraseness(table: Mapping[str, tuple[int, int]], path: str | os.PathLike, *, note: str = "") -> Path:
    """Write a keyphraseness table (gzipped TSV, byte-identical for the same data)."""
    import gzip

    path = Path(path)
    lines = ["# key\tarticles\tas_keyword" + (f"\t{note}" if note else "")]
    lines += [f"{k}\t{a}\t{h}" for k, (a, h) in sorted(table.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))]
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    return path
