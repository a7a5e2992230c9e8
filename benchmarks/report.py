"""Write the benchmark report: Markdown tables (each with its command) and PNG charts."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from .common import Block, Row

SECTIONS = ["Summaries", "Keywords and tags", "Entities", "Speed and memory", "Archive throughput"]
CHART_FILES = {
    "summary": "quality_summaries.png",
    "keywords": "quality_keywords.png",
    "entities": "quality_entities.png",
    "speed": "speed.png",
}


# --------------------------------------------------------------------------- machine and versions


def machine_info() -> list[tuple[str, str]]:
    """What the numbers were measured on: CPU, cores, memory, OS, library versions, commit."""
    info = [("CPU", _cpu_model()), ("cores (os.cpu_count())", str(os.cpu_count())), ("memory", _memory()),
            ("OS", platform.platform()), ("load average (1, 5, 15 min) at report time", _load()),
            ("python", platform.python_version())]
    for name in ("newsnlp", "torch", "transformers", "datasets", "jieba", "numpy"):
        info.append((name, _version(name)))
    info.append(("newsnlp commit", _git_commit()))
    info.append(("shipped models", _shipped_models()))
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + " (other work on the machine slows the timings)"
    except OSError:
        return "unknown"


def _memory() -> str:
    try:
        import psutil

        return f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        return "unknown (psutil not installed)"


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        # The report's own outputs (docs/benchmarks*, docs/img) are written before this runs: not a code change.
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":!docs/benchmarks.md", ":!docs/benchmarks.json", ":!docs/img"],
                               cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if head.returncode:
        return "unknown (not a git checkout)"
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def _shipped_models() -> str:
    try:
        from newsnlp.resources import models_dir

        names = sorted(p.name for p in models_dir().iterdir() if p.is_dir())
    except Exception:  # noqa: BLE001 - informational only
        return "none found"
    return ", ".join(names) or "none"


# --------------------------------------------------------------------------- Markdown


def format_value(value: Any, *, plain: bool) -> str:
    """Render one cell: fractions ×100 with one decimal, other numbers as they are, None as –."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not plain:
        return f"{100 * value:.1f}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|")


def _best(rows: Sequence[Row], key: str) -> float | None:
    numbers = [r.values.get(key) for r in rows if r.kind != "reference" and isinstance(r.values.get(key), float)]
    return max(numbers) if len(numbers) > 1 else None


def table_markdown(block: Block) -> list[str]:
    """The Markdown table of a block; the best score in each scored column is bold."""
    with_notes = any(r.note for r in block.rows)
    header = ["system", "kind"] + [h for _, h in block.columns] + (["note"] if with_notes else [])
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---", "---"] + ["---:"] * len(block.columns)
                                                                   + (["---"] if with_notes else [])) + " |"]
    best = {k: _best(block.rows, k) for k, _ in block.columns if k not in block.plain}
    for row in block.rows:
        cells = [row.system.replace("|", "\\|"), row.kind]
        for key, _ in block.columns:
            text = format_value(row.values.get(key), plain=key in block.plain)
            if best.get(key) is not None and row.kind != "reference" and row.values.get(key) == best[key]:
                text = f"**{text}**"
            cells.append(text)
        if with_notes:
            note = row.note if len(row.note) <= 200 else row.note[:197] + "..."
            cells.append(note.replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(
    blocks: Sequence[Block],
    *,
    command: str,
    started: str,
    finished: str,
    machine: Iterable[tuple[str, str]],
    mapping_rows: Iterable[tuple[str, ...]],
    skipped: Sequence[str],
    charts: dict[str, str],
    intro: Sequence[str] = (),
    appendix: Sequence[str] = (),
) -> str:
    """The whole report as Markdown. Every table is preceded by the command that produced it."""
    out = ["# Benchmarks", "",
           f"Generated by `{command}` (started {started}, finished {finished}). Do not edit by hand: rerun the "
           "command to update. Scores are ×100; bold marks the best score in a column.", ""]
    out += list(intro)
    out += ["## Machine", "", f"Command: `{command}` · {started}", "", "| item | value |", "| --- | --- |"]
    out += [f"| {k} | {v} |" for k, v in machine] + [""]
    out += ["## Label mapping", "",
            "newsnlp predicts PERSON, ORG (subtype gov / company / organisation), TITLE and LOC; each public NER set is "
            "scored in its own labels through this table. 'ORG (3 merged)' on CLUENER2020 scores organisations "
            "whatever their subtype, which is fair to systems without subtypes (jieba's nt).", "",
            f"Command: `{command}` · {started}", "",
            "| newsnlp label | CLUENER2020 | MSRA | Resume NER |", "| --- | --- | --- | --- |"]
    out += ["| " + " | ".join(r) + " |" for r in mapping_rows] + [""]
    for section in SECTIONS + sorted({b.section for b in blocks} - set(SECTIONS)):
        in_section = [b for b in blocks if b.section == section]
        if not in_section:
            continue
        out += [f"## {section}", ""]
        for block in in_section:
            out += [f"### {block.title}", "", f"Command: `{command}` · computed {block.computed_at} in {block.seconds} s", ""]
            out += table_markdown(block) + [""]
            out += [f"- {note}" for note in block.notes] + ([""] if block.notes else [])
        for chart in dict.fromkeys(b.chart for b in in_section if b.chart):
            if chart in charts:
                out += [f"![{section} chart]({charts[chart]})", ""]
    if skipped:
        out += ["## Not run", ""] + [f"- {s}" for s in skipped] + [""]
    out += list(appendix)
    return "\n".join(out)


# --------------------------------------------------------------------------- charts


def _systems(blocks: Sequence[Block]) -> list[str]:
    return list(dict.fromkeys(r.system for b in blocks for r in b.rows if r.kind != "reference"))


_MODEL_COLOURS = ["#1f77b4", "#17becf", "#2ca02c", "#9467bd"]
_BASELINE_COLOURS = ["#ff7f0e", "#d62728", "#8c564b", "#7f7f7f", "#bcbd22"]


def _colours(blocks: Sequence[Block]) -> dict[str, str]:
    """Newsnlp rows in blues and greens, baselines in warm colours; the same system keeps its colour."""
    colours: dict[str, str] = {}
    counts = {"model": 0, "baseline": 0}
    for block in blocks:
        for row in block.rows:
            if row.system not in colours:
                palette = _MODEL_COLOURS if row.kind == "model" else _BASELINE_COLOURS
                kind = "model" if row.kind == "model" else "baseline"
                colours[row.system] = palette[counts[kind] % len(palette)]
                counts[kind] += 1
    return colours


def _grouped_bars(ax, groups: list[str], series: dict[str, list[float | None]], ylabel: str,
                  colours: dict[str, str]) -> None:
    n = max(len(series), 1)
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [g + (i - (n - 1) / 2) * width for g in range(len(groups))]
        label = name if any(v is not None for v in values) else f"{name} (not run)"
        ax.bar(xs, [0 if v is None else v for v in values], width, label=label, color=colours.get(name))
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)


def chart_by_set(blocks: Sequence[Block], path: Path, title: str) -> None:
    """One metric per block: x = evaluation set, one bar per system."""
    import matplotlib.pyplot as plt

    groups = [b.short or b.key for b in blocks]
    series: dict[str, list[float | None]] = {}
    for system in _systems(blocks):
        series[system] = [_scaled(next((r.values.get(b.chart_metric or "") for r in b.rows if r.system == system), None))
                          for b in blocks]
    header = dict(blocks[0].columns).get(blocks[0].chart_metric or "", "")
    fig, ax = plt.subplots(figsize=(max(6, 1.8 * len(groups) + 3), 4))
    _grouped_bars(ax, groups, series, header + " (×100)", _colours(blocks))
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_by_column(blocks: Sequence[Block], path: Path, title: str) -> None:
    """Every column per block: one panel per evaluation set, x = label, one bar per system."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(blocks), 1, figsize=(9, 3 * len(blocks)), squeeze=False)
    for ax, block in zip(axes[:, 0], blocks):
        groups = [h.replace(" F1", "") for _, h in block.columns]
        series = {r.system: [_scaled(r.values.get(k)) for k, _ in block.columns] for r in block.rows
                  if r.kind != "reference"}
        _grouped_bars(ax, groups, series, "F1 (×100)", _colours(blocks))
        ax.set_title(f"{block.short or block.key}", fontsize=9)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_speed(block: Block, path: Path) -> None:
    """Characters per second per stage, one process and N processes (log scale)."""
    import matplotlib.pyplot as plt

    rows = [r for r in block.rows if r.values.get("cps_1") or r.values.get("cps_n")]
    names = [r.system for r in rows]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.5))
    ys = range(len(rows))
    one = [r.values.get("cps_1") or 0 for r in rows]
    many = [r.values.get("cps_n") or 0 for r in rows]
    ax.barh([y - 0.2 for y in ys], one, 0.4, label="1 process")
    many_label = dict(block.columns).get("cps_n", "N processes").replace("chars/s, ", "").replace("proc", "processes")
    ax.barh([y + 0.2 for y in ys], many, 0.4, label=many_label)
    ax.set_yticks(list(ys))
    ax.set_yticklabels(names, fontsize=8)
    ax.invert_yaxis()
    if any(one) or any(many):
        ax.set_xscale("log")
    ax.set_xlabel("characters per second (log scale)")
    ax.set_title("Speed per stage")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _scaled(value: Any) -> float | None:
    return 100 * value if isinstance(value, float) else None


def write_charts(blocks: Sequence[Block], img_dir: Path) -> dict[str, Path]:
    """Draw every chart the blocks ask for; returns ``{chart name: file}``."""
    import matplotlib

    matplotlib.use("Agg")
    img_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for chart, filename in CHART_FILES.items():
        members = [b for b in blocks if b.chart == chart and any(r.values for r in b.rows)]
        if not members:
            continue
        path = img_dir / filename
        if chart == "speed":
            chart_speed(members[0], path)
        elif chart == "entities":
            chart_by_column(members, path, "Entity F1: newsnlp vs jieba POS")
        else:
            title = {"summary": "Summaries: ROUGE-L F", "keywords": "Keywords and tags: F1@5"}[chart]
            chart_by_set(members, path, title + " (newsnlp vs baselines)")
        written[chart] = path
    return written


# --------------------------------------------------------------------------- everything


def write_report(out: Path, blocks: Sequence[Block], *, command: str, started: str, finished: str,
                 mapping_rows, skipped: Sequence[str], intro: Sequence[str] = ()) -> dict[str, Path]:
    """Write ``out`` (Markdown), ``out``'s ``img/`` charts and ``out`` with ``.json`` (all numbers)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    charts = write_charts(blocks, out.parent / "img")
    relative = {name: os.path.relpath(path, out.parent).replace(os.sep, "/") for name, path in charts.items()}
    machine = machine_info()
    text = render_markdown(blocks, command=command, started=started, finished=finished, machine=machine,
                           mapping_rows=mapping_rows, skipped=skipped, charts=relative, intro=intro,
                           appendix=_batch_appendix(out.parent))
    out.write_text(text, encoding="utf-8")
    payload = {"command": command, "started": started, "finished": finished, "machine": dict(machine),
               "skipped": list(skipped), "blocks": [_jsonable(b.to_dict()) for b in blocks]}
    out.with_suffix(".json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"markdown": out, "json": out.with_suffix(".json"), **charts}


# Pages written by their own (long) commands and included whole as sections of the report.
APPENDICES = [
    ("benchmarks-batch.md", "Batch tagging an archive (10,000 posts)", "a separate run: it takes about 10 minutes"),
    ("benchmarks-ray.md", "Batch tagging on a Ray cluster beside the local engine",
     "a separate run of `python -m benchmarks.ray_bench`"),
]


def _batch_appendix(folder: Path) -> list[str]:
    """The `newsnlp tag` figures that benchmarks/batch_bench.py and ray_bench.py write beside the report."""
    lines: list[str] = []
    for name, heading, note in APPENDICES:
        fragment = folder / name
        if not fragment.is_file():
            continue
        body = fragment.read_text(encoding="utf-8").strip().splitlines()
        # Its own heading becomes a subsection of ours; its tables keep the command that produced them.
        if body and body[0].startswith("#"):
            body = body[1:]
        lines += [f"## {heading}", "", f"Included from [{name}]({name}), written by its own command below ({note}).",
                  *body, ""]
    return lines


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, set):
        return sorted(value)
    return value


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run `python -m benchmarks.run`")
