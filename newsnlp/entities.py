"""Entities (placeholder jieba POS baseline; replaced by the trained NER model plus rules)."""

from __future__ import annotations

from .article import Article
from .text import get_segmenter
from .types import Entities, Entity, Mention, Span

_POS_LABEL = {"nr": "PERSON", "nt": "ORG", "ns": "LOC"}


class EntityExtractor:
    """Find organisations, officials, programmes, persons and places in an article."""

    @classmethod
    def load(cls, model=None, *, segmenter=None, device="auto", local_files_only=True) -> "EntityExtractor":
        return cls()

    def __call__(self, article: Article) -> Entities:
        mentions = [
            Mention(t.text, _POS_LABEL[t.pos], t.start, t.end)
            for t in get_segmenter().pos_tag(article.text)
            if t.pos in _POS_LABEL
        ]

        def group(label: str) -> tuple[Entity, ...]:
            by_name: dict[str, list[Span]] = {}
            for m in mentions:
                if m.label == label:
                    by_name.setdefault(m.text, []).append(Span(m.text, m.start, m.end))
            return tuple(Entity(n, tuple(s)) for n, s in by_name.items())

        return Entities(
            organisations=group("ORG"), persons=group("PERSON"), places=group("LOC"), mentions=tuple(mentions)
        )
