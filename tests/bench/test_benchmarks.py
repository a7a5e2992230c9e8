"""The benchmark harness: evaluators on tiny hand-made data, the report writer, and a quick run.

The quick run is a smoke test of the whole harness (report and charts produced and well
formed); it is not timed and needs neither ../shared/data nor the trained models.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks import quality, report, run, speed
from benchmarks.common import Block, Row, run_system
from newsnlp.article import Article
from newsnlp.errors import ModelNotFoundError

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- Markdown checks


def tables_of(markdown: str) -> list[tuple[list[str], list[str]]]:
    """Each Markdown table with the non-empty lines written before it (back to the previous table)."""
    out = []
    lines = markdown.splitlines()
    i, since_last = 0, []
    while i < len(lines):
        if lines[i].startswith("|"):
            table = []
            while i < len(lines) and lines[i].startswith("|"):
                table.append(lines[i])
                i += 1
            out.append((table, since_last))
            since_last = []
            continue
        if lines[i].strip():
            since_last.append(lines[i])
        i += 1
    return out


def cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def assert_well_formed(markdown: str, command: str) -> int:
    tables = tables_of(markdown)
    assert tables, "no table in the report"
    for table, before in tables:
        assert any(line.startswith(f"Command: `{command}`") for line in before), (table[0], before)
        width = len(cells(table[0]))
        assert width >= 2
        assert all(re.fullmatch(r":?-{3,}:?", c) for c in cells(table[1])), table[1]
        assert len(table) >= 3, f"table without rows: {table[0]}"
        for line in table:
            assert len(cells(line)) == width, line
    return len(tables)


# --------------------------------------------------------------------------- report writer


def _block() -> Block:
    block = Block("k", "Summaries", "Tiny set", [("f", "R-L F"), ("n", "mean chars")], plain={"n"},
                  chart="summary", chart_metric="f", short="tiny")
    block.rows = [Row("newsnlp", "model", {"f": 0.5, "n": 12.0}), Row("Lead-1", "baseline", {"f": 0.25, "n": 30.0}),
                  Row("broken | one", "model", {}, note="skipped: model a|b missing")]
    return block


def test_table_markdown_scales_bolds_best_and_escapes_pipes():
    lines = report.table_markdown(_block())
    assert cells(lines[0]) == ["system", "kind", "R-L F", "mean chars", "note"]
    assert cells(lines[2]) == ["newsnlp", "model", "**50.0**", "12.0", ""]
    assert cells(lines[3]) == ["Lead-1", "baseline", "25.0", "30.0", ""]
    assert cells(lines[4]) == ["broken \\| one", "model", "–", "–", "skipped: model a\\|b missing"]


def test_format_value():
    assert report.format_value(0.12345, plain=False) == "12.3"
    assert report.format_value(12345.6, plain=True) == "12,346"
    assert report.format_value(5.0, plain=True) == "5.00"
    assert report.format_value(None, plain=False) == "–"
    assert report.format_value("1.30×", plain=True) == "1.30×"


def test_write_report_puts_the_command_before_every_table_and_draws_charts(tmp_path):
    out = tmp_path / "docs" / "bench.md"
    written = report.write_report(out, [_block()], command="python -m benchmarks.run --quick", started="S",
                                  finished="F", mapping_rows=quality.label_mapping_rows(), skipped=["LCSTS: no data"])
    text = out.read_text(encoding="utf-8")
    assert assert_well_formed(text, "python -m benchmarks.run --quick") == 3  # machine, mapping, the block
    assert "![Summaries chart](img/quality_summaries.png)" in text
    assert (tmp_path / "docs" / "img" / "quality_summaries.png").read_bytes().startswith(PNG_MAGIC)
    assert "- LCSTS: no data" in text
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert data["blocks"][0]["rows"][0]["values"] == {"f": 0.5, "n": 12.0}


def test_command_line_omits_defaults():
    args = run.build_parser().parse_args(["--quick", "--out", "/tmp/a b.md", "--stages", "summary", "speed"])
    assert run.command_line(args, "python -m benchmarks.run") == (
        "python -m benchmarks.run --quick --out '/tmp/a b.md' --stages summary speed")
    assert run.command_line(run.build_parser().parse_args([]), "newsnlp bench") == "newsnlp bench"


# --------------------------------------------------------------------------- evaluators


def test_label_mapping():
    assert quality.map_label("ORG", "gov", quality.CLUENER_MAP) == "government"
    assert quality.map_label("ORG", None, quality.CLUENER_MAP) == "organization"
    assert quality.map_label("LOC", None, quality.CLUENER_MAP) == "address"
    assert quality.map_label("ORG", "company", quality.MSRA_MAP) == "ORG"
    assert quality.map_label("TITLE", None, quality.MSRA_MAP) is None
    rows = quality.label_mapping_rows()
    assert ("PERSON", "name", "PER", "NAME") in rows
    assert ("TITLE", "position", "-", "TITLE") in rows


class FakeTagger:
    domains = ["cluener", "msra"]

    def __init__(self):
        self.calls = []

    def predict(self, texts, domain=None):
        self.calls.append(domain)
        span = SimpleNamespace
        # Text 0: person right, organisation right span but wrong subtype; text 1: a boundary error.
        return [[span(start=0, end=2, label="PERSON", subtype=None), span(start=3, end=9, label="ORG", subtype="gov")],
                [span(start=0, end=3, label="ORG", subtype="company")]]


NER_RECORDS = [
    {"text": "李谦在宁波市总工会讲话", "entities": [{"type": "name", "start": 0, "end": 2}, {"type": "organization", "start": 3, "end": 9}]},
    {"text": "浙商银行发布年报", "entities": [{"type": "company", "start": 0, "end": 4}]},
]


def test_ner_blocks_score_model_heads_and_merge_org_subtypes():
    tagger = FakeTagger()
    f1, pr = quality.ner_blocks("e", "Tiny", NER_RECORDS, quality.CLUENER_MAP, quality.CLUENER_LABELS,
                                domain="msra", short="tiny", tagger_loader=lambda: tagger)
    rows = {r.system: r for r in f1.rows}
    assert list(rows) == ["NER model, msra head", "NER model, news head", "jieba POS (nr/nt/ns)"]
    assert tagger.calls == ["msra", None]
    model = rows["NER model, news head"].values
    assert model["name"] == 1.0
    assert model["government"] == 0.0 and model["organization"] == 0.0 and model["company"] == 0.0
    # Merged: 宁波市总工会 counts (subtype ignored), 浙商银行 has a boundary error -> P = R = 1/2.
    assert model["ORG*"] == 0.5
    # micro over the six labels: 1 tp (name) of 3 predicted and 3 gold.
    assert round(model["micro"], 4) == round(1 / 3, 4)
    assert [h for _, h in f1.columns][-2:] == ["ORG (3 merged) F1", "micro F1"]
    assert pr.rows[1].values["name"] == "100.0 / 100.0"


def test_ner_blocks_skip_a_missing_head_and_a_missing_model():
    f1, _ = quality.ner_blocks("e", "Tiny", NER_RECORDS, quality.RESUME_MAP, quality.RESUME_LABELS,
                               domain="resume", short="tiny", tagger_loader=lambda: FakeTagger())
    assert f1.rows[0].note.startswith("skipped: the NER model has no 'resume' head")

    def missing():
        raise ModelNotFoundError("shipped model 'ner' is missing")

    f1, _ = quality.ner_blocks("e", "Tiny", NER_RECORDS, quality.MSRA_MAP, quality.MSRA_LABELS,
                               domain=None, short="tiny", tagger_loader=missing)
    assert f1.rows[0].values == {} and "shipped model 'ner' is missing" in f1.rows[0].note
    assert f1.rows[-1].system == "jieba POS (nr/nt/ns)" and f1.rows[-1].values  # the baseline still ran


def test_summary_block_scores_baselines_and_reports_a_missing_model():
    items = [("第一句说明事实。第二句补充。", "第一句说明事实。第二句补充。", "第一句说明事实")]

    def summarize(_):
        raise ModelNotFoundError("shipped model 'summarizer' is missing")

    block = quality.summary_block("s", "Tiny", items, summarize, "tiny")
    rows = {r.system: r for r in block.rows}
    assert rows["newsnlp.summarize (default)"].note.startswith("skipped: shipped model 'summarizer' is missing")
    assert rows["Lead-1"].values["rouge1_r"] == 1.0 and rows["Lead-1"].values["rouge1_p"] == 1.0
    assert rows["Lead-3"].values["rouge1_p"] == 7 / 12
    assert rows["Lead-3"].values["chars"] == 14.0


def test_keyword_block_ratio_to_tfidf_and_keyword_objects():
    items = [(Article(text="宁波市总工会推进新就业形态劳动者入会工作。"), "宁波市总工会推进新就业形态劳动者入会工作。",
              ["宁波市总工会", "新就业形态劳动者"])]
    kw = SimpleNamespace
    block = quality.keyword_block("k", "Tiny", items, [("perfect", lambda a: [kw(text="宁波市总工会"), kw(text="新就业形态劳动者")])], "tiny")
    rows = {r.system: r for r in block.rows}
    assert (rows["perfect"].values["p"], rows["perfect"].values["r"], rows["perfect"].values["n"]) == (1.0, 1.0, 2.0)
    tfidf = rows["jieba TF-IDF"].values["f1"]
    if tfidf:
        assert rows["perfect"].values["vs_tfidf"] == f"{1.0 / tfidf:.2f}×"


def test_run_system_records_crashes_without_raising(capsys):
    row = run_system("x", "model", lambda: 1 / 0)
    assert row.values == {} and row.note == "failed: ZeroDivisionError: division by zero"
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_repeated_articles_are_distinct_copies():
    articles = speed.repeated_articles(3, sample_dir=_tiny_corpus_dir())
    assert [a.id for a in articles] == ["a", "a#1", "a#2"]
    assert articles[1].text == articles[0].text + "\n（副本1）"


def _tiny_corpus_dir() -> Path:
    import tempfile

    root = Path(tempfile.mkdtemp())
    (root / "posts").mkdir()
    (root / "posts" / "a.md").write_text("---\ntitle: 标题\n---\n<p>正文一句。</p>\n", encoding="utf-8")
    (root / "labels.jsonl").write_text(json.dumps({"id": "a", "path": "posts/a.md"}) + "\n", encoding="utf-8")
    return root


# --------------------------------------------------------------------------- CLI


def test_newsnlp_bench_outside_a_checkout_explains(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "newsnlp.cli", "bench", "--quick"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "no benchmarks/run.py in the current directory" in proc.stderr
    assert "cd into a checkout of newsnlp" in proc.stderr


def test_newsnlp_bench_rejects_unknown_stage():
    from benchmarks.run import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["--stages", "everything"])
    args = build_parser().parse_args(["--quick", "--stages", "summary"])
    assert args.quick and args.stages == ["summary"]
    proc = subprocess.run([sys.executable, "-m", "newsnlp.cli", "bench", "--stages", "everything"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "usage: newsnlp bench" in proc.stderr and "invalid choice: 'everything'" in proc.stderr


def test_newsnlp_bench_forwards_its_arguments_to_the_harness(monkeypatch):
    import benchmarks.run as harness
    from newsnlp.cli.main import main

    seen = {}
    monkeypatch.setattr(harness, "run", lambda args, prog: seen.update(vars(args), prog=prog) or 0)
    monkeypatch.chdir(ROOT)
    assert main(["bench", "--quick", "--stages", "summary", "keywords", "--limit", "5", "--data-dir", "d"]) == 0
    assert seen["prog"] == "newsnlp bench" and seen["quick"] and seen["stages"] == ["summary", "keywords"]
    assert (seen["limit"], seen["data_dir"]) == (5, "d")


def test_no_import_cycle_between_the_harness_and_the_library():
    """benchmarks/ uses the library; the library never imports benchmarks at module level."""
    import ast

    def imports(path: Path, *, lazy: bool = False) -> set[str]:  # module-level ones, or all with lazy=True
        names = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in (ast.walk(tree) if lazy else tree.body):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        return names

    for path in (ROOT / "newsnlp").rglob("*.py"):
        assert not any(n == "benchmarks" or n.startswith("benchmarks.") for n in imports(path)), path
    assert not any(n.startswith("newsnlp.cli") for n in imports(ROOT / "benchmarks" / "run.py", lazy=True))


# --------------------------------------------------------------------------- the quick run


def test_quick_run_writes_a_well_formed_report_and_charts(tmp_path):
    out = tmp_path / "bench" / "benchmarks.md"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    command = f"python -m benchmarks.run --quick --out {out}"
    assert text.startswith("# Benchmarks")
    assert assert_well_formed(text, command) >= 7
    for section in ("## Machine", "## Label mapping", "## Summaries", "## Keywords and tags", "## Entities",
                    "## Speed and memory", "## Cold start", "## Not run"):
        assert section in text
    for name in ("Lead-1", "Lead-3", "TextRank (120 chars)", "jieba TF-IDF", "jieba TextRank", "jieba POS (nr/nt/ns)",
                 "jieba segmentation + POS", "whole analysis", "`import newsnlp`", "`newsnlp analyze one.md`"):
        assert f"| {name} |" in text, name
    assert "LCSTS: no --data-dir given" in text  # public sets skipped without ../shared/data
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert {Path(i).name for i in images} >= {"quality_summaries.png", "quality_keywords.png", "speed.png"}
    for image in images:
        data = (out.parent / image).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 2000, image
    payload = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert payload["command"] == command
    assert {b["section"] for b in payload["blocks"]} >= {"Summaries", "Keywords and tags", "Entities", "Speed and memory"}


def test_make_archive_copies_posts_with_distinct_content(tmp_path):
    from benchmarks.archive import archive_block, make_archive

    make_archive(tmp_path, 3, sample_dir=_tiny_corpus_dir())
    files = sorted((tmp_path / "_posts").iterdir())
    assert [f.name for f in files] == ["a-copy1.md", "a-copy2.md", "a.md"]
    texts = {f.read_text(encoding="utf-8") for f in files}
    assert len(texts) == 3 and "<p>正文一句。（副本2）</p>" in (tmp_path / "_posts" / "a-copy2.md").read_text(encoding="utf-8")
    block = archive_block([{"workers": 1, "processed": 3, "failed": 0, "seconds": 1.5, "rss_mb": 300.4, "rss_child_mb": 0.0},
                           {"workers": 2, "error": "ModelNotFoundError: no model"}], 3)
    assert block.rows[0].values == {"processed": 3, "failed": 0, "seconds": 1.5, "aps": 2.0, "rss_mb": 300,
                                    "rss_child_mb": None, "rss_children_mb": None}
    assert block.rows[1].note == "ModelNotFoundError: no model"
    assert "(2.0 articles/s, workers=1) an archive of 16,800 such posts (issue 15's size) would take about 140 min 00 s" \
        in " ".join(block.notes)


def test_report_includes_the_batch_and_ray_pages_written_beside_it(tmp_path):
    from benchmarks.report import _batch_appendix

    assert _batch_appendix(tmp_path) == []
    (tmp_path / "benchmarks-ray.md").write_text("### ray heading\n\n| engine |\n", encoding="utf-8")
    lines = _batch_appendix(tmp_path)
    assert lines[0] == "## Batch tagging on a Ray cluster beside the local engine"
    assert "### ray heading" not in lines and "| engine |" in lines
    (tmp_path / "benchmarks-batch.md").write_text("# batch\nrow\n", encoding="utf-8")
    headings = [line for line in _batch_appendix(tmp_path) if line.startswith("## ")]
    assert headings == ["## Batch tagging an archive (10,000 posts)",
                        "## Batch tagging on a Ray cluster beside the local engine"]
