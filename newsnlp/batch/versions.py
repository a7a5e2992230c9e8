"""The versions stamped on every record: newsnlp's, each shipped model's, and digests of the archive options.

A record made by other versions than this run's is stale (see :mod:`newsnlp.batch.plan`).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import AnalyzerConfig, option_digest

__all__ = ["model_versions"]


@lru_cache(maxsize=None)
def _shipped_model_versions(root: str) -> tuple[tuple[str, str], ...]:
    """(name, id) of each model folder under ``root``, listed and hashed once per process."""
    out = []
    for child in sorted(Path(root).iterdir()):
        if child.name.startswith((".", "_")) or child.name == "__pycache__" or child.suffix in (".md", ".py"):
            continue
        out.append((child.name, _hash_model_dir(str(child))))
    return tuple(out)


@lru_cache(maxsize=None)
def _hash_model_dir(path: str) -> str:
    """A short id for a shipped model: its declared version/hash, else a hash of its files."""
    p = Path(path)
    for meta_name in ("meta.json", "metadata.json", "version.json"):
        meta = p / meta_name
        if meta.is_file():
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                break
            for key in ("version", "sha256", "hash", "model_id"):
                if isinstance(data, dict) and data.get(key):
                    return str(data[key])
            break
    h = hashlib.sha256()
    files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() != ".md")
    for f in files:
        h.update(f.relative_to(p.parent).as_posix().encode())
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return "sha256:" + h.hexdigest()[:16]


def model_versions(analyzer: Any = None) -> dict[str, str]:
    """The newsnlp version and an id for each model used, as stored in every output record.

    Shipped models (``models/*``) are identified by the version in their ``meta.json`` when
    they declare one, else by a hash of their files (computed once per process).

    Example:
        >>> model_versions()["newsnlp"]  # doctest: +SKIP
        '0.1.0'
    """
    from ..version import __version__
    from ..errors import ModelNotFoundError
    from ..resources import models_dir

    versions = {"newsnlp": __version__}
    try:
        root = models_dir()
    except ModelNotFoundError:
        root = None
    if root is not None:
        versions.update(_shipped_model_versions(str(root)))
    config = getattr(analyzer, "config", None)
    if isinstance(config, AnalyzerConfig):
        # The models by name, the archive data (user dictionary, tag vocabulary, entity lexicon,
        # IDF table, gazetteer) by content digest, every other option that changes results under
        # "config"; nothing more with the defaults, so older records stay current.
        versions.update(config.versions())
        return versions
    for attr in ("summary_model", "ner_model"):  # another analyzer: what it says it uses
        value = getattr(analyzer, attr, None)
        if value:
            versions[attr] = str(value)
    for attr in ("user_dict", "tag_vocabulary", "entity_lexicon"):
        value = getattr(analyzer, attr, None)
        if value is not None:
            versions[attr] = _option_digest(value)
    return versions


_option_digest = option_digest  # one home: newsnlp.config
