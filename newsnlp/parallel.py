"""Worker processes for many articles: :func:`parallel_map` and the pool helpers the archive run shares.

Layer 3, beside :mod:`newsnlp.analyzer` and below it: ``Analyzer.pipe(n_process=N)`` calls
:func:`parallel_map`; :mod:`newsnlp.batch` builds its archive pool from :func:`spawn_context`,
:func:`prepare_worker` and :func:`kill_pool`. Nothing here imports the analyzer or the batch
package: an analyzer travels to a worker as its configuration (see :func:`portable`).

Every worker starts with ``spawn`` (clean: no inherited locks, jieba state or torch threads; the
same on Linux, macOS and Windows), runs one thread, leaves Ctrl-C to the main process and dies
with it.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
import traceback
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ._util import chunks
from .config import AnalyzerConfig
from .errors import NewsNLPError

__all__ = ["parallel_map", "portable", "rebuild", "WorkerError", "spawn_context", "prepare_worker", "kill_pool"]


class WorkerError(NewsNLPError, RuntimeError):
    """An item's exception that could not be sent back from its worker process as itself.

    Raised in its place, with the original's type name and message (and its traceback in a
    note), after the results of the items before it -- as ``n_process=1`` would have given them.
    """


# =========================================================================== pool helpers

def spawn_context():
    """The ``multiprocessing`` context every newsnlp pool uses: ``spawn``."""
    import multiprocessing

    # spawn: workers start clean (no inherited locks, jieba state or torch threads), the
    # same on Linux, macOS and Windows.
    return multiprocessing.get_context("spawn")


def die_with_parent(parent_pid: int) -> None:
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


def prepare_worker(parent_pid: int | None = None) -> None:
    """Set up a worker process: die with ``parent_pid``, one thread, Ctrl-C left to the main process."""
    if parent_pid is not None:
        die_with_parent(parent_pid)
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


def kill_pool(pool: Any) -> None:
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


# =========================================================================== analyzers in workers

def portable(analyzer: Any) -> tuple[str, Any]:
    """What to send to a worker process so that it can build its own copy of ``analyzer``.

    An :class:`~newsnlp.Analyzer` holds locks and loaded models, so it travels as its class and
    its :class:`~newsnlp.config.AnalyzerConfig` (the worker then loads the models itself,
    once); any other analyzer (a picklable callable) travels as itself.

    Raises:
        TypeError: ``analyzer`` is not callable.

    Example:
        >>> portable(str.upper)
        ('object', <method 'upper' of 'str' objects>)
    """
    if not callable(analyzer):
        raise TypeError(
            f"analyzer must be a newsnlp.Analyzer or a callable taking an Article, got {type(analyzer).__name__}"
        )
    config = getattr(analyzer, "config", None)
    if isinstance(config, AnalyzerConfig):
        return "config", (type(analyzer), config)
    return "object", analyzer


def rebuild(recipe: tuple[str, Any]) -> Callable[[Any], Any]:
    """The analyzer :func:`portable` described, built in this process."""
    kind, value = recipe
    if kind == "config":
        cls, config = value
        return cls(config=config)
    return value


_map_analyzer: Callable[[Any], Any] | None = None


def _init_map_worker(recipe: tuple[str, Any], parent_pid: int | None = None) -> None:
    global _map_analyzer
    prepare_worker(parent_pid)
    _map_analyzer = rebuild(recipe)


def _travels(exc: BaseException) -> BaseException:
    """``exc`` if it survives the trip back to the main process, else a :class:`WorkerError` in its place.

    An exception whose class needs other constructor arguments than its ``args`` pickles but
    does not unpickle: the pool's result thread would fail on it and break the whole pool,
    losing the results of the chunk and of every chunk in flight.
    """
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception as why:
        stand_in = WorkerError(f"{type(exc).__name__}: {exc}")
        stand_in.add_note(f"newsnlp: the worker could not send the exception itself back ({type(why).__name__}: "
                          f"{why}); its traceback there:\n" + "".join(traceback.format_exception(exc)).rstrip())
        return stand_in


def _map_chunk(items: list[Any]) -> tuple[list[Any], tuple[int, BaseException] | None]:
    """``(results, None)``, or the results before the first item that raised and ``(its position, the exception)``."""
    assert _map_analyzer is not None
    many = getattr(_map_analyzer, "analyze_many", None)
    if many is not None and len(items) > 1:
        try:
            return list(many(items)), None
        except Exception:
            pass  # one by one, to find the item at fault and keep the results before it
    out = []
    for i, item in enumerate(items):
        try:
            out.append(_map_analyzer(item))
        except Exception as exc:
            return out, (i, _travels(exc))
    return out, None


def _results_of(fut: Any, done: int) -> Iterator[Any]:
    """Yield a chunk's results; raise its error, if any, naming the item; return the count yielded so far."""
    results, error = fut.result()
    for r in results:
        done += 1
        yield r
    if error is not None:
        exc = error[1]
        exc.add_note(f"newsnlp: raised by item {done} of the input (counting from 0); the {done} before it were yielded")
        raise exc
    return done


def parallel_map(analyzer: Any, items: Iterable[Any], *, n_process: int, batch_size: int = 32) -> Iterator[Any]:
    """Analyse ``items`` in ``n_process`` worker processes, yielding results in input order.

    Each worker builds one copy of ``analyzer`` (so models load once per worker); items go to
    workers ``batch_size`` at a time, with at most ``2 * n_process`` batches in flight, so
    memory stays flat however long ``items`` is. An exception in a worker is raised here, after
    the results of the items before it, as with ``n_process=1`` (one that cannot be sent back
    between processes comes as a :class:`WorkerError` naming it).

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

    recipe = portable(analyzer)
    pool = ProcessPoolExecutor(max_workers=n_process, mp_context=spawn_context(), initializer=_init_map_worker,
                               initargs=(recipe, os.getpid()))
    pending: deque = deque()
    done = 0  # items yielded so far: names the item at fault
    clean = False
    try:
        for chunk in chunks(items, batch_size):
            pending.append(pool.submit(_map_chunk, chunk))
            if len(pending) >= 2 * n_process:
                done = yield from _results_of(pending.popleft(), done)
        while pending:
            done = yield from _results_of(pending.popleft(), done)
        clean = True
    finally:
        for fut in pending:
            fut.cancel()
        if clean:
            pool.shutdown(wait=True, cancel_futures=True)
        else:  # an error, Ctrl-C, or the caller stopped iterating: do not wait for busy workers
            kill_pool(pool)
