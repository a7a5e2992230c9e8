"""Sentence and clause features, and the scorer that reads them (``models/summarizer/weights.npz``).

Each sentence gets cheap features: position and paragraph, length, centrality (TextRank and TF-IDF
cosine to the rest of the document over character bigrams), similarity to the title, figure
density, quotes, cue phrases, whether a dateline was cut (:data:`FEATURES`). Each clause of a
sentence gets its own (:data:`CLAUSE_FEATURES`). :class:`SentenceScorer` computes them and runs the
small numpy MLP trained on LCSTS (``newsnlp/train/summarizer.py``) and the linear clause scorer.
Inference needs only numpy, imported when a scorer is built.
"""

from __future__ import annotations

import math
import re
import zlib
from typing import Any, Sequence

from ..errors import ModelLoadError
from .cleaning import CleanSentence
from .trimming import clause_core

__all__ = [
    "FEATURES", "CLAUSE_FEATURES", "SentenceScorer", "char_bigrams", "gram_bucket", "is_quotation", "is_remark",
    "TIME_ONLY", "ATTRIBUTION_END",
]

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
TIME_ONLY = re.compile(
    r"^(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}年|\d{1,2}日|今年|去年|近日|日前|目前|昨天|今天|昨日|今日|当天|当日|"
    r"此前|近期|本周|上周|近年来|[上下]午|中午|晚间|晚上|早间|凌晨|\d{1,2}[:：]\d{2}|\d{1,2}时(?:\d{1,2}分)?|\s)+$"
)
_CONNECTIVE = re.compile(
    r"^(?:此外|另外|同时|与此同时|不过|但是|但|而且|而|并且|其中|据了解|据悉|据介绍|记者了解到|值得一提的是|对此|因此|所以|也|还)"
)
ATTRIBUTION_END = re.compile(r"(?:表示|说|指出|介绍|认为|强调|透露|称|显示|获悉|了解到|报道|提出|明确)$")
_PAREN = re.compile(r"[（(][^（）()]*[）)]")


def is_quotation(text: str) -> bool:
    """True for a sentence that is (almost) all direct speech in quotation marks."""
    quoted = sum(len(q) for q in _QUOTED.findall(text))
    return quoted >= 0.7 * len(text)


_REMARK = re.compile(r"^[^，,。：:“”]{0,24}?(?:强调|指出|说|表示|认为|称)[，,：:]")


def is_remark(text: str) -> bool:
    """True for a sentence that opens by attributing what follows to a speaker."""
    return bool(_REMARK.match(text))


def char_bigrams(text: str) -> list[str]:
    """The character bigrams of a text's letters, digits and Chinese characters (one char: itself).

    Example:
        >>> char_bigrams("GDP增长5%")
        ['GD', 'DP', 'P增', '增长', '长5']
    """
    chars = _KEEP_CHAR.findall(text)
    if len(chars) < 2:
        return chars
    return [a + b for a, b in zip(chars, chars[1:])]


def gram_bucket(gram: str, n_buckets: int) -> int:
    """The IDF table row of a bigram: its CRC-32 hashed into ``n_buckets`` (a power of two)."""
    return zlib.crc32(gram.encode("utf-8")) & (n_buckets - 1)


class SentenceScorer:
    """Feature extraction and the MLP; weights come from ``weights.npz``.

    Args:
        arrays: the weight arrays (``idf``, ``mean``, ``std``, ``W0``, ``b0``, ..., ``CW``).
        config: the model's ``config.json`` (its ``features`` say which columns the MLP reads).

    Raises:
        ModelLoadError: the weights have no layers, or were trained on unknown features.
    """

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
            for g in char_bigrams(t):
                j = vocab.get(g)
                if j is None:
                    j = vocab[g] = len(vocab)
                ids.append(j)
            rows.append(ids)
        weights = np.array([self.idf[gram_bucket(g, self.n_buckets)] for g in vocab], dtype=np.float64)
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
                "remark": float(is_remark(t)),
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
            core = clause_core(c)
            ids = [vocab[g] for g in char_bigrams(core) if g in vocab]
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
                "c_time_only": float(bool(TIME_ONLY.match(core))),
                "c_attribution": float(bool(ATTRIBUTION_END.search(core))),
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
