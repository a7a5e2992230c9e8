"""The stub analyzers of the batch and Ray engine tests, in a module of their own.

Worker processes and Ray actors import it by name (the Ray test cluster puts this folder on the
workers' PYTHONPATH; a class defined in a test module would be importable there only by accident).
"""

from __future__ import annotations

import os

from newsnlp.article import as_article
from newsnlp.types import Analysis, Entities, Entity, Keyword, Official


class StubAnalyzer:
    """A fast, deterministic analyzer: first sentence as summary, crash markers for tests.

    "DIE_NOW" in the text ends the process (a worker dying, as in a segfault or the OOM
    killer); "模型崩溃" raises.
    """

    def __call__(self, article):
        article = as_article(article)
        text = article.text
        if "DIE_NOW" in text:
            os._exit(3)
        if "模型崩溃" in text:
            raise RuntimeError("stub model crashed on this article")
        first = text.split("。")[0] + "。"
        return Analysis(
            id=article.id,
            title=article.title,
            summary=first,
            tags=(article.title or "无题",),
            keywords=(Keyword("宁波", 1.0), Keyword("工会", 0.5)),
            entities=Entities(
                organisations=(Entity("宁波市总工会"),),
                officials=(Official("李谦", "主席", "宁波市总工会"),),
                programmes=(Entity("春风行动"),),
            ),
        )


def make_stub() -> StubAnalyzer:
    """Factory for the NEWSNLP_BATCH_ANALYZER hook."""
    return StubAnalyzer()
