"""The cost of the whole analysis against jieba.posseg on the same posts, in one process.

Issue 7 sets the bar: summary, tags, keywords and entities together may cost at most three
times ``jieba.posseg`` over the same posts, measured in the same run. Shared machines are
noisy, so the two are interleaved (posseg, analysis, posseg, analysis, ...) and each
analysis run is divided by the posseg run just before it; the median of those ratios is
reported, for process CPU time and for wall time. Two ways to analyse are timed:
``call`` (``Analyzer.__call__`` per article) and ``pipe`` (``Analyzer.pipe``, which runs
the NER model over a batch of articles at once, as ``newsnlp tag`` workers do).

Run: ``python -m benchmarks.posseg_ratio [--reps 6] [--posts benchmarks/data/posts]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=6, help="interleaved repetitions per mode (default 6)")
    parser.add_argument("--posts", default="benchmarks/data/posts", help="folder of Jekyll posts")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)

    import jieba
    import jieba.posseg
    import torch

    import newsnlp

    torch.set_num_threads(args.threads)
    paths = sorted(Path(args.posts).glob("*.md"))
    if not paths:
        parser.error(f"no .md posts in {args.posts}; pass --posts FOLDER")
    articles = [newsnlp.read_article(p) for p in paths]
    texts = [a.text for a in articles]
    pos = jieba.posseg.POSTokenizer(jieba.Tokenizer())  # jieba's own, as users would call it
    list(pos.cut("预热"))
    nlp = newsnlp.Analyzer()
    nlp(articles[0])
    list(nlp.pipe(articles[:2]))
    keywords = nlp.keyword_extractor

    def posseg() -> None:
        for text in texts:
            list(pos.cut(text))

    def call() -> None:
        keywords.clear_cache()  # no segmentation cached from an earlier repetition
        for article in articles:
            nlp(article)

    def pipe() -> None:
        keywords.clear_cache()
        list(nlp.pipe(articles))

    def timed(f) -> tuple[float, float]:
        c, w = time.process_time(), time.perf_counter()
        f()
        return time.process_time() - c, time.perf_counter() - w

    ratios: dict[str, dict[str, list[float]]] = {m: {"cpu": [], "wall": []} for m in ("call", "pipe")}
    base: list[float] = []
    for rep in range(args.reps):
        for mode, f in (("call", call), ("pipe", pipe)):
            pc, pw = timed(posseg)
            ac, aw = timed(f)
            base.append(pc)
            ratios[mode]["cpu"].append(ac / pc)
            ratios[mode]["wall"].append(aw / pw)
            print(f"rep {rep} {mode}: posseg {pc:.3f}s cpu / {pw:.3f}s wall; analysis {ac:.3f}s cpu / "
                  f"{aw:.3f}s wall; ratio {ac / pc:.2f} cpu, {aw / pw:.2f} wall", flush=True)
    print(f"{len(texts)} posts, {sum(map(len, texts))} characters; median posseg {statistics.median(base):.3f}s cpu")
    for mode, r in ratios.items():
        print(f"{mode}: analysis / posseg, median {statistics.median(r['cpu']):.2f} (cpu time), "
              f"{statistics.median(r['wall']):.2f} (wall time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
