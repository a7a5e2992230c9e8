"""Generated archives and measuring ``newsnlp tag`` on them: the one home of the archive benchmarks' helpers.

- :func:`make_archive`: the sample corpus's posts copied until there are ``n_posts`` files, each
  copy with a distinct last sentence (``benchmarks.run``'s archive stage, below);
- :func:`build_archive`: copies with their own names, dates and a ``bench_copy`` key, in year
  folders (``benchmarks.batch_bench``, ``archive_run``, ``ray_bench``);
- :class:`Sampler`: a thread sampling a process tree while a run goes on (the memory samplers);
- :func:`tag_counts`: the counts of ``newsnlp tag``'s summary line.

Archive throughput here: ``newsnlp.tag_archive`` on a generated archive, with 1 and N workers.
Each run happens in a fresh process and writes to an empty output; no content-hash or cache
shortcut applies.
"""

from __future__ import annotations

import multiprocessing
import re
import shlex
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from .common import Block, Row
from .corpora import SAMPLE_DIR
from .speed import peak_rss_mb


def make_archive(root: Path, n_posts: int, sample_dir: Path = SAMPLE_DIR) -> int:
    """Write ``n_posts`` Jekyll posts under ``root/_posts``; returns their total size in bytes."""
    posts = sorted((Path(sample_dir) / "posts").glob("*.md"))
    if not posts:
        raise FileNotFoundError(f"no posts in {Path(sample_dir) / 'posts'}")
    target = Path(root) / "_posts"
    target.mkdir(parents=True, exist_ok=True)
    sources = [p.read_text(encoding="utf-8") for p in posts]
    size = 0
    for i in range(n_posts):
        raw, copy = sources[i % len(sources)], i // len(sources)
        if copy:
            end = raw.rfind("</p>")
            raw = raw[:end] + f"（副本{copy}）" + raw[end:] if end >= 0 else raw + f"\n（副本{copy}）\n"
        name = posts[i % len(posts)].name
        path = target / (name if not copy else f"{name[:-3]}-copy{copy}.md")
        path.write_text(raw, encoding="utf-8")
        size += len(raw.encode("utf-8"))
    return size


_DATE = re.compile(r"^date:.*$", re.M)


def build_archive(sample_dir: Path, dest: Path, n_posts: int) -> int:
    """Write ``n_posts`` posts under ``dest/<year>/`` cycling through the sample posts; return bytes written.

    Each copy gets its own file name, date and ``bench_copy`` key, so every content hash differs.
    """
    samples = sorted(sample_dir.glob("*.md"))
    if not samples:
        raise SystemExit(f"no sample posts in {sample_dir}; the benchmark needs benchmarks/data/posts/*.md")
    texts = [p.read_text(encoding="utf-8") for p in samples]
    total = 0
    for i in range(n_posts):
        k = i % len(texts)
        year = 2000 + (i // 1000)
        day = i % 28 + 1
        month = (i // 28) % 12 + 1
        date = f"{year}-{month:02d}-{day:02d}"
        text = _DATE.sub(f"date: {date} 08:00:00 +0800", texts[k], count=1)
        text = text.replace("---\n", f"---\nbench_copy: {i}\n", 1)
        slug = samples[k].stem.split("-", 3)[-1]
        folder = dest / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{date}-{slug}-{i}.md").write_bytes(data)
        total += len(data)
    return total


_TAG_SUMMARY = re.compile(r"processed (\d+), skipped (\d+), failed (\d+).* in ([\d.]+) s")


def tag_counts(stderr: str, cmd: Sequence[str], returncode: int | None, *, where: str = "",
               ok: Sequence[int] | None = None) -> dict[str, Any]:
    """``processed``, ``skipped``, ``failed`` and ``seconds`` from ``newsnlp tag``'s summary line.

    Raises:
        SystemExit: no summary line (or, with ``ok``, an exit status not in it): the command failed.
    """
    m = _TAG_SUMMARY.search(stderr)
    if m is None or (ok is not None and returncode not in ok):
        raise SystemExit(f"{where}`{shlex.join(cmd)}` failed (exit {returncode}):\n{stderr[-3000:]}")
    return {"processed": int(m[1]), "skipped": int(m[2]), "failed": int(m[3]), "seconds": float(m[4])}


class Sampler:
    """Calls :meth:`sample` every ``interval`` seconds in a thread, for the span of a ``with`` block.

    ``wait_first``: the first sample is taken one interval in, not at once.
    """

    wait_first = False

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        if self.wait_first and self._stop.wait(self._interval):
            return
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


class _ChildMemory(Sampler):
    """Samples the resident memory of this process's children (the workers) in a thread."""

    wait_first = True

    def __init__(self, interval_s: float = 0.25) -> None:
        super().__init__(interval_s)
        self.largest_mb = 0.0
        self.total_mb = 0.0
        try:
            import psutil
        except ImportError:
            psutil = None
        self._psutil = psutil
        self._me = psutil.Process() if psutil is not None else None

    def sample(self) -> None:
        if self._psutil is None:
            return
        sizes = []
        for child in self._me.children(recursive=True):
            try:
                sizes.append(child.memory_info().rss / 2**20)
            except self._psutil.Error:
                continue
        if sizes:
            self.largest_mb = max(self.largest_mb, max(sizes))
            self.total_mb = max(self.total_mb, sum(sizes))


def _tag_process(archive: str, output: str, workers: int, conn) -> None:
    try:
        from newsnlp.batch import tag_archive

        start = time.perf_counter()
        with _ChildMemory() as children:
            report = tag_archive(archive, output, workers=workers, progress=False)
        wall = time.perf_counter() - start
        conn.send({
            "workers": workers, "processed": report.processed, "failed": report.failed, "seconds": wall,
            "rss_mb": peak_rss_mb(), "rss_child_mb": children.largest_mb, "rss_children_mb": children.total_mb,
        })
    except Exception as exc:  # noqa: BLE001 - reported in the table
        conn.send({"workers": workers, "error": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.close()


def measure_archive(n_posts: int, worker_counts: list[int], *, timeout_s: float = 3600) -> list[dict[str, Any]]:
    """Generate the archive in a temporary folder and tag it once per worker count."""
    import importlib.util

    if importlib.util.find_spec("newsnlp.batch") is None:
        return [{"workers": w, "error": "newsnlp.batch is not in the library yet"} for w in worker_counts]
    tmp = Path(tempfile.mkdtemp(prefix="newsnlp-bench-archive-"))
    results: list[dict[str, Any]] = []
    try:
        make_archive(tmp / "site", n_posts)
        ctx = multiprocessing.get_context("spawn")
        for workers in worker_counts:
            receiver, sender = ctx.Pipe(duplex=False)
            out = tmp / f"tags-{workers}.jsonl"
            process = ctx.Process(target=_tag_process, args=(str(tmp / "site"), str(out), workers, sender))
            process.start()
            sender.close()
            if receiver.poll(timeout_s):
                try:
                    results.append(receiver.recv())
                except EOFError:
                    results.append({"workers": workers, "error": "the tagging process died"})
            else:
                process.kill()
                results.append({"workers": workers, "error": f"timed out after {timeout_s:.0f} s"})
            process.join()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


ARCHIVE_COLUMNS = [("processed", "processed"), ("failed", "failed"), ("seconds", "wall s"), ("aps", "articles/s"),
                   ("rss_mb", "peak RSS MB, main process"), ("rss_child_mb", "peak RSS MB, largest worker"),
                   ("rss_children_mb", "peak RSS MB, all workers")]


def archive_block(results: list[dict[str, Any]], n_posts: int) -> Block:
    """The throughput table of :func:`measure_archive` results."""
    block = Block("archive", "Archive throughput",
                  f"newsnlp.tag_archive on a generated archive of {n_posts:,} posts (the sample corpus copied)",
                  ARCHIVE_COLUMNS, plain={k for k, _ in ARCHIVE_COLUMNS}, short="archive")
    for r in results:
        name = f"tag_archive(workers={r['workers']})"
        if "error" in r:
            block.rows.append(Row(name, "model", {}, note=r["error"]))
            continue
        values = {k: r.get(k) for k in ("processed", "failed")}
        values["seconds"] = round(r["seconds"], 1)
        values["aps"] = round(r["processed"] / r["seconds"], 1) if r["seconds"] else None
        values["rss_mb"] = round(r["rss_mb"])
        values["rss_child_mb"] = round(r.get("rss_child_mb") or 0) or None
        values["rss_children_mb"] = round(r.get("rss_children_mb") or 0) or None
        block.rows.append(Row(name, "model", values))
    block.notes.append("Wall time of the whole call: start-up, model loading in each worker, reading, analysis and "
                       "writing JSONL. With workers=1 the analysis runs in the main process. Each copy of a post "
                       "differs in its last sentence, so no content hash repeats. Main-process peak is Linux VmHWM; "
                       "worker memory is sampled every 0.25 s with psutil (shared pages count in each worker).")
    fastest = max((r for r in results if "error" not in r and r.get("seconds")),
                  key=lambda r: r["processed"] / r["seconds"], default=None)
    if fastest is not None and fastest["processed"]:
        rate = fastest["processed"] / fastest["seconds"]
        minutes, seconds = divmod(round(16_800 / rate), 60)
        block.notes.append(f"At the best rate here ({rate:.1f} articles/s, workers={fastest['workers']}) an archive "
                           f"of 16,800 such posts (issue 15's size) would take about {minutes} min {seconds:02d} s: "
                           "a projection from this run, not a run of 16,800 posts.")
    if n_posts < 10_000:
        block.notes.append("Issue 7 asks for an archive of at least 10,000 posts: `python -m benchmarks.run --stages "
                           "archive --archive-posts 10000`, or `python -m benchmarks.batch_bench` (docs/benchmarks-batch.md), "
                           "which also times a resumed run. The default keeps the full report near 15 minutes on 2 cores.")
    return block
