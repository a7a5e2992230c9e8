"""Entities of a news article: an NER model's spans plus news-aware rules.

The model (``newsnlp.ner_model.NERTagger``, or a transformers token-classification model
through ``newsnlp.ner_transformers``) finds PERSON, ORG, TITLE and LOC spans. Cheap regular
expressions on top of it

* add organisations the model missed when a place or a level prefix anchors them
  (``宁波市总工会``, ``市发改委``, ``中共浙江省委``);
* find programmes: ``《》`` documents, quoted names with their head noun
  (“十件实事”项目 -> ``十件实事项目``), quoted schemes (“工惠保”) and a few unquoted forms;
* link officials to their title(s) and organisation, in both orders and with compound
  titles (``宁波市人大常委会副主任、市总工会主席李谦``, ``浙江省委袁家军书记``,
  ``汤建民（市发改委主任）``);
* resolve short forms of organisations to the full name the article uses
  (``市总工会`` -> ``宁波市总工会``, ``省发改委`` -> ``浙江省发展和改革委员会``,
  ``恒川股份`` -> ``宁波恒川汽车零部件股份有限公司``).

Every offset indexes ``article.text``. The rule tables (:data:`TITLE_LEXICON`,
:data:`ORG_SUFFIXES`, :data:`PROGRAMME_HEADS`, ...) are plain module-level tuples; pass
your own to :class:`EntityExtractor` to change them. docs/entities.md describes the rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Protocol, Sequence

from .article import Article, as_article
from .types import Entities, Entity, Mention, Official, Span

__all__ = [
    "EntityExtractor",
    "TITLE_LEXICON",
    "ORG_SUFFIXES",
    "PROGRAMME_HEADS",
    "SCHEME_CUES",
    "entity_labels",
    "score_entity_labels",
]


# ---------------------------------------------------------------------------
# Rule tables (documented in docs/entities.md)

#: Titles an official can hold. ``副X`` and ``常务副X`` are added for the entries in
#: :data:`_DEPUTY_TITLES`; matching prefers the longest title.
TITLE_LEXICON: tuple[str, ...] = (
    # party and state
    "总书记", "书记", "党组书记", "党委书记", "党工委书记", "党组成员", "党委委员", "常委", "委员",
    "主任", "主席", "主任委员", "秘书长", "市长", "省长", "县长", "区长", "州长", "镇长", "乡长", "村主任",
    "总理", "部长", "司长", "厅长", "局长", "处长", "科长", "署长", "主任科员", "巡视员", "调研员",
    "一级巡视员", "二级巡视员", "督察长", "新闻发言人", "发言人", "大使", "领事",
    # courts and procuratorates
    "院长", "庭长", "法官", "审判员", "检察长", "检察官",
    # companies and finance
    "董事长", "董事", "独立董事", "监事长", "监事会主席", "总经理", "总裁", "首席执行官", "首席财务官",
    "首席技术官", "首席运营官", "首席经济学家", "首席分析师", "首席策略师", "首席投资官", "分析师",
    "董事会秘书", "董秘", "财务总监", "总监", "总会计师", "总工程师", "行长", "创始人", "合伙人",
    "CEO", "CFO", "COO", "CTO",
    # universities, institutes, associations
    "校长", "所长", "研究员", "教授", "讲师", "博导", "会长", "理事长", "执行会长",
)
_DEPUTY_TITLES = (
    "书记", "党组书记", "党委书记", "主任", "主席", "秘书长", "市长", "省长", "县长", "区长", "州长",
    "镇长", "乡长", "总理", "部长", "司长", "厅长", "局长", "处长", "科长", "署长", "院长", "庭长",
    "检察长", "董事长", "总经理", "总裁", "行长", "校长", "所长", "研究员", "教授", "会长", "理事长",
    "总监",
)

#: Endings of organisation names (longest tried first). ``ORG_SHORT_SUFFIXES`` is the subset
#: a level prefix (``市``/``省``/``县``/``区``) may carry in a short form such as ``市发改委``.
ORG_SUFFIXES: tuple[str, ...] = (
    "人大常委会", "人民代表大会常务委员会", "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会",
    "工会联合会", "总工会", "工会", "联合会", "协会", "商会", "学会", "基金会", "促进会",
    "局", "厅", "委", "署", "政协",
    "人民法院", "法院", "检察院", "仲裁院", "仲裁委", "研究院", "科学院", "设计院", "医院",
    "大学", "学院", "学校", "研究所", "研究中心", "中心", "交易所",
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "公司", "集团", "银行", "分行",
)
ORG_SHORT_SUFFIXES: tuple[str, ...] = (
    "人大常委会", "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "总工会", "工会联合会",
    "局", "厅", "委", "政协", "人民法院", "法院", "检察院", "仲裁院", "中心",
)
#: Endings a company's short name may have (``恒川股份``, ``东曜证券``) when it precedes a title.
COMPANY_SHORT_SUFFIXES: tuple[str, ...] = ("股份", "集团", "控股", "科技", "证券", "银行", "基金", "保险")
#: Sub-units that extend an organisation name: ``中国人民银行浙江省分行``, ``宁波大学商学院``.
ORG_SUBUNITS: tuple[str, ...] = (
    "办公厅", "办公室", "学院", "研究院", "研究所", "研究中心", "分行", "支行", "分公司", "分院",
)

#: Head nouns that make a quoted name a programme: “金蓝领”培育计划 -> 金蓝领培育计划.
PROGRAMME_HEADS: tuple[str, ...] = (
    "专项行动", "行动计划", "行动方案", "实施方案", "行动", "工程", "计划", "项目", "活动", "示范区",
    "先行区", "试验区", "工作法", "平台", "制度", "竞赛", "大赛", "比赛", "论坛", "品牌", "驿站",
    "基金", "热线", "小程序", "系列活动", "服务季", "专项", "示范村", "示范点", "改革",
)
#: Endings that make a quoted name a scheme or product on its own: “工惠保”, “鲁担惠农贷”.
SCHEME_CUES: tuple[str, ...] = (
    "保", "贷", "券", "卡", "驿站", "工程", "行动", "计划", "活动", "平台", "论坛", "大赛", "竞赛",
    "项目", "基金", "专项行动", "工作法",
)
#: Unquoted programme forms: a year followed by an event name, and company schemes.
_UNQUOTED_PROGRAMME = re.compile(
    r"(?:19|20)\d{2}年?[\u4e00-\u9fff]{2,10}?(?:论坛|博览会|峰会|交易会|进博会|马拉松|运动会)"
    r"|(?:员工持股|股权激励|限制性股票激励|股票期权激励)计划"
)
#: 《》 titles ending like these are newspapers or journals, not documents.
_PRESS_ENDINGS = ("报", "刊", "杂志", "周刊", "网", "新闻", "联播")

_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
# Cities whose names are not two characters, or that the two-character rule would miss.
_LONG_PLACES = (
    "连云港", "石家庄", "哈尔滨", "呼和浩特", "乌鲁木齐", "齐齐哈尔", "牡丹江", "张家口", "秦皇岛",
    "张家界", "景德镇", "平顶山", "驻马店", "马鞍山", "攀枝花", "葫芦岛", "佳木斯", "鄂尔多斯",
    "克拉玛依", "日喀则", "西双版纳", "青白江", "嘉峪关", "防城港", "六盘水", "满洲里",
)
_NATIONAL = ("中华全国", "中国", "国家", "全国", "中共中央", "中央", "国务院")
# Characters that cannot be part of a generic two-character place before 市/县/区/省.
_NOT_PLACE = set("全本该各我两每此这那前后上下内外城超股门都夜集菜地的了在是和与及等到从向对将把被让为已也都就还又")

_CJK = r"\u4e00-\u9fff"
# Characters that end an organisation body or a title chain when outside a mention.
_BODY_STOP = set("的了在是对向将把被让从为与及或等也都已还要就于以并但而且又个这那其每些本我你他她它着过给到说称据由")
_CHAIN_STOP = set("的了在是对向将把被让从为与及和等也都已还要就于以并但而又这那其我你他她它着过给到说称据由经即请邀同")
_LEVEL_CHARS = "省市县区"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _title_words(lexicon: Iterable[str]) -> list[str]:
    words = set(lexicon)
    for base in _DEPUTY_TITLES:
        if base in words:
            words.update({"副" + base, "常务副" + base, "执行副" + base})
    return sorted(words, key=len, reverse=True)


# ---------------------------------------------------------------------------
# The tagger interface


class Tagger(Protocol):
    """What :class:`EntityExtractor` needs from an NER back-end."""

    def predict(self, texts: Sequence[str], batch_size: int = 64) -> list[list[Any]]:  # pragma: no cover
        ...


@dataclass(frozen=True)
class _Cand:
    """A candidate mention before overlaps are resolved."""

    start: int
    end: int
    label: str
    subtype: str | None
    source: str  # "model" or "rule"
    name: str | None = None  # canonical name (programmes)


class EntityExtractor:
    """Find organisations, officials, programmes, persons and places in an article.

    Args:
        tagger: an object with ``predict(texts) -> list[list[NERSpan]]`` (the shipped
            :class:`~newsnlp.ner_model.NERTagger`, a
            :class:`~newsnlp.ner_transformers.TransformersNER`, or your own).
        segmenter: kept for API symmetry with the other stages; the rules are regular
            expressions and do not segment.
        title_lexicon: titles an official can hold (default :data:`TITLE_LEXICON`).
        programme_heads: head nouns that make a quoted name a programme (default
            :data:`PROGRAMME_HEADS`).
        scheme_cues: endings that make a quoted name a scheme on its own (default
            :data:`SCHEME_CUES`).

    Example:
        >>> extractor = EntityExtractor.load()
        >>> e = extractor("宁波市人大常委会副主任、市总工会主席李谦出席会议。")
        >>> (e.officials[0].name, e.officials[0].organisation)
        ('李谦', '宁波市总工会')
    """

    def __init__(
        self,
        tagger: Tagger,
        *,
        segmenter: Any = None,
        title_lexicon: Iterable[str] = TITLE_LEXICON,
        programme_heads: Iterable[str] = PROGRAMME_HEADS,
        scheme_cues: Iterable[str] = SCHEME_CUES,
    ) -> None:
        if not hasattr(tagger, "predict"):
            raise TypeError(
                f"tagger must have a predict(texts) method returning NER spans, got {type(tagger).__name__}; "
                "use EntityExtractor.load() for the shipped model"
            )
        self.tagger = tagger
        self.segmenter = segmenter
        self.title_words = _title_words(title_lexicon)
        self.programme_heads = tuple(programme_heads)
        self.scheme_cues = tuple(scheme_cues)
        self._compile()

    @classmethod
    def load(
        cls,
        model: str | None = None,
        *,
        segmenter: Any = None,
        device: str = "auto",
        local_files_only: bool = True,
    ) -> "EntityExtractor":
        """Build an extractor on the shipped NER model or a transformers model, offline.

        Args:
            model: ``None`` for the shipped model (``models/ner``); a directory holding a
                newsnlp NER model (``config.json`` + ``vocab.json`` + ``model.pt``); or a local
                directory / hub id of a transformers token-classification model.
            segmenter: passed on to the extractor (see the class docs).
            device: for transformers models: ``"auto"``, ``"cpu"``, ``"cuda:0"`` ...
            local_files_only: for transformers models: never download (default).

        Returns:
            The extractor; the model is loaded now.

        Raises:
            ModelNotFoundError: the model is not available offline.

        Example:
            >>> EntityExtractor.load()("浙江省委袁家军书记调研。").officials[0].title
            '书记'
        """
        from pathlib import Path

        from .ner_model import CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE, NERTagger

        if model is None:
            tagger: Any = NERTagger.load()
        elif all((Path(model) / f).is_file() for f in (CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE)):
            tagger = NERTagger.load(model)
        else:
            from .ner_transformers import TransformersNER

            tagger = TransformersNER(model, device=device, local_files_only=local_files_only)
        return cls(tagger, segmenter=segmenter)

    # ------------------------------------------------------------------ regexes
    def _compile(self) -> None:
        cjk = _CJK
        titles = _alternation(self.title_words)
        # 委员/常委 must not be read inside 委员会/常委会.
        self._title_re = re.compile(rf"(?:{titles})(?!会)")
        self._title_end_re = re.compile(rf"(?:{titles})$")
        body_char = f"[{cjk}A-Za-z]"
        body_stop = "".join(sorted(_BODY_STOP))
        body = f"(?:(?![{body_stop}]){body_char})"
        places = _alternation(_PROVINCES + _LONG_PLACES)
        suffixes = _alternation(ORG_SUFFIXES)
        subunits = _alternation(ORG_SUBUNITS)
        short_suffixes = _alternation(ORG_SHORT_SUFFIXES)
        national = _alternation(_NATIONAL)
        generic_place = f"[{cjk}]{{2}}[市县区]"
        place = (
            rf"(?:中共)?(?:(?:{places})(?:省|市|自治区|特别行政区)?|{generic_place}|(?:{national}))"
            rf"(?:[{cjk}]{{2,3}}?[市县区州])?"
        )
        self._org_full_re = re.compile(
            rf"(?P<org>{place}{body}{{0,14}}?(?:{suffixes})(?:{body}{{0,8}}?(?:{subunits}))?)"
        )
        self._org_short_re = re.compile(rf"(?P<org>[{_LEVEL_CHARS}]{body}{{0,10}}?(?:{short_suffixes}))")
        self._org_suffix_end_re = re.compile(rf"(?:{suffixes}|{_alternation(COMPANY_SHORT_SUFFIXES)})")
        heads = _alternation(self.programme_heads)
        cues = _alternation(self.scheme_cues)
        self._quote_head_re = re.compile(rf"“(?P<q>[^“”\n]{{1,24}})”(?P<mid>{body}{{0,8}}?)(?P<head>{heads})")
        self._quote_re = re.compile(r"“(?P<q>[^“”\n]{1,24})”")
        self._cue_end_re = re.compile(rf"(?:{cues})$")
        self._book_re = re.compile(r"《(?P<q>[^《》\n]{2,80})》")

    # ------------------------------------------------------------------ public call
    def __call__(self, article: Any) -> Entities:
        """Return the entities of one article.

        Args:
            article: an :class:`~newsnlp.article.Article` or article text.

        Returns:
            :class:`~newsnlp.types.Entities`; offsets index ``article.text``.

        Raises:
            TypeError: ``article`` is neither text nor an Article.

        Example:
            >>> e = EntityExtractor.load()("汤建民（市发改委主任）接受采访。")
            >>> e.officials[0].title
            '市发改委主任'
        """
        article = article if isinstance(article, Article) else as_article(article)
        text = article.text
        if not text.strip():
            return Entities()
        spans = self.tagger.predict([text])[0]
        return self.from_spans(text, spans)

    def from_spans(self, text: str, spans: Iterable[Any]) -> Entities:
        """Apply the rules to model spans already computed for ``text``.

        Args:
            text: the article text the spans index.
            spans: objects with ``start``, ``end``, ``label`` and ``subtype`` (NERSpan).

        Returns:
            :class:`~newsnlp.types.Entities` for ``text``.

        Example:
            >>> EntityExtractor(tagger).from_spans("市总工会召开会议。", []).organisations[0].name
            '市总工会'
        """
        cands = self._model_candidates(text, spans)
        cands += self._programme_candidates(text)
        cands += self._org_candidates(text)
        cands += self._title_candidates(text)
        mentions = _resolve_overlaps(cands)
        return _Builder(self, text, mentions).build()

    # ------------------------------------------------------------------ candidates
    def _model_candidates(self, text: str, spans: Iterable[Any]) -> list[_Cand]:
        out: list[_Cand] = []
        for s in spans:
            start, end, label = int(s.start), int(s.end), str(s.label)
            if not (0 <= start < end <= len(text)) or label not in ("PERSON", "ORG", "TITLE", "LOC"):
                continue
            start, end = _trim(text, start, end)
            if start >= end:
                continue
            subtype = getattr(s, "subtype", None)
            if label == "TITLE":
                # A model title often carries its organisation ("市总工会主席"): split it.
                out.extend(self._split_title(text, start, end))
                continue
            if label == "PERSON" and end - start < 2:
                continue
            out.append(_Cand(start, end, label, subtype, "model"))
        return out

    def _split_title(self, text: str, start: int, end: int) -> list[_Cand]:
        surface = text[start:end]
        m = self._title_end_re.search(surface)
        if m is None or m.start() == 0:
            return [_Cand(start, end, "TITLE", None, "model")]
        org_end = _last_org_suffix_end(self._org_suffix_end_re, surface[: m.start()])
        if org_end < 2:
            return [_Cand(start, end, "TITLE", None, "model")]
        org = surface[:org_end]
        return [
            _Cand(start, start + org_end, "ORG", _org_subtype(org), "rule"),
            _Cand(start + org_end, end, "TITLE", None, "model"),
        ]

    def _title_candidates(self, text: str) -> list[_Cand]:
        return [_Cand(m.start(), m.end(), "TITLE", None, "rule") for m in self._title_re.finditer(text)]

    def _org_candidates(self, text: str) -> list[_Cand]:
        out: list[_Cand] = []
        for m in self._org_full_re.finditer(text):
            start, end = m.span("org")
            if end - start >= 4 and _plausible_place_start(text, start):
                out.append(_Cand(start, end, "ORG", _org_subtype(text[start:end]), "rule"))
        for m in self._org_short_re.finditer(text):
            start, end = m.span("org")
            prev = text[start - 1] if start else ""
            # 全市/本市/上市公司/各地市 are not short forms of an organisation.
            if prev and prev in "全本该各我两每上超城都地门股夜":
                continue
            if end - start >= 2:
                out.append(_Cand(start, end, "ORG", _org_subtype(text[start:end]), "rule"))
        return out

    def _programme_candidates(self, text: str) -> list[_Cand]:
        out: list[_Cand] = []
        for m in self._book_re.finditer(text):
            inner = m.group("q")
            if inner.endswith(_PRESS_ENDINGS):
                continue
            out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", _strip_quotes(inner)))
        cores: dict[str, str] = {}
        for m in self._quote_head_re.finditer(text):
            q, mid, head = m.group("q"), m.group("mid"), m.group("head")
            if not _is_name_like(q):
                continue
            name = _strip_quotes(q) + mid + head
            cores.setdefault(q, name)
            out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", name))
        for m in self._quote_re.finditer(text):
            q = m.group("q")
            if not _is_name_like(q):
                continue
            if q in cores:  # “送清凉” after “送清凉”活动: another mention of it
                out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", cores[q]))
            elif len(q) >= 3 and self._cue_end_re.search(q):
                out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", q))
        for m in _UNQUOTED_PROGRAMME.finditer(text):
            out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", m.group(0)))
        return out


# ---------------------------------------------------------------------------
# Helpers


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n\u3000":
        start += 1
    while end > start and text[end - 1] in " \t\n\u3000":
        end -= 1
    return start, end


def _strip_quotes(s: str) -> str:
    return re.sub(r"[“”‘’「」《》\"]", "", s)


def _is_name_like(q: str) -> bool:
    """A quoted name has no sentence punctuation and is not a quoted sentence."""
    return not re.search(r"[，,。！？!?；;：:、…]", q) and len(q) <= 20


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _plausible_place_start(text: str, start: int) -> bool:
    """Reject generic two-character 'places' such as 全市/目前全市 picked up by the regex."""
    head = text[start : start + 2]
    return not any(c in _NOT_PLACE for c in head)


def _last_org_suffix_end(pattern: re.Pattern, s: str) -> int:
    end = 0
    for m in pattern.finditer(s):
        end = m.end()
    return end


_GOV_ENDINGS = ("人大常委会", "人民政府", "政府", "办公厅", "委员会", "常委会", "局", "厅", "委", "署", "政协",
                "法院", "检察院", "仲裁院", "办公室")
_COMPANY_ENDINGS = ("公司", "集团", "银行", "分行", "支行", "证券", "股份", "控股", "基金", "保险")


def _org_subtype(name: str) -> str:
    if name.endswith(_COMPANY_ENDINGS):
        return "company"
    if name.endswith(_GOV_ENDINGS):
        return "gov"
    return "organisation"


_PRIORITY = {"PROGRAMME": 0, "PERSON": 1, "ORG": 2, "TITLE": 3, "LOC": 4}


def _resolve_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Keep a non-overlapping set: programmes first, then persons, then the longest span.

    A rule-found organisation that contains a model span replaces it (the model often
    tags ``宁波市`` as a place inside ``宁波市总工会``).
    """

    def key(c: _Cand):
        length = c.end - c.start
        if c.label in ("PROGRAMME", "PERSON"):
            return (_PRIORITY[c.label], -length, c.start)
        # Titles lose ties to organisations so 人大常委会 is not read as 常委.
        return (2, -length, _PRIORITY[c.label], 0 if c.source == "model" else 1, c.start)

    taken: list[_Cand] = []
    occupied = bytearray(max((c.end for c in cands), default=0))
    for c in sorted(cands, key=key):
        if any(occupied[c.start : c.end]):
            continue
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        taken.append(c)
    taken.sort(key=lambda c: (c.start, c.end))
    return taken


# ---------------------------------------------------------------------------
# Organisation names: short forms -> full names


def _level_split(name: str) -> tuple[str, str] | None:
    """Split a short form ``市发改委`` into (``市``, ``发改委``)."""
    if len(name) >= 2 and name[0] in _LEVEL_CHARS:
        return name[0], name[1:]
    return None


def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(c in it for c in short)


def _suffix_compatible(short: str, full: str) -> bool:
    if short[-1] == full[-1]:
        return True
    # 发改委 ~ 发展和改革委员会, 卫健委 ~ 卫生健康委员会
    return short.endswith("委") and full.endswith("委员会")


def _abbreviates(short_body: str, full_body: str) -> bool:
    if not short_body or not full_body or len(short_body) > len(full_body):
        return False
    if short_body == full_body:
        return True
    return short_body[0] == full_body[0] and _suffix_compatible(short_body, full_body) and _is_subsequence(
        short_body, full_body
    )


def _place_prefix(name: str, level: str) -> str | None:
    """``宁波市总工会`` with level ``市`` -> ``宁波市``; None when the name has no such prefix."""
    stripped = name[2:] if name.startswith("中共") else name
    i = stripped.find(level)
    if 2 <= i <= 4:
        return stripped[: i + 1]
    return None


def _company_core(name: str) -> str:
    core = name
    for suffix in ("股份", "集团", "控股", "公司"):
        if core.endswith(suffix) and len(core) - len(suffix) >= 2:
            core = core[: -len(suffix)]
    return core


def short_form_of(short: str, full: str) -> bool:
    """True when ``short`` is a short form of the organisation ``full``.

    Level-prefixed forms (``市发改委``) must abbreviate the part of ``full`` after its place
    (``宁波市|发展和改革委员会``): same first character, same ending, characters in order.
    Company short names (``恒川股份``) must appear in a full company name. A name ending an
    organisation that is at least four characters long is a short form of any longer name
    ending with it (``行业工会联合会``).

    Args:
        short: the name as written.
        full: a longer organisation name from the same article.

    Returns:
        Whether ``short`` may stand for ``full``.

    Example:
        >>> short_form_of("省发改委", "浙江省发展和改革委员会")
        True
    """
    if short == full or len(short) >= len(full):
        return False
    split = _level_split(short)
    if split is not None:
        level, body = split
        prefix = _place_prefix(full, level)
        if prefix is None:
            return False
        return _abbreviates(body, full[full.index(prefix) + len(prefix) :])
    if full.endswith(("公司", "集团")):
        core = _company_core(short)
        if len(core) >= 2 and core in full and core != short or (len(core) >= 2 and full.startswith(short)):
            return True
        return False
    return len(short) >= 4 and full.endswith(short)


def _company_preference(short: str, full: str) -> int:
    if short.endswith("股份") and "股份" in full:
        return 0
    if short.endswith("集团") and "集团" in full:
        return 0
    return 1


# ---------------------------------------------------------------------------
# Building the result


class _Builder:
    """Turns resolved mentions into Entities for one text."""

    def __init__(self, extractor: EntityExtractor, text: str, cands: list[_Cand]):
        self.x = extractor
        self.text = text
        self.cands = cands
        self.by_start = {c.start: c for c in cands}
        self.by_end = {c.end: c for c in cands}
        self.org_names: list[str] = []  # distinct ORG surfaces in order of first mention
        for c in cands:
            if c.label == "ORG":
                name = text[c.start : c.end]
                if name not in self.org_names:
                    self.org_names.append(name)
        self.canonical = self._canonical_orgs()

    # -------------------------------------------------------------- organisations
    def _dominant_place(self, level: str) -> str | None:
        counts: Counter[str] = Counter()
        for name in self.org_names:
            if _level_split(name) is None:
                p = _place_prefix(name, level)
                if p:
                    counts[p] += 1
        for c in self.cands:
            if c.label == "LOC":
                s = self.text[c.start : c.end]
                if s.endswith(level) and 3 <= len(s) <= 5:
                    counts[s] += 1
        if not counts:
            return None
        (best, n), *rest = counts.most_common(2) + [("", 0)]
        return best if not rest or rest[0][1] < n else None

    def _canonical_orgs(self) -> dict[str, str]:
        canonical: dict[str, str] = {}
        counts = Counter(self.text[c.start : c.end] for c in self.cands if c.label == "ORG")
        for name in self.org_names:
            fulls = [f for f in self.org_names if f != name and short_form_of(name, f)]
            # A full name may itself be a short form of a longer one: follow to the end.
            fulls = [f for f in fulls if not any(short_form_of(f, g) for g in self.org_names)] or fulls
            if fulls:
                fulls.sort(key=lambda f: (_company_preference(name, f), -counts[f], self.org_names.index(f)))
                canonical[name] = fulls[0]
            else:
                canonical[name] = name
        return canonical

    def resolve_org(self, name: str, place_hint: str | None = None) -> str:
        """Full name of an organisation mention; level short forms are completed with a place."""
        full = self.canonical.get(name)
        if full is None:
            fulls = [f for f in self.org_names if short_form_of(name, f)]
            full = fulls[0] if fulls else name
        if full != name:
            return full
        split = _level_split(name)
        if split is None:
            return name
        level = split[0]
        place = None
        if place_hint:
            place = _place_prefix(place_hint, level)
            if place is None and level == "市" and place_hint.endswith("市"):
                place = place_hint
        place = place or self._dominant_place(level)
        return place + name[1:] if place else name

    # -------------------------------------------------------------- officials
    def _title_end_at(self, pos: int, lo: int) -> int | None:
        """Start of a title ending exactly at ``pos`` (not before ``lo``)."""
        c = self.by_end.get(pos)
        if c is not None and c.label == "TITLE" and c.start >= lo:
            return c.start
        return None

    def _chain_left(self, end: int) -> tuple[int, list[tuple[int, int, int | None]]] | None:
        """Parse ``[org][title]、[org][title]`` ending at ``end``.

        Returns the chain start and, per segment, (segment start, title start, org end or None).
        """
        text = self.text
        # The run: mentions are atomic; it stops at punctuation, stop characters, persons.
        j = end
        limit = max(0, end - 48)
        while j > limit:
            c = self.by_end.get(j)
            if c is not None and c.label in ("ORG", "TITLE", "LOC"):
                j = c.start
                continue
            if c is not None:  # a person or a programme
                break
            ch = text[j - 1]
            if ch == "、" or ((_is_cjk(ch) or ch.isalnum()) and ch not in _CHAIN_STOP):
                j -= 1
                continue
            break
        run_start = j
        # Split the run at 、 outside mentions.
        bounds: list[tuple[int, int]] = []
        seg_start = k = run_start
        while k < end:
            c = self.by_start.get(k)
            if c is not None and c.label in ("ORG", "TITLE", "LOC") and c.end <= end:
                k = c.end
                continue
            if text[k] == "、":
                bounds.append((seg_start, k))
                seg_start = k + 1
            k += 1
        bounds.append((seg_start, end))
        segments: list[tuple[int, int, int | None]] = []
        for a, b in reversed(bounds):
            title_start = self._title_end_at(b, a)
            if title_start is None:
                break
            org_end = self._org_end_in(a, title_start)
            if org_end is None and title_start > a:
                # Something before the title that is not an organisation: the chain starts at the title.
                segments.append((title_start, title_start, None))
                break
            segments.append((a, title_start, org_end))
        if not segments:
            return None
        segments.reverse()
        return segments[0][0], segments

    def _org_end_in(self, start: int, stop: int) -> int | None:
        """End of the last organisation in text[start:stop] that starts at ``start``."""
        if stop <= start:
            return None
        c = self.by_start.get(start)
        best = None
        if c is not None and c.label == "ORG" and c.end <= stop:
            best = c.end
            # A department after the organisation (法律工作部) stays in the title only.
            return best
        # An organisation the model and rules missed, ended by an org suffix: 东曜证券, 行业工会联合会.
        seg = self.text[start:stop]
        if any(not (_is_cjk(ch) or ch.isalnum()) for ch in seg):
            return None
        end = _last_org_suffix_end(self.x._org_suffix_end_re, seg)
        if end >= 3:
            return start + end
        return None

    def officials(self, persons: list[_Cand]) -> tuple[list[Official], list[_Cand]]:
        text = self.text
        found: dict[str, dict[str, Any]] = {}
        extra: list[_Cand] = []  # organisations found only inside titles

        def add(name: str, title: str, org: str | None, priority: int) -> None:
            cur = found.get(name)
            if cur is None or (cur["org"] is None and org is not None) or priority < cur["priority"]:
                found[name] = {"title": title, "org": org, "priority": priority}

        for p in persons:
            name = text[p.start : p.end]
            # 1. titles before the name: 宁波市人大常委会副主任、市总工会主席李谦
            chain = self._chain_left(p.start)
            if chain is not None:
                chain_start, segments = chain
                org = self._chain_org(segments, extra)
                add(name, text[chain_start : p.start], org, 0)
                continue
            # 2. in brackets after the name: 汤建民（市发改委主任）
            if p.end < len(text) and text[p.end] in "（(":
                close = -1
                for k in range(p.end + 1, min(len(text), p.end + 40)):
                    if text[k] in "）)":
                        close = k
                        break
                if close > p.end + 1:
                    chain = self._chain_left(close)
                    if chain is not None and chain[0] == p.end + 1:
                        org = self._chain_org(chain[1], extra)
                        add(name, text[p.end + 1 : close], org, 0)
                        continue
            # 3. organisation before, title after: 浙江省委袁家军书记
            after = self.by_start.get(p.end)
            if after is not None and after.label == "TITLE":
                before = self.by_end.get(p.start)
                org = None
                if before is not None and before.label == "ORG":
                    org = self.resolve_org(text[before.start : before.end])
                add(name, text[after.start : after.end], org, 0 if org else 1)
        officials = [
            Official(name, v["title"], v["org"]) for name, v in found.items()
        ]
        return officials, extra

    def _chain_org(self, segments: list[tuple[int, int, int | None]], extra: list[_Cand]) -> str | None:
        text = self.text
        first_org = None
        last_org = None
        for seg_start, _title_start, org_end in segments:
            if org_end is None:
                continue
            name = text[seg_start:org_end]
            c = self.by_start.get(seg_start)
            if c is None or c.label != "ORG" or c.end != org_end:
                extra.append(_Cand(seg_start, org_end, "ORG", _org_subtype(name), "rule"))
                if name not in self.org_names:
                    self.org_names.append(name)
                    self.canonical[name] = self.resolve_org(name)
            if first_org is None:
                first_org = name
            last_org = name
        if last_org is None:
            return None
        hint = None
        if first_org is not None and first_org != last_org:
            hint = first_org
        return self.resolve_org(last_org, hint)

    # -------------------------------------------------------------- assemble
    def build(self) -> Entities:
        text = self.text
        persons = [c for c in self.cands if c.label == "PERSON"]
        officials, extra = self.officials(persons)
        if extra:
            kept = [c for c in self.cands if not any(c.start < e.end and e.start < c.end for e in extra)]
        else:
            kept = self.cands
        cands = sorted(kept + extra, key=lambda c: (c.start, c.end))

        mentions = tuple(Mention(text[c.start : c.end], c.label, c.start, c.end, c.subtype) for c in cands)

        def group(label: str, name_of) -> list[tuple[str, list[Span], list[str | None]]]:
            groups: dict[str, tuple[list[Span], list[str | None]]] = {}
            for c in cands:
                if c.label != label:
                    continue
                surface = text[c.start : c.end]
                name = name_of(c, surface)
                spans, subtypes = groups.setdefault(name, ([], []))
                spans.append(Span(surface, c.start, c.end))
                subtypes.append(c.subtype)
            return [(n, s, t) for n, (s, t) in groups.items()]

        def org_name(c: _Cand, surface: str) -> str:
            return self.resolve_org(surface)

        organisations = []
        for name, spans, subtypes in group("ORG", org_name):
            known = [t for t in subtypes if t]
            subtype = Counter(known).most_common(1)[0][0] if known else _org_subtype(name)
            organisations.append(Entity(name, tuple(spans), subtype))
        programmes = [Entity(n, tuple(s)) for n, s, _ in group("PROGRAMME", lambda c, s: c.name or _strip_quotes(s))]
        person_groups = group("PERSON", lambda c, s: s)
        persons_out = [Entity(n, tuple(s)) for n, s, _ in person_groups]
        places = [Entity(n, tuple(s)) for n, s, _ in group("LOC", lambda c, s: s)]
        spans_by_person = {n: tuple(s) for n, s, _ in person_groups}
        officials_out = [
            Official(o.name, o.title, o.organisation, spans_by_person.get(o.name, ())) for o in officials
        ]
        officials_out.sort(key=lambda o: o.mentions[0].start if o.mentions else 0)
        return Entities(
            organisations=tuple(organisations),
            officials=tuple(officials_out),
            programmes=tuple(programmes),
            persons=tuple(persons_out),
            places=tuple(places),
            mentions=mentions,
        )


# ---------------------------------------------------------------------------
# Comparing with labelled articles (benchmarks/data/labels.jsonl)


def entity_labels(entities: Entities) -> dict[str, list]:
    """Return entities in the shape of the sample corpus labels.

    Args:
        entities: what :class:`EntityExtractor` returned.

    Returns:
        ``{"organisations": [name, ...], "officials": [{"name", "title", "organisation"}, ...],
        "programmes": [...], "persons": [...], "places": [...]}``.

    Example:
        >>> entity_labels(extract_entities("市总工会主席李谦讲话。"))["officials"][0]["name"]
        '李谦'
    """
    return {
        "organisations": [e.name for e in entities.organisations],
        "officials": [
            {"name": o.name, "title": o.title, "organisation": o.organisation} for o in entities.officials
        ],
        "programmes": [e.name for e in entities.programmes],
        "persons": [e.name for e in entities.persons],
        "places": [e.name for e in entities.places],
    }


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1), "f1": round(100 * f, 1),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def score_entity_labels(preds: Sequence[dict], golds: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Micro precision / recall / F1 of predicted against gold labels, exact match per article.

    Lists are compared as sets per article. Officials are scored three ways: ``officials``
    (name only), ``officials_org`` (name and organisation) and ``officials_full`` (name,
    title and organisation).

    Args:
        preds: one :func:`entity_labels` dict per article.
        golds: the matching labels (same order; missing keys count as empty).

    Returns:
        ``{field: {"precision", "recall", "f1", "tp", "pred", "gold"}}`` in percent.

    Raises:
        ValueError: the two sequences differ in length.

    Example:
        >>> score_entity_labels([{"programmes": ["工惠保"]}], [{"programmes": ["工惠保"]}])["programmes"]["f1"]
        100.0
    """
    if len(preds) != len(golds):
        raise ValueError(f"got {len(preds)} predictions for {len(golds)} gold articles; pass one per article")
    keys = {
        "organisations": lambda d: {x for x in d.get("organisations") or []},
        "programmes": lambda d: {x for x in d.get("programmes") or []},
        "persons": lambda d: {x for x in d.get("persons") or []},
        "places": lambda d: {x for x in d.get("places") or []},
        "officials": lambda d: {o["name"] for o in d.get("officials") or []},
        "officials_org": lambda d: {(o["name"], o.get("organisation")) for o in d.get("officials") or []},
        "officials_full": lambda d: {
            (o["name"], o.get("title"), o.get("organisation")) for o in d.get("officials") or []
        },
    }
    out = {}
    for field, get in keys.items():
        tp = n_pred = n_gold = 0
        for p, g in zip(preds, golds):
            ps, gs = get(p), get(g)
            tp += len(ps & gs)
            n_pred += len(ps)
            n_gold += len(gs)
        out[field] = _prf(tp, n_pred, n_gold)
    return out
