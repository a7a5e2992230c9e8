"""News boilerplate as data: outlets, datelines, reporter credits and credit lines, in one place.

Chinese news opens a paragraph with a dateline (``本报讯（记者 张三）``, ``新华社杭州3月5日电``,
``【快讯】``) and scatters credits through the text (``记者 李四 摄``, ``（完）``, ``责任编辑：…``).
Every stage has to see past them: the summarisers cut them, the entity extractor must not take an
outlet for an organisation in the story, the tagger must not suggest an outlet as a tag.

One shared core, and named variants where a caller was measured with a wider or narrower coverage
(widening any of them changes that stage's outputs, so each keeps its own):

- outlets: :data:`WIRE_AGENCIES` (the core every list names) inside :data:`DATELINE_OUTLETS`
  (the extractive summariser's datelines and source tags), :data:`MEDIA_NAMES` (outlets and data
  sources the entity extractor treats as attributions) and :data:`NON_TAG_MEDIA_NAMES` (what an
  editor never keeps as a tag); newspaper kinds :data:`PAPER_SUFFIXES` inside :data:`OUTLET_SUFFIXES`;
- reporter credits: :data:`CREDIT_ROLES` inside :data:`CREDIT_PAREN_ROLES` (anywhere in a bracket,
  extractive) and :data:`LEADING_CREDIT_ROLES` (at the start of a bracket, abstractive);
- datelines: :func:`strip_dateline` (one sentence, every form, stacked prefixes: the extractive
  summariser) and :func:`strip_paragraph_datelines` (a whole text, the common forms at the start of
  each paragraph: the abstractive back-end, whose model sees the rest);
- credit lines: :func:`is_credit_line`, :func:`is_caption`, :func:`remove_inline_credits`, and
  :data:`TRAILING_CREDIT` / :data:`CREDIT_FIELDS` for the ``（来源：…）`` a post ends with.

Only :mod:`re` is imported; the patterns compile at import (a few milliseconds).
"""

from __future__ import annotations

import re

__all__ = [
    "WIRE_AGENCIES", "DATELINE_OUTLETS", "MEDIA_NAMES", "NON_TAG_MEDIA_NAMES", "PAPER_SUFFIXES", "OUTLET_SUFFIXES",
    "CREDIT_ROLES", "CREDIT_PAREN_ROLES", "LEADING_CREDIT_ROLES", "PERSON_NAME", "OUTLET", "CREDIT_PAREN",
    "DATELINE_PATTERNS", "PARAGRAPH_DATELINE", "PARAGRAPH_SOURCE", "BOILERPLATE_LINE", "PHOTO_CREDIT",
    "INLINE_CREDIT", "CAPTION", "MEDIA_NAME_END", "NON_TAG_MEDIA", "TRAILING_CREDIT", "CREDIT_FIELDS",
    "strip_dateline", "strip_paragraph_datelines", "is_credit_line", "is_caption", "remove_inline_credits",
]


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in names)


# --------------------------------------------------------------------------- outlets

#: The wire services and national news sites that open datelines: the core every list below holds
#: (the entity extractor's :data:`MEDIA_NAMES` lacks 央广网, as it always has).
WIRE_AGENCIES: tuple[str, ...] = ("新华社", "中新社", "中新网", "人民网", "新华网", "央视网", "央广网")

#: Outlets named in a dateline or a bracketed source tag (the extractive summariser's coverage).
DATELINE_OUTLETS: tuple[str, ...] = WIRE_AGENCIES + (
    "中国新闻网", "中国日报网", "光明网", "环球网", "澎湃新闻", "界面新闻", "财联社", "证券时报网", "证券时报", "上海证券报",
    "中国证券报", "经济观察网", "每经网", "第一财经", "21世纪经济报道",
)

#: The kinds of paper every dateline pattern knows (``临江日报3月5日讯``).
PAPER_SUFFIXES: tuple[str, ...] = ("日报", "晚报", "时报", "新闻网")
#: :data:`PAPER_SUFFIXES` and the rest of the outlet kinds the extractive summariser knows.
OUTLET_SUFFIXES: tuple[str, ...] = ("日报", "晚报", "时报", "商报", "早报", "晨报", "都市报", "新闻网", "电视台", "广播电台")

#: Media and data-source names that are attributions wherever they stand (the entity extractor:
#: not organisations unless they act in the story, which these rarely do in a news post).
MEDIA_NAMES: tuple[str, ...] = (
    "新华社", "新华网", "人民网", "人民日报", "央视", "央视网", "央视新闻", "央视财经", "新闻联播", "中新社", "中新网",
    "中国新闻网", "中证网", "中国证券报", "上海证券报", "证券时报", "证券时报网", "证券日报", "中国基金报", "券商中国",
    "财联社", "澎湃新闻", "界面新闻", "每日经济新闻", "经济观察报", "21世纪经济报道", "第一财经", "北京日报",
    "北京青年报", "光明日报", "经济日报", "中国发展网", "中国经济网", "银柿财经", "新浪财经", "腾讯新闻", "凤凰网",
    "网易财经", "东方财富网", "同花顺", "天眼查", "企查查", "Choice", "Wind", "万得", "上海钢联", "智通财经",
    "格隆汇", "金融界", "环球时报", "参考消息", "新京报", "南方都市报", "中国日报", "彭博社", "路透社", "法新社", "美联社",
)
#: A name that ends like a medium (…报, …网, …社, …财经): with an attribution cue it is one.
MEDIA_NAME_END = re.compile(r"(?:报|网|社|电视台|新闻|财经|日报|晚报|周刊|杂志|客户端|频道)$")

#: Sources an editor never keeps as a tag (the tagger's list; matched whole, any case).
NON_TAG_MEDIA_NAMES: tuple[str, ...] = (
    "中证网", "中新网", "中新社", "新华社", "新华网", "人民网", "人民日报", "央视网", "央视新闻", "央广网", "新闻联播", "光明网",
    "环球网", "澎湃新闻", "界面新闻", "财联社", "证券时报网", "证券时报", "上海证券报", "上证报", "中国证券报", "中证报",
    "证券日报", "经济观察网", "每经网", "每日经济新闻", "第一财经", "21世纪经济报道", "中国基金报", "中国发展网", "智通财经",
    "格隆汇", "金融界", "新浪财经", "东方财富网", "东方财富", "同花顺", "天眼查", "企查查", "choice", "wind", "e公司",
)
NON_TAG_MEDIA = re.compile(r"^(?:" + _alternation(NON_TAG_MEDIA_NAMES) + r")$", re.IGNORECASE)

# --------------------------------------------------------------------------- credits

#: Who a bracketed credit names: the core of both credit patterns.
CREDIT_ROLES: tuple[str, ...] = ("记者", "通讯员", "实习生")
#: Roles that make a bracket a credit wherever they stand in it (``（本报记者 张三 通讯员 李四）``).
CREDIT_PAREN_ROLES: tuple[str, ...] = CREDIT_ROLES + ("编辑", "特约")
#: Roles a credit bracket opens with (the abstractive back-end's narrower pattern).
LEADING_CREDIT_ROLES: tuple[str, ...] = CREDIT_ROLES + ("见习记者", "特约记者", "本报记者")

#: A reporter's name in a credit: two to five Chinese characters (or a transliteration with ·).
PERSON_NAME = r"[\u4e00-\u9fff·]{2,5}"
#: A named outlet, or one named by its kind (临江日报, 临江广播电台).
OUTLET = r"(?:" + _alternation(DATELINE_OUTLETS) + r"|[\u4e00-\u9fff]{2,6}(?:" + _alternation(OUTLET_SUFFIXES) + r"))"
#: A bracket that credits reporters: （记者 张三 通讯员 李四）.
CREDIT_PAREN = (
    r"(?:[（(](?:[^（）()]{0,40}?(?:" + _alternation(CREDIT_PAREN_ROLES) + r")[^（）()]{0,40}?)[）)])"
)

# --------------------------------------------------------------------------- datelines

#: Dateline prefixes of a sentence that opens a paragraph, tried in order (see :func:`strip_dateline`).
DATELINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 【快讯】, 【财联社3月5日讯】, [快讯]
    re.compile(r"^[【\[][^】\]]{1,20}[】\]]\s*"),
    # 本报讯（记者 张三 通讯员 李四）, 本报北京3月5日电, 本网讯
    re.compile(
        r"^(?:本报|本刊|本台|本网|本站)[\u4e00-\u9fff]{0,6}?(?:\d{1,2}月\d{1,2}日)?(?:讯|电)\s*" + CREDIT_PAREN + r"?\s*(?:[:：]\s*)?"
    ),
    # 新华社杭州3月5日电（记者 王五）, 中新网3月5日电, 杭州日报3月5日讯: a named outlet
    re.compile(
        r"^(?:据)?" + OUTLET + r"\s*[\u4e00-\u9fff]{0,8}?\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯|消息)\s*"
        + CREDIT_PAREN + r"?\s*(?:[:：，,]\s*)?"
    ),
    # 杭州3月5日电 followed by a space or a credit: no outlet named
    re.compile(
        r"^[\u4e00-\u9fff]{0,8}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)(?:\s+|(?=[（(]))" + CREDIT_PAREN + r"?\s*"
    ),
    # 央视网消息（新闻联播）：, 每经AI快讯，, 证券时报e公司讯，: an outlet's news tag
    re.compile(
        r"^[\u4e00-\u9fffA-Za-z]{1,10}?(?:网|社|台|报|新闻|财经|客户端|APP|e公司|AI)\s*(?:消息|讯|快讯|电)\s*"
        r"(?:[（(][^（）()]{1,12}[）)])?\s*[:：，,]\s*"
    ),
    # （记者 张三 通讯员 李四）at the start of a paragraph
    re.compile(r"^" + CREDIT_PAREN + r"\s*"),
    # 本报记者 张三 报道 / 记者 张三 李四 报道
    re.compile(r"^(?:本报|本刊)?(?:记者|通讯员)(?:\s*" + PERSON_NAME + r"){1,4}\s*报道\s*[:：，,]?\s*"),
)

#: A leading dateline with a credit bracket, at the start of any line (``本报讯（记者 张三）``).
PARAGRAPH_DATELINE = re.compile(
    r"^[ \t\u3000]*"
    r"(?:(?:" + _alternation(("本报",) + WIRE_AGENCIES) + r"|[\u4e00-\u9fff]{2,6}(?:" + _alternation(PAPER_SUFFIXES) + r"))"
    r"[\u4e00-\u9fff0-9０-９]{0,12}?(?:讯|日电)[ \t\u3000]*)?"
    r"(?:[（(](?:" + _alternation(LEADING_CREDIT_ROLES) + r")[^）)\n]{0,60}[）)])",
    re.MULTILINE,
)
#: A bare source at the start of any line (``本报讯``, ``新华社北京3月5日电``).
PARAGRAPH_SOURCE = re.compile(
    r"^[ \t\u3000]*(?:本报讯|(?:" + _alternation(WIRE_AGENCIES[:3] + ("本报",)) + r")[\u4e00-\u9fff]{0,6}"
    r"[0-9０-９一二三四五六七八九十]{1,2}月[0-9０-９一二三四五六七八九十]{1,3}日电)[ \t\u3000]*",
    re.MULTILINE,
)


def strip_dateline(sentence: str) -> tuple[str, bool]:
    """Cut the dateline a paragraph's first sentence opens with; stacked ones too.

    Args:
        sentence: the first sentence of a paragraph.

    Returns:
        ``(rest, cut)``: the sentence without its dateline, and whether one was cut.

    Example:
        >>> strip_dateline("【快讯】新华社杭州3月5日电（记者 王五）会议召开。")
        ('会议召开。', True)
    """
    changed = False
    for _ in range(3):  # 【快讯】新华社北京3月5日电 ... can stack
        for pat in DATELINE_PATTERNS:
            m = pat.match(sentence)
            if m and m.end() > 0:
                sentence = sentence[m.end():].lstrip()
                changed = True
                break
        else:
            break
    return sentence, changed


def strip_paragraph_datelines(text: str) -> str:
    """Drop the leading datelines and reporter credits of each paragraph of a text.

    Narrower than :func:`strip_dateline`: only the common wire and paper forms, as a seq2seq model
    reads whatever is left as part of the story.

    Example:
        >>> strip_paragraph_datelines("本报讯（记者 王五）会议召开。\\n新华社北京3月5日电 第二段。")
        '会议召开。\\n第二段。'
    """
    return PARAGRAPH_SOURCE.sub("", PARAGRAPH_DATELINE.sub("", text))


# --------------------------------------------------------------------------- credit lines

#: A line that is only a credit, an editor's note or a share prompt (``责任编辑：…``, ``（完）``).
BOILERPLATE_LINE = re.compile(
    r"^[（(【\[]?\s*(?:"
    r"(?:文字|文|图|图片|图文|摄影|视频|记者|通讯员|实习生|编辑|责任编辑|责编|编审|校对|审核|审校|监制|统筹|出品|制作|"
    r"来源|文章来源|信息来源|稿源|原标题|作者|编者按|本文作者|声明|免责声明)\s*[:：|丨/]"
    r"|(?:点击|扫码|扫描二维码|长按|关注我们|关注公众号|阅读原文|下载APP|更多精彩|转载请|未经授权|版权所有)"
    r"|[完终]\s*[）)】\]]?\s*$"
    r")"
)
#: A photo credit on its own: ``记者 张三 摄``, ``（李四 摄）``, ``新华社记者 王五 摄``.
PHOTO_CREDIT = re.compile(
    r"^(?:[（(][^（）()]{1,30}(?:摄|供图)[）)]"
    r"|(?:" + OUTLET + r")?\s*(?:记者|通讯员|摄影|特约摄影)\s*" + PERSON_NAME + r"(?:\s+" + PERSON_NAME + r"){0,2}\s*/?\s*(?:摄|供图)"
    r"|" + PERSON_NAME + r"(?:\s+" + PERSON_NAME + r"){0,2}\s*(?:\s|/)\s*(?:摄|供图))\s*。?$"
)
#: Inline parentheticals that carry credits: （记者 张三 摄）, （图片来源：…）, （本报记者 …）.
INLINE_CREDIT = re.compile(r"[（(][^（）()]{0,40}?(?:摄|供图|图片来源|来源[:：]|记者|编辑)[^（）()]{0,30}?[）)]")
#: A photo caption: 图为…, 上图…, 图1：….
CAPTION = re.compile(r"^(?:图为|上图|下图|图\d*[:：])")

#: The source or editor credit a post's last paragraph ends with: ``（来源：宁波日报）``.
TRAILING_CREDIT = re.compile(r"[（(]\s*(文章来源|来源|责任编辑|编辑)\s*[:：]\s*([^）)]*?)\s*[）)]\s*$")
#: What each :data:`TRAILING_CREDIT` key is, as a metadata field.
CREDIT_FIELDS: dict[str, str] = {"文章来源": "source", "来源": "source", "责任编辑": "editor", "编辑": "editor"}


def is_credit_line(sentence: str) -> bool:
    """Whether a sentence is a credit or boilerplate line, not prose.

    Example:
        >>> [is_credit_line(s) for s in ("记者 李四 摄", "（完）", "责任编辑：王五", "会议召开。")]
        [True, True, True, False]
    """
    return bool(BOILERPLATE_LINE.match(sentence) or PHOTO_CREDIT.match(sentence))


def is_caption(sentence: str) -> bool:
    """Whether a sentence is a photo caption (``图为…``).

    Example:
        >>> is_caption("图为会议现场。")
        True
    """
    return bool(CAPTION.match(sentence))


def remove_inline_credits(text: str) -> str:
    """Remove bracketed credits inside a sentence (``（记者 张三 摄）``, ``（图片来源：…）``).

    Example:
        >>> remove_inline_credits("会议现场（记者 张三 摄）。")
        '会议现场。'
    """
    return INLINE_CREDIT.sub("", text)
