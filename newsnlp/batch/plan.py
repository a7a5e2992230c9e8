"""What a run does with each article and record: skip, analyse, refresh, keep, prune. Pure: no I/O.

The journal (:mod:`newsnlp.batch.journal`) says what earlier runs recorded -- one :class:`Known`
per id -- and the archive says what is there now; these functions decide from the two alone,
so every rule of resuming is tested here without a file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping

__all__ = ["Known", "Action", "versions_digest", "decide", "to_prune", "hand_written"]

Action = Literal["analyse", "refresh", "skip", "keep_stale"]
"""``analyse``: new or changed (or forced); ``refresh``: unchanged, but recorded by other versions;
``skip``: unchanged and recorded by these versions; ``keep_stale``: as refresh, but kept (``--keep-stale``)."""


@dataclass(slots=True)
class Known:
    """What the journal holds for one id: only what deciding to skip needs, never the record."""

    hashes: set[str]  # the content hash it was made from, and the hash of the post after write-back
    offset: int  # where its last record starts in the journal
    versions: str | None  # versions_digest() of the record's versions; None when it has none


def versions_digest(versions: Any, cache: dict[str, str] | None = None) -> str | None:
    """A short digest of a ``versions`` dict: equal digests iff equal dicts.

    The index holds one per id, so ``cache`` (canonical JSON -> digest) hands every record
    with the same versions the same string object: memory per id stays one pointer.

    Example:
        >>> versions_digest({"newsnlp": "0.1.0", "ner": "a"}) == versions_digest({"ner": "a", "newsnlp": "0.1.0"})
        True
        >>> versions_digest(None) is None
        True
    """
    if not isinstance(versions, dict):
        return None
    canonical = json.dumps(versions, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    if cache is not None:
        digest = cache.get(canonical)
        if digest is not None:
            return digest
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
    if cache is not None and len(cache) < 1024:  # distinct versions are few; bound it anyway
        cache[canonical] = digest
    return digest


def decide(known: Known | None, content_hash: str | None, *, versions: str | None, force: bool = False,
           refresh_stale: bool = True) -> Action:
    """What to do with an article found in the archive, given its journal entry (``known``).

    Args:
        known: the journal's entry for the article's id, or None when it has no record.
        content_hash: the article's hash now.
        versions: :func:`versions_digest` of this run's model versions.
        force: analyse every article again.
        refresh_stale: analyse again an unchanged article recorded by other versions.

    Example:
        >>> known = Known({"h1"}, 0, "v1")
        >>> decide(known, "h1", versions="v1"), decide(known, "h2", versions="v1"), decide(None, "h1", versions="v1")
        ('skip', 'analyse', 'analyse')
        >>> decide(known, "h1", versions="v2"), decide(known, "h1", versions="v2", refresh_stale=False)
        ('refresh', 'keep_stale')
    """
    if known is None or force or content_hash not in known.hashes:
        return "analyse"
    if known.versions != versions:
        return "refresh" if refresh_stale else "keep_stale"
    return "skip"


def to_prune(recorded: Iterable[str], seen: set[str], *, walked: bool, unreadable_rows: int,
             archive: Any) -> tuple[list[str], str | None]:
    """The ids whose records a ``--prune`` run drops, and why nothing is dropped when it refuses.

    Args:
        recorded: the ids in the journal.
        seen: the ids found in the archive in this run.
        walked: whether the run went over the whole archive (not interrupted).
        unreadable_rows: rows of the archive that could not be parsed (their real ids are unknown).
        archive: the archive, for the messages.

    Returns:
        ``(ids to drop, sorted; None)``, or ``([], the reason)`` when pruning would be unsafe.

    Example:
        >>> to_prune(["a", "b"], {"a"}, walked=True, unreadable_rows=0, archive="_posts")
        (['b'], None)
        >>> to_prune(["a", "b"], {"a"}, walked=False, unreadable_rows=0, archive="_posts")
        ([], None)
    """
    if not walked:
        return [], None
    gone = sorted(rid for rid in recorded if rid not in seen)
    if gone and not seen:
        return [], f"{archive} holds no article, so every record would go; is that the right archive?"
    if gone and unreadable_rows:
        return [], f"{unreadable_rows} row(s) of {archive} could not be read, so their ids are unknown; fix them and run again"
    return gone, None


def hand_written(values: Mapping[str, Any], current: Mapping[str, Any], ours: Mapping[str, Any]) -> list[str]:
    """The front-matter keys of ``values`` that hold a value newsnlp did not write, kept unless ``--overwrite``.

    Args:
        values: what this run would write, by key.
        current: the post's front matter now.
        ours: what newsnlp wrote there last time (the previous record's values), by key.

    Example:
        >>> hand_written({"summary": "新", "tags": ["甲"]}, {"summary": "旧", "tags": ["手写"]}, {"summary": "旧"})
        ['tags']
    """
    return [key for key in values
            if key in current and current[key] != values[key] and (key not in ours or current[key] != ours[key])]
