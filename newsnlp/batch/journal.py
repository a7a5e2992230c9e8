"""The results JSONL (the journal): reading what earlier runs wrote, compacting it, the errors file, the lock.

One JSON record per line, flushed line by line, appended by every run: the last record of an
id wins. :func:`read_results` is the public reader.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Iterator

from .._util import copy_owner_and_mode, mkstemp_beside
from ..errors import NewsNLPError
from .plan import Known, versions_digest

__all__ = ["read_results", "read_index", "read_record_at", "compact", "replace_errors_file", "lock_or_fail",
           "is_left_over"]


def read_index(output: Path, *, repair: bool) -> tuple[dict[str, Known], int]:
    """Read ids, hashes and versions digests already in ``output``; return ``(index, records)``.

    Only what deciding to skip needs is kept, never whole records. A last line without its
    newline is what a killed run leaves: it is cut off (with ``repair``) or ignored. The last
    record of an id wins.
    """
    index: dict[str, Known] = {}
    if not output.exists():
        return index, 0
    records = 0
    digests: dict[str, str] = {}
    with open(output, "rb") as fh:
        offset = 0
        cut_at = None
        for lineno, line in enumerate(fh, 1):
            if not line.endswith(b"\n"):
                cut_at = offset
                break
            try:
                rec = json.loads(line)
                rid, chash = str(rec["id"]), rec["content_hash"]
            except (ValueError, KeyError, TypeError):
                if line.strip():
                    warnings.warn(f"{output}:{lineno}: not a newsnlp record; ignored", RuntimeWarning, stacklevel=3)
                offset += len(line)
                continue
            hashes = {chash}
            if rec.get("written_hash"):
                hashes.add(rec["written_hash"])
            index[rid] = Known(hashes, offset, versions_digest(rec.get("versions"), digests))
            records += 1
            offset += len(line)
    if cut_at is not None and repair:
        os.truncate(output, cut_at)
    return index, records


def read_record_at(output: Path, offset: int) -> dict[str, Any]:
    with open(output, "rb") as fh:
        fh.seek(offset)
        return json.loads(fh.readline())


def read_results(path: str | os.PathLike) -> Iterator[dict[str, Any]]:
    """Yield the records of a ``tag_archive`` JSONL output, the last one of each id only.

    A file from a run that was killed may hold an old and a new record for an article that
    changed; a finished run compacts the file, but this reader is always right. A cut-off
    last line is skipped.

    Example:
        >>> {r["id"]: r["summary"] for r in read_results("tags.jsonl")}  # doctest: +SKIP
        {'2024-01-26-wuhan-union-hardship-fund': '武汉市总工会……'}
    """
    last: dict[str, int] = {}
    with open(path, "rb") as fh:
        offset = 0
        for line in fh:
            if line.endswith(b"\n"):
                try:
                    last[str(json.loads(line)["id"])] = offset
                except (ValueError, KeyError, TypeError):
                    pass
            offset += len(line)
    keep = set(last.values())
    with open(path, "rb") as fh:
        offset = 0
        for line in fh:
            if offset in keep:
                yield json.loads(line)
            offset += len(line)


def compact(output: Path, last_offsets: dict[str, int]) -> None:
    """Rewrite ``output`` keeping the last record of each id in ``last_offsets``, atomically.

    Ids left out of ``last_offsets`` lose all their records: that is how pruning drops them.
    """
    keep = set(last_offsets.values())

    fd, tmp = mkstemp_beside(output)
    try:
        with os.fdopen(fd, "wb") as out, open(output, "rb") as fh:
            offset = 0
            for line in fh:
                if offset in keep:
                    out.write(line)
                offset += len(line)
            out.flush()
            os.fsync(out.fileno())
        copy_owner_and_mode(tmp, output)  # mkstemp makes 0600 files: keep the output's own mode and owner
        os.replace(tmp, output)
        tmp = None
    finally:
        if tmp is not None:
            os.unlink(tmp)


def is_left_over(path: Path) -> bool:
    """Whether ``path`` is a temporary file a killed run left (not one a live run is writing)."""
    from ..archive import is_stale_temp

    return is_stale_temp(path.parent, path.name)


def replace_errors_file(tmp: str, errors_path: Path, *, keep_unseen: set[str] | None) -> None:
    """Put this run's errors file in place; with ``keep_unseen`` (an interrupted run: the ids it
    reached), the old file's entries of other ids are kept after the new ones."""
    try:
        if keep_unseen is not None and errors_path.exists():
            with open(tmp, "ab") as out, open(errors_path, "rb") as old:
                for line in old:
                    try:
                        rid = json.loads(line).get("id")
                    except (ValueError, AttributeError):
                        continue
                    if rid not in keep_unseen and line.endswith(b"\n"):
                        out.write(line)
        copy_owner_and_mode(tmp, errors_path if errors_path.exists() else None)
        os.replace(tmp, errors_path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def lock_or_fail(fh: Any, path: Path) -> None:
    """Hold an exclusive lock on the output: two runs appending to one file would interleave."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise NewsNLPError(
            f"{path} is being written by another `newsnlp tag` run; wait for it to finish or choose another -o"
        ) from None
