"""The fixed splits of the public corpora: which records trained or tuned a shipped model, which are kept
for measuring it. One home, read by the training scripts (``newsnlp.train``) and by the evaluation.

- :func:`split_part`: TNEWS and CSL ship only their dev parts here; newsnlp halves them itself by CRC32
  of the record id: ``tune`` (keyword weights were tuned there) and ``report`` (numbers are reported there).
- :func:`role_of`: the NER trainer's split of CLUENER2020, Resume NER and MSRA (``train``, ``val`` or
  ``eval:<name>``), from the numeric part of the record id.
"""

from __future__ import annotations

import zlib
from typing import Any, Mapping

__all__ = ["numeric_id", "role_of", "split_part"]


def numeric_id(record_id: str) -> int:
    """The number at the end of a record id.

    >>> numeric_id("msra-dev-42")
    42
    """
    return int(str(record_id).rsplit("-", 1)[-1])


def split_part(record_id: str) -> str:
    """Return ``"tune"`` or ``"report"``: a fixed half of a corpus, by CRC32 of the record id.

    TNEWS and CSL ship only their public dev parts here (every record says ``split: dev``),
    so newsnlp splits them itself: tune weights on one half, report on the other.

    Example:
        >>> split_part("tnews-dev-0") in {"tune", "report"}
        True
    """
    return "tune" if zlib.crc32(record_id.encode("utf-8")) % 2 == 0 else "report"


def role_of(domain: str, record: Mapping[str, Any]) -> str:
    """Return "train", "val" or "eval:<name>" for a record of an NER corpus (see :mod:`newsnlp.train.ner`).

    >>> role_of("msra", {"id": "msra-dev-5", "split": "dev"})
    'eval:msra_eval'
    """
    n = numeric_id(record["id"])
    split = record["split"]
    if domain == "cluener":
        if split == "dev":
            return "eval:cluener_dev"
        return "val" if n % 20 == 0 else "train"
    if domain == "resume":
        if split in ("dev", "test"):
            return f"eval:resume_{split}"
        return "val" if n % 20 == 0 else "train"
    if domain == "msra":
        if n % 3 == 2:
            return "eval:msra_eval"
        return "val" if n % 10 == 0 else "train"
    raise ValueError(f"unknown domain {domain!r}")
