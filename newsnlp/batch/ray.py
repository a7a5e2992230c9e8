"""Analyse archives on a Ray cluster: ``tag_archive(..., engine="ray")`` and :func:`analyze_dataset`.

Two ways in, one worker class:

- :func:`newsnlp.tag_archive` with ``engine="ray"`` (``newsnlp tag ARCHIVE --engine ray``) keeps
  everything the local engine does on the driver -- reading the archive, the content-hash and
  model-versions skip/redo decision, the JSONL journal, the errors file, compaction, export and
  front-matter write-back -- and only moves the analysis to a pool of Ray actors, each of which
  builds one :class:`~newsnlp.Analyzer` (its models load once per actor). Articles travel in
  shards of ``batch_size``; each finished article is one flushed journal line, so a run killed
  at any point (the driver, or a worker node) is resumed by the next one without redoing what
  was written and without duplicates. An actor lost with its node is replaced and its shards are
  run again elsewhere; a shard that loses an actor twice is split into single articles, and an
  article that kills an actor on its own is reported as ``WorkerDied``.
- :func:`analyze_dataset` is for a ``ray.data.Dataset`` you already have: a ``map_batches``
  stage over an actor pool, returning a dataset of records (the columns of ``--format parquet``
  plus ``error`` and ``error_type``), ready for ``write_parquet``.

Ray is an optional extra: ``pip install 'newsnlp[ray]'``. Nothing here imports it before it is
needed, and ``import newsnlp`` never does.
"""

from __future__ import annotations

import os
import time
from collections import deque
from typing import Any, Callable, Iterator, Mapping

from ..errors import NewsNLPError
from .export import arrow_versions

__all__ = ["analyze_dataset", "run_shards", "check_options", "check_installed", "INSTALL_HINT"]

INSTALL_HINT = "install it with: pip install 'newsnlp[ray]' (Ray Data 2.60), on the driver and on every node"



def _import_ray():
    try:
        import ray
    except ImportError as exc:
        raise NewsNLPError(f"the Ray engine needs the 'ray' package, which is not installed ({exc}); {INSTALL_HINT}") from None
    return ray


def check_installed() -> None:
    """Raise ``NewsNLPError`` when Ray is not installed (with the install hint)."""
    _import_ray()


def check_options(actors: int | None, cpus_per_actor: float) -> None:
    """Raise ``ValueError`` for a bad ``actors``/``cpus_per_actor``, ``NewsNLPError`` when Ray is missing."""
    from .options import check_ray_options

    check_ray_options(actors, cpus_per_actor)
    _import_ray()


def _versions_of(spec: Any) -> dict[str, str]:
    """The model versions of the analyzer ``spec`` describes, computed here as the driver computes its own.

    An Analyzer is rebuilt from its settings (cheap: models load on first use), so that its
    whole :class:`~newsnlp.config.AnalyzerConfig` counts, as on the driver.
    """
    from .versions import model_versions

    kind, value = spec
    if kind == "analyzer":
        from ..analyzer import Analyzer

        return model_versions(Analyzer(**value))
    return model_versions(value)


def _hooks() -> dict[str, str]:
    # Ray workers get the environment of the node they run on, not the driver's: hand on the
    # batch hooks (per-article sleep, analyzer factory) so that a run behaves as it does locally.
    from .workers import ENV_ANALYZER, ENV_SLEEP

    return {k: os.environ[k] for k in (ENV_SLEEP, ENV_ANALYZER) if os.environ.get(k)}


class _Worker:
    """What each actor holds: one analyzer, built as a local worker process builds it."""

    def __init__(self, spec: Any, max_chars: int, keys: tuple[str, str, str], hooks: Mapping[str, str]) -> None:
        from .workers import init_worker

        os.environ.update(hooks)
        init_worker(spec)
        self._spec = spec
        self._max_chars = max_chars
        self._keys = keys

    def ready(self) -> dict[str, Any]:
        """Where this actor runs and which model versions it would stamp on records."""
        import ray

        return {
            "node": ray.get_runtime_context().get_node_id(),
            "pid": os.getpid(),
            "versions": _versions_of(self._spec),
        }

    def analyze(self, jobs: list) -> list[dict[str, Any]]:
        from .workers import work_chunk

        return work_chunk(jobs, self._max_chars, self._keys)

    def peak_rss(self) -> int:
        """Peak resident memory of this actor's process, in bytes (Linux reports KiB)."""
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _connect(ray, address: str | None) -> bool:
    """Connect to (or start) Ray; return True when this call started the connection."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    kwargs: dict[str, Any] = {"address": address, "log_to_driver": False, "logging_level": "WARNING"}
    if address in (None, "local"):
        kwargs["address"] = None if address is None else "local"
        kwargs["include_dashboard"] = False
    try:
        ray.init(**kwargs)
    except ValueError:
        # ray.init() found a running cluster (RAY_ADDRESS or `ray start` on this machine):
        # dashboard options belong to whoever started it.
        kwargs.pop("include_dashboard", None)
        ray.init(**kwargs)
    except ConnectionError as exc:
        raise NewsNLPError(
            f"cannot reach a Ray cluster at {address!r} ({exc}); start one with `ray start --head` "
            "on the head node, or pass --address auto (a cluster started on this machine) or ray://HOST:10001"
        ) from None
    return True


def run_shards(
    sources: Iterator[Any],
    finish: Callable[[Any, dict[str, Any]], None],
    *,
    spec: Any,
    max_chars: int,
    keys: tuple[str, str, str],
    batch_size: int,
    versions: Mapping[str, str],
    address: str | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1,
    start_timeout: float = 300.0,
) -> dict[str, Any]:
    """Analyse ``sources`` (:class:`newsnlp.batch.sources.Source`) on Ray actors; call ``finish`` per result.

    This is :func:`newsnlp.batch.workers.run_pool` with Ray actors in place of worker processes: at
    most two shards per actor are in flight, so the driver's and the object store's memory stay
    flat however long the archive is; results are handed to ``finish`` (which writes the journal
    line) as shards complete.

    Returns:
        ``{"actors": [{"node", "pid", "shards", "peak_rss"}...], "replaced": n}`` for the actors
        alive at the end (shards: how many each analysed; peak_rss: bytes), for benchmarks.

    Raises:
        NewsNLPError: Ray is missing, the cluster is unreachable, no actor could start within
            ``start_timeout`` seconds, or a node's newsnlp/models differ from the driver's.
    """
    ray = _import_ray()
    from ray.exceptions import GetTimeoutError, ObjectLostError, RayActorError, WorkerCrashedError

    from .workers import failure, job_of

    lost = (RayActorError, WorkerCrashedError, ObjectLostError)
    started = _connect(ray, address)
    if actors is None:  # the whole cluster: as many actors as its CPUs hold
        actors = max(1, int(ray.cluster_resources().get("CPU", 1) // cpus_per_actor))
    remote_cls = ray.remote(_Worker)
    options = {"num_cpus": cpus_per_actor, "scheduling_strategy": "SPREAD", "max_restarts": 0}
    hooks = _hooks()

    def new_actor():
        actor = remote_cls.options(**options).remote(spec, max_chars, keys, hooks)
        return actor, actor.ready.remote()

    starting: dict[Any, Any] = {}  # ready() ref -> actor not yet started
    ready: list[Any] = []  # actors that answered ready()
    busy: dict[Any, int] = {}  # actor -> shards in flight
    in_flight: dict[Any, tuple[Any, list, int]] = {}  # analyze() ref -> (actor, shard, attempt)
    retry: deque[tuple[list, int]] = deque()
    info: dict[Any, dict[str, Any]] = {}
    replaced = 0
    shards = _shards(sources, batch_size)
    exhausted = False
    waiting_since = time.monotonic()
    start_error: Exception | None = None
    try:
        for _ in range(actors):
            actor, ref = new_actor()
            starting[ref] = actor

        def drop(actor) -> None:
            nonlocal replaced
            if actor in busy:
                del busy[actor]
                ready.remove(actor)
                try:
                    ray.kill(actor)  # gone with its node, or unreachable: either way not used again
                except Exception:
                    pass
            for ref, (owner, shard, attempt) in list(in_flight.items()):
                if owner is actor:
                    del in_flight[ref]
                    if attempt == 0:
                        retry.append((shard, 1))  # a lost node is not the articles' fault: once more
                    elif len(shard) > 1:
                        retry.extend(([s], 2) for s in shard)  # find the article that kills actors
                    else:
                        finish(shard[0], failure(job_of(shard[0]), "the Ray actor died while analysing this "
                                                 "article (a crash in native code, out of memory, or its node "
                                                 "was lost twice)", "WorkerDied"))
            if replaced < 4 * actors:
                replaced += 1
                new, ref = new_actor()
                starting[ref] = new

        while True:
            for actor in sorted(ready, key=lambda a: busy[a]):
                while busy[actor] < 2:
                    if retry:
                        shard, attempt = retry.popleft()
                    elif not exhausted:
                        shard = next(shards, None)
                        if shard is None:
                            exhausted = True
                            break
                        attempt = 0
                    else:
                        break
                    in_flight[actor.analyze.remote([job_of(s) for s in shard])] = (actor, shard, attempt)
                    busy[actor] += 1
            if not in_flight and exhausted and not retry:
                break
            if not ready and not starting:
                why = (f"the last one failed to start: {_last_line(start_error)}" if start_error
                       else "they died while analysing")
                raise NewsNLPError(
                    f"no Ray actor is left to analyse with ({why}); check that the same newsnlp is installed on "
                    "every node (pip install 'newsnlp[ray]') and `ray status`. Finished articles are in the "
                    "output: run again to continue"
                )
            if not ready and time.monotonic() - waiting_since > start_timeout:
                free = ray.available_resources().get("CPU", 0)
                raise NewsNLPError(
                    f"no Ray actor started within {start_timeout:.0f} s: each asks for {cpus_per_actor} CPU and "
                    f"the cluster has {free:g} free; lower --cpus-per-actor, add nodes, or check `ray status`"
                )
            done, _ = ray.wait(list(in_flight) + list(starting), num_returns=1, timeout=5.0)
            for ref in done:
                if ref in starting:
                    actor = starting.pop(ref)
                    try:
                        meta = ray.get(ref)
                    except lost as exc:
                        start_error = exc  # died while starting (its node went away?): others carry on
                        continue
                    if dict(meta["versions"]) != dict(versions):
                        raise NewsNLPError(
                            f"Ray node {meta['node'][:12]} has other newsnlp or model versions than this driver "
                            f"({meta['versions']} vs {dict(versions)}); install the same newsnlp and models "
                            "on every node, or its records would be stamped with the wrong versions"
                        )
                    info[actor] = {**meta, "shards": 0}
                    ready.append(actor)
                    busy[actor] = 0
                    continue
                actor, shard, attempt = in_flight[ref]
                try:
                    results = ray.get(ref)
                except lost:
                    drop(actor)
                    continue
                del in_flight[ref]
                busy[actor] -= 1
                info[actor]["shards"] += 1
                for source, result in zip(shard, results):
                    finish(source, result)
            if ready:
                waiting_since = time.monotonic()
        stats = []
        for actor in ready:
            try:
                rss = ray.get(actor.peak_rss.remote(), timeout=30)
            except (GetTimeoutError, *lost):
                rss = None
            stats.append({"node": info[actor]["node"], "pid": info[actor]["pid"], "shards": info[actor]["shards"],
                          "peak_rss": rss})
        return {"actors": stats, "replaced": replaced}
    finally:
        for actor in [*ready, *starting.values()]:
            try:
                ray.kill(actor)
            except Exception:  # already gone with its node
                pass
        if started:
            ray.shutdown()


def _last_line(exc: BaseException) -> str:
    """The gist of a Ray error: its last line ("ModuleNotFoundError: ..."), without the traceback."""
    import re

    lines = [ln.strip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__


def _shards(items: Iterator[Any], size: int) -> Iterator[list]:
    from .._util import chunks

    return chunks(items, size)


# =========================================================================== Ray Data

class _DatasetWorker(_Worker):
    """The ``map_batches`` callable: a pyarrow batch of input rows -> a batch of records."""

    def __init__(self, spec: Any, max_chars: int, keys: tuple[str, str, str], hooks: Mapping[str, str],
                 versions: Mapping[str, str]) -> None:
        super().__init__(spec, max_chars, keys, hooks)
        self._versions = arrow_versions(versions)

    def __call__(self, table):
        import pyarrow as pa

        from .export import parquet_schema
        from .sources import record_hash
        from .workers import Job

        _text_key, _title_key, id_key = self._keys
        jobs = []
        for row in table.to_pylist():
            rid = row.get(id_key)
            jobs.append(Job("" if rid is None else str(rid), None, "record", row, record_hash(row)))
        rows = []
        for job, result in zip(jobs, self.analyze(jobs)):
            if result.get("ok"):
                rows.append({**result["record"], "versions": self._versions, "error": None, "error_type": None})
            else:
                rows.append({"id": job.id, "path": job.payload.get("path"), "content_hash": job.content_hash,
                             "error": result["reason"], "error_type": result["error_type"]})
        schema = parquet_schema().append(pa.field("error", pa.string())).append(pa.field("error_type", pa.string()))
        return pa.Table.from_pylist(rows, schema=schema)


def analyze_dataset(
    ds: Any,
    analyzer: Any = None,
    *,
    config: Any = None,
    actors: int = 2,
    cpus_per_actor: float = 1,
    batch_size: int = 16,
    text_key: str = "text",
    title_key: str = "title",
    id_key: str = "id",
    max_chars: int | None = None,
):
    """Analyse every row of a ``ray.data.Dataset`` on a pool of actors; return a dataset of records.

    Rows are read as :func:`newsnlp.tag_archive` reads JSONL/Parquet records (``text``, a whole
    post with front matter works; optional ``title``, ``id``, ``date``, ``path``), so the records
    are the ones the local engine writes for the same rows: the ``--format parquet`` columns
    (``id``, ``path``, ``title``, ``date``, ``summary``, ``tags``, ``keywords``, ``entities``,
    ``content_hash``, ``written_hash``, ``versions``, ``warnings``; in ``versions``, the
    ``config`` entry of a non-default configuration is JSON text) plus ``error`` and
    ``error_type``, which are null for an analysed row and say why for one that failed (its
    other analysis columns are then null). Each actor builds ``analyzer`` once: pass an
    :class:`~newsnlp.Analyzer` configured as you want it (models, dictionaries, device), or
    just its :class:`~newsnlp.config.AnalyzerConfig` (``analyze_dataset(ds, config)`` or
    ``config=``); it is rebuilt from its settings on each actor, so its models load once per actor.

    Nothing runs until the dataset is consumed (``write_parquet``, ``iter_rows``, ...); this
    is a plain Ray Data stage, so resuming a killed job is up to the caller (e.g. write
    Parquet shards and filter out the ids already written). :func:`newsnlp.tag_archive` with
    ``engine="ray"`` does that for an archive.

    Args:
        ds: a ``ray.data.Dataset`` of article rows.
        analyzer: a :class:`~newsnlp.Analyzer` (default ``Analyzer()``), a picklable
            callable ``Article -> Analysis``, or an :class:`~newsnlp.config.AnalyzerConfig`
            (the same as ``config=``).
        config: the :class:`~newsnlp.config.AnalyzerConfig` of the ``Analyzer`` each actor
            builds (default: the defaults); not together with ``analyzer``.
        actors: actors in the pool, each holding one analyzer.
        cpus_per_actor: CPUs Ray reserves for each actor.
        batch_size: rows per ``map_batches`` batch (analysed with ``Analyzer.analyze_many``).
        text_key, title_key, id_key: the input columns.
        max_chars: longer articles fail as ``ArticleTooLong`` (default as ``tag_archive``).

    Returns:
        A lazy ``ray.data.Dataset`` of records.

    Raises:
        NewsNLPError: Ray is not installed.
        ValueError: a non-positive ``actors``, ``batch_size`` or ``cpus_per_actor``; both
            ``analyzer`` and ``config``.
        TypeError: ``config`` is not an ``AnalyzerConfig``.

    Example:
        >>> import ray.data  # doctest: +SKIP
        >>> ds = ray.data.from_items([{"id": "a1", "text": "宁波市总工会召开会议，部署新就业形态劳动者工会工作。"}])  # doctest: +SKIP
        >>> analyze_dataset(ds, actors=1).take(1)[0]["summary"]  # doctest: +SKIP
        '宁波市总工会召开会议，部署新就业形态劳动者工会工作。'
    """
    check_options(actors, cpus_per_actor)
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    from ray.data import ActorPoolStrategy

    from ..config import AnalyzerConfig
    from .options import DEFAULT_MAX_CHARS
    from .versions import model_versions
    from .workers import analyzer_spec

    if isinstance(analyzer, AnalyzerConfig):  # analyze_dataset(ds, config)
        analyzer, config = (None, analyzer) if config is None else (analyzer, config)
    if config is not None:
        if not isinstance(config, AnalyzerConfig):
            raise TypeError(f"config must be a newsnlp.config.AnalyzerConfig or None, got {type(config).__name__}")
        if analyzer is not None:
            raise ValueError("pass analyzer= or config=, not both (an Analyzer carries its config: analyzer.config)")
        from ..analyzer import Analyzer

        analyzer = Analyzer(config=config)
    spec = analyzer_spec(analyzer)
    keys = (text_key, title_key, id_key)
    return ds.map_batches(
        _DatasetWorker,
        fn_constructor_args=(spec, max_chars or DEFAULT_MAX_CHARS, keys, _hooks(), model_versions(analyzer)),
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=ActorPoolStrategy(size=actors),
        num_cpus=cpus_per_actor,
    )
