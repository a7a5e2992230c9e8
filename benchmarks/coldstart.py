"""Cold start: wall time and peak memory of fresh processes that use newsnlp once.

Three commands, each in a new Python process, ``--runs`` times (default 5), median reported:

1. ``import newsnlp``;
2. ``newsnlp analyze ARTICLE`` (default ``examples/ningbo-union.md``): summary, tags,
   keywords and entities of one article, JSON to stdout;
3. ``newsnlp.extract_entities(text)`` on that article: the first call's time inside the
   process, and the process's wall and peak memory.

Peak memory is the child's own maximum resident set size and CPU time its user + system
time (``os.wait4``'s ``ru_maxrss``, ``ru_utime``, ``ru_stime``): on a shared machine the CPU
time moves much less with load than the wall time.
"Cold" means a new process: the operating system's file cache is warm, as it is for a
user who runs the command twice. newsnlp's dictionary cache (``NEWSNLP_CACHE_DIR``) is
filled once before the timed runs, and the first run with an empty cache is reported
apart. ``--baseline DIR`` runs the same commands on another checkout (e.g. a
``git worktree`` of an older commit) interleaved with this one, so both see the same
machine load, and reports the two side by side.

Usage:
    python -m benchmarks.coldstart
    python -m benchmarks.coldstart --baseline /tmp/nn-base --runs 5 --out docs/coldstart.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_ENTITIES = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "import newsnlp\n"
    "from newsnlp.article import read_article\n"
    "article = read_article(Path(sys.argv[1]))\n"
    "t = time.perf_counter()\n"
    "newsnlp.extract_entities(article)\n"
    "first = time.perf_counter() - t\n"
    "t = time.perf_counter()\n"
    "newsnlp.extract_entities(article)\n"
    "print(first, time.perf_counter() - t)\n"
)


# Runs ``python -m MOD ARGS`` / ``python -c CODE ARGS`` as given and, at exit, writes the process's
# own peak resident set (VmHWM of /proc/self/status) to stderr. The rusage of a child counts the
# parent's resident set at fork (Linux keeps it across exec), so a child of a large process (the
# report harness) would show the harness's memory instead of its own.
_PEAK_WRAPPER = (
    "import atexit, runpy, sys\n"
    "def _peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as f:\n"
    "            kb = next(line.split()[1] for line in f if line.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        return\n"
    "    sys.stderr.write('\\nNEWSNLP_PEAK_KB ' + kb + '\\n')\n"
    "atexit.register(_peak)\n"
    "mode, target, args = sys.argv[1], sys.argv[2], sys.argv[3:]\n"
    "if mode == '-m':\n"
    "    sys.argv = [target, *args]\n"
    "    runpy.run_module(target, run_name='__main__', alter_sys=True)\n"
    "else:\n"
    "    sys.argv = ['-c', *args]\n"
    "    exec(compile(target, '<string>', 'exec'), {'__name__': '__main__'})\n"
)


def run_once(repo: Path, argv: list[str], env: dict[str, str]) -> dict:
    """Run ``python argv`` with ``repo`` first on the path; return wall seconds, peak MiB, stdout.

    The peak is the child's own VmHWM (see ``_PEAK_WRAPPER``); where /proc is missing, its rusage.
    """
    env = dict(env, PYTHONPATH=str(repo))
    if argv[0] in ("-m", "-c"):
        argv = ["-c", _PEAK_WRAPPER, *argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *argv], cwd=tempfile.gettempdir(), env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{repo}: `python {' '.join(argv)}` failed (exit {proc.returncode}):\n{stderr[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # the process's own CPU time: what load cannot inflate much
    peak_kb = usage.ru_maxrss
    for line in reversed(stderr.splitlines()):
        if line.startswith("NEWSNLP_PEAK_KB "):
            peak_kb = int(line.split()[1])
            break
    return {"wall": wall, "cpu": cpu, "peak_mib": peak_kb / 1024, "stdout": stdout}


def commands(article: Path) -> dict[str, list[str]]:
    return {
        "import newsnlp": ["-c", "import newsnlp"],
        "newsnlp analyze one.md": ["-m", "newsnlp.cli", "analyze", str(article)],
        "extract_entities, first call": ["-c", _ENTITIES, str(article)],
    }


def measure(repos: dict[str, Path], article: Path, runs: int, cache: Path) -> dict:
    env = dict(os.environ, NEWSNLP_CACHE_DIR=str(cache), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    cmds = commands(article)
    results: dict = {name: {label: [] for label in cmds} for name in repos}
    first_start = {}
    for name, repo in repos.items():  # the first start ever: an empty dictionary cache
        shutil.rmtree(cache, ignore_errors=True)
        first_start[name] = run_once(repo, cmds["newsnlp analyze one.md"], env)
    outputs = {}
    for _ in range(runs):
        for label, argv in cmds.items():
            for name, repo in repos.items():  # interleaved: both see the same load
                r = run_once(repo, argv, env)
                if label == "extract_entities, first call":
                    r["first_call"], r["second_call"] = map(float, r["stdout"].split())
                if label == "newsnlp analyze one.md":
                    outputs.setdefault(name, set()).add(r["stdout"])
                results[name][label].append(r)
    summary: dict = {}
    for name in repos:
        summary[name] = {"first_start": {k: first_start[name][k] for k in ("wall", "cpu", "peak_mib")}}
        for label, rs in results[name].items():
            row = {"wall": statistics.median(r["wall"] for r in rs), "cpu": statistics.median(r["cpu"] for r in rs),
                   "peak_mib": statistics.median(r["peak_mib"] for r in rs),
                   "walls": [round(r["wall"], 3) for r in rs]}
            if label == "extract_entities, first call":
                row["first_call"] = statistics.median(r["first_call"] for r in rs)
                row["second_call"] = statistics.median(r["second_call"] for r in rs)
            summary[name][label] = row
    same = len({o for outs in outputs.values() for o in outs}) == 1
    return {"summary": summary, "same_output": same, "runs": runs}


# Issue 15's targets for the rows of :func:`coldstart_block`.
TARGETS = {"import newsnlp": ("≤ 0.1 s", None), "newsnlp analyze one.md": ("≤ 1.5 s", "≤ 300 MiB")}


def coldstart_block(runs: int = 5, article: Path | None = None):
    """The report's cold-start table (this checkout only): median wall, CPU and peak per command."""
    from .common import Block, Row

    article = article or REPO / "examples" / "ningbo-union.md"
    with tempfile.TemporaryDirectory(prefix="newsnlp-coldstart-") as cache:
        result = measure({"this": REPO}, article, runs, Path(cache) / "cache")
    summary = result["summary"]["this"]
    block = Block("coldstart", "Cold start", f"Fresh processes, median of {runs}, on `examples/{article.name}`",
                  [("wall", "wall s"), ("cpu", "CPU s"), ("peak", "peak MiB"), ("target_wall", "target wall"),
                   ("target_peak", "target peak")],
                  plain={"wall", "cpu", "peak", "target_wall", "target_peak"}, short="cold start")
    rows = [(label, summary[label]) for label in commands(article)]
    rows.append(("newsnlp analyze one.md, empty dictionary cache (first start ever)", summary["first_start"]))
    for label, row in rows:
        wall_target, peak_target = TARGETS.get(label, ("", None))
        block.rows.append(Row(f"`{label}`", "model", {
            "wall": round(row["wall"], 2), "cpu": round(row["cpu"], 2), "peak": round(row["peak_mib"]),
            "target_wall": wall_target or "–", "target_peak": peak_target or "–"}))
    first = summary["extract_entities, first call"]
    block.notes.append(
        "Each row a new Python process (`python -m benchmarks.coldstart` for the same with a baseline checkout "
        "interleaved); BLAS/OpenMP at one thread; newsnlp's dictionary cache filled once before the timed runs "
        "(the last row empties it first). CPU is the process's user + system time, which load inflates much less "
        f"than wall. Inside the `extract_entities` process: first call {first['first_call']:.2f} s (model and "
        f"dictionaries loaded), second call {first['second_call'] * 1000:.0f} ms. `newsnlp analyze` printed the "
        "same JSON in every run: " + ("yes." if result["same_output"] else "**no**."))
    return block


def render(result: dict, argv: list[str], article: Path, load: tuple[float, float]) -> str:
    names = list(result["summary"])
    lines = [
        f"Command: `python -m benchmarks.coldstart {' '.join(argv)}`".rstrip() + "  ",
        f"Article: `{article.relative_to(REPO) if article.is_relative_to(REPO) else article}`; median of "
        f"{result['runs']} fresh processes per row, BLAS/OpenMP at one thread; load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after (2 cores shared with other jobs: walls are noisy).",
        "",
        "| command | " + " | ".join(f"{n} wall s | {n} CPU s | {n} peak MiB" for n in names) + " |",
        "| --- | " + " | ".join("---: | ---: | ---:" for _ in names) + " |",
    ]
    for label in commands(article):
        cells = []
        for n in names:
            row = result["summary"][n][label]
            cells += [f"{row['wall']:.2f}", f"{row['cpu']:.2f}", f"{row['peak_mib']:.0f}"]
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    cells = []
    for n in names:
        row = result["summary"][n]["first_start"]
        cells += [f"{row['wall']:.2f}", f"{row['cpu']:.2f}", f"{row['peak_mib']:.0f}"]
    lines.append("| `newsnlp analyze one.md`, empty dictionary cache | " + " | ".join(cells) + " |")
    cells = []
    for n in names:
        row = result["summary"][n]["extract_entities, first call"]
        cells += [f"{row['first_call']:.2f}", "", ""]
    lines.append("| `extract_entities` first call inside the process | " + " | ".join(cells) + " |")
    cells = []
    for n in names:
        row = result["summary"][n]["extract_entities, first call"]
        cells += [f"{row['second_call'] * 1000:.0f} ms", "", ""]
    lines.append("| `extract_entities` second call | " + " | ".join(cells) + " |")
    lines += ["", "`newsnlp analyze` output identical in every run of every checkout: "
              + ("**yes**" if result["same_output"] else "**no**") + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", default=str(REPO / "examples" / "ningbo-union.md"))
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command and checkout (default 5)")
    parser.add_argument("--baseline", default=None, help="another checkout to measure alongside (interleaved)")
    parser.add_argument("--out", default=None, help="write the Markdown table here (default: print it)")
    parser.add_argument("--json", default=None, help="also write the raw numbers here")
    args = parser.parse_args(argv)
    article = Path(args.article).resolve()
    repos = {"this": REPO}
    if args.baseline:
        repos = {"baseline": Path(args.baseline).resolve(), "this": REPO}
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="newsnlp-coldstart-") as tmp:
        result = measure(repos, article, args.runs, Path(tmp) / "cache")
    text = render(result, sys.argv[1:] if argv is None else argv, article, (load0, os.getloadavg()[0]))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
