"""Reading an archive: every article found, as a :class:`Source` (or one that says why it cannot be read).

A folder of posts (through :func:`newsnlp.archive.walk_posts`), a JSONL or Parquet file of
records, or a folder written by ``datasets``' ``save_to_disk``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal, Mapping

from ..archive import Problem, count_posts, is_dataset_dir, load_saved_dataset, walk_posts
from ..article import ARTICLE_SUFFIXES
from ..errors import ArticleError

__all__ = ["Source", "open_archive", "record_hash"]


@dataclass
class Source:
    """An article as found in the archive, before deciding whether to analyse it."""

    id: str
    path: str | None
    kind: Literal["file", "record"]
    payload: Any = None
    content_hash: str | None = None
    state: Any = None  # FileState of a file, for write-back
    error: tuple[str, str] | None = None  # (reason, error type) when it cannot even be read
    stale: bool = False  # unchanged, but its record was made by other model versions


def _file_sources(root: Path, max_chars: int, *, follow_links: bool = False,
                  stale_temps: list[Path] | None = None) -> Iterator[Source]:
    """Every post under ``root`` as a :class:`Source`; an entry that cannot be read is one with ``error``."""
    from ..frontmatter import FileState

    for item in walk_posts(root, follow_links=follow_links, stale_temps=stale_temps):
        if isinstance(item, Problem):
            yield Source(item.id, item.path, "file", error=(item.reason, item.error_type))
            continue
        path, stem_id = item
        rel_parent = path.parent.relative_to(root).as_posix()
        article_id = stem_id if rel_parent == "." else f"{rel_parent}/{stem_id}"
        shown = str(path)
        try:
            st = path.stat()
            # UTF-8 Chinese is 3 bytes a character: a file this big is too long whatever it holds,
            # and is not read into memory at all.
            if st.st_size > 4 * max_chars + 4096:
                yield Source(
                    article_id, shown, "file",
                    error=(f"too long: {st.st_size} bytes, more than max_chars={max_chars} characters; "
                           "raise --max-chars to analyse it", "ArticleTooLong"),
                )
                continue
            data = path.read_bytes()
        except OSError as exc:
            yield Source(article_id, shown, "file", error=(f"cannot read the file: {exc.strerror or exc}", type(exc).__name__))
            continue
        state = FileState(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())
        yield Source(article_id, shown, "file", payload=data, content_hash=state.sha256, state=state)


def record_hash(record: Mapping[str, Any]) -> str:
    """The content hash of a record: SHA-256 of its canonical JSON (so equal rows hash alike in every format)."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _record_sources(rows: Iterable[tuple[str, Any]], id_key: str) -> Iterator[Source]:
    for n, (where, row) in enumerate(rows, 1):
        if isinstance(row, Exception):
            yield Source(f"#{n}", where, "record", error=(str(row), type(row).__name__))
            continue
        if not isinstance(row, Mapping):
            yield Source(f"#{n}", where, "record", error=(f"expected a JSON object, got {type(row).__name__}", "TypeError"))
            continue
        rid = row.get(id_key)
        article_id = str(rid) if rid is not None and str(rid) != "" else f"#{n}"
        yield Source(article_id, where, "record", payload=dict(row), content_hash=record_hash(row))


def _jsonl_rows(path: Path) -> Iterator[tuple[str, Any]]:
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield where, json.loads(line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield where, ArticleError(f"line {lineno} is not valid UTF-8 JSON ({exc})")


def _parquet_rows(path: Path) -> Iterator[tuple[str, Any]]:
    import pyarrow.parquet as pq

    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            n += 1
            yield f"{path}:{n}", row


def _dataset_rows(ds, path: Path) -> Iterator[tuple[str, Any]]:
    for n, row in enumerate(ds, 1):
        yield f"{path}:{n}", row


def open_archive(archive: Path, *, max_chars: int, id_key: str, split: str | None, follow_links: bool = False,
                 stale_temps: list[Path] | None = None) -> tuple[str, int, Iterator[Source]]:
    """Return ``(kind, total, sources)`` for an archive path."""
    if not archive.exists():
        raise ArticleError(f"{archive}: no such file or folder; pass a folder of posts, a .jsonl/.parquet file or a saved dataset")
    if is_dataset_dir(archive):
        ds = load_saved_dataset(archive, split)
        return "dataset", len(ds), _record_sources(_dataset_rows(ds, archive), id_key)
    if archive.is_dir():
        return "posts", count_posts(archive, follow_links=follow_links), _file_sources(
            archive, max_chars, follow_links=follow_links, stale_temps=stale_temps)
    suffix = archive.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with open(archive, "rb") as fh:
            total = sum(1 for line in fh if line.strip())
        return "jsonl", total, _record_sources(_jsonl_rows(archive), id_key)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return "parquet", pq.ParquetFile(archive).metadata.num_rows, _record_sources(_parquet_rows(archive), id_key)
    raise ArticleError(
        f"{archive}: unsupported archive ({suffix or 'no suffix'}); pass a folder of "
        f"{'/'.join(ARTICLE_SUFFIXES)} posts, a .jsonl or .parquet file, or a folder written by "
        "datasets' save_to_disk"
    )
