"""Keywords and tags: candidates, scoring, editor-style tags, the tag vocabulary and IDF.

One module per job; each imports only the ones above it in this list:

- :mod:`.idf`: :class:`IDFTable`, document frequencies (``newsnlp idf build``);
- :mod:`.candidates`: an article's candidate words, phrases and quoted names;
- :mod:`.tags`: the editor's tag rules (:func:`normalize_tag`, :func:`editor_tag_ok`,
  :func:`market_tags`, feed labels, organisation short forms) and the choice of an article's tags;
- :mod:`.scoring`: :class:`KeywordWeights` and :class:`KeywordScorer` (features, score, ranking);
- :mod:`.vocabulary`: :class:`TagVocabulary`, learned from an archive (``newsnlp tags learn``);
- :mod:`.extractor`: :class:`KeywordExtractor`, which loads the model and wires the jobs together.

This ``__init__`` only re-exports and wires the default tagger of
:func:`learn_vocabulary_from_keywords` (the shipped extractor).
"""

from __future__ import annotations

from . import vocabulary as _vocabulary
from .candidates import load_stopwords, norm_key
from .extractor import KeywordExtractor, shipped_extractor, suggest_with_shipped_model
from .idf import IDFTable, build_idf, default_idf, iter_archive
from .scoring import KeywordScorer, KeywordWeights, load_keyphraseness, save_keyphraseness
from .tags import editor_tag_ok, is_feed_label, market_tags, normalize_tag, org_aliases
from .vocabulary import TagInfo, TagVocabulary, learn_vocabulary, learn_vocabulary_from_keywords, merge_variants

__all__ = ["KeywordExtractor", "KeywordWeights", "KeywordScorer", "load_stopwords", "normalize_tag", "norm_key",
           "editor_tag_ok", "market_tags", "is_feed_label", "org_aliases", "IDFTable", "build_idf", "default_idf",
           "iter_archive", "TagInfo", "TagVocabulary", "learn_vocabulary", "learn_vocabulary_from_keywords",
           "merge_variants", "load_keyphraseness", "save_keyphraseness", "shipped_extractor"]

if _vocabulary.default_suggest is None:
    _vocabulary.default_suggest = suggest_with_shipped_model


def __getattr__(name: str):
    # 0.1 had one module here; its other names (helpers, constants) are still reachable.
    from . import extractor as _module

    try:
        return getattr(_module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
