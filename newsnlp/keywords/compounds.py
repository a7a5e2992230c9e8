"""Tag candidates an editor writes as one name, though the segmenter cuts them and the keyword
candidates (:mod:`.candidates`) never join them:

- **topic compounds**: one to three noun-like words and a topic head (生态文明 + 建设, 绿色 + 发展,
  乡村 + 振兴, 乌克兰 + 危机), written at least twice; the head is often a stop word (建设, 发展) or a
  verb (振兴), and the noun before it is often tagged as a name (文明/nr, 乌克兰/nr), so no merged
  phrase of :mod:`.candidates` ever holds them;
- **laws before their draft**: 行政复议法 in 关于行政复议法修订草案的说明 (a law is named
  inside the title of the bill that changes it);
- **a class word and a quoted name**: 台风“巴威” → 台风巴威.

They are tag candidates only (:func:`~newsnlp.keywords.tags.choose_tags` scores them with the
keyword score); :meth:`~newsnlp.keywords.extractor.KeywordExtractor.extract` does not return them,
so the keywords stay as they were fitted.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from .candidates import HAS_CJK, NOUN_TAGS, ArticleCandidates, Candidate, norm_key, occurrences

__all__ = ["TOPIC_HEADS", "topic_compounds", "law_names", "class_names"]

#: Words that close a topic an editor tags whole (X建设, X发展, X关系, X振兴): processes and
#: relations of policy news. Several are stop words on their own (建设, 发展, 创新).
TOPIC_HEADS = frozenset({
    "建设", "发展", "关系", "合作", "振兴", "创新", "转型", "改革", "开放", "治理", "保护", "危机", "自信", "融合",
    "一体化", "现代化", "安全", "升级",
})
# Parts of speech that can stand before a topic head (nouns, names, the jieba quirk 文明/nr).
_MODIFIER_POS = (NOUN_TAGS | {"b"}) - {"nrfg", "l", "eng"}
# A modifier this common in general Chinese (经济, 社会, 国家) makes a compound too broad to browse by.
_BROAD_MODIFIER_FREQ = 40000
_MAX_LEFT_WORDS = 3


def _candidate(doc: ArticleCandidates, s: str, parts: tuple[str, ...], starts: list[int], *,
               pos: str = "phrase", entity: str | None = None) -> Candidate:
    c = Candidate(s, norm_key(s), count=len(starts), first=starts[0], n_words=len(parts), pos=pos, parts=parts,
                  entity=entity)
    c.in_title = starts[0] < doc.title_end
    c.in_lead = any(doc.title_end <= i < doc.lead_end for i in starts)
    return c


def topic_compounds(doc: ArticleCandidates, *, stopwords: Iterable[str] = frozenset(),
                    word_freq: Mapping[str, int] | None = None, min_count: int = 2) -> list[Candidate]:
    """Topic compounds of an article: one to three noun-like words and a :data:`TOPIC_HEADS` word,
    adjacent, 4 to 8 characters, written at least ``min_count`` times (or once in the headline and
    again in the body). Of nested compounds (文明建设, 生态文明建设) the longest that is written
    ``min_count`` times and carries 60% of the shortest one's uses is kept. A compound already among
    the article's candidates (中欧关系) is returned as that candidate.

    Example:
        >>> from newsnlp.article import Article
        >>> from newsnlp.keywords.extractor import shipped_extractor
        >>> kx = shipped_extractor()
        >>> doc = kx.analyse(Article("临江推进港口物流发展。港口物流发展提速，港口物流发展势头良好。"))
        >>> [c.text for c in topic_compounds(doc, stopwords=kx.scorer.stopwords)]
        ['港口物流发展']
    """
    freq = word_freq or {}
    toks = doc.tokens
    text = doc.text
    found: dict[str, Candidate] = {}
    heads = TOPIC_HEADS
    for i in [i for i, tok in enumerate(toks) if tok[0] in heads]:
        if i == 0:
            continue
        best = None
        shortest = 0
        for n_left in range(1, _MAX_LEFT_WORDS + 1):
            j = i - n_left
            if j < 0:
                break
            w, s, e, t = toks[j]
            if e != toks[j + 1][1] or t not in _MODIFIER_POS or not HAS_CJK.match(w) or len(w) < 2 \
                    or norm_key(w) in stopwords or w in TOPIC_HEADS:
                break
            if n_left == 1 and freq.get(w, 0) >= _BROAD_MODIFIER_FREQ:
                break
            s_text = text[s:toks[i][2]]
            if len(s_text) > 8:
                break
            starts = occurrences(text, s_text)
            shortest = shortest or len(starts)
            # A longer compound wins when it carries most uses of the shorter one (生态文明建设
            # over 文明建设; not 厚植高质量发展 over 高质量发展).
            if len(starts) >= min_count and len(starts) >= 0.6 * shortest:
                best = (s_text, tuple(x[0] for x in toks[j:i + 1]), starts)
        if best is None:
            continue
        s_text, parts, starts = best
        key = norm_key(s_text)
        if key in found:
            continue
        # A compound the candidates already hold (中欧/ns 关系/n) is a topic compound too.
        found[key] = doc.cands.get(key) or _candidate(doc, s_text, parts, starts)
    # Of nested compounds keep the longest (生态文明建设 over 文明建设) when it carries most uses.
    out = []
    for c in found.values():
        if any(o is not c and c.text in o.text and o.count >= 0.6 * c.count for o in found.values()):
            continue
        out.append(c)
    return out


# A law or plan named before its bill: 行政复议法修订草案, 外国国家豁免法草案, 民事诉讼法修正草案.
_LAW_BEFORE_DRAFT = re.compile(r"(?:修订|修正|修改)?(?:草案|修正案)")
_LAW_END = ("法", "条例", "规划")
# Words that end the stretch before a law's name (关于, 审议, 提请, 和): a law name opens after them.
_LAW_STOP_POS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "x", "m", "f", "t", "q"})
_LAW_OPENERS = frozenset({"关于", "审议", "提请", "通过", "修订", "修正", "修改", "制定", "表决", "草案", "议案"})


def law_names(doc: ArticleCandidates) -> list[Candidate]:
    """Laws named inside the title of their bill (关于行政复议法修订草案的说明 → 行政复议法;
    外国国家豁免法草案 → 外国国家豁免法): the words before 草案 (修订草案, 修正草案) back to a
    preposition, conjunction, pronoun, particle or verb of procedure (关于, 审议, 提请), ending in
    法, 条例 or 规划, 3 to 10 characters;
    ``中华人民共和国`` in front is dropped. Programmes of the story: candidates with ``entity="programme"``,
    the bills that name them (湿地保护法修订草案) as their ``surfaces``.

    Example:
        >>> from newsnlp.article import Article
        >>> from newsnlp.keywords.extractor import shipped_extractor
        >>> doc = shipped_extractor().analyse(Article("会议审议了关于临江湿地保护法草案的议案。"))
        >>> [c.text for c in law_names(doc)]
        ['临江湿地保护法']
    """
    toks = doc.tokens
    text = doc.text
    found: dict[str, Candidate] = {}
    if "草案" not in text and "修正案" not in text:
        return []
    by_start = {t[1]: i for i, t in enumerate(toks)}
    for m in _LAW_BEFORE_DRAFT.finditer(text):
        i = by_start.get(m.start())
        if i is None or i == 0:
            continue
        j = i
        while j > 0:
            w, s, e, t = toks[j - 1]
            if e != (toks[j][1] if j < len(toks) else m.start()) or not HAS_CJK.match(w) or t in _LAW_STOP_POS \
                    or w in _LAW_OPENERS or m.start() - s > 12:
                break
            j -= 1
        bill = text[toks[j][1]:m.end()] if j < i else ""
        name = bill[: len(bill) - len(m.group(0))]
        if name.startswith("中华人民共和国"):
            name = name[len("中华人民共和国"):]
        if not (3 <= len(name) <= 10 and name.endswith(_LAW_END)):
            continue
        key = norm_key(name)
        if key in found:
            if bill not in found[key].surfaces:
                found[key].surfaces += (bill,)
            continue
        parts = tuple(x[0] for x in toks[j:i]) or (name,)
        found[key] = _candidate(doc, name, parts, occurrences(text, name), pos="quote", entity="programme")
        found[key].surfaces = (bill,)
    return list(found.values())


# A class word and a quoted name that editors join (台风“巴威” → 台风巴威).
_CLASS_QUOTED = re.compile(r"(超强台风|强台风|台风|飓风|热带风暴)[“\"「]([\u4e00-\u9fff]{2,6})[”\"」]")


def class_names(doc: ArticleCandidates) -> dict[str, str]:
    """Quoted names that follow a class word, mapped to the tag an editor writes:
    ``{"巴威": "台风巴威"}`` for 台风“巴威” (超强台风 and 强台风 are written 台风).

    Example:
        >>> from newsnlp.article import Article
        >>> from newsnlp.keywords.extractor import shipped_extractor
        >>> class_names(shipped_extractor().analyse(Article("强台风“海葵”逼近临江。")))
        {'海葵': '台风海葵'}
    """
    out: dict[str, str] = {}
    for m in _CLASS_QUOTED.finditer(doc.text):
        cls = "台风" if m.group(1).endswith("台风") else m.group(1)
        out.setdefault(m.group(2), cls + m.group(2))
    return out

