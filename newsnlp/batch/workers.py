"""The analysis side of an archive run: what runs in each worker, and the pool that feeds them.

Each worker builds one analyzer (:func:`analyzer_spec` says how it travels, :func:`build_analyzer`
builds it there) and turns :class:`Job` chunks into result dicts with :func:`work_chunk`: a
record (``{"ok": True, "id", "record"}``) or a failure (``{"ok": False, "id", "path", "reason",
"error_type"}``, with ``"fatal": True`` when no other article would fare better). Nothing here
raises for one article's fault. :func:`run_pool` feeds chunks to worker processes; the Ray engine
(:mod:`newsnlp.batch.ray`) runs the same :func:`work_chunk` on its actors.
"""

from __future__ import annotations

import os
import time
import warnings
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal

from .._util import chunks
from ..errors import ModelLoadError, ModelNotFoundError
from ..parallel import kill_pool, prepare_worker, spawn_context
from .sources import Source

__all__ = [
    "Job", "job_of", "analyzer_spec", "build_analyzer", "init_worker", "init_in_process", "work_chunk",
    "analysis_record", "failure", "run_pool", "ENV_SLEEP", "ENV_ANALYZER",
]

# Test and profiling hooks, read in each worker: seconds to sleep per article, and a
# "module:callable" factory that replaces the default Analyzer.
ENV_SLEEP = "NEWSNLP_BATCH_SLEEP"
ENV_ANALYZER = "NEWSNLP_BATCH_ANALYZER"


@dataclass
class Job:
    """One article to analyse: sent to a worker, so it stays small and picklable."""

    id: str
    path: str | None  # the file, or "data.jsonl:12" for a record
    kind: Literal["file", "record"]
    payload: Any  # bytes of a file, or a dict record
    content_hash: str


def job_of(source: Source) -> Job:
    """The part of ``source`` a worker needs."""
    return Job(source.id, source.path, source.kind, source.payload, source.content_hash or "")


# =========================================================================== analyzers in workers

def analyzer_spec(analyzer: Any) -> Any:
    """What to send to a worker so it can build its own copy of ``analyzer``.

    An :class:`~newsnlp.Analyzer` holds locks and loaded models, so it travels as its
    constructor arguments: every option of its :class:`~newsnlp.config.AnalyzerConfig`
    (:meth:`~newsnlp.config.AnalyzerConfig.to_kwargs`, plain data when the options are paths), so
    no option is lost on the way; any other analyzer (a picklable callable) travels as itself.
    """
    from ..analyzer import Analyzer

    if analyzer is None:
        return ("analyzer", {})
    if type(analyzer) is Analyzer:
        return ("analyzer", analyzer.config.to_kwargs())
    if not callable(analyzer):
        raise TypeError(
            f"analyzer must be a newsnlp.Analyzer or a callable taking an Article, got {type(analyzer).__name__}"
        )
    return ("object", analyzer)


def build_analyzer(spec: Any) -> Callable[[Any], Any]:
    """The analyzer :func:`analyzer_spec` described, or the ``NEWSNLP_BATCH_ANALYZER`` factory's when set."""
    hook = os.environ.get(ENV_ANALYZER)
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


def init_worker(spec: Any, parent_pid: int | None = None) -> None:
    """Build the one analyzer this worker process uses (models then load once, on first use)."""
    global _worker_analyzer, _worker_sleep
    prepare_worker(parent_pid)
    _worker_analyzer = build_analyzer(spec)
    _worker_sleep = float(os.environ.get(ENV_SLEEP) or 0)


def init_in_process(analyzer: Any, *, clear: bool = False) -> None:
    """Analyse in this process with the caller's analyzer itself (its loaded models are reused)."""
    global _worker_analyzer, _worker_sleep
    if clear:
        _worker_analyzer = None  # the models stay with the caller's analyzer, not with this module
        return
    if analyzer is None or os.environ.get(ENV_ANALYZER):
        _worker_analyzer = build_analyzer(analyzer_spec(analyzer))
    else:
        analyzer_spec(analyzer)  # the same type check as for workers
        _worker_analyzer = analyzer
    _worker_sleep = float(os.environ.get(ENV_SLEEP) or 0)


# =========================================================================== the work itself

def analysis_record(analysis: Any) -> dict[str, Any]:
    """An analysis as a plain dict, without the raw entity mentions."""
    d = analysis.to_dict() if hasattr(analysis, "to_dict") else dict(analysis)
    entities = d.get("entities")
    if isinstance(entities, dict):
        entities.pop("mentions", None)
    return d


def _read_job(job: Job, max_chars: int, text_key: str, title_key: str, id_key: str) -> tuple[Any, dict | None, list[str]]:
    """Decode and parse one article: ``(article, None, notes)``, or ``(None, failure, [])``."""
    from ..article import decode_bytes, parse_post, read_article

    too_long = "too long: {} characters, more than max_chars={}; raise --max-chars to analyse it"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if job.kind == "file":
                text = decode_bytes(job.payload, source=job.path or job.id)
                if len(text) > max_chars:
                    return None, failure(job, too_long.format(len(text), max_chars), "ArticleTooLong"), []
                from ..frontmatter import find_front_matter

                find_front_matter(text, source=job.path or job.id)  # malformed front matter is an error here
                article = parse_post(text, source=job.path or job.id, path=job.path, id=job.id)
            else:
                article = read_article(job.payload, text_key=text_key, title_key=title_key, id_key=id_key)
                if len(article.text) > max_chars:
                    return None, failure(job, too_long.format(len(article.text), max_chars), "ArticleTooLong"), []
    except Exception as exc:  # one article's failure must not stop the archive
        return None, failure(job, str(exc) or repr(exc), type(exc).__name__), []
    if not article.text.strip():
        return None, failure(job, "empty post: no article text after the front matter", "EmptyArticle"), []
    from ..errors import LanguageWarning

    # Kept in the record: how the file was decoded, and whether it is a language the models read.
    notes = [str(w.message) for w in caught
             if issubclass(w.category, LanguageWarning) or ", decoded as " in str(w.message)]
    return article, None, notes


def failure(job: Job, reason: str, error_type: str) -> dict[str, Any]:
    """The result of an article that could not be analysed."""
    return {"ok": False, "id": job.id, "path": job.path, "reason": reason, "error_type": error_type}


def _model_failure(job: Job, exc: Exception) -> dict[str, Any]:
    if isinstance(exc, (ModelNotFoundError, ModelLoadError, ImportError)):
        # Not this article's fault: every other one would fail the same way, so stop the run.
        return {**failure(job, str(exc), type(exc).__name__), "fatal": True}
    return failure(job, str(exc) or repr(exc), type(exc).__name__)


def _success(job: Job, article: Any, analysis: Any, notes: list[str]) -> dict[str, Any]:
    record = analysis_record(analysis)
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


def _analyse_one(job: Job, article: Any, notes: list[str]) -> dict[str, Any]:
    assert _worker_analyzer is not None
    try:
        if _worker_sleep:
            time.sleep(_worker_sleep)
        return _success(job, article, _worker_analyzer(article), notes)
    except Exception as exc:  # one article's failure must not stop the archive
        return _model_failure(job, exc)


def _analyse_job(job: Job, max_chars: int, text_key: str, title_key: str, id_key: str) -> dict[str, Any]:
    """Read and analyse one article; never raises (failures come back as error results)."""
    article, failed, notes = _read_job(job, max_chars, text_key, title_key, id_key)
    return failed if failed is not None else _analyse_one(job, article, notes)


def work_chunk(jobs: list[Job], max_chars: int, keys: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Analyse a chunk of articles; never raises (failures come back as error results).

    When the analyzer has ``analyze_many`` the chunk goes through it in one call (the NER
    model then reads the articles in shared batches); if that raises, the articles are redone
    one at a time, so that only the article at fault fails -- and so is an article whose batch
    result cannot be made a record. The same in this process and in worker processes.
    """
    read = [_read_job(job, max_chars, *keys) for job in jobs]
    good = [i for i, (_article, failed, _notes) in enumerate(read) if failed is None]
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
        article, failed, notes = read[i]
        if failed is not None:
            out.append(failed)
            continue
        if i in batched:
            try:
                out.append(_success(job, article, batched[i], notes))
                continue
            except Exception:
                pass  # not an analysis the batch gave for this article: redo it alone, as the others would be
        out.append(_analyse_one(job, article, notes))
    return out


# =========================================================================== the worker pool

def run_pool(
    sources: Iterator[Source],
    finish: Callable[[Source, dict[str, Any]], None],
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
        return ProcessPoolExecutor(max_workers=workers, mp_context=spawn_context(), initializer=init_worker,
                                   initargs=(spec, os.getpid()))

    pool = new_pool()
    in_flight: dict[Any, tuple[list[Source], bool]] = {}
    retry: deque[Source] = deque()
    groups = chunks(sources, batch_size)
    exhausted = False
    try:
        while True:
            # After a crash, suspects run alone, one at a time: a pool that breaks then was
            # broken by that very article.
            while retry and not in_flight:
                source = retry.popleft()
                in_flight[pool.submit(work_chunk, [job_of(source)], max_chars, keys)] = ([source], True)
            while not retry and not exhausted and len(in_flight) < 2 * workers:
                chunk = next(groups, None)
                if chunk is None:
                    exhausted = True
                    break
                in_flight[pool.submit(work_chunk, [job_of(s) for s in chunk], max_chars, keys)] = (chunk, False)
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
                        finish(chunk[0], failure(job_of(chunk[0]), "a worker process died while analysing this "
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
        kill_pool(pool)
        raise
