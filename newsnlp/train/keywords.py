"""Fit the keyword score's coefficients on the tuning halves of TNEWS and CSL.

Run from the repository root (after ``python -m newsnlp.train.idf``)::

    .venv/bin/python -m newsnlp.train.keywords --data-dir ../shared/data --out models/idf

Every candidate the extractor generates for a tuning article is one example; its label is
whether the article's gold keywords contain it (exact match after normalisation). A logistic
regression (L2, Newton steps, numpy) fits the coefficients of :class:`KeywordWeights`; each
corpus gets the same total weight so CSL's long abstracts do not drown TNEWS's headlines.
Then the cut-offs (``min_relative_score`` on CSL, ``headline_min_relative_score`` on TNEWS) are
chosen by grid search for the best F1@5 on the tuning halves (``nest_min_count`` is fixed at 2). The report halves are never read here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _gold_keys(gold):
    from newsnlp.keywords.candidates import norm_key

    from benchmarks.keywords_eval import eval_key  # the same normalisation as the metric

    return {norm_key(eval_key(g)) for g in gold}


def keyphraseness_counts(kx, items) -> dict[str, tuple[int, int]]:
    """For each candidate key: (articles it was a candidate in, articles where it was gold)."""
    table: dict[str, list[int]] = {}
    for article, gold in items:
        gold_keys = _gold_keys(gold)
        for key in kx.analyse(article).cands:
            row = table.setdefault(key, [0, 0])
            row[0] += 1
            row[1] += key in gold_keys
    return {k: (a, h) for k, (a, h) in table.items()}


def _examples(kx, items):
    from newsnlp.keywords.scoring import FEATURES

    rows, labels = [], []
    for article, gold in items:
        gold_keys = _gold_keys(gold)
        doc = kx.analyse(article)
        for c in doc.cands.values():
            f = kx.features(c, doc)
            rows.append([f.get(name, 0.0) for name in FEATURES])
            labels.append(1.0 if c.key in gold_keys else 0.0)
    return rows, labels


def fit_logistic(x, y, sample_weight, *, l2: float = 1.0, iterations: int = 25):
    """Weighted L2 logistic regression by Newton's method; returns the coefficient vector."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    sw = np.asarray(sample_weight, dtype=float)
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2)
    reg[0] = 1e-6  # do not shrink the bias
    for _ in range(iterations):
        z = x @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = x.T @ (sw * (p - y)) + reg * w
        h = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--out", default="models/idf", help="folder of the IDF table; keyword_weights.json goes there")
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path.cwd()))
    import numpy as np

    from benchmarks.keywords_eval import evaluate, load_set
    from newsnlp.keywords.idf import DEFAULT_FILE, IDFTable
    from newsnlp.keywords.extractor import KEYPHRASENESS_FILE, WEIGHTS_FILE, KeywordExtractor
    from newsnlp.keywords.scoring import FEATURES, KeywordWeights, save_keyphraseness

    table = IDFTable.load(Path(args.out) / DEFAULT_FILE)
    sets = {name: load_set(name, args.data_dir, "tune") for name in ("tnews", "csl")}
    base = KeywordExtractor(table)
    # Keyphraseness is cross-fitted: the examples of one half of the tuning articles see the
    # counts of the other half only, so the fit learns how much an unseen article can trust it.
    folds = {name: [items[0::2], items[1::2]] for name, items in sets.items()}
    fold_counts = [keyphraseness_counts(base, [x for name in sets for x in folds[name][f]]) for f in (0, 1)]
    xs, ys, ws = [], [], []
    for name in sets:
        n_rows = 0
        n_pos = 0
        for f in (0, 1):
            kx_f = KeywordExtractor(table, keyphraseness=fold_counts[1 - f])
            rows, labels = _examples(kx_f, folds[name][f])
            xs += rows
            ys += labels
            n_rows += len(rows)
            n_pos += int(sum(labels))
        ws += [1.0 / n_rows] * n_rows
        print(f"{name}: {len(sets[name])} articles, {n_rows} candidates, {n_pos} positive")
    ws = np.asarray(ws) * len(ws) / len(sets)
    coef = fit_logistic(xs, ys, ws, l2=args.l2)
    full_counts = keyphraseness_counts(base, [x for items in sets.values() for x in items])
    # Keep what carries information: candidates seen in 2+ tuning articles or picked at least once.
    kp_table = {k: v for k, v in full_counts.items() if v[0] >= 2 or v[1] >= 1}
    kp_path = save_keyphraseness(kp_table, Path(args.out) / KEYPHRASENESS_FILE, note="TNEWS+CSL tuning halves")
    print(f"wrote {kp_path}: {len(kp_table)} candidates")
    coef_map = {name: float(v) for name, v in zip(FEATURES, coef)}
    for name, v in coef_map.items():
        print(f"  {name:16s} {v:+.3f}")

    from newsnlp.baselines import jieba_tfidf_keywords
    from benchmarks.keywords_eval import plain_text

    jieba_f1 = {name: evaluate(lambda a: jieba_tfidf_keywords(plain_text(a), 5), items)["f1@5"]
                for name, items in sets.items()}
    print("  jieba TF-IDF: " + " ".join(f"{k}={v:.2f}" for k, v in jieba_f1.items()))
    # Headlines (TNEWS) and articles (CSL) have separate cut-offs; each is chosen on its own set.
    # The requirement is a margin over jieba on every set, so report the ratio too.
    chosen: dict[str, tuple[float, int, float]] = {}
    # nest_min_count stays 2: "the merged phrase recurs" is the rule users read in the docs
    # (a cut at 3 scored about 0.7 F1 higher on CSL but keeps 劳动者 beside 新就业形态劳动者).
    for nest_min_count in (2,):
        for ratio in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            weights = KeywordWeights(coef=coef_map, min_relative_score=ratio, headline_min_relative_score=ratio,
                                     nest_min_count=nest_min_count)
            # Cross-fitted again: each half is scored with the other half's keyphraseness.
            fold_kx = [KeywordExtractor(table, weights=weights, keyphraseness=fold_counts[1 - f]) for f in (0, 1)]
            f1s = {}
            for name in sets:
                total = 0.0
                for f in (0, 1):
                    kx = fold_kx[f]
                    part = folds[name][f]
                    total += evaluate(lambda a: [k.text for k in kx.extract(a, top_k=5)], part)["f1@5"] * len(part)
                f1s[name] = total / len(sets[name])
            print(f"  nest_min_count={nest_min_count:2d} min_relative_score={ratio:.2f}: "
                  + " ".join(f"{k}={v:.2f} ({v / jieba_f1[k]:.3f}x)" for k, v in f1s.items()))
            for name, v in f1s.items():
                if name not in chosen or v > chosen[name][0]:
                    chosen[name] = (v, nest_min_count, ratio)
    nest_min_count = chosen["csl"][1]  # nesting only matters in articles (headlines rarely repeat)
    weights = KeywordWeights(coef=coef_map, min_relative_score=chosen["csl"][2],
                             headline_min_relative_score=chosen["tnews"][2], nest_min_count=nest_min_count)
    f1s = {name: v[0] for name, v in chosen.items()}
    out = weights.save(Path(args.out) / WEIGHTS_FILE,
                       tuned_on="TNEWS and CSL tuning halves (newsnlp.train.idf.split_part)",
                       tune_f1_at_5={k: round(v, 2) for k, v in f1s.items()})
    print(f"wrote {out}: min_relative_score={weights.min_relative_score} "
          f"headline_min_relative_score={weights.headline_min_relative_score} nest_min_count={weights.nest_min_count} "
          + " ".join(f"{k}={v:.2f}" for k, v in f1s.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
