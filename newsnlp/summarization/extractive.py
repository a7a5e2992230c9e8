"""Extractive summarisation with the shipped, trained sentence scorer (``models/summarizer``).

How a summary is made:

1. The article is split into sentences; boilerplate is removed first (:mod:`.cleaning`): dateline
   prefixes (``本报讯（记者…）``, ``新华社杭州3月5日电``, ``【快讯】``) are cut from the sentence that
   carries them, credit lines (``记者 XX 摄``, ``责任编辑：…``, ``（完）``) are dropped whole.
2. Each sentence gets cheap features (:mod:`.features`): position and paragraph, length, centrality
   (TextRank and TF-IDF cosine to the rest of the document over character bigrams), similarity to
   the title, figure density, quotes, cue phrases, whether a dateline was cut.
3. A small numpy MLP, trained on LCSTS (targets: each sentence's character ROUGE against the
   human summary, see ``newsnlp/train/summarizer.py``), scores them.
4. Sentences are picked by MMR (relevance minus redundancy) into a character budget and put
   back in document order (this module). A sentence longer than the budget is trimmed at a clause
   boundary (，；：), never inside a word, quote or bracket (:mod:`.trimming`); the words are the
   summariser's :class:`~newsnlp.text.Segmenter`'s, so a user dictionary keeps its words whole.

The default budget adapts to the article: ``clamp(ratio × length, lo, hi)``, tuned so that a
one-paragraph post gets a headline-sized abstract and a long feature gets two sentences' worth.
Inference needs only numpy. (The module is not called ``summarize``: importing a submodule of
that name would replace the function ``newsnlp.summarize`` on the package.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .._util import LazyDefault, check_positive_int
from ..article import Article, as_article
from ..errors import ModelLoadError
from .cleaning import CleanSentence, clean_sentences, strip_attributions
from .features import (
    ATTRIBUTION_END,
    CLAUSE_FEATURES,
    FEATURES,
    TIME_ONLY,
    SentenceScorer,
    char_bigrams,
    gram_bucket,
    is_quotation,
    is_remark,
)
from .trimming import clause_core, clause_spans, finish_clause, trim_to_clauses, word_cut

if TYPE_CHECKING:
    from ..text.segmentation import Segmenter

__all__ = [
    "ExtractiveSummarizer", "DEFAULT_MAX_CHARS", "clean_sentences", "trim_to_clauses", "CleanSentence", "strip_attributions",
    "SentenceScorer", "FEATURES", "CLAUSE_FEATURES", "CONFIG_FILE", "WEIGHTS_FILE", "clause_spans", "char_bigrams",
    "gram_bucket", "default_summarizer",
]

DEFAULT_MAX_CHARS = 120
MAX_SENTENCES = 200
MODEL_NAME = "summarizer"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.npz"

# A clause that continues the one before it ("并…", "其中…") needs that clause.
_CONTINUATION = re.compile(
    r"^(?:并|并且|而|而且|且|也|还|同时|以及|其中|但|但是|从而|进而|其|此外|另外|分别|均|都|又|再|占|较|同比|环比|相当于|即)"
)



def _can_follow(text: str) -> bool:
    """Whether a sentence may be added to a summary after its first sentence."""
    return len(text) >= 15 and not is_quotation(text) and not text.rstrip("”’」』）)").endswith(("？", "?"))


class ExtractiveSummarizer:
    """The shipped extractive summariser: trained sentence and clause scorers plus MMR selection.

    Build it with :meth:`load`; call it on an :class:`Article` or text.

    Args:
        arrays: the weight arrays (``idf``, ``mean``, ``std``, ``W0``, ``b0``, ..., ``CW``).
        config: the settings from ``config.json`` (features, budget and selection parameters).
        segmenter: the :class:`~newsnlp.text.Segmenter` whose words a trim never cuts (default:
            the shared :func:`~newsnlp.text.get_segmenter`); pass one with the user's dictionary.

    Example:
        >>> summ = ExtractiveSummarizer.load()
        >>> summ("本报讯（记者 张三）市总工会召开会议，部署全年工作。会议由李四主持。", max_sentences=1)
        '市总工会召开会议，部署全年工作。'
    """

    def __init__(self, arrays: dict[str, Any], config: dict[str, Any], *, segmenter: "Segmenter | None" = None) -> None:
        self.config = dict(config)
        self._segmenter = segmenter
        self._scorer = SentenceScorer(arrays, self.config)
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

    @property
    def segmenter(self) -> "Segmenter":
        """The segmenter that says where words end when a clause has to be cut."""
        if self._segmenter is None:
            from ..text.segmentation import get_segmenter

            return get_segmenter()
        return self._segmenter

    @classmethod
    def load(cls, path: str | Path | None = None, *, segmenter: "Segmenter | None" = None) -> "ExtractiveSummarizer":
        """Load the model from a directory (default: the shipped ``models/summarizer``).

        Args:
            path: a directory holding ``config.json`` and ``weights.npz``; ``None`` for the
                shipped model.
            segmenter: see :class:`ExtractiveSummarizer` (default: the shared segmenter).

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
        return cls(arrays, config, segmenter=segmenter)

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
            return word_cut(text, budget, segmenter=self.segmenter)
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
            core = clause_core(clause_texts[j])
            if ATTRIBUTION_END.search(core) and j + 1 < len(spans) and j + 1 not in chosen:
                if budget is None or used + lengths[j + 1] <= budget:
                    chosen.add(j + 1)
                    used += lengths[j + 1]
                elif j != mandatory:
                    chosen.discard(j)
                    used -= lengths[j]
        if not chosen:
            a, b = spans[mandatory]
            return word_cut(text[a:b], budget, segmenter=self.segmenter) if budget else ""
        picked = sorted(chosen)
        out = "".join(text[a:b] for a, b in (spans[j] for j in picked))
        return out if picked[-1] == len(spans) - 1 else finish_clause(out)

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
                        and not (lead_with_report and len(sentences) >= 8 and is_remark(sentences[i].text))]
            elif len(sentences) >= 8:  # a feature: lead with reporting, not with a quotation
                pool = [i for i in sorted(remaining) if not is_quotation(sentences[i].text)
                        and not (lead_with_report and is_remark(sentences[i].text))] or sorted(remaining)
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
                    trimmed = trim_to_clauses(text, room, segmenter=self.segmenter)
                    last = clause_core(trimmed.rstrip("。"))
                    last = last[max(0, max(last.rfind("，"), last.rfind("；")) + 1):]
                    # Only a trim that still says something: not cut after "…称" or a bare date.
                    if len(trimmed) >= fill_trim and not trimmed.endswith("…") and not ATTRIBUTION_END.search(last) \
                            and not TIME_ONLY.match(last):
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
        if max_chars is not None:
            check_positive_int("max_chars", max_chars, hint="; pass an int >= 1 or None for the default")
        if max_sentences is not None:
            check_positive_int("max_sentences", max_sentences, hint="; pass an int >= 1 or None")
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


_default = LazyDefault(lambda: ExtractiveSummarizer.load())


def default_summarizer() -> ExtractiveSummarizer:
    """The shipped summariser, loaded once per process."""
    return _default.get()


# The 0.1 private names of this module, now public in their new homes (tests, old scripts).
_OLD_NAMES = {
    "_Scorer": ("features", "SentenceScorer"),
    "_grams": ("features", "char_bigrams"),
    "_bucket": ("features", "gram_bucket"),
    "_is_quotation": ("features", "is_quotation"),
    "_is_remark": ("features", "is_remark"),
    "_TIME_ONLY": ("features", "TIME_ONLY"),
    "_ATTRIBUTION": ("features", "ATTRIBUTION_END"),
    "_KEEP_CHAR": ("features", "_KEEP_CHAR"),
    "_NUMBER": ("features", "_NUMBER"),
    "_QUOTED": ("features", "_QUOTED"),
    "_SPEECH": ("features", "_SPEECH"),
    "_NEWS_CUE": ("features", "_NEWS_CUE"),
    "_AFTERTHOUGHT": ("features", "_AFTERTHOUGHT"),
    "_ORG": ("features", "_ORG"),
    "_TIME": ("features", "_TIME"),
    "_CONNECTIVE": ("features", "_CONNECTIVE"),
    "_PAREN": ("features", "_PAREN"),
    "_REMARK": ("features", "_REMARK"),
    "_clause_core": ("trimming", "clause_core"),
    "_clause_cuts": ("trimming", "clause_cuts"),
    "_finish": ("trimming", "finish_clause"),
    "_word_cut": ("trimming", "word_cut"),
    "_CLAUSE_END": ("trimming", "CLAUSE_END"),
    "_OPEN": ("trimming", "_OPEN"),
    "_CLOSE": ("trimming", "_CLOSE"),
    "_SENT_END": ("trimming", "_SENT_END"),
    "_strip_dateline": ("..text.news", "strip_dateline"),
    "_NAME": ("..text.news", "PERSON_NAME"),
    "_AGENCY": ("..text.news", "OUTLET"),
    "_CREDIT_PAREN": ("..text.news", "CREDIT_PAREN"),
    "_DATELINE_PATTERNS": ("..text.news", "DATELINE_PATTERNS"),
    "_BOILERPLATE_LINE": ("..text.news", "BOILERPLATE_LINE"),
    "_PHOTO_CREDIT": ("..text.news", "PHOTO_CREDIT"),
    "_INLINE_CREDIT": ("..text.news", "INLINE_CREDIT"),
    "_CAPTION": ("..text.news", "CAPTION"),
    "_STOCK_CODE": ("cleaning", "_STOCK_CODE"),
    "_SOURCE_TAG": ("cleaning", "_SOURCE_TAG"),
    "_LEAD_ATTRIBUTION": ("cleaning", "_LEAD_ATTRIBUTION"),
    "_COLUMN_TAG": ("cleaning", "_COLUMN_TAG"),
    "_LINE_MARKER": ("cleaning", "_LINE_MARKER"),
}


def __getattr__(name: str) -> Any:
    old = _OLD_NAMES.get(name)
    if old is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module, attr = old
    return getattr(importlib.import_module(module if module.startswith("..") else "." + module, __package__), attr)
