"""Entities of a news article: an NER model's spans plus news-aware rules.

The model (``newsnlp.entities.backends.bilstm_crf.NERTagger``, or a transformers token-classification model
through ``newsnlp.entities.backends.transformer_tagger``) finds PERSON, ORG, TITLE and LOC spans. Cheap regular
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

from ..article import Article, as_article
from ..types import Entities, Entity, Mention, Official, Span

__all__ = [
    "EntityExtractor",
    "TITLE_LEXICON",
    "ORG_SUFFIXES",
    "PROGRAMME_HEADS",
    "SCHEME_CUES",
    "COMPANY_TITLES",
    "entity_labels",
    "score_entity_labels",
    "short_form_of",
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
    "董事长", "董事", "独立董事", "监事长", "监事会主席", "董事会主席", "总经理", "总裁", "首席执行官", "首席财务官",
    "首席技术官", "首席运营官", "首席经济学家", "首席分析师", "首席策略师", "首席投资官", "分析师",
    "董事会秘书", "董秘", "财务总监", "总监", "总会计师", "总工程师", "行长", "创始人", "合伙人",
    "CEO", "CFO", "COO", "CTO",
    # universities, institutes, associations
    "校长", "所长", "研究员", "教授", "讲师", "博导", "会长", "理事长", "执行会长", "组长", "经理",
    "控股股东", "实际控制人", "专职委员",
    # heads of state and government, parliaments, diplomats (foreign leaders and ambassadors)
    # (国王, 女王, 总领事, 特命全权大使 are left out: CLUENER's position spans disagree with them)
    "国家主席", "国家副主席", "总统", "副总统", "首相", "王储", "埃米尔", "元首", "总督",
    "委员长", "议长", "参议员", "众议员", "外长", "外交部长", "特使", "新闻秘书", "领导人",
    "政治局常委", "政治局委员", "书记处书记", "执行主席", "常务主席", "政委", "司令员",
    "总干事", "首席代表",
    # executives and experts with an institutional title
    "法定代表人", "首席科学家", "首席风险官", "首席信息官", "首席战略官", "首席宏观经济学家", "首席研究员",
    "主任医师", "副主任医师", "主治医师", "首席专家", "院士",
)
_DEPUTY_TITLES = (
    "书记", "党组书记", "党委书记", "主任", "主席", "秘书长", "市长", "省长", "县长", "区长", "州长",
    "镇长", "乡长", "总理", "部长", "司长", "厅长", "局长", "处长", "科长", "署长", "院长", "庭长",
    "检察长", "董事长", "总经理", "总裁", "行长", "校长", "所长", "研究员", "教授", "会长", "理事长",
    "总监", "组长", "主任委员", "委员长", "议长", "总统", "司令员", "政委", "总干事",
)

#: Endings of organisation names (longest tried first). ``ORG_SHORT_SUFFIXES`` is the subset
#: a level prefix (``市``/``省``/``县``/``区``) may carry in a short form such as ``市发改委``.
ORG_SUFFIXES: tuple[str, ...] = (
    "人大常委会", "人民代表大会常务委员会", "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "领导小组",
    "工会联合会", "总工会", "工会", "联合会", "协会", "商会", "学会", "基金会", "促进会",
    "局", "厅", "委", "总署", "信息署", "管理署", "统计署", "政协",
    "人民法院", "法院", "检察院", "仲裁院", "仲裁委", "研究院", "科学院", "设计院", "医院",
    "大学", "学院", "学校", "研究所", "研究中心", "中心", "交易所",
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "公司", "集团", "银行", "分行",
)
ORG_SHORT_SUFFIXES: tuple[str, ...] = (
    "人大常委会", "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "总工会", "工会联合会",
    "局", "厅", "委", "政协", "人民法院", "法院", "检察院", "仲裁院", "中心", "领导小组",
)
#: Endings a company's short name may have (``恒川股份``, ``东曜证券``) when it precedes a title.
COMPANY_SHORT_SUFFIXES: tuple[str, ...] = ("股份", "集团", "控股", "科技", "证券", "银行", "基金", "保险")
#: Sub-units that extend an organisation name: ``中国人民银行浙江省分行``, ``宁波大学商学院``.
ORG_SUBUNITS: tuple[str, ...] = (
    "办公厅", "办公室", "学院", "研究院", "研究所", "研究中心", "分行", "支行", "分院", "监管局", "分局",
)

#: Head nouns that make a quoted name a programme: “金蓝领”培育计划 -> 金蓝领培育计划.
PROGRAMME_HEADS: tuple[str, ...] = (
    "规划建议", "规划纲要", "规划", "倡议", "战略", "攻坚战", "负面清单", "专项行动", "行动计划", "行动方案", "实施方案", "行动", "工程", "计划", "项目", "活动", "示范区",
    "工作法", "平台", "制度", "竞赛", "大赛", "专项", "改革", "场景", "APP", "App",
)
#: Endings that make a quoted name a scheme or product on its own: “工惠保”, “鲁担惠农贷”.
#: Generic heads (工程, 行动) are left out on purpose: “头号工程” is a figure of speech.
SCHEME_CUES: tuple[str, ...] = ("保", "贷", "券", "驿站", "宝", "险")
#: Unquoted programme form: phased projects (引江济淮二期工程).
_UNQUOTED_PROGRAMME = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,14}?[一二三四五六七八九十]期(?:工程|项目))"
)
# A name does not hold these: 珠海成立一合资公司, 长沙各大快递公司.
_BODY_VERBS = re.compile(r"各|成立|设立|组建|代表|宣布|举行|召开|发布|表示|认为")
_PROJECT_VERBS = re.compile(r"建设|提出|推进|实施|启动|开工|完成|参与|包括|开展|加快|推动|承建|投资|新建")
#: Endings of the 《》 titles that are programmes: policy documents, plans and regulations
#: (a year range in brackets at the end is ignored). Books, films and newspapers are not.
DOCUMENT_HEADS: tuple[str, ...] = (
    "办法", "规定", "条例", "意见", "通知", "方案", "规划", "计划", "措施", "决定", "纲要", "细则", "指引",
    "指南", "清单", "法", "准则", "标准", "目录", "公告", "通告", "决议", "协议", "规则", "章程", "制度",
    "政策", "战略", "工程", "行动", "倡议", "公约", "要点", "任务", "举措", "条款", "批复", "函", "白皮书", "蓝皮书",
    "协定", "条约", "宪章", "法典", "公报", "声明", "工作报告", "解释", "建议",
)

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
# Prefecture-level cities that company names carry without 市 (宁波恒川…, 杭州云岫…).
_CITIES = (
    "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌",
    "南京", "苏州", "无锡", "常州", "徐州", "南通", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁", "昆山",
    "合肥", "芜湖", "蚌埠", "淮南", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安", "亳州", "宣城", "铜陵",
    "福州", "厦门", "泉州", "漳州", "莆田", "三明", "南平", "龙岩", "宁德",
    "广州", "深圳", "珠海", "汕头", "佛山", "东莞", "中山", "惠州", "江门", "湛江", "茂名", "肇庆", "清远",
    "青岛", "济南", "烟台", "潍坊", "淄博", "临沂", "济宁", "威海", "日照", "泰安", "德州", "聊城", "滨州",
    "菏泽", "枣庄", "东营", "寿光",
    "武汉", "宜昌", "襄阳", "十堰", "荆州", "黄石", "孝感", "长沙", "株洲", "湘潭", "岳阳", "衡阳", "常德",
    "郑州", "洛阳", "开封", "新乡", "南阳", "许昌", "安阳",
    "成都", "绵阳", "宜宾", "泸州", "德阳", "南充", "乐山", "自贡",
    "昆明", "贵阳", "遵义", "南宁", "桂林", "柳州", "海口", "三亚", "西安", "宝鸡", "咸阳", "兰州", "西宁",
    "银川", "拉萨", "包头", "太原", "大同", "晋中", "长治", "唐山", "保定", "邯郸", "廊坊", "沧州",
    "沈阳", "大连", "鞍山", "长春", "南昌", "九江", "赣州", "上饶", "贵安", "雄安", "浦东", "滨海",
)
_NATIONAL = (
    "中华全国", "中国", "国家", "全国", "中共中央", "中央", "国务院",
    "美国", "英国", "法国", "德国", "日本", "韩国", "俄罗斯", "欧盟", "欧洲", "国际",
)
# Characters that cannot be part of a generic two-character place before 市/县/区/省.
_NOT_PLACE = set("全本该各我两每此这那前后上下内外城超股门都夜集菜地的了在是和与及等到从向对将把被让为已也都就还又今明去年月日时会同近")

_CJK = r"\u4e00-\u9fff"
# Characters that end an organisation body or a title chain when outside a mention.
_BODY_STOP = set("的了在是对向将把被让从为与及或等也都已还要就于以并但而且又个这那其每些本我你他她它着过给到说称由仍")
_CHAIN_STOP = set("的了在是对向将把被让从为等也都已还要就于以并但而又这那其我你他她它着过给到说称据由经即请邀同")
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
            :class:`~newsnlp.entities.backends.bilstm_crf.NERTagger`, a
            :class:`~newsnlp.entities.backends.transformer_tagger.TransformersNER`, or your own).
        segmenter: kept for API symmetry with the other stages; the rules are regular
            expressions and do not segment.
        title_lexicon: titles an official can hold (default :data:`TITLE_LEXICON`).
        programme_heads: head nouns that make a quoted name a programme (default
            :data:`PROGRAMME_HEADS`).
        scheme_cues: endings that make a quoted name a scheme on its own (default
            :data:`SCHEME_CUES`).
        gazetteer: a :class:`~newsnlp.entities.gazetteer.Gazetteer` of company names (``None``: only
            the stock-code and ``*ST`` patterns, no name list; :meth:`load` passes the
            shipped one).
        entity_lexicon: an archive lexicon (:class:`~newsnlp.entities.lexicon.EntityLexicon` or the
            path of one written by ``newsnlp entities learn``): its names are matched in every
            text like gazetteer names.
        place_head: ``"news"`` (default): places from the same model pass as everything else;
            ``"msra"``: places from the model's MSRA head (People's Daily LOC convention, a
            second model pass: about twice the entity time). docs/entities.md compares them.

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
        gazetteer: Any = None,
        entity_lexicon: Any = None,
        place_head: str = "news",
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
        if gazetteer is None:
            from .gazetteer import Gazetteer

            gazetteer = Gazetteer([])
        elif not hasattr(gazetteer, "find"):
            raise TypeError(
                f"gazetteer must be a newsnlp.entities.gazetteer.Gazetteer, got {type(gazetteer).__name__}; "
                "load one with Gazetteer.load(path) or pass None"
            )
        if place_head != "news" and place_head not in getattr(tagger, "domains", []):
            raise ValueError(
                f"place_head {place_head!r} is not a head of this model (heads: "
                f"{', '.join(getattr(tagger, 'domains', [])) or 'none'}); use 'news' or one of those"
            )
        self.place_head = place_head
        from .lexicon import as_lexicon

        self.entity_lexicon = as_lexicon(entity_lexicon)
        if self.entity_lexicon is not None and len(self.entity_lexicon):
            from .gazetteer import Gazetteer

            gazetteer = Gazetteer(list(gazetteer.entries.values()) + self.entity_lexicon.gazetteer_entries())
        self.gazetteer = gazetteer
        self._compile()

    @classmethod
    def load(
        cls,
        model: str | None = None,
        *,
        segmenter: Any = None,
        device: str = "auto",
        local_files_only: bool = True,
        gazetteer: Any = "shipped",
        entity_lexicon: Any = None,
        place_head: str = "news",
    ) -> "EntityExtractor":
        """Build an extractor on the shipped NER model or a transformers model, offline.

        Args:
            model: ``None`` for the shipped model (``models/ner``); a directory holding a
                newsnlp NER model (``config.json`` + ``vocab.json`` + ``model.pt``); or a local
                directory / hub id of a transformers token-classification model.
            segmenter: passed on to the extractor (see the class docs).
            device: for transformers models: ``"auto"``, ``"cpu"``, ``"cuda:0"`` ...
            local_files_only: for transformers models: never download (default).
            gazetteer: ``"shipped"`` for ``models/gazetteer``, a folder / ``companies.tsv``
                path, a :class:`~newsnlp.entities.gazetteer.Gazetteer`, or ``None`` for none.
            entity_lexicon: an archive lexicon or its path (see the class docs).
            place_head: which head of the model gives the places (see the class docs).

        Returns:
            The extractor; the model is loaded now.

        Raises:
            ModelNotFoundError: the model is not available offline.

        Example:
            >>> EntityExtractor.load()("浙江省委袁家军书记调研。").officials[0].title
            '书记'
        """
        from pathlib import Path

        from .backends.bilstm_crf import CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE, NERTagger

        if model is None:
            tagger: Any = NERTagger.load()
        elif all((Path(model) / f).is_file() for f in (CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE)):
            tagger = NERTagger.load(model)
        else:
            from .backends.transformer_tagger import TransformersNER

            tagger = TransformersNER(model, device=device, local_files_only=local_files_only)
        from .gazetteer import Gazetteer, default_gazetteer

        if isinstance(gazetteer, str) and gazetteer == "shipped":
            gazetteer = default_gazetteer()
        elif isinstance(gazetteer, (str, Path)):
            gazetteer = Gazetteer.load(gazetteer)
        return cls(tagger, segmenter=segmenter, gazetteer=gazetteer, entity_lexicon=entity_lexicon, place_head=place_head)

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
        places = _alternation(_PROVINCES + _LONG_PLACES + _CITIES)
        suffixes = _alternation(ORG_SUFFIXES)
        subunits = _alternation(ORG_SUBUNITS)
        short_suffixes = _alternation(ORG_SHORT_SUFFIXES)
        national = _alternation(_NATIONAL)
        place = (
            rf"(?:中共)?(?:(?:{places})(?:省|市|自治区|特别行政区)?|(?P<gen>[{cjk}]{{2}})[市县区]|(?:{national}))"
            rf"(?:[{cjk}]{{2,3}}?[市县区州])?"
        )
        self._org_full_re = re.compile(
            rf"(?P<org>(?P<place>{place})(?P<body>{body}{{0,14}}?)(?P<suffix>{suffixes})(?:有限责任公司|股份有限公司|有限公司)?"
            rf"(?:{body}{{0,8}}?(?:{subunits}))?)"
        )
        self._alias_re = re.compile(
            r"[（(](?:[^（()）]{0,24}?[，,；;])?(?:以下)?简称[“\"]?(?P<alias>[^“”\"（()）,，、]{2,12})[”\"]?[）)，,]"
        )
        self._org_short_re = re.compile(rf"(?P<org>[{_LEVEL_CHARS}]{body}{{0,10}}?(?:{short_suffixes}))")
        self._org_suffix_end_re = re.compile(rf"(?:{suffixes}|{_alternation(COMPANY_SHORT_SUFFIXES)})")
        # Before a title, a bare 公司 is not a name ending (公司控股股东…).
        free = [x for x in ORG_SUFFIXES if x not in ("公司",)] + list(COMPANY_SHORT_SUFFIXES)
        self._free_org_suffix_re = re.compile(rf"(?:{_alternation(free)})")
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
        spans = self._predict([text])[0]
        return self.from_spans(text, spans)

    def extract_many(self, articles: Iterable[Any]) -> list[Entities]:
        """Return the entities of many articles, running the model over all of them at once.

        The same result as ``[extractor(a) for a in articles]``, faster: the network reads
        the windows of every article in shared batches.

        Args:
            articles: :class:`~newsnlp.article.Article` objects or article texts.

        Returns:
            One :class:`~newsnlp.types.Entities` per article, in order.

        Raises:
            TypeError: an item is neither text nor an Article.

        Example:
            >>> found = EntityExtractor.load().extract_many(["宁波市总工会主席李谦出席会议。", "浙江省发展改革委召开会议。", ""])
            >>> [[o.name for o in e.organisations] for e in found]
            [['宁波市总工会'], ['浙江省发展改革委'], []]
        """
        texts = [(a if isinstance(a, Article) else as_article(a)).text for a in articles]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        out = [Entities() for _ in texts]
        if todo:
            for i, spans in zip(todo, self._predict([texts[i] for i in todo])):
                out[i] = self.from_spans(texts[i], spans)
        return out

    def _predict(self, texts: list[str]) -> list[list[Any]]:
        """The model's spans; with ``place_head="msra"`` the places come from the MSRA head."""
        spans = self.tagger.predict(texts)
        if self.place_head == "news":
            return spans
        places = self.tagger.predict(texts, domain=self.place_head)
        out = []
        for own, other in zip(spans, places):
            merged = [s for s in own if str(s.label) != "LOC"] + [s for s in other if str(s.label) == "LOC"]
            out.append(sorted(merged, key=lambda s: (int(s.start), int(s.end))))
        return out

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
        cands = self._gazetteer_candidates(text, cands)
        cands += [_Cand(m.start(), m.end(), "ORG", _org_subtype(m.group()) if m.group() != "联合国" else "organisation", "rule")
                  for m in _KNOWN_BODIES.finditer(text)]
        cands += self._programme_candidates(text)
        cands += self._org_candidates(text, cands)
        aliases = self._aliases(text, cands)
        for alias in aliases:
            for m in re.finditer(re.escape(alias), text):
                cands.append(_Cand(m.start(), m.end(), "ORG", _org_subtype(aliases[alias]), "rule"))
        cands += self._title_candidates(text)
        leaders = self._foreign_leader_candidates(text)
        if leaders:
            spans_of = {(c.start, c.end) for c in leaders}
            # A country the model read as a person (厄立特里亚总统…) is a place.
            cands = [c for c in cands if not (c.label == "PERSON" and any(a <= c.start < b for a, b in spans_of))]
            cands += leaders
        cands += _listed_names(text, cands)
        mentions = _resolve_overlaps(cands)
        mentions = [_strip_session(text, _strip_channel(text, c)) for c in mentions]
        mentions = [c for c in mentions if not (c.label == "ORG" and _not_an_organisation(text[c.start : c.end]))]
        # Source and media attributions (（中证网）, 央视网消息, 据上海证券报报道) stay mentions but are
        # not the article's organisations (newsdev GUIDELINES; MSRA and CLUENER tag them as ORG spans).
        attributions = {c.start for c in mentions if c.label == "ORG" and _is_attribution(text, c.start, c.end)}
        # A "person" the model also reads as a place or organisation elsewhere (嘉兴) is not one.
        other = {text[c.start : c.end] for c in mentions if c.label in ("LOC", "ORG")}
        mentions = [c for c in mentions if c.label != "PERSON" or text[c.start : c.end] not in other]
        return _Builder(self, text, mentions, aliases, attributions).build()

    def _aliases(self, text: str, cands: list[_Cand]) -> dict[str, str]:
        """``X公司（以下简称“X”）``: the declared short name of an organisation."""
        ends: dict[int, _Cand] = {}
        for c in cands:
            if c.label == "ORG" and (c.end not in ends or c.end - c.start > ends[c.end].end - ends[c.end].start):
                ends[c.end] = c
        aliases: dict[str, str] = {}
        for m in self._alias_re.finditer(text):
            org = ends.get(m.start())
            if org is not None:
                aliases.setdefault(m.group("alias"), text[org.start : org.end])
        return aliases

    # ------------------------------------------------------------------ candidates
    def _gazetteer_candidates(self, text: str, cands: list[_Cand]) -> list[_Cand]:
        """Company names of the gazetteer and the stock-code patterns (``中国石化（600028）``).

        A model span running over a stock code is cut before it, and a model "person" inside
        a company name found here (韵达 in 韵达股份) is dropped.
        """
        from .gazetteer import STOCK_CODE

        found = self.gazetteer.find(text)
        codes = [m.span() for m in STOCK_CODE.finditer(text)]
        out: list[_Cand] = []
        for c in cands:
            if c.label in ("ORG", "PERSON", "LOC"):
                cut = next((a for a, b in codes if c.start < a < c.end), None)
                if cut is not None:
                    if cut - c.start < 2:
                        continue
                    c = _Cand(c.start, cut, c.label, c.subtype, c.source)
                if c.label == "PERSON" and any(m.start <= c.start and c.end <= m.end for m in found):
                    continue
            out.append(c)
        for m in found:
            out.append(_Cand(m.start, m.end, "ORG", "company", "gazetteer"))
        return out

    def _model_candidates(self, text: str, spans: Iterable[Any]) -> list[_Cand]:
        spans = list(spans)
        cands = _join_latin_names(text, self._model_candidates_raw(text, spans))
        # An organisation written once as 某配送服务公司 stays unnamed when repeated without 某.
        unnamed = set()
        for sp in spans:
            if str(sp.label) == "ORG" and 0 <= int(sp.start) < int(sp.end) <= len(text):
                surface = text[int(sp.start) : int(sp.end)]
                bare = surface.lstrip("某")
                if bare != surface or _anonymised_before(text, int(sp.start)) or "某" + bare in text:
                    unnamed.add(bare)
        orgs = [text[c.start : c.end] for c in cands if c.label == "ORG" and text[c.start : c.end] not in unnamed]
        out = []
        for c in cands:
            surface = text[c.start : c.end]
            if c.label == "ORG" and (surface in unnamed or text[c.end : c.end + 1] == "某"):
                continue  # 中铁某局: the model read only the part before 某
            # A "person" inside an organisation name of the article (金禾 in 内蒙古金禾乳业…) is not one.
            if c.label == "PERSON" and any(surface in o and surface != o for o in orgs):
                continue
            out.append(c)
        taken = [(c.start, c.end) for c in out if c.label == "PERSON"]
        for m in _ANONYMISED_PERSON.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(_Cand(m.start(), m.end(), "PERSON", None, "rule"))
        return out

    def _model_candidates_raw(self, text: str, spans: Iterable[Any]) -> list[_Cand]:
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
            start, end = _cut_at_punctuation(text, start, end)
            if end - start < 1 or (label == "PERSON" and not _plausible_name(text[start:end])):
                continue
            if label == "ORG":
                if _ZONE_END.search(text, start, end):  # 嘉兴经济技术开发区 is a place
                    out.append(_Cand(start, end, "LOC", None, "model"))
                    continue
                start = self._strip_verb(text, start, end)
                person = self._swallowed_person(text, start, end)
                if person is not None:  # 浙江省委袁家军 + 书记
                    out.append(_Cand(person, end, "PERSON", None, "rule"))
                    end = person
                parts = self._clean_model_org(text, start, end)
                if parts is None:
                    continue
                if len(parts) > 1 or parts[0] != (start, end):
                    out.extend(_Cand(a, b, "ORG", subtype, "model") for a, b in parts)
                    continue
                # An organisation span that swallowed the title after it (宁波市总工会主席).
                m = self._title_end_re.search(text, start, end)
                if m is not None and m.start() - start >= 2:
                    prefix = text[start : m.start()]
                    if _last_org_suffix_end(self._org_suffix_end_re, prefix) == len(prefix):
                        out.append(_Cand(start, m.start(), "ORG", subtype, "model"))
                        out.append(_Cand(m.start(), end, "TITLE", None, "model"))
                        continue
            out.append(_Cand(start, end, label, subtype, "model"))
        return out

    def _strip_verb(self, text: str, start: int, end: int) -> int:
        """联合市财政局 -> 市财政局: a verb the model read as part of the name."""
        m = _VERB_PREFIX.match(text, start, end)
        if m is not None and end - m.end() >= 3:
            rest = text[m.end() : end]
            if rest[0] in _LEVEL_CHARS or self._org_full_re.match(rest):
                return m.end()
        return start

    def _swallowed_person(self, text: str, start: int, end: int) -> int | None:
        """Start of a 2–3 character name at the end of an ORG span when a title follows it."""
        if _last_org_suffix_end(self._org_suffix_end_re, text[start:end]) == end - start:
            return None  # the span ends like an organisation (…委员会): no name inside
        for size in (2, 3):
            cut = end - size
            if cut - start < 3 or not all(_is_cjk(c) for c in text[cut:end]):
                continue
            head, tail = text[start:cut], text[cut:end]
            # Only after a party or government body (省委袁家军书记), never an organ (董事会主席).
            if (
                head.endswith(("委", "政府", "常委会", "政协"))
                and not self._org_suffix_end_re.search(tail)
                and self._title_re.match(text, end)
            ):
                return cut
        return None

    def _clean_model_org(self, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        """Repair a model organisation span; None drops it.

        Generic references (法院, 董事会, 监管部门, 某…公司) are dropped; internal organs and
        trailing sectors are cut off (云岫科技董事会 -> 云岫科技, 华屹证券汽车行业 -> 华屹证券);
        coordinated names are split (…行业工会与行业协会).
        """
        name = text[start:end]
        if _generic_org(name) or _bare_place_court(name) or _anonymised_before(text, start):
            return None
        organ = _INTERNAL_ORGAN.search(name)
        if organ is not None:
            parent = _last_org_suffix_end(self._free_org_suffix_re, name[: organ.start()])
            # The parent organisation, or nothing when the organ's owner is not named.
            return [(start, start + parent)] if parent >= 2 else None
        m = _SECTOR_TAIL.search(name)
        if m is not None:
            cut = _last_org_suffix_end(self._free_org_suffix_re, name[: m.start()])
            if cut >= 3:
                return [(start, start + cut)]
        for m in re.finditer("[与及和]|会同|联合|携手", name):
            left = name[: m.start()]
            if len(left) >= 3 and len(name) - m.end() >= 2 and _last_org_suffix_end(self._org_suffix_end_re, left) == len(left):
                parts = [(start, start + m.start())]
                if not _generic_org(name[m.end() :]):
                    parts.append((start + m.end(), end))
                return parts
        return [(start, end)]

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
        out = []
        for m in self._title_re.finditer(text):
            out.append(_Cand(m.start(), m.end(), "TITLE", None, "rule"))
            # 自治区党委 + 书记: when 党委书记 overlaps the organisation, 书记 alone is the title.
            inner = self._title_end_re.search(text, m.start() + 1, m.end())
            if inner is not None and inner.start() > m.start():
                out.append(_Cand(inner.start(), m.end(), "TITLE", None, "rule"))
        return out

    def _foreign_leader_candidates(self, text: str) -> list[_Cand]:
        """法国总统马克龙, 英国首相斯塔默: a country, a head-of-state title, then the name."""
        out = []
        for m in _FOREIGN_LEADER.finditer(text):
            out.append(_Cand(m.start("country"), m.end("country"), "LOC", None, "rule"))
            out.append(_Cand(m.start("name"), m.end("name"), "PERSON", None, "rule"))
        return out

    def _org_candidates(self, text: str, model: list[_Cand]) -> list[_Cand]:
        out: list[_Cand] = []
        model_starts = {c.start for c in model if c.label in ("LOC", "ORG")}
        for m in self._org_full_re.finditer(text):
            start, end = m.span("org")
            if text[end - 1] == "委" and text[end : end + 1] == "会" and text[end + 1 : end + 2] != "议":
                end += 1  # 国际奥委会, not 国际奥委 + 会
            name = text[start:end]
            if end - start < 4 or _generic_org(name) or _bare_place_court(name):
                continue
            body = m.group("body")
            # 中国公司 / 全国性商业银行 / 国家和政府 are descriptions; 中国移动董事长…和苹果公司
            # runs across a title, so it is two things, not one name.
            if not body and m.group("suffix") in ("公司", "企业", "集团", "大学") and (
                m.group("suffix") != "大学" or m.group("place") in _NATIONAL
            ):
                continue
            if body[:1] in ("性", "和", "与", "及") or _BODY_VERBS.search(body):
                continue
            if self._title_re.search(text, start, end):
                continue
            # A two-character 'place' the gazetteer does not know (嘉善县) must start a model
            # span: 今年市…, 联合市…, 依托市… are not places.
            if m.group("gen") is not None and not (_plausible_place_start(text, start) and start in model_starts):
                continue
            out.append(_Cand(start, end, "ORG", _org_subtype(text[start:end]), "rule"))
        for m in self._org_short_re.finditer(text):
            start, end = m.span("org")
            prev = text[start - 1] if start else ""
            # 全市/上市公司/社区/园区 are not short forms: the level character must start a
            # phrase (after punctuation, a function word or a time word).
            if prev and (_is_cjk(prev) or prev.isalnum()) and prev not in _CHAIN_STOP and prev not in "年月日后前时间与和及":
                continue
            # 区域, 市场, 市民, 县域 … are words, not a level prefix.
            if end - start > 1 and text[start + 1] in "域场民级内外镇辖属直":
                continue
            if end - start >= 2:
                out.append(_Cand(start, end, "ORG", _org_subtype(text[start:end]), "rule"))
        return out

    def _programme_candidates(self, text: str) -> list[_Cand]:
        out: list[_Cand] = []
        for m in self._book_re.finditer(text):
            inner = m.group("q")
            # Policy documents only: books, films, songs and articles are not programmes.
            head = re.sub(r"[（(][^（()）]*[）)]$", "", inner)
            if len(head) < 4 or not head.endswith(DOCUMENT_HEADS):
                continue
            # (A draft's status in brackets stays in the name, as docs/labelling.md has it; newsdev's
            # labels drop it: …指导意见 for 《…指导意见(征求意见稿)》.)
            out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", _strip_quotes(inner)))
        # Unquoted notices and opinions: 根据省能源局关于做好2022年电力市场年度交易工作的通知.
        for m in _UNQUOTED_NOTICE.finditer(text):
            if not any(c.start <= m.start() < c.end for c in out):
                out.append(_Cand(m.start(), m.end(), "PROGRAMME", None, "rule", m.group()))
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
            start, end = m.span("name")
            # The name starts after the last function word or punctuation before it.
            k = end - 4
            while k > start and text[k - 1] not in _CHAIN_STOP:
                k -= 1
            verbs = list(_PROJECT_VERBS.finditer(text, k, end - 4))
            if verbs:
                k = verbs[-1].end()
            start = k
            # 6号线一期工程 is a numbered stretch of a facility, not a named project.
            if end - start < 6 or (start > 0 and text[start - 1].isalnum() and not _is_cjk(text[start - 1])):
                continue
            out.append(_Cand(start, end, "PROGRAMME", None, "rule", text[start:end]))
        out += _policy_programmes(text)
        return out


# Unquoted policy names (issue 13): laws under review (渔业法修订草案 -> 渔业法) and named
# initiatives, strategies, campaigns and negative lists (全球发展倡议, 乡村振兴战略, 脱贫攻坚战,
# 乡村建设行动, 外资准入负面清单). The name starts after the last function word, verb or
# punctuation before its head, and must say more than a generic word before the head.
_LAW_UNDER_REVIEW = re.compile(r"(?P<name>[\u4e00-\u9fff]{1,16}?法)(?=(?:修订|修正)?草案|修正案)")
_POLICY_HEAD = re.compile(r"(?:倡议|战略|攻坚战|负面清单|规划建议|规划纲要)(?![\u4e00-\u9fff]{0,1}(?:部署|对接|合作|目标|性|上|中|下))|(?:提升|培育|攻坚|建设|专项|振兴|整治)行动")
_POLICY_NAME_STOP = re.compile(
    r"关于|审议|提请|实施|推进|推动|落实|开展|加快|启动|提出|共建|参与|支持|加强|深化|全面|坚持|通过|贯彻|围绕|对接|发起|"
    r"响应|落地|打赢|打好|深入|纳入|进一步|作|愿|持续|保持|增进|赢得|构建|融入|根据|按照|依据|依照|版|和|与|及"
)
_LAW_STOP = set("的了和、及")
_UNQUOTED_NOTICE = re.compile(
    r"关于(?:做好|促进|加强|推进|进一步|加快|开展|支持|推动|完善|深化|规范|实施|印发)[^，。；：！？、\n《》“”]{4,40}?的"
    r"(?:通知|指导意见|实施意见|若干意见|意见|决定|办法|规定)"
)
# Characters that end a policy name's run to the left (lighter than _CHAIN_STOP: 由, 对 and 经
# occur inside names such as 自由贸易试验区, 对外贸易法).
_POLICY_STOP = set("的了是在将把被让从为等也都已还要就于以并但而又这那其我你他她它着过给到说称据即请、和与及")
_GENERIC_POLICY_BODY = re.compile(r"^(?:发展|国家|重大|重要|各项|这一|该|此|一系列|新|总体|长期|中长期|相关|有关|我国|中国|全球性|地区|区域)$")
#: Well-known laws and named initiatives that news writes bare or only in quotes.
KNOWN_PROGRAMMES: tuple[str, ...] = ("宪法", "民法典", "一带一路")


def _policy_start(text: str, head_start: int, limit: int, stops: set[str] = _CHAIN_STOP) -> int | None:
    """Start of the name before ``head_start``; None when no boundary is found within ``limit``."""
    k = head_start
    while k > limit and text[k - 1] not in stops and (_is_cjk(text[k - 1]) or text[k - 1].isdigit()):
        k -= 1
    verbs = list(_POLICY_NAME_STOP.finditer(text, k, head_start))
    if verbs:
        return verbs[-1].end()
    if k == limit and k > 0 and (_is_cjk(text[k - 1]) or text[k - 1].isdigit()):
        return None  # ran out of room: the name's start is unknown
    return k


def _policy_programmes(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _LAW_UNDER_REVIEW.finditer(text):
        end = m.end("name")
        start = _policy_start(text, end - 1, max(0, end - 17), _LAW_STOP)
        if start is not None and end - start >= 3:
            out.append(_Cand(start, end, "PROGRAMME", None, "rule", text[start:end]))
    for m in _POLICY_HEAD.finditer(text):
        start = _policy_start(text, m.start(), max(0, m.start() - 14), _POLICY_STOP)
        if start is None:
            continue
        body = text[start : m.start()]
        # 战略 is the noisiest head (发展战略, 五大战略): it needs a longer, specific body.
        shortest = 4 if m.group().startswith("战略") else 2
        if len(body) < shortest or _GENERIC_POLICY_BODY.match(body) or not all(_is_cjk(c) for c in body):
            continue
        if re.search(r"[多几两三四五六七八九十]大$|^[多几两三四五六七八九十]项|高水平|重点", body):
            continue
        out.append(_Cand(start, m.end(), "PROGRAMME", None, "rule", text[start : m.end()]))
    for name in KNOWN_PROGRAMMES:
        # 宪法委员会 / 宪法和法律委员会 / 宪法法律委 are bodies, not the constitution.
        for m in re.finditer(re.escape(name) + r"(?!委|和法律|法律委)", text):
            a, b = m.span()
            if text[a - 1 : a] == "“" and text[b : b + 1] == "”":
                a, b = a - 1, b + 1
            out.append(_Cand(a, b, "PROGRAMME", None, "rule", name))
    return out


# ---------------------------------------------------------------------------
# Helpers


_ZONE_END = re.compile(r"(?:开发区|高新区|新区|保税区|自贸区|自由贸易试验区|工业园区|产业园区|园区)$")
# Organs inside an organisation: the parent is the organisation (labelling guidelines).
_INTERNAL_ORGAN = re.compile(
    r"(?:分公司|工作部|事业部|管理部|董事会|监事会|股东大会|审判委员会|战略委员会|专门委员会|党组|党委|部门|(?<!办事)处)$"
)
_VERB_PREFIX = re.compile(r"联合|依托|会同|通过|指导|协调|推动|要求|配合|牵头|委托|支持|邀请|督促|组织|召集|拟|由|经|向|对|与|和")
_SECTOR_TAIL = re.compile(r"(?:行业|板块|领域|系统)$")
_OPEN_CLOSE = {"（": "）", "(": ")"}


# The common Chinese surnames (about nine in ten people carry one of these).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "令狐", "端木")
_NOT_NAME_END = re.compile(r"[化型性率券图书]$")


# 王某, 张某某: anonymised parties in court and labour stories (not 某公司, 某局).
_ANONYMISED_PERSON = re.compile(
    "[" + "".join(sorted(_SURNAMES)) + "]某某?(?!(?:(?!某)[\u4e00-\u9fff]){0,2}(?:公司|企业|集团|单位|局|厅|委|院|所|校|厂|店|银行|平台|"
    "网络|科技|有限|村|镇|县|市|区|省|地|部|处|社|中心|机构|小区|医院))"
)


def _join_latin_names(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Emily + Carter -> Emily Carter; a romanisation in brackets after a Chinese name is dropped."""
    persons = sorted((c for c in cands if c.label == "PERSON"), key=lambda c: c.start)
    merged: dict[int, _Cand] = {}
    drop: set[int] = set()
    i = 0
    while i < len(persons):
        c = persons[i]
        j = i
        while (
            j + 1 < len(persons)
            and text[persons[j].end : persons[j + 1].start] in (" ", "·", "-")
            and _LATIN_WORD.fullmatch(text[persons[j].start : persons[j].end])
            and _LATIN_WORD.fullmatch(text[persons[j + 1].start : persons[j + 1].end])
        ):
            j += 1
        if j > i:
            merged[id(c)] = _Cand(c.start, persons[j].end, "PERSON", None, "model")
            drop.update(id(p) for p in persons[i + 1 : j + 1])
        i = j + 1
    out = []
    for c in cands:
        if id(c) in drop:
            continue
        c = merged.get(id(c), c)
        if c.label == "PERSON" and _LATIN_WORD.match(text, c.start):
            # 沈立刚（Shen Ligang）: the romanisation of the name before, not another person.
            before = text[max(0, c.start - 24) : c.start]
            opened = max(before.rfind("（"), before.rfind("("))
            if opened >= 0 and not any(ch in before[opened:] for ch in "）)") and re.match(
                r"[A-Za-z .'\-]*[）)]", text[c.end : c.end + 24]
            ):
                continue
            if text[c.start : c.end].isupper():  # EIA, LPR: acronyms are not names
                continue
        out.append(c)
    return out


_LATIN_WORD = re.compile(r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*)*")


def _plausible_name(name: str) -> bool:
    """Reject what the model sometimes reads as a person (智能化, 员会): cheap checks only.

    Two-character Chinese names must start with a common surname (or 小/老); names ending
    like an adjective or a document (…化, …型, …券) are not names. Latin names and longer
    names (transliterations) pass.
    """
    if len(name) < 2:
        return False
    if not all(_is_cjk(c) or c == "·" for c in name):
        return any(c.isalpha() for c in name)
    if _NOT_NAME_END.search(name):
        return False
    if len(name) == 2:
        return name[0] in _SURNAMES or name[0] in "小老"
    return True


def _anonymised_before(text: str, start: int) -> bool:
    """某配送服务公司, 一家文化传媒公司, 同级党委组织部: the tail of an unnamed organisation."""
    if text[max(0, start - 2) : start] in ("同级", "各级", "上级", "下级", "基层", "当地", "本级"):
        return True
    k = start
    while k > 0 and start - k < 6 and _is_cjk(text[k - 1]):
        k -= 1
        if text[k] == "某" or text[k : k + 2] == "一家":
            return True
    return False


def _cut_at_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a model span at sentence punctuation or an unclosed bracket (美国能源信息署（EIA)."""
    for k in range(start, end):
        ch = text[k]
        if ch in "，。、；：！？,;:!?“”《》\n":
            return start, k
        if ch in _OPEN_CLOSE and _OPEN_CLOSE[ch] not in text[k:end]:
            return start, k
        if ch in "）)" and not any(o in text[start:k] for o in "（("):
            return _cut_at_punctuation(text, k + 1, end)  # 区(县、市)总工会 read from the middle
    return start, end


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
    """Reject two-character 'places' made of function characters (全市, 各区)."""
    return not any(c in _NOT_PLACE for c in text[start : start + 2])


def _bare_place_court(name: str) -> bool:
    """杭州法院 is the city's courts collectively, not one court."""
    return bool(re.fullmatch(rf"[{_CJK}]{{2,3}}[市]?法院", name))


_GENERIC_ORG = re.compile(
    r"^(?:[该本此其我各某子母分总村]|上市|创业|科技|互联网|这家|一家|相关|有关|地方|各地|当地|基层|监管|人事|监察|主管|职能|"
    r"行业|政府|人社|执法|金融|司法|行政)?"
    r"(?:公司|企业|集团|银行|证券|股份|单位|机构|部门|政府|法院|董事会|监事会|股东大会|党支部|工会干部|工会组织|"
    r"协会|商会|工会|联合会|机关)$|^党和政府$|^党委政府$|^[\u4e00-\u9fff]{0,4}(?:机关|部门)$"
)


def _generic_org(name: str) -> bool:
    """公司, 该公司, 创业公司, 某局, 杭州两级法院, 一家…企业 are not organisation names."""
    return (
        any(w in name for w in ("某", "一家", "两级", "各级", "多家", "有关"))
        or bool(_GENERIC_ORG.match(name))
        or name in ORG_SUFFIXES
    )


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
    if short_body in ("法院", "检察院", "政府") and full_body.endswith(short_body):
        return True  # 江宁区法院 ~ 江宁区人民法院
    return short_body[0] == full_body[0] and _suffix_compatible(short_body, full_body) and _is_subsequence(
        short_body, full_body
    )


def _place_prefix(name: str, level: str) -> str | None:
    """``宁波市总工会`` with level ``市`` -> ``宁波市``; None when the name has no such prefix.

    A district or county may follow its city: ``温州市鹿城区人民法院`` with ``区`` -> ``温州市鹿城区``.
    """
    stripped = name[2:] if name.startswith("中共") else name
    i = stripped.find(level)
    if 2 <= i <= 4:
        return stripped[: i + 1]
    city = stripped.find("市")
    if level in "县区" and 2 <= city <= 4 and city + 3 <= i <= city + 5:
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
    if short == full or len(short) >= len(full) or _generic_org(short):
        return False
    split = _level_split(short)
    if split is not None:
        level, body = split
        prefix = _place_prefix(full, level)
        if prefix is None:
            return False
        return _abbreviates(body, full[full.index(prefix) + len(prefix) :])
    place = _place_of(full)
    if place and short.startswith(place[:-1]) and not short.startswith(place):
        # 杭州中院 ~ 杭州市中级人民法院: the place without its level character.
        if _abbreviates(short[len(place) - 1 :], full[len(place) :]):
            return True
    if place and len(short) >= 3 and short[0] not in _LEVEL_CHARS and not _place_of(short):
        # 发改委 ~ 浙江省发展和改革委员会: an abbreviation with no place at all.
        if _abbreviates(short, full[len(place) :]):
            return True
    own = _place_of(short)
    if own and own in full and not full.startswith(own):
        # 江宁区法院 ~ 南京市江宁区人民法院: the district written without its city.
        k = full.index(own) + len(own)
        if _abbreviates(short[len(own) :], full[k:]):
            return True
    common = _common_place(short, full)
    if common:
        # 杭州市经信局 ~ 杭州市经济和信息化局: same place, abbreviated body.
        return _abbreviates(short[common:], full[common:])
    if full.endswith(("公司", "集团")):
        core = _company_core(short)
        if len(core) < 2:
            return False
        # 恒川股份 ~ 宁波恒川汽车零部件股份有限公司; 合肥轨道交通集团 ~ 合肥市轨道交通集团有限公司
        return core in full or (core[:2] == full[:2] and _is_subsequence(core, full))
    return len(short) >= 4 and full.endswith(short)


#: Media and data-source names that are attributions wherever they stand (GUIDELINES: not
#: organisations unless they act in the story, which these rarely do in a news post).
MEDIA_NAMES: tuple[str, ...] = (
    "新华社", "新华网", "人民网", "人民日报", "央视", "央视网", "央视新闻", "央视财经", "新闻联播", "中新社", "中新网",
    "中国新闻网", "中证网", "中国证券报", "上海证券报", "证券时报", "证券时报网", "证券日报", "中国基金报", "券商中国",
    "财联社", "澎湃新闻", "界面新闻", "每日经济新闻", "经济观察报", "21世纪经济报道", "第一财经", "北京日报",
    "北京青年报", "光明日报", "经济日报", "中国发展网", "中国经济网", "银柿财经", "新浪财经", "腾讯新闻", "凤凰网",
    "网易财经", "东方财富网", "同花顺", "天眼查", "企查查", "Choice", "Wind", "万得", "上海钢联", "智通财经",
    "格隆汇", "金融界", "环球时报", "参考消息", "新京报", "南方都市报", "中国日报", "彭博社", "路透社", "法新社", "美联社",
)
_MEDIA_END = re.compile(r"(?:报|网|社|电视台|新闻|财经|日报|晚报|周刊|杂志|客户端|频道)$")
_ATTRIBUTION_AFTER = re.compile(
    r"(?:消息|讯|报道|记者|援引|获悉|了解到|注意到|发布(?:的)?数据|数据显示|统计|调查显示|[：:]|微信公众号|公众号|客户端|官网|官方微博)"
)
_ATTRIBUTION_BEFORE = re.compile(r"(?:据|来源[：:]|来源于|转自|综合|转载自|编辑[：:]|文章来源[：:]|本文来源[：:])\s*$")
_CHANNEL_TAIL = re.compile(r"(?:微信公众号|公众号|官方微博|官微|客户端|官网)$")


#: National and international bodies news names without anything that marks them as one.
KNOWN_BODIES: tuple[str, ...] = (
    "联合国安理会", "联合国", "二十国集团", "世界贸易组织", "世界卫生组织", "国际货币基金组织", "世界银行", "上海合作组织",
    "东盟", "欧盟委员会", "国务院", "党中央", "中共中央政治局", "中央书记处", "全国人大常委会", "全国人大",
    "应急管理部", "外交部", "商务部", "财政部", "教育部", "科技部", "工业和信息化部", "公安部", "民政部", "司法部",
    "人力资源和社会保障部", "自然资源部", "生态环境部", "住房和城乡建设部", "交通运输部", "水利部", "农业农村部",
    "文化和旅游部", "国家卫生健康委员会", "退役军人事务部", "审计署", "国家发展改革委", "国家发展和改革委员会",
)
# Not inside a longer word: 公安部门 is not 公安部.
_KNOWN_BODIES = re.compile("(?:" + "|".join(re.escape(b) for b in sorted(KNOWN_BODIES, key=len, reverse=True)) + ")(?![门长])")
_SESSION_PREFIX = re.compile(r"(?:第)?[一二三四五六七八九十]+届")
# Names ending like an organisation (…局) that are situations, not bodies: 服务大局, 国际格局.
_NOT_ORG_END = re.compile(r"(?:大局|格局|开局|布局|全局|变局|时局|结局|新局)$")
# (部队 and 民生 are left out: CLUENER tags them as organisations.)
_NOT_ORG_NAMES = {"中央", "人大", "建军", "党组织", "中华人民共和国", "中国共产党员"}


def _not_an_organisation(name: str) -> bool:
    return name in _NOT_ORG_NAMES or bool(_NOT_ORG_END.search(name))


def _strip_session(text: str, c: _Cand) -> _Cand:
    """十四届全国人大常委会 -> 全国人大常委会: the session number is not part of the body's name."""
    if c.label != "ORG":
        return c
    m = _SESSION_PREFIX.match(text, c.start, c.end)
    if m is None or c.end - m.end() < 3:
        return c
    return _Cand(m.end(), c.end, c.label, c.subtype, c.source, c.name)


def _strip_channel(text: str, c: _Cand) -> _Cand:
    """天风国际微信公众号 -> 天风国际: a channel of an organisation is not part of its name."""
    if c.label != "ORG":
        return c
    m = _CHANNEL_TAIL.search(text, c.start, c.end)
    if m is None or m.start() - c.start < 2:
        return c
    return _Cand(c.start, m.start(), c.label, c.subtype, c.source, c.name)


def _is_attribution(text: str, start: int, end: int) -> bool:
    """Is the organisation mention ``text[start:end]`` a source or media attribution?

    Media names (a list, or a name ending like a medium: …报, …网, …社, …财经) count when
    they fill a bracket at the end of a paragraph (（央视财经）), follow 据 / 来源： or precede
    消息 / 报道 / 讯 / 记者 / 数据显示. Any name filling such a closing bracket counts too.
    """
    name = text[start:end]
    close = -1
    if start > 0 and text[start - 1] in "（(":
        for k in range(end, min(len(text), end + 8)):
            if text[k] in "）)":
                close = k
                break
            if not (_is_cjk(text[k]) or text[k].isalnum()):
                break
    if close >= 0:
        rest = text[close + 1 : close + 3]
        if not rest.strip() or rest[:1] in "\n" or rest.startswith(("\n", "。")):
            return True
    media = name in MEDIA_NAMES or bool(_MEDIA_END.search(name)) or any(name.startswith(m) for m in ("央视", "新华社"))
    if not media:
        return False
    if _ATTRIBUTION_AFTER.match(text, end) or _ATTRIBUTION_BEFORE.search(text, max(0, start - 6), start):
        return True
    return name in MEDIA_NAMES


def _gazetteer_short(gazetteer: Any, short: str, full: str) -> bool:
    """茅台 for 贵州茅台 (a listed name of the article): a part of it, not a listed name itself."""
    if len(short) < 2 or len(short) >= len(full) or short in gazetteer or _generic_org(short):
        return False
    return full in gazetteer and short in full and gazetteer.entries[full].kind != "full"


def _place_of(name: str) -> str | None:
    """The place prefix of an organisation name ending in 省/市/县/区 (``浙江省``), if any."""
    stripped = name[2:] if name.startswith("中共") else name
    for i in range(2, min(5, len(stripped) - 1)):
        if stripped[i] in _LEVEL_CHARS:
            return stripped[: i + 1]
    return None


def _common_place(a: str, b: str) -> int:
    """Length of a shared place prefix ending in 省/市/县/区 (``杭州市``), 0 if none."""
    for i in range(2, min(len(a), len(b), 6)):
        if a[i] != b[i]:
            break
        if a[i] in _LEVEL_CHARS and a[: i + 1] == b[: i + 1]:
            return i + 1
    return 0


def _company_preference(short: str, full: str) -> int:
    if short.endswith("股份") and "股份" in full:
        return 0
    if short.endswith("集团") and "集团" in full:
        return 0
    return 1


# ---------------------------------------------------------------------------
# Building the result


#: Titles that do not make an official when no organisation is named with them (a 教授 or
#: a 委员 of nothing named); offices such as 总书记, 国家主席, 总统, 委员长 do.
_WEAK_BARE_TITLES = (
    "委员", "董事", "经理", "分析师", "讲师", "教授", "研究员", "合伙人", "组长", "博导", "法官", "检察官", "审判员",
    "调研员", "主任科员", "巡视员", "领事", "专职委员", "党委委员", "党组成员", "常委", "主任医师", "主治医师",
    "首席专家", "院士", "参议员", "众议员", "首席研究员",
)
def _last_title_word(pattern: re.Pattern, title: str) -> str:
    """The longest lexicon title that ends ``title`` (副主任委员 for 外事委副主任委员)."""
    m = pattern.search(title)
    return m.group() if m else title


def _listed_names(text: str, cands: list[_Cand]) -> list[_Cand]:
    """习近平、李克强、栗战书: a name in a 、-list of names that the model did not tag."""
    persons = sorted((c for c in cands if c.label == "PERSON"), key=lambda c: c.start)
    taken = {(c.start, c.end) for c in cands if c.label in ("PERSON", "ORG", "LOC")}
    starts = {c.start for c in cands if c.label in ("PERSON", "ORG", "LOC", "TITLE")}
    out: list[_Cand] = []
    for p in persons:
        k = p.end
        while k < len(text) and text[k] == "、":
            m = _LIST_NAME.match(text, k + 1)
            if m is None or (k + 1) in starts and (m.start(), m.end()) not in taken:
                break
            if (m.start(), m.end()) not in taken:
                out.append(_Cand(m.start(), m.end(), "PERSON", None, "rule"))
            k = m.end()
    return out


# A Chinese name in a 、-list: a common surname and one or two more characters, then 、 or the list's end.
_LIST_NAME = re.compile(
    "(?:" + "|".join(("欧阳", "司马", "上官", "诸葛")) + "|[" + "".join(sorted(_SURNAMES)) + "])[\u4e00-\u9fff]{1,2}?(?=、|等|，|。|出席|参加|同志|分别)"
)

#: Countries and regions whose leaders news names with their title (法国总统马克龙).
COUNTRIES: tuple[str, ...] = (
    "美国", "英国", "法国", "德国", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时", "瑞士", "奥地利", "瑞典", "挪威", "丹麦", "芬兰",
    "冰岛", "爱尔兰", "希腊", "波兰", "捷克", "斯洛伐克", "匈牙利", "罗马尼亚", "保加利亚", "塞尔维亚", "克罗地亚", "斯洛文尼亚",
    "波黑", "黑山", "北马其顿", "阿尔巴尼亚", "乌克兰", "白俄罗斯", "摩尔多瓦", "立陶宛", "拉脱维亚", "爱沙尼亚", "俄罗斯",
    "格鲁吉亚", "亚美尼亚", "阿塞拜疆", "土耳其", "哈萨克斯坦", "乌兹别克斯坦", "吉尔吉斯斯坦", "塔吉克斯坦", "土库曼斯坦",
    "蒙古", "朝鲜", "韩国", "日本", "越南", "老挝", "柬埔寨", "泰国", "缅甸", "马来西亚", "新加坡", "印度尼西亚", "印尼", "菲律宾",
    "文莱", "东帝汶", "印度", "巴基斯坦", "孟加拉国", "斯里兰卡", "尼泊尔", "不丹", "马尔代夫", "阿富汗", "伊朗", "伊拉克",
    "叙利亚", "约旦", "黎巴嫩", "以色列", "巴勒斯坦", "沙特", "沙特阿拉伯", "阿联酋", "卡塔尔", "科威特", "巴林", "阿曼", "也门",
    "埃及", "利比亚", "突尼斯", "阿尔及利亚", "摩洛哥", "苏丹", "南苏丹", "埃塞俄比亚", "厄立特里亚", "吉布提", "索马里", "肯尼亚",
    "乌干达", "坦桑尼亚", "卢旺达", "布隆迪", "刚果（金）", "刚果（布）", "刚果民主共和国", "加蓬", "喀麦隆", "尼日利亚", "加纳",
    "科特迪瓦", "塞内加尔", "马里", "尼日尔", "乍得", "布基纳法索", "几内亚", "塞拉利昂", "利比里亚", "多哥", "贝宁", "毛里塔尼亚",
    "冈比亚", "佛得角", "安哥拉", "赞比亚", "津巴布韦", "莫桑比克", "马拉维", "纳米比亚", "博茨瓦纳", "南非", "莱索托", "斯威士兰",
    "马达加斯加", "毛里求斯", "塞舌尔", "科摩罗", "赤道几内亚", "中非", "加拿大", "墨西哥", "古巴", "牙买加", "海地", "多米尼加",
    "危地马拉", "洪都拉斯", "萨尔瓦多", "尼加拉瓜", "哥斯达黎加", "巴拿马", "哥伦比亚", "委内瑞拉", "厄瓜多尔", "秘鲁", "玻利维亚",
    "巴西", "智利", "阿根廷", "乌拉圭", "巴拉圭", "圭亚那", "苏里南", "特立尼达和多巴哥", "巴巴多斯", "格林纳达", "安提瓜和巴布达",
    "澳大利亚", "新西兰", "巴布亚新几内亚", "斐济", "所罗门群岛", "瓦努阿图", "萨摩亚", "汤加", "基里巴斯", "欧盟", "联合国",
)
_LEADER_TITLES = ("总统", "副总统", "首相", "总理", "副总理", "王储", "总督", "外长", "外交部长", "议长",
                  "驻华大使", "大使", "元首", "领导人", "国家元首")
_FOREIGN_LEADER = re.compile(
    "(?P<country>" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) + ")"
    "(?P<title>" + "|".join(sorted(_LEADER_TITLES, key=len, reverse=True)) + ")"
    "(?P<name>[\u4e00-\u9fff]{2,6}?(?:·[\u4e00-\u9fff]{1,8}?)?)"
    r"(?=表示|说|称|指出|强调|会见|会谈|举行|致电|致函|在|和|同|与|、|，|。|：|等|将|也|对|向|发表|宣布|邀请|夫妇|夫人|及|以及|的|）|\)|\s|率|转达|访华|来华|出席|主持|签署|特别|应邀|一行|再次|当选|随后|还|已|就|正式)"
)

# A title of an unnamed unit (村党支部书记, 该公司…) is not an office of anything named.
_UNNAMED_UNITS = ("村", "社区", "小区", "街道", "该", "当地", "某", "一名", "一位", "其")
_DEPARTMENT_ENDINGS = ("系", "学院", "研究所", "研究院", "研究中心", "中心", "实验室")
_UNIT_ENDINGS = ("庭", "部", "处", "科", "室", "办", "系", "所", "中心", "委员会", "组")
#: Words before a title that stay in it (时任董事长) or are dropped from it (新任董事长 -> 董事长).
_TITLE_MODIFIERS = ("时任", "原", "前")
_DROPPED_MODIFIERS = ("新任", "现任")
_COMPANY_ANAPHORA = ("公司", "该公司", "本公司")
# 市委、市政府 with no full name in the article stay unresolved (not listed): too generic to
# complete from the article's city, unlike 市大数据中心.
_BARE_BODIES = ("委", "政府", "人民政府", "党委")
#: Titles that belong to a company: an official named with one of these and no organisation
#: works for the article's main company (首席财务官Grace Lin).
COMPANY_TITLES = (
    "董事长", "副董事长", "董事", "独立董事", "总经理", "副总经理", "总裁", "副总裁", "首席执行官",
    "首席财务官", "首席技术官", "首席运营官", "董事会秘书", "董秘", "财务总监", "总监", "总会计师",
    "总工程师", "监事长", "监事会主席", "控股股东", "实际控制人", "创始人", "CEO", "CFO", "COO", "CTO",
)


@dataclass
class _Segment:
    """One ``[organisation][title]`` item of a title chain."""

    start: int  # where the segment's text in the title starts
    title_start: int
    org: tuple[int, int] | None = None
    place: str | None = None
    junk: bool = False  # the chain was cut before this segment at something unreadable


class _Builder:
    """Turns resolved mentions into Entities for one text."""

    def __init__(
        self, extractor: EntityExtractor, text: str, cands: list[_Cand], aliases: dict[str, str], attributions: set[int] = frozenset()
    ):
        self.x = extractor
        self.attributions = attributions
        self.text = text
        self.cands = cands
        self.aliases = aliases
        self.by_start = {c.start: c for c in cands}
        self.by_end = {c.end: c for c in cands}
        self.org_names: list[str] = []  # distinct ORG surfaces in order of first mention
        for c in cands:
            if c.label == "ORG":
                self._add_org_name(text[c.start : c.end])
        self.canonical: dict[tuple[str, str | None], str] = {}
        self.mention_names: dict[int, str] = {}  # ORG mention start -> name decided in a title chain

    def _add_org_name(self, name: str) -> None:
        if name not in self.org_names:
            self.org_names.append(name)

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
        ranked = counts.most_common(2)
        if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]

    def _full_names_of(self, name: str) -> list[str]:
        # The gazetteer links a listed short name to its full name when the article has both
        # (贵州茅台 / 贵州茅台酒股份有限公司), and a shorter form to a listed name (茅台 / 贵州茅台).
        gaz = self.x.gazetteer
        full = gaz.full_of.get(name)
        if full is not None and full in self.org_names:
            return [full]
        fulls = [f for f in self.org_names if short_form_of(name, f) or _gazetteer_short(gaz, name, f)]
        # A full name may itself be a short form of a longer one: keep the longest forms.
        longest = [f for f in fulls if not any(short_form_of(f, g) for g in self.org_names)]
        fulls = longest or fulls
        counts = Counter(self.text[c.start : c.end] for c in self.cands if c.label == "ORG")
        fulls.sort(key=lambda f: (_company_preference(name, f), -counts[f], self.org_names.index(f)))
        return fulls

    def resolve_org(self, name: str, place_hint: str | None = None) -> str:
        """Canonical name of an organisation mention.

        Declared aliases (以下简称“…”) first, then a longer name of the article that the
        mention abbreviates, then, for level short forms (市总工会), the place of the title
        chain or the article's one city / province.
        """
        key = (name, place_hint)
        if key in self.canonical:
            return self.canonical[key]
        full = self.aliases.get(name)
        if full is None:
            fulls = self._full_names_of(name)
            full = fulls[0] if fulls else None
        if full is None:
            full = name
            split = _level_split(name)
            if split is not None:
                level = split[0]
                place = None
                if place_hint:
                    place = _place_prefix(place_hint, level)
                    if place is None and place_hint.endswith(level) and len(place_hint) <= 6:
                        place = place_hint
                if place is None and split[1] not in _BARE_BODIES:
                    place = self._dominant_place(level)
                if place:
                    full = place + name[1:]
        self.canonical[key] = full
        return full

    # -------------------------------------------------------------- officials
    def _title_end_at(self, pos: int, lo: int) -> int | None:
        """Start of a title ending exactly at ``pos`` (not before ``lo``)."""
        c = self.by_end.get(pos)
        # Occupations the model reads as positions (司机, 骑手) do not make officials: the
        # title must end with a word of the title lexicon.
        if c is not None and c.label == "TITLE" and c.start >= lo and self.x._title_end_re.search(self.text, c.start, c.end):
            return c.start
        return None

    def _run_start(self, end: int) -> int:
        """Start of the run of title-chain material that ends at ``end``."""
        text = self.text
        j = end
        limit = max(0, end - 60)
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
        return j

    def _chain_left(self, end: int) -> list[_Segment] | None:
        """Parse ``[org][title]、[org][title]`` ending at ``end``; None when no title ends there."""
        text = self.text
        run_start = self._run_start(end)
        bounds: list[tuple[int, int]] = []
        seg_start = k = run_start
        while k < end:
            c = self.by_start.get(k)
            if c is not None and c.label in ("ORG", "TITLE", "LOC") and c.end <= end:
                k = c.end
                continue
            if text[k] in "、兼":  # 副总经理兼董事会秘书: two titles
                bounds.append((seg_start, k))
                seg_start = k + 1
            k += 1
        bounds.append((seg_start, end))
        segments: list[_Segment] = []
        for a, b in reversed(bounds):
            title_start = self._title_end_at(b, a)
            if title_start is None:
                break
            seg = self._segment(a, title_start)
            if seg is None:
                # Something before the title that is neither organisation nor place: the chain starts at the title.
                segments.append(_Segment(title_start, title_start, junk=True))
                break
            segments.append(seg)
        if not segments:
            return None
        segments.reverse()
        return segments

    def _segment(self, start: int, title_start: int) -> _Segment | None:
        """Read what stands before a title: an organisation, a place, a unit, or nothing."""
        text = self.text
        part = text[start:title_start]
        if not part:
            return _Segment(start, title_start)
        for mod in _DROPPED_MODIFIERS:
            if part.endswith(mod):
                return _Segment(title_start, title_start, junk=start < title_start - len(mod))
        for mod in _TITLE_MODIFIERS:
            if part.endswith(mod) and len(part) > len(mod):
                inner = self._segment(start, title_start - len(mod))
                if inner is None:
                    return _Segment(title_start - len(mod), title_start, junk=True)
                inner.title_start = title_start
                return inner
        if part in _TITLE_MODIFIERS:
            return _Segment(start, title_start)
        if part in _COMPANY_ANAPHORA:  # 公司董事长任志强: the article's company, dropped from the title
            return _Segment(title_start, title_start)
        c = self.by_start.get(start)
        if c is not None and c.label == "ORG" and c.end <= title_start:
            return _Segment(start, title_start, org=(start, self._extend_department(c.end, title_start)))
        if any(not (_is_cjk(ch) or ch.isalnum()) for ch in part):
            return None
        if c is not None and c.label == "LOC" and c.end == title_start or re.fullmatch(
            rf"[{_CJK}]{{2,4}}[省市县区]", part
        ):
            return _Segment(start, title_start, place=part)
        end = _last_org_suffix_end(self.x._free_org_suffix_re, part)
        if end >= 3 and not _generic_org(part[:end]):
            return _Segment(start, title_start, org=(start, self._extend_department(start + end, title_start)))
        if len(part) >= 2 and not _generic_org(part) and (
            part in self.org_names or any(short_form_of(part, f) for f in self.org_names)
        ):
            return _Segment(start, title_start, org=(start, title_start))
        if part.endswith(_UNIT_ENDINGS):  # 综合审判一庭庭长: a unit of the organisation before
            return _Segment(start, title_start)
        return None

    def _extend_department(self, org_end: int, title_start: int) -> int:
        """浙江大学 + 民营经济研究中心 + 研究员: named departments belong to the organisation."""
        rest = self.text[org_end:title_start]
        if rest and all(_is_cjk(ch) for ch in rest) and rest.endswith(_DEPARTMENT_ENDINGS) and len(rest) <= 12:
            return title_start
        return org_end

    def _chain_org(self, segments: list[_Segment], extra: list[_Cand]) -> str | None:
        text = self.text
        hint = None
        last = None
        for seg in segments:
            if seg.place and hint is None:
                hint = seg.place
            if seg.org is None:
                continue
            start, end = seg.org
            name = text[start:end]
            c = self.by_start.get(start)
            if c is None or c.label != "ORG" or c.end != end:
                extra.append(_Cand(start, end, "ORG", _org_subtype(name), "rule"))
                self._add_org_name(name)
                self.canonical.clear()
            if hint is None:
                hint = name
            last = (start, name)
        if last is None:
            return None
        start, name = last
        full = self.resolve_org(name, hint if hint != name else None)
        self.mention_names[start] = full
        return full

    def _main_company(self) -> str | None:
        counts: Counter[str] = Counter()
        for c in self.cands:
            if c.label == "ORG":
                full = self.resolve_org(self.text[c.start : c.end])
                if _org_subtype(full) == "company" or c.subtype == "company":
                    counts[full] += 1
        return counts.most_common(1)[0][0] if counts else None

    def officials(self, persons: list[_Cand]) -> tuple[list[Official], list[_Cand]]:
        text = self.text
        found: dict[str, tuple[str, str]] = {}
        orgless: dict[str, str] = {}
        bare: dict[str, str] = {}  # an office with no organisation named (习近平总书记, 法国总统马克龙)
        extra: list[_Cand] = []  # organisations found only inside titles

        def add(name: str, title: str, org: str | None, clean: bool = True) -> None:
            if org is None:
                if title.endswith(COMPANY_TITLES):
                    if clean and len(title) > len(orgless.get(name, "")):
                        orgless[name] = title
                elif (
                    _last_title_word(self.x._title_end_re, title) not in _WEAK_BARE_TITLES
                    and not title.startswith(_UNNAMED_UNITS)
                    and len(title) > len(bare.get(name, ""))
                ):
                    bare[name] = title
                return
            cur = found.get(name)
            if cur is None or len(title) > len(cur[0]):
                found[name] = (title, org)

        last: tuple[int, str, str | None, bool] | None = None  # (end, title, org, clean) of a chain-left official
        for p in persons:
            name = text[p.start : p.end]
            # 0. one title for a list of names: 大会执行主席于伟国、王宁、王伟中
            if last is not None and text[last[0] : p.start] == "、" and self.by_start.get(p.end, p).label != "TITLE":
                add(name, last[1], last[2], last[3])
                last = (p.end, *last[1:])
                continue
            last = None
            # 1. titles before the name: 宁波市人大常委会副主任、市总工会主席李谦
            chain = self._chain_left(p.start)
            if chain is not None:
                title, org, clean = text[chain[0].start : p.start], self._chain_org(chain, extra), not chain[0].junk
                add(name, title, org, clean)
                last = (p.end, title, org, clean)
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
                    if chain is not None and chain[0].start == p.end + 1:
                        add(name, text[p.end + 1 : close], self._chain_org(chain, extra))
                        continue
            # 3. split around the name: 浙江省委袁家军书记 -> title 书记, organisation 浙江省委
            after = self.by_start.get(p.end)
            if after is not None and after.label == "TITLE":
                title = text[after.start : after.end]
                before = self.by_end.get(p.start)
                if before is not None and before.label == "ORG":
                    add(name, title, self.resolve_org(text[before.start : before.end]))
                else:
                    add(name, title, None)
        officials = [Official(name, title, org) for name, (title, org) in found.items()]
        officials += [Official(name, title, None) for name, title in bare.items() if name not in found and name not in orgless]
        missing = [name for name in orgless if name not in found]
        if missing:
            company = self._main_company()
            if company is not None:
                officials += [Official(name, orgless[name], company) for name in missing]
        return officials, extra

    # -------------------------------------------------------------- assemble
    def build(self) -> Entities:
        text = self.text
        persons = [c for c in self.cands if c.label == "PERSON"]
        officials, extra = self.officials(persons)
        if extra:
            kept = [c for c in self.cands if not any(c.start < e.end and e.start < c.end for e in extra)]
            self.cands = kept + extra
        cands = sorted(self.cands, key=lambda c: (c.start, c.end))
        mentions = tuple(Mention(text[c.start : c.end], c.label, c.start, c.end, c.subtype) for c in cands)

        def group(label: str, name_of) -> list[tuple[str, list[Span], list[str | None]]]:
            groups: dict[str, tuple[list[Span], list[str | None]]] = {}
            for c in cands:
                if c.label != label or (label == "ORG" and c.start in self.attributions):
                    continue
                surface = text[c.start : c.end]
                spans, subtypes = groups.setdefault(name_of(c, surface), ([], []))
                spans.append(Span(surface, c.start, c.end))
                subtypes.append(c.subtype)
            return [(n, s, t) for n, (s, t) in groups.items()]

        # An official's organisation is always listed, even as a short form nothing resolves.
        official_orgs = {o.organisation for o in officials}
        organisations = []
        for name, spans, subtypes in group("ORG", lambda c, s: self.mention_names.get(c.start) or self.resolve_org(s)):
            if _level_split(name) is not None and name not in official_orgs:
                continue  # 市政府 with nothing in the article to resolve it: a mention only
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
