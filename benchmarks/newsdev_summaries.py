"""Score abstracts and tags on the labelled real-news development set (``newsdev``).

``../shared/data/newsdev/labels.jsonl`` holds 54 posts of a financial-news Jekyll archive
(``source == "finews"``, the files verbatim in ``posts/``) and 30 long state-TV policy stories
(``source == "xwlb"``), each with an editor's ``summary`` and ``keywords``. Per part this script
reports:

* **abstracts**: character ROUGE-1/2/L F (``newsnlp.metrics.rouge``: NFKC, lower case, no
  punctuation) and mean length of ``newsnlp.summarize`` with its defaults, against Lead-1 and
  Lead-3 (``newsnlp.baselines.lead_summary`` on the article text as read);
* **tags**: F1@5 (``newsnlp.metrics.mean_keyword_prf``) of ``suggest_tags(k=5)``, of
  ``extract_keywords(top_k=5)`` and of jieba TF-IDF against the labelled keywords; with
  ``--tag-vocabulary`` also ``suggest_tags`` with that vocabulary.

The posts are read from their files with :func:`newsnlp.read_article` (title and front matter as
an archive run sees them); the policy stories have their title and text.

Usage::

    python -m benchmarks.newsdev_summaries --data-dir ../shared/data [--json out.json]
        [--tag-vocabulary VOCAB] [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from .newsdev_entities import PARTS, load_newsdev  # one reader of newsdev for both scripts


def article_of(record: dict[str, Any], data_dir: Path) -> Any:
    """The article a user would pass: the post file for posts, else title + text."""
    from newsnlp import Article, read_article

    post = Path(data_dir) / "newsdev" / "posts" / record["id"]
    if record["source"] == "finews" and post.is_file():
        return read_article(post)
    return Article(text=record["text"], title=record.get("title") or None, id=record["id"])


def rouge_row(outputs: Sequence[str], refs: Sequence[str]) -> dict[str, float]:
    """Mean character ROUGE-1/2/L F x100 and mean length of ``outputs`` against ``refs``."""
    from newsnlp.metrics import mean_rouge

    scores = mean_rouge(zip(outputs, refs))
    return {
        "rouge1": round(100 * scores["rouge1"].fmeasure, 1),
        "rouge2": round(100 * scores["rouge2"].fmeasure, 1),
        "rougeL": round(100 * scores["rougeL"].fmeasure, 1),
        "chars": round(sum(map(len, outputs)) / max(1, len(outputs)), 1),
    }


def tag_f1(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> float:
    from newsnlp.metrics import mean_keyword_prf

    return round(100 * mean_keyword_prf(zip(predicted, gold), k=5).f1, 1)


def run(data_dir: Path, *, tag_vocabulary: Any = None, summarize: Callable[[Any], str] | None = None) -> dict[str, Any]:
    """Summaries, tags and baselines for every newsdev record, scored per part."""
    import newsnlp
    from newsnlp.baselines import jieba_tfidf_keywords, lead_summary

    summarize = summarize or newsnlp.summarize
    records = load_newsdev(data_dir)
    articles = [article_of(r, data_dir) for r in records]
    newsnlp.summarize("预热。")  # load models outside the timed loops
    t = time.perf_counter()
    summaries = [summarize(a) for a in articles]
    summary_s = time.perf_counter() - t
    t = time.perf_counter()
    tags = [newsnlp.suggest_tags(a, k=5) for a in articles]
    tags_s = time.perf_counter() - t
    keywords = [[k.text for k in newsnlp.extract_keywords(a, top_k=5)] for a in articles]
    jieba = [jieba_tfidf_keywords(a.text, 5) for a in articles]
    vocab_tags = None
    if tag_vocabulary is not None:
        vocab_tags = [newsnlp.suggest_tags(a, k=5, vocabulary=tag_vocabulary) for a in articles]
    out: dict[str, Any] = {"parts": {}, "seconds": {"summarize": round(summary_s, 2), "suggest_tags": round(tags_s, 2)},
                           "n": len(records), "outputs": []}
    for part, _ in PARTS:
        idx = [i for i, r in enumerate(records) if r["source"] == part]
        refs = [records[i]["summary"] for i in idx]
        gold = [records[i]["keywords"] for i in idx]
        res = {
            "n": len(idx),
            "summaries": {
                "newsnlp": rouge_row([summaries[i] for i in idx], refs),
                "lead1": rouge_row([lead_summary(articles[i].text, 1) for i in idx], refs),
                "lead3": rouge_row([lead_summary(articles[i].text, 3) for i in idx], refs),
                "reference": {"chars": round(sum(map(len, refs)) / max(1, len(refs)), 1)},
            },
            "tags": {
                "suggest_tags": tag_f1([tags[i] for i in idx], gold),
                "extract_keywords": tag_f1([keywords[i] for i in idx], gold),
                "jieba_tfidf": tag_f1([jieba[i] for i in idx], gold),
            },
        }
        if vocab_tags is not None:
            res["tags"]["suggest_tags_vocabulary"] = tag_f1([vocab_tags[i] for i in idx], gold)
        out["parts"][part] = res
    for i, r in enumerate(records):
        out["outputs"].append({"id": r["id"], "source": r["source"], "summary": summaries[i], "tags": tags[i]})
    return out


def tables(res: dict[str, Any]) -> str:
    """Markdown tables: abstracts (ROUGE-1/2/L F, mean length) and tag F1@5 per part."""
    lines = ["| part | system | ROUGE-1 F | ROUGE-2 F | ROUGE-L F | mean chars |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for part, title in PARTS:
        s = res["parts"][part]["summaries"]
        for name, label in (("newsnlp", "newsnlp.summarize"), ("lead1", "Lead-1"), ("lead3", "Lead-3")):
            row = s[name]
            lines.append(f"| {title} | {label} | {row['rouge1']:.1f} | {row['rouge2']:.1f} | {row['rougeL']:.1f} | {row['chars']:.1f} |")
        lines.append(f"| {title} | (reference) | | | | {s['reference']['chars']:.1f} |")
    lines += ["", "| part | suggest_tags | extract_keywords | jieba TF-IDF |" + (" suggest_tags + vocabulary |" if "suggest_tags_vocabulary" in res["parts"]["finews"]["tags"] else ""),
              "| --- | ---: | ---: | ---: |" + (" ---: |" if "suggest_tags_vocabulary" in res["parts"]["finews"]["tags"] else "")]
    for part, title in PARTS:
        t = res["parts"][part]["tags"]
        row = f"| {title} | {t['suggest_tags']:.1f} | {t['extract_keywords']:.1f} | {t['jieba_tfidf']:.1f} |"
        if "suggest_tags_vocabulary" in t:
            row += f" {t['suggest_tags_vocabulary']:.1f} |"
        lines.append(row)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--tag-vocabulary", default=None, help="a vocabulary written by `newsnlp tags learn`")
    parser.add_argument("--json", type=Path, default=None, help="write scores and every output here")
    parser.add_argument("--show", type=int, default=0, help="print the first N summaries and tags of each part")
    args = parser.parse_args(argv)
    try:
        res = run(args.data_dir, tag_vocabulary=args.tag_vocabulary)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(tables(res))
    print(f"\n({res['n']} records; summarize {res['seconds']['summarize']} s, suggest_tags {res['seconds']['suggest_tags']} s)")
    if args.show:
        for part, _ in PARTS:
            for o in [o for o in res["outputs"] if o["source"] == part][: args.show]:
                print(f"{o['id']}: {o['summary']} | {o['tags']}")
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
