"""Keywords and tag suggestions (placeholder jieba TF-IDF; replaced by the news-domain extractor)."""

from __future__ import annotations

from .article import Article
from .types import Keyword


class KeywordExtractor:
    """Rank keyword candidates of an article."""

    @classmethod
    def load(cls, path=None, *, segmenter=None) -> "KeywordExtractor":
        return cls()

    def extract(self, article: Article, *, top_k: int = 10, entities=None) -> list[Keyword]:
        if not article.text.strip() and not (article.title or "").strip():
            return []
        import jieba.analyse

        text = ((article.title or "") + "\n" + article.text).strip()
        return [Keyword(w, float(s)) for w, s in jieba.analyse.extract_tags(text, topK=top_k, withWeight=True)]

    def suggest_tags(self, article: Article, *, k: int = 5, vocabulary=None, entities=None, keywords=None) -> list[str]:
        return [kw.text for kw in self.extract(article, top_k=k)]
