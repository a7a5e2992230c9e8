"""Analyse a whole archive: parallel, streaming, resumable, and never losing a post.

:func:`tag_archive` reads a directory of posts (recursively), a JSONL or Parquet file or a
``datasets`` dataset saved on disk, analyses every article in worker processes that each
load the models once, and appends one JSON record per article to a JSONL file, flushed line
by line. Re-running skips articles whose content hash is already in the output with a record
made by the same model versions (see :func:`model_versions`); an unchanged article whose record
was made by other versions -- after an upgrade of newsnlp or a model -- is analysed again
unless ``refresh_stale=False``. A run killed at any point is continued by the next one.
With ``prune=True`` a finished run also drops the records of articles no longer in the archive.
Articles that cannot be analysed go to an errors file and the run goes on. Optionally the
results are written back into each post's front matter (see :mod:`newsnlp.frontmatter`).

Also here: :func:`parallel_map` (behind ``Analyzer.pipe(n_process=...)``), a function for
``datasets.Dataset.map(batched=True)`` and the ``newsnlp tag`` command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence

from ..analyzer import _chunks
from ..article import ARTICLE_SUFFIXES
from ..errors import ArticleError, ModelLoadError, ModelNotFoundError, NewsNLPError

__all__ = [
    "tag_archive",
    "TagReport",
    "parallel_map",
    "make_dataset_mapper",
    "DatasetMapper",
    "map_batch",
    "read_results",
    "model_versions",
    "register_cli",
    "DEFAULT_FIELDS",
    "DEFAULT_MAX_CHARS",
]

OutputFormat = Literal["jsonl", "parquet", "csv"]

DEFAULT_MAX_CHARS = 200_000
"""Posts longer than this (characters of the decoded file) are reported as too long."""

# What can be written back into front matter -> the default key it is written under.
DEFAULT_FIELDS: dict[str, str] = {
    "summary": "summary",
    "keywords": "keywords",
    "organisations": "organisations",
    "officials": "officials",
    "programmes": "programmes",
}
_FIELD_CHOICES = ("summary", "keywords", "tags", "organisations", "officials", "programmes", "persons", "places")

# Test and profiling hooks, read in each worker: seconds to sleep per article, and a
# "module:callable" factory that replaces the default Analyzer.
_ENV_SLEEP = "NEWSNLP_BATCH_SLEEP"
_ENV_ANALYZER = "NEWSNLP_BATCH_ANALYZER"


# =========================================================================== analyzers in workers

def _analyzer_spec(analyzer: Any) -> Any:
    """What to send to a worker so it can build its own copy of ``analyzer``.

    An :class:`~newsnlp.Analyzer` holds locks and loaded models, so it travels as its
    constructor arguments; any other analyzer (a picklable callable) travels as itself.
    """
    from ..analyzer import Analyzer

    if analyzer is None:
        return ("analyzer", {})
    if type(analyzer) is Analyzer:
        return (
            "analyzer",
            {
                "summary_model": analyzer.summary_model,
                "ner_model": analyzer.ner_model,
                "device": analyzer.device,
                "local_files_only": analyzer.local_files_only,
                "user_dict": analyzer.user_dict,
                "tag_vocabulary": analyzer.tag_vocabulary,
                "entity_lexicon": analyzer.entity_lexicon,
            },
        )
    if not callable(analyzer):
        raise TypeError(
            f"analyzer must be a newsnlp.Analyzer or a callable taking an Article, got {type(analyzer).__name__}"
        )
    return ("object", analyzer)


def _build_analyzer(spec: Any) -> Callable[[Any], Any]:
    hook = os.environ.get(_ENV_ANALYZER)
    if hook:
        import importlib

        module, _, attr = hook.partition(":")
        return getattr(importlib.import_module(module), attr)()
    kind, value = spec
    if kind == "analyzer":
        from ..analyzer import Analyzer

        return Analyzer(**value)
    return value


_worker_analyzer: Callable[[Any], Any] | None = None
_worker_sleep = 0.0


def _die_with_parent(parent_pid: int) -> None:
    """End this worker when the process that started it is gone (kill -9, a crash, SIGTERM).

    On Linux the kernel sends SIGKILL at once (``PR_SET_PDEATHSIG``); everywhere a daemon thread
    also checks once a second that the parent is still there. A worker holds no file of the
    run (the main process writes everything), so ending it abruptly loses nothing.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    import threading

    threading.Thread(target=watch, name="newsnlp-parent-watch", daemon=True).start()


def _init_worker(spec: Any, parent_pid: int | None = None) -> None:
    """Build the one analyzer this worker process uses (models then load once, on first use)."""
    global _worker_analyzer, _worker_sleep
    if parent_pid is not None:
        _die_with_parent(parent_pid)
    # One thread per worker: N workers on N cores, not N*N threads fighting. Set through the
    # environment so that torch, imported later only if a model needs it, obeys it (importing
    # torch here just to set it would cost every worker seconds and 300 MB).
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    try:  # Ctrl-C is the main process's to handle: it stops feeding work and shuts the pool down
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass
    _worker_analyzer = _build_analyzer(spec)
    _worker_sleep = float(os.environ.get(_ENV_SLEEP) or 0)


def _init_in_process(analyzer: Any, *, clear: bool = False) -> None:
    """Analyse in this process with the caller's analyzer itself (its loaded models are reused)."""
    global _worker_analyzer, _worker_sleep
    if clear:
        _worker_analyzer = None  # the models stay with the caller's analyzer, not with this module
        return
    if analyzer is None or os.environ.get(_ENV_ANALYZER):
        _worker_analyzer = _build_analyzer(_analyzer_spec(analyzer))
    else:
        _analyzer_spec(analyzer)  # the same type check as for workers
        _worker_analyzer = analyzer
    _worker_sleep = float(os.environ.get(_ENV_SLEEP) or 0)


def _map_chunk(items: list[Any]) -> tuple[list[Any], tuple[int, BaseException] | None]:
    """``(results, None)``, or the results before the first item that raised and ``(its position, the exception)``."""
    assert _worker_analyzer is not None
    many = getattr(_worker_analyzer, "analyze_many", None)
    if many is not None and len(items) > 1:
        try:
            return list(many(items)), None
        except Exception:
            pass  # one by one, to find the item at fault and keep the results before it
    out = []
    for i, item in enumerate(items):
        try:
            out.append(_worker_analyzer(item))
        except Exception as exc:
            return out, (i, exc)
    return out, None


def _kill_pool(pool: Any) -> None:
    """End a ProcessPoolExecutor's workers now (SIGKILL), ignoring Ctrl-C meanwhile, and shut it down."""
    old = None
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the clean-up
    except (ValueError, OSError):  # not the main thread
        pass
    try:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        for proc in procs:
            try:
                proc.kill()
            except (OSError, ValueError, AttributeError):
                pass
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            try:
                proc.join(timeout=10)
            except (OSError, ValueError, AssertionError):
                pass
    finally:
        if old is not None:
            try:
                signal.signal(signal.SIGINT, old)
            except (ValueError, OSError):
                pass


# =========================================================================== parallel_map

def _context():
    import multiprocessing

    # spawn: workers start clean (no inherited locks, jieba state or torch threads), the
    # same on Linux, macOS and Windows.
    return multiprocessing.get_context("spawn")


def parallel_map(analyzer: Any, items: Iterable[Any], *, n_process: int, batch_size: int = 32) -> Iterator[Any]:
    """Analyse ``items`` in ``n_process`` worker processes, yielding results in input order.

    Each worker builds one copy of ``analyzer`` (so models load once per worker); items go to
    workers ``batch_size`` at a time, with at most ``2 * n_process`` batches in flight, so
    memory stays flat however long ``items`` is. An exception in a worker is raised here.

    Args:
        analyzer: a :class:`~newsnlp.Analyzer` (rebuilt in each worker from its settings)
            or any picklable callable.
        items: what the analyzer accepts: texts, Articles, records, paths.
        n_process: worker processes.
        batch_size: items per task sent to a worker.

    Yields:
        ``analyzer(item)`` for each item, in order.

    Example:
        >>> from newsnlp import Analyzer
        >>> [a.summary for a in parallel_map(Analyzer(), ["第一篇。", "第二篇。"], n_process=2)]  # doctest: +SKIP
        ['第一篇。', '第二篇。']
    """
    from concurrent.futures import ProcessPoolExecutor

    spec = _analyzer_spec(analyzer)
    pool = ProcessPoolExecutor(max_workers=n_process, mp_context=_context(), initializer=_init_worker,
                               initargs=(spec, os.getpid()))
    pending: deque = deque()
    done = 0  # items yielded so far: names the item at fault

    def results_of(fut: Any) -> Iterator[Any]:
        nonlocal done
        results, error = fut.result()
        for r in results:
            done += 1
            yield r
        if error is not None:
            exc = error[1]
            exc.add_note(f"newsnlp: raised by item {done} of the input (counting from 0); the {done} before it were yielded")
            raise exc

    clean = False
    try:
        for chunk in _chunks(items, batch_size):
            pending.append(pool.submit(_map_chunk, chunk))
            if len(pending) >= 2 * n_process:
                yield from results_of(pending.popleft())
        while pending:
            yield from results_of(pending.popleft())
        clean = True
    finally:
        for fut in pending:
            fut.cancel()
        if clean:
            pool.shutdown(wait=True, cancel_futures=True)
        else:  # an error, Ctrl-C, or the caller stopped iterating: do not wait for busy workers
            _kill_pool(pool)


# =========================================================================== reading the archive

@dataclass
class _Job:
    """One article to analyse: sent to a worker, so it stays small and picklable."""

    id: str
    path: str | None  # the file, or "data.jsonl:12" for a record
    kind: Literal["file", "record"]
    payload: Any  # bytes of a file, or a dict record
    content_hash: str


@dataclass
class _Source:
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
                  stale_temps: list[Path] | None = None) -> Iterator[_Source]:
    """Every post under ``root`` as a :class:`_Source`; an entry that cannot be read is one with ``error``."""
    from ..archive import Problem, walk_posts
    from ..frontmatter import FileState

    for item in walk_posts(root, follow_links=follow_links, stale_temps=stale_temps):
        if isinstance(item, Problem):
            yield _Source(item.id, item.path, "file", error=(item.reason, item.error_type))
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
                yield _Source(
                    article_id, shown, "file",
                    error=(f"too long: {st.st_size} bytes, more than max_chars={max_chars} characters; "
                           "raise --max-chars to analyse it", "ArticleTooLong"),
                )
                continue
            data = path.read_bytes()
        except OSError as exc:
            yield _Source(article_id, shown, "file", error=(f"cannot read the file: {exc.strerror or exc}", type(exc).__name__))
            continue
        state = FileState(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())
        yield _Source(article_id, shown, "file", payload=data, content_hash=state.sha256, state=state)


def _record_hash(record: Mapping[str, Any]) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _record_sources(rows: Iterable[tuple[str, Any]], id_key: str) -> Iterator[_Source]:
    for n, (where, row) in enumerate(rows, 1):
        if isinstance(row, Exception):
            yield _Source(f"#{n}", where, "record", error=(str(row), type(row).__name__))
            continue
        if not isinstance(row, Mapping):
            yield _Source(f"#{n}", where, "record", error=(f"expected a JSON object, got {type(row).__name__}", "TypeError"))
            continue
        rid = row.get(id_key)
        article_id = str(rid) if rid is not None and str(rid) != "" else f"#{n}"
        yield _Source(article_id, where, "record", payload=dict(row), content_hash=_record_hash(row))


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


def _load_dataset(path: Path, split: str | None):
    from datasets import DatasetDict, load_from_disk

    ds = load_from_disk(str(path))
    if isinstance(ds, DatasetDict):
        if split is None and len(ds) == 1:
            split = next(iter(ds))
        if split not in ds:
            raise ArticleError(
                f"{path} is a DatasetDict with splits {', '.join(ds)}; choose one with split= (--split)"
            )
        ds = ds[split]
    return ds


def _dataset_rows(ds, path: Path) -> Iterator[tuple[str, Any]]:
    for n, row in enumerate(ds, 1):
        yield f"{path}:{n}", row


def _is_dataset_dir(path: Path) -> bool:
    return path.is_dir() and ((path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file())


def _open_archive(archive: Path, *, max_chars: int, id_key: str, split: str | None, follow_links: bool = False,
                  stale_temps: list[Path] | None = None) -> tuple[str, int, Iterator[_Source]]:
    """Return ``(kind, total, sources)`` for an archive path."""
    if not archive.exists():
        raise ArticleError(f"{archive}: no such file or folder; pass a folder of posts, a .jsonl/.parquet file or a saved dataset")
    if _is_dataset_dir(archive):
        ds = _load_dataset(archive, split)
        return "dataset", len(ds), _record_sources(_dataset_rows(ds, archive), id_key)
    if archive.is_dir():
        from ..archive import count_posts

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


# =========================================================================== the work itself

def _analysis_record(analysis: Any) -> dict[str, Any]:
    d = analysis.to_dict() if hasattr(analysis, "to_dict") else dict(analysis)
    entities = d.get("entities")
    if isinstance(entities, dict):
        entities.pop("mentions", None)
    return d


def _read_job(job: _Job, max_chars: int, text_key: str, title_key: str, id_key: str) -> tuple[Any, dict | None, list[str]]:
    """Decode and parse one article: ``(article, None, notes)``, or ``(None, failure, [])``."""
    from ..article import decode_bytes, parse_post, read_article

    too_long = "too long: {} characters, more than max_chars={}; raise --max-chars to analyse it"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if job.kind == "file":
                text = decode_bytes(job.payload, source=job.path or job.id)
                if len(text) > max_chars:
                    return None, _failure(job, too_long.format(len(text), max_chars), "ArticleTooLong"), []
                from ..frontmatter import find_front_matter

                find_front_matter(text, source=job.path or job.id)  # malformed front matter is an error here
                article = parse_post(text, source=job.path or job.id, path=job.path, id=job.id)
            else:
                article = read_article(job.payload, text_key=text_key, title_key=title_key, id_key=id_key)
                if len(article.text) > max_chars:
                    return None, _failure(job, too_long.format(len(article.text), max_chars), "ArticleTooLong"), []
    except Exception as exc:  # one article's failure must not stop the archive
        return None, _failure(job, str(exc) or repr(exc), type(exc).__name__), []
    if not article.text.strip():
        return None, _failure(job, "empty post: no article text after the front matter", "EmptyArticle"), []
    from ..errors import LanguageWarning

    # Kept in the record: how the file was decoded, and whether it is a language the models read.
    notes = [str(w.message) for w in caught
             if issubclass(w.category, LanguageWarning) or ", decoded as " in str(w.message)]
    return article, None, notes


def _failure(job: _Job, reason: str, error_type: str) -> dict[str, Any]:
    return {"ok": False, "id": job.id, "path": job.path, "reason": reason, "error_type": error_type}


def _model_failure(job: _Job, exc: Exception) -> dict[str, Any]:
    if isinstance(exc, (ModelNotFoundError, ModelLoadError, ImportError)):
        # Not this article's fault: every other one would fail the same way, so stop the run.
        return {**_failure(job, str(exc), type(exc).__name__), "fatal": True}
    return _failure(job, str(exc) or repr(exc), type(exc).__name__)


def _success(job: _Job, article: Any, analysis: Any, notes: list[str]) -> dict[str, Any]:
    record = _analysis_record(analysis)
    out: dict[str, Any] = {
        "id": job.id,
        "path": job.path if job.kind == "file" else (job.payload.get("path") or None),
        "title": record.get("title", article.title),
        "date": article.date,
        "summary": record.get("summary", ""),
        "tags": list(record.get("tags", [])),
        "keywords": list(record.get("keywords", [])),
        "entities": record.get("entities", {}),
        "content_hash": job.content_hash,
    }
    if notes:
        out["warnings"] = notes
    return {"ok": True, "id": job.id, "record": out}


def _analyse_one(job: _Job, article: Any, notes: list[str]) -> dict[str, Any]:
    assert _worker_analyzer is not None
    try:
        if _worker_sleep:
            time.sleep(_worker_sleep)
        return _success(job, article, _worker_analyzer(article), notes)
    except Exception as exc:  # one article's failure must not stop the archive
        return _model_failure(job, exc)


def _analyse_job(job: _Job, max_chars: int, text_key: str, title_key: str, id_key: str) -> dict[str, Any]:
    """Read and analyse one article; never raises (failures come back as error results)."""
    article, failure, notes = _read_job(job, max_chars, text_key, title_key, id_key)
    return failure if failure is not None else _analyse_one(job, article, notes)


def _work_chunk(jobs: list[_Job], max_chars: int, keys: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Analyse a chunk of articles; never raises (failures come back as error results).

    When the analyzer has ``analyze_many`` the chunk goes through it in one call (the NER
    model then reads the articles in shared batches); if that raises, the articles are redone
    one at a time, so that only the article at fault fails.
    """
    read = [_read_job(job, max_chars, *keys) for job in jobs]
    good = [i for i, (_article, failure, _notes) in enumerate(read) if failure is None]
    batched: dict[int, Any] = {}
    many = getattr(_worker_analyzer, "analyze_many", None)
    if many is not None and len(good) >= 2:
        try:
            if _worker_sleep:
                time.sleep(_worker_sleep * len(good))
            batched = dict(zip(good, many([read[i][0] for i in good])))
        except Exception:
            batched = {}
    out = []
    for i, job in enumerate(jobs):
        article, failure, notes = read[i]
        if failure is not None:
            out.append(failure)
        elif i in batched:
            out.append(_success(job, article, batched[i], notes))
        else:
            out.append(_analyse_one(job, article, notes))
    return out


# =========================================================================== output and resume

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
    from .. import __version__
    from ..resources import models_dir
    from ..errors import ModelNotFoundError

    versions = {"newsnlp": __version__}
    try:
        root = models_dir()
    except ModelNotFoundError:
        root = None
    if root is not None:
        for child in sorted(root.iterdir()):
            if child.name.startswith((".", "_")) or child.name == "__pycache__" or child.suffix in (".md", ".py"):
                continue
            versions[child.name] = _hash_model_dir(str(child))
    for attr in ("summary_model", "ner_model"):
        value = getattr(analyzer, attr, None)
        if value:
            versions[attr] = str(value)
    # Archive-specific data changes the results as much as a model does: a new user dictionary,
    # tag vocabulary or entity lexicon makes older records stale.
    for attr in ("user_dict", "tag_vocabulary", "entity_lexicon"):
        value = getattr(analyzer, attr, None)
        if value is not None:
            versions[attr] = _option_digest(value)
    return versions


def _option_digest(value: Any) -> str:
    """A short content digest of an analyzer option that is a file or an in-memory table."""
    digest = hashlib.sha256()
    paths = value if isinstance(value, (list, tuple)) else [value]
    if paths and all(isinstance(p, (str, os.PathLike)) for p in paths) and (
        isinstance(value, (str, os.PathLike)) or all(Path(p).is_file() for p in paths)
    ):
        for path in map(Path, paths):
            try:
                digest.update(path.read_bytes())
            except OSError:  # not readable here: the Analyzer reports it when it loads the option
                digest.update(os.fsencode(str(path)))
            digest.update(b"\0")
    else:
        entries = getattr(value, "entries", value)
        if isinstance(entries, dict):
            entries = sorted(entries.items())
        try:
            items = list(entries)
        except TypeError:
            items = [repr(value)]
        digest.update(json.dumps(items, ensure_ascii=False, default=str).encode("utf-8"))
    return "sha256:" + digest.hexdigest()[:16]


@dataclass(slots=True)
class _Known:
    hashes: set[str]
    offset: int
    versions: str | None  # _versions_digest() of the record's versions; None when it has none


def _versions_digest(versions: Any, cache: dict[str, str] | None = None) -> str | None:
    """A short digest of a ``versions`` dict: equal digests iff equal dicts.

    The index holds one per id, so ``cache`` (canonical JSON -> digest) hands every record
    with the same versions the same string object: memory per id stays one pointer.
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


def _read_index(output: Path, *, repair: bool) -> tuple[dict[str, _Known], int]:
    """Read ids, hashes and versions digests already in ``output``; return ``(index, records)``.

    Only what deciding to skip needs is kept, never whole records. A last line without its
    newline is what a killed run leaves: it is cut off (with ``repair``) or ignored. The last
    record of an id wins.
    """
    index: dict[str, _Known] = {}
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
            index[rid] = _Known(hashes, offset, _versions_digest(rec.get("versions"), digests))
            records += 1
            offset += len(line)
    if cut_at is not None and repair:
        os.truncate(output, cut_at)
    return index, records


def _read_record_at(output: Path, offset: int) -> dict[str, Any]:
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


def _compact(output: Path, last_offsets: dict[str, int]) -> None:
    """Rewrite ``output`` keeping the last record of each id in ``last_offsets``, atomically.

    Ids left out of ``last_offsets`` lose all their records: that is how pruning drops them.
    """
    from ..archive import copy_owner_and_mode, mkstemp_beside

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


def _parquet_schema():
    import pyarrow as pa

    span = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    entity = pa.struct([("name", pa.string()), ("subtype", pa.string()), ("mentions", pa.list_(span))])
    official = pa.struct([
        ("name", pa.string()), ("title", pa.string()), ("organisation", pa.string()), ("mentions", pa.list_(span)),
    ])
    entities = pa.struct([
        ("organisations", pa.list_(entity)), ("officials", pa.list_(official)), ("programmes", pa.list_(entity)),
        ("persons", pa.list_(entity)), ("places", pa.list_(entity)),
    ])
    return pa.schema([
        ("id", pa.string()), ("path", pa.string()), ("title", pa.string()), ("date", pa.string()),
        ("summary", pa.string()), ("tags", pa.list_(pa.string())),
        ("keywords", pa.list_(pa.struct([("text", pa.string()), ("score", pa.float64())]))),
        ("entities", entities), ("content_hash", pa.string()), ("written_hash", pa.string()),
        ("versions", pa.map_(pa.string(), pa.string())), ("warnings", pa.list_(pa.string())),
    ])


def _export(jsonl: Path, target: Path, fmt: OutputFormat) -> None:
    """Write the final Parquet/CSV file from the JSONL journal, atomically (temp file + rename)."""
    from ..archive import copy_owner_and_mode, mkstemp_beside

    fd, tmp = mkstemp_beside(target)
    os.close(fd)
    try:
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = _parquet_schema()
            with pq.ParquetWriter(tmp, schema) as writer:
                rows: list[dict] = []
                for rec in read_results(jsonl):
                    rows.append(rec)
                    if len(rows) >= 2000:
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                        rows = []
                if rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        else:
            import csv

            columns = ["id", "path", "title", "date", "summary", "tags", "keywords", "organisations", "officials",
                       "programmes", "persons", "places", "content_hash", "versions"]
            # utf-8-sig: spreadsheet programs then open Chinese text correctly.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                for rec in read_results(jsonl):
                    ents = rec.get("entities") or {}
                    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
                    writer.writerow([
                        rec.get("id"), rec.get("path") or "", rec.get("title") or "", rec.get("date") or "",
                        rec.get("summary") or "", dump(rec.get("tags") or []),
                        dump([k["text"] for k in rec.get("keywords") or []]),
                        dump([e["name"] for e in ents.get("organisations", [])]),
                        dump([{k: o.get(k) for k in ("name", "title", "organisation")} for o in ents.get("officials", [])]),
                        dump([e["name"] for e in ents.get("programmes", [])]),
                        dump([e["name"] for e in ents.get("persons", [])]),
                        dump([e["name"] for e in ents.get("places", [])]),
                        rec.get("content_hash"), dump(rec.get("versions") or {}),
                    ])
        copy_owner_and_mode(tmp, target if target.exists() else None)
        os.replace(tmp, target)
        tmp = None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


# =========================================================================== write-back

def _front_matter_values(record: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    ents = record.get("entities") or {}
    values: dict[str, Any] = {}
    for what, key in fields.items():
        if what == "summary":
            value: Any = record.get("summary") or ""
        elif what == "keywords":
            value = [k["text"] if isinstance(k, dict) else str(k) for k in record.get("keywords") or []]
        elif what == "tags":
            value = list(record.get("tags") or [])
        elif what == "officials":
            value = [
                {k: o[k] for k in ("name", "title", "organisation") if o.get(k)} for o in ents.get("officials", [])
            ]
        else:
            value = [e["name"] for e in ents.get(what, [])]
        values[key] = value
    return values


def parse_fields(spec: str | Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    """Parse ``"summary=abstract,keywords"`` into ``{"summary": "abstract", "keywords": "keywords"}``.

    Raises:
        ValueError: an unknown field, or a key that is not a plain name.
    """
    if spec is None:
        return dict(DEFAULT_FIELDS)
    if isinstance(spec, Mapping):
        pairs = list(spec.items())
    else:
        items = spec.split(",") if isinstance(spec, str) else list(spec)
        pairs = []
        for item in items:
            item = item.strip()
            if not item:
                continue
            what, _, key = item.partition("=")
            pairs.append((what.strip(), (key or what).strip()))
    import re

    out: dict[str, str] = {}
    for what, key in pairs:
        if what not in _FIELD_CHOICES:
            raise ValueError(
                f"unknown field {what!r} in --fields; valid fields: {', '.join(_FIELD_CHOICES)} "
                "(e.g. --fields summary=abstract,keywords)"
            )
        if not re.fullmatch(r"[^\W\d][\w-]*", key):
            raise ValueError(f"front-matter key {key!r} for {what!r} is not a plain name; use letters, digits, '_' or '-'")
        out[what] = key
    if not out:
        raise ValueError("--fields names no field; give at least one, e.g. --fields summary")
    return out


# =========================================================================== tag_archive

@dataclass
class TagReport:
    """What a :func:`tag_archive` run did.

    ``processed`` counts every article analysed; ``refreshed`` those of them that were
    unchanged but had a record made by other model versions (a subset of ``processed``).
    ``kept_stale`` counts the skipped articles whose record is from other model versions
    and was kept (``refresh_stale=False``; a subset of ``skipped``). ``pruned`` counts the
    records dropped because their article is no longer in the archive (``prune=True``; in a
    dry run, those that would be); ``prune_refused`` says why a requested prune was not done.
    """

    processed: int = 0
    skipped: int = 0
    failed: int = 0
    written_back: int = 0
    refreshed: int = 0
    kept_stale: int = 0
    pruned: int = 0
    prune_refused: str | None = None
    not_written: int = 0
    kept_by_hand: int = 0
    stale_removed: int = 0
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    output: str | None = None
    errors: str | None = None
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no article failed."""
        return self.failed == 0

    def summary_line(self) -> str:
        line = f"processed {self.processed}, skipped {self.skipped}, failed {self.failed}"
        if self.not_written:
            line += f" (front matter not written for {self.not_written} of them)"
        if self.written_back:
            line += f", front matter {'would be written' if self.dry_run else 'written'} {self.written_back}"
        rate = self.processed / self.seconds if self.seconds > 0 else 0.0
        line += f" in {self.seconds:.1f} s ({rate:.1f} articles/s)"
        if self.refreshed:
            line += f"; {self.refreshed} re-analysed: made by other model versions"
        if self.kept_stale:
            line += f"; {self.kept_stale} kept from other model versions (--keep-stale)"
        if self.pruned:
            line += f"; {self.pruned} {'to prune (dry run)' if self.dry_run else 'pruned'}: no longer in the archive"
        if self.prune_refused:
            line += f"; nothing pruned: {self.prune_refused}"
        if self.kept_by_hand:
            line += f"; {self.kept_by_hand} hand-written value(s) kept (--overwrite replaces them)"
        if self.stale_removed:
            line += f"; {self.stale_removed} temporary file(s) left by a killed run removed"
        if self.failed and self.errors:
            line += f"; see {self.errors}"
        return line


def _default_output(archive: Path, fmt: OutputFormat) -> Path:
    name = archive.resolve().name or "archive"
    return Path.cwd() / f"{name}.tags.{fmt}"


def tag_archive(
    archive: str | os.PathLike,
    output: str | os.PathLike | None = None,
    *,
    format: OutputFormat | None = None,
    workers: int | None = None,
    batch_size: int = 16,
    analyzer: Any = None,
    errors: str | os.PathLike | None = None,
    write_front_matter: bool = False,
    dry_run: bool = False,
    fields: str | Mapping[str, str] | Sequence[str] | None = None,
    force: bool = False,
    refresh_stale: bool = True,
    prune: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: bool = True,
    text_key: str = "text",
    title_key: str = "title",
    id_key: str = "id",
    split: str | None = None,
    diff_out: Any = None,
    follow_links: bool = False,
    overwrite: bool = False,
    engine: Literal["local", "ray"] = "local",
    address: str | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1,
) -> TagReport:
    """Analyse every article of an archive into one JSON record each.

    Args:
        archive: a folder of posts (searched recursively for .md, .markdown, .html, .htm,
            .txt; hidden entries skipped), a ``.jsonl`` or ``.parquet`` file of records,
            or a folder written by ``datasets``' ``save_to_disk``.
        output: where the records go (default ``./<archive name>.tags.<format>``). Parquet
            and CSV are written at the end from a JSONL journal kept beside them
            (``<output>.jsonl``), which is what makes re-runs incremental.
        format: ``"jsonl"`` (default), ``"parquet"`` or ``"csv"``; guessed from ``output``'s suffix.
        workers: worker processes, each loading the models once (default: ``os.cpu_count()``);
            1 analyses in this process.
        batch_size: articles sent to a worker at a time.
        analyzer: an :class:`~newsnlp.Analyzer` (rebuilt in each worker from its settings) or
            a picklable callable ``Article -> Analysis``; default ``Analyzer()``.
        errors: the errors file (JSONL: id, path, reason, error_type), replaced at the end of
            each run (an interrupted run keeps the old entries of the ids it did not reach);
            default ``<output>.errors.jsonl``. Every entry of the archive that cannot be read
            (an unreadable folder, a symlink loop, a dangling link, a symlinked folder not
            followed) is one too, and the walk goes on.
        write_front_matter: also write the results into each post's YAML front matter.
        dry_run: with write-back, print the diffs to ``diff_out`` (default stdout) and write
            no file at all -- neither posts, nor output, nor errors.
        fields: what to write back under which key: ``"summary=abstract,keywords"`` or a
            mapping; default summary, keywords, organisations, officials, programmes.
        force: analyse every article again, even those already in the output.
        refresh_stale: analyse again an unchanged article whose record was made by other
            model versions than this run's (:func:`model_versions`: the newsnlp version and
            each model's id), or has no ``versions``; the new record replaces the old one as
            a changed article's does, front-matter write-back included. False keeps such
            records and skips the article (``--keep-stale``).
        prune: at the end of a run that went over the whole archive, drop from the output
            (JSONL, and the Parquet/CSV exported from it) the records of ids not found in the
            archive in this run -- posts deleted, rows removed (``--prune``). An article found
            but failing (unreadable, analysis error) keeps its old record. Nothing is pruned
            when the run raised or was interrupted, when the archive held no article at all,
            or when a JSONL row could not be parsed (its id is unknown, so its record could
            be dropped by mistake). With ``dry_run`` the ids and paths that would be pruned
            are printed to ``diff_out`` and nothing is written. Default False: records are
            never removed unless asked.
        max_chars: longer articles are reported as too long instead of analysed.
        progress: show a tqdm progress bar (rate and ETA) on stderr.
        text_key, title_key, id_key: record fields for JSONL/Parquet/dataset input.
        split: the split of a saved ``DatasetDict``.
        diff_out: text stream for ``dry_run`` diffs.
        follow_links: walk symlinked folders, and write back through symlinks to posts outside
            the archive (``--follow-links``). By default a symlinked folder is reported and not
            read, and a post that resolves outside the archive is analysed but never written.
        overwrite: replace front-matter values the post already has that newsnlp did not write
            (a hand-written ``summary:``, the editor's ``tags:``); by default they are kept.
        engine: ``"local"`` (worker processes on this machine) or ``"ray"``: the same run with
            the analysis on a Ray cluster's actors (:mod:`newsnlp.batch.ray`; ``pip install
            'newsnlp[ray]'``). Reading, skipping, the output, errors and write-back stay here.
        address: the Ray cluster (``"auto"``, ``"ray://HOST:10001"``; default: a cluster started
            on this machine, else a new local one). Only with ``engine="ray"``.
        actors: Ray actors, each loading the models once (default: the cluster's CPUs divided
            by ``cpus_per_actor``). ``workers`` is not used with ``engine="ray"``.
        cpus_per_actor: CPUs Ray reserves for each actor.

    Returns:
        A :class:`TagReport` with counts processed/skipped/failed, refreshed (re-analysed
        because their records came from other model versions) and pruned.

    Raises:
        ArticleError: the archive does not exist or is of an unknown kind.
        ValueError: bad options (unknown format or field, write-back on records, ...).
        NewsNLPError: ``output`` (or ``errors``) is the archive itself or a file newsnlp did not
            write; ``prune`` on an output made from another archive (recorded in the sidecar
            manifest ``<output>.newsnlp.json``). Nothing is written then.
        TagInterrupted: Ctrl-C (a ``KeyboardInterrupt``) during the run: workers are killed,
            every finished record is saved, ``.report`` has the counts.

    Example:
        >>> report = tag_archive("_posts", "tags.jsonl", workers=2)  # doctest: +SKIP
        >>> report.summary_line()  # doctest: +SKIP
        'processed 1520, skipped 0, failed 2 in 95.3 s (15.9 articles/s); see tags.errors.jsonl'
        >>> tag_archive("_posts", "tags.jsonl", prune=True).pruned  # doctest: +SKIP
        1
    """
    started = time.perf_counter()
    archive = Path(archive)
    if format is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output is not None else ""
        format = suffix if suffix in ("parquet", "csv") else "jsonl"  # type: ignore[assignment]
    if format not in ("jsonl", "parquet", "csv"):
        raise ValueError(f"format must be 'jsonl', 'parquet' or 'csv', got {format!r}")
    if workers is None:
        workers = os.cpu_count() or 1
    for name, value in (("workers", workers), ("batch_size", batch_size), ("max_chars", max_chars)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if dry_run:
        write_front_matter = True
    field_map = parse_fields(fields)
    if engine not in ("local", "ray"):
        raise ValueError(f"engine must be 'local' or 'ray', got {engine!r}")
    if engine == "ray":
        from .ray import check_options

        check_options(actors, cpus_per_actor)  # also: is Ray installed? before any file is touched

    # Temporary files a killed run left (removed at the end), and in-place rewrites it left half
    # done (put back during the walk); a dry run touches neither.
    stale_temps: list[Path] | None = None if dry_run else []
    kind, total, sources = _open_archive(archive, max_chars=max_chars, id_key=id_key, split=split,
                                         follow_links=follow_links, stale_temps=stale_temps)
    if write_front_matter and kind != "posts":
        raise ValueError(
            f"--write-front-matter edits post files, but {archive} is a {kind} archive; "
            "run it on a folder of posts, or drop --write-front-matter"
        )
    target = Path(output) if output is not None else _default_output(archive, format)
    journal = target if format == "jsonl" else target.with_name(target.name + ".jsonl")
    errors_path = Path(errors) if errors is not None else journal.with_name(
        (journal.name[: -len(".jsonl")] if journal.name.endswith(".jsonl") else journal.name) + ".errors.jsonl"
    )
    from ..archive import (check_errors_file, check_export_target, check_not_archive, check_output_file,
                          claim_output)

    # Files newsnlp will rewrite must be its own: never the input, never a user's file.
    check_not_archive(journal, archive, "-o" if format == "jsonl" else "the journal")
    check_not_archive(target, archive, "-o")
    check_not_archive(errors_path, archive, "--errors")
    if errors_path.exists() and journal.exists() and os.path.samefile(errors_path, journal):
        raise NewsNLPError(f"--errors {errors_path} is the output file; choose another errors file")
    check_output_file(journal)
    check_errors_file(errors_path)
    if format != "jsonl":
        check_export_target(target, format)
    lock_fh = None
    if not dry_run:
        # Held for the whole run (compaction and export included): two runs appending to one
        # file would interleave records, and the index read below would be stale.
        journal.parent.mkdir(parents=True, exist_ok=True)
        lock_fh = open(journal, "ab")
        _lock_or_fail(lock_fh, journal)
    try:
        ownership_note = claim_output(journal, archive, kind, prune=prune, write=not dry_run)
        index, existing = _read_index(journal, repair=not dry_run)
        versions = model_versions(analyzer)
        versions_digest = _versions_digest(versions)
        report = TagReport(output=str(target), errors=None if dry_run else str(errors_path), dry_run=dry_run)
        if ownership_note:
            report.notes.append(ownership_note)
            warnings.warn(ownership_note, RuntimeWarning, stacklevel=2)
        diff_out = diff_out if diff_out is not None else sys.stdout

        out_fh = err_fh = None
        out_offset = 0
        if not dry_run:
            journal.parent.mkdir(parents=True, exist_ok=True)
            out_fh = open(journal, "ab")
            out_offset = out_fh.seek(0, os.SEEK_END)
            errors_path.parent.mkdir(parents=True, exist_ok=True)
            # The new errors go to a temporary file that replaces the old one at the end: an
            # interrupted run keeps the old entries of the articles it did not get to.
            from ..archive import mkstemp_beside

            err_fd, err_tmp = mkstemp_beside(errors_path)
            err_fh = os.fdopen(err_fd, "wb")
        last_offsets = {rid: known.offset for rid, known in index.items()}
        duplicates = existing - len(index)

        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, unit="post", desc="newsnlp tag", file=sys.stderr, dynamic_ncols=True, smoothing=0.05)

        def report_error(entry: dict[str, Any]) -> None:
            # The path has its own field (and is printed before the reason): not again in the reason.
            entry = {"id": entry.get("id"), "path": entry.get("path"),
                     "reason": _without_path(entry["reason"], entry.get("path")), "error_type": entry["error_type"]}
            if len(report.failures) < 1000:  # the errors file has them all; keep memory flat
                report.failures.append(entry)
            if err_fh is not None:
                err_fh.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
                err_fh.flush()
            else:
                print(f"newsnlp tag: {entry['path'] or entry['id']}: {entry['reason']}", file=sys.stderr)

        def write_back(source: _Source, record: dict[str, Any], previous: dict[str, Any] | None = None) -> str | None:
            """Write the record into the post; return the new file hash when the file changed.

            ``previous`` is the record of the post's last run, if any: a front-matter value equal
            to what it wrote is newsnlp's to update; any other value already there was written
            by hand and is kept unless ``overwrite``.
            """
            from ..archive import is_inside
            from ..frontmatter import ChangedOnDiskError, FrontMatterError, _decode, find_front_matter, write_front_matter as wfm

            def refuse(reason: str, error_type: str) -> None:
                report.failed += 1
                report.not_written += 1
                report_error({"id": source.id, "path": source.path, "reason": f"front matter not written: {reason}",
                              "error_type": error_type})

            try:
                text = _decode(source.payload)[0]
            except (UnicodeDecodeError, ArticleError):
                return None  # already reported as undecodable
            try:
                fm = find_front_matter(text, source=source.path or source.id)
            except FrontMatterError:
                return None  # already reported by the reader
            if fm is None:
                if text.lstrip("\ufeff").lstrip("\r\n \t").startswith("---"):
                    refuse("blank lines before the opening '---', so it is not front matter to Jekyll "
                           "either; remove them and run again", "FrontMatterError")
                return None  # no front matter: a plain file is left as it is
            if not follow_links and not is_inside(source.path, archive):
                refuse(f"the post is a symlink to {os.path.realpath(source.path)}, outside the archive; "
                       "pass --follow-links to write there", "EscapesArchive")
                return None
            values = _front_matter_values(record, field_map)
            if not overwrite:
                ours = _front_matter_values(previous, field_map) if previous else {}
                for key in list(values):
                    if key in fm.data and fm.data[key] != values[key] and (key not in ours or fm.data[key] != ours[key]):
                        del values[key]  # hand-written (or the editor's tags): kept
                        report.kept_by_hand += 1
                if not values:
                    return None
            try:
                changed, diff = wfm(source.path, values, data=source.payload, expected=source.state, dry_run=dry_run)
            except (FrontMatterError, ChangedOnDiskError) as exc:
                refuse(_without_path(str(exc), source.path), type(exc).__name__)
                return None
            except OSError as exc:
                refuse(f"cannot write the post ({exc.strerror or exc}: the file or its folder is read-only?); "
                       "its record is in the output -- make it writable, or drop --write-front-matter",
                       type(exc).__name__)
                return None
            if not changed:
                return None
            report.written_back += 1
            if dry_run:
                diff_out.write(diff)
                diff_out.flush()
                return None
            from ..frontmatter import update_front_matter_bytes

            return hashlib.sha256(update_front_matter_bytes(source.payload, values)).hexdigest()

        def emit(article_id: str, record: dict[str, Any]) -> None:
            nonlocal out_offset, duplicates
            if out_fh is None:
                return
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
            out_fh.write(line)
            out_fh.flush()  # one complete line at a time: a killed run loses at most the line being written
            if article_id in last_offsets:
                duplicates += 1
            last_offsets[article_id] = out_offset
            out_offset += len(line)

        def finish(source: _Source, result: dict[str, Any]) -> None:
            if result.get("fatal"):
                exc_type = ModelNotFoundError if result["error_type"] == "ModelNotFoundError" else ModelLoadError
                raise exc_type(result["reason"])
            if not result["ok"]:
                report.failed += 1
                report_error(result)
            else:
                record = result["record"]
                record["versions"] = versions
                if write_front_matter and source.kind == "file":
                    known = index.get(source.id)
                    previous = _read_record_at(journal, known.offset) if known is not None else None
                    written = write_back(source, record, previous)
                    if written:
                        record["written_hash"] = written
                report.processed += 1
                if source.stale:
                    report.refreshed += 1
                emit(source.id, record)
            if bar is not None:
                bar.update(1)
                if report.failed:
                    bar.set_postfix(failed=report.failed, refresh=False)

        # For prune: the ids found in the archive (strings only, never records), whether the
        # walk reached its end, and whether a row's id could not be known.
        seen: set[str] = set()
        walked = False
        unknown_ids = 0

        def todo() -> Iterator[_Source]:
            nonlocal walked, unknown_ids
            for source in sources:
                seen.add(source.id)
                if source.error is not None:
                    if source.kind == "record":
                        unknown_ids += 1  # an unparseable row: "#<n>" stands in for its real id
                    report.failed += 1
                    report_error({"id": source.id, "path": source.path, "reason": source.error[0], "error_type": source.error[1]})
                    if bar is not None:
                        bar.update(1)
                    continue
                known = index.get(source.id)
                if known is not None and not force and source.content_hash in known.hashes:
                    if known.versions != versions_digest:
                        if refresh_stale:
                            source.stale = True
                            yield source
                            continue
                        report.kept_stale += 1
                    report.skipped += 1
                    if write_front_matter and source.kind == "file":
                        # Written back by an earlier run without --write-front-matter, maybe: do it now.
                        rec = _read_record_at(journal, known.offset)
                        written = write_back(source, rec, rec)
                        if written:  # remember the new bytes, or the next run would see a changed post
                            rec["written_hash"] = written
                            emit(source.id, rec)
                    if bar is not None:
                        bar.update(1)
                    continue
                yield source
            walked = True

        keys = (text_key, title_key, id_key)
        interrupted = False
        try:
            if engine == "ray":
                from .ray import run_shards

                run_shards(todo(), finish, spec=_analyzer_spec(analyzer), max_chars=max_chars, keys=keys,
                           batch_size=batch_size, versions=versions, address=address, actors=actors,
                           cpus_per_actor=cpus_per_actor)
            elif workers == 1:
                _init_in_process(analyzer)
                try:
                    for chunk in _chunks(todo(), batch_size):
                        jobs = [_job_of(x) for x in chunk]
                        for source, result in zip(chunk, _work_chunk(jobs, max_chars, keys)):
                            finish(source, result)
                finally:
                    _init_in_process(None, clear=True)
            else:
                _run_pool(todo(), finish, workers=workers, batch_size=batch_size, spec=_analyzer_spec(analyzer),
                          max_chars=max_chars, keys=keys)
        except KeyboardInterrupt:
            interrupted = True
            try:  # the records are safe; a second Ctrl-C must not cut the clean-up below short
                sigint_before = signal.signal(signal.SIGINT, signal.SIG_IGN)
            except (ValueError, OSError):
                sigint_before = None
        finally:
            if bar is not None:
                bar.close()
            if out_fh is not None:
                out_fh.close()
            if err_fh is not None:
                err_fh.close()
                _replace_errors_file(err_tmp, errors_path, keep_unseen=None if walked else seen)
        if interrupted:
            report.seconds = time.perf_counter() - started
            report.interrupted = True
            if sigint_before is not None:
                signal.signal(signal.SIGINT, sigint_before)
            raise TagInterrupted(report)
        gone: list[str] = []
        if prune and walked:
            gone = sorted(rid for rid in last_offsets if rid not in seen)
            if gone and not seen:
                report.prune_refused = f"{archive} holds no article, so every record would go; is that the right archive?"
                gone = []
            elif gone and unknown_ids:
                report.prune_refused = (
                    f"{unknown_ids} row(s) of {archive} could not be read, so their ids are unknown; fix them and run again"
                )
                gone = []
        report.pruned = len(gone)
        if dry_run:
            for rid in gone:
                path = _read_record_at(journal, last_offsets[rid]).get("path")
                diff_out.write(f"would prune {rid}{f' ({path})' if path else ''}: no longer in the archive\n")
            if gone:
                diff_out.flush()
        else:
            for rid in gone:
                del last_offsets[rid]
            if duplicates > 0 or gone:
                _compact(journal, last_offsets)
            if format != "jsonl":
                _export(journal, target, format)
            from ..archive import remove_stale_temps

            # Left by a killed run: in the archive (write-back) and beside the output (compaction).
            stale_temps.extend(p for p in journal.parent.glob(f".{journal.name}.*.tmp") if _is_stale(p))
            stale_temps.extend(p for p in errors_path.parent.glob(f".{errors_path.name}.*.tmp") if _is_stale(p))
            report.stale_removed = remove_stale_temps(sorted(set(stale_temps)))
        report.seconds = time.perf_counter() - started
        return report
    finally:
        if lock_fh is not None:
            lock_fh.close()


def _without_path(reason: str, path: str | None) -> str:
    """``reason`` without a leading ``"<path>: "`` (readers name the file they read in their errors)."""
    if path and reason.startswith(f"{path}: "):
        return reason[len(path) + 2:]
    return reason


class TagInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM from the command) stopped :func:`tag_archive`; ``report`` says what was saved.

    Every record finished before it is in the output; the next run continues from there.
    """

    def __init__(self, report: "TagReport") -> None:
        super().__init__("interrupted")
        self.report = report


def _is_stale(path: Path) -> bool:
    from ..archive import is_stale_temp

    return is_stale_temp(path.parent, path.name)


def _replace_errors_file(tmp: str, errors_path: Path, *, keep_unseen: set[str] | None) -> None:
    """Put this run's errors file in place; with ``keep_unseen`` (an interrupted run: the ids it
    reached), the old file's entries of other ids are kept after the new ones."""
    from ..archive import copy_owner_and_mode

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


def _lock_or_fail(fh: Any, path: Path) -> None:
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


def _job_of(source: _Source) -> _Job:
    return _Job(source.id, source.path, source.kind, source.payload, source.content_hash or "")


def _run_pool(
    sources: Iterator[_Source],
    finish: Callable[[_Source, dict[str, Any]], None],
    *,
    workers: int,
    batch_size: int,
    spec: Any,
    max_chars: int,
    keys: tuple[str, str, str],
) -> None:
    """Feed chunks to a process pool, at most ``2 * workers`` in flight, results as they come.

    A worker that dies (a segfault, the OOM killer) breaks the whole pool: the articles of
    the chunks in flight are then retried one by one in a fresh pool, and an article that
    kills a worker again is reported as failed.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    def new_pool():
        return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker,
                                   initargs=(spec, os.getpid()))

    pool = new_pool()
    in_flight: dict[Any, tuple[list[_Source], bool]] = {}
    retry: deque[_Source] = deque()
    chunks = _chunks(sources, batch_size)
    exhausted = False
    try:
        while True:
            # After a crash, suspects run alone, one at a time: a pool that breaks then was
            # broken by that very article.
            while retry and not in_flight:
                source = retry.popleft()
                in_flight[pool.submit(_work_chunk, [_job_of(source)], max_chars, keys)] = ([source], True)
            while not retry and not exhausted and len(in_flight) < 2 * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                in_flight[pool.submit(_work_chunk, [_job_of(s) for s in chunk], max_chars, keys)] = (chunk, False)
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk, alone = in_flight.pop(fut)
                try:
                    results = fut.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        finish(chunk[0], _failure(_job_of(chunk[0]), "a worker process died while analysing this "
                                                  "article (a crash in native code, or out of memory)", "WorkerDied"))
                    else:
                        retry.extend(chunk)
                    continue
                for source, result in zip(chunk, results):
                    finish(source, result)
            if broken:
                for fut, (chunk, _alone) in list(in_flight.items()):
                    if fut.done() and fut.exception() is None:
                        for source, result in zip(chunk, fut.result()):
                            finish(source, result)
                    else:
                        retry.extend(chunk)
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
        pool.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        # Ctrl-C, a fatal error: the workers are killed, not waited for -- a worker busy on an
        # article (or blocked on the pool's queue lock) would otherwise keep the run alive.
        _kill_pool(pool)
        raise


# =========================================================================== datasets.map

_MAPPER_FIELDS = ("summary", "tags", "keywords", "organisations", "officials", "programmes", "persons", "places")


def _one_thread_after_fork() -> None:
    """In a process forked from one that already ran torch (``Dataset.map(num_proc=N)`` forks), use one thread.

    The OpenMP thread pool torch started in the parent does not exist in a forked child, and the
    child's first parallel region then waits for it forever; one thread never enters one.
    """
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            torch.set_num_threads(1)
        except RuntimeError:
            pass


class DatasetMapper:
    """A function for ``datasets.Dataset.map(batched=True)`` adding analysis columns.

    Each batch ``{"text": [...], ...}`` comes back as new columns: ``summary`` (str) and
    ``tags``, ``keywords``, ``organisations``, ``programmes``, ``persons``, ``places``
    (lists of str) and ``officials`` (list of {name, title, organisation}). Pass
    ``features=mapper.features`` to ``map`` so that empty first batches type the columns right.
    The analyzer is built lazily in each process, so ``num_proc`` works.

    Args:
        analyzer: a :class:`~newsnlp.Analyzer` or a picklable callable; default ``Analyzer()``.
        text_column, title_column, id_column: the input columns (title and id are optional).
        columns: which output columns to add (default all of the above).
        prefix: prepended to every output column name (e.g. ``"nlp_"``).

    Example:
        >>> from datasets import Dataset
        >>> ds = Dataset.from_dict({"text": ["宁波市总工会召开会议。"]})
        >>> mapper = make_dataset_mapper()
        >>> ds.map(mapper, batched=True, batch_size=64)["summary"]  # doctest: +SKIP
        ['宁波市总工会召开会议。']
    """

    def __init__(
        self,
        analyzer: Any = None,
        *,
        text_column: str = "text",
        title_column: str | None = "title",
        id_column: str | None = "id",
        columns: Sequence[str] = _MAPPER_FIELDS,
        prefix: str = "",
    ) -> None:
        unknown = [c for c in columns if c not in _MAPPER_FIELDS]
        if unknown:
            raise ValueError(f"unknown column(s) {unknown}; valid columns: {', '.join(_MAPPER_FIELDS)}")
        self._spec = _analyzer_spec(analyzer)
        self._analyzer = analyzer if self._spec[0] == "object" or analyzer is not None else None
        self.text_column = text_column
        self.title_column = title_column
        self.id_column = id_column
        self.columns = tuple(columns)
        self.prefix = prefix
        self._pid = os.getpid()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self._spec[0] == "analyzer":
            state["_analyzer"] = None  # rebuilt from its settings in the other process
        return state

    @property
    def analyzer(self) -> Callable[[Any], Any]:
        if getattr(self, "_pid", None) != os.getpid():
            _one_thread_after_fork()
            self._pid = os.getpid()
        if self._analyzer is None:
            self._analyzer = _build_analyzer(self._spec)
        return self._analyzer

    @property
    def features(self):
        """``datasets.Features`` of the added columns (to pass to ``Dataset.map(features=...)``)."""
        from datasets import Features, Sequence as DsSequence, Value

        kinds = {
            "summary": Value("string"),
            "officials": [{"name": Value("string"), "title": Value("string"), "organisation": Value("string")}],
        }
        return Features({self.prefix + c: kinds.get(c, DsSequence(Value("string"))) for c in self.columns})

    def __call__(self, batch: Mapping[str, list]) -> dict[str, list]:
        from ..article import Article, parse_post
        from dataclasses import replace

        if self.text_column not in batch:
            raise KeyError(
                f"the dataset has no {self.text_column!r} column (columns: {', '.join(batch)}); "
                "pass text_column= naming the one holding the article text"
            )
        texts = batch[self.text_column]
        if isinstance(texts, str) or not isinstance(texts, Sequence):
            raise TypeError(
                f"the mapper got one example (its {self.text_column!r} is a {type(texts).__name__}, not a list of "
                "texts): call Dataset.map(mapper, batched=True)"
            )
        titles = batch.get(self.title_column) if self.title_column else None
        ids = batch.get(self.id_column) if self.id_column else None
        out: dict[str, list] = {self.prefix + c: [] for c in self.columns}
        for i, text in enumerate(texts):
            article: Article = parse_post(text or "")
            if titles is not None and titles[i]:
                article = replace(article, title=str(titles[i]))
            if ids is not None and ids[i] is not None:
                article = replace(article, id=str(ids[i]))
            if article.text.strip():
                rec = _analysis_record(self.analyzer(article))
            else:
                rec = {"summary": "", "tags": [], "keywords": [], "entities": {}}
            ents = rec.get("entities") or {}
            for c in self.columns:
                if c == "summary":
                    value: Any = rec.get("summary") or ""
                elif c == "tags":
                    value = list(rec.get("tags") or [])
                elif c == "keywords":
                    value = [k["text"] if isinstance(k, dict) else str(k) for k in rec.get("keywords") or []]
                elif c == "officials":
                    value = [{k: o.get(k) for k in ("name", "title", "organisation")} for o in ents.get("officials", [])]
                else:
                    value = [e["name"] for e in ents.get(c, [])]
                out[self.prefix + c].append(value)
        return out


def make_dataset_mapper(analyzer: Any = None, text_column: str = "text", **kwargs: Any) -> DatasetMapper:
    """Build a :class:`DatasetMapper` for ``Dataset.map(mapper, batched=True)``.

    Example:
        >>> mapper = make_dataset_mapper(text_column="content", prefix="nlp_")
        >>> sorted(mapper.features)[:2]
        ['nlp_keywords', 'nlp_officials']
    """
    return DatasetMapper(analyzer, text_column=text_column, **kwargs)


_default_mapper: DatasetMapper | None = None


def map_batch(batch: Mapping[str, list]) -> dict[str, list]:
    """Analyse a ``{"text": [...]}`` batch with the default Analyzer; for ``Dataset.map(map_batch, batched=True)``.

    Example:
        >>> map_batch({"text": ["宁波市总工会召开会议。"]})["summary"]  # doctest: +SKIP
        ['宁波市总工会召开会议。']
    """
    global _default_mapper
    if _default_mapper is None:
        _default_mapper = DatasetMapper()
    return _default_mapper(batch)


# =========================================================================== CLI

_terminated_by: int | None = None


def _stop_on_signals() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread, as SIGINT does."""
    global _terminated_by
    _terminated_by = None
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: Any) -> None:
        global _terminated_by
        if _terminated_by is None:
            _terminated_by = signum
            raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, handler)
        except (ValueError, OSError):  # not the main thread
            pass
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        try:
            signal.signal(signum, handler)
        except (ValueError, OSError):
            pass


def _cmd_tag(args: argparse.Namespace) -> int:
    from ..analyzer import Analyzer

    if args.workers == 1:
        # One worker is one core, here as in worker processes (torch reads this when imported).
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ.setdefault(var, "1")

    analyzer = Analyzer(
        summary_model=args.summary_model, ner_model=args.ner_model, device=args.device,
        user_dict=args.user_dict, tag_vocabulary=args.tag_vocabulary, entity_lexicon=args.entity_lexicon,
    )
    # SIGTERM (kill, a service manager) stops the run as Ctrl-C does: cleanly, workers gone, counted.
    previous_handlers = _stop_on_signals()
    # The notes a run makes are printed below as one "warning:" line each, not also by `warnings`.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"newsnlp\.batch")
    try:
        report = tag_archive(
            args.archive, args.output, format=args.format, workers=args.workers, batch_size=args.batch_size,
            analyzer=analyzer, errors=args.errors, write_front_matter=args.write_front_matter,
            dry_run=args.dry_run, fields=args.fields, force=args.force, refresh_stale=not args.keep_stale,
            prune=args.prune, follow_links=args.follow_links, overwrite=args.overwrite,
            max_chars=args.max_chars, progress=not args.quiet, text_key=args.text_key, id_key=args.id_key, title_key=args.title_key,
            split=args.split,
            engine=args.engine, address=args.address, actors=args.actors, cpus_per_actor=args.cpus_per_actor,
        )
    except TagInterrupted as stop:
        r = stop.report
        saved = "nothing written (dry run)" if r.dry_run else f"{r.processed} new record(s) saved in {r.output}"
        print(f"newsnlp tag: interrupted: {saved}; {r.summary_line()}", file=sys.stderr)
        if not r.dry_run:
            print("newsnlp tag: run the same command again to continue where it stopped", file=sys.stderr)
        return 128 + (_terminated_by or signal.SIGINT)
    except (NewsNLPError, ValueError, OSError) as exc:
        print(f"newsnlp tag: {exc}", file=sys.stderr)
        return 2
    finally:
        _restore_signals(previous_handlers)
    for note in report.notes:
        print(f"newsnlp tag: warning: {note}", file=sys.stderr)
    print(f"newsnlp tag: {report.summary_line()}", file=sys.stderr)
    if not args.dry_run:
        print(f"newsnlp tag: records in {report.output}", file=sys.stderr)
    return 0 if report.ok else 1


def register_cli(subparsers: Any) -> None:
    """Add the ``newsnlp tag`` subcommand."""
    p = subparsers.add_parser(
        "tag",
        help="analyse a whole archive into JSONL/Parquet/CSV (parallel, resumable)",
        description="Analyse every article of ARCHIVE -- a folder of posts (recursively: .md .markdown "
        ".html .htm .txt), a .jsonl or .parquet file, or a saved `datasets` dataset -- into one JSON "
        "record per article. Re-running skips articles already in the output with the same content "
        "hash and model versions, and redoes changed ones and those whose record was made by other "
        "model versions (after an upgrade; see --keep-stale); a killed run is continued by the "
        "next. Records of articles deleted from the archive stay unless --prune. Articles that "
        "fail go to the errors file; the exit status is 1 when any failed, 2 on bad options "
        "(and when -o or --errors is a file newsnlp did not write), 130 after Ctrl-C (what was "
        "finished is saved; run again to continue).",
    )
    p.add_argument("archive", metavar="ARCHIVE", help="folder of posts, .jsonl/.parquet file, or saved dataset folder")
    p.add_argument("-o", "--output", default=None,
                   help="output file (default: ./<ARCHIVE name>.tags.<format>)")
    p.add_argument("--format", choices=("jsonl", "parquet", "csv"), default=None,
                   help="output format (default: from the output suffix, else jsonl)")
    p.add_argument("--workers", type=int, default=None, help=f"worker processes (default: {os.cpu_count()}, the cores)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: worker processes here (default); ray: actors on a Ray cluster "
                   "(pip install 'newsnlp[ray]'; see docs/batch.md)")
    p.add_argument("--address", default=None,
                   help="Ray cluster: auto, HOST:6379 or ray://HOST:10001 (default: one started on this machine, "
                   "else a new local one); --engine ray only")
    p.add_argument("--actors", type=int, default=None,
                   help="Ray actors, each loading the models once (default: the cluster's CPUs / --cpus-per-actor)")
    p.add_argument("--cpus-per-actor", type=float, default=1, help="CPUs Ray reserves per actor (default: 1)")
    p.add_argument("--batch-size", type=int, default=16, help="articles sent to a worker at a time (default: 16)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--errors", default=None, help="errors file, JSONL (default: <output>.errors.jsonl)")
    p.add_argument("--write-front-matter", action="store_true",
                   help="write the results into each post's YAML front matter (other bytes untouched)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the front-matter diffs and write nothing (implies --write-front-matter)")
    p.add_argument("--fields", default=None,
                   help="what to write back under which key, e.g. summary=abstract,keywords,officials "
                   f"(default: {','.join(DEFAULT_FIELDS)}; fields: {', '.join(_FIELD_CHOICES)})")
    p.add_argument("--force", action="store_true", help="analyse every article again, even unchanged ones")
    p.add_argument("--keep-stale", action="store_true",
                   help="skip unchanged articles whose records were made by other newsnlp or model "
                   "versions, keeping those records (by default such articles are analysed again)")
    p.add_argument("--prune", action="store_true",
                   help="after a complete run, drop the records of articles no longer in the archive "
                   "(deleted posts, removed rows); articles that failed keep theirs. With --dry-run, "
                   "list what would be pruned")
    p.add_argument("--follow-links", action="store_true",
                   help="follow symlinked folders, and write back through symlinks to posts outside the "
                   "archive (by default symlinked folders are reported and not read, and a post that "
                   "resolves outside the archive is analysed but not written)")
    p.add_argument("--overwrite", action="store_true",
                   help="with --write-front-matter, replace values a post already has that newsnlp did not "
                   "write (a hand-written summary:, the editor's tags:); by default they are kept")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"report longer articles as too long (default: {DEFAULT_MAX_CHARS})")
    p.add_argument("--text-key", default="text", help="record field holding the text (JSONL/Parquet/dataset)")
    p.add_argument("--title-key", default="title", help="record field holding the title")
    p.add_argument("--id-key", default="id", help="record field holding the id (default: the row number)")
    p.add_argument("--split", default=None, help="split of a saved DatasetDict")
    p.add_argument("--summary-model", default=None, help="local dir or hub id of a seq2seq model")
    p.add_argument("--ner-model", default=None, help="local dir or hub id of a token-classification model")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda:N (transformers back-ends)")
    p.add_argument("--user-dict", default=None, help="jieba user dictionary")
    p.add_argument("--tag-vocabulary", default=None, help="file of known tags, one a line")
    p.add_argument("--entity-lexicon", default=None,
                   help="archive entity lexicon from `newsnlp entities learn` (its names are organisations in every post)")
    p.set_defaults(func=_cmd_tag)
