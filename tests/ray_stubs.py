"""Analyzers for the Ray engine tests, in a module of their own so Ray workers can import them.

The test cluster puts this folder on the workers' PYTHONPATH; a class defined in a test module
would be importable there only by accident.
"""

from __future__ import annotations

from newsnlp.article import as_article
from newsnlp.types import Analysis, Entities, Entity, Keyword, Official


class StubAnalyzer:
    """Fast and deterministic: first sentence as summary; "模型崩溃" in the text raises."""

    def __call__(self, article):
        article = as_article(article)
        text = article.text
        if "模型崩溃" in text:
            raise RuntimeError("stub model crashed on this article")
        first = text.split("。")[0] + "。"
        return Analysis(
            id=article.id,
            title=article.title,
            summary=first,
            tags=(article.title or "无题",),
            keywords=(Keyword("宁波", 1.0), Keyword(first[:4], 0.5)),
            entities=Entities(
                organisations=(Entity("宁波市总工会"),),
                officials=(Official("李谦", "主席", "宁波市总工会"),),
                programmes=(Entity("春风行动"),),
            ),
        )


def make_stub() -> StubAnalyzer:
    """Factory for the NEWSNLP_BATCH_ANALYZER hook."""
    return StubAnalyzer()
