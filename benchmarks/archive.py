"""Archive throughput: ``newsnlp.tag_archive`` on a generated archive, with 1 and N workers.

The archive is the sample corpus's posts copied until there are ``n_posts`` files, each copy
with a distinct last sentence so that no content-hash or cache shortcut applies. Each run
happens in a fresh process and writes to an empty output.
"""

from __future__ import annotations

import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import Block, Row
from .corpora import SAMPLE_DIR


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


def _tag_process(archive: str, output: str, workers: int, conn) -> None:
    try:
        from newsnlp.batch import tag_archive

        start = time.perf_counter()
        report = tag_archive(archive, output, workers=workers, progress=False)
        wall = time.perf_counter() - start
        conn.send({
            "workers": workers, "processed": report.processed, "failed": report.failed, "seconds": wall,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
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
                   ("rss_mb", "peak RSS MB, main process"), ("rss_child_mb", "peak RSS MB, largest worker")]


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
        values["rss_mb"], values["rss_child_mb"] = round(r["rss_mb"]), round(r["rss_child_mb"]) or None
        block.rows.append(Row(name, "model", values))
    block.notes.append("Wall time of the whole call: start-up, model loading in each worker, reading, analysis and "
                       "writing JSONL. With workers=1 the analysis runs in the main process. Each copy of a post "
                       "differs in its last sentence, so no content hash repeats.")
    return block
