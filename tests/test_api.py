"""The public API on edge input, the import contract and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsnlp
from newsnlp import Analysis, Entities

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u3000\n"])
def test_empty_and_whitespace_give_empty_results(text):
    assert newsnlp.summarize(text) == ""
    assert newsnlp.extract_keywords(text) == []
    assert newsnlp.suggest_tags(text) == []
    assert newsnlp.extract_entities(text) == Entities()
    result = newsnlp.analyze(text)
    assert isinstance(result, Analysis)
    assert result.to_dict() == {
        "id": None, "title": None, "summary": "", "tags": [], "keywords": [],
        "entities": {"organisations": [], "officials": [], "programmes": [], "persons": [], "places": [], "mentions": []},
    }


@pytest.mark.parametrize(
    "func", [newsnlp.summarize, newsnlp.extract_keywords, newsnlp.suggest_tags, newsnlp.extract_entities, newsnlp.analyze]
)
@pytest.mark.parametrize("bad", [None, 42, ["宁波"], 1.5])
def test_non_text_input_is_type_error_naming_the_type(func, bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        func(bad)


@pytest.mark.parametrize("kwargs", [{"top_k": 0}, {"top_k": -3}, {"top_k": "5"}])
def test_bad_top_k(kwargs):
    with pytest.raises(ValueError, match=r"top_k must be a positive int, got"):
        newsnlp.extract_keywords("宁波市总工会召开会议。", **kwargs)


def test_bad_max_chars():
    with pytest.raises(ValueError, match=r"max_chars must be a positive int, got 0"):
        newsnlp.summarize("宁波市总工会召开会议。", max_chars=0)


def test_keyword_only_options():
    with pytest.raises(TypeError):
        newsnlp.extract_keywords("宁波市总工会召开会议。", 5)


def test_analysis_of_a_post_carries_id_and_title():
    result = newsnlp.analyze(newsnlp.read_article(FIXTURES / "post_basic.md"))
    d = result.to_dict()
    assert d["id"] == "post_basic" and d["title"] == "海曙区总工会：户外劳动者驿站扩容"
    assert d["summary"] and d["summary"] in newsnlp.read_article(FIXTURES / "post_basic.md").text.replace("\n", "")
    assert isinstance(d["tags"], list) and len(d["tags"]) <= 5
    for m in d["entities"]["mentions"]:
        assert result.entities.mentions is not None
        assert m["label"] in {"PERSON", "ORG", "TITLE", "LOC", "PROGRAMME"}


def test_pipe_keeps_order_and_contexts():
    nlp = newsnlp.Analyzer()
    texts = ["第一篇：宁波市总工会召开会议。", "", "第三篇：杭州市中级人民法院开庭。"]
    out = list(nlp.pipe(texts))
    assert [a.summary for a in out] == [nlp.summarize(t) for t in texts]
    pairs = list(nlp.pipe([(t, i) for i, t in enumerate(texts)], as_tuples=True))
    assert [ctx for _, ctx in pairs] == [0, 1, 2]
    with pytest.raises(TypeError, match="as_tuples=True"):
        list(nlp.pipe(["x"], as_tuples=True))


def test_import_is_light():
    code = (
        "import sys, newsnlp\n"
        "heavy = [m for m in ('torch', 'transformers', 'jieba', 'datasets', 'numpy') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def run_cli(*args, input=None, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "newsnlp.cli", *args], capture_output=True, text=True, input=input, cwd=cwd, env=env
    )


def test_cli_analyze_file_and_stdin():
    out = run_cli("analyze", str(FIXTURES / "post_basic.md"))
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["title"] == "海曙区总工会：户外劳动者驿站扩容" and record["summary"]
    assert "mentions" not in record["entities"]
    out = run_cli("analyze", "-", "--pretty", input="宁波市总工会召开会议。")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("{\n  ") and json.loads(out.stdout)["summary"] == "宁波市总工会召开会议。"


def test_cli_analyze_bad_file_reports_and_continues(tmp_path):
    out = run_cli("analyze", str(tmp_path), str(FIXTURES / "post_basic.md"))
    assert out.returncode == 1
    assert "is a directory" in out.stderr
    assert json.loads(out.stdout)["id"] == "post_basic"


def test_cli_help_on_every_subcommand():
    from newsnlp.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert "analyze" in sub.choices
    for name in sub.choices:
        out = run_cli(*name.split(), "--help")
        assert out.returncode == 0 and "usage: newsnlp" in out.stdout, (name, out.stderr)
