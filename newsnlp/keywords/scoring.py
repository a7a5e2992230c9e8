"""The keyword score: features of a candidate, their weights, and the ranking of an article's candidates.

Each candidate is scored by a logistic model over its news-domain IDF (``models/idf``),
frequency, title and lead-paragraph occurrence, entity status, co-occurrence centrality, part of
speech, length and a keyphraseness prior; headlines alone have their own coefficients. The
weights are in :class:`KeywordWeights`, ``models/idf/keyword_weights.json`` and docs/keywords.md.
:class:`KeywordScorer` computes the features and scores, adds the article's entities, merges
nested duplicates and ranks; :meth:`KeywordScorer.keywords` cuts the ranking to keywords
(``top_k`` is a maximum: candidates below ``weights.min_relative_score`` × the best are dropped).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from .._util import atomic_write
from ..types import Entities, Keyword
from .candidates import ArticleCandidates, Candidate, norm_key, occurrences
from .idf import gzip_bytes
from .tags import org_aliases

__all__ = ["KeywordWeights", "KeywordScorer", "DEFAULT_COEF", "FEATURES", "load_keyphraseness", "save_keyphraseness"]


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

_PARAMS = ("entity_boost", "person_boost", "org_like_boost", "window", "nest_ratio", "nest_min_count",
           "min_relative_score", "headline_min_relative_score", "max_phrase_words")


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
        params = {k: data[k] for k in _PARAMS if k in data}
        return cls(coef=coef, **params)

    def save(self, path: str | os.PathLike, **extra: Any) -> Path:
        """Write the weights as JSON, atomically (``extra`` keys, e.g. metrics, are stored alongside)."""
        import json

        data = {"coef": {k: round(float(self.coef[k]), 4) for k in FEATURES},
                **{k: getattr(self, k) for k in _PARAMS}, **extra}
        return atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# --------------------------------------------------------------------------- keyphraseness

def load_keyphraseness(path: str | os.PathLike) -> dict[str, tuple[int, int]]:
    """Read a keyphraseness table (``key<TAB>articles<TAB>as_keyword``); ``{}`` when absent."""
    import gzip

    path = Path(path)
    if not path.is_file():
        return {}
    out: dict[str, tuple[int, int]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            key, appeared, hits = line.rstrip("\n").split("\t")
            out[key] = (int(appeared), int(hits))
    return out


def save_keyphraseness(table: Mapping[str, tuple[int, int]], path: str | os.PathLike, *, note: str = "") -> Path:
    """Write a keyphraseness table (gzipped TSV, byte-identical for the same data), atomically."""
    lines = ["# key\tarticles\tas_keyword" + (f"\t{note}" if note else "")]
    lines += [f"{k}\t{a}\t{h}" for k, (a, h) in sorted(table.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))]
    return atomic_write(path, gzip_bytes(("\n".join(lines) + "\n").encode("utf-8")))


# --------------------------------------------------------------------------- the scorer

_POS_CLASS = {"nr": "pos_nr", "nrfg": "pos_nr", "nrt": "pos_nr", "ns": "pos_ns", "nt": "pos_nt",
              "nz": "pos_nz", "vn": "pos_vn", "un": "pos_un", "eng": "pos_eng", "l": "pos_l", "j": "pos_j"}
_SUFFIX_CLASS = {
    **{ch: "suf_place" for ch in "省市县区镇村乡州岛湾山河湖江港路街"},
    **{ch: "suf_org" for ch in "会局厅部委院校所行司团社队馆台"},
    **{ch: "suf_event" for ch in "节赛杯展宴"},
    **{ch: "suf_term" for ch in "法率性度型化器机量论学术剂症病"},
}
# In a long article a word seen once, outside the title and lead, unquoted and not an entity,
# never reaches the top: above this many candidates it is not scored (a third of the time).
_PRUNE_ABOVE = 40


class KeywordScorer:
    """Score and rank an article's candidates.

    Args:
        idf: the IDF table (``idf(word)`` and ``word in idf``).
        weights: the :class:`KeywordWeights`.
        stopwords: normalised stop words (an entity named like one is not a candidate).
        keyphraseness: candidate key -> (tuning articles it was a candidate in, articles where it
            was a gold keyword); empty for none.
        word_freq: jieba's dictionary word frequencies (how common a word is in general text).
    """

    def __init__(self, idf: Any, weights: KeywordWeights, *, stopwords: Iterable[str] = frozenset(),
                 keyphraseness: Mapping[str, tuple[int, int]] | None = None,
                 word_freq: Mapping[str, int] | None = None) -> None:
        self.idf = idf
        self.weights = weights
        self.stopwords = stopwords
        self.keyphraseness: Mapping[str, tuple[int, int]] = keyphraseness or {}
        self.word_freq: Mapping[str, int] = word_freq if word_freq is not None else {}

    def features(self, c: Candidate, doc: ArticleCandidates) -> dict[str, float]:
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
            cls = _POS_CLASS.get(c.pos)
            if cls:
                f[cls] = 1.0
            freq = self.word_freq.get(c.text, 0)
            f["dict_freq"] = math.log1p(freq) / 10.0
            if c.text not in self.idf:
                f["oov"] = 1.0
            if c.pos == "un":
                # A word jieba's HMM made up whose edge is a common single character (有个,
                # 能省, 位文创) is usually a mis-cut, not a new name.
                freq_table = self.word_freq
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
                cent = sum(doc.centrality.get(norm_key(p), 0.0) for p in c.parts) / c.n_words
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

    def score(self, c: Candidate, doc: ArticleCandidates, *, bonus: float = 0.0) -> float:
        """The probability-like score (0..1) of one candidate; ``bonus`` is added to its log-odds."""
        w = self.weights
        coef = w.coef
        z = bonus + sum(coef.get(k, 0.0) * v for k, v in self.features(c, doc).items())
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

    def with_entities(self, doc: ArticleCandidates, entities: Entities | None) -> dict[str, Candidate]:
        """The article's candidates with its entities added or marked (a new dict; ``doc`` is untouched)."""
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
                k = norm_key(name)
                if not name or k in self.stopwords or len(name) < 2:
                    continue
                # The mentions, and the canonical name's own occurrences too (title included).
                starts = sorted({m.start + shift for m in e.mentions} | set(occurrences(doc.text, name)))
                c = cands.get(k)
                if c is None:
                    s0 = starts[0] if starts else 0
                    parts = tuple(t[0] for t in doc.tokens if t[1] >= s0 and t[2] <= s0 + len(name)) or (name,)
                    c = cands[k] = Candidate(name, k, pos="nt" if kind == "org" else "ns", parts=parts, n_words=1)
                else:
                    c = cands[k] = replace(c)
                c.entity = kind
                c.surfaces = tuple({norm_key(m.text) for m in e.mentions} - {k})
                c.count = max(c.count, len(starts), 1)
                if starts:
                    c.first = min(c.first, starts[0])
                    c.in_title = c.in_title or starts[0] < doc.title_end
                    c.in_lead = c.in_lead or any(doc.title_end <= s < doc.lead_end for s in starts)
        return cands

    def rank(self, doc: ArticleCandidates, entities: Entities | None = None) -> list[tuple[float, Candidate]]:
        """Every candidate with its score, best first (ties: first offset, then text)."""
        cands = self.with_entities(doc, entities)
        if len(cands) > _PRUNE_ABOVE and not doc.headline:
            cands = {k: c for k, c in cands.items()
                     if c.count > 1 or c.in_title or c.in_lead or c.quoted or c.org_like or c.entity}
        scores = {k: self.score(c, doc) for k, c in cands.items()}
        self.merge_nested(cands, scores)
        scored = [(scores[k], c) for k, c in cands.items()]
        scored.sort(key=lambda sc: (-sc[0], sc[1].first, sc[1].text))
        return scored

    def merge_nested(self, cands: dict[str, Candidate], scores: dict[str, float]) -> None:
        """Merge nested duplicates, in place: a longer phrase or entity absorbs a shorter one inside it.

        The shorter candidate is dropped when the longer one occurs at least
        ``nest_ratio`` times as often and at least ``nest_min_count`` times (an entity from
        the entity extractor needs no minimum); the longer keeps the better of the two scores.
        """
        w = self.weights
        absorbers = [c for c in cands.values() if c.n_words >= 2 or c.entity or c.org_like]
        absorbers.sort(key=lambda c: (-len(c.key), c.first, c.key))
        dropped: set[str] = set()
        for long in absorbers:
            if long.key in dropped or (long.count < w.nest_min_count and not (long.entity or long.org_like)):
                continue
            keys = [norm_key(p) for p in long.parts]
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

    def keywords(self, doc: ArticleCandidates, scored: list[tuple[float, Candidate]], top_k: int) -> list[Keyword]:
        """The first ``top_k`` of a ranking that reach the cut-off (a fraction of the best score)."""
        if not scored:
            return []
        w = self.weights
        floor = scored[0][0] * (w.headline_min_relative_score if doc.headline else w.min_relative_score)
        return [Keyword(c.text, float(s)) for s, c in scored[:top_k] if s >= floor]
