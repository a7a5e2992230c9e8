"""Speed and memory per stage, with one process and with N worker processes.

Each stage runs in a fresh interpreter (``spawn``), so its peak resident memory is its own
(models, dictionaries and the Python runtime; not what other stages loaded). Inside it the
models load once and are warmed up on one article (load time is reported apart), the
sample corpus repeated to the requested size is processed in one process, then by a pool
of N forked workers that inherit the loaded models (the way ``newsnlp tag`` workers load
models once). jieba's own segmentation and POS tagging are the reference floor.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from .common import Block, Row
from .corpora import SAMPLE_DIR


@dataclass(frozen=True)
class Stage:
    """A timed stage: a row name, its kind and what it calls."""

    name: str
    kind: str  # "reference" | "model" | "baseline"
    calls: str


STAGES: list[Stage] = [
    Stage("jieba segmentation", "reference", "jieba.lcut(title + text)"),
    Stage("jieba segmentation + POS", "reference", "jieba.posseg.lcut(title + text)"),
    Stage("summary", "model", "Analyzer.summarize(article)"),
    Stage("keywords", "model", "Analyzer.extract_keywords(article, top_k=10)"),
    Stage("tags", "model", "Analyzer.suggest_tags(article, k=5)"),
    Stage("entities", "model", "Analyzer.extract_entities(article)"),
    Stage("whole analysis", "model", "Analyzer()(article)"),
    Stage("whole analysis, batched", "model", "list(Analyzer().pipe(chunk, batch_size=16))"),
    Stage("Lead-3 summary", "baseline", "baselines.lead_summary(text, 3)"),
    Stage("TextRank summary", "baseline", "baselines.textrank_summary(text)"),
    Stage("jieba TF-IDF keywords", "baseline", "baselines.jieba_tfidf_keywords(title + text, 10)"),
    Stage("jieba TextRank keywords", "baseline", "baselines.jieba_textrank_keywords(title + text, 10)"),
    Stage("jieba POS entities", "baseline", "baselines.jieba_pos_entities(text)"),
]
STAGE_NAMES = [s.name for s in STAGES]


def _full_text(article) -> str:
    return ((article.title or "") + "\n" + article.text).strip()


def build_stage(name: str) -> Callable[[Any], Any]:
    """Load what a stage needs and return the per-article callable."""
    from newsnlp import baselines

    if name.startswith("jieba segmentation"):
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        cut = jieba.posseg.lcut if name.endswith("POS") else jieba.lcut
        return lambda a: cut(_full_text(a))
    simple = {
        "Lead-3 summary": lambda a: baselines.lead_summary(a.text, 3),
        "TextRank summary": lambda a: baselines.textrank_summary(a.text),
        "jieba TF-IDF keywords": lambda a: baselines.jieba_tfidf_keywords(_full_text(a), 10),
        "jieba TextRank keywords": lambda a: baselines.jieba_textrank_keywords(_full_text(a), 10),
        "jieba POS entities": lambda a: baselines.jieba_pos_entities(a.text),
    }
    if name in simple:
        return simple[name]
    from newsnlp import Analyzer

    nlp = Analyzer()
    methods = {
        "summary": lambda a: nlp.summarize(a),
        "keywords": lambda a: nlp.extract_keywords(a, top_k=10),
        "tags": lambda a: nlp.suggest_tags(a, k=5),
        "entities": lambda a: nlp.extract_entities(a),
        "whole analysis": lambda a: nlp(a),
    }
    if name == "whole analysis, batched":
        # How `newsnlp tag` and Analyzer.pipe run: the NER model sees a batch of articles at once.
        def batched(articles):
            for _ in nlp.pipe(articles, batch_size=16):
                pass

        batched.takes_batch = True  # type: ignore[attr-defined]
        return batched
    if name not in methods:
        raise ValueError(f"unknown stage {name!r}; valid: {', '.join(STAGE_NAMES)}")
    return methods[name]


def repeated_articles(n_articles: int, sample_dir: Path = SAMPLE_DIR) -> list[Any]:
    """The sample corpus repeated (in order) until there are ``n_articles`` articles.

    Each repeat ends with a short extra line naming the copy, so caches keyed on the text
    (the keyword extractor keeps one) cannot make a repeated corpus look faster than a real one.
    """
    from .corpora import load_sample

    base = [s.article for s in load_sample(sample_dir)]
    if not base:
        raise FileNotFoundError(f"no articles in {sample_dir}")
    out = []
    for i in range(n_articles):
        article, copy = base[i % len(base)], i // len(base)
        if copy:
            # A distinct last line per copy, so that no per-text cache can serve a repeat.
            article = replace(article, text=f"{article.text}\n（副本{copy}）", id=f"{article.id}#{copy}")
        out.append(article)
    return out


# --------------------------------------------------------------------------- inside the stage process

_FN: Callable[[Any], Any] | None = None
_ARTICLES: list[Any] = []


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    Linux's ``VmHWM`` belongs to the current address space, so a freshly spawned process
    starts from zero; ``getrusage`` would carry over the peak of the process it was forked from.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux; bytes on macOS


def _run_range(bounds: tuple[int, int]) -> float:
    assert _FN is not None
    chunk = _ARTICLES[bounds[0] : bounds[1]]
    if getattr(_FN, "takes_batch", False):
        _FN(chunk)
    else:
        for article in chunk:
            _FN(article)
    return peak_rss_mb()


def _ready(_: int) -> int:
    return os.getpid()


def _time_stage(name: str, n_workers: int) -> dict[str, Any]:
    global _FN
    start = time.perf_counter()
    fn = build_stage(name)
    fn([_ARTICLES[0]] if getattr(fn, "takes_batch", False) else _ARTICLES[0])  # loads models and dictionaries
    load_s = time.perf_counter() - start
    _FN = fn
    # Fork the workers now, before the one-process run, so they inherit the loaded models
    # (as `newsnlp tag` workers load them once) but nothing the run itself caches.
    pool = multiprocessing.get_context("fork").Pool(n_workers) if n_workers > 1 else None
    try:
        start = time.perf_counter()
        _run_range((0, len(_ARTICLES)))
        one = time.perf_counter() - start
        result: dict[str, Any] = {"stage": name, "load_s": load_s, "seconds_1": one, "rss_mb": peak_rss_mb()}
        if pool is not None:
            step = max(1, len(_ARTICLES) // (n_workers * 4))
            ranges = [(i, min(i + step, len(_ARTICLES))) for i in range(0, len(_ARTICLES), step)]
            pool.map(_ready, range(n_workers * 2), chunksize=1)
            start = time.perf_counter()
            worker_rss = pool.map(_run_range, ranges, chunksize=1)
            result["seconds_n"] = time.perf_counter() - start
            result["rss_worker_mb"] = max(worker_rss)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return result


def _pipe_analysis(n_workers: int) -> dict[str, Any]:
    """Analyzer.pipe end to end, worker start-up and model loading included."""
    import importlib.util

    from newsnlp import Analyzer

    if importlib.util.find_spec("newsnlp.batch") is None:
        return {"stage": "whole analysis, Analyzer.pipe", "error": "newsnlp.batch is not in the library yet"}
    start = time.perf_counter()
    for _ in Analyzer().pipe(_ARTICLES, n_process=n_workers, batch_size=16):
        pass
    return {"stage": "whole analysis, Analyzer.pipe", "seconds_n": time.perf_counter() - start, "load_s": None}


def stage_process(names: list[str], n_articles: int, n_workers: int, sample_dir: str, pipe: bool, conn) -> None:
    """Entry point of one stage process: time the stages, send a list of result dicts."""
    global _ARTICLES
    results: list[dict[str, Any]] = []
    try:
        _ARTICLES = repeated_articles(n_articles, Path(sample_dir))
        for name in names:
            try:
                results.append(_time_stage(name, n_workers))
            except Exception as exc:  # noqa: BLE001 - recorded in the report
                results.append({"stage": name, "error": f"{type(exc).__name__}: {exc}"})
        if pipe and n_workers > 1:
            try:
                results.append(_pipe_analysis(n_workers))
            except Exception as exc:  # noqa: BLE001
                results.append({"stage": "whole analysis, Analyzer.pipe", "error": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.send(results)
        conn.close()


# --------------------------------------------------------------------------- the parent side


def measure(
    names: list[str],
    *,
    n_articles: int,
    n_workers: int,
    isolate: bool,
    sample_dir: Path = SAMPLE_DIR,
    timeout_s: float = 1800,
) -> list[dict[str, Any]]:
    """Time stages in fresh processes: one process per stage when ``isolate``, else one for all."""
    # One thread per process: N workers on N cores, and forking after torch has started
    # its OpenMP pool would risk a deadlock.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    groups = [[n] for n in names] if isolate else [list(names)]
    results: list[dict[str, Any]] = []
    ctx = multiprocessing.get_context("spawn")
    for i, group in enumerate(groups):
        pipe = i == len(groups) - 1 and "whole analysis" in names
        receiver, sender = ctx.Pipe(duplex=False)
        process = ctx.Process(target=stage_process, args=(group, n_articles, n_workers, str(sample_dir), pipe, sender))
        process.start()
        sender.close()
        if receiver.poll(timeout_s):
            try:
                results.extend(receiver.recv())
            except EOFError:
                results.extend({"stage": n, "error": "the stage process died"} for n in group)
        else:
            process.kill()
            results.extend({"stage": n, "error": f"timed out after {timeout_s:.0f} s"} for n in group)
        process.join()
    return results


SPEED_COLUMNS = [
    ("calls", "what is timed"), ("load_s", "load s"), ("aps_1", "articles/s, 1 proc"), ("cps_1", "chars/s, 1 proc"),
    ("rss_mb", "peak RSS MB, 1 proc"), ("aps_n", "articles/s, N proc"), ("cps_n", "chars/s, N proc"),
    ("speedup", "N-proc speed-up"), ("rss_worker_mb", "peak RSS MB per worker"),
]
PLAIN = {k for k, _ in SPEED_COLUMNS}


def speed_blocks(results: list[dict[str, Any]], *, n_articles: int, n_chars: int, n_workers: int, isolate: bool) -> list[Block]:
    """Turn timing results into the speed table and the ratios the issues ask for."""
    kinds = {s.name: s for s in STAGES}
    table = Block("speed", "Speed and memory",
                  f"Sample corpus repeated to {n_articles} articles ({n_chars:,} characters); N = {n_workers} worker processes",
                  [(k, h.replace("N proc", f"{n_workers} proc")) for k, h in SPEED_COLUMNS], chart="speed", short="speed",
                  plain=set(PLAIN))
    by_name: dict[str, dict[str, Any]] = {}
    for r in results:
        stage = kinds.get(r["stage"])
        values: dict[str, Any] = {"calls": stage.calls if stage else "Analyzer().pipe(articles, n_process=N)"}
        if "error" not in r:
            values.update(_rates(r, n_articles, n_chars))
            by_name[r["stage"]] = values
        table.rows.append(Row(r["stage"], stage.kind if stage else "model", values, note=r.get("error", "")))
    table.notes.append(
        ("Each stage ran in its own fresh process, so peak RSS is that stage's alone (Python, newsnlp, its models). "
         if isolate else "Quick mode: all stages ran in one process, so peak RSS accumulates down the table. ")
        + "Load time (models, dictionaries, first call) is excluded from the rates. N-process rates use a fork pool "
        "whose workers inherit the loaded models; start-up excluded. The Analyzer.pipe row includes worker start-up "
        "and model loading. Timings share the machine's cores with whatever else runs on it.")
    return [table, _ratio_block(by_name)]


def _rates(r: dict[str, Any], n_articles: int, n_chars: int) -> dict[str, Any]:
    out: dict[str, Any] = {"load_s": None if r.get("load_s") is None else round(r["load_s"], 2)}
    if r.get("seconds_1"):
        out["aps_1"], out["cps_1"] = round(n_articles / r["seconds_1"], 1), round(n_chars / r["seconds_1"])
        out["rss_mb"] = round(r["rss_mb"])
    if r.get("seconds_n"):
        out["aps_n"], out["cps_n"] = round(n_articles / r["seconds_n"], 1), round(n_chars / r["seconds_n"])
        if r.get("seconds_1"):
            out["speedup"] = f"{r['seconds_1'] / r['seconds_n']:.2f}×"
    if r.get("rss_worker_mb"):
        out["rss_worker_mb"] = round(r["rss_worker_mb"])
    return out


def _ratio_block(by_name: dict[str, dict[str, Any]]) -> Block:
    block = Block("speed-ratios", "Speed and memory", "Cost against the jieba floor (1 process)",
                  [("value", "value"), ("target", "target (issue)")], plain={"value", "target"}, short="ratios")

    def cps(name: str) -> float | None:
        return by_name.get(name, {}).get("cps_1")

    def ratio(a: str, b: str, label: str, target: str, invert: bool = False) -> None:
        x, y = cps(a), cps(b)
        value = f"{(y / x if invert else x / y):.2f}×" if x and y else None
        block.rows.append(Row(label, "model", {"value": value, "target": target},
                              note="" if value else f"needs both '{a}' and '{b}'"))

    ratio("whole analysis, batched", "jieba segmentation + POS",
          "whole analysis time ÷ jieba.posseg time (batched, as newsnlp tag runs)", "≤ 3× (issue 7)", invert=True)
    ratio("whole analysis", "jieba segmentation + POS",
          "whole analysis time ÷ jieba.posseg time (one article per call)", "reported", invert=True)
    ratio("entities", "jieba segmentation", "entities chars/s ÷ jieba segmentation chars/s", "reported (issue 6)")
    ratio("keywords", "jieba TF-IDF keywords", "keywords articles/s ÷ jieba TF-IDF articles/s", "≥ 0.5× (issue 5)")
    for name in ("entities", "jieba segmentation"):
        if cps(name):
            block.rows.append(Row(f"{name}: chars/s, 1 process", "model" if name == "entities" else "reference",
                                  {"value": f"{cps(name):,}", "target": ""}))
    return block
