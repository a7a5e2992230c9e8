"""The prose sentences of an article, boilerplate removed: what the extractive summariser scores.

Datelines are cut from the sentence that opens a paragraph (``本报讯（记者…）``,
``新华社杭州3月5日电``, ``【快讯】``); credit lines (``记者 XX 摄``, ``责任编辑：…``, ``（完）``)
and photo captions are dropped whole; stock codes, bracketed source tags, column tags and
"记者从…获悉，" openings are stripped from each sentence. The news boilerplate itself is data in
:mod:`newsnlp.text.news`; this module applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.news import OUTLET, is_caption, is_credit_line, remove_inline_credits, strip_dateline
from ..text.sentences import split_sentences

__all__ = ["CleanSentence", "clean_sentences", "strip_attributions"]

# Stock codes after a company name: 中国石化（600028）, 金斯瑞生物科技(01548.HK), 特斯拉(TSLA.US),
# （股票代码：000001）. An editor's abstract never keeps them.
_STOCK_CODE = re.compile(
    r"\s*[（(]\s*(?:(?:股票|证券)?代码[:：]\s*)?(?:\d{6}(?:\.(?:SH|SZ|BJ|SS))?|\d{4,5}\.HK|[A-Z]{1,5}\.(?:US|N|O|HK)"
    r"|(?:SH|SZ|HK|NASDAQ|NYSE)[:：.]?\s*[A-Z0-9]{1,6}|\d{6}\.?(?:SH|SZ))\s*[）)]",
    re.IGNORECASE,
)
# A source attribution in brackets: (中证网), （财联社）, （证券时报网）, （文章来源：上海证券报）.
_SOURCE_TAG = re.compile(
    r"[（(]\s*(?:(?:文章|信息|新闻)?来源[:：]\s*)?(?:" + OUTLET + r"|[\u4e00-\u9fffA-Za-z]{1,10}?"
    r"(?:网|社|报|台|新闻|客户端|财经|APP|e公司))\s*[）)]"
)
# Where the news came from, not what happened: 记者从中国石化获悉，/ 据央视新闻报道，/ 据财联社消息，
_LEAD_ATTRIBUTION = re.compile(
    r"^(?:(?:本报|本台|本网)?记者)?(?:从|自)?[^，,。：:“”]{1,30}?(?:获悉|了解到|得知)[，,：:]\s*"
    r"|^据[^，,。：:“”]{0,24}?(?:消息|报道|报导)[，,：:]\s*"
)
# A column tag in front of any sentence: 【新思想引领新征程】, 【财经早报】
_COLUMN_TAG = re.compile(r"^[【\[][^】\]]{1,30}[】\]]\s*")
# A Markdown blockquote or list marker left at the start of a line of a post.
_LINE_MARKER = re.compile(r"^(?:>\s*)+|^[-*+]\s+")


def strip_attributions(text: str) -> str:
    """Remove stock codes, bracketed source tags, a leading column tag and a leading
    "记者从…获悉，" / "据…报道，" from one sentence.

    Example:
        >>> strip_attributions("记者从中国石化（600028）获悉，中国石化建成第1000座充换电站。(中证网)")
        '中国石化建成第1000座充换电站。'
    """
    text = _LINE_MARKER.sub("", text)
    text = _COLUMN_TAG.sub("", text)
    text = _STOCK_CODE.sub("", text)
    text = _SOURCE_TAG.sub("", text).strip()
    m = _LEAD_ATTRIBUTION.match(text)
    if m and len(text) - m.end() >= 8:
        text = text[m.end():]
    return text.strip()


@dataclass(frozen=True)
class CleanSentence:
    """A sentence with its boilerplate removed; ``start``/``end`` index the article text."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int
    had_dateline: bool


def clean_sentences(text: str) -> list[CleanSentence]:
    """Split ``text`` into sentences with datelines, credits and captions removed.

    Args:
        text: the article text (one paragraph a line).

    Returns:
        The prose sentences in document order; a sentence that carried a dateline keeps the
        text after it (``had_dateline=True``); credit lines and photo captions are gone.

    Example:
        >>> [s.text for s in clean_sentences("本报讯（记者 张三）市总工会召开会议。\\n记者 李四 摄")]
        ['市总工会召开会议。']
    """
    out: list[CleanSentence] = []
    seen: set[str] = set()
    last_para = -1
    for s in split_sentences(text):
        body = s.text
        dated = False
        if s.paragraph != last_para:  # datelines open a paragraph
            body, dated = strip_dateline(_LINE_MARKER.sub("", body))
        last_para = s.paragraph
        body = remove_inline_credits(body).strip()
        if not body or is_credit_line(body) or is_caption(body):
            continue
        body = strip_attributions(body)
        if not body or not any(ch.isalnum() for ch in body):
            continue
        if body in seen:  # a paragraph pasted twice (common in feed archives)
            continue
        seen.add(body)
        out.append(CleanSentence(body, s.start, s.end, s.paragraph, len(out), dated))
    return out
