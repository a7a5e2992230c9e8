"""``newsnlp tag`` on a generated archive the size of the public one (16,800 posts), 2 workers.

Builds the archive with :func:`benchmarks.archive.build_archive` (the sample posts
copied with their own names, dates and a ``bench_copy`` key), then runs
``newsnlp tag ARCHIVE -o OUT --workers 2`` in a fresh process per checkout and reports:

- wall time of the command and its own count of articles per second;
- peak resident memory of each worker process (and of the main process), sampled every
  0.25 s with psutil;
- memory over the run: the largest worker's RSS at each tenth of the run, to show whether
  it stays flat.

``--baseline DIR`` runs an older checkout on the same archive first (fresh output folder),
so both runs share the machine's conditions as far as one after the other can. BLAS and
OpenMP run one thread per worker, as ``newsnlp tag`` sets.

Usage:
    python -m benchmarks.archive_run                            # 16,800 posts, 2 workers
    python -m benchmarks.archive_run --baseline /tmp/nn-base --posts 16800 --out docs/archive.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.archive import Sampler, build_archive, tag_counts  # noqa: E402


class WorkerMemory(Sampler):
    """Sample the RSS of a process and each of its children; keep peaks and a time series."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        import psutil

        super().__init__(interval)
        self._psutil = psutil
        self._proc = psutil.Process(pid)
        self.main_peak = 0
        self.worker_peaks: dict[int, int] = {}
        self.series: list[tuple[float, int, int]] = []  # (seconds, largest worker RSS, total RSS)
        self._start = time.perf_counter()

    def sample(self) -> None:
        psutil = self._psutil
        try:
            main = self._proc.memory_info().rss
            self.main_peak = max(self.main_peak, main)
            largest, total = 0, main
            for child in self._proc.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                # The spawn start method also runs a small resource tracker: not a worker.
                if rss < 40 * 2**20 and child.pid not in self.worker_peaks:
                    continue
                self.worker_peaks[child.pid] = max(self.worker_peaks.get(child.pid, 0), rss)
                largest, total = max(largest, rss), total + rss
            self.series.append((time.perf_counter() - self._start, largest, total))
        except psutil.Error:
            pass


def run_tag(repo: Path, archive: Path, out: Path, workers: int, batch_size: int) -> dict:
    cmd = [sys.executable, "-m", "newsnlp.cli", "tag", str(archive), "-o", str(out), "--workers", str(workers),
           "--batch-size", str(batch_size), "--quiet"]
    env = dict(os.environ, PYTHONPATH=str(repo))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    with WorkerMemory(proc.pid) as mem:
        _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    counts = tag_counts(stderr, cmd, proc.returncode, where=f"{repo}: ")
    tenths = []
    if mem.series:
        end = mem.series[-1][0]
        for k in range(1, 11):
            at = [s for s in mem.series if s[0] <= end * k / 10]
            tenths.append(round((at[-1] if at else mem.series[0])[1] / 2**20))
    return {
        "repo": str(repo), "wall": wall, "seconds": counts["seconds"], "processed": counts["processed"],
        "skipped": counts["skipped"], "failed": counts["failed"], "main_peak_mib": mem.main_peak / 2**20,
        "worker_peaks_mib": sorted((v / 2**20 for v in mem.worker_peaks.values()), reverse=True),
        "worker_rss_by_tenth_mib": tenths,
    }


_FIELDS = ("summary", "tags", "keywords", "organisations", "officials", "programmes", "persons", "places")


def _records(path: Path) -> dict[str, str]:
    """id -> the record's analysis fields (as JSON), from a ``newsnlp tag`` JSONL output."""
    out = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                out[str(rec.get("id") or rec.get("path"))] = json.dumps({k: rec.get(k) for k in _FIELDS}, ensure_ascii=False)
    return out


def render(args: argparse.Namespace, runs: dict[str, dict], load: tuple[float, float]) -> str:
    lines = [
        f"Command: `python -m benchmarks.archive_run {' '.join(args.argv)}`".rstrip() + "  ",
        f"{args.posts:,} generated posts, `newsnlp tag --workers {args.workers} --batch-size {args.batch_size}`, "
        f"fresh output folder per run; load average {load[0]:.1f} before, {load[1]:.1f} after "
        "(2 cores shared with other jobs: walls are noisy).",
        "",
        "| checkout | wall | articles/s | failed | peak RSS per worker MiB | main process MiB | largest worker RSS at each tenth of the run, MiB |",
        "| --- | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for name, r in runs.items():
        rate = r["processed"] / r["seconds"] if r["seconds"] else 0.0
        wall = f"{int(r['wall'] // 60)} min {r['wall'] % 60:.0f} s"
        peaks = ", ".join(f"{p:.0f}" for p in r["worker_peaks_mib"][: args.workers])
        series = " ".join(str(x) for x in r["worker_rss_by_tenth_mib"])
        lines.append(f"| {name} | {wall} | {rate:.1f} | {r['failed']} | {peaks} | {r['main_peak_mib']:.0f} | {series} |")
    compared = getattr(args, "compared", None)
    if compared:
        n0, n1, n_diff, examples = compared
        lines += ["", f"Records compared field by field ({', '.join(_FIELDS)}): {n0:,} and {n1:,}; "
                  f"**{n_diff} differ**" + (f" (e.g. {', '.join(examples)})" if examples else "") + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=16_800, help="posts in the generated archive (default 16800)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--samples", default=str(REPO / "benchmarks" / "data" / "posts"))
    parser.add_argument("--baseline", default=None, help="another checkout to run first on the same archive")
    parser.add_argument("--out", default=None, help="write the Markdown table here (default: print it)")
    parser.add_argument("--json", default=None, help="also write the raw numbers here")
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv
    repos = {"this": REPO}
    if args.baseline:
        repos = {"baseline": Path(args.baseline).resolve(), "this": REPO}
    load0 = os.getloadavg()[0]
    runs = {}
    with tempfile.TemporaryDirectory(prefix="newsnlp-archive-") as tmp:
        archive = Path(tmp) / "posts"
        build_archive(Path(args.samples), archive, args.posts)
        for name, repo in repos.items():
            runs[name] = run_tag(repo, archive, Path(tmp) / f"out-{name}.jsonl", args.workers, args.batch_size)
            print(f"{name}: {runs[name]['wall']:.0f} s, workers {runs[name]['worker_peaks_mib']}", file=sys.stderr)
        if len(repos) > 1:
            records = [_records(Path(tmp) / f"out-{name}.jsonl") for name in repos]
            differ = sorted(k for k in set(records[0]) | set(records[1]) if records[0].get(k) != records[1].get(k))
            args.compared = (len(records[0]), len(records[1]), len(differ), differ[:5])
    text = render(args, runs, (load0, os.getloadavg()[0]))
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1), encoding="utf-8")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
