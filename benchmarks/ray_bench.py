"""Throughput and memory of ``newsnlp tag --engine ray`` beside the local engine, in one run.

Builds the generated archive of :mod:`benchmarks.batch_bench` (``--posts`` posts, default 10,000,
cycling through ``benchmarks/data/posts``), then, each command in a fresh process:

1. the local engine with 1 and 2 worker processes;
2. the Ray engine with 1 and 2 actors on a local two-node cluster started here
   (``ray.cluster_utils.Cluster``: a head and a worker node, one CPU each, 100 MB object store,
   no dashboard), a new cluster for each run; peak memory is sampled every 50 ms per node (the
   process tree of each node: raylet, its workers and actors, and on the head the GCS) and for
   the driver (the ``newsnlp tag`` command);
3. the engine's own cost: the same runs with a null analyzer that returns a fixed record at
   once (``NEWSNLP_BATCH_ANALYZER=benchmarks.ray_bench:null_analyzer``), local with 1 worker and
   Ray with 1 actor, on an archive of ``--null-posts`` posts (default 5,000) and on one of one
   shard (``--batch-size`` posts): the one-shard runs give the start-up cost (connecting, starting an actor), the
   difference of the two per article what Ray adds to each article (scheduling, serialisation,
   the extra process hop).

Writes a Markdown fragment (default ``docs/benchmarks-ray.md``) with the exact command.

Usage:
    python -m benchmarks.ray_bench                  # 10,000 posts
    python -m benchmarks.ray_bench --posts 2000     # quicker
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.archive import Sampler, build_archive, tag_counts  # noqa: E402
from benchmarks.batch_bench import PeakMemory, machine  # noqa: E402

NODE = {"num_cpus": 1, "object_store_memory": 100 * 2**20}


def null_analyzer():
    """The NEWSNLP_BATCH_ANALYZER hook for the overhead runs: a fixed record, no model."""
    from newsnlp.types import Analysis

    def analyze(article):
        return Analysis(id=getattr(article, "id", None), title=getattr(article, "title", None), summary="。")

    return analyze


class NodeMemory(Sampler):
    """Peak RSS of each Ray node's process tree, sampled every 50 ms."""

    def __init__(self, cluster, interval: float = 0.05) -> None:
        super().__init__(interval)
        self._roots = []
        for node in cluster.list_all_nodes():
            pids = [info.process.pid for infos in node.all_processes.values() for info in infos]
            self._roots.append(("head" if node.head else "worker", pids))
        self.peak = {name: 0 for name, _ in self._roots}
        self._cpu: dict[int, float] = {}  # pid -> last seen user+system CPU seconds, every node

    def sample(self) -> None:
        import psutil

        for name, pids in self._roots:
            seen: set[int] = set()
            rss = 0
            for pid in pids:
                try:
                    root = psutil.Process(pid)
                    for p in [root, *root.children(recursive=True)]:
                        if p.pid not in seen:
                            seen.add(p.pid)
                            rss += p.memory_info().rss
                            t = p.cpu_times()
                            self._cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
            self.peak[name] = max(self.peak[name], rss)

    @property
    def cpu_seconds(self) -> float:
        """CPU time of every node's processes, as last sampled (the idle cluster's share included)."""
        return sum(self._cpu.values())


def run_tag(archive: Path, out: Path, extra: list[str], env_extra: dict[str, str], cluster=None) -> dict:
    """Run ``newsnlp tag`` in a fresh process; return wall and in-run seconds, counts and peak memory."""
    cmd = [sys.executable, "-m", "newsnlp.cli", "tag", str(archive), "-o", str(out), "--quiet", *extra]
    env = dict(os.environ, **env_extra)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    nodes = NodeMemory(cluster) if cluster is not None else None
    with PeakMemory(proc.pid) as mem:
        if nodes is not None:
            with nodes:
                _stdout, stderr = proc.communicate()
        else:
            _stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    counts = tag_counts(stderr, cmd, proc.returncode, ok=(0, 1))
    return {
        "wall": wall, "seconds": counts["seconds"], "processed": counts["processed"], "failed": counts["failed"],
        "driver_mib": mem.peak / 2**20, "cpu": mem.cpu_seconds,
        "nodes_mib": {k: v / 2**20 for k, v in nodes.peak.items()} if nodes is not None else None,
        "nodes_cpu": nodes.cpu_seconds if nodes is not None else 0.0,
    }


def run_ray(archive: Path, out: Path, actors: int, batch_size: int, env_extra: dict[str, str]) -> dict:
    """Start a two-node local cluster, run ``newsnlp tag --engine ray`` against it, stop it."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    try:
        cluster.add_node(**NODE)
        cluster.wait_for_nodes()
        time.sleep(1.0)  # let the nodes' prestarted workers settle before sampling
        idle = NodeMemory(cluster)
        with idle:
            time.sleep(0.5)
        result = run_tag(archive, out, ["--engine", "ray", "--address", cluster.address, "--actors", str(actors),
                                        "--batch-size", str(batch_size)], env_extra, cluster)
        result["idle_mib"] = {k: v / 2**20 for k, v in idle.peak.items()}
        result["nodes_cpu"] -= idle.cpu_seconds  # what the cluster had used before this run
        return result
    finally:
        cluster.shutdown()


def render(args, n_bytes: int, rows: list[tuple[str, dict]], null: dict, load: tuple) -> str:
    from newsnlp import __version__

    cmd = "python -m benchmarks.ray_bench" + (f" --posts {args.posts}" if args.posts != 10_000 else "")
    lines = [
        "### `newsnlp tag --engine ray` beside the local engine",
        "",
        f"Command: `{cmd}` (writes this file). newsnlp {__version__}; {machine()}; load average at start "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} -- other jobs shared the cores, so figures are lower bounds.",
        "",
        f"Archive: {args.posts:,} posts generated as in `benchmarks/batch_bench.py` ({n_bytes / 2**20:.1f} MiB). "
        "Ray runs: a local two-node cluster (`ray.cluster_utils.Cluster`, head and worker node with one CPU and a "
        "100 MB object store each, on this machine), started afresh for each run; actors are spread over the "
        f"nodes and run at nice 0 like the local workers (`RAY_worker_niceness=0`; Ray's default is 15). "
        f"Batch size {args.batch_size} (articles per shard) everywhere.",
        "",
        "| engine | workers / actors | articles | wall (s) | articles/s (wall) | articles/s (in run) | "
        "CPU s / 1,000 articles | peak MiB: driver (all local processes) | peak MiB: head node | peak MiB: worker node |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in rows:
        nodes = r.get("nodes_mib") or {}
        idle = r.get("idle_mib") or {}
        cell = lambda k: f"{nodes[k]:.0f} (idle {idle.get(k, 0):.0f})" if k in nodes else "–"  # noqa: E731
        lines.append(
            f"| {label} | {r['n']} | {r['processed']:,} | {r['wall']:.1f} | {r['processed'] / r['wall']:.1f} | "
            f"{r['processed'] / r['seconds']:.1f} | {1000 * (r['cpu'] + r['nodes_cpu']) / max(r['processed'], 1):.1f} | "
            f"{r['driver_mib']:.0f} | {cell('head')} | {cell('worker')} |"
        )
    extra = args.null_posts - args.batch_size
    cpu = {k: v["cpu"] + v["nodes_cpu"] for k, v in null.items()}
    per_article_cpu_ms = 1000 * ((cpu["ray"] - cpu["ray_one"]) - (cpu["local"] - cpu["local_one"])) / max(extra, 1)
    per_article_ms = 1000 * ((null["ray"]["seconds"] - null["ray_one"]["seconds"])
                             - (null["local"]["seconds"] - null["local_one"]["seconds"])) / max(extra, 1)
    lines += [
        "",
        "\"in run\" is the rate `newsnlp tag` reports (from its start to the last record: connecting to the "
        "cluster, starting actors and loading models included); \"wall\" adds interpreter start-up. A node's "
        "peak is the sum of the resident memory of its processes (raylet, its workers and actors, the GCS on the "
        "head), in brackets the idle cluster before the run; for the local engine the driver column is the "
        "command and its worker processes. CPU seconds (user + system, sampled every 50 ms) add up the command, "
        "its workers and, for Ray, every process of both nodes during the run; they depend much less than the "
        "rates on what else runs on the machine.",
        "",
        "Engine overhead, measured with a null analyzer (a fixed record, no model; "
        f"`NEWSNLP_BATCH_ANALYZER=benchmarks.ray_bench:null_analyzer`) on archives of one shard and of "
        f"{args.null_posts:,} posts generated the same way:",
        "",
        f"| engine | {args.batch_size} posts (one shard): s in run | CPU s | {args.null_posts:,} posts: s in run | CPU s |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| local, 1 worker | {null['local_one']['seconds']:.1f} | {cpu['local_one']:.1f} | {null['local']['seconds']:.1f} | "
        f"{cpu['local']:.1f} |",
        f"| ray, 1 actor | {null['ray_one']['seconds']:.1f} | {cpu['ray_one']:.1f} | {null['ray']['seconds']:.1f} | "
        f"{cpu['ray']:.1f} |",
        "",
        f"Start-up (connecting to the cluster, starting an actor, the first shard): "
        f"{null['ray_one']['seconds'] - null['local_one']['seconds']:.1f} s more than local. Per article beyond "
        f"that (scheduling shards, serialising articles and results, the hop to the actor): "
        f"**{per_article_ms:.2f} ms** wall and **{per_article_cpu_ms:.2f} ms** CPU more than the local engine's "
        "in-process path.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the generated archive (default 10000)")
    parser.add_argument("--batch-size", type=int, default=16,
                        help="articles per shard (--batch-size of newsnlp tag), and the posts of the one-shard run")
    parser.add_argument("--null-posts", type=int, default=5000, help="posts for the null-analyzer overhead runs")
    parser.add_argument("--samples", default=str(REPO / "benchmarks" / "data" / "posts"),
                        help="folder of posts the generated archive cycles through (default benchmarks/data/posts)")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks-ray.md"), help="Markdown fragment to write")
    args = parser.parse_args(argv)

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # Ray runs its workers at nice 15; on a machine shared with other jobs that would starve the
    # actors and not the local engine's workers. Same priority for both: a fair comparison.
    os.environ.setdefault("RAY_worker_niceness", "0")
    # The cluster's nodes start workers with this environment: they import newsnlp and this
    # module (for the null analyzer) from this checkout.
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    work = Path(tempfile.mkdtemp(prefix="newsnlp-ray-bench-"))
    try:
        archive = work / "_posts"
        n_bytes = build_archive(Path(args.samples), archive, args.posts)
        print(f"archive: {args.posts} posts in {archive}", file=sys.stderr)
        rows: list[tuple[str, dict]] = []
        for n in (1, 2):
            r = run_tag(archive, work / f"local-{n}.jsonl", ["--workers", str(n), "--batch-size", str(args.batch_size)], {})
            rows.append(("local", {**r, "n": n}))
            print(f"local workers={n}: {r}", file=sys.stderr)
        for n in (1, 2):
            r = run_ray(archive, work / f"ray-{n}.jsonl", n, args.batch_size, {})
            rows.append(("ray", {**r, "n": n}))
            print(f"ray actors={n}: {r}", file=sys.stderr)
        hook = {"NEWSNLP_BATCH_ANALYZER": "benchmarks.ray_bench:null_analyzer"}
        one = work / "_one_shard"
        build_archive(Path(args.samples), one, args.batch_size)
        many = work / "_null"
        build_archive(Path(args.samples), many, args.null_posts)
        null = {
            "local_one": run_tag(one, work / "null-local-one.jsonl", ["--workers", "1", "--batch-size", str(args.batch_size)], hook),
            "ray_one": run_ray(one, work / "null-ray-one.jsonl", 1, args.batch_size, hook),
            "local": run_tag(many, work / "null-local.jsonl", ["--workers", "1", "--batch-size", str(args.batch_size)], hook),
            "ray": run_ray(many, work / "null-ray.jsonl", 1, args.batch_size, hook),
        }
        print(f"null analyzer: {null}", file=sys.stderr)
        text = render(args, n_bytes, rows, null, load)
        Path(args.out).write_text(text, encoding="utf-8")
        print(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
