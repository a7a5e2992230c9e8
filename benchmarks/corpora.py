"""Evaluation sets: the project's sample corpus and the public JSONL corpora in ``--data-dir``.

Public corpora are read with ``datasets.load_dataset("json", data_files=...)`` (datasets ≥ 3
has no loading scripts); only the evaluation splits are kept, capped by ``limit``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsnlp.article import Article, read_article

SAMPLE_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Sample:
    """One sample-corpus article with its labels (see docs/ for the labelling guidelines)."""

    article: Article
    labels: dict[str, Any]


def load_sample(data_dir: Path = SAMPLE_DIR, *, limit: int | None = None) -> list[Sample]:
    """Read ``labels.jsonl`` and the posts it names.

    Raises:
        FileNotFoundError: the labels file or a post is missing.
    """
    labels_path = Path(data_dir) / "labels.jsonl"
    if not labels_path.is_file():
        raise FileNotFoundError(f"{labels_path} not found; the sample corpus lives in benchmarks/data/")
    samples: list[Sample] = []
    with labels_path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            labels = json.loads(line)
            article = read_article(Path(data_dir) / labels["path"])
            samples.append(Sample(article, labels))
            if limit is not None and len(samples) >= limit:
                break
    return samples


# --------------------------------------------------------------------------- public sets

# One definition of the public sets, their evaluation splits and their reader, shared with
# ``newsnlp evaluate --data NAME --data-dir DIR`` (newsnlp/evaluation/data.py).
from newsnlp.evaluation.data import (  # noqa: E402
    PUBLIC_SETS,
    PublicSet,
    keyword_set_is_eval,
    keyword_split_label,
    load_public,
    msra_is_eval,
    public_path,
)

__all__ = ["SAMPLE_DIR", "Sample", "load_sample", "PUBLIC_SETS", "PublicSet", "keyword_set_is_eval",
           "keyword_split_label", "load_public", "msra_is_eval", "public_path"]
