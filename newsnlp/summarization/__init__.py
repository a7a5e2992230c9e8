"""Abstracts: the shipped extractive model and seq2seq back-ends.

- :mod:`.extractive`: :class:`ExtractiveSummarizer` (sentence cleaning, features, scoring, trimming).
- :mod:`.abstractive`: :class:`AbstractiveSummarizer` for BART / Pegasus / T5 (torch inside functions).
- :mod:`.pegasus_tokenizer`: the jieba-based tokenizer Chinese Pegasus checkpoints need.

The function :func:`newsnlp.summarize` keeps its name; this package is ``summarization``.
"""

from __future__ import annotations

from .abstractive import AbstractiveSummarizer
from .extractive import DEFAULT_MAX_CHARS, ExtractiveSummarizer

__all__ = ["AbstractiveSummarizer", "ExtractiveSummarizer", "DEFAULT_MAX_CHARS"]
