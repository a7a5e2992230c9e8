"""The results JSONL (the journal): reading what earlier runs wrote, compacting it, the errors file, the lock.

One JSON record per line, flushed line by line, appended by every run: the last record of an
id wins. :func:`read_results` is the public reader.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any, Iterator

from .._util import copy_owner_and_mode, mkstemp_beside
from ..errors import NewsNLPError
from .plan import Known, versions_digest

__all__ = ["read_results", "read_index", "read_record_at", "compact", "replace_errors_file", "lock_or_fail",
           "is_left_over", "JournalWriter", "ErrorLog", "warn_caller", "without_path"]


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
                    warn_caller(f"{output}:{lineno}: not a newsnlp record; ignored")
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


class JournalWriter:
    """Appends records to the journal, one flushed line each, and keeps where each id's last record starts.

    ``last_offsets`` (id -> offset) comes from :func:`read_index` and is updated in place;
    ``duplicates`` counts the ids with more than one record, which compaction removes.
    """

    def __init__(self, path: Path, last_offsets: dict[str, int], duplicates: int) -> None:
        self.path = path
        self.last_offsets = last_offsets
        self.duplicates = duplicates
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "ab")
        self._offset = self._fh.seek(0, os.SEEK_END)

    def append(self, article_id: str, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        self._fh.write(line)
        self._fh.flush()  # one complete line at a time: a killed run loses at most the line being written
        if article_id in self.last_offsets:
            self.duplicates += 1
        self.last_offsets[article_id] = self._offset
        self._offset += len(line)

    def close(self) -> None:
        self._fh.close()


class ErrorLog:
    """This run's errors: every entry in a temporary file that replaces the errors file at :meth:`close`.

    An interrupted run keeps the old entries of the articles it did not get to. With no
    ``path`` (a dry run) entries are printed to stderr instead. The first 1,000 are also kept
    in ``failures`` (the report's), so memory stays flat.
    """

    def __init__(self, path: Path | None, failures: list[dict[str, Any]]) -> None:
        self.path = path
        self.failures = failures
        self._fh = None
        self._tmp: str | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = mkstemp_beside(path)
            self._fh = os.fdopen(fd, "wb")

    def add(self, entry: dict[str, Any]) -> None:
        # The path has its own field (and is printed before the reason): not again in the reason.
        entry = {"id": entry.get("id"), "path": entry.get("path"),
                 "reason": without_path(entry["reason"], entry.get("path")), "error_type": entry["error_type"]}
        if len(self.failures) < 1000:  # the errors file has them all; keep memory flat
            self.failures.append(entry)
        if self._fh is not None:
            self._fh.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
            self._fh.flush()
        else:
            print(f"newsnlp tag: {entry['path'] or entry['id']}: {entry['reason']}", file=sys.stderr)

    def close(self, *, keep_unseen: set[str] | None) -> None:
        """Put the new errors file in place (see :func:`replace_errors_file`)."""
        if self._fh is None:
            return
        self._fh.close()
        self._fh = None
        assert self.path is not None and self._tmp is not None
        replace_errors_file(self._tmp, self.path, keep_unseen=keep_unseen)


def without_path(reason: str, path: str | None) -> str:
    """``reason`` without a leading ``"<path>: "`` (readers name the file they read in their errors)."""
    if path and reason.startswith(f"{path}: "):
        return reason[len(path) + 2:]
    return reason


def warn_caller(message: str) -> None:
    """A ``RuntimeWarning`` attributed to the first caller outside :mod:`newsnlp.batch` (who called tag_archive)."""
    frame = sys._getframe(1)
    level = 2  # warnings.warn's count: 1 is this function, 2 its caller (frame)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("newsnlp.batch"):
        frame = frame.f_back
        level += 1
    warnings.warn(message, RuntimeWarning, stacklevel=level)
