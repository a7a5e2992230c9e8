"""Score ``newsnlp.extract_entities`` on the labelled real-news development set (``newsdev``).

``../shared/data/newsdev/labels.jsonl`` holds 54 posts of a financial-news Jekyll archive
(``source == "finews"``, the files verbatim in ``posts/``) and 30 long state-TV policy stories
(``source == "xwlb"``), labelled per ``newsdev/GUIDELINES.md``. This script scores the
organisation, official and programme lists of each part, with precision and recall, by the
rules of ``../shared/data/README.md``:

* names are normalised (NFKC, case-folded) and quotation marks and 《》 are ignored anywhere;
* a gold short form kept as written (``市政府``, ``发改委``) also matches a prediction that
  resolves it to a place (``宁波市政府``, ``宁波市发改委``): the prediction ends with the gold name
  and what comes before is a place (CJK only, at most 10 characters, and either the gold name
  starts with 省/市/县/区 or the prefix ends with one of 省/市/县/区/州);
* officials compare by name;
* each prediction matches at most one gold name and the other way round.

The posts are read from their files with :func:`newsnlp.read_article` (what a user's archive
run sees; ``--input labels`` scores the labels' cleaned text instead); the policy stories have
only their text.

Usage::

    python -m benchmarks.newsdev_entities --data-dir ../shared/data [--json out.json] [--errors]
        [--entity-lexicon LEXICON]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from newsnlp.metrics import PRF, normalize_programme

FIELDS = ("organisations", "officials", "programmes")
PARTS = (("finews", "54 financial-news posts"), ("xwlb", "30 long policy stories"))
_PLACE_PREFIX = re.compile(r"[\u4e00-\u9fff]{1,10}")


def norm(name: str) -> str:
    """The comparison form of a name: NFKC, case-folded, without quotation marks or 《》."""
    return normalize_programme(name)


def _resolves(pred: str, gold: str) -> bool:
    """A prediction that resolves a gold short form to a place: 宁波市政府 for gold 市政府."""
    if len(pred) <= len(gold) or not pred.endswith(gold):
        return False
    prefix = pred[: len(pred) - len(gold)]
    if not _PLACE_PREFIX.fullmatch(prefix):
        return False
    return gold[0] in "省市县区" or prefix[-1] in "省市县区州"


def match_counts(pred: Iterable[str], gold: Iterable[str], *, short_forms: bool = True) -> tuple[int, int, int, list[str], list[str]]:
    """One article's ``(matched, n_pred, n_gold, false positives, misses)`` by the newsdev rules."""
    p = list(dict.fromkeys(k for k in map(norm, pred) if k))
    g = list(dict.fromkeys(k for k in map(norm, gold) if k))
    unmatched_gold = list(g)
    unmatched_pred: list[str] = []
    tp = 0
    for x in p:  # exact matches first so a resolved short form never steals an exact one
        if x in unmatched_gold:
            unmatched_gold.remove(x)
            tp += 1
        else:
            unmatched_pred.append(x)
    rest: list[str] = []
    for x in unmatched_pred:
        hit = next((y for y in unmatched_gold if short_forms and _resolves(x, y)), None)
        if hit is None:
            rest.append(x)
        else:
            unmatched_gold.remove(hit)
            tp += 1
    return tp, len(p), len(g), rest, unmatched_gold


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    s = PRF.from_totals(tp, n_pred, n_gold)
    return {"p": round(100 * s.precision, 1), "r": round(100 * s.recall, 1), "f1": round(100 * s.f1, 1),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def lists_of(entities: Any) -> dict[str, list[str]]:
    """The three scored lists of an :class:`~newsnlp.Entities`."""
    return {
        "organisations": [e.name for e in entities.organisations],
        "officials": [o.name for o in entities.officials],
        "programmes": [e.name for e in entities.programmes],
    }


def gold_lists(record: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "organisations": list(record.get("organisations") or []),
        "officials": [o["name"] for o in record.get("officials") or []],
        "programmes": list(record.get("programmes") or []),
    }


def load_newsdev(data_dir: Path) -> list[dict[str, Any]]:
    """The labelled records, in file order.

    Raises:
        FileNotFoundError: ``data_dir`` has no ``newsdev/labels.jsonl``.
    """
    path = Path(data_dir) / "newsdev" / "labels.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; --data-dir must be the shared data folder holding newsdev/")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def article_of(record: dict[str, Any], data_dir: Path, source: str) -> Any:
    """What the extractor is given: the post file for posts (``source == "posts"``), else the text."""
    from newsnlp import read_article

    post = Path(data_dir) / "newsdev" / "posts" / record["id"]
    if source == "posts" and record["source"] == "finews" and post.is_file():
        return read_article(post)
    return record["text"]


def score(
    records: Sequence[dict[str, Any]],
    predictions: Sequence[dict[str, list[str]]],
) -> dict[str, dict[str, Any]]:
    """Per part and field: P/R/F1 plus the false positives and misses of each record."""
    out: dict[str, dict[str, Any]] = {}
    for part, _ in PARTS:
        out[part] = {}
        for field in FIELDS:
            tp = n_pred = n_gold = 0
            errors = []
            for rec, pred in zip(records, predictions):
                if rec["source"] != part:
                    continue
                t, np_, ng, fps, misses = match_counts(pred[field], gold_lists(rec)[field], short_forms=field == "organisations")
                tp, n_pred, n_gold = tp + t, n_pred + np_, n_gold + ng
                if fps or misses:
                    errors.append({"id": rec["id"], "false_positives": fps, "missed": misses})
            out[part][field] = {**prf(tp, n_pred, n_gold), "errors": errors}
    return out


def half_of(records: Sequence[dict[str, Any]]) -> list[str]:
    """"even" or "odd": each record's position within its part (0-based), so rules can be written
    reading one half and checked on the other."""
    seen: dict[str, int] = {}
    out = []
    for r in records:
        k = seen.get(r["source"], 0)
        seen[r["source"]] = k + 1
        out.append("even" if k % 2 == 0 else "odd")
    return out


def run(
    data_dir: Path,
    *,
    extract: Callable[[Any], Any] | None = None,
    source: str = "posts",
    half: str | None = None,
) -> tuple[dict[str, dict[str, Any]], float]:
    """Extract and score every newsdev record (or one ``half``: "even" / "odd", see :func:`half_of`);
    returns the scores and the seconds taken."""
    if extract is None:
        from newsnlp import extract_entities as extract
    records = load_newsdev(data_dir)
    if half is not None:
        records = [r for r, h in zip(records, half_of(records)) if h == half]
    articles = [article_of(r, data_dir, source) for r in records]
    start = time.perf_counter()
    predictions = [lists_of(extract(a)) for a in articles]
    return score(records, predictions), time.perf_counter() - start


def table(scores: dict[str, dict[str, Any]]) -> str:
    """A Markdown table: one row per part, F1 (P / R) per field."""
    lines = ["| part | organisations F1 (P / R) | officials F1 (P / R) | programmes F1 (P / R) |",
             "| --- | --- | --- | --- |"]
    for part, title in PARTS:
        cells = [f"{s['f1']:.1f} ({s['p']:.1f} / {s['r']:.1f})" for s in (scores[part][f] for f in FIELDS)]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


IN_SAMPLE = "in-sample: rules tuned on these records"


def entity_blocks(scores: dict[str, dict[str, Any]]) -> list[Any]:
    """The report blocks (:class:`benchmarks.common.Block`) of :func:`score`'s result: one per part,
    one row (``newsnlp.extract_entities``), F1 / P / R of each list."""
    from .common import Block, Row

    columns = [(f"{field}_{m}", f"{field} {m.upper() if m != 'f1' else 'F1'}") for field in FIELDS for m in ("f1", "p", "r")]
    blocks = []
    for part, title in PARTS:
        values = {f"{field}_{m}": scores[part][field][m] / 100 for field in FIELDS for m in ("f1", "p", "r")}
        block = Block(f"newsdev-entities-{part}", "Entities", f"newsdev, {title} ({IN_SAMPLE})", columns,
                      rows=[Row("newsnlp.extract_entities", "model", values)], short=f"newsdev {part}")
        block.notes.append("Scored by benchmarks/newsdev_entities.py (the rules of ../shared/data/README.md: names "
                           "normalised, quotation marks and 《》 ignored, a gold short form matches a prediction "
                           "resolved to the article's place, officials by name); posts read from their files. "
                           "In-sample: the entity rules were written reading these records.")
        blocks.append(block)
    return blocks


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--input", choices=["posts", "labels"], default="posts",
                        help="posts: read the post files (default); labels: the labels' cleaned text")
    parser.add_argument("--entity-lexicon", type=Path, default=None,
                        help="an archive lexicon (newsnlp entities learn) for Analyzer(entity_lexicon=...)")
    parser.add_argument("--json", type=Path, default=None, help="write scores (with per-record errors) here")
    parser.add_argument("--errors", action="store_true", help="print each record's false positives and misses")
    parser.add_argument("--half", choices=["even", "odd"], default=None,
                        help="score only the even- or odd-positioned records of each part")
    args = parser.parse_args(argv)
    extract = None
    if args.entity_lexicon is not None:
        from newsnlp import Analyzer

        analyzer = Analyzer(entity_lexicon=args.entity_lexicon)
        extract = analyzer.extract_entities
    try:
        scores, seconds = run(args.data_dir, extract=extract, source=args.input, half=args.half)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table(scores))
    print(f"\n({seconds:.1f} s; input: {args.input}; records: {args.half or 'all'})")
    if args.errors:
        for part, _ in PARTS:
            for field in FIELDS:
                for e in scores[part][field]["errors"]:
                    print(f"{part} {field} {e['id']}: FP {e['false_positives']} | missed {e['missed']}")
    if args.json:
        args.json.write_text(json.dumps(scores, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
