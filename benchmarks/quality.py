"""Quality evaluators: each takes evaluation data and returns a :class:`Block` of rows.

Current newsnlp stages and baselines are scored side by side on the same items, so a table
compares like with like. The newsnlp rows call whatever the library provides at the time
of the run (placeholders until the trained stages land).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from newsnlp import baselines
from newsnlp.article import Article
from newsnlp.evaluation.scoring import (
    CLUENER_MAP,
    CLUENER_ORG_LABELS,  # noqa: F401 - re-exported for benchmark scripts
    K,  # keywords and tags are scored at 5, as the issues ask
    MSRA_MAP,
    RESUME_MAP,
    entity_lists,
    keyword_values,
    list_values,
    lists_from_mentions,
    map_label,
    ner_values,
    rouge_values,
)

from .common import Block, Row, Skip, run_system
from .corpora import Sample


# --------------------------------------------------------------------------- label mapping

# The label maps, map_label and every score live in newsnlp.evaluation.scoring (shared with newsnlp evaluate).
CLUENER_LABELS = ["name", "organization", "government", "position", "company", "address"]
# Issue 6's bars (exact-span F1): the published CLUENER2020 BiLSTM-CRF results, and its MSRA targets.
TARGETS: dict[str, dict[str, float]] = {
    "cluener": {"name": 0.740, "organization": 0.760, "government": 0.773, "position": 0.702},
    "msra": {"ORG": 0.72, "PER": 0.85},
}
MSRA_LABELS = ["PER", "ORG", "LOC"]
RESUME_LABELS = ["NAME", "ORG", "TITLE"]


def label_mapping_rows() -> list[tuple[str, str, str, str]]:
    """The documented mapping, one ``(newsnlp, CLUENER2020, MSRA, Resume)`` row per newsnlp label."""
    rows = []
    for label, subtype in [("PERSON", None), ("TITLE", None), ("ORG", "gov"), ("ORG", "company"),
                           ("ORG", "organisation"), ("ORG", None), ("LOC", None)]:
        name = label if subtype is None else f"{label} (subtype {subtype})"
        if label == "ORG" and subtype is None:
            name = "ORG (no subtype, e.g. jieba nt)"
        rows.append((name, map_label(label, subtype, CLUENER_MAP) or "-", map_label(label, subtype, MSRA_MAP) or "-",
                     map_label(label, subtype, RESUME_MAP) or "-"))
    # extract_entities with places from the MSRA head (the default): CLUENER's address is scored
    # on the ADDRESS mentions (the news head's places), its LOC mentions on MSRA and Resume only.
    rows.append(("ADDRESS (extract_entities mentions; LOC is then not scored on CLUENER)", "address", "-", "-"))
    return rows


# --------------------------------------------------------------------------- summaries

SUMMARY_COLUMNS = [
    ("rouge1_p", "R-1 P"), ("rouge1_r", "R-1 R"), ("rouge1_f", "R-1 F"),
    ("rouge2_p", "R-2 P"), ("rouge2_r", "R-2 R"), ("rouge2_f", "R-2 F"),
    ("rougeL_p", "R-L P"), ("rougeL_r", "R-L R"), ("rougeL_f", "R-L F"),
    ("chars", "mean chars"),
]


_rouge_values = rouge_values


def summary_block(
    key: str, title: str, items: Sequence[tuple[Any, str, str]], summarize: Callable[[Any], str], short: str
) -> Block:
    """Score the default summariser and Lead-1 / Lead-3 / TextRank against reference summaries.

    Args:
        items: ``(input for newsnlp, its plain text, reference summary)`` per document.
        summarize: the newsnlp summariser called with default arguments.
    """
    refs = [ref for _, _, ref in items]
    systems: list[tuple[str, str, Callable[[Any, str], str]]] = [
        ("newsnlp.summarize (default)", "model", lambda item, text: summarize(item)),
        ("Lead-1", "baseline", lambda item, text: baselines.lead_summary(text, 1)),
        ("Lead-3", "baseline", lambda item, text: baselines.lead_summary(text, 3)),
        ("TextRank (120 chars)", "baseline", lambda item, text: baselines.textrank_summary(text)),
    ]
    block = Block(key, "Summaries", title, SUMMARY_COLUMNS, chart="summary", chart_metric="rougeL_f", short=short,
                  plain={"chars"})
    for name, kind, fn in systems:
        block.rows.append(run_system(name, kind, lambda fn=fn: _rouge_values([fn(i, t) for i, t, _ in items], refs)))
    block.notes.append("Character ROUGE (newsnlp.metrics.rouge): NFKC, lower-case, punctuation and spaces dropped; "
                       "mean of per-document scores, ×100.")
    return block


def sample_summary_items(samples: Sequence[Sample]) -> list[tuple[Any, str, str]]:
    return [(s.article, s.article.text, s.labels["summary"]) for s in samples]


def lcsts_summary_items(records: Iterable[dict[str, Any]]) -> list[tuple[Any, str, str]]:
    return [(r["text"], r["text"], r["summary"]) for r in records]


# --------------------------------------------------------------------------- keywords and tags

KEYWORD_COLUMNS = [("p", f"P@{K}"), ("r", f"R@{K}"), ("f1", f"F1@{K}"), ("n", "mean returned"), ("vs_tfidf", "F1 ÷ jieba TF-IDF")]


_keyword_values = keyword_values


def keyword_block(
    key: str,
    title: str,
    items: Sequence[tuple[Article, str, list[str]]],
    newsnlp_systems: Sequence[tuple[str, Callable[[Article], Sequence[Any]]]],
    short: str,
) -> Block:
    """Score newsnlp keyword/tag systems and jieba TF-IDF / TextRank at F1@5.

    Args:
        items: ``(article for newsnlp, the text given to jieba, gold keywords)`` per document.
        newsnlp_systems: ``(row name, function returning keywords or tags)``.
    """
    gold = [g for _, _, g in items]
    block = Block(key, "Keywords and tags", title, KEYWORD_COLUMNS, chart="keywords", chart_metric="f1", short=short,
                  plain={"n"})
    for name, fn in newsnlp_systems:
        block.rows.append(run_system(name, "model", lambda fn=fn: _keyword_values([fn(a) for a, _, _ in items], gold)))
    block.rows.append(run_system("jieba TF-IDF", "baseline", lambda: _keyword_values(
        [baselines.jieba_tfidf_keywords(t, K) for _, t, _ in items], gold)))
    block.rows.append(run_system("jieba TextRank", "baseline", lambda: _keyword_values(
        [baselines.jieba_textrank_keywords(t, K) for _, t, _ in items], gold)))
    tfidf = next((r.values.get("f1") for r in block.rows if r.system == "jieba TF-IDF"), None)
    for row in block.rows:
        if tfidf and row.values.get("f1") is not None:
            row.values["vs_tfidf"] = f"{row.values['f1'] / tfidf:.2f}×"
    block.notes.append(f"Macro-averaged over documents; predictions and gold normalised (NFKC, case); P@{K} divides by "
                       f"the number returned (at most {K}): top_k is a maximum, not a quota.")
    return block


def _article_text(article: Article) -> str:
    return ((article.title or "") + "\n" + article.text).strip()


def sample_keyword_items(samples: Sequence[Sample]) -> list[tuple[Article, str, list[str]]]:
    return [(s.article, _article_text(s.article), list(s.labels["tags"])) for s in samples]


def csl_keyword_items(records: Iterable[dict[str, Any]]) -> list[tuple[Article, str, list[str]]]:
    out = []
    for r in records:
        article = Article(text=r["text"] or "", title=r["title"], id=r["id"])
        out.append((article, _article_text(article), list(r["keywords"])))
    return out


def tnews_keyword_items(records: Iterable[dict[str, Any]]) -> list[tuple[Article, str, list[str]]]:
    # A headline is all there is: an article with a title and no body (as keywords_eval does).
    return [(Article(text="", title=r["title"], id=r["id"]), r["title"], list(r["keywords"])) for r in records]


# --------------------------------------------------------------------------- entities: public NER sets


def ner_blocks(
    key: str,
    title: str,
    records: Sequence[dict[str, Any]],
    mapping,
    labels: Sequence[str],
    *,
    domain: str | None,
    short: str,
    tagger_loader: Callable[[], Any] | None = None,
    extractor_loader: Callable[[], Any] | None = None,
) -> list[Block]:
    """Score ``extract_entities``, the NER model's raw spans and the jieba-POS baseline on one public NER set.

    Returns an F1 table (charted) and a precision / recall table. The first row is what a user
    gets: the mentions of ``EntityExtractor.extract_many`` (model + rules, the default
    ``place_head``), mapped by ``benchmarks.entity_spans.extract_values``. The model is then
    run raw with the head trained on this corpus (``domain``) when it has one, and with its
    default news head. ``extractor_loader`` builds the extractor; without it the shipped
    default one is loaded, unless ``tagger_loader`` is given (a test's tagger: no extractor row).
    """
    texts = [r["text"] for r in records]
    merge_org = mapping is CLUENER_MAP
    columns = [(label, label) for label in labels] + ([("ORG*", "ORG (3 merged)")] if merge_org else []) + [("micro", "micro")]
    headline = {"cluener": ["name", "organization", "government", "position"]}.get(key.split("-")[-1], list(labels))
    block = Block(key, "Entities", title, [(k, f"{h} F1") for k, h in columns], chart="entities", short=short,
                  headline=[h for h in headline if h in labels])
    loader = tagger_loader or _load_tagger

    def model(head: str | None) -> dict[str, Any]:
        tagger = loader()
        if head is not None and head not in getattr(tagger, "domains", []):
            raise Skip(f"the NER model has no {head!r} head (heads: {', '.join(getattr(tagger, 'domains', []))})")
        kwargs = {} if head is None else {"domain": head}
        return ner_values(records, tagger.predict(texts, **kwargs), mapping, labels, merge_org=merge_org)

    if extractor_loader is None and tagger_loader is None:
        extractor_loader = _load_extractor
    if extractor_loader is not None:
        from .entity_spans import extract_values

        corpus = {"cluener": "cluener", "msra": "msra", "resume": "resume"}.get(key.split("-")[-1])
        if corpus is not None:
            block.rows.append(run_system("newsnlp.extract_entities", "model", lambda: {
                k: v for k, v in extract_values(corpus, records, extractor_loader()).items() if k != "seconds"}))
    heads: list[tuple[str, str | None]] = [("NER model, news head", None)]
    if domain:
        heads.insert(0, (f"NER model, {domain} head", domain))
    for name, head in heads:
        block.rows.append(run_system(name, "model", lambda head=head: model(head)))
    block.rows.append(run_system("jieba POS (nr/nt/ns)", "baseline", lambda: ner_values(
        records, [baselines.jieba_pos_entities(t) for t in texts], mapping, labels, merge_org=merge_org)))
    target = TARGETS.get(key.split("-")[-1])
    if target:
        block.rows.append(Row("target (issue 6)", "reference", dict(target)))
    block.notes.append("Exact-span F1 ×100, micro-averaged per label over all sentences; model labels mapped with the "
                       "table in 'Label mapping'. newsnlp.extract_entities is the mentions of "
                       "EntityExtractor.load().extract_many(texts) (model + news rules, places from the MSRA head; "
                       "CLUENER's address is scored on its ADDRESS mentions, the news head's places; "
                       "benchmarks/entity_spans.py). The NER model rows are "
                       "newsnlp.entities.backends.bilstm_crf.NERTagger.load().predict(texts) "
                       "(raw spans, before the news rules of extract_entities).")
    detail = Block(key + "-pr", "Entities", title + ": precision / recall",
                   [(k, f"{h} P / R") for k, h in columns], short=short)
    for row in block.rows:
        if row.kind != "reference":
            cells = {k: _pr_cell(row.values, k) for k, _ in columns} if row.values else {}
            detail.rows.append(Row(row.system, row.kind, cells, row.note))
    return [block, detail]


def _pr_cell(values: dict[str, Any], key: str) -> str | None:
    p, r = values.get(f"{key}_p"), values.get(f"{key}_r")
    if p is None or r is None:
        return None
    return f"{100 * p:.1f} / {100 * r:.1f}"


_TAGGER: list[Any] = []
_EXTRACTOR: list[Any] = []


def _load_extractor():
    if not _EXTRACTOR:
        from newsnlp.entities.extractor import EntityExtractor

        _EXTRACTOR.append(EntityExtractor.load())
    return _EXTRACTOR[0]


def _load_tagger():
    if not _TAGGER:
        try:
            from newsnlp.entities.backends.bilstm_crf import NERTagger
        except ImportError as exc:
            raise Skip(f"newsnlp.entities.backends.bilstm_crf is not available ({exc})") from None
        _TAGGER.append(NERTagger.load())
    return _TAGGER[0]


# --------------------------------------------------------------------------- entities: sample corpus

ENTITY_LISTS = [("organisations", "organisations"), ("officials", "officials (name, title)"),
                ("programmes", "programmes"), ("persons", "persons"), ("places", "places")]


_entity_lists_from_entities = entity_lists
_entity_lists_from_mentions = lists_from_mentions


def _list_values(predicted: Sequence[dict[str, list[Any]]], samples: Sequence[Sample]) -> dict[str, Any]:
    return list_values(predicted, [s.labels for s in samples], fields=[name for name, _ in ENTITY_LISTS], rules="exact")


def sample_entity_blocks(
    samples: Sequence[Sample],
    extract_entities: Callable[[Article], Any],
    *,
    key: str = "sample",
    title: str = "Sample corpus",
    short: str = "sample",
    chart: str | None = "entities",
    note: str | None = None,
) -> list[Block]:
    """Score ``extract_entities`` lists and the jieba-POS baseline on labelled posts.

    ``key`` names the blocks (``entities-<key>``), ``short`` names the set in the report's
    headline lines, ``chart`` is the chart the block joins (``None``: none).
    """
    block = Block(f"entities-{key}", "Entities", f"{title} ({len(samples)} articles): entity lists",
                  [(k, f"{h} F1") for k, h in ENTITY_LISTS], chart=chart,
                  short=short, headline=["organisations", "officials", "programmes"])
    block.rows.append(run_system("newsnlp.extract_entities", "model", lambda: _list_values(
        [_entity_lists_from_entities(extract_entities(s.article)) for s in samples], samples)))
    block.rows.append(run_system("jieba POS (nr/nt/ns)", "baseline", lambda: _list_values(
        [_entity_lists_from_mentions(baselines.jieba_pos_entities(s.article.text)) for s in samples], samples)))
    block.notes.append("Set F1 ×100 per article, micro-averaged: organisations, persons and places by normalised full name "
                       "(a short form such as 市总工会 does not match 宁波市总工会); officials as (name, title) pairs; "
                       "programmes ignoring quotation marks and 《》. jieba has no officials or programmes: its 0 there is by "
                       "construction.")
    if note:
        block.notes.append(note)
    detail = Block(f"entities-{key}-pr", "Entities", block.title + ": precision / recall",
                   [(k, f"{h} P / R") for k, h in ENTITY_LISTS], short=short)
    for row in block.rows:
        cells = {k: _pr_cell(row.values, k) for k, _ in ENTITY_LISTS} if row.values else {}
        detail.rows.append(Row(row.system, row.kind, cells, row.note))
    return [block, detail]
