"""``newsnlp.evaluate``: score models and baselines side by side on one labelled set."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, Sequence

from .._util import check_positive_int
from .bootstrap import Interval, paired_bootstrap
from .data import LIST_FIELDS, DataError, Record, load_records
from .scoring import (
    K,
    LABEL_MAPS,
    ListRules,
    aggregate_counts,
    aggregate_keywords,
    aggregate_rouge,
    aggregate_spans,
    choose_label_map,
    gold_spans,
    keyword_stats,
    list_stats,
    mapped_spans,
    rouge_stats,
    span_stats,
)
from .systems import System, default_device, keyword_systems, ner_baselines, ner_system, summary_baselines, summary_system

Stats = dict[str, Any]


@dataclass
class SystemScore:
    """One system's scores on one task; ``failures`` are ``"line 7: TypeError: ..."`` strings."""

    system: str
    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    n_scored: int = 0
    failures: list[str] = field(default_factory=list)
    intervals: dict[str, dict[str, Any]] = field(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "kind": self.kind, "values": self.values, "n_scored": self.n_scored,
                "failures": self.failures, "intervals": self.intervals, "note": self.note}


@dataclass
class TaskResult:
    """One table: the systems' scores on one task, with what the columns are."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    ci_metrics: list[str]
    n_records: int
    rows: list[SystemScore] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "columns": [list(c) for c in self.columns],
                "ci_metrics": self.ci_metrics, "n_records": self.n_records, "rows": [r.to_dict() for r in self.rows],
                "notes": self.notes}


@dataclass
class EvaluationReport:
    """What :func:`evaluate` returns: one :class:`TaskResult` per task the set has labels for."""

    data: str
    n_records: int
    seed: int
    n_resamples: int
    level: float
    tasks: list[TaskResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"data": self.data, "n_records": self.n_records, "seed": self.seed, "n_resamples": self.n_resamples,
                "level": self.level, "tasks": [t.to_dict() for t in self.tasks], "notes": self.notes}

    def task(self, key: str) -> TaskResult:
        """The task with this key (``summary``, ``keywords``, ``entity-lists``, ``entity-spans``)."""
        for t in self.tasks:
            if t.key == key:
                return t
        raise KeyError(f"no task {key!r} in this report; it has {', '.join(t.key for t in self.tasks) or 'none'}")

    def to_text(self) -> str:
        from .report import render_text

        return render_text(self)

    def write_markdown(self, path) -> list:
        from .report import write_markdown

        return write_markdown(self, path)


@dataclass
class _Metric:
    key: str
    kind: Literal["mean", "micro_f1"]
    row: Callable[[Stats], Sequence[float] | None]


@dataclass
class _Task:
    key: str
    title: str
    stage: str
    columns: list[tuple[str, str]]
    indices: list[int]
    stats: Callable[[Record, Any], Stats | None]
    aggregate: Callable[[list[Stats]], dict[str, Any]]
    metrics: list[_Metric]
    notes: list[str]


class _Failure:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _where_list(records: Sequence[Record], indices: Iterable[int], limit: int = 8) -> str:
    places = [records[i].where for i in indices]
    shown = ", ".join(places[:limit])
    return shown + (f" and {len(places) - limit} more" if len(places) > limit else "")


def _labelled(records: Sequence[Record], name: str) -> tuple[list[int], list[int]]:
    have = [i for i, r in enumerate(records) if name in r.labels]
    return have, [i for i, r in enumerate(records) if name not in r.labels]


def _missing_note(task: str, fieldname: str, records, have, missing) -> list[str]:
    if not have or not missing:
        return []
    return [f"{task}: {len(missing)} record(s) have no {fieldname!r} and are not scored for it: "
            f"{_where_list(records, missing)}"]


def _plan_tasks(records: Sequence[Record], *, list_rules: ListRules, label_map: str | None) -> list[_Task]:
    tasks: list[_Task] = []
    have, missing = _labelled(records, "summary")
    if have:
        tasks.append(_Task(
            "summary", "Summaries: character ROUGE", "summary",
            [("rouge1_f", "R-1 F"), ("rouge2_f", "R-2 F"), ("rougeL_f", "R-L F"), ("chars", "mean chars")], have,
            lambda r, out: rouge_stats(_as_str(out), r.labels["summary"]), aggregate_rouge,
            [_Metric(k, "mean", lambda s, k=k: (s[k],)) for k in ("rouge1_f", "rouge2_f", "rougeL_f")],
            _missing_note("summary", "summary", records, have, missing),
        ))
    have, missing = _labelled(records, "keywords")
    if have:
        tasks.append(_Task(
            "keywords", f"Keywords and tags: P/R/F1@{K}", "keywords",
            [("p", f"P@{K}"), ("r", f"R@{K}"), ("f1", f"F1@{K}"), ("n", "mean returned")], have,
            lambda r, out: keyword_stats(list(out), r.labels["keywords"], K), aggregate_keywords,
            [_Metric("f1", "mean", lambda s: (s["f1"],))],
            _missing_note("keywords", "keywords", records, have, missing),
        ))
    fields = [f for f in LIST_FIELDS if any(f in r.labels for r in records)]
    have = [i for i, r in enumerate(records) if any(f in r.labels for f in fields)]
    if fields:
        notes = []
        for f in fields:
            notes += _missing_note("entity lists", f, records, [i for i in have if f in records[i].labels],
                                   [i for i in have if f not in records[i].labels])
        rule_note = ("names NFKC-normalised and case-folded, quotation marks and 《》 ignored, a gold short form (市政府) "
                     "also matching a prediction that resolves it to a place (宁波市政府), officials by name"
                     if list_rules == "newsdev" else
                     "normalised full names, officials as (name, title) pairs, programmes ignoring quotation marks and 《》")
        notes.append(f"Entity lists: micro P/R/F1 over records; {rule_note} (rules={list_rules!r}).")

        def list_task_stats(r: Record, out: Any, fields=fields) -> Stats:
            lists = out["lists"]
            if lists is None:
                raise ValueError("the system returned no entity lists")
            return {f: list_stats(lists.get(f) or [], r.labels[f], field=f, rules=list_rules)
                    for f in fields if f in r.labels}

        def list_aggregate(stats: list[Stats], fields=fields) -> dict[str, Any]:
            values: dict[str, Any] = {}
            for f in fields:
                per = [s[f] for s in stats if f in s]
                if per:
                    prf = aggregate_counts(per)
                    values[f], values[f"{f}_p"], values[f"{f}_r"] = prf.f1, prf.precision, prf.recall
            return values

        tasks.append(_Task(
            "entity-lists", "Entities: entity lists (F1)", "entities", [(f, f"{f} F1") for f in fields], have,
            list_task_stats, list_aggregate,
            [_Metric(f, "micro_f1", lambda s, f=f: (s[f]["tp"], s[f]["pred"], s[f]["gold"]) if f in s else None)
             for f in fields], notes,
        ))
    have, missing = _labelled(records, "entities")
    if have:
        gold_labels = sorted({e["type"] for i in have for e in records[i].labels["entities"]})
        scheme = label_map or choose_label_map(gold_labels)
        if scheme not in LABEL_MAPS:
            raise DataError(f"unknown label map {scheme!r}; choose one of {', '.join(LABEL_MAPS)}")
        mapping = LABEL_MAPS[scheme]
        producible = set(mapping.values())
        labels = [lb for lb in gold_labels if lb in producible]
        notes = _missing_note("entity spans", "entities", records, have, missing)
        ignored = [lb for lb in gold_labels if lb not in producible]
        if ignored:
            notes.append(f"Entity spans: gold labels no newsnlp label maps to are not scored: {', '.join(ignored)}.")
        if not labels:
            notes.append(f"Entity spans: none of the gold labels ({', '.join(gold_labels)}) can be predicted with the "
                         f"{scheme!r} label map; not scored.")
        else:
            merge_org = scheme == "cluener" and len(set(labels) & {"organization", "government", "company"}) > 1
            names = [*labels, *(["ORG*"] if merge_org else []), "micro"]
            notes.append(f"Entity spans: exact (start, end, label) matches, micro-averaged; newsnlp labels mapped with the "
                         f"{scheme!r} map (PERSON/ORG/TITLE/LOC and ORG subtypes onto the set's labels)"
                         + ("; ORG* merges the three CLUENER organisation labels" if merge_org else "") + ".")

            def span_task_stats(r: Record, out: Any, labels=labels, mapping=mapping, merge_org=merge_org) -> Stats:
                spans = out["spans"]
                if spans is None:
                    raise ValueError("the system returned entity lists, not spans with offsets")
                return span_stats(gold_spans(r.labels["entities"], labels), mapped_spans(spans, mapping), labels,
                                  merge_org=merge_org)

            tasks.append(_Task(
                "entity-spans", "Entities: exact-span F1 per label", "entities", [(n, f"{n} F1") for n in names], have,
                span_task_stats, lambda stats, names=names: aggregate_spans(stats, names),
                [_Metric(n, "micro_f1", lambda s, n=n: (s[f"{n}_tp"], s[f"{n}_pred"], s[f"{n}_gold"])) for n in names],
                notes,
            ))
    return tasks


def _as_str(out: Any) -> str:
    if not isinstance(out, str):
        raise TypeError(f"a summariser must return a str, got {type(out).__name__}")
    return out


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def evaluate(
    data: Any,
    *,
    summary_models: Sequence[str] = ("default",),
    ner_models: Sequence[str] = ("default",),
    keywords: bool = True,
    data_dir: Any = None,
    limit: int | None = None,
    seed: int = 0,
    n_resamples: int = 1000,
    level: float = 0.95,
    list_rules: ListRules = "newsdev",
    label_map: str | None = None,
    device: str | None = None,
    progress: bool = False,
) -> EvaluationReport:
    """Score models beside the baselines on a labelled set, with paired bootstrap intervals.

    Every task the set has labels for is scored (summaries, keywords, entity lists, entity
    spans), each model next to the baselines on the same records, and for each headline metric
    the difference of each model to the best baseline gets a paired bootstrap interval.

    Args:
        data: a labelled file or folder, a list of record dicts, or a built-in name (see
            :func:`newsnlp.evaluation.load_records`).
        summary_models: ``"default"``, a directory / hub id of a seq2seq model, or
            ``"module:callable"`` (called with the text, returns the summary).
        ner_models: ``"default"``, a directory / hub id of a token-classification model (or a
            newsnlp NER model directory), or ``"module:callable"`` (called with the text, returns
            an Entities, a dict of lists or a list of spans).
        keywords: score newsnlp's keywords and tags when the set has keywords.
        data_dir: the folder of the public sets, for built-in names other than ``sample``.
        limit: score the first ``limit`` records only.
        seed: seeds the bootstrap; the same seed gives the same intervals.
        n_resamples: bootstrap resamples.
        level: interval coverage.
        list_rules: ``"newsdev"`` (the data README's matching, default) or ``"exact"``.
        label_map: which labels gold spans use (``newsnlp``, ``cluener``, ``msra``, ``resume``);
            default: the one covering most gold labels.
        device: for transformers models (default ``"auto"``).
        progress: show a progress bar on stderr.

    Returns:
        An :class:`EvaluationReport`.

    Raises:
        DataError: the set cannot be read, a record is malformed, or it has no labels.
        ModelSpecError: a model cannot be loaded; the message says what was tried.

    Example:
        >>> report = evaluate([{"text": "宁波市总工会召开会议。部署工作。", "summary": "宁波市总工会召开会议"}],
        ...                   summary_models=[], ner_models=[])
        >>> round(report.task("summary").rows[0].values["rougeL_f"], 3)  # Lead-1
        1.0
    """
    from .systems import ModelSpecError  # noqa: F401 - documented above

    if limit is not None:
        check_positive_int("limit", limit)
    if list_rules not in ("newsdev", "exact"):
        raise ValueError(f"list_rules must be 'newsdev' or 'exact', got {list_rules!r}")
    name, records = load_records(data, data_dir=data_dir, limit=limit)
    if not records:
        raise DataError(f"{name}: no records")
    tasks = _plan_tasks(records, list_rules=list_rules, label_map=label_map)
    report = EvaluationReport(name, len(records), seed, n_resamples, level)
    if not tasks:
        raise DataError(f"{name}: no record has a label to score ('summary', 'keywords', 'organisations', 'officials', "
                        "'programmes', 'persons', 'places' or 'entities'); see docs/evaluate.md for the format")
    stages = {t.stage for t in tasks}
    for option, given, stage in (("--summary-model", summary_models, "summary"), ("--ner-model", ner_models, "entities")):
        if given and list(given) != ["default"] and stage not in stages:
            report.notes.append(f"{option} given but {name} has no labels for it; nothing to score it on")
    device = device or default_device()
    cache: dict[str, Any] = {}
    systems: dict[str, list[System]] = {}
    if "summary" in stages:
        systems["summary"] = [summary_system(s, cache=cache, device=device) for s in summary_models] + summary_baselines()
    if "keywords" in stages:
        systems["keywords"] = (keyword_systems(cache=cache, device=device) if keywords
                               else [s for s in keyword_systems(cache=cache, device=device) if s.kind == "baseline"])
    if "entities" in stages:
        systems["entities"] = [ner_system(s, cache=cache, device=device) for s in ner_models] + ner_baselines()
    outputs = _predict(records, tasks, systems, progress=progress)
    for task in tasks:
        report.tasks.append(_score_task(task, records, systems[task.stage], outputs, seed=seed,
                                        n_resamples=n_resamples, level=level))
    return report


def _predict(records, tasks, systems, *, progress: bool) -> dict[tuple[str, str], dict[int, Any]]:
    needed: dict[str, set[int]] = {}
    for t in tasks:
        needed.setdefault(t.stage, set()).update(t.indices)
    total = sum(len(needed[stage]) * len(systems[stage]) for stage in needed)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="evaluate", unit="call", file=sys.stderr, leave=False)
    outputs: dict[tuple[str, str], dict[int, Any]] = {}
    try:
        for stage, indices in needed.items():
            for system in systems[stage]:
                if bar is not None:
                    bar.set_postfix_str(system.name[-30:])
                out = outputs.setdefault((stage, system.name), {})
                for i in sorted(indices):
                    try:
                        out[i] = system.predict(records[i])
                    except Exception as exc:  # noqa: BLE001 - one record's failure is reported, the rest scored
                        out[i] = _Failure(f"{records[i].where}: {type(exc).__name__}: {_one_line(exc)}")
                        if progress:
                            traceback.print_exc(limit=3, file=sys.stderr)
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return outputs


def _score_task(task: _Task, records, systems: list[System], outputs, *, seed: int, n_resamples: int,
                level: float) -> TaskResult:
    result = TaskResult(task.key, task.title, task.columns, [m.key for m in task.metrics], len(task.indices),
                        notes=list(task.notes))
    per_system: dict[str, dict[int, Stats]] = {}
    for system in systems:
        row = SystemScore(system.name, system.kind)
        stats: dict[int, Stats] = {}
        for i in task.indices:
            out = outputs[(task.stage, system.name)][i]
            if isinstance(out, _Failure):
                row.failures.append(out.message)
                continue
            try:
                s = task.stats(records[i], out)
            except Exception as exc:  # noqa: BLE001 - a malformed output of one record
                row.failures.append(f"{records[i].where}: {type(exc).__name__}: {_one_line(exc)}")
                continue
            if s is not None:
                stats[i] = s
        row.n_scored = len(stats)
        if stats:
            row.values = task.aggregate([stats[i] for i in task.indices if i in stats])
        if row.failures:
            row.note = f"failed on {len(row.failures)} of {len(task.indices)} records (not scored): {row.failures[0]}"
        per_system[system.name] = stats
        result.rows.append(row)
    baselines = [r for r in result.rows if r.kind == "baseline" and r.values]
    for row in result.rows:
        if row.kind != "model" or not row.values:
            continue
        for metric in task.metrics:
            candidates = [b for b in baselines if isinstance(b.values.get(metric.key), float)]
            if metric.key not in row.values or not candidates:
                continue
            best = max(candidates, key=lambda b: b.values[metric.key])
            a_stats, b_stats = per_system[row.system], per_system[best.system]
            pairs = [(metric.row(a_stats[i]), metric.row(b_stats[i])) for i in task.indices
                     if i in a_stats and i in b_stats]
            pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
            if not pairs:
                continue
            interval: Interval = paired_bootstrap([x for x, _ in pairs], [y for _, y in pairs], kind=metric.kind,
                                                  n_resamples=n_resamples, seed=seed, level=level)
            row.intervals[metric.key] = {"baseline": best.system, **interval.to_dict()}
    return result
