"""Keyword quality and speed: newsnlp against jieba TF-IDF and TextRank, in one run.

F1@5 is exact match after tag normalisation (full-width → half-width, case-folded, quotes and
edge punctuation stripped), averaged over documents; precision divides by the number of
keywords returned (``top_k`` is a maximum), recall by the number of gold keywords.

TNEWS and CSL ship only their dev parts; newsnlp splits each in two halves by CRC32 of the
record id (:func:`newsnlp.train.idf.split_part`): weights were tuned on ``tune`` and numbers
are reported on ``report`` (``--part all`` gives the whole dev part).

    .venv/bin/python -m benchmarks.keywords_eval --data-dir ../shared/data --part report
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable

from newsnlp.article import Article, read_article
from newsnlp.keywords.extractor import normalize_tag
from newsnlp.metrics import PRF
from newsnlp.train.idf import split_part

SAMPLE_DIR = Path(__file__).resolve().parent / "data"


def eval_key(tag: str) -> str:
    """The form tags are compared in: normalised, NFKC, case-folded."""
    return unicodedata.normalize("NFKC", normalize_tag(tag)).casefold()


def f1_at_k(predicted: list[str], gold: Iterable[str], k: int = 5) -> float:
    """F1 of the first ``k`` predictions against the gold keywords (exact, normalised).

    Example:
        >>> round(f1_at_k(["工会经费", "ＧＤＰ"], ["gdp", "宁波"]), 3)
        0.5
    """
    pred = []
    for p in predicted[:k]:
        key = eval_key(p)
        if key and key not in pred:
            pred.append(key)
    gold_set = {eval_key(g) for g in gold} - {""}
    if not pred or not gold_set:
        return 0.0
    hits = sum(1 for p in pred if p in gold_set)
    return PRF.from_totals(hits, len(pred), len(gold_set)).f1


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_set(name: str, data_dir: str | Path, part: str = "report") -> list[tuple[Article, list[str]]]:
    """Return ``(article, gold keywords)`` pairs of one evaluation set.

    Args:
        name: ``tnews`` (headline only: the title is the article), ``csl`` (title + abstract)
            or ``sample`` (the project's sample corpus, ``labels.jsonl`` tags).
        data_dir: the public corpora folder (``../shared/data``).
        part: ``tune``, ``report`` or ``all`` (TNEWS and CSL only; the sample is always whole).
    """
    data_dir = Path(data_dir)
    if part not in {"tune", "report", "all"}:
        raise ValueError(f"part must be 'tune', 'report' or 'all', got {part!r}")
    out: list[tuple[Article, list[str]]] = []
    if name == "tnews":
        for r in _jsonl(data_dir / "tnews_keywords" / "tnews_keywords.jsonl"):
            if part == "all" or split_part(r["id"]) == part:
                out.append((Article(text="", title=r["title"], id=r["id"]), list(r["keywords"])))
    elif name == "csl":
        for r in _jsonl(data_dir / "csl_keywords" / "csl_keywords.jsonl"):
            if part == "all" or split_part(r["id"]) == part:
                out.append((Article(text=r["text"], title=r["title"], id=r["id"]), list(r["keywords"])))
    elif name == "sample":
        for labels in _jsonl(SAMPLE_DIR / "labels.jsonl"):
            out.append((read_article(SAMPLE_DIR / labels["path"]), list(labels["tags"])))
    else:
        raise ValueError(f"unknown set {name!r}; valid sets are tnews, csl, sample")
    return out


def plain_text(article: Article) -> str:
    """What a text-only baseline sees: the title, a line break, the body."""
    return ((article.title or "") + "\n" + article.text).strip()


def systems() -> dict[str, Callable[[Article], list[str]]]:
    """The systems compared: name -> function(article) -> up to 5 keywords."""
    from newsnlp.baselines import jieba_textrank_keywords, jieba_tfidf_keywords
    from newsnlp.keywords.extractor import KeywordExtractor

    kx = KeywordExtractor.load()
    return {
        "jieba-tfidf": lambda a: jieba_tfidf_keywords(plain_text(a), 5),
        "jieba-textrank": lambda a: jieba_textrank_keywords(plain_text(a), 5),
        "newsnlp-keywords": lambda a: [k.text for k in kx.extract(a, top_k=5)],
        "newsnlp-tags": lambda a: kx.suggest_tags(a, k=5),
    }


def evaluate(fn: Callable[[Article], list[str]], items: list[tuple[Article, list[str]]]) -> dict[str, float]:
    """Mean F1@5 (percent) and articles per second of ``fn`` over ``items``."""
    if items:
        fn(items[0][0])  # load dictionaries and tables outside the clock (one cached article of many)
    total = 0.0
    start = time.perf_counter()
    preds = [fn(a) for a, _gold in items]
    elapsed = time.perf_counter() - start
    for pred, (_a, gold) in zip(preds, items):
        total += f1_at_k(pred, gold)
    return {"f1@5": 100 * total / max(1, len(items)), "articles_per_s": len(items) / elapsed if elapsed else 0.0, "n": len(items)}


def leave_one_out_vocabulary_f1(items: list[tuple[Article, list[str]]]) -> float:
    """F1@5 of ``suggest_tags`` when the vocabulary is every *other* article's gold tags.

    This stands for an archive whose editors already tag: the article's own tags are never in
    the vocabulary it is given.
    """
    from newsnlp.keywords.extractor import KeywordExtractor

    kx = KeywordExtractor.load()
    total = 0.0
    for i, (article, gold) in enumerate(items):
        vocab = sorted({t for j, (_a, tags) in enumerate(items) if j != i for t in tags})
        total += f1_at_k(kx.suggest_tags(article, k=5, vocabulary=vocab), gold)
    return 100 * total / max(1, len(items))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Keyword F1@5 and speed: newsnlp vs jieba")
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--part", default="report", choices=["tune", "report", "all"])
    parser.add_argument("--sets", default="tnews,csl,sample")
    parser.add_argument("--systems", default=None, help="comma-separated subset of the systems")
    args = parser.parse_args(argv)
    table = systems()
    chosen = args.systems.split(",") if args.systems else list(table)
    print(f"part={args.part}")
    print(f"{'set':8} {'n':>5} " + " ".join(f"{s:>22}" for s in chosen) + "   ratio(newsnlp-keywords/jieba-tfidf)")
    for name in args.sets.split(","):
        items = load_set(name, args.data_dir, args.part)
        res = {s: evaluate(table[s], items) for s in chosen}
        cells = " ".join(f"{res[s]['f1@5']:7.2f} ({res[s]['articles_per_s']:7.0f}/s)" for s in chosen)
        ratio = ""
        if "jieba-tfidf" in res and "newsnlp-keywords" in res and res["jieba-tfidf"]["f1@5"]:
            ratio = f"{res['newsnlp-keywords']['f1@5'] / res['jieba-tfidf']['f1@5']:.2f}x"
            if "newsnlp-tags" in res:
                ratio += f" tags {res['newsnlp-tags']['f1@5'] / res['jieba-tfidf']['f1@5']:.2f}x"
        print(f"{name:8} {len(items):5d} {cells}   {ratio}")
        if name == "sample":
            print(f"sample tags with a vocabulary of the other articles' tags: {leave_one_out_vocabulary_f1(items):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
