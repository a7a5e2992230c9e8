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
        [--tag-vocabulary VOCAB | --learn-vocabulary] [--show N]

Tags are also scored on each half of a part (``even``: records 0, 2, 4, ... of the part in
``labels.jsonl``, on which the tag rules were decided; ``odd``: the check). newsdev is the
project's only labelled real news, so every number here is in-sample once rules are tuned on it.
:func:`summary_blocks` and :func:`tag_block` turn the result into sections of the benchmark
report (``python -m benchmarks.run --data-dir ../shared/data``).
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


def learned_vocabularies(records: Sequence[dict[str, Any]], articles: Sequence[Any]) -> dict[str, Any]:
    """A tag vocabulary per part, learned from that part's articles alone (no labels): what
    ``newsnlp tags learn ARCHIVE`` builds for an archive without topic tags
    (:func:`newsnlp.keywords.vocabulary.learn_vocabulary_from_keywords`)."""
    from newsnlp.keywords.vocabulary import learn_vocabulary_from_keywords

    return {part: learn_vocabulary_from_keywords([a for a, r in zip(articles, records) if r["source"] == part])
            for part, _ in PARTS}


def halves(idx: Sequence[int]) -> dict[str, list[int]]:
    """The whole part and its two halves by position in the file: the tag rules were decided on
    ``even`` (records 0, 2, 4, ... of each part); ``odd`` is the check."""
    return {"all": list(idx), "even": list(idx[0::2]), "odd": list(idx[1::2])}


def run(data_dir: Path, *, tag_vocabulary: Any = None, summarize: Callable[[Any], str] | None = None,
        learn_vocabulary: bool = False) -> dict[str, Any]:
    """Summaries, tags and baselines for every newsdev record, scored per part (tags also per half).

    ``tag_vocabulary`` (a vocabulary for every record) or ``learn_vocabulary`` (one learned per
    part from its own articles, :func:`learned_vocabularies`) adds ``suggest_tags_vocabulary``.
    """
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
    elif learn_vocabulary:
        vocabularies = learned_vocabularies(records, articles)
        vocab_tags = [newsnlp.suggest_tags(a, k=5, vocabulary=vocabularies[r["source"]]) for a, r in zip(articles, records)]
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
        }
        for half, sel in halves(idx).items():
            name = "tags" if half == "all" else f"tags_{half}"
            g = [records[i]["keywords"] for i in sel]
            res[name] = {
                "suggest_tags": tag_f1([tags[i] for i in sel], g),
                "extract_keywords": tag_f1([keywords[i] for i in sel], g),
                "jieba_tfidf": tag_f1([jieba[i] for i in sel], g),
            }
            if vocab_tags is not None:
                res[name]["suggest_tags_vocabulary"] = tag_f1([vocab_tags[i] for i in sel], g)
        out["parts"][part] = res
    for i, r in enumerate(records):
        out["outputs"].append({"id": r["id"], "source": r["source"], "summary": summaries[i], "tags": tags[i]})
    return out


IN_SAMPLE = "in-sample: rules tuned on these records"
_SUMMARY_ROWS = (("newsnlp", "newsnlp.summarize (default)", "model"), ("lead1", "Lead-1", "baseline"),
                 ("lead3", "Lead-3", "baseline"))
_TAG_ROWS = (("suggest_tags", "newsnlp.suggest_tags", "model"),
             ("suggest_tags_vocabulary", "newsnlp.suggest_tags + learned vocabulary", "model"),
             ("extract_keywords", "newsnlp.extract_keywords", "model"), ("jieba_tfidf", "jieba TF-IDF", "baseline"))


def summary_blocks(res: dict[str, Any]) -> list[Any]:
    """The report blocks (:class:`benchmarks.common.Block`) of :func:`run`'s abstracts: one per
    part, ROUGE-1/2/L F and mean length of newsnlp.summarize, Lead-1 and Lead-3, and the
    references' mean length."""
    from .common import Block, Row

    columns = [("rouge1", "ROUGE-1 F"), ("rouge2", "ROUGE-2 F"), ("rougeL", "ROUGE-L F"), ("chars", "mean chars")]
    blocks = []
    for part, title in PARTS:
        s = res["parts"][part]["summaries"]
        block = Block(f"newsdev-summaries-{part}", "Summaries", f"newsdev, {title} ({IN_SAMPLE})", columns,
                      short=f"newsdev {part}", plain={"chars"}, headline=["rougeL"])
        for key, name, kind in _SUMMARY_ROWS:
            row = s[key]
            block.rows.append(Row(name, kind, {k: row[k] / 100 for k in ("rouge1", "rouge2", "rougeL")}
                                  | {"chars": float(row["chars"])}))
        block.rows.append(Row("editor's summary", "reference", {"chars": float(s["reference"]["chars"])}))
        block.notes.append("Scored by benchmarks/newsdev_summaries.py: character ROUGE F (newsnlp.metrics.rouge) "
                           "against the labelled summaries; posts read from their files as an archive run reads them. "
                           "In-sample: newsdev is the project's only labelled real news, and the summariser's rules "
                           "were checked on it.")
        blocks.append(block)
    return blocks


def tag_block(res: dict[str, Any]) -> Any:
    """The report block of :func:`run`'s tags: F1@5 per part and per half, with and without a
    learned vocabulary, beside extract_keywords and jieba TF-IDF."""
    from .common import Block, Row

    columns = []
    for part, title in PARTS:
        short = title.split(" ", 1)[0] + " " + ("posts" if part == "finews" else "stories")
        columns += [(f"{part}", f"{short} F1@5"), (f"{part}_even", f"{short}, even (tuned)"),
                    (f"{part}_odd", f"{short}, odd (check)")]
    block = Block("newsdev-tags", "Keywords and tags", f"newsdev: tags against the labelled keywords ({IN_SAMPLE})",
                  columns, short="newsdev", headline=[part for part, _ in PARTS])
    first = res["parts"][PARTS[0][0]]["tags"]
    for key, name, kind in _TAG_ROWS:
        if key not in first:
            continue
        values = {}
        for part, _ in PARTS:
            p = res["parts"][part]
            values[part] = p["tags"][key] / 100
            for half in ("even", "odd"):
                if f"tags_{half}" in p:
                    values[f"{part}_{half}"] = p[f"tags_{half}"][key] / 100
        block.rows.append(Row(name, kind, values))
    block.notes.append("Scored by benchmarks/newsdev_summaries.py: F1@5 (newsnlp.metrics.mean_keyword_prf) of 5 "
                       "tags against the editor's 5-8 keywords. The learned vocabulary of each part comes from that "
                       "part's articles alone, without labels (newsnlp.keywords.vocabulary.learn_vocabulary_from_keywords, "
                       "as `newsnlp tags learn` does). In-sample: the tag rules were decided reading the even-numbered "
                       "records of each part (0, 2, 4, ... in labels.jsonl); the odd-numbered ones are the check.")
    return block


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
        for name, label in (("tags", title), ("tags_even", f"{title}, even (tuned)"), ("tags_odd", f"{title}, odd (check)")):
            t = res["parts"][part].get(name)
            if t is None:
                continue
            row = f"| {label} | {t['suggest_tags']:.1f} | {t['extract_keywords']:.1f} | {t['jieba_tfidf']:.1f} |"
            if "suggest_tags_vocabulary" in t:
                row += f" {t['suggest_tags_vocabulary']:.1f} |"
            lines.append(row)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--tag-vocabulary", default=None, help="a vocabulary written by `newsnlp tags learn`")
    parser.add_argument("--learn-vocabulary", action="store_true",
                        help="also score suggest_tags with a vocabulary learned from each part's own articles")
    parser.add_argument("--json", type=Path, default=None, help="write scores and every output here")
    parser.add_argument("--show", type=int, default=0, help="print the first N summaries and tags of each part")
    args = parser.parse_args(argv)
    try:
        res = run(args.data_dir, tag_vocabulary=args.tag_vocabulary, learn_vocabulary=args.learn_vocabulary)
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
