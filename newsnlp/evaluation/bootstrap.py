"""Paired bootstrap confidence intervals for the difference of two systems on the same records.

Records are resampled with replacement, the *same* resample for both systems (that is what makes
it paired), and the reported statistic is recomputed on each resample exactly as it is reported:
a mean of per-record scores (ROUGE, keyword F1@k) or a micro F1 from summed counts (entity lists
and spans). The interval is the percentile interval of the differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from .._util import check_positive_int

Statistic = Literal["mean", "micro_f1"]


@dataclass(frozen=True)
class Interval:
    """``difference`` (system minus reference) with its ``low`` / ``high`` bounds at ``level``."""

    difference: float
    low: float
    high: float
    level: float
    n_records: int

    def to_dict(self) -> dict[str, float]:
        return {"difference": self.difference, "low": self.low, "high": self.high, "level": self.level,
                "n_records": self.n_records}

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def _statistic(columns, kind: Statistic, np):
    if kind == "mean":
        return columns[0].mean(axis=-1)
    tp, pred, gold = (c.sum(axis=-1) for c in columns)
    precision = np.divide(tp, pred, out=np.zeros_like(tp, dtype=float), where=pred > 0)
    recall = np.divide(tp, gold, out=np.zeros_like(tp, dtype=float), where=gold > 0)
    total = precision + recall
    return np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0)


def paired_bootstrap(
    system: Sequence[Sequence[float]],
    reference: Sequence[Sequence[float]],
    *,
    kind: Statistic,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> Interval:
    """The difference ``statistic(system) - statistic(reference)`` and its bootstrap interval.

    Args:
        system, reference: one row per record, in the same record order: ``(score,)`` for
            ``kind="mean"``, ``(tp, predicted, gold)`` for ``kind="micro_f1"``.
        kind: how a resample's statistic is computed.
        n_resamples: bootstrap resamples.
        seed: seeds the resampling; the same seed gives the same interval.
        level: coverage of the percentile interval.

    Raises:
        ValueError: no records, different lengths, or a bad level / count.

    Example:
        >>> iv = paired_bootstrap([[1.0], [1.0], [0.0]], [[0.0], [1.0], [0.0]], kind="mean", seed=1)
        >>> round(iv.difference, 4), 0.0 <= iv.low <= iv.high <= 1.0
        (0.3333, True)
    """
    import numpy as np

    if len(system) != len(reference):
        raise ValueError(f"paired_bootstrap() needs the same records for both systems, got {len(system)} and {len(reference)}")
    if not len(system):
        raise ValueError("paired_bootstrap() got no records")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    check_positive_int("n_resamples", n_resamples)
    a = np.asarray(system, dtype=float)
    b = np.asarray(reference, dtype=float)
    cols_a = [a[:, j] for j in range(a.shape[1])]
    cols_b = [b[:, j] for j in range(b.shape[1])]
    point = float(_statistic(cols_a, kind, np) - _statistic(cols_b, kind, np))
    rng = np.random.default_rng(seed)
    n = len(a)
    diffs = np.empty(n_resamples)
    for start in range(0, n_resamples, 200):  # chunks bound the memory of (resamples x records) indices
        idx = rng.integers(0, n, size=(min(200, n_resamples - start), n))
        diffs[start:start + len(idx)] = (_statistic([c[idx] for c in cols_a], kind, np)
                                         - _statistic([c[idx] for c in cols_b], kind, np))
    tail = (1 - level) / 2
    low, high = np.quantile(diffs, [tail, 1 - tail])
    return Interval(point, float(low), float(high), level, n)
