"""Score any summariser or entity model on a labelled set, beside the baselines: ``newsnlp evaluate``.

``newsnlp.evaluate(data, summary_models=[...], ner_models=[...])`` reads a set in the newsdev
format (docs/evaluate.md), runs every model and the baselines on the same records, and returns an
:class:`EvaluationReport` with the scores of docs/benchmarks.md and a paired bootstrap interval
for each model's difference to the best baseline. Nothing here loads a model at import.
"""

from __future__ import annotations

from .bootstrap import Interval, paired_bootstrap
from .data import DataError, Record, load_records
from .run import EvaluationReport, SystemScore, TaskResult, evaluate
from .systems import ModelSpecError

__all__ = ["DataError", "EvaluationReport", "Interval", "ModelSpecError", "Record", "SystemScore", "TaskResult",
           "evaluate", "load_records", "paired_bootstrap"]
