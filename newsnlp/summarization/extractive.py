"""Extractive summarisation with the shipped, trained sentence scorer (``models/summarizer``).

How a summary is made:

1. The article is split into sentences; boilerplate is removed first: dateline prefixes
   (``本报讯（记者…）``, ``新华社杭州3月5日电``, ``【快讯】``) are cut from the sentence that
   carries them, credit lines (``记者 XX 摄``, ``责任编辑：…``, ``（完）``) are dropped whole.
2. Each sentence gets cheap features: position and paragraph, length, centrality (TextRank
   and TF-IDF cosine to the rest of the document over character bigrams), similarity to the
   title, figure density, quotes, cue phrases, whether a dateline was cut.
3. A small numpy MLP, trained on LCSTS (targets: each sentence's character ROUGE against the
   human summary, see ``newsnlp/train/summarizer.py``), scores them.
4. Sentences are picked by MMR (relevance minus redundancy) into a character budget and put
   back in document order. A sentence longer than the budget is trimmed at a clause boundary
   (，；：), never inside a word, quote or bracket.

The default budget adapts to the article: ``clamp(ratio × length, lo, hi)``, tuned so that a
one-paragraph post gets a headline-sized abstract and a long feature gets two sentences' worth.
Inference needs only numpy. (The module is not called ``summarize``: importing a submodule of
that name would replace the function ``newsnlp.summarize`` on the package.)
"""

from __future__ import annotations

import json
import math
import re
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..article import Article, as_article
from ..errors import ModelLoadError
from ..text.sentences import split_sentences

__all__ = [
    "ExtractiveSummarizer", "DEFAULT_MAX_CHARS", "clean_sentences", "trim_to_clauses", "CleanSentence", "strip_attributions",
]

DEFAULT_MAX_CHARS = 120
MAX_SENTENCES = 200
MODEL_NAME = "summarizer"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.npz"

# --------------------------------------------------------------------------- boilerplate

_NAME = r"[\u4e00-\u9fff·]{2,5}"
_AGENCY = (
    r"(?:新华社|中新社|中新网|人民网|新华网|央视网|央广网|中国新闻网|中国日报网|光明网|环球网|澎湃新闻|界面新闻|"
    r"财联社|证券时报网?|上海证券报|中国证券报|经济观察网|每经网|第一财经|21世纪经济报道|[\u4e00-\u9fff]{2,6}(?:日报|晚报|时报|商报|早报|晨报|都市报|新闻网|电视台|广播电台))"
)
_CREDIT_PAREN = r"(?:[（(](?:[^（）()]{0,40}?(?:记者|通讯员|实习生|编辑|特约)[^（）()]{0,40}?)[）)])"
_DATELINE_PATTERNS = [
    # 【快讯】, 【财联社3月5日讯】, [快讯]
    re.compile(r"^[【\[][^】\]]{1,20}[】\]]\s*"),
    # 本报讯（记者 张三 通讯员 李四）, 本报北京3月5日电, 本网讯
    re.compile(
        r"^(?:本报|本刊|本台|本网|本站)[\u4e00-\u9fff]{0,6}?(?:\d{1,2}月\d{1,2}日)?(?:讯|电)\s*" + _CREDIT_PAREN + r"?\s*(?:[:：]\s*)?"
    ),
    # 新华社杭州3月5日电（记者 王五）, 中新网3月5日电, 杭州日报3月5日讯: a named outlet
    re.compile(
        r"^(?:据)?" + _AGENCY + r"\s*[\u4e00-\u9fff]{0,8}?\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯|消息)\s*"
        + _CREDIT_PAREN + r"?\s*(?:[:：，,]\s*)?"
    ),
    # 杭州3月5日电 followed by a space or a credit: no outlet named
    re.compile(
        r"^[\u4e00-\u9fff]{0,8}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)(?:\s+|(?=[（(]))" + _CREDIT_PAREN + r"?\s*"
    ),
    # 央视网消息（新闻联播）：, 每经AI快讯，, 证券时报e公司讯，: an outlet's news tag
    re.compile(
        r"^[\u4e00-\u9fffA-Za-z]{1,10}?(?:网|社|台|报|新闻|财经|客户端|APP|e公司|AI)\s*(?:消息|讯|快讯|电)\s*"
        r"(?:[（(][^（）()]{1,12}[）)])?\s*[:：，,]\s*"
    ),
    # （记者 张三 通讯员 李四）at the start of a paragraph
    re.compile(r"^" + _CREDIT_PAREN + r"\s*"),
    # 本报记者 张三 报道 / 记者 张三 李四 报道
    re.compile(r"^(?:本报|本刊)?(?:记者|通讯员)(?:\s*" + _NAME + r"){1,4}\s*报道\s*[:：，,]?\s*"),
]
_BOILERPLATE_LINE = re.compile(
    r"^[（(【\[]?\s*(?:"
    r"(?:文字|文|图|图片|图文|摄影|视频|记者|通讯员|实习生|编辑|责任编辑|责编|编审|校对|审核|审校|监制|统筹|出品|制作|"
    r"来源|文章来源|信息来源|稿源|原标题|作者|编者按|本文作者|声明|免责声明)\s*[:：|丨/]"
    r"|(?:点击|扫码|扫描二维码|长按|关注我们|关注公众号|阅读原文|下载APP|更多精彩|转载请|未经授权|版权所有)"
    r"|[完终]\s*[）)】\]]?\s*$"
    r")"
)
# "记者 张三 摄", "（李四 摄）", "新华社记者 王五 摄": a photo credit on its own
_PHOTO_CREDIT = re.compile(
    r"^(?:[（(][^（）()]{1,30}(?:摄|供图)[）)]"
    r"|(?:" + _AGENCY + r")?\s*(?:记者|通讯员|摄影|特约摄影)\s*" + _NAME + r"(?:\s+" + _NAME + r"){0,2}\s*/?\s*(?:摄|供图)"
    r"|" + _NAME + r"(?:\s+" + _NAME + r"){0,2}\s*(?:\s|/)\s*(?:摄|供图))\s*。?$"
)
# inline parentheticals that carry credits: （记者 张三 摄）, （图片来源：…）, （本报记者 …）
_INLINE_CREDIT = re.compile(r"[（(][^（）()]{0,40}?(?:摄|供图|图片来源|来源[:：]|记者|编辑)[^（）()]{0,30}?[）)]")
_CAPTION = re.compile(r"^(?:图为|上图|下图|图\d*[:：])")
# Stock codes after a company name: 中国石化（600028）, 金斯瑞生物科技(01548.HK), 特斯拉(TSLA.US),
# （股票代码：000001）. An editor's abstract never keeps them.
_STOCK_CODE = re.compile(
    r"\s*[（(]\s*(?:(?:股票|证券)?代码[:：]\s*)?(?:\d{6}(?:\.(?:SH|SZ|BJ|SS))?|\d{4,5}\.HK|[A-Z]{1,5}\.(?:US|N|O|HK)"
    r"|(?:SH|SZ|HK|NASDAQ|NYSE)[:：.]?\s*[A-Z0-9]{1,6}|\d{6}\.?(?:SH|SZ))\s*[）)]",
    re.IGNORECASE,
)
# A source attribution in brackets: (中证网), （财联社）, （证券时报网）, （文章来源：上海证券报）.
_SOURCE_TAG = re.compile(
    r"[（(]\s*(?:(?:文章|信息|新闻)?来源[:：]\s*)?(?:" + _AGENCY + r"|[\u4e00-\u9fffA-Za-z]{1,10}?"
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


def _strip_dateline(text: str) -> tuple[str, bool]:
    changed = False
    for _ in range(3):  # 【快讯】新华社北京3月5日电 ... can stack
        for pat in _DATELINE_PATTERNS:
            m = pat.match(text)
            if m and m.end() > 0:
                text = text[m.end():].lstrip()
                changed = True
                break
        else:
            break
    return text, changed


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
            body, dated = _strip_dateline(_LINE_MARKER.sub("", body))
        last_para = s.paragraph
        body = _INLINE_CREDIT.sub("", body).strip()
        if not body or _BOILERPLATE_LINE.match(body) or _PHOTO_CREDIT.match(body) or _CAPTION.match(body):
            continue
        body = strip_attributions(body)
        if not body or not any(ch.isalnum() for ch in body):
            continue
        if body in seen:  # a paragraph pasted twice (common in feed archives)
            continue
        seen.add(body)
        out.append(CleanSentence(body, s.start, s.end, s.paragraph, len(out), dated))
    return out


# --------------------------------------------------------------------------- trimming

_CLAUSE_END = "，,；;：:"
_OPEN = "“‘「『（(《〈【[\""
_CLOSE = "”’」』）)》〉】]\""
_SENT_END = "。！？!?…"


def _clause_cuts(text: str) -> list[int]:
    """Offsets just after each clause mark that is outside quotes and brackets."""
    cuts = []
    depth = 0
    for i, ch in enumerate(text):
        if ch in "“‘「『（(《〈【[":
            depth += 1
        elif ch in "”’」』）)》〉】]":
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_END and depth == 0:
            cuts.append(i + 1)
    return cuts


def _finish(fragment: str) -> str:
    fragment = fragment.rstrip()
    while fragment and fragment[-1] in _CLAUSE_END + "、":
        fragment = fragment[:-1]
    if fragment and fragment[-1] not in _SENT_END + _CLOSE:
        fragment += "。"
    return fragment


def _word_cut(text: str, budget: int) -> str:
    """Cut at the last word boundary that leaves room for an ellipsis (rare: one huge clause)."""
    from ..text.segmentation import get_segmenter

    room = max(1, budget - 1)
    end = 0
    for tok in get_segmenter().tokenize(text[: room + 8]):
        if tok.end > room:
            break
        end = tok.end
    if end == 0:
        return ""
    return text[:end].rstrip("，,；;：:、 ") + "…"


def trim_to_clauses(sentence: str, budget: int) -> str:
    """Shorten a sentence to at most ``budget`` characters at a clause boundary.

    The longest run of leading clauses (split at ，；： outside quotes and brackets) that fits
    is kept and closed with 。. Only when even the first clause is too long is it cut at a word
    boundary (jieba) and closed with …, so nothing is ever cut inside a word.

    Args:
        sentence: the sentence.
        budget: the character budget (>= 1).

    Returns:
        The sentence itself when it fits, else its trimmed form (``""`` if nothing fits).

    Example:
        >>> trim_to_clauses("市总工会召开会议，部署全年工作，提出十项举措。", 16)
        '市总工会召开会议，部署全年工作。'
    """
    if len(sentence) <= budget:
        return sentence
    best = ""
    for cut in _clause_cuts(sentence):
        candidate = _finish(sentence[:cut])
        if len(candidate) <= budget:
            best = candidate
        else:
            break
    if best:
        return best
    return _word_cut(sentence, budget)


# --------------------------------------------------------------------------- features

_KEEP_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTED = re.compile(r"“[^”]*”")
_SPEECH = re.compile(r"(?:表示|说|指出|介绍|认为|强调|透露|坦言|称)(?:[，,：:]|$)")
_NEWS_CUE = re.compile(
    r"(?:宣布|发布|印发|出台|启动|召开|举行|签署|签订|获悉|显示|公布|通过|批准|决定|推出|实施|开展|成立|落地|"
    r"同比|环比|增长|下降|上涨|下跌|突破|首次|创|达到|累计|合计|共计|总额|报\d)"
)
_AFTERTHOUGHT = re.compile(r"^(?:此外|另外|同时|与此同时|不过|但是|但|而|其中|据了解|据悉|记者了解到|值得一提的是|值得注意的是|对此|他说|她说|他表示|她表示|“)")
_ORG = re.compile(r"(?:公司|集团|银行|政府|委员会|总工会|工会|协会|局|厅|部|院|署|办公室|中心|交易所)")
_TIME = re.compile(r"(?:\d{1,2}月\d{1,2}日|\d{4}年|今年|去年|日前|近日|昨天|今天|\d+日)")

FEATURES: tuple[str, ...] = (
    "bias", "is_first", "is_first_in_para", "rel_pos", "pos_1", "pos_2", "pos_3_5", "pos_gt5",
    "para_0", "para_1", "rel_para", "is_last", "had_dateline",
    "log_len", "len_lt12", "len_gt80", "len_ratio",
    "centrality", "textrank", "title_sim", "has_title", "lead_sim",
    "digit_frac", "n_numbers", "has_percent", "quote_frac", "speech", "news_cue", "afterthought",
    "org_count", "time_mention", "question", "colon_end",
    "log_n_sent", "log_doc_len", "remark",
)


CLAUSE_FEATURES: tuple[str, ...] = (
    "bias", "c_first", "c_last", "c_rel_pos", "c_log_n", "c_log_len", "c_len_frac", "c_time_only",
    "c_attribution", "c_connective", "c_digit_frac", "c_percent", "c_numbers", "c_centrality", "c_title_sim",
    "c_sent_rel", "c_sent_first", "c_colon", "c_quote_frac", "c_paren", "c_news_cue", "c_org", "c_speech",
)
_TIME_ONLY = re.compile(
    r"^(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}年|\d{1,2}日|今年|去年|近日|日前|目前|昨天|今天|昨日|今日|当天|当日|"
    r"此前|近期|本周|上周|近年来|[上下]午|中午|晚间|晚上|早间|凌晨|\d{1,2}[:：]\d{2}|\d{1,2}时(?:\d{1,2}分)?|\s)+$"
)
_CONNECTIVE = re.compile(
    r"^(?:此外|另外|同时|与此同时|不过|但是|但|而且|而|并且|其中|据了解|据悉|据介绍|记者了解到|值得一提的是|对此|因此|所以|也|还)"
)
_ATTRIBUTION = re.compile(r"(?:表示|说|指出|介绍|认为|强调|透露|称|显示|获悉|了解到|报道|提出|明确)$")
_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_CONTINUATION = re.compile(
    r"^(?:并|并且|而|而且|且|也|还|同时|以及|其中|但|但是|从而|进而|其|此外|另外|分别|均|都|又|再|占|较|同比|环比|相当于|即)"
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence: cut after ，；： outside quotes and brackets.

    Each span keeps its trailing mark; a span without letters or digits joins the one before.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in _clause_cuts(text) + [len(text)]:
        if cut <= start:
            continue
        if spans and not any(ch.isalnum() for ch in text[start:cut]):
            spans[-1] = (spans[-1][0], cut)
        else:
            spans.append((start, cut))
        start = cut
    return spans


def _is_quotation(text: str) -> bool:
    """True for a sentence that is (almost) all direct speech in quotation marks."""
    quoted = sum(len(q) for q in _QUOTED.findall(text))
    return quoted >= 0.7 * len(text)


_REMARK = re.compile(r"^[^，,。：:“”]{0,24}?(?:强调|指出|说|表示|认为|称)[，,：:]")


def _is_remark(text: str) -> bool:
    """True for a sentence that opens by attributing what follows to a speaker."""
    return bool(_REMARK.match(text))


def _can_follow(text: str) -> bool:
    """Whether a sentence may be added to a summary after its first sentence."""
    return len(text) >= 15 and not _is_quotation(text) and not text.rstrip("”’」』）)").endswith(("？", "?"))


def _clause_core(text: str) -> str:
    return text.rstrip(_CLAUSE_END + " ")


def _grams(text: str) -> list[str]:
    chars = _KEEP_CHAR.findall(text)
    if len(chars) < 2:
        return chars
    return [a + b for a, b in zip(chars, chars[1:])]


def _bucket(gram: str, n_buckets: int) -> int:
    return zlib.crc32(gram.encode("utf-8")) & (n_buckets - 1)


class _Scorer:
    """Feature extraction and the MLP; weights come from ``weights.npz``."""

    def __init__(self, arrays: dict[str, Any], config: dict[str, Any]) -> None:
        import numpy as np

        self.np = np
        self.idf = arrays["idf"].astype(np.float32)
        self.n_buckets = int(self.idf.shape[0])
        self.mean = arrays["mean"].astype(np.float64)
        self.std = arrays["std"].astype(np.float64)
        self.layers = []
        i = 0
        while f"W{i}" in arrays:
            self.layers.append((arrays[f"W{i}"].astype(np.float64), arrays[f"b{i}"].astype(np.float64)))
            i += 1
        self.clause_w = arrays["CW"].astype(np.float64) if "CW" in arrays else None
        self.cmean = arrays["cmean"].astype(np.float64) if "cmean" in arrays else 0.0
        self.cstd = arrays["cstd"].astype(np.float64) if "cstd" in arrays else 1.0
        if not self.layers:
            raise ModelLoadError("summariser weights have no layers (W0/b0 missing); rebuild the model")
        features = tuple(config.get("features", ()))
        # A model trained before a feature was added reads the columns it knows.
        self.columns = None
        if features != FEATURES and features and set(features) <= set(FEATURES) and len(features) == self.mean.shape[0]:
            self.columns = [FEATURES.index(f) for f in features]
        elif features != FEATURES:
            raise ModelLoadError(
                f"summariser model was trained with features {features!r} but this newsnlp computes "
                f"{FEATURES!r}; rebuild it with `python -m newsnlp.train.summarizer` or reinstall newsnlp"
            )

    def vectors(self, texts: Sequence[str]):
        """Row-normalised TF-IDF matrix over character bigrams, and the raw matrix."""
        np = self.np
        vocab: dict[str, int] = {}
        rows: list[list[int]] = []
        for t in texts:
            ids = []
            for g in _grams(t):
                j = vocab.get(g)
                if j is None:
                    j = vocab[g] = len(vocab)
                ids.append(j)
            rows.append(ids)
        weights = np.array([self.idf[_bucket(g, self.n_buckets)] for g in vocab], dtype=np.float64)
        m = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float64)
        for r, ids in enumerate(rows):
            if ids:
                np.add.at(m[r], ids, 1.0)
        if len(vocab):
            m *= weights[None, :]
        return m, vocab, weights

    def features(self, sentences: Sequence[CleanSentence], title: str | None):
        np = self.np
        n = len(sentences)
        texts = [s.text for s in sentences]
        all_texts = texts + ([title] if title else [])
        raw, vocab, gram_weights = self.vectors(all_texts)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        unit = raw / np.maximum(norms, 1e-9)
        sent_unit = unit[:n]
        doc = raw[:n].sum(axis=0)
        sims = sent_unit @ sent_unit.T
        np.fill_diagonal(sims, 0.0)
        sims = np.clip(sims, 0.0, None)
        # TextRank over the sentence graph (power iteration, damping 0.85).
        out_sum = sims.sum(axis=1, keepdims=True)
        trans = np.divide(sims, out_sum, out=np.zeros_like(sims), where=out_sum > 0)
        rank = np.full(n, 1.0 / n)
        for _ in range(30):
            rank = 0.15 / n + 0.85 * (trans.T @ rank)
        rank = rank * n  # 1.0 = average
        title_vec = unit[n] if title else None
        lens = np.array([len(t) for t in texts], dtype=np.float64)
        mean_len = float(lens.mean()) if n else 1.0
        total_len = float(lens.sum())
        n_paras = max(s.paragraph for s in sentences) + 1 - min(s.paragraph for s in sentences)
        first_para = sentences[0].paragraph
        feats = np.zeros((n, len(FEATURES)), dtype=np.float64)
        prev_para = None
        for i, s in enumerate(sentences):
            t = s.text
            rest = doc - raw[i]
            rn = np.linalg.norm(rest)
            centrality = float(sent_unit[i] @ rest / rn) if rn > 0 else 0.0
            para = s.paragraph - first_para
            digits = sum(ch.isdigit() for ch in t)
            quoted = sum(len(q) for q in _QUOTED.findall(t))
            f = {
                "bias": 1.0,
                "is_first": float(i == 0),
                "is_first_in_para": float(s.paragraph != prev_para),
                "rel_pos": i / max(1, n - 1),
                "pos_1": float(i == 1),
                "pos_2": float(i == 2),
                "pos_3_5": float(3 <= i <= 5),
                "pos_gt5": float(i > 5),
                "para_0": float(para == 0),
                "para_1": float(para == 1),
                "rel_para": para / max(1, n_paras - 1),
                "is_last": float(i == n - 1 and n > 1),
                "had_dateline": float(s.had_dateline),
                "log_len": math.log1p(len(t)),
                "len_lt12": float(len(t) < 12),
                "len_gt80": float(len(t) > 80),
                "len_ratio": len(t) / mean_len,
                "centrality": centrality,
                "textrank": float(rank[i]),
                "title_sim": float(sent_unit[i] @ title_vec) if title_vec is not None else 0.0,
                "has_title": float(title_vec is not None),
                "lead_sim": float(sims[i, 0]) if i > 0 else 1.0,
                "digit_frac": digits / max(1, len(t)),
                "n_numbers": min(5, len(_NUMBER.findall(t))) / 5.0,
                "has_percent": float("%" in t or "％" in t or "百分点" in t),
                "quote_frac": quoted / max(1, len(t)),
                "speech": float(bool(_SPEECH.search(t))),
                "news_cue": min(3, len(_NEWS_CUE.findall(t))) / 3.0,
                "afterthought": float(bool(_AFTERTHOUGHT.match(t))),
                "org_count": min(4, len(_ORG.findall(t))) / 4.0,
                "time_mention": float(bool(_TIME.search(t))),
                "question": float(t.rstrip("”’」』）)").endswith(("？", "?"))),
                "colon_end": float(t.endswith(("：", ":"))),
                "log_n_sent": math.log1p(n),
                "log_doc_len": math.log1p(total_len),
                "remark": float(_is_remark(t)),
            }
            prev_para = s.paragraph
            feats[i] = [f[k] for k in FEATURES]
        ctx = {"vocab": vocab, "weights": gram_weights, "raw": raw[:n], "doc": doc, "title": title_vec}
        return feats, sims, ctx

    def clause_features(self, sentence: CleanSentence, spans, sent_rel: float, ctx):
        """Features of each clause of one sentence (see ``CLAUSE_FEATURES``)."""
        np = self.np
        text = sentence.text
        vocab = ctx["vocab"]
        rest = ctx["doc"] - ctx["raw"][sentence.index]
        rest_norm = float(np.linalg.norm(rest))
        title = ctx["title"]
        n = len(spans)
        out = np.zeros((n, len(CLAUSE_FEATURES)), dtype=np.float64)
        for j, (a, b) in enumerate(spans):
            c = text[a:b]
            core = _clause_core(c)
            ids = [vocab[g] for g in _grams(core) if g in vocab]
            vec = np.zeros(len(rest))
            if ids:
                np.add.at(vec, ids, 1.0)
                vec *= ctx["weights"]
            vn = float(np.linalg.norm(vec))
            digits = sum(ch.isdigit() for ch in core)
            quoted = sum(len(q) for q in _QUOTED.findall(core))
            f = {
                "bias": 1.0,
                "c_first": float(j == 0),
                "c_last": float(j == n - 1),
                "c_rel_pos": j / max(1, n - 1),
                "c_log_n": math.log1p(n),
                "c_log_len": math.log1p(len(core)),
                "c_len_frac": len(c) / max(1, len(text)),
                "c_time_only": float(bool(_TIME_ONLY.match(core))),
                "c_attribution": float(bool(_ATTRIBUTION.search(core))),
                "c_connective": float(bool(_CONNECTIVE.match(core))),
                "c_digit_frac": digits / max(1, len(core)),
                "c_percent": float("%" in core or "％" in core or "百分点" in core),
                "c_numbers": min(3, len(_NUMBER.findall(core))) / 3.0,
                "c_centrality": float(vec @ rest / (vn * rest_norm)) if vn > 0 and rest_norm > 0 else 0.0,
                "c_title_sim": float(vec @ title / vn) if vn > 0 and title is not None else 0.0,
                "c_sent_rel": float(sent_rel),
                "c_sent_first": float(sentence.index == 0),
                "c_colon": float(c.rstrip().endswith(("：", ":"))),
                "c_quote_frac": quoted / max(1, len(core)),
                "c_paren": sum(len(p) for p in _PAREN.findall(core)) / max(1, len(core)),
                "c_news_cue": min(2, len(_NEWS_CUE.findall(core))) / 2.0,
                "c_org": min(2, len(_ORG.findall(core))) / 2.0,
                "c_speech": float(bool(_SPEECH.search(core))),
            }
            out[j] = [f[k] for k in CLAUSE_FEATURES]
        return out

    def clause_scores(self, clause_feats):
        if self.clause_w is None:
            return self.np.zeros(len(clause_feats))
        return ((clause_feats - self.cmean) / self.cstd) @ self.clause_w

    def logits(self, feats):
        np = self.np
        if self.columns is not None:
            feats = feats[:, self.columns]
        h = (feats - self.mean) / self.std
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.tanh(h)
        return h[:, 0]


# --------------------------------------------------------------------------- the summariser

class ExtractiveSummarizer:
    """The shipped extractive summariser: trained sentence and clause scorers plus MMR selection.

    Build it with :meth:`load`; call it on an :class:`Article` or text.

    Args:
        arrays: the weight arrays (``idf``, ``mean``, ``std``, ``W0``, ``b0``, ..., ``CW``).
        config: the settings from ``config.json`` (features, budget and selection parameters).

    Example:
        >>> summ = ExtractiveSummarizer.load()
        >>> summ("本报讯（记者 张三）市总工会召开会议，部署全年工作。会议由李四主持。", max_sentences=1)
        '市总工会召开会议，部署全年工作。'
    """

    def __init__(self, arrays: dict[str, Any], config: dict[str, Any]) -> None:
        self.config = dict(config)
        self._scorer = _Scorer(arrays, self.config)
        sel = self.config.get("selection", {})
        # Two default budgets. An untitled post (a wire flash, a social-media post) gets a
        # headline-sized abstract; an article with a title gets a standfirst, since the title
        # already says what a headline would.
        self.budget_ratio = float(sel.get("budget_ratio", 0.3))
        self.budget_min = int(sel.get("budget_min", 24))
        self.budget_max = int(sel.get("budget_max", DEFAULT_MAX_CHARS))
        self.titled_ratio = float(sel.get("titled_ratio", 0.3))
        self.titled_min = int(sel.get("titled_min", 40))
        self.titled_max = int(sel.get("titled_max", DEFAULT_MAX_CHARS))
        self.mmr_lambda = float(sel.get("mmr_lambda", 0.8))
        self.min_relevance = float(sel.get("min_relevance", 0.0))
        self.fill_min = int(sel.get("fill_min", 12))
        # LCSTS has no titles and short posts, so the scorer cannot learn how much a title or the
        # lead of a long feature is worth; these two weights are tuned with the selection.
        self.title_weight = float(sel.get("title_weight", 0.0))
        self.lead_weight = float(sel.get("lead_weight", 0.0))
        # With the default budget, clauses scored below this are dropped (None: keep all).
        threshold = sel.get("clause_threshold")
        self.clause_threshold = None if threshold is None else float(threshold)
        # Titled news (an archive's posts, wire stories) is not LCSTS: its editors keep whole
        # clauses and fill the standfirst, so these have their own settings. Old configs
        # without them behave as before.
        threshold = sel.get("titled_clause_threshold", self.clause_threshold)
        self.titled_clause_threshold = None if threshold is None else float(threshold)
        self.titled_min_relevance = float(sel.get("titled_min_relevance", self.min_relevance))
        # A text this short is returned whole (cleaned): a flash stays one sentence.
        self.titled_whole = int(sel.get("titled_whole", 0))
        self.untitled_whole = int(sel.get("untitled_whole", 0))
        # Fill a titled article's budget with a clause-trimmed sentence when a whole one does
        # not fit and at least this many characters are left (0: off, whole sentences only).
        self.titled_fill_trim = int(sel.get("titled_fill_trim", 0))
        # In a long article, do not lead with a remark someone made ("习近平总书记强调，…").
        self.lead_with_report = bool(sel.get("lead_with_report", False))
        # With a clause threshold, a first clause below it need not be kept: the best one is.
        self.best_clause_first = bool(sel.get("best_clause_first", False))

    @classmethod
    def load(cls, path: str | Path | None = None) -> "ExtractiveSummarizer":
        """Load the model from a directory (default: the shipped ``models/summarizer``).

        Args:
            path: a directory holding ``config.json`` and ``weights.npz``; ``None`` for the
                shipped model.

        Returns:
            The summariser.

        Raises:
            ModelNotFoundError: the shipped model is missing.
            ModelLoadError: the files are missing or unreadable.

        Example:
            >>> ExtractiveSummarizer.load().budget_for(5000, titled=True) <= 120
            True
        """
        if path is None:
            from ..resources import model_path

            path = model_path(MODEL_NAME)
        path = Path(path)
        cfg_file, weights_file = path / CONFIG_FILE, path / WEIGHTS_FILE
        for f in (cfg_file, weights_file):
            if not f.is_file():
                raise ModelLoadError(
                    f"summariser model directory {path} has no {f.name}; pass a directory written by "
                    "`python -m newsnlp.train.summarizer --out DIR`, or None for the shipped model"
                )
        import numpy as np

        try:
            config = json.loads(cfg_file.read_text(encoding="utf-8"))
            with np.load(weights_file, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except (OSError, ValueError, KeyError) as exc:
            raise ModelLoadError(f"cannot read the summariser model in {path}: {exc}") from None
        return cls(arrays, config)

    # -------------------------------------------------------------- parts, public for training
    def budget_for(self, n_chars: int, *, titled: bool = False) -> int:
        """The default character budget for an article of ``n_chars`` prose characters.

        ``clamp(ratio × n_chars, min, max)``, with the standfirst parameters when the article
        has a title and the headline parameters when it has none. Never above 120.
        """
        if titled:
            ratio, lo, hi, whole = self.titled_ratio, self.titled_min, self.titled_max, self.titled_whole
        else:
            ratio, lo, hi, whole = self.budget_ratio, self.budget_min, self.budget_max, self.untitled_whole
        hi = min(hi, DEFAULT_MAX_CHARS)
        budget = int(min(hi, max(min(lo, hi), round(ratio * n_chars))))
        if n_chars <= min(whole, DEFAULT_MAX_CHARS):
            budget = max(budget, n_chars)
        return budget

    def score(self, sentences: Sequence[CleanSentence], title: str | None = None):
        """Score sentences.

        Returns:
            ``(relevance, similarity, context)``: relevance in (0, 1] (1 = the best sentence),
            the sentence-to-sentence cosine matrix used for redundancy, and what clause scoring
            reuses.
        """
        np = self._scorer.np
        feats, sims, ctx = self._scorer.features(sentences, title)
        logits = (
            self._scorer.logits(feats)
            + self.title_weight * feats[:, FEATURES.index("title_sim")]
            + self.lead_weight * feats[:, FEATURES.index("is_first")]
        )
        rel = np.exp(logits - logits.max())
        return rel, sims, ctx

    def compress(
        self, sentence: CleanSentence, relevance: float, ctx, *, budget: int | None, threshold: float | None
    ) -> str:
        """Keep the clauses of one sentence that are worth it and fit ``budget``.

        The first clause that is more than a time phrase (the sentence's subject, usually) is
        kept when it fits; the others are added best first while they fit and, when
        ``threshold`` is given, score at least ``threshold``. Clauses keep their order; a
        trimmed sentence ends with 。. A sentence with one clause that does not fit is cut at
        a word boundary.
        """
        text = sentence.text
        spans = clause_spans(text)
        if len(spans) == 1 or (threshold is None and (budget is None or len(text) <= budget)):
            if budget is None or len(text) <= budget:
                return text
            return _word_cut(text, budget)
        feats = self._scorer.clause_features(sentence, spans, relevance, ctx)
        scores = self._scorer.clause_scores(feats)
        time_only = feats[:, CLAUSE_FEATURES.index("c_time_only")]
        lengths = [b - a for a, b in spans]
        mandatory = next((j for j in range(len(spans)) if not time_only[j]), 0)
        if self.best_clause_first and threshold is not None and scores[mandatory] < threshold:
            # The subject clause is worth little here: the news is in a later clause.
            mandatory = max((j for j in range(len(spans)) if not time_only[j]), key=lambda j: (scores[j], -j), default=mandatory)
        chosen: set[int] = set()
        used = 0
        if budget is None or lengths[mandatory] <= budget:
            chosen.add(mandatory)
            used = lengths[mandatory]
        order = sorted(range(len(spans)), key=lambda j: (-scores[j], j))
        for j in order:
            if j in chosen or (threshold is not None and scores[j] < threshold):
                continue
            if budget is not None and used + lengths[j] > budget:
                continue
            chosen.add(j)
            used += lengths[j]
        # Keep what is left readable: a clause that continues the one before it ("并…", "其中…")
        # needs that clause, and an attribution ("张三表示，") needs what was said.
        clause_texts = [text[a:b] for a, b in spans]
        for j in sorted(chosen):
            if j == mandatory or j not in chosen:
                continue
            if j > 0 and j - 1 not in chosen and _CONTINUATION.match(clause_texts[j]):
                chosen.discard(j)
        used = sum(lengths[j] for j in chosen)
        for j in sorted(chosen):
            core = _clause_core(clause_texts[j])
            if _ATTRIBUTION.search(core) and j + 1 < len(spans) and j + 1 not in chosen:
                if budget is None or used + lengths[j + 1] <= budget:
                    chosen.add(j + 1)
                    used += lengths[j + 1]
                elif j != mandatory:
                    chosen.discard(j)
                    used -= lengths[j]
        if not chosen:
            a, b = spans[mandatory]
            return _word_cut(text[a:b], budget) if budget else ""
        picked = sorted(chosen)
        out = "".join(text[a:b] for a, b in (spans[j] for j in picked))
        return out if picked[-1] == len(spans) - 1 else _finish(out)

    def select(
        self,
        sentences: Sequence[CleanSentence],
        relevance,
        sims,
        ctx,
        *,
        budget: int | None,
        max_sentences: int | None,
        threshold: float | None = None,
        min_relevance: float = 0.0,
        fill_trim: int = 0,
        lead_with_report: bool = False,
    ) -> str:
        """MMR selection into the budget; returns the summary text in document order.

        ``threshold`` drops low-value clauses (see :meth:`compress`); sentences less relevant
        than ``min_relevance`` (relative to the best) are not added after the first. With
        ``fill_trim``, a later sentence that does not fit whole is trimmed at a clause boundary
        into what is left when that is at least ``fill_trim`` characters. With
        ``lead_with_report``, an article of 8 or more sentences does not open its summary with
        a remark attributed to someone ("…强调，…").
        """
        chosen: dict[int, str] = {}
        used = 0
        remaining = set(range(len(sentences)))
        while remaining:
            if max_sentences is not None and len(chosen) >= max_sentences:
                break
            if budget is not None and budget - used < (1 if not chosen else self.fill_min):
                break

            def mmr(i: int) -> float:
                red = max((sims[i, j] for j in chosen), default=0.0)
                return self.mmr_lambda * relevance[i] - (1 - self.mmr_lambda) * red

            # Only the first pick may be anything; what is added after it must be able to
            # stand in a summary: not a bare quotation ("“…。”" is colour), not a question,
            # not a scrap of a few characters.
            if chosen:
                pool = [i for i in sorted(remaining) if _can_follow(sentences[i].text)
                        and not (lead_with_report and len(sentences) >= 8 and _is_remark(sentences[i].text))]
            elif len(sentences) >= 8:  # a feature: lead with reporting, not with a quotation
                pool = [i for i in sorted(remaining) if not _is_quotation(sentences[i].text)
                        and not (lead_with_report and _is_remark(sentences[i].text))] or sorted(remaining)
            else:  # a short post may well be one quotation worth reporting
                pool = sorted(remaining)
            if not pool:
                break
            best = max(pool, key=mmr)
            remaining.discard(best)
            if chosen and relevance[best] < min_relevance:
                break
            room = None if budget is None else budget - used
            if not chosen:
                text = self.compress(sentences[best], float(relevance[best]), ctx, budget=room, threshold=threshold)
            else:
                # Later sentences come whole (less any low-value clauses) or not at all: filling
                # the last few characters with a fragment reads badly and scores worse.
                text = self.compress(sentences[best], float(relevance[best]), ctx, budget=None, threshold=threshold)
                if room is not None and len(text) > room and fill_trim and room >= fill_trim:
                    trimmed = trim_to_clauses(text, room)
                    last = _clause_core(trimmed.rstrip("。"))
                    last = last[max(0, max(last.rfind("，"), last.rfind("；")) + 1):]
                    # Only a trim that still says something: not cut after "…称" or a bare date.
                    if len(trimmed) >= fill_trim and not trimmed.endswith("…") and not _ATTRIBUTION.search(last) \
                            and not _TIME_ONLY.match(last):
                        text = trimmed
                if (room is not None and len(text) > room) or len(text) < min(self.fill_min, len(sentences[best].text)):
                    continue
            if not text:
                continue
            chosen[best] = text
            used += len(text)
        summary = "".join(chosen[i] for i in sorted(chosen))
        if summary.endswith(("；", ";", "，", ",", "：", ":")):
            summary = summary[:-1] + "。"
        return summary

    def __call__(
        self,
        article: Article | str,
        *,
        max_chars: int | None = None,
        max_sentences: int | None = None,
    ) -> str:
        """Summarise one article.

        Args:
            article: an :class:`Article` or article text.
            max_chars: character budget. ``None`` (default) adapts it to the article's length
                (a headline-sized abstract for a short post, at most 120 characters for a long
                feature) and drops low-value clauses (leading dates, asides); with
                ``max_sentences`` alone, whole sentences are returned and only their number is
                limited.
            max_sentences: at most this many sentences.

        Returns:
            The summary, sentences in document order; ``""`` for an empty article.

        Raises:
            TypeError: ``article`` is not an Article or text.
            ValueError: ``max_chars`` or ``max_sentences`` is smaller than 1.

        Example:
            >>> summ = ExtractiveSummarizer.load()
            >>> summ("【快讯】沪指收涨1.2%，成交额放大。", max_chars=12)
            '沪指收涨1.2%。'
        """
        if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1):
            raise ValueError(f"max_chars={max_chars!r} is not a valid budget; pass an int >= 1 or None for the default")
        if max_sentences is not None and (
            isinstance(max_sentences, bool) or not isinstance(max_sentences, int) or max_sentences < 1
        ):
            raise ValueError(f"max_sentences={max_sentences!r} is not valid; pass an int >= 1 or None")
        article = as_article(article)
        # Scoring is quadratic in sentences; a summary never comes from past the first few
        # hundred, so very long documents are cut there.
        sentences = clean_sentences(article.text)[:MAX_SENTENCES]
        if not sentences:
            return ""
        threshold, min_relevance, fill_trim = None, 0.0, 0
        titled = bool(article.title)
        if max_chars is not None:
            budget: int | None = max_chars
        elif max_sentences is not None:
            budget = None
        else:
            budget = self.budget_for(sum(len(s.text) for s in sentences), titled=titled)
            if titled:
                threshold, min_relevance = self.titled_clause_threshold, self.titled_min_relevance
                fill_trim = self.titled_fill_trim
            else:
                threshold, min_relevance = self.clause_threshold, self.min_relevance
        if max_chars is None and max_sentences is None and titled and self.titled_whole:
            whole = "".join(s.text for s in sentences)
            if len(whole) <= min(self.titled_whole, DEFAULT_MAX_CHARS):
                return whole  # a flash is its own abstract, cleaned
        relevance, sims, ctx = self.score(sentences, article.title)
        return self.select(
            sentences, relevance, sims, ctx,
            budget=budget, max_sentences=max_sentences, threshold=threshold, min_relevance=min_relevance,
            fill_trim=fill_trim, lead_with_report=self.lead_with_report,
        )


_default: ExtractiveSummarizer | None = None
_default_lock = threading.Lock()


def default_summarizer() -> ExtractiveSummarizer:
    """The shipped summariser, loaded once per process."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ExtractiveSummarizer.load()
    return _default
