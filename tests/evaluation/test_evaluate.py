"""newsnlp evaluate: the data readers, the scores on hand-computed cases, the bootstrap, the
models side by side (a tiny seq2seq, a tiny token classifier, a module:callable) and the
installed wheel run from a directory that is not a checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from newsnlp.evaluation import DataError, ModelSpecError, evaluate, load_records, paired_bootstrap
from newsnlp.evaluation.scoring import (
    aggregate_counts,
    choose_label_map,
    keyword_stats,
    list_stats,
    rouge_stats,
    span_stats,
)

ROOT = Path(__file__).resolve().parents[2]

# A labelled set written for these tests: four short fictional items in the newsdev format.
RECORDS = [
    {"id": "a", "title": "宁波市总工会召开会议", "text": "宁波市总工会召开全委会议。会议部署全年工作。",
     "summary": "宁波市总工会召开全委会议", "keywords": ["宁波市总工会", "全委会议"],
     "organisations": ["宁波市总工会"], "officials": [], "programmes": [],
     "entities": [{"type": "ORG", "start": 0, "end": 6, "text": "宁波市总工会"}]},
    {"id": "b", "text": "李谦主席在杭州调研。他走访了三家企业。", "summary": "李谦在杭州调研企业",
     "keywords": ["调研", "企业"], "organisations": [], "officials": [{"name": "李谦", "title": "主席"}],
     "programmes": [], "entities": [{"type": "PERSON", "start": 0, "end": 2, "text": "李谦"},
                                    {"type": "LOC", "start": 5, "end": 7, "text": "杭州"}]},
    {"id": "c", "text": "市政府发布“十件实事”项目清单。清单共十项。", "summary": "市政府发布十件实事项目清单",
     "keywords": ["十件实事"], "organisations": ["市政府"], "officials": [], "programmes": ["十件实事项目"],
     "entities": []},
    {"id": "d", "text": "甲公司发布年报。净利润增长两成。", "summary": "甲公司年报净利润增长两成",
     "keywords": ["年报", "净利润"], "organisations": ["甲公司"], "officials": [], "programmes": [],
     "entities": [{"type": "ORG", "start": 0, "end": 3, "text": "甲公司"}]},
]

# A user's own functions, imported by evaluate as module:callable.
USER_MODULE = '''
def first_clause(text):
    """Summary: the text up to the first 。"""
    return text.split("。")[0] + "。"

def flaky(text):
    if text.startswith("李谦"):
        raise RuntimeError("cannot summarise this one")
    return text[:8]

def org_at_start(text):
    """NER: the first three characters as an ORG span."""
    return [{"start": 0, "end": 3, "label": "ORG", "text": text[:3]}] if len(text) >= 3 else []

def not_a_summary(text):
    return 42
'''


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def user_module(tmp_path, monkeypatch):
    folder = tmp_path / "usercode"
    folder.mkdir()
    (folder / "my_models.py").write_text(USER_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    sys.modules.pop("my_models", None)
    return folder


@pytest.fixture()
def labelled(tmp_path) -> Path:
    return write_jsonl(tmp_path / "labelled.jsonl", RECORDS)


# --------------------------------------------------------------------------- scores on hand-computed cases


def test_rouge_stats_by_hand():
    # 10 candidate characters, 6 reference characters, all 6 shared: R-1 P 0.6, R 1, F 0.75.
    s = rouge_stats("宁波市总工会召开会议", "宁波市总工会")
    assert (s["rouge1_p"], s["rouge1_r"], s["rouge1_f"]) == pytest.approx((0.6, 1.0, 0.75))
    # Bigrams: 9 in the candidate, 5 in the reference, 5 shared; punctuation is not a token.
    s = rouge_stats("宁波市总工会，召开会议。", "宁波市总工会")
    assert (s["rouge2_p"], s["rouge2_r"]) == pytest.approx((5 / 9, 1.0))
    assert s["chars"] == 12


def test_keyword_stats_by_hand():
    s = keyword_stats(["工会", "ＡＩ", "会议", "经费", "职工", "第六个"], ["ai", "工会", "工会经费"], k=5)
    # five kept, two of them gold (工会, ai after NFKC + case-folding): P 2/5, R 2/3
    assert (s["p"], s["r"], s["n"]) == pytest.approx((0.4, 2 / 3, 5))
    assert s["f1"] == pytest.approx(0.5)


def test_list_stats_newsdev_rules_resolve_short_forms_and_compare_officials_by_name():
    assert list_stats(["宁波市政府", "宁波银行"], ["市政府"], field="organisations") == {"tp": 1, "pred": 2, "gold": 1}
    # an exact match is taken before a resolved short form
    assert list_stats(["市政府", "宁波市政府"], ["市政府"], field="organisations") == {"tp": 1, "pred": 2, "gold": 1}
    # exact rules: no short forms; officials need the title too
    assert list_stats(["宁波市政府"], ["市政府"], field="organisations", rules="exact")["tp"] == 0
    officials_pred, officials_gold = [{"name": "李谦", "title": "书记"}], [{"name": "李谦", "title": "主席"}]
    assert list_stats(officials_pred, officials_gold, field="officials")["tp"] == 1
    assert list_stats(officials_pred, officials_gold, field="officials", rules="exact")["tp"] == 0
    assert list_stats(["“十件实事”项目"], ["《十件实事项目》"], field="programmes")["tp"] == 1
    s = aggregate_counts([{"tp": 1, "pred": 2, "gold": 1}, {"tp": 1, "pred": 1, "gold": 3}])
    assert (s.precision, s.recall) == pytest.approx((2 / 3, 0.5))


def test_span_stats_by_hand_and_label_map_choice():
    s = span_stats({(0, 2, "PER"), (5, 8, "ORG")}, {(0, 2, "PER"), (5, 7, "ORG"), (9, 10, "LOC")}, ["PER", "ORG"])
    assert (s["PER_tp"], s["ORG_tp"], s["ORG_pred"], s["micro_tp"], s["micro_pred"], s["micro_gold"]) == (1, 0, 1, 1, 2, 2)
    assert choose_label_map(["name", "company"]) == "cluener"
    assert choose_label_map(["PER", "LOC"]) == "msra"
    assert choose_label_map(["PERSON", "ORG"]) == "newsnlp"


def test_evaluate_scores_baselines_and_a_callable_exactly(labelled, user_module):
    report = evaluate(labelled, summary_models=["my_models:first_clause"], ner_models=["my_models:org_at_start"])
    summary = report.task("summary")
    rows = {r.system: r for r in summary.rows}
    assert [r.system for r in summary.rows] == ["my_models:first_clause", "Lead-1", "Lead-3", "TextRank (120 chars)"]
    # first_clause == Lead-1 here (the first sentence), so their scores are equal.
    assert rows["my_models:first_clause"].values == rows["Lead-1"].values
    # Record a: "宁波市总工会召开全委会议" is the summary exactly; b: 李谦主席在杭州调研 vs 李谦在杭州调研企业
    # (7 shared characters of 9 and 9); c: 市政府发布十件实事项目清单 exactly; d: 甲公司发布年报 vs
    # 甲公司年报净利润增长两成 (5 of 7 and 12).
    r1_f = [1.0, 2 * (7 / 9) * (7 / 9) / (14 / 9), 1.0, 2 * (5 / 7) * (5 / 12) / (5 / 7 + 5 / 12)]
    assert rows["Lead-1"].values["rouge1_f"] == pytest.approx(sum(r1_f) / 4)
    assert rows["Lead-1"].values["chars"] == round((13 + 10 + 16 + 8) / 4, 1)
    iv = rows["my_models:first_clause"].intervals["rouge1_f"]
    assert (iv["difference"], iv["low"], iv["high"]) == (0.0, 0.0, 0.0)  # same output as the baseline it is compared to
    spans = {r.system: r for r in report.task("entity-spans").rows}
    # org_at_start predicts 宁波市 (wrong), 李谦主 (wrong), 市政府 (no gold span), 甲公司 (right): ORG P 1/4, R 1/2.
    org = spans["my_models:org_at_start"].values
    assert (org["ORG_p"], org["ORG_r"]) == pytest.approx((0.25, 0.5))
    lists = {r.system: r for r in report.task("entity-lists").rows}
    # lists derived from its spans: organisations 宁波市 (no), 李谦主 (no), 市政府 (yes), 甲公司 (yes), gold 3:
    # P 2/4, R 2/3, F1 4/7
    orgs = lists["my_models:org_at_start"].values
    assert (orgs["organisations_p"], orgs["organisations_r"], orgs["organisations"]) == pytest.approx((0.5, 2 / 3, 4 / 7))
    assert report.task("keywords").n_records == 4


def test_a_model_raising_on_one_record_is_reported_and_the_rest_scored(labelled, user_module):
    report = evaluate(labelled, summary_models=["my_models:flaky", "my_models:not_a_summary"], ner_models=[],
                      keywords=False)
    rows = {r.system: r for r in report.task("summary").rows}
    flaky = rows["my_models:flaky"]
    assert flaky.n_scored == 3
    assert flaky.failures == [f"{labelled} line 2: RuntimeError: cannot summarise this one"]
    assert "failed on 1 of 4 records" in flaky.note
    assert flaky.intervals["rougeL_f"]["n_records"] == 3  # paired on the records both systems have
    broken = rows["my_models:not_a_summary"]
    assert broken.n_scored == 0 and broken.values == {}
    assert broken.failures[0].endswith("TypeError: a summariser must return a str, got int")
    assert "my_models:flaky" in report.to_text() and "line 2" in report.to_text()


# --------------------------------------------------------------------------- data errors and formats


def test_record_errors_name_the_line(tmp_path):
    bad = write_jsonl(tmp_path / "bad.jsonl", [RECORDS[0], {"title": "", "summary": "x"}])
    with pytest.raises(DataError, match=r"bad\.jsonl line 2: no 'text'"):
        load_records(bad)
    bad = write_jsonl(tmp_path / "bad2.jsonl", [RECORDS[0], {"text": "甲乙", "summary": ["x"]}])
    with pytest.raises(DataError, match=r"line 2: 'summary' must be a string, got list"):
        load_records(bad)
    bad = write_jsonl(tmp_path / "bad3.jsonl", [{"text": "甲乙丙", "entities": [{"type": "ORG", "start": 1, "end": 3, "text": "甲乙"}]}])
    with pytest.raises(DataError, match=r"line 1: entity 0 says '甲乙' but text\[1:3\] is '乙丙'"):
        load_records(bad)
    (tmp_path / "broken.jsonl").write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.jsonl line 2: not valid JSON"):
        load_records(tmp_path / "broken.jsonl")
    with pytest.raises(DataError, match="needs --data-dir|--data-dir"):
        load_records("lcsts")
    with pytest.raises(DataError, match="not a built-in set"):
        load_records(tmp_path / "nowhere.jsonl")


def test_records_without_a_label_are_named_and_left_out_of_that_score(tmp_path):
    rows = [dict(RECORDS[0]), {k: v for k, v in RECORDS[1].items() if k != "summary"}, dict(RECORDS[2])]
    report = evaluate(write_jsonl(tmp_path / "partial.jsonl", rows), summary_models=[], ner_models=[], keywords=False)
    task = report.task("summary")
    assert task.n_records == 2
    assert any("1 record(s) have no 'summary'" in n and "partial.jsonl line 2" in n for n in task.notes)
    with pytest.raises(DataError, match="no record has a label"):
        evaluate(write_jsonl(tmp_path / "none.jsonl", [{"text": "甲乙丙"}]), summary_models=[], ner_models=[])


def test_unknown_models_say_what_was_tried(labelled):
    with pytest.raises(ModelSpecError, match=r"--summary-model '/no/such/model' could not be loaded; tried 'default'"):
        evaluate(labelled, summary_models=["/no/such/model"], ner_models=[])
    with pytest.raises(ModelSpecError, match=r"importing module 'no_such_module_xyz' failed"):
        evaluate(labelled, summary_models=[], ner_models=["no_such_module_xyz:tagger"])


def test_every_format_reads_the_same_records(tmp_path, labelled):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = [(r.where.rsplit(" ", 1)[-1], r.text, r.labels) for r in load_records(labelled)[1]]
    pq.write_table(pa.Table.from_pylist(RECORDS), tmp_path / "set.parquet")
    datasets.Dataset.from_list(RECORDS).save_to_disk(str(tmp_path / "saved"))
    for source in (tmp_path / "set.parquet", tmp_path / "saved"):
        name, records = load_records(source)
        assert [(r.text, r.labels) for r in records] == [(t, lb) for _, t, lb in base]
        assert records[1].where.endswith("row 2")
    # a folder of posts with a labels file: the post file is read (front matter title, HTML body)
    folder = tmp_path / "archive"
    (folder / "posts").mkdir(parents=True)
    (folder / "posts" / "2024-01-02-union.md").write_text(
        "---\ntitle: 宁波市总工会召开会议\n---\n<p>宁波市总工会召开全委会议。</p>\n<p>会议部署全年工作。</p>\n", encoding="utf-8")
    write_jsonl(folder / "labels.jsonl", [{"id": "2024-01-02-union.md", "summary": "宁波市总工会召开全委会议",
                                           "organisations": ["宁波市总工会"]}])
    _, (record,) = load_records(folder)
    assert record.article.title == "宁波市总工会召开会议"
    assert record.text.startswith("宁波市总工会召开全委会议。")
    assert load_records(labelled, limit=2)[1][-1].id == "b"


def test_sample_corpus_is_a_builtin_set():
    name, records = load_records("sample", limit=3)
    assert name == "sample corpus" and len(records) == 3
    assert {"summary", "keywords", "organisations"} <= set(records[0].labels)


# --------------------------------------------------------------------------- bootstrap


def test_paired_bootstrap_is_reproducible_with_a_seed():
    a = [[x] for x in (0.9, 0.4, 0.7, 0.8, 0.3, 0.6, 0.5, 0.95)]
    b = [[x] for x in (0.7, 0.5, 0.6, 0.6, 0.3, 0.5, 0.2, 0.80)]
    one = paired_bootstrap(a, b, kind="mean", seed=7, n_resamples=500)
    assert one == paired_bootstrap(a, b, kind="mean", seed=7, n_resamples=500)
    assert one != paired_bootstrap(a, b, kind="mean", seed=8, n_resamples=500)
    assert one.difference == pytest.approx(0.95 / 8)  # per-record differences .2 -.1 .1 .2 0 .1 .3 .15
    assert one.low <= one.difference <= one.high
    # paired: a constant shift has no spread at all
    shifted = paired_bootstrap([[x + 0.1] for (x,) in b], b, kind="mean", seed=1)
    assert (shifted.low, shifted.high) == pytest.approx((0.1, 0.1))
    counts = paired_bootstrap([[1, 1, 1], [1, 2, 1]], [[0, 1, 1], [1, 1, 1]], kind="micro_f1", seed=0)
    # system: tp 2 of pred 3, gold 2 -> F1 0.8; reference: tp 1 of 2, gold 2 -> 0.5
    assert counts.difference == pytest.approx(0.3)
    with pytest.raises(ValueError, match="same records"):
        paired_bootstrap([[1.0]], [], kind="mean")


def test_report_intervals_are_reproducible_with_a_seed(labelled, user_module):
    kwargs = dict(summary_models=["my_models:flaky"], ner_models=[], keywords=False, n_resamples=300)
    first = evaluate(labelled, seed=3, **kwargs).to_dict()
    assert first == evaluate(labelled, seed=3, **kwargs).to_dict()
    for iv in first["tasks"][0]["rows"][0]["intervals"].values():
        assert iv["low"] <= iv["difference"] <= iv["high"] and iv["n_records"] == 3 and iv["baseline"] == "Lead-1"


# --------------------------------------------------------------------------- tiny transformers models side by side

NER_LABELS = ["O", "B-ORG", "I-ORG", "B-PER", "I-PER"]


@pytest.fixture(scope="module")
def tiny_random_ner_dir(tmp_path_factory) -> Path:
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    directory = tmp_path_factory.mktemp("tiny_random_ner")
    chars = sorted({c for r in RECORDS for c in r["text"]})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=64,
                        id2label=dict(enumerate(NER_LABELS)), label2id={lb: i for i, lb in enumerate(NER_LABELS)})
    torch.manual_seed(0)
    BertForTokenClassification(config).save_pretrained(directory)
    BertTokenizer.from_pretrained(str(directory)).save_pretrained(directory)
    return directory


def test_tiny_models_and_a_callable_side_by_side(labelled, user_module, tiny_seq2seq_dirs, tiny_random_ner_dir):
    from newsnlp.summarization.abstractive import AbstractiveSummarizer
    from newsnlp.article import Article
    from newsnlp.evaluation.scoring import NEWSNLP_MAP, ner_values, rouge_values
    from newsnlp.entities.backends.transformer_tagger import TransformersNER

    bart = str(tiny_seq2seq_dirs["bart"])
    report = evaluate(labelled, summary_models=["default", bart, "my_models:first_clause"],
                      ner_models=[str(tiny_random_ner_dir), "my_models:org_at_start"], device="cpu")
    summary = {r.system: r for r in report.task("summary").rows}
    assert list(summary) == ["newsnlp.summarize (default)", bart, "my_models:first_clause", "Lead-1", "Lead-3",
                             "TextRank (120 chars)"]
    # the tiny model's row is exactly what its own outputs score
    model = AbstractiveSummarizer(bart, device="cpu")
    articles = [Article(text=r["text"], title=r.get("title"), id=r["id"]) for r in RECORDS]
    assert summary[bart].values == rouge_values([model(a) for a in articles], [r["summary"] for r in RECORDS])
    assert set(summary[bart].intervals) == {"rouge1_f", "rouge2_f", "rougeL_f"}
    spans = {r.system: r for r in report.task("entity-spans").rows}
    tagger = TransformersNER(str(tiny_random_ner_dir), device="cpu")
    expected = ner_values(RECORDS, tagger.predict([r["text"] for r in RECORDS]), NEWSNLP_MAP,
                          ["LOC", "ORG", "PERSON"], merge_org=False)
    assert {k: spans[str(tiny_random_ner_dir)].values[k] for k in expected} == expected
    assert [r.kind for r in report.task("entity-spans").rows] == ["model", "model", "baseline"]
    text = report.to_text()
    assert "jieba POS (nr/nt/ns)" in text and "Lead-3" in text and "[" in text


def test_cli_writes_the_table_report_charts_and_json(labelled, user_module, tmp_path, tiny_seq2seq_dirs):
    pytest.importorskip("matplotlib")
    out, js = tmp_path / "out" / "report.md", tmp_path / "scores.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(user_module), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-m", "newsnlp.cli", "evaluate", "--data", str(labelled), "--summary-model", "default",
         "--summary-model", str(tiny_seq2seq_dirs["bart"]), "--ner-model", "my_models:org_at_start",
         "--out", str(out), "--json", str(js), "--seed", "5", "--resamples", "200", "--device", "cpu"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Summaries: character ROUGE (4 records)" in result.stdout
    assert "Lead-1" in result.stdout and "my_models:org_at_start" in result.stdout
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["seed"] == 5 and [t["key"] for t in data["tasks"]] == ["summary", "keywords", "entity-lists", "entity-spans"]
    markdown = out.read_text(encoding="utf-8")
    assert "](img/report-summary.png)" in markdown
    png = (out.parent / "img" / "report-summary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    bad = subprocess.run([sys.executable, "-m", "newsnlp.cli", "evaluate", "--data", str(labelled), "--summary-model",
                          "nope/not-cached-model"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert bad.returncode == 2 and "could not be loaded; tried" in bad.stderr


def test_out_without_matplotlib_says_how_to_install_it(labelled, monkeypatch, capsys, tmp_path):
    from newsnlp.cli.main import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    assert main(["evaluate", "--data", str(labelled), "--out", str(tmp_path / "r.md"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'newsnlp[bench]'" in err and "--json" in err
    assert not (tmp_path / "r.md").exists()


def test_cli_data_errors_exit_2_with_the_line(tmp_path, capsys):
    from newsnlp.cli.main import main

    bad = write_jsonl(tmp_path / "bad.jsonl", [RECORDS[0], {"text": 3}])
    assert main(["evaluate", "--data", str(bad), "--no-progress"]) == 2
    assert f"newsnlp evaluate: {bad} line 2: 'text' must be a string, got int" in capsys.readouterr().err


# --------------------------------------------------------------------------- from an installed wheel

from test_packaging import wheel  # noqa: E402,F401 - the module-scoped wheel fixture, reused


def test_installed_wheel_evaluates_outside_a_checkout(wheel, tmp_path, labelled, tiny_seq2seq_dirs):  # noqa: F811
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = next(env_dir.glob("lib/python*/site-packages"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    # The dependencies (torch, transformers, ...) come from this test's environment, after the wheel's files.
    import transformers

    (site / "_deps.pth").write_text(str(Path(transformers.__file__).parents[1]) + "\n", encoding="utf-8")
    python = env_dir / "bin" / "python"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(python), "-c", "import newsnlp.evaluation as e; print(e.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site)
    command = [str(python), "-m", "newsnlp.cli", "evaluate", "--data", str(labelled), "--summary-model", "default",
               "--summary-model", str(tiny_seq2seq_dirs["bart"]), "--ner-model", "default", "--limit", "3",
               "--resamples", "100", "--device", "cpu", "--out", "report.md", "--no-progress"]
    run = subprocess.run(command, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Summaries: character ROUGE (3 records)" in run.stdout
    assert "newsnlp.summarize (default)" in run.stdout and str(tiny_seq2seq_dirs["bart"]) in run.stdout
    tiny_row = next(line for line in run.stdout.splitlines() if line.startswith(str(tiny_seq2seq_dirs["bart"])))
    assert tiny_row.count(" [") == 3  # an interval per ROUGE column, against the best baseline
    assert "Δ R-L F [CI]" in run.stdout and "Lead-3" in run.stdout
    assert "](img/report-summary.png)" in (elsewhere / "report.md").read_text(encoding="utf-8")
    assert (elsewhere / "img" / "report-summary.png").is_file()
    sample = subprocess.run([str(python), "-c", "from newsnlp.evaluation import load_records; "
                             "from newsnlp.evaluation.data import sample_dir; "
                             "print(len(load_records('sample')[1]), sample_dir())"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, check=True)
    count, folder = sample.stdout.split()
    assert int(count) == 44 and Path(folder) == site / "newsnlp" / "evaluation" / "sample"
