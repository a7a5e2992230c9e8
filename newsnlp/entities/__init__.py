"""Entities: organisations, officials (person, title, organisation), programmes, persons, places.

- :mod:`.extractor`: :class:`EntityExtractor` (rules, span repair, organisation resolution, title
  chains to officials, assembly into :class:`newsnlp.Entities`).
- :mod:`.gazetteer`: listed companies and places (:class:`Gazetteer`).
- :mod:`.lexicon`: an archive's learned entity lexicon (``newsnlp entities learn``).
- :mod:`.backends`: the NER taggers; torch and transformers are imported only there.
"""

from __future__ import annotations

from .extractor import (
    COMPANY_TITLES, ORG_SUFFIXES, PROGRAMME_HEADS, SCHEME_CUES, TITLE_LEXICON, EntityExtractor, entity_labels,
    score_entity_labels, short_form_of,
)

__all__ = ["EntityExtractor", "TITLE_LEXICON", "ORG_SUFFIXES", "PROGRAMME_HEADS", "SCHEME_CUES", "COMPANY_TITLES",
           "entity_labels", "score_entity_labels", "short_form_of"]


def __getattr__(name: str):
    # 0.1 had one module here; its other names (helpers, constants) are still reachable.
    from . import extractor as _module

    try:
        return getattr(_module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
