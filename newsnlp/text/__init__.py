"""The text layer: sentences, word segmentation and POS tags, with offsets into the original text.

- :mod:`.sentences`: :func:`split_sentences`, lossless and offset-preserving.
- :mod:`.segmentation`: :class:`Segmenter` (a private jieba tokenizer, user dictionaries),
  :func:`get_segmenter` for the shared default.
- :mod:`.posseg`: a faster POS tagger over jieba's tables; :mod:`.jieba_dict` reads them once.
- :mod:`.news`: news boilerplate as data (outlets, datelines, reporter credits, credit lines),
  shared by the summarisers, the entity extractor and the tagger (imported where used).
"""

from __future__ import annotations

from .segmentation import Segmenter, Token, get_segmenter
from .sentences import split_sentences

__all__ = ["split_sentences", "Segmenter", "Token", "get_segmenter"]
