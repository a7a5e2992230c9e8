"""Train, tune, evaluate and document the shipped extractive summariser (``models/summarizer``).

Run from the repository root::

    .venv/bin/python -m newsnlp.train.summarizer --data-dir ../shared/data --out models/summarizer

Steps:

1. Character-bigram IDF (hashed into 2**15 buckets) from the LCSTS ``train`` posts and the
   CLUENER2020 sentences.
2. For each LCSTS ``train`` post, the features of every sentence (see
   :mod:`newsnlp.summarization.extractive`) and its target: character ROUGE (mean of ROUGE-1 and ROUGE-L F)
   of the sentence against the human summary.
3. A one-hidden-layer MLP trained with a listwise loss (softmax over the sentences of a post
   against a sharpened softmax of the targets), full-batch Adam in torch; the weights are
   saved as numpy arrays, so inference needs no torch.
4. Selection parameters (default budget ratio/min/max, MMR lambda, relevance cut-off,
   title weight) by grid search on a slice of LCSTS ``train`` posts and on the project's
   sample corpus (``benchmarks/data``) together.
5. Evaluation on the held-out LCSTS ``val`` split and the sample corpus against Lead-1,
   Lead-3 and TextRank; ``metrics.json`` and ``MODEL_CARD.md`` are written beside the weights.

ROUGE here is character level with the tokens of :func:`newsnlp.metrics.rouge_tokens` (NFKC,
lower case, punctuation and spaces dropped), F1, mean over articles: the same numbers as the
benchmark report.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from ..article import Article, read_article
# ROUGE exactly as the benchmark report computes it (characters, NFKC, lower case, no punctuation).
from ..metrics import lcs_length, ngram_counts, rouge_from_counts, rouge_tokens
from ..baselines import lead_summary, textrank_summary
from ..summarization.extractive import (
    CLAUSE_FEATURES,
    CONFIG_FILE,
    FEATURES,
    WEIGHTS_FILE,
    ExtractiveSummarizer,
    SentenceScorer,
    char_bigrams,
    clause_spans,
    clean_sentences,
    gram_bucket,
)

N_BUCKETS = 1 << 15
SEED = 13
# Settings for titled news (an archive's posts, wire and TV stories) that no training set here
# can tune: LCSTS has no titles and headline-length targets, xwlb_news has headlines for
# targets. Chosen by grid search on ../shared/data/newsdev once its first score was recorded,
# so newsdev numbers with them are in-sample (docs/summarization.md). Lengths follow the issue's
# editorial rule: a flash is kept whole, a long story gets 80-120 characters.
TITLED_NEWS = {
    "titled_ratio": 0.6, "titled_min": 30, "titled_max": 110, "titled_whole": 120,
    "titled_clause_threshold": None, "titled_min_relevance": 0.0, "titled_fill_trim": 20,
    "lead_with_report": True, "title_weight": 8.0,
}


# --------------------------------------------------------------------------- ROUGE (char level)

def rouge_n(cand: Sequence[str], ref: Sequence[str], n: int) -> float:
    """ROUGE-N F1 between token sequences (the benchmark's own n-gram counting)."""
    c, r = ngram_counts(cand, n), ngram_counts(ref, n)
    return rouge_from_counts(sum((c & r).values()), sum(c.values()), sum(r.values())).fmeasure


def rouge_l(cand: Sequence[str], ref: Sequence[str]) -> float:
    """ROUGE-L F1 (sentence level LCS) between token sequences."""
    return rouge_from_counts(lcs_length(cand, ref), len(cand), len(ref)).fmeasure


def rouge_all(cand: str, ref: str) -> dict[str, float]:
    c, r = rouge_tokens(cand), rouge_tokens(ref)
    return {"rouge1": rouge_n(c, r, 1), "rouge2": rouge_n(c, r, 2), "rougeL": rouge_l(c, r)}


# --------------------------------------------------------------------------- data

def load_lcsts(data_dir: Path) -> dict[str, list[dict]]:
    path = data_dir / "lcsts" / "lcsts.jsonl"
    if not path.is_file():
        sys.exit(f"LCSTS not found at {path}; pass --data-dir pointing at the shared data folder")
    out: dict[str, list[dict]] = {"train": [], "val": []}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out.setdefault(r["split"], []).append(r)
    return out


def load_xwlb(data_dir: Path, *, exclude_dir: Path | None = None) -> dict[str, list[dict]]:
    """The ``xwlb_news`` stories by split (``train``/``dev``; ``test`` is never read).

    Stories whose title or opening also appears in ``newsdev`` (``exclude_dir``) are left out,
    so that the development set stays unseen by training.
    """
    path = data_dir / "xwlb_news" / "xwlb_news.jsonl"
    out: dict[str, list[dict]] = {"train": [], "dev": []}
    if not path.is_file():
        return out
    titles: set[str] = set()
    openings: set[str] = set()
    labels = (exclude_dir or data_dir) / "newsdev" / "labels.jsonl"
    if labels.is_file():
        with open(labels, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    titles.add(r.get("title") or "")
                    openings.add(r["text"][:60])
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] not in out or r["title"] in titles or r["text"][:60] in openings:
                continue
            out[r["split"]].append(r)
    return out


def load_sample(bench_dir: Path) -> list[tuple[Article, str]]:
    labels = bench_dir / "labels.jsonl"
    if not labels.is_file():
        return []
    items = []
    with open(labels, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            if not r.get("summary"):
                continue
            items.append((read_article(bench_dir / r["path"]), r["summary"]))
    return items


def build_idf(texts: Iterable[str]) -> np.ndarray:
    df = np.zeros(N_BUCKETS, dtype=np.float64)
    n = 0
    for t in texts:
        n += 1
        for b in {gram_bucket(g, N_BUCKETS) for g in char_bigrams(t)}:
            df[b] += 1
    return np.log((n + 1) / (df + 1)).astype(np.float16)


# --------------------------------------------------------------------------- training

def _placeholder_arrays(idf: np.ndarray) -> dict[str, np.ndarray]:
    k = len(FEATURES)
    return {"idf": idf, "mean": np.zeros(k), "std": np.ones(k), "W0": np.zeros((k, 1)), "b0": np.zeros(1)}


def sentence_targets(sentences, reference: str) -> np.ndarray:
    ref = rouge_tokens(reference)
    out = []
    for s in sentences:
        c = rouge_tokens(s.text)
        out.append(0.5 * (rouge_n(c, ref, 1) + rouge_l(c, ref)))
    return np.array(out)


def build_examples(scorer: SentenceScorer, records: Sequence[dict]):
    feats, targets, groups = [], [], []
    for r in records:
        sents = clean_sentences(r["text"])
        if len(sents) < 2:
            continue
        f, _, _ = scorer.features(sents, r.get("title"))
        feats.append(f)
        targets.append(sentence_targets(sents, r["summary"]))
        groups.append(len(sents))
    return feats, targets, groups


def train_mlp(feats, targets, *, hidden: int, epochs: int, temperature: float, weight_decay: float, seed: int):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x_all = np.concatenate(feats)
    mean = x_all.mean(axis=0)
    std = x_all.std(axis=0)
    std[std < 1e-6] = 1.0
    mean[FEATURES.index("bias")] = 0.0
    std[FEATURES.index("bias")] = 1.0
    x = torch.tensor((x_all - mean) / std, dtype=torch.float32)
    lens = [len(t) for t in targets]
    group = torch.repeat_interleave(torch.arange(len(lens)), torch.tensor(lens))
    y = torch.tensor(np.concatenate(targets), dtype=torch.float32)

    def group_log_softmax(z):
        zmax = torch.zeros(len(lens)).scatter_reduce_(0, group, z.detach(), "amax", include_self=False)
        e = torch.exp(z - zmax[group])
        denom = torch.zeros(len(lens)).index_add_(0, group, e)
        return z - zmax[group] - torch.log(denom[group])

    with torch.no_grad():
        target = torch.exp(group_log_softmax(y / temperature))
    k = x.shape[1]
    layers = [torch.nn.Linear(k, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)] if hidden else [torch.nn.Linear(k, 1)]
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=weight_decay)
    for _ in range(epochs):
        opt.zero_grad()
        logp = group_log_softmax(net(x)[:, 0])
        loss = -(target * logp).sum() / len(lens)
        loss.backward()
        opt.step()
    loss = loss.detach()
    arrays = {"mean": mean, "std": std}
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for i, lin in enumerate(linears):
        arrays[f"W{i}"] = lin.weight.detach().numpy().T.astype(np.float32)
        arrays[f"b{i}"] = lin.bias.detach().numpy().astype(np.float32)
    return arrays, float(loss)


def lcs_mask(a: Sequence[str], b: Sequence[str]) -> list[bool]:
    """Which tokens of ``a`` one longest common subsequence with ``b`` uses."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = table[i], table[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = nxt[j + 1] + 1 if a[i] == b[j] else max(nxt[j], row[j + 1])
    mask = [False] * n
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            mask[i] = True
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return mask


def build_clause_examples(summ: ExtractiveSummarizer, records: Sequence[dict]):
    """Clause features and targets: the share of a clause's characters that an LCS of its
    sentence with the reference uses."""
    feats, targets = [], []
    for r in records:
        sents = clean_sentences(r["text"])
        if not sents:
            continue
        rel, _, ctx = summ.score(sents, r.get("title"))
        ref = rouge_tokens(r["summary"])
        for s in sents:
            spans = clause_spans(s.text)
            if len(spans) < 2:
                continue
            f = summ._scorer.clause_features(s, spans, float(rel[s.index]), ctx)
            toks, owner = [], []
            for j, (a, b) in enumerate(spans):
                for ch in rouge_tokens(s.text[a:b]):
                    toks.append(ch)
                    owner.append(j)
            mask = lcs_mask(toks, ref)
            hit = np.zeros(len(spans))
            size = np.zeros(len(spans))
            for j, m in zip(owner, mask):
                size[j] += 1
                hit[j] += m
            feats.append(f)
            targets.append(hit / np.maximum(size, 1))
    return np.concatenate(feats), np.concatenate(targets)


def fit_ridge(x: np.ndarray, y: np.ndarray, alpha: float = 1.0) -> dict[str, np.ndarray]:
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-6] = 1.0
    bias = CLAUSE_FEATURES.index("bias")
    mean[bias], std[bias] = 0.0, 1.0
    z = (x - mean) / std
    reg = alpha * np.eye(z.shape[1])
    reg[bias, bias] = 0.0
    w = np.linalg.solve(z.T @ z + reg, z.T @ y)
    return {"CW": w, "cmean": mean, "cstd": std}


# --------------------------------------------------------------------------- evaluation

def evaluate(fn: Callable[[Article], str], items: Sequence[tuple[Article, str]]) -> dict[str, float]:
    totals = Counter()
    length = 0
    for art, ref in items:
        out = fn(art)
        for k, v in rouge_all(out, ref).items():
            totals[k] += v
        length += len(out)
    n = max(1, len(items))
    res = {k: round(100 * totals[k] / n, 2) for k in ("rouge1", "rouge2", "rougeL")}
    res["avg_chars"] = round(length / n, 1)
    return res


def baselines(items) -> dict[str, dict[str, float]]:
    return {
        "lead1": evaluate(lambda a: lead_summary(a.text, 1), items),
        "lead3": evaluate(lambda a: lead_summary(a.text, 3), items),
        "textrank": evaluate(lambda a: textrank_summary(a.text, 120), items),
    }


class _Cached:
    """Per-article cache of sentences, logits and similarities for fast grid search."""

    def __init__(self, summ: ExtractiveSummarizer, items):
        self.items = []
        for art, ref in items:
            sents = clean_sentences(art.text)
            if not sents:
                continue
            feats, sims, ctx = summ._scorer.features(sents, art.title)
            logits = summ._scorer.logits(feats)
            self.items.append((sents, logits, feats, sims, ctx, ref, sum(len(s.text) for s in sents), art.title))
        self.n = len(items)

    def score(self, summ: ExtractiveSummarizer) -> float:
        total = 0.0
        ti, li = FEATURES.index("title_sim"), FEATURES.index("is_first")
        for sents, logits, feats, sims, ctx, ref, n_chars, titled in self.items:
            z = logits + summ.title_weight * feats[:, ti] + summ.lead_weight * feats[:, li]
            rel = np.exp(z - z.max())
            budget = summ.budget_for(n_chars, titled=bool(titled))
            out = summ.select(sents, rel, sims, ctx, budget=budget, max_sentences=None,
                              threshold=summ.clause_threshold, min_relevance=summ.min_relevance)
            total += rouge_l(rouge_tokens(out), rouge_tokens(ref))
        return 100 * total / max(1, self.n)


TUNED = ("budget_ratio", "budget_min", "budget_max", "titled_ratio", "titled_min", "titled_max", "mmr_lambda", "min_relevance", "fill_min",
         "title_weight", "lead_weight", "clause_threshold", "best_clause_first")


def tune(summ: ExtractiveSummarizer, sets: dict[str, _Cached], stages: list[tuple[dict[str, list], tuple[str, ...] | None]],
         start: dict) -> tuple[dict, dict]:
    """Staged grid search maximising the mean ROUGE-L F over the tuning sets.

    Each stage searches the product of its own grid with the best values found so far for
    the other parameters; a stage that names the sets its parameters affect re-scores only
    those.
    """
    best = dict(start)

    def run(params, names):
        for k in TUNED:
            setattr(summ, k, params[k])
        return {name: c.score(summ) for name, c in sets.items() if names is None or name in names}

    parts = run(best, None)
    for grid, names in stages:
        keys = list(grid)
        stage_best, stage_parts = best, parts
        for values in itertools.product(*(grid[k] for k in keys)):
            params = {**best, **dict(zip(keys, values))}
            if params["budget_min"] > params["budget_max"] or params["titled_min"] > params["titled_max"]:
                continue
            trial = {**parts, **run(params, names)}
            if sum(trial.values()) > sum(stage_parts.values()) + 1e-9:
                stage_best, stage_parts = params, trial
        best, parts = stage_best, stage_parts
    return best, {k: round(v, 2) for k, v in parts.items()}


def measure_speed(summ: ExtractiveSummarizer, articles: Sequence[Article]) -> dict:
    """Milliseconds per article for the summariser and for jieba.posseg on the same texts."""
    from ..text.segmentation import get_segmenter

    seg = get_segmenter()
    seg.pos_tag("预热")
    summ(articles[0])
    t = time.perf_counter()
    for a in articles:
        seg.pos_tag(a.text)
    posseg = (time.perf_counter() - t) / len(articles)
    t = time.perf_counter()
    for a in articles:
        summ(a)
    own = (time.perf_counter() - t) / len(articles)
    return {"summarizer_ms": round(1000 * own, 1), "posseg_ms": round(1000 * posseg, 1), "ratio": round(own / posseg, 2)}


def cross_validate_sample(arrays, config, sample, titled_grid) -> dict:
    """2-fold estimate for the parameters tuned on the sample corpus: tune the standfirst
    budget, title and lead weights on one half (by id), score the other half."""
    items = sorted(sample, key=lambda x: x[0].id or "")
    folds = [items[0::2], items[1::2]]
    total, n = 0.0, 0
    chosen = []
    for k in (0, 1):
        summ = ExtractiveSummarizer(arrays, config)
        fit, held = _Cached(summ, folds[k]), _Cached(summ, folds[1 - k])
        start = {key: getattr(summ, key) for key in TUNED}
        stages = [(titled_grid, None), ({"title_weight": [0.0, 1.0, 2.0, 4.0], "lead_weight": [0.0, 0.5, 1.0, 2.0, 4.0]}, None),
                  (titled_grid, None)]
        params, _ = tune(summ, {"fit": fit}, stages, start)
        for key in TUNED:
            setattr(summ, key, params[key])
        total += held.score(summ) * held.n
        n += held.n
        chosen.append({key: params[key] for key in ("titled_ratio", "titled_min", "titled_max", "title_weight", "lead_weight")})
    score = round(total / max(1, n), 2)
    return {"rougeL": score, "fold_params": chosen,
            "note": f"ROUGE-L F {score} on held-out halves (parameters chosen per fold: {chosen})"}


# --------------------------------------------------------------------------- model card

def _table(results: dict[str, dict[str, float]]) -> str:
    names = {"model": "**newsnlp default**", "lead1": "Lead-1", "lead3": "Lead-3", "textrank": "TextRank (120 chars)"}
    rows = ["| summariser | ROUGE-1 F | ROUGE-2 F | ROUGE-L F | mean length (chars) |", "| --- | ---: | ---: | ---: | ---: |"]
    for key in ("model", "lead1", "lead3", "textrank"):
        r = results[key]
        rows.append(f"| {names[key]} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeL']:.2f} | {r['avg_chars']:.1f} |")
    return "\n".join(rows)


def write_card(out: Path, metrics: dict, config: dict, arrays: dict) -> None:
    res = metrics["results"]
    sel = config["selection"]
    size_kb = (out / WEIGHTS_FILE).stat().st_size / 1024
    hidden = arrays["W0"].shape[1] if "W1" in arrays else 0
    sample_part = ""
    xwlb_part = ""
    if "xwlb_dev" in res:
        xwlb_part = f"""
### xwlb_news dev (held out; the headline as target, stories untitled)

Headlines are ~22 characters, so these rows measure which sentences carry a story, not abstract
length. Stories also in newsdev are excluded from training.

{_table(res['xwlb_dev'])}
"""
    cv = metrics.get("sample_cv") or {}
    speed = metrics.get("speed_sample") or {}
    if "sample" in res:
        best_baseline = max(res["sample"][k]["rougeL"] for k in ("lead1", "lead3", "textrank"))
        cv_score = cv.get("rougeL")
        if cv_score is None:
            cv_verdict = ""
        elif cv_score > best_baseline:
            cv_verdict = f", still ahead of the best baseline ({best_baseline:.2f})"
        else:
            cv_verdict = f", not ahead of the best baseline ({best_baseline:.2f})"
        sample_part = f"""
### Sample corpus (`benchmarks/data`, {metrics['data']['sample']} articles written for the project, `summary` field)

{_table(res['sample'])}

The sample corpus is also where the standfirst budget (`titled_*`), the title weight and the lead
weight were tuned (there is no other set of titled articles with summaries), so the row above is
in-sample for those five parameters. A 2-fold estimate re-tunes them on one half of the corpus
(by id) and scores the other half, the other selection parameters (MMR λ, relevance cut-off, fill
minimum, clause threshold: tuned on the mean of both sets) held fixed: **ROUGE-L F {cv.get('rougeL', 'n/a')}**
on the held-out halves (per-fold choices in `metrics.json`){cv_verdict}.
"""
    card = f"""# Extractive summariser (`models/summarizer`)

The default summariser of `newsnlp.summarize()` / `Analyzer.summarize()`. It picks sentences
(and, within a sentence, clauses) of the article; it never writes new text.

## What it is

* **Sentence scorer**: an MLP ({len(FEATURES)} features → {hidden or 'no'} tanh hidden units → 1), trained
  with a listwise loss: a softmax over the sentences of a post against a sharpened softmax
  (temperature {metrics['training']['temperature']}) of each sentence's character ROUGE
  (mean of ROUGE-1 and ROUGE-L F) with the human summary.
* **Clause scorer**: ridge regression ({len(CLAUSE_FEATURES)} features) predicting the share of a clause's
  characters that a longest common subsequence of its sentence with the human summary uses.
* **Features**: position, paragraph, length, TextRank and TF-IDF centrality over character
  bigrams (IDF hashed into {N_BUCKETS} buckets), similarity to the title, figures and
  percentages, quotations, speech verbs, news cue words, organisation suffixes, whether a
  dateline was cut; for clauses also "only a date/time", attribution ("…表示"), connectives.
* **Selection**: MMR (λ = {sel['mmr_lambda']}) into a character budget, sentences back in
  document order. Default budget `clamp(ratio × prose length, min, max)`: untitled posts
  (headline-sized) ratio {sel['budget_ratio']}, min {sel['budget_min']}, max {min(sel['budget_max'], 120)};
  titled articles (standfirst) ratio {sel['titled_ratio']}, min {sel['titled_min']}, max {min(sel['titled_max'], 120)}.
  Why two: a post without a title (a Weibo post, a wire flash) needs its summary to act as the
  headline, while for an article with a headline the summary is the standfirst that says more. The
  two sets show it: LCSTS references are ~18 characters for ~108-character posts, the sample
  corpus's ~50 for flash items of the same length.
  With the default budget, clauses scoring below {sel['clause_threshold']} are dropped (best clause kept
  first when the opening one scores below that: {sel.get('best_clause_first', False)}); a sentence
  longer than the budget is cut at clause boundaries (，；： outside quotes/brackets), and a single
  over-long clause at a jieba word boundary with "…". Title weight {sel['title_weight']}, lead weight
  {sel['lead_weight']} are added to the sentence logits (LCSTS has no titles and only short posts, so
  the scorer cannot learn them).
  Titled news (issue 14; set in `TITLED_NEWS` of the training script, chosen on newsdev, so
  in-sample there): a text of at most {sel.get('titled_whole', 0)} characters is kept whole (a flash stays
  one sentence), clause threshold {sel.get('titled_clause_threshold')}, relevance cut-off
  {sel.get('titled_min_relevance')}, a later sentence trimmed at clauses to fill the budget when at
  least {sel.get('titled_fill_trim')} characters are left, and (lead_with_report={sel.get('lead_with_report')}) an
  article of 8+ sentences never takes a remark ("习近平总书记强调，…") into its summary.
* **Boilerplate**: datelines (本报讯（记者…）, 新华社杭州3月5日电, 【快讯】…) are cut from the sentence
  that opens a paragraph; credit lines, photo credits and captions are dropped before scoring;
  stock codes (（600028）, (01548.HK)), bracketed source tags ((中证网), （财联社）), column tags
  (【新思想引领新征程】), "记者从…获悉，" / "据…报道，" openings and repeated paragraphs are removed
  from every sentence.

Inference needs numpy only. Files: `config.json` (settings), `weights.npz` ({size_kb:.0f} KiB, no pickle),
`metrics.json` (every number below). Speed on one CPU core: {metrics['ms_per_article_lcsts']:.1f} ms per LCSTS post;
{speed.get('summarizer_ms', 'n/a')} ms per sample-corpus article, against {speed.get('posseg_ms', 'n/a')} ms for `jieba.posseg` on the same text
(ratio {speed.get('ratio', 'n/a')}).

## Data and terms

* Sentence scorer also trained on {metrics['data'].get('xwlb_train_stories', 0)} `xwlb_news` `train` stories (state-TV
  evening news, research use; target: overlap with the headline; stories that also appear in
  newsdev left out); `dev` is held out below, `test` never read.
* Trained on the LCSTS 10k subset (CLUE CLGE) `train` split: {metrics['data']['lcsts_train']} Weibo posts of
  news outlets with one-line human summaries. **Research use only** (no licence in the source
  repository; cite Hu et al., 2015, "LCSTS: A Large Scale Chinese Short Text Summarization Dataset").
  Only derived weights and hashed bigram IDF statistics are shipped; no text.
* IDF also counts the CLUENER2020 sentences (research use).
* Selection parameters tuned on {metrics['data']['tune_posts']} LCSTS `train` posts and on the sample corpus.
* The LCSTS `val` split ({metrics['data']['lcsts_val']} posts) is held out: never trained or tuned on.

## Metrics

ROUGE is character level (`newsnlp.metrics.rouge_tokens`: NFKC, lower case, punctuation dropped),
F1 × 100, averaged over articles, as in `docs/benchmarks.md`. Every system is called with its default arguments; TextRank is
`newsnlp.baselines.textrank_summary(text, max_chars=120)`, Lead-N `newsnlp.baselines.lead_summary(text, N)`
on the article text as read (datelines included, as a naive baseline would).

### LCSTS val (held out)

{_table(res['lcsts_val'])}
{xwlb_part}{sample_part}
## Rebuild

```
{metrics['command']}
```

Deterministic (fixed seeds, single thread); about {metrics['train_seconds'] / 60:.0f} minutes on one CPU core.
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")


# --------------------------------------------------------------------------- main

def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    ap.add_argument("--bench-dir", type=Path, default=Path("benchmarks/data"), help="sample corpus (labels.jsonl + posts/)")
    ap.add_argument("--out", type=Path, default=Path("models/summarizer"))
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=400)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--tune-posts", type=int, default=1500, help="LCSTS train posts used to tune selection")
    ap.add_argument("--xwlb-stories", type=int, default=5000, help="xwlb_news train stories added to sentence training")
    ap.add_argument("--quick", action="store_true", help="small grid (for a fast check)")
    ap.add_argument("--card-only", action="store_true", help="rewrite MODEL_CARD.md from the files in --out")
    args = ap.parse_args(argv)
    if args.card_only:
        metrics = json.loads((args.out / "metrics.json").read_text(encoding="utf-8"))
        config = json.loads((args.out / CONFIG_FILE).read_text(encoding="utf-8"))
        with np.load(args.out / WEIGHTS_FILE, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        write_card(args.out, metrics, config, arrays)
        print(f"wrote {args.out / 'MODEL_CARD.md'}")
        return 0
    t0 = time.time()
    random.seed(SEED)
    np.random.seed(SEED)

    lcsts = load_lcsts(args.data_dir)
    train, val = lcsts["train"], lcsts["val"]
    sample = load_sample(args.bench_dir)
    print(f"LCSTS train {len(train)}, val {len(val)}; sample corpus {len(sample)} articles", flush=True)

    idf_texts = [r["text"] for r in train]
    cluener = args.data_dir / "cluener2020" / "cluener2020.jsonl"
    if cluener.is_file():
        with open(cluener, encoding="utf-8") as fh:
            idf_texts += [json.loads(line)["text"] for line in fh]
    idf = build_idf(idf_texts)
    print(f"IDF from {len(idf_texts)} texts", flush=True)

    config = {"features": list(FEATURES), "selection": {}}
    scorer = SentenceScorer(_placeholder_arrays(idf), config)
    feats, targets, groups = build_examples(scorer, train)
    print(f"{len(feats)} training posts, {sum(groups)} sentences ({time.time() - t0:.0f}s)", flush=True)
    # Long stories teach what LCSTS cannot: which sentence of a 500-5,000-character story
    # carries it. The target is overlap with the story's headline (a weak, headline-style
    # target, good for ranking sentences, not for length); titles are withheld because most
    # equal the headline.
    xwlb = load_xwlb(args.data_dir)
    xwlb_train = random.Random(SEED).sample(xwlb["train"], min(args.xwlb_stories, len(xwlb["train"])))
    xwlb_train = [{"text": r["text"], "summary": r["summary"]} for r in xwlb_train]
    xf, xt, xg = build_examples(scorer, xwlb_train)
    feats, targets, groups = feats + xf, targets + xt, groups + xg
    print(f"+ {len(xf)} xwlb_news train stories, {sum(xg)} sentences ({time.time() - t0:.0f}s)", flush=True)
    arrays, loss = train_mlp(
        feats, targets, hidden=args.hidden, epochs=args.epochs, temperature=args.temperature, weight_decay=1e-4, seed=SEED
    )
    arrays["idf"] = idf
    print(f"trained: listwise loss {loss:.4f} ({time.time() - t0:.0f}s)", flush=True)

    summ = ExtractiveSummarizer(arrays, config)
    clause_x, clause_y = build_clause_examples(summ, train)
    arrays.update(fit_ridge(clause_x, clause_y))
    print(f"clause model: {len(clause_y)} clauses, mean target {clause_y.mean():.3f} ({time.time() - t0:.0f}s)", flush=True)
    summ = ExtractiveSummarizer(arrays, config)

    rng = random.Random(SEED)
    tune_posts = rng.sample(train, min(args.tune_posts, len(train)))
    tune_sets = {"lcsts_train_slice": _Cached(summ, [(Article(text=r["text"]), r["summary"]) for r in tune_posts])}
    if sample:
        tune_sets["sample"] = _Cached(summ, sample)
    start = {"budget_ratio": 0.3, "budget_min": 24, "budget_max": 120, "titled_ratio": 0.3, "titled_min": 50,
             "titled_max": 100, "mmr_lambda": 0.8, "min_relevance": 0.0, "fill_min": 12, "title_weight": 0.0,
             "lead_weight": 0.0, "clause_threshold": None, "best_clause_first": False}
    lc, sm = ("lcsts_train_slice",), ("sample",)
    untitled = {"budget_ratio": [0.2, 0.25, 0.3, 0.35, 0.4, 0.5], "budget_min": [16, 20, 24, 28, 32, 36, 40, 45]}
    titled = {"titled_ratio": [0.1, 0.2, 0.3, 0.4, 0.6], "titled_min": [30, 40, 50, 60, 70, 80],
              "titled_max": [70, 80, 90, 100, 110, 120]}
    scoring = {"title_weight": [0.0, 1.0, 2.0, 4.0], "lead_weight": [0.0, 0.5, 1.0, 2.0, 4.0],
               "clause_threshold": [None, 0.02, 0.05, 0.08, 0.1, 0.15]}
    # Short posts want the one clause that carries the news (issue 14): keep the best clause
    # rather than the first when the first scores below the threshold.
    clause_first = {"clause_threshold": [0.05, 0.08, 0.12, 0.16, 0.2, 0.25], "best_clause_first": [False, True]}
    if args.quick:
        stages = [({"budget_ratio": [0.3, 0.4], "budget_min": [30, 40]}, lc),
                  ({"titled_min": [50, 70]}, sm),
                  ({"lead_weight": [0.0, 2.0], "clause_threshold": [None, 0.05]}, None)]
    else:
        stages = [
            (untitled, lc),
            (titled, sm),
            (scoring, None),
            ({"mmr_lambda": [0.6, 0.8, 1.0], "min_relevance": [0.0, 0.2, 0.4], "fill_min": [8, 12, 20, 40, 1000]}, None),
            (untitled, lc),
            (titled, sm),
            (scoring, None),
            # LCSTS only: titled articles use their own clause settings (TITLED_NEWS), so the
            # sample corpus has no say here.
            (clause_first, lc),
            (untitled, lc),
        ]
    params, parts = tune(summ, tune_sets, stages, start)
    print(f"tuned selection {params} -> ROUGE-L {parts} ({time.time() - t0:.0f}s)", flush=True)
    config["selection"] = {k: params[k] for k in TUNED}
    config["selection"].update(TITLED_NEWS)
    summ = ExtractiveSummarizer(arrays, config)

    sample_cv = None
    if len(sample) >= 10 and not args.quick:
        sample_cv = cross_validate_sample(arrays, config, sample, titled)
        print(f"sample 2-fold: {sample_cv}", flush=True)

    val_items = [(Article(text=r["text"]), r["summary"]) for r in val]
    started = time.perf_counter()
    results = {"lcsts_val": {"model": evaluate(summ, val_items), **baselines(val_items)}}
    per_article_ms = 1000 * (time.perf_counter() - started) / max(1, len(val_items))
    if sample:
        results["sample"] = {"model": evaluate(summ, sample), **baselines(sample)}
    if xwlb["dev"]:
        # Untitled (the title is the headline being scored against), so the headline budget.
        dev_items = [(Article(text=r["text"]), r["summary"]) for r in xwlb["dev"]]
        results["xwlb_dev"] = {"model": evaluate(summ, dev_items), **baselines(dev_items)}
    for name, res in results.items():
        print(name, json.dumps(res, ensure_ascii=False), flush=True)
    speed = measure_speed(summ, [a for a, _ in sample]) if sample else None

    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out / WEIGHTS_FILE,
        **{k: (v.astype(np.float16) if k == "idf" else np.asarray(v, dtype=np.float32)) for k, v in arrays.items()},
    )
    (args.out / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    metrics = {
        "rouge": "character level F1 x100 (newsnlp.metrics.rouge_tokens: NFKC, lower case, punctuation dropped), mean over articles",
        "command": "python -m newsnlp.train.summarizer --data-dir ../shared/data --out models/summarizer",
        "data": {"lcsts_train": len(train), "lcsts_val": len(val), "sample": len(sample), "tune_posts": len(tune_posts),
                 "xwlb_train_stories": len(xf), "xwlb_dev": len(xwlb["dev"])},
        "titled_news": TITLED_NEWS,
        "tuning": {"params": params, "rougeL_on_tuning_sets": parts},
        "results": results,
        "baseline_settings": {"lead1": "first sentence", "lead3": "first three sentences",
                              "textrank": "newsnlp.baselines.textrank_summary(text, max_chars=120)"},
        "training": {"hidden": args.hidden, "epochs": args.epochs, "temperature": args.temperature,
                     "final_listwise_loss": round(loss, 4)},
        "ms_per_article_lcsts": round(per_article_ms, 2),
        "sample_cv": sample_cv,
        "speed_sample": speed,
        "python": platform.python_version(),
        "train_seconds": round(time.time() - t0, 1),
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_card(args.out, metrics, config, arrays)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
