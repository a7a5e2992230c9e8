"""Evaluation sets: the project's sample corpus and the public JSONL corpora in ``--data-dir``.

Public corpora are read with ``datasets.load_dataset("json", data_files=...)`` (datasets ≥ 3
has no loading scripts); only the evaluation splits are kept, capped by ``limit``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

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


@dataclass(frozen=True)
class PublicSet:
    """Where a public evaluation set is and which of its records are evaluated."""

    name: str
    folder: str
    description: str
    keep: Callable[[dict[str, Any]], bool]
    split_label: str


def _numeric_id(record_id: str) -> int:
    return int(str(record_id).rsplit("-", 1)[-1])


def msra_is_eval(record: dict[str, Any]) -> bool:
    """The MSRA evaluation third: the NER trainer's own split when it is importable.

    Falls back to numeric id ``% 3 == 2`` (the split ``newsnlp.train.ner`` documents).
    """
    try:
        from newsnlp.train.ner import role_of
    except ImportError:
        return _numeric_id(record["id"]) % 3 == 2
    return role_of("msra", record) == "eval:msra_eval"


def _split_part():
    try:
        from newsnlp.train.idf import split_part
    except ImportError:
        return None
    return split_part


def keyword_set_is_eval(record: dict[str, Any]) -> bool:
    """TNEWS / CSL: the dev records of the half the keyword weights were *not* tuned on.

    Only the dev parts ship here; ``newsnlp.train.idf.split_part`` halves them by CRC32 of
    the id ("tune" / "report"). Without that function every dev record is kept.
    """
    if record.get("split") != "dev":
        return False
    split_part = _split_part()
    return split_part is None or split_part(record["id"]) == "report"


def keyword_split_label() -> str:
    if _split_part() is None:
        return "dev split (all of it)"
    return "dev split, 'report' half (newsnlp.train.idf.split_part; the 'tune' half tuned the keyword weights)"


PUBLIC_SETS: dict[str, PublicSet] = {
    "lcsts": PublicSet("LCSTS", "lcsts", "Weibo posts of news outlets with one-line human summaries",
                       lambda r: r.get("split") == "val", "val split"),
    "cluener": PublicSet("CLUENER2020", "cluener2020", "Sina News sentences, 10 entity labels",
                         lambda r: r.get("split") == "dev", "dev split"),
    "msra": PublicSet("MSRA NER", "msra_ner", "People's Daily sentences (validation part), PER/LOC/ORG",
                      msra_is_eval, "evaluation third (numeric id % 3 == 2, held out of training)"),
    "resume": PublicSet("Resume NER", "resume_ner", "Sina Finance executive resumes",
                        lambda r: r.get("split") == "test", "test split"),
    "csl": PublicSet("CSL", "csl_keywords", "Chinese scientific abstracts (title + abstract) with author keywords",
                     keyword_set_is_eval, "see keyword_split_label()"),
    "tnews": PublicSet("TNEWS", "tnews_keywords", "Toutiao headlines (title only) with Toutiao's keywords",
                       keyword_set_is_eval, "see keyword_split_label()"),
}


def public_path(data_dir: Path, key: str) -> Path:
    spec = PUBLIC_SETS[key]
    return Path(data_dir) / spec.folder / f"{spec.folder}.jsonl"


def load_public(data_dir: Path, key: str, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Load the evaluation records of one public set with ``datasets``.

    Args:
        data_dir: the folder holding one sub-folder per corpus (``../shared/data``).
        key: one of :data:`PUBLIC_SETS`.
        limit: keep at most this many records (the first ones, in file order).

    Raises:
        FileNotFoundError: the corpus file is missing.
    """
    path = public_path(data_dir, key)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; --data-dir must hold {PUBLIC_SETS[key].folder}/")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    table = datasets.load_dataset("json", data_files=str(path), split="train")
    spec = PUBLIC_SETS[key]
    records: list[dict[str, Any]] = []
    for record in table:
        if spec.keep(record):
            records.append(record)
            if limit is not None and len(records) >= limit:
                break
    return records
