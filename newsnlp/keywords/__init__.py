"""Keywords and tags: candidates, scoring, editor-style tags, the tag vocabulary and IDF.

- :mod:`.extractor`: :class:`KeywordExtractor` (candidates, features, ranking, tags).
- :mod:`.vocabulary`: :class:`TagVocabulary`, learned from an archive's tags (``newsnlp tags learn``).
- :mod:`.idf`: :class:`IDFTable` (``newsnlp idf build``).
"""

from __future__ import annotations

from .extractor import KeywordExtractor, KeywordWeights, load_stopwords, normalize_tag
from .idf import IDFTable, build_idf, default_idf
from .vocabulary import TagVocabulary, learn_vocabulary

__all__ = ["KeywordExtractor", "KeywordWeights", "load_stopwords", "normalize_tag", "IDFTable", "build_idf",
           "default_idf", "TagVocabulary", "learn_vocabulary"]


def __getattr__(name: str):
    # 0.1 had one module here; its other names (helpers, constants) are still reachable.
    from . import extractor as _module

    try:
        return getattr(_module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
