"""Abstracts: the shipped extractive model and seq2seq back-ends.

- :mod:`.cleaning`: the prose sentences of an article, datelines and credits removed
  (:func:`clean_sentences`, :class:`CleanSentence`, :func:`strip_attributions`);
- :mod:`.features`: sentence and clause features and the :class:`SentenceScorer` that reads them;
- :mod:`.trimming`: cutting to a budget at clause, then word boundaries, shared by both back-ends;
- :mod:`.extractive`: :class:`ExtractiveSummarizer` (load, score, select by MMR);
- :mod:`.abstractive`: :class:`AbstractiveSummarizer` for BART / Pegasus / T5 (torch inside functions);
- :mod:`.pegasus_tokenizer`: the jieba-based tokenizer Chinese Pegasus checkpoints need.

The news boilerplate itself (outlets, dateline and credit patterns) is data in
:mod:`newsnlp.text.news`. The function :func:`newsnlp.summarize` keeps its name; this package is
``summarization``.
"""

from __future__ import annotations

from .abstractive import AbstractiveSummarizer
from .extractive import DEFAULT_MAX_CHARS, ExtractiveSummarizer

__all__ = ["AbstractiveSummarizer", "ExtractiveSummarizer", "DEFAULT_MAX_CHARS"]
