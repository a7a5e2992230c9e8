"""Entities: organisations, officials (person, title, organisation), programmes, persons, places.

- :mod:`.extractor`: :class:`EntityExtractor`: loads the tagger, runs the rules below over its spans
  and assembles :class:`newsnlp.Entities` (:func:`~.extractor.assemble_entities`);
- :mod:`.rules`: the rule tables as data (titles, organisation endings and short forms, programme
  heads, scheme cues, places, surnames, known bodies) and :class:`~.rules.RulePatterns`;
- :mod:`.candidates`: candidate mentions and how overlaps are resolved;
- :mod:`.spans`: repair of the model's spans (:class:`~.spans.ModelSpanRepair`);
- :mod:`.persons`: person-name rules;
- :mod:`.organisations`: organisation rules (:class:`~.organisations.OrganisationFinder`) and short
  form -> full name (:class:`~.organisations.OrgResolver`);
- :mod:`.officials`: title chains -> officials (:class:`~.officials.TitleChainParser`);
- :mod:`.programmes`: programmes (:class:`~.programmes.ProgrammeFinder`);
- :mod:`.scoring`: :func:`entity_labels` and :func:`score_entity_labels`;
- :mod:`.gazetteer`: listed companies and places (:class:`Gazetteer`).
- :mod:`.lexicon`: an archive's learned entity lexicon (``newsnlp entities learn``).
- :mod:`.backends`: the NER taggers (each a :class:`newsnlp.protocols.NERTagger` returning
  :class:`newsnlp.types.NERSpan` lists); torch and transformers are imported only there.
"""

from __future__ import annotations

from .extractor import (
    COMPANY_TITLES, ORG_SUFFIXES, PROGRAMME_HEADS, SCHEME_CUES, TITLE_LEXICON, EntityExtractor, entity_labels,
    score_entity_labels, short_form_of,
)
from . import lexicon as _lexicon

# The lexicon learner's default extractor is wired here, not imported by lexicon.py (no import cycle).
if _lexicon.default_extractor is None:
    _lexicon.default_extractor = EntityExtractor.load

__all__ = ["EntityExtractor", "TITLE_LEXICON", "ORG_SUFFIXES", "PROGRAMME_HEADS", "SCHEME_CUES", "COMPANY_TITLES",
           "entity_labels", "score_entity_labels", "short_form_of"]


def __getattr__(name: str):
    # 0.1 had one module here; its other names (helpers, constants) are still reachable: the extractor
    # module forwards each to the module of its job.
    from . import extractor as _module

    try:
        return getattr(_module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
