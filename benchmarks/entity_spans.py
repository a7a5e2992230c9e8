"""Exact-span F1 of ``extract_entities``' mentions (model + rules) on CLUENER dev and the MSRA evaluation third.

benchmarks/quality.py scores the NER model's raw spans; this scores what a user gets: the
mentions of :class:`newsnlp.Entities` (ORG with subtype, PERSON, TITLE, LOC), mapped onto each
corpus' labels with the same tables (``benchmarks.quality.CLUENER_MAP`` / ``MSRA_MAP`` /
``RESUME_MAP``; :func:`mention_map`). It also prints the raw heads' LOC for comparison (news
head vs MSRA head). Used to check that rule changes for real news do not cost precision on the
public sets; the report's "newsnlp.extract_entities" rows of the public NER tables are
:func:`extract_values` (``benchmarks.quality.ner_blocks``).

When the places come from the MSRA head (``place_head="msra"``, the default with the shipped
model) the mentions carry two place layers: LOC (the places, MSRA's convention) and ADDRESS
(the news head's places, CLUENER's address convention). CLUENER's ``address`` is scored on the
ADDRESS layer, MSRA's and Resume's ``LOC`` on the LOC layer.

Usage::

    python -m benchmarks.entity_spans --data-dir ../shared/data [--limit N] [--place-head auto|news|msra] [--raw] [--lists] [--model DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from newsnlp.entities.extractor import ADDRESS  # the news head's places when the places come from another head

from .corpora import load_public
from .quality import CLUENER_LABELS, CLUENER_MAP, MSRA_LABELS, MSRA_MAP, RESUME_LABELS, RESUME_MAP, ner_values

SETS = {"cluener": (CLUENER_MAP, CLUENER_LABELS), "msra": (MSRA_MAP, MSRA_LABELS), "resume": (RESUME_MAP, RESUME_LABELS)}


def mention_spans(entities: Any) -> list[Any]:
    return list(entities.mentions)


def mention_map(key: str, place_head: str) -> dict[tuple[str, str | None], Any]:
    """The label map of ``extract_entities`` mentions onto corpus ``key``'s labels.

    With places from another head than the news one, CLUENER's address is the ADDRESS layer
    (the news head's places) and the LOC layer maps to nothing; elsewhere LOC is LOC and
    ADDRESS maps to nothing.

    Example:
        >>> mention_map("cluener", "msra")[("ADDRESS", None)], mention_map("cluener", "msra")[("LOC", None)]
        ('address', None)
        >>> mention_map("cluener", "news") == CLUENER_MAP, mention_map("msra", "msra") == MSRA_MAP
        (True, True)
    """
    mapping = SETS[key][0]
    if key == "cluener" and place_head != "news":
        return {**mapping, ("LOC", None): None, (ADDRESS, None): mapping[("LOC", None)]}
    return dict(mapping)


def extract_values(key: str, records: Sequence[dict[str, Any]], extractor: Any) -> dict[str, Any]:
    """Exact-span P/R/F per label of ``extractor.extract_many``'s mentions on corpus ``key``'s records.

    ``key`` is ``cluener``, ``msra`` or ``resume``; the mentions are mapped with
    :func:`mention_map` for the extractor's ``place_head``; ``seconds`` is the extraction time.
    """
    mapping, labels = SETS[key]
    start = time.perf_counter()
    found = extractor.extract_many([r["text"] for r in records])
    seconds = time.perf_counter() - start
    values = ner_values(records, [mention_spans(e) for e in found], mention_map(key, getattr(extractor, "place_head", "news")),
                        labels, merge_org=mapping is CLUENER_MAP)
    values["seconds"] = seconds
    return values




def raw_loc(records: Sequence[dict[str, Any]], tagger: Any, domain: str | None, mapping) -> dict[str, Any]:
    spans = tagger.predict([r["text"] for r in records], domain=domain)
    return ner_values(records, spans, mapping, ["LOC"] if mapping is MSRA_MAP else ["address"], merge_org=False)


def fmt(values: dict[str, Any], labels: Sequence[str]) -> str:
    cells = []
    for label in labels:
        if label in values:
            cells.append(f"{label} {100 * values[label]:.1f} ({100 * values[label + '_p']:.1f}/{100 * values[label + '_r']:.1f})")
    return " | ".join(cells)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--raw", action="store_true", help="also score the raw heads' LOC (news vs msra head)")
    parser.add_argument("--place-head", choices=["auto", "news", "msra"], default="auto",
                        help="EntityExtractor.load(place_head=...): which model head gives the places (auto: msra "
                             "when the model has it)")
    parser.add_argument("--model", default=None, metavar="DIR",
                        help="NER model directory to load instead of the shipped models/ner (a candidate model)")
    parser.add_argument("--lists", action="store_true",
                        help="also score the sample corpus and held-out posts' entity lists (places, organisations)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    from newsnlp.entities.extractor import EntityExtractor

    extractor = EntityExtractor.load(args.model, place_head=args.place_head) if args.model else \
        EntityExtractor.load(place_head=args.place_head)
    try:
        sets = {key: load_public(args.data_dir, key, limit=args.limit) for key in ("cluener", "msra")}
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"places from the {extractor.place_head} head")
    for key, records in sets.items():
        labels = (CLUENER_LABELS + ["ORG*"]) if key == "cluener" else MSRA_LABELS
        values = extract_values(key, records, extractor)
        print(f"{key} ({len(records)} sentences, extract_entities mentions, {values['seconds']:.1f} s): {fmt(values, labels)}")
        if args.raw:
            mapping = CLUENER_MAP if key == "cluener" else MSRA_MAP
            for head in (None, "msra"):
                v = raw_loc(records, extractor.tagger, head, mapping)
                label = "address" if key == "cluener" else "LOC"
                print(f"  raw {head or 'news'} head: {fmt(v, [label])}")
    if args.lists:
        import json

        from newsnlp.article import read_article
        from newsnlp.entities.extractor import entity_labels
        from newsnlp.metrics import normalize_term, set_prf

        for folder in (Path("benchmarks/data"), Path("benchmarks/data/heldout")):
            rows = [json.loads(line) for line in (folder / "labels.jsonl").open(encoding="utf-8") if line.strip()]
            articles = [read_article(folder / r["path"]) for r in rows]
            start = time.perf_counter()
            preds = [entity_labels(e) for e in extractor.extract_many(articles)]
            seconds = time.perf_counter() - start
            cells = []
            for field in ("places", "organisations"):
                sc = set_prf([(p[field], r[field]) for p, r in zip(preds, rows)], key=normalize_term)
                cells.append(f"{field} {100 * sc.f1:.1f} ({100 * sc.precision:.1f}/{100 * sc.recall:.1f})")
            print(f"{folder} ({len(rows)} posts, {seconds:.1f} s): " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
