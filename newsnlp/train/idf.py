"""Build the shipped news-domain IDF table from the public corpora in ../shared/data.

Run from the repository root::

    .venv/bin/python -m newsnlp.train.idf --data-dir ../shared/data --out models/idf

Documents counted (news text only):

* LCSTS (train + val): Weibo posts of news outlets.
* CLUENER2020 (train + dev): Sina News sentences.
* MSRA NER (val): People's Daily sentences.
* TNEWS headlines, **tuning half only** (``split_part(id) == "tune"``): the other half is
  where keyword quality is reported, so its headlines are kept out of every statistic.
* The seed post (``seed/*.txt``).

CSL is left out: its abstracts are scientific, not news, and CSL is a keyword test set.
Resume NER is left out: résumés are not news.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator

from ..evaluation.splits import split_part  # noqa: F401 (its home; re-exported for the 0.1 path)

__all__ = ["split_part", "news_documents", "main"]




def _jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def news_documents(data_dir: str | Path, *, tnews_titles: str = "tune") -> Iterator[tuple[str, str]]:
    """Yield ``(corpus, text)`` for every news document counted in the shipped table.

    Args:
        data_dir: the public corpora folder.
        tnews_titles: which TNEWS headlines to count: ``tune`` (the shipped choice), ``all`` or ``none``.
    """
    data = Path(data_dir)
    for rec in _jsonl(data / "lcsts" / "lcsts.jsonl"):
        yield "lcsts", rec["text"]
    for rec in _jsonl(data / "cluener2020" / "cluener2020.jsonl"):
        yield "cluener2020", rec["text"]
    for rec in _jsonl(data / "msra_ner" / "msra_ner.jsonl"):
        yield "msra_ner", rec["text"]
    for rec in _jsonl(data / "tnews_keywords" / "tnews_keywords.jsonl"):
        if tnews_titles == "all" or (tnews_titles == "tune" and split_part(rec["id"]) == "tune"):
            yield f"tnews_{tnews_titles}_titles", rec["title"]
    from ..article import parse_post

    for p in sorted((data / "seed").glob("*.txt")):
        a = parse_post(p.read_text(encoding="utf-8"))
        yield "seed", ((a.title or "") + "\n" + a.text).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data", help="folder with the public corpora")
    parser.add_argument("--out", default="models/idf", help="output folder (idf.tsv.gz is written there)")
    parser.add_argument("--min-df", type=int, default=2, help="keep words seen in at least this many documents")
    parser.add_argument("--tnews-titles", default="tune", choices=["tune", "all", "none"],
                        help="TNEWS headlines to count (default: the tuning half only)")
    args = parser.parse_args(argv)

    from collections import Counter

    from ..keywords.idf import DEFAULT_FILE, build_idf

    counts: Counter = Counter()

    def texts() -> Iterator[str]:
        for corpus, text in news_documents(args.data_dir, tnews_titles=args.tnews_titles):
            counts[corpus] += 1
            yield text

    table = build_idf(texts(), min_df=args.min_df, meta={"corpus": "newsnlp news (lcsts, cluener2020, msra_ner, tnews tune-half titles, seed)"})
    out = table.save(Path(args.out) / DEFAULT_FILE)
    print(f"wrote {out}: {len(table)} words, {table.n_docs} documents, min_df={table.min_df}")
    for corpus, n in sorted(counts.items()):
        print(f"  {corpus}: {n} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
