"""Result types: frozen dataclasses with ``to_dict()``. Offsets index the article's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Label = Literal["PERSON", "ORG", "TITLE", "LOC", "PROGRAMME"]
LABELS: tuple[str, ...] = ("PERSON", "ORG", "TITLE", "LOC", "PROGRAMME")


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: ``text == article_text[start:end]``."""

    text: str
    start: int
    end: int
    paragraph: int = 0


@dataclass(frozen=True)
class Keyword:
    """A keyword with its score (higher is better; scores are comparable within one call)."""

    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": round(self.score, 6)}


@dataclass(frozen=True)
class Span:
    """One occurrence of an entity in the text: ``article_text[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


#: What an NER tagger labels (rules add PROGRAMME on top).
NERLabel = Literal["PERSON", "ORG", "TITLE", "LOC"]


@dataclass(frozen=True)
class NERSpan:
    """An entity an NER tagger found in a text: ``text[start:end] == span.text``.

    What every :class:`newsnlp.protocols.NERTagger` returns (the shipped BiLSTM-CRF and the transformers
    back-end alike). ``subtype`` refines ORG ("gov", "company", "organisation") where the model can
    tell, and is ``None`` otherwise.

    >>> NERSpan(0, 2, "PERSON", None, "李谦").to_dict()
    {'start': 0, 'end': 2, 'label': 'PERSON', 'subtype': None, 'text': '李谦'}
    """

    start: int
    end: int
    label: NERLabel
    subtype: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the span as a JSON-ready dict."""
        return {"start": self.start, "end": self.end, "label": self.label, "subtype": self.subtype, "text": self.text}


@dataclass(frozen=True)
class Mention:
    """A raw entity mention as found by the model or a rule."""

    text: str
    label: str
    start: int
    end: int
    subtype: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "label": self.label, "start": self.start, "end": self.end}
        if self.subtype:
            d["subtype"] = self.subtype
        return d


@dataclass(frozen=True)
class Entity:
    """An entity listed once under its canonical name, with every mention kept."""

    name: str
    mentions: tuple[Span, ...] = ()
    subtype: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "mentions": [m.to_dict() for m in self.mentions]}
        if self.subtype:
            d["subtype"] = self.subtype
        return d


@dataclass(frozen=True)
class Official:
    """A person with the title(s) the article gives them and the organisation of that title."""

    name: str
    title: str
    organisation: str | None = None
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "organisation": self.organisation,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class Entities:
    """Everything :func:`newsnlp.extract_entities` finds in one article."""

    organisations: tuple[Entity, ...] = ()
    officials: tuple[Official, ...] = ()
    programmes: tuple[Entity, ...] = ()
    persons: tuple[Entity, ...] = ()
    places: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisations": [e.to_dict() for e in self.organisations],
            "officials": [o.to_dict() for o in self.officials],
            "programmes": [e.to_dict() for e in self.programmes],
            "persons": [e.to_dict() for e in self.persons],
            "places": [e.to_dict() for e in self.places],
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class Analysis:
    """The whole analysis of one article."""

    id: str | None
    title: str | None
    summary: str
    tags: tuple[str, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    entities: Entities = field(default_factory=Entities)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "tags": list(self.tags),
            "keywords": [k.to_dict() for k in self.keywords],
            "entities": self.entities.to_dict(),
        }
