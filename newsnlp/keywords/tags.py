"""Editor-style tags: the rules an editor applies to a tag, and the choice of an article's tags.

The rules are plain functions of strings, used by the tag vocabulary too (this module imports no
other keyword module but :mod:`.candidates` and :mod:`.compounds`):

- :func:`normalize_tag`: one spelling per tag (half-width ASCII, Latin case, no quotes);
- :func:`editor_tag_ok`: what an editor never keeps (ticker suffixes, source names, words of
  market commentary, long titles, fragments of a longer name);
- :func:`market_tags`: what an editor adds that the text rarely says as a word (港股, 个股异动);
- :func:`is_feed_label`: a feed's source name (东财滚动新闻), never a topic;
- :func:`org_aliases`: the usual short forms of an organisation name (宁波市总工会 → 宁波总工会).

:func:`choose_tags` applies them to an article's ranked keywords (what
:meth:`KeywordExtractor.suggest_tags <newsnlp.keywords.extractor.KeywordExtractor.suggest_tags>` returns).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from ..types import Entities, Keyword
from .candidates import HAS_CJK, ArticleCandidates, Candidate, norm_key
from .compounds import class_names, law_names, topic_compounds

__all__ = ["normalize_tag", "editor_tag_ok", "market_tags", "is_feed_label", "is_common_word", "org_aliases", "choose_tags",
           "FEED_SUFFIXES", "TOO_BROAD"]

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


# --------------------------------------------------------------------------- feed labels and short forms

# Source-name endings: a tag such as 东财滚动新闻 or 中国发展网新闻 names a feed, not a topic.
FEED_SUFFIXES = ("滚动新闻", "新闻", "滚动", "快讯", "资讯", "要闻", "头条", "频道", "速递", "播报")
_FEED_NAME = re.compile(r"^.{2,}(?:" + "|".join(FEED_SUFFIXES) + r")$")


def is_feed_label(tag: str) -> bool:
    """True when ``tag`` is named like a feed/source label (东财滚动新闻, 中国发展网新闻).

    The name test needs at least two characters before the ending, so topic tags such as
    假新闻 are not caught. :func:`~newsnlp.keywords.vocabulary.learn_vocabulary` also marks tags
    that are the only tag on nearly all of many posts.

    Example:
        >>> is_feed_label("东财滚动新闻"), is_feed_label("工会经费")
        (True, False)
    """
    return bool(_FEED_NAME.match(tag.strip()))


# Long organisation name parts and their usual short forms (for aliases).
_ORG_SHORT = (
    ("发展和改革委员会", "发改委"),
    ("人力资源和社会保障局", "人社局"),
    ("人力资源和社会保障厅", "人社厅"),
    ("人力资源和社会保障部", "人社部"),
    ("经济和信息化厅", "经信厅"),
    ("经济和信息化局", "经信局"),
    ("住房和城乡建设局", "住建局"),
    ("住房和城乡建设厅", "住建厅"),
    ("市场监督管理局", "市场监管局"),
    ("人民代表大会常务委员会", "人大常委会"),
    ("中国人民银行", "人民银行"),
    ("国有资产监督管理委员会", "国资委"),
    ("中国证券监督管理委员会", "证监会"),
)
_ADMIN_LEVEL = re.compile(r"^(.{2,3}?)(省|市|自治区|区|县)(.{2,})$")


def org_aliases(name: str) -> list[str]:
    """Usual short forms of an organisation name (宁波市总工会 → 宁波总工会).

    Example:
        >>> org_aliases("浙江省发展和改革委员会")
        ['浙江发展和改革委员会', '浙江省发改委', '浙江发改委']
    """
    out: list[str] = []
    m = _ADMIN_LEVEL.match(name)
    if m and any(name.endswith(s) for s in ("会", "局", "厅", "委", "院", "部", "办", "行", "中心", "政府")):
        out.append(m.group(1) + m.group(3))
    for long, short in _ORG_SHORT:
        if long in name:
            for base in [name] + out[:1]:
                out.append(base.replace(long, short))
    seen: set[str] = set()
    return [a for a in out if a != name and len(a) >= 3 and not (a in seen or seen.add(a))]


# --------------------------------------------------------------------------- editor tag rules
# What an editor never keeps as a tag (issue 14): ticker suffixes and code fragments, source
# attributions, words of market commentary that name nothing, long titles, and segmentation
# fragments. And what an editor adds that the text rarely says as a word: the market and the
# kind of story (港股, A股, 个股异动, 板块异动).

_TICKER_WORDS = frozenset({"hk", "us", "sh", "sz", "bj", "ss", "q1", "q2", "q3", "q4", "h1", "h2", "etf"})
_MEDIA = re.compile(
    r"^(?:中证网|中新网|中新社|新华社|新华网|人民网|人民日报|央视网|央视新闻|央广网|新闻联播|光明网|环球网|澎湃新闻|界面新闻|"
    r"财联社|证券时报网?|上海证券报|上证报|中国证券报|中证报|证券日报|经济观察网|每经网|每日经济新闻|第一财经|21世纪经济报道|"
    r"中国基金报|中国发展网|智通财经|格隆汇|金融界|新浪财经|东方财富网?|同花顺|天眼查|企查查|choice|wind|e公司|"
    r"券商中国|银柿财经|央视财经|北京商报|[\u4e00-\u9fff]{2,4}(?:日报|晚报|晨报|商报|时报|周刊|杂志))$",
    re.IGNORECASE,
)
# Bare words of market commentary: they say how a story is told, not what it is about.
_COMMENTARY = frozenset({
    "交易员", "大关", "涨幅", "跌幅", "日内跌幅", "日内涨幅", "去年同期", "上年同期", "同比", "环比", "总书记", "现报",
    "收盘", "盘中", "午后", "早盘", "尾盘", "记者", "消息", "报道", "公告显示", "数据显示",
    "在京举行", "全体会议", "新台阶", "迈上新台阶",
    "草案", "议案",  # the bill, not the law it changes (compounds.law_names finds that)
})
_CODE_IN_TAG = re.compile(r"\d")
#: Too broad to browse by in a Chinese news archive.
TOO_BROAD = frozenset({"中国", "我国", "全国", "国内", "国际", "世界", "全球", "中共中央", "党中央", "国务院"})
_MARKET_RULES: tuple[tuple[str, "re.Pattern[str]"], ...] = (
    ("港股", re.compile(r"\d{4,5}\.HK|港股|港美|恒生指数|恒指|港交所|港元|南向资金|港股通", re.IGNORECASE)),
    ("美股", re.compile(r"美股|港美|纳斯达克|纳指|道指|道琼斯|标普500|NYSE|NASDAQ|[A-Z]{1,5}\.(?:US|O|N)\b")),
    # Price limits (涨停, 跌停, 天地板) and ST shares exist on the mainland exchanges only (a
    # stock code alone does not make the market the story: company news is not tagged A股).
    ("A股", re.compile(r"A股|沪指|深成指|深证成指|创业板指|科创50|沪深两市|两市成交|北向资金|涨停|跌停|地天板|天地板|"
                      r"\bST[\u4e00-\u9fff]")),
)
# Cross-border flows an editor files a market story under, when the headline (or first
# sentence) reports them: jieba cuts them (北向/f 资金/n), so they are never candidates.
_FLOW_RULES: tuple[tuple[str, "re.Pattern[str]"], ...] = (
    ("北向资金", re.compile(r"北向资金|北上资金")),
    ("南向资金", re.compile(r"南向资金|南下资金")),
)
_SECTOR_MOVE = re.compile(
    r"(?:板块|概念股|[\u4e00-\u9fff]{1,4}股)(?:午后|盘中|早盘|尾盘|集体|持续|再度|全线|短线|直线|震荡|大幅)*"
    r"(?:拉升|走强|走弱|走低|跳水|异动|大涨|大跌|活跃|爆发|冲高|反弹|下挫|回调|涨幅居前|跌幅居前)"
)
_STOCK_MOVE = re.compile(
    r"(?:涨停|跌停|涨超|跌超|涨幅扩大|跌幅扩大|涨幅达|跌幅达|日内涨|日内跌|股价大涨|股价大跌|直线拉升|快速拉升|跳水|闪崩|"
    r"(?:午后|盘中|早盘|尾盘)(?:涨|跌)(?:超|逾)?\d)"
)


# Tag rules that need the word's statistics (choose_tags): jieba's dictionary frequency and the
# news IDF say a word is common; the part of speech says a phrase opens with a verb.
_VERB_TAGS = frozenset({"v", "vd", "vi", "d", "p", "ad"})
_NAME_TAGS = frozenset({"ns", "nt", "nr", "nrfg", "nrt", "nz", "eng", "j", "un"})
_PERSON_TAGS = frozenset({"nrfg", "nrt"})
_COMMON_FREQ = 2000
_COMMON_IDF = 9.0
_CLAUSE_VERB_FREQ = 500
# One-character words that join words rather than belong to a name (的, 在, 和 ...).
_GLUE_CHARS = frozenset("的地得在和与及或是了对将从为把被等也都而向于由至以之其这那该各每本此今年月日时上下中内外前后里间"
                        "同跟拟达称据让使给就才还又再已曾均约近超逾共仅并但若因所不没未")


# A column label of a headline (【新思想引领新征程】): the series, not the story.
_COLUMN = re.compile(r"【[^】\n]{2,30}】")
# An office (法国总统, 欧盟委员会主席): an editor tags the person or the body, not the title.
_OFFICE_WORD = re.compile(r"总统|总理|首相|主席|国王|秘书长|委员长")
# Parts of speech that can open or continue a name after an office (马克|龙, 冯德|莱恩, 佩|斯科夫).
_NAME_WORD_TAGS = frozenset({"nr", "nrt", "nrfg", "un", "zg"})
_OFFICE = re.compile(r"(?:主席|总统|总理|首相|部长|秘书|书记|委员长|省长|市长|州长|董事长|总经理|总裁|行长|发言人)$")
# A topic compound (compounds.topic_compounds: 生态文明建设, 乡村振兴) gets this much added to
# its logit: the keyword weights were fitted on scientific abstracts, where such process
# phrases are rarely author keywords; in policy news they are the topic an editor files under.
# It replaces, in its place, a piece it carries at least this share of the uses of (乌克兰 of
# 乌克兰危机, 中欧 of 中欧关系).
_TOPIC_BOOST = 1.0
_TOPIC_ABSORB = 0.4



def is_common_word(word: str, word_freq: Any) -> bool:
    """Whether ``word`` is a common word of general Chinese: too broad (中国, 全国) or counted at
    least 2,000 times in ``word_freq`` (jieba's dictionary: 资金, 价格, 日本). Such a word names no
    story on its own and is never the short form of a longer name (中国 of 中国铝业).

    Example:
        >>> is_common_word("中国", {}), is_common_word("铝业", {"铝业": 45}), is_common_word("价格", {"价格": 11762})
        (True, False, True)
    """
    return word in TOO_BROAD or word_freq.get(word, 0) >= _COMMON_FREQ


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
    if len(tag) >= 4 and _OFFICE.search(tag):
        return False  # 法国总统, 欧盟委员会主席: an office, not a tag
    if HAS_CJK.search(tag):
        if _CODE_IN_TAG.search(tag) and not re.fullmatch(r"[\u4e00-\u9fff]*\d+[\u4e00-\u9fff]+|\d+[A-Za-z]", tag):
            return False  # 触宝Q3, USDA12, 碳达峰2030: a code or date glued to a name
        if len(tag) > 10:
            return False
    elif _CODE_IN_TAG.search(tag) and (not re.search(r"[A-Za-z]", tag) or re.fullmatch(r"[A-Za-z]{3,}\d+", tag)):
        return False  # a bare number, or a month glued to a name (USDA12)
    if text and HAS_CJK.search(tag):
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
    北向资金 / 南向资金 when the headline (or first sentence) reports the flow, 板块异动 for a
    sector move, 个股异动 for one stock's move (in the title or first sentence).

    Example:
        >>> market_tags("金斯瑞生物科技(01548.HK)午后涨幅扩大至7.72%。")
        ['港股', '个股异动']
        >>> market_tags("北向资金今日净买入52亿元。")
        ['A股', '北向资金']
    """
    full = (title + "\n" + text) if title else text
    out = [tag for tag, pat in _MARKET_RULES if pat.search(full)]
    head = title or re.split(r"[。！？\n]", text.strip(), maxsplit=1)[0]
    out += [tag for tag, pat in _FLOW_RULES if pat.search(head)]
    if _SECTOR_MOVE.search(head):
        out.append("板块异动")
    elif _STOCK_MOVE.search(head):
        out.append("个股异动")
    return out


# --------------------------------------------------------------------------- an article's tags

def choose_tags(
    article: Any,
    doc: ArticleCandidates,
    keywords: list[Keyword],
    *,
    k: int,
    scorer: Any,
    ranked: Callable[[], list[tuple[float, Candidate]]],
    vocabulary: Any = None,
    entities: Entities | None = None,
) -> list[str]:
    """Choose at most ``k`` editor-style tags of an article from its keywords (the procedure behind
    :meth:`KeywordExtractor.suggest_tags <newsnlp.keywords.extractor.KeywordExtractor.suggest_tags>`).

    Known tags of ``vocabulary`` found in the article come first, ranked by the keyword score;
    then the keywords, with the market tags after the strongest one; then further down the
    ranking; then the article's recurring organisations and places. Every tag passes
    :func:`editor_tag_ok` unless the vocabulary or the entity extractor vouches for it.

    Args:
        article: the :class:`~newsnlp.article.Article`.
        doc: its candidates (:func:`newsnlp.keywords.candidates.analyse`).
        keywords: its keywords, best first.
        k: the most tags to return.
        scorer: the :class:`~newsnlp.keywords.scoring.KeywordScorer` that ranked them (its
            ``score``, ``stopwords`` and ``weights``).
        ranked: returns the article's ranked candidates (called only when the keywords run out).
        vocabulary: a :class:`~newsnlp.keywords.vocabulary.TagVocabulary`, or ``None``.
        entities: the article's entities, or ``None``.

    Returns:
        Normalised tags, best first.
    """
    stopwords = scorer.stopwords
    weights = scorer.weights
    vocab = vocabulary
    keywords = list(keywords)  # the caller's list (Analyzer passes its keywords) stays as it was
    best = keywords[0].score if keywords else 1.0
    floor = best * weights.min_relative_score
    # Tag-only candidates the keyword candidates never join (compounds.py): topic compounds
    # take the place and score of the pieces they carry; the rest of them wait for the fill.
    topics: list[tuple[float, Candidate]] = []
    for c in topic_compounds(doc, stopwords=stopwords, word_freq=scorer.word_freq):
        z = scorer.score(c, doc, bonus=_TOPIC_BOOST)
        for kw in keywords:
            if kw.text != c.text and kw.text in c.text and c.count >= _TOPIC_ABSORB * doc.text.count(kw.text):
                z = max(z, kw.score)
        topics.append((z, c))
    topic_texts = [(c.text, c.count) for z, c in topics if z >= 0.2 * best]
    topic_keys = {c.key for _z, c in topics}
    if topics:
        keywords = [kw for kw in keywords if norm_key(kw.text) not in topic_keys]
        keywords += [Keyword(c.text, z) for z, c in topics if z >= floor]
        keywords.sort(key=lambda kw: -kw.score)
    laws = law_names(doc)

    def law_of(t: str) -> str | None:
        """The law a piece of its bill's title stands for (行政复议 and 复议法修订草案 of
        行政复议法修订草案 → 行政复议法), when the bills carry most of its uses."""
        for c in laws:
            bills = [b for b in c.surfaces if t in b]
            if bills and any(ch in c.text for ch in t) and t not in _COMMENTARY \
                    and sum(doc.text.count(b) for b in bills) >= weights.nest_ratio * doc.text.count(t):
                return c.text
        return None
    class_map = class_names(doc)
    class_words = {v[: len(v) - len(n)] for n, v in class_map.items()}  # 台风: the named storm is the tag

    def in_topic(t: str) -> bool:
        """A piece of a topic compound that carries most of its uses (乌克兰 of 乌克兰危机)."""
        return any(t != s and t in s and cnt >= _TOPIC_ABSORB * doc.text.count(t) for s, cnt in topic_texts)
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
        return any(t in s and cnt >= weights.nest_ratio * n for s, cnt in surfaces)

    body = article.text
    title = article.title or ""
    longer = [c.text for c in doc.cands.values() if len(c.text) >= 3]
    entity_names = set()
    if entities is not None:
        entity_names = {norm_key(normalize_tag(e.name)) for e in tuple(entities.organisations) + tuple(entities.programmes)}
    entity_names |= {c.key for c in laws}  # a law under review is a programme of the story

    word_freq = scorer.word_freq
    market_set = {tag for tag, _pat in _MARKET_RULES + _FLOW_RULES} | {"板块异动", "个股异动"}
    idf = scorer.idf.idf
    word_pos: dict[str, str] = {}

    def pos_of(word: str) -> str:
        if not word_pos:
            word_pos.update((tok[0], tok[3]) for tok in doc.tokens)
        return word_pos.get(word, "")

    by_start: dict[int, tuple[str, int, int, str]] = {}
    by_end: dict[int, str] = {}

    def whole_name(t: str) -> str:
        """The name ``t`` is always cut from (申通 of 申通快递, 斯科夫 of 佩斯科夫), else ``t``."""
        full = doc.text
        at = [m.start() for m in re.finditer(re.escape(t), full)]
        if len(at) < 2 or not HAS_CJK.search(t):
            return t
        after = {full[i + len(t): i + len(t) + 1] for i in at}
        before = {full[i - 1: i] if i > 0 else "" for i in at}
        if len(after) == 1 and HAS_CJK.match(next(iter(after))):
            head = t + next(iter(after))
            ext = [c for c in longer if c.startswith(head) and full.count(c) == len(at)]
            if ext:
                return min(ext, key=len)
        if len(before) == 1 and HAS_CJK.match(next(iter(before))):
            tail = next(iter(before)) + t
            ext = [c for c in longer if c.endswith(tail) and full.count(c) == len(at)]
            if ext:
                return min(ext, key=len)
        if not by_start:
            for tok in doc.tokens:
                by_start[tok[1]] = tok
                by_end[tok[2]] = tok[0]
        if len(t) > 4 or word_freq.get(t, 0) >= 1000:
            return t
        # A one-character word glued to every occurrence of a short word the dictionary hardly
        # knows (佩|斯科夫, 三|羊马) is part of the name.
        lead = {by_end.get(i, "") for i in at}
        if len(lead) == 1 and len(next(iter(lead))) == 1 and HAS_CJK.match(next(iter(lead))) \
                and next(iter(lead)) not in _GLUE_CHARS:
            return next(iter(lead)) + t
        trail = {by_start[i + len(t)][0] if i + len(t) in by_start else "" for i in at}
        if len(trail) == 1 and len(next(iter(trail))) == 1 and HAS_CJK.match(next(iter(trail))) \
                and next(iter(trail)) not in _GLUE_CHARS:
            return t + next(iter(trail))
        return t

    columns = [m.span() for m in _COLUMN.finditer(doc.text[: doc.title_end])]

    def column_only(t: str) -> bool:
        if not columns:
            return False
        at = [m.start() for m in re.finditer(re.escape(t), doc.text)]
        return bool(at) and all(any(a <= i < b for a, b in columns) for i in at)

    def office_holders() -> list[str]:
        """The names that follow, in the body, an office the headline names (法国总统马克龙)."""
        head = doc.text[: doc.title_end]
        offices = {head[m.start() - 2: m.end()] for m in _OFFICE_WORD.finditer(head) if m.start() >= 2}
        if not offices:
            return []
        if not by_start:
            for tok in doc.tokens:
                by_start[tok[1]] = tok
                by_end[tok[2]] = tok[0]
        names: list[str] = []
        for office in offices:
            if not all(HAS_CJK.match(ch) for ch in office[:2]):
                continue
            pos = doc.text.find(office, doc.title_end)
            while pos >= 0:
                name, at = "", pos + len(office)
                while at in by_start and len(name) < 6:
                    word, _s, end, tag = by_start[at]
                    if not HAS_CJK.match(word) or word in _GLUE_CHARS or not (
                            tag in _NAME_WORD_TAGS or (len(word) == 1 and name)):
                        break
                    name, at = name + word, end
                if 2 <= len(name) <= 6 and name not in head and name not in names:
                    names.append(name)
                pos = doc.text.find(office, pos + len(office))
        return names

    def take(tag: str, score: float, matched: tuple[str, ...] = ()) -> None:
        t = normalize_tag(tag)
        if not matched and t:
            # A learned vocabulary's spelling of a keyword (阿里 -> 阿里巴巴) passes every rule a
            # keyword passes: it was a keyword of other posts.
            t = spelled.get(norm_key(t), (t,))[0]
            t = class_map.get(t) or law_of(t) or whole_name(t)  # 巴威 of 台风“巴威” is 台风巴威
        key = norm_key(t)
        if not t or key in seen or key in stopwords or is_feed_label(t):
            return
        cand = doc.cands.get(key)
        # A name the entity model found may be long (浙江省发展和改革委员会).
        named = key in entity_names or (cand is not None and cand.entity in ("org", "programme"))
        if not matched and not named and not editor_tag_ok(t, text=body, title=title, longer=longer):
            return
        if not matched and cand is not None and (cand.entity == "place" or cand.pos.startswith("ns")) and not cand.in_title \
                and cand.count < 3:
            return  # a place the story is not about: not in the headline, hardly mentioned
        if not matched and t in TOO_BROAD:
            return
        if not matched and not named and cand is not None and cand.pos == "mphrase" and len(cand.parts) >= 3:
            return  # a stretch of a sentence (贵州茅台发布年报), not a reusable tag
        if not matched and not named and cand is not None and cand.entity is None:
            if cand.pos == "mphrase" and pos_of(cand.parts[0]) in _VERB_TAGS \
                    and word_freq.get(cand.parts[0], 0) >= _CLAUSE_VERB_FREQ:
                # A common verb and its object (上演地天板, 提前抄底): a clause, not a name; a rarer
                # verb in front of a noun is usually its modifier (帮扶资金, 维权服务).
                return
            if cand.n_words == 1 and cand.pos not in _NAME_TAGS and word_freq.get(t, 0) >= _COMMON_FREQ \
                    and idf(t) < _COMMON_IDF:
                return  # a common word (资金, 股份, 绿色): it names no story an editor files
            if cand.pos in _PERSON_TAGS and not cand.in_title and cand.count < 3:
                return  # a person the story only mentions
        if vocab is not None and vocab.is_feed(t):
            return
        if matched and not named and (cand is None or cand.entity is None) and t not in market_set \
                and (is_common_word(t, word_freq) or not editor_tag_ok(t)):
            return  # a learned vocabulary's tag still passes the editor's rules (美国, 分析师)
        if not matched and (duplicate(t) or in_topic(t) or t in class_words):
            return
        if key in topic_keys and any(t in p and doc.text.count(p) >= weights.nest_ratio * doc.text.count(t)
                                     for _s, p in picked):
            return  # 社会主义现代化 inside 社会主义现代化新疆, already taken
        if not matched and cand is not None and (cand.entity == "place" or cand.pos.startswith("ns")):
            # One place, one tag, in its short form (浙江 beside 浙江省, 新疆 beside 新疆维吾尔自治区).
            if any(t.startswith(p) for _s, p in picked if HAS_CJK.match(p)):
                return
            longer_at = [i for i, (_s, p) in enumerate(picked) if p.startswith(t) and HAS_CJK.match(p)]
            if longer_at:
                seen.discard(norm_key(picked[longer_at[0]][1]))
                seen.add(key)
                picked[longer_at[0]] = (picked[longer_at[0]][0], t)
                return
        if not matched and not named and column_only(t):
            return  # only in a column label of the headline (【新思想引领新征程】)
        seen.add(key)
        picked.append((score, t))
        for s in matched:
            surfaces.append((s, doc.text.count(s)))

    spelled: dict[str, tuple[str, tuple[str, ...]]] = {}  # a keyword's key -> the learned tag that spells it
    if vocab is not None:
        matches = vocab.find(doc.text)
        kw_scores = {norm_key(kw.text): kw.score for kw in keywords}
        found_tags = []
        for tag, (count, first) in matches.items():
            in_title = first < doc.title_end
            key = norm_key(tag)
            score = kw_scores.get(key)
            if score is None:
                c = Candidate(tag, key, count=count, first=first, in_title=in_title,
                              in_lead=doc.title_end <= first < doc.lead_end, parts=(tag,))
                score = scorer.score(c, doc)
            found_tags.append((score, first, tag))
        found_tags.sort(key=lambda r: (-r[0], r[1], r[2]))
        for score, _first, tag in found_tags:
            info = vocab.tags.get(tag)
            found = tuple(s for s in [tag] + list(info.aliases if info else ()) if s in doc.text) or (tag,)
            if info is not None and info.learned:
                # A tag learned from the archive's keywords names the spelling, not the topic: it
                # stands in for the keyword it spells (阿里 -> 阿里巴巴) and competes with the
                # keywords at their own cut-off (first, it put a weak tag above a better keyword).
                if score >= floor:
                    for s in found:
                        spelled.setdefault(norm_key(s), (tag, found))
                    if not any(norm_key(s) in kw_scores for s in found):
                        keywords.append(Keyword(tag, score))
                continue
            if len(picked) < k and score >= floor * 0.5:
                take(tag, score, found)
        keywords.sort(key=lambda kw: -kw.score)
    # The market / story-kind tags go after the strongest keyword: an editor files a
    # flash under its company first, then under 港股 or 个股异动; so do the people the
    # headline names by their office (法国总统 -> 马克龙).
    market = market_tags(body, title) + office_holders()
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
        fill = list(ranked())
        if topics:
            fill = sorted(fill + [(z, c) for z, c in topics if z < floor], key=lambda sc: (-sc[0], sc[1].first, sc[1].text))
        for score, c in fill:
            if len(picked) >= k or score < 0.2 * best:
                break
            take(c.text, score)
    # Laws named inside their bill's title (compounds.law_names), in the order the text names them.
    for c in sorted(laws, key=lambda c: c.first):
        if len(picked) >= k:
            break
        take(c.text, 0.0)
    if entities is not None and len(picked) < k:
        for e in tuple(entities.organisations) + tuple(entities.places):
            if len(picked) >= k:
                break
            if len(e.mentions) >= 2:
                take(e.name, 0.0)
    return [t for _s, t in picked[:k]]
