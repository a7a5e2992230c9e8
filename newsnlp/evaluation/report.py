"""Render an :class:`~newsnlp.evaluation.run.EvaluationReport`: terminal tables, Markdown with PNG charts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: What to say when the charts need matplotlib and it is missing (also said by ``newsnlp evaluate --out``).
MATPLOTLIB_HINT = ("the charts of --out need matplotlib: pip install 'newsnlp[bench]' (or pip install matplotlib); "
                   "--json and the terminal table work without it")
_MATPLOTLIB_HINT = MATPLOTLIB_HINT  # the 0.1 name


def _pct(value: Any) -> str:
    if isinstance(value, float):
        return f"{100 * value:.1f}"
    if value is None:
        return "-"
    return str(value)


def _cell(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if key in ("chars", "n"):
        return "-" if value is None else str(value)
    return _pct(value)


def _interval_text(iv: dict[str, Any]) -> str:
    mark = "" if iv["low"] <= 0 <= iv["high"] else " *"
    return f"{100 * iv['difference']:+.1f} [{100 * iv['low']:+.1f}, {100 * iv['high']:+.1f}]{mark}"


def _table_rows(task) -> tuple[list[str], list[list[str]]]:
    ci = task.ci_metrics
    header = ["system", "kind", *[h for _, h in task.columns], "n"]
    header += [f"Δ {dict(task.columns).get(m, m)} [CI]" for m in ci]
    rows = []
    for row in task.rows:
        cells = [row.system, row.kind, *[_cell(row.values, k) for k, _ in task.columns], str(row.n_scored)]
        cells += [_interval_text(row.intervals[m]) if m in row.intervals else "" for m in ci]
        rows.append(cells)
    return header, rows


def _baseline_line(task) -> str:
    """Which baseline each Δ column is measured against (the best one on that metric)."""
    best: dict[str, str] = {}
    for row in task.rows:
        for m, iv in row.intervals.items():
            best.setdefault(m, iv["baseline"])
    if not best:
        return ""
    return "Δ is against the best baseline of each column: " + "; ".join(
        f"{dict(task.columns).get(m, m)}: {name}" for m, name in best.items()) + "."


def _prune_empty_columns(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    keep = [j for j in range(len(header)) if not header[j].startswith("Δ") or any(r[j] for r in rows)]
    return [header[j] for j in keep], [[r[j] for j in keep] for r in rows]


def render_text(report) -> str:
    """Plain-text tables, one per task, for the terminal."""
    lines = [f"newsnlp evaluate: {report.data}, {report.n_records} records; scores ×100; Δ = model − best baseline "
             f"with a {round(100 * report.level)}% paired bootstrap interval ({report.n_resamples} resamples, seed "
             f"{report.seed}); * = the interval excludes 0", ""]
    for task in report.tasks:
        header, rows = _prune_empty_columns(*_table_rows(task))
        widths = [max(len(header[j]), *(len(r[j]) for r in rows)) for j in range(len(header))]
        lines.append(f"{task.title} ({task.n_records} records)")
        lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        lines.append("  ".join("-" * w for w in widths))
        for r in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if _baseline_line(task):
            lines.append("  " + _baseline_line(task))
        for row in task.rows:
            if row.note:
                lines.append(f"  {row.system}: {row.note}")
        lines += [f"  note: {n}" for n in task.notes]
        lines.append("")
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines).rstrip() + "\n"


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    esc = [[c.replace("|", "\\|") for c in r] for r in rows]
    return ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|",
            *["| " + " | ".join(r) + " |" for r in esc]]


def _chart(task, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]
    metrics = [k for k, _ in task.columns if k not in ("chars", "n")]
    rows = [r for r in task.rows if r.values]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(metrics) * max(len(rows), 1) / 2 + 3), 3.6))
    width = 0.8 / max(len(rows), 1)
    for j, row in enumerate(rows):
        xs = [i + j * width for i in range(len(metrics))]
        heights = [100 * row.values.get(m, 0.0) if isinstance(row.values.get(m), float) else 0.0 for m in metrics]
        ax.bar(xs, heights, width, label=row.system[-40:], hatch="" if row.kind == "model" else "//", alpha=0.9)
    ax.set_xticks([i + width * (len(rows) - 1) / 2 for i in range(len(metrics))])
    ax.set_xticklabels([dict(task.columns)[m] for m in metrics])
    ax.set_ylabel("score ×100")
    ax.set_title(task.title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _interval_chart(task, path: Path) -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = [(f"{row.system[-30:]} · {dict(task.columns).get(m, m)}", row.intervals[m])
              for row in task.rows for m in task.ci_metrics if m in row.intervals]
    if not points:
        return False
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(points) + 1.4))
    for y, (_, iv) in enumerate(points):
        ax.errorbar(100 * iv["difference"], y, xerr=[[100 * (iv["difference"] - iv["low"])], [100 * (iv["high"] - iv["difference"])]],
                    fmt="o", capsize=3, color="tab:blue" if iv["low"] > 0 else "tab:red" if iv["high"] < 0 else "tab:gray")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(points)))
    ax.set_yticklabels([label for label, _ in points], fontsize=7)
    ax.set_xlabel("model − best baseline (×100), paired bootstrap interval")
    ax.set_title(task.title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_markdown(report, path: str | os.PathLike) -> list[Path]:
    """Write the report as Markdown with PNG charts in ``img/`` beside it; returns the files written.

    Raises:
        ImportError: matplotlib is missing (the message says how to install it).
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(MATPLOTLIB_HINT) from None
    path = Path(path)
    images = path.parent / "img"
    images.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    lines = [f"# newsnlp evaluate: {report.data}", "",
             f"{report.n_records} records. Scores ×100. Δ is the model's score minus the best baseline's on the same "
             f"records, with a {round(100 * report.level)}% paired bootstrap interval ({report.n_resamples} resamples, "
             f"seed {report.seed}); * marks an interval that excludes 0.", ""]
    for task in report.tasks:
        lines += [f"## {task.title}", "", f"{task.n_records} records.", ""]
        lines += _markdown_table(*_prune_empty_columns(*_table_rows(task)))
        lines.append("")
        if _baseline_line(task):
            lines.append("- " + _baseline_line(task))
        for row in task.rows:
            if row.note:
                lines.append(f"- {row.system}: {row.note}")
        lines += [f"- {n}" for n in task.notes]
        stem = f"{path.stem}-{task.key}"
        bars = images / f"{stem}.png"
        _chart(task, bars)
        written.append(bars)
        lines += ["", f"![{task.title}](img/{bars.name})"]
        ci = images / f"{stem}-intervals.png"
        if _interval_chart(task, ci):
            written.append(ci)
            lines += ["", f"![{task.title}: differences to the best baseline](img/{ci.name})"]
        lines.append("")
    lines += [f"- {n}" for n in report.notes]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return [path, *written]
