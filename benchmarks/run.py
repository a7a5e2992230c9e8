"""Score every newsnlp stage against its baselines in one run and write docs/benchmarks.md.

    python -m benchmarks.run --data-dir ../shared/data          # the full report (~15 min, 2 cores)
    python -m benchmarks.run --quick --out /tmp/bench/report.md  # CI smoke test (< 1 min)

Sets: the project's sample corpus (always) and, with ``--data-dir``, LCSTS (val), CLUENER2020
(dev), MSRA (evaluation third), Resume NER (test), CSL and TNEWS (dev), and newsdev (the labelled
real news: abstracts, tags and entity lists per part, in-sample; not with ``--quick``). The newsnlp rows call
whatever the library provides at the time; a stage whose model is missing is skipped with a
note in the report, never a crash. Every score, label map and baseline comes from the installed
package (``newsnlp.evaluation.scoring``, ``newsnlp.baselines``), the same code ``newsnlp evaluate``
runs; this harness only chooses the sets and lays out the report.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from newsnlp._util import positive_int_arg as positive_int

from .common import Block, utc_now

QUICK_LIMIT = 50
# Pages beside the report that it links to when they exist (they are written by other commands).
SIBLING_PAGES = [
    ("benchmarks-speed.md", "Cold start, throughput and the 16,800-post archive run, before and after issue 15"),
    ("evaluate.md", "Score your own models and labelled posts beside these baselines with `newsnlp evaluate`"),
]


STAGE_CHOICES = ("summary", "keywords", "entities", "speed", "coldstart", "archive")


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    """The harness' options (``python -m benchmarks.run`` and ``newsnlp bench``, which forwards its arguments here)."""
    parser.add_argument("--data-dir", default=None, metavar="DIR",
                        help="folder of the public corpora (e.g. ../shared/data); without it only the sample corpus is scored")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: small subsets and a short speed run (under a minute)")
    parser.add_argument("--out", default=None, metavar="PATH",
                        help="report to write; charts go to img/ beside it and all numbers to PATH with .json "
                             "(default: docs/benchmarks.md; bench-out/benchmarks.md with --quick, so a smoke test "
                             "never overwrites the published report)")
    parser.add_argument("--stages", nargs="+", choices=STAGE_CHOICES, default=None, metavar="STAGE",
                        help=f"what to benchmark, any of: {', '.join(STAGE_CHOICES)} (default: all; all but archive "
                             "with --quick)")
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N",
                        help="score at most N records of each public set (default: whole evaluation splits; 50 with --quick)")
    parser.add_argument("--speed-articles", type=positive_int, default=None, metavar="N",
                        help="articles in the speed run: the sample corpus repeated (default 500; 20 with --quick)")
    parser.add_argument("--archive-posts", type=positive_int, default=None, metavar="N",
                        help="posts in the generated archive tagged by newsnlp.tag_archive with 1 and N workers "
                             "(default 2000; 20 with --quick)")
    parser.add_argument("--workers", type=positive_int, default=None, metavar="N",
                        help="worker processes for the N-process speed run (default: os.cpu_count())")


def build_parser(prog: str = "python -m benchmarks.run") -> argparse.ArgumentParser:
    """The harness' command line; ``newsnlp bench`` builds it with ``prog="newsnlp bench"``."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    add_bench_arguments(parser)
    return parser


def command_line(args: argparse.Namespace, prog: str) -> str:
    """The command that reproduces this run (options left at their defaults are omitted)."""
    defaults = vars(build_parser().parse_args([]))
    parts = [prog]
    for name, value in vars(args).items():
        if name not in defaults or value == defaults[name]:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            parts.append(flag)
        elif isinstance(value, list):
            parts += [flag, *map(str, value)]
        else:
            parts += [flag, str(value)]
    return prog + "".join(" " + shlex.quote(p) for p in parts[1:])


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Harness:
    """Holds the run's options, the shared Analyzer and the collected blocks."""

    def __init__(self, args: argparse.Namespace) -> None:
        from newsnlp import Analyzer

        self.args = args
        self.data_dir = Path(args.data_dir) if args.data_dir else None
        self.limit = args.limit if args.limit is not None else (QUICK_LIMIT if args.quick else None)
        self.nlp = Analyzer()
        self.blocks: list[Block] = []
        self.skipped: list[str] = []
        from .corpora import load_sample

        self.samples = load_sample()

    def heldout(self) -> list:
        """The held-out labelled posts (``benchmarks/data/heldout``), or [] where absent."""
        from .corpora import SAMPLE_DIR, load_sample

        directory = SAMPLE_DIR / "heldout"
        if not (directory / "labels.jsonl").is_file():
            return []
        return load_sample(directory, limit=QUICK_LIMIT if self.args.quick else None)

    def add(self, name: str, build: Callable[[], Block | list[Block]]) -> None:
        _log(f"{name} ...")
        start = time.perf_counter()
        result = build()
        blocks = result if isinstance(result, list) else [result]
        stamp = utc_now()
        for block in blocks:
            block.computed_at, block.seconds = stamp, round(time.perf_counter() - start, 1)
        self.blocks.extend(blocks)
        _log(f"{name}: {time.perf_counter() - start:.1f} s")

    def public(self, key: str) -> list[dict[str, Any]] | None:
        """The evaluation records of a public set, or None (noted) when there is no data."""
        from .corpora import PUBLIC_SETS, load_public, public_path

        spec = PUBLIC_SETS[key]
        if self.data_dir is None:
            self.skipped.append(f"{spec.name}: no --data-dir given (e.g. --data-dir ../shared/data)")
            return None
        if not public_path(self.data_dir, key).is_file():
            self.skipped.append(f"{spec.name}: {public_path(self.data_dir, key)} not found")
            return None
        return load_public(self.data_dir, key, limit=self.limit)

    def newsdev(self) -> dict[str, Any] | None:
        """Abstracts and tags of the labelled real news (``newsdev``), computed once for both
        stages (:func:`benchmarks.newsdev_summaries.run`, with learned vocabularies); None (noted)
        without the data."""
        if not hasattr(self, "_newsdev"):
            from . import newsdev_summaries

            self._newsdev = None
            if self.data_dir is None or not (self.data_dir / "newsdev" / "labels.jsonl").is_file():
                where = self.data_dir / "newsdev" if self.data_dir is not None else "no --data-dir given"
                self.skipped.append(f"newsdev: {where} not found")
            else:
                self._newsdev = newsdev_summaries.run(self.data_dir, learn_vocabulary=True)
        return self._newsdev

    def _title(self, key: str, records: Sequence[Any], unit: str) -> str:
        from .corpora import PUBLIC_SETS, keyword_split_label

        spec = PUBLIC_SETS[key]
        split = keyword_split_label() if key in ("csl", "tnews") else spec.split_label
        capped = f", first {self.limit}" if self.limit is not None else ""
        return f"{spec.name}, {split}{capped}: {len(records)} {unit}"

    # ------------------------------------------------------------------ stages
    def summaries(self) -> None:
        from . import quality

        n = len(self.samples)
        self.add("summaries: sample corpus", lambda: quality.summary_block(
            "summary-sample", f"Sample corpus: {n} articles", quality.sample_summary_items(self.samples),
            self.nlp.summarize, "sample"))
        records = self.public("lcsts")
        if records is not None:
            self.add("summaries: LCSTS", lambda: quality.summary_block(
                "summary-lcsts", self._title("lcsts", records, "posts"), quality.lcsts_summary_items(records),
                self.nlp.summarize, "LCSTS val"))
        self._newsdev_blocks("summaries: newsdev", "summary_blocks")

    def _newsdev_blocks(self, name: str, builder: str) -> None:
        from . import newsdev_summaries

        if self.args.quick or self.data_dir is None or not (self.data_dir / "newsdev").is_dir():
            return
        self.add(name, lambda: getattr(newsdev_summaries, builder)(self.newsdev()))

    def keywords(self) -> None:
        from . import quality

        n = len(self.samples)
        keywords = ("newsnlp.extract_keywords", lambda a: self.nlp.extract_keywords(a, top_k=quality.K))
        tags = ("newsnlp.suggest_tags", lambda a: self.nlp.suggest_tags(a, k=quality.K))
        self.add("keywords: sample corpus", lambda: quality.keyword_block(
            "keywords-sample", f"Sample corpus: {n} articles, gold = editor tags", quality.sample_keyword_items(self.samples),
            [keywords, tags], "sample"))
        for key, items_of, short in (("csl", quality.csl_keyword_items, "CSL"), ("tnews", quality.tnews_keyword_items, "TNEWS")):
            records = self.public(key)
            if records is not None:
                self.add(f"keywords: {short}", lambda: quality.keyword_block(
                    f"keywords-{key}", self._title(key, records, "records"), items_of(records), [keywords], short))
        self._newsdev_blocks("tags: newsdev", "tag_block")

    def entities(self) -> None:
        from . import quality

        self.add("entities: sample corpus", lambda: quality.sample_entity_blocks(
            self.samples, self.nlp.extract_entities,
            note="In-sample: the news rules were written reading these articles; the held-out posts below were not."))
        heldout = self.heldout()
        if heldout:
            self.add("entities: held-out posts", lambda: quality.sample_entity_blocks(
                heldout, self.nlp.extract_entities, key="heldout", title="Held-out posts", short="held-out", chart=None,
                note="Written after the rules were frozen (benchmarks/data/heldout/README.md); never used to tune them."))
        if not self.args.quick and self.data_dir is not None and (self.data_dir / "newsdev" / "labels.jsonl").is_file():
            from . import newsdev_entities

            self.add("entities: newsdev", lambda: newsdev_entities.entity_blocks(
                newsdev_entities.run(self.data_dir, extract=self.nlp.extract_entities)[0]))
        for key, mapping, labels, domain, short in (
            ("cluener", quality.CLUENER_MAP, quality.CLUENER_LABELS, None, "CLUENER2020 dev"),
            ("msra", quality.MSRA_MAP, quality.MSRA_LABELS, "msra", "MSRA eval third"),
            ("resume", quality.RESUME_MAP, quality.RESUME_LABELS, "resume", "Resume test"),
        ):
            records = self.public(key)
            if records is not None:
                self.add(f"entities: {short}", lambda: quality.ner_blocks(
                    f"entities-{key}", self._title(key, records, "sentences"), records, mapping, labels,
                    domain=domain, short=short))

    def speed(self) -> None:
        from . import speed

        n_articles = self.args.speed_articles or (min(20, len(self.samples)) if self.args.quick else 500)
        workers = self.args.workers or os.cpu_count() or 1
        isolate = not self.args.quick
        articles = speed.repeated_articles(n_articles)
        n_chars = sum(len(speed._full_text(a)) for a in articles)

        def build() -> list[Block]:
            results = speed.measure(speed.STAGE_NAMES, n_articles=n_articles, n_workers=workers, isolate=isolate)
            return speed.speed_blocks(results, n_articles=n_articles, n_chars=n_chars, n_workers=workers, isolate=isolate)

        self.add(f"speed: {n_articles} articles, {workers} workers", build)

    def coldstart(self) -> None:
        from . import coldstart

        runs = 1 if self.args.quick else 5
        self.add(f"cold start: {runs} fresh processes per command", lambda: coldstart.coldstart_block(runs))

    def archive(self) -> None:
        from . import archive

        n_posts = self.args.archive_posts or (20 if self.args.quick else 2000)
        workers = self.args.workers or os.cpu_count() or 1
        counts = sorted({1, workers})
        self.add(f"archive: {n_posts} posts, workers {counts}",
                 lambda: archive.archive_block(archive.measure_archive(n_posts, counts), n_posts))


def headline_lines(blocks: Sequence[Block]) -> list[str]:
    """One line per headline metric: each newsnlp score next to the best baseline's."""
    lines = []
    for block in blocks:
        for metric in block.headline or ([block.chart_metric] if block.chart_metric else []):
            header = dict(block.columns).get(metric, metric)
            models = [r for r in block.rows if r.kind == "model" and isinstance(r.values.get(metric), float)]
            bases = [r for r in block.rows if r.kind == "baseline" and isinstance(r.values.get(metric), float)]
            if not models or not bases:
                continue
            best = max(bases, key=lambda r: r.values[metric])
            parts = ", ".join(f"{r.system} **{100 * r.values[metric]:.1f}**" for r in models)
            lines.append(f"- {block.section}, {block.short}, {header}: {parts} vs best baseline {best.system} "
                         f"{100 * best.values[metric]:.1f}")
        if block.key == "speed-ratios":
            lines += [f"- Speed, {r.system}: **{r.values['value']}**, target {r.values['target']}"
                      for r in block.rows if r.values.get("value") and r.values.get("target")]
    return (["## At a glance", ""] + lines + [""]) if lines else []


def run(args: argparse.Namespace, *, prog: str = "python -m benchmarks.run") -> int:
    """Run the selected stages and write the report; returns the exit status."""
    # One BLAS/OpenMP thread: the numbers are per core, and workers must not oversubscribe.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    command = command_line(args, prog)
    started = utc_now()
    _log(command)
    harness = Harness(args)
    stages = args.stages or [s for s in STAGE_CHOICES if not (args.quick and s == "archive")]
    for stage in STAGE_CHOICES:
        if stage in stages:
            getattr(harness, {"summary": "summaries"}.get(stage, stage))()
    from .quality import label_mapping_rows
    from .report import write_report

    out = Path(args.out or ("bench-out/benchmarks.md" if args.quick else "docs/benchmarks.md"))
    links = [f"{text}: [{name}]({name})." for name, text in SIBLING_PAGES if (out.parent / name).is_file()]
    written = write_report(out, harness.blocks, command=command, started=started, finished=utc_now(),
                           mapping_rows=label_mapping_rows(), skipped=harness.skipped,
                           intro=[line for link in links for line in (link, "")] + headline_lines(harness.blocks))
    _log("wrote " + ", ".join(str(p) for p in written.values()))
    return 0


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m benchmarks.run") -> int:
    """Entry point of ``python -m benchmarks.run`` and of ``newsnlp bench`` (``prog="newsnlp bench"``)."""
    args = build_parser(prog).parse_args(argv)
    return run(args, prog=prog)


if __name__ == "__main__":
    sys.exit(main())
