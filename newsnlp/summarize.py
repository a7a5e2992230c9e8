"""Extractive summarisation (placeholder lead baseline; replaced by the trained model)."""

from __future__ import annotations

from .article import Article
from .text import split_sentences

DEFAULT_MAX_CHARS = 120


class ExtractiveSummarizer:
    """Pick whole sentences up to a character budget and return them in document order."""

    @classmethod
    def load(cls, path=None) -> "ExtractiveSummarizer":
        return cls()

    def __call__(self, article: Article, *, max_chars: int | None = None, max_sentences: int | None = None) -> str:
        budget = DEFAULT_MAX_CHARS if max_chars is None else max_chars
        out: list[str] = []
        used = 0
        for s in split_sentences(article.text):
            if out and (used + len(s.text) > budget or (max_sentences and len(out) >= max_sentences)):
                break
            out.append(s.text)
            used += len(s.text)
        return "".join(out)
