"""Batch tagging: broken files reported, kill-and-resume, incremental runs, write-back, inputs/outputs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsnlp.batch import (
    DatasetMapper,
    make_dataset_mapper,
    parallel_map,
    parse_fields,
    read_results,
    tag_archive,
)
from newsnlp.article import as_article
from newsnlp.errors import ModelNotFoundError, NewsNLPError

from batch_stubs import StubAnalyzer, make_stub  # noqa: F401 (make_stub: the NEWSNLP_BATCH_ANALYZER hook batch_stubs:make_stub)

REPO = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).resolve().parents[1]


class BatchingStubAnalyzer(StubAnalyzer):
    """Has ``analyze_many`` like :class:`newsnlp.Analyzer`; counts how it was called."""

    def __init__(self):
        self.batches = []

    def analyze_many(self, items):
        self.batches.append(len(items))
        return [self(x) for x in items]  # raises on the crash marker, for the whole batch


class MissingModelAnalyzer:
    def __call__(self, article):
        raise ModelNotFoundError("shipped model 'ner' is missing: looked for models/ner")


class TouchingAnalyzer(StubAnalyzer):
    """Edits the post on disk while it is being analysed, like an editor saving it meanwhile."""

    def __call__(self, article):
        if article.path and "touch" in article.path:
            with open(article.path, "ab") as fh:
                fh.write("编辑刚刚加了一句。\n".encode())
        return super().__call__(article)


def post(title: str, body: str, extra: str = "") -> str:
    return f"---\nlayout: post\ntitle: \"{title}\"\n{extra}---\n<p>{body}</p>\n"


def write_good_posts(root: Path, n: int) -> list[str]:
    ids = []
    for i in range(n):
        pid = f"2024-05-{i + 1:02d}-post-{i}"
        (root / f"{pid}.md").write_text(post(f"第{i}篇", f"宁波市总工会第{i}次会议召开。会议部署了工作。"), encoding="utf-8")
        ids.append(pid)
    return ids


@pytest.fixture()
def mixed_archive(tmp_path):
    root = tmp_path / "_posts"
    (root / "2023").mkdir(parents=True)
    (root / "good.md").write_text(post("宁波总工会", "宁波市总工会召开全委会议。会议部署了全年工作。"), encoding="utf-8")
    (root / "gbk.md").write_bytes(post("杭州消费券", "杭州发放消费券。商户踊跃参与。").encode("gbk"))
    (root / "undecodable.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe\xff\xfe\x80\x80")
    (root / "malformed.md").write_text("---\ntitle: [未闭合\n---\n<p>正文。</p>\n", encoding="utf-8")
    (root / "empty.md").write_text("---\ntitle: 空\n---\n", encoding="utf-8")
    (root / "huge.md").write_text(post("长文", "很长的文章。" * 400), encoding="utf-8")
    (root / "-dash.md").write_text(post("短横线", "文件名以短横线开头。内容正常。"), encoding="utf-8")
    (root / "crash.md").write_text(post("崩溃", "这篇会让模型崩溃。第二句。"), encoding="utf-8")
    (root / "2023" / "nested.html").write_text("<p>嵌套目录里的网页文章。</p>", encoding="utf-8")
    (root / "2023" / "note.txt").write_text("纯文本的短讯。", encoding="utf-8")
    (root / ".draft.md").write_text(post("草稿", "隐藏文件不处理。"), encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG")
    return root


def test_mixed_archive_reports_each_broken_file_and_analyses_the_rest(mixed_archive, tmp_path):
    out = tmp_path / "out.jsonl"
    report = tag_archive(mixed_archive, out, workers=1, analyzer=StubAnalyzer(), max_chars=1000, progress=False)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == ["-dash", "2023/nested", "2023/note", "gbk", "good"]
    errors = {e["id"]: e for e in map(json.loads, (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines())}
    assert {k: v["error_type"] for k, v in errors.items()} == {
        "crash": "RuntimeError",
        "empty": "EmptyArticle",
        "huge": "ArticleTooLong",
        "malformed": "FrontMatterError",
        "undecodable": "ArticleError",
    }
    assert errors["crash"]["reason"] == "stub model crashed on this article"
    assert errors["crash"]["path"] == str(mixed_archive / "crash.md")
    assert "malformed YAML front matter" in errors["malformed"]["reason"]
    assert errors["huge"]["reason"].startswith("too long: ")
    assert (report.processed, report.skipped, report.failed, report.ok) == (5, 0, 5, False)

    by_id = {r["id"]: r for r in records}
    good = by_id["good"]
    assert good["content_hash"] == hashlib.sha256((mixed_archive / "good.md").read_bytes()).hexdigest()
    assert good["summary"] == "宁波市总工会召开全委会议。"
    assert good["title"] == "宁波总工会" and good["tags"] == ["宁波总工会"]
    assert good["keywords"] == [{"text": "宁波", "score": 1.0}, {"text": "工会", "score": 0.5}]
    assert good["entities"]["officials"] == [{"name": "李谦", "title": "主席", "organisation": "宁波市总工会", "mentions": []}]
    assert "mentions" not in good["entities"]
    assert good["versions"]["newsnlp"]
    assert by_id["gbk"]["summary"] == "杭州发放消费券。" and "GB18030" in by_id["gbk"]["warnings"][0]


def test_rerun_skips_unchanged_redoes_changed_and_keeps_one_record_per_article(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 4)
    out = tmp_path / "out.jsonl"
    first = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (first.processed, first.skipped, first.failed) == (4, 0, 0)

    (root / f"{ids[1]}.md").write_text(post("改过", "改写后的第一句。第二句。"), encoding="utf-8")
    write_good_posts_extra = root / "2024-06-01-new.md"
    write_good_posts_extra.write_text(post("新", "新增文章。"), encoding="utf-8")
    second = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (second.processed, second.skipped, second.failed) == (2, 3, 0)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5  # the superseded record was compacted away
    summaries = {r["id"]: r["summary"] for r in read_results(out)}
    assert summaries[ids[1]] == "改写后的第一句。"
    assert summaries["2024-06-01-new"] == "新增文章。"

    forced = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, force=True)
    assert (forced.processed, forced.skipped) == (5, 0)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def tagged_archive(tmp_path: Path, n: int) -> tuple[Path, Path, list[str]]:
    """``n`` good posts under ``tmp_path/posts`` tagged once into ``tmp_path/out.jsonl``."""
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, n)
    out = tmp_path / "out.jsonl"
    tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    return root, out, ids


def test_a_cut_off_last_line_is_dropped_and_that_article_redone(tmp_path):
    root, out, _ = tagged_archive(tmp_path, 3)
    data = out.read_bytes()
    lines = data.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:2]) + lines[2][:25])  # a run killed in the middle of a line
    report = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (report.processed, report.skipped) == (1, 2)
    assert out.read_bytes().endswith(b"\n")
    assert sorted(r["id"] for r in map(json.loads, out.read_bytes().splitlines())) == sorted(
        json.loads(x)["id"] for x in lines
    )


def _cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(TESTS), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def start_slow_run(tmp_path: Path, n: int, *, sleep: float, records: int, timeout: float = 90):
    """Start ``newsnlp tag`` (2 workers, stub analyzer) on ``n`` new posts in a session of its own, each
    article taking ``sleep`` seconds; return once ``records`` are written: ``(proc, out, ids, cmd, env)``."""
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, n)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "newsnlp.cli", "tag", str(root), "-o", str(out), "--workers", "2", "--batch-size", "1",
           "--quiet"]
    env = _cli_env(NEWSNLP_BATCH_ANALYZER="batch_stubs:make_stub", NEWSNLP_BATCH_SLEEP=str(sleep))
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= records:
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("the run did not start")
    return proc, out, ids, cmd, env


def test_a_run_killed_midway_then_resumed_gives_exactly_one_record_per_article(tmp_path):
    proc, out, ids, cmd, env = start_slow_run(tmp_path, 20, sleep=0.4, records=4, timeout=60)
    os.killpg(proc.pid, signal.SIGKILL)  # the main process and its workers, mid-run
    proc.wait(timeout=30)
    done_before = out.read_bytes().count(b"\n")
    assert 4 <= done_before < 20, "the run should have been killed midway"

    env.pop("NEWSNLP_BATCH_SLEEP")
    resumed = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"processed {20 - done_before}, skipped {done_before}, failed 0" in resumed.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == sorted(ids)  # exactly one each


def test_cli_counts_and_exit_status_with_failures(mixed_archive, tmp_path):
    errors = tmp_path / "errs.jsonl"
    cmd = [sys.executable, "-m", "newsnlp.cli", "tag", str(mixed_archive), "-o", str(tmp_path / "o.jsonl"),
           "--workers", "1", "--quiet", "--errors", str(errors), "--max-chars", "1000"]
    res = subprocess.run(cmd, env=_cli_env(NEWSNLP_BATCH_ANALYZER="batch_stubs:make_stub"), cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "processed 5, skipped 0, failed 5" in res.stderr
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 5
    bad = subprocess.run([sys.executable, "-m", "newsnlp.cli", "tag", str(tmp_path / "nope")], env=_cli_env(),
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "no such file or folder" in bad.stderr


def test_chunks_go_through_analyze_many_and_a_crash_falls_back_to_one_by_one(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 5)
    (root / "2024-05-03-post-2.md").write_text(post("崩溃", "这篇会让模型崩溃。"), encoding="utf-8")
    stub = BatchingStubAnalyzer()
    report = tag_archive(root, tmp_path / "out.jsonl", workers=1, batch_size=3, analyzer=stub, progress=False)
    assert stub.batches == [3, 2]  # the first chunk raised, and was redone one by one
    assert (report.processed, report.failed) == (4, 1)
    assert sorted(r["id"] for r in read_results(tmp_path / "out.jsonl")) == [i for i in ids if i != "2024-05-03-post-2"]
    assert report.failures[0]["id"] == "2024-05-03-post-2"


class OddBatchAnalyzer(StubAnalyzer):
    """Its ``analyze_many`` gives something that is not an analysis for the marked article; alone it is fine."""

    def analyze_many(self, items):
        return [None if "怪" in as_article(x).text else self(x) for x in items]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_result_in_a_batch_is_redone_alone_not_lost_with_the_chunk(tmp_path, workers):
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 5)
    (root / "2024-06-01-odd.md").write_text(post("怪", "这篇怪文章单独分析没问题。"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = tag_archive(root, out, workers=workers, batch_size=3, analyzer=OddBatchAnalyzer(), progress=False)
    assert (report.processed, report.failed) == (6, 0)
    records = {r["id"]: r for r in read_results(out)}
    assert sorted(records) == sorted(ids + ["2024-06-01-odd"])
    assert records["2024-06-01-odd"]["summary"] == "这篇怪文章单独分析没问题。"


def test_a_dying_worker_fails_only_its_article(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 6)
    (root / "2024-07-01-die.md").write_text(post("死", "DIE_NOW 这篇让进程退出。"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = tag_archive(root, out, workers=2, batch_size=3, analyzer=StubAnalyzer(), progress=False)
    assert (report.processed, report.failed) == (6, 1)
    assert sorted(r["id"] for r in read_results(out)) == sorted(ids)
    (err,) = map(json.loads, (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines())
    assert (err["id"], err["error_type"]) == ("2024-07-01-die", "WorkerDied")


def test_two_runs_cannot_write_one_output(tmp_path):
    import fcntl

    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 1)
    out = tmp_path / "out.jsonl"
    with open(out, "ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(NewsNLPError, match="being written by another `newsnlp tag` run"):
            tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)


def test_missing_model_stops_the_run_instead_of_failing_every_article(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    with pytest.raises(ModelNotFoundError, match="'ner' is missing"):
        tag_archive(root, tmp_path / "o.jsonl", workers=1, analyzer=MissingModelAnalyzer(), progress=False)


# --------------------------------------------------------------------------- write-back

CRLF_POST = (
    "\ufeff---\r\n"
    "layout: post\r\n"
    "# 保留这条注释\r\n"
    "title: '宁波: 全委会'\r\n"
    "summary: \"旧摘要\"\r\n"
    "tags: [工会]\r\n"
    "---\r\n"
    "<p>宁波市总工会召开全委会议。会议部署了全年工作。</p>\r\n"
)


def test_write_front_matter_changes_only_the_managed_keys_and_is_stable(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    path = root / "crlf.md"
    path.write_bytes(CRLF_POST.encode("utf-8"))
    (root / "plain.txt").write_text("没有 front matter 的文本。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True,
                         fields="summary,keywords=关键词,officials", overwrite=True)  # replaces the hand-written summary
    assert (report.processed, report.written_back, report.failed) == (2, 1, 0)
    assert path.read_bytes() == (
        "\ufeff---\r\n"
        "layout: post\r\n"
        "# 保留这条注释\r\n"
        "title: '宁波: 全委会'\r\n"
        "summary: 宁波市总工会召开全委会议。\r\n"
        "tags: [工会]\r\n"
        "关键词:\r\n"
        "- 宁波\r\n"
        "- 工会\r\n"
        "officials:\r\n"
        "- name: 李谦\r\n"
        "  title: 主席\r\n"
        "  organisation: 宁波市总工会\r\n"
        "---\r\n"
        "<p>宁波市总工会召开全委会议。会议部署了全年工作。</p>\r\n"
    ).encode("utf-8")


def test_write_back_then_rerun_does_not_churn(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    out = tmp_path / "out.jsonl"
    tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True)
    snapshot = {p.name: p.read_bytes() for p in root.iterdir()}
    again = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True)
    assert (again.processed, again.skipped, again.written_back) == (0, 2, 0)
    assert {p.name: p.read_bytes() for p in root.iterdir()} == snapshot


def test_write_back_of_articles_analysed_by_an_earlier_run(tmp_path):
    root, out, (pid,) = tagged_archive(tmp_path, 1)
    report = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True)
    assert (report.skipped, report.written_back) == (1, 1)
    assert "summary: 宁波市总工会第0次会议召开。\n" in (root / f"{pid}.md").read_text(encoding="utf-8")
    (rec,) = read_results(out)
    assert rec["written_hash"] == hashlib.sha256((root / f"{pid}.md").read_bytes()).hexdigest()
    third = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True)
    assert (third.processed, third.skipped, third.written_back) == (0, 1, 0)


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    (root / "crlf.md").write_bytes(CRLF_POST.encode("utf-8"))
    write_good_posts(root, 2)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.iterdir()}
    diff = io.StringIO()
    report = tag_archive(root, tmp_path / "out.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False,
                         dry_run=True, diff_out=diff, overwrite=True)
    assert report.written_back == 3 and report.processed == 3
    assert f"--- a/{root / 'crlf.md'}" in diff.getvalue()
    assert '-summary: "旧摘要"\r\n' in diff.getvalue() and "+summary: 宁波市总工会召开全委会议。\r\n" in diff.getvalue()
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts"]  # no output, no errors file


def test_a_post_changed_on_disk_meanwhile_is_not_touched_and_reported(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 1)
    touched = root / "2024-08-01-touch.md"
    touched.write_text(post("改动", "正文第一句。"), encoding="utf-8")
    report = tag_archive(root, tmp_path / "out.jsonl", workers=1, analyzer=TouchingAnalyzer(), progress=False,
                         write_front_matter=True)
    assert (report.processed, report.written_back, report.failed) == (2, 1, 1)
    assert touched.read_text(encoding="utf-8") == post("改动", "正文第一句。") + "编辑刚刚加了一句。\n"
    (err,) = map(json.loads, (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines())
    assert err["error_type"] == "ChangedOnDiskError" and "changed on disk" in err["reason"]
    # The next run sees the new version and analyses it again.
    again = tag_archive(root, tmp_path / "out.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (again.processed, again.skipped) == (1, 1)


def test_write_back_needs_a_folder_of_posts(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "1", "text": "宁波。"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="edits post files, but .* is a jsonl archive"):
        tag_archive(src, tmp_path / "o.jsonl", workers=1, analyzer=StubAnalyzer(), write_front_matter=True)


def test_parse_fields():
    assert parse_fields("summary=abstract, keywords") == {"summary": "abstract", "keywords": "keywords"}
    with pytest.raises(ValueError, match="unknown field 'sumary'.*valid fields: summary"):
        parse_fields("sumary")


# --------------------------------------------------------------------------- other inputs and outputs

RECORDS = [
    {"id": "a1", "title": "甲", "text": "宁波市总工会召开会议。部署工作。"},
    {"id": "a2", "title": "乙", "text": "杭州发放消费券。"},
    {"id": "a3", "title": "丙", "text": ""},
]


def test_jsonl_input_with_parquet_and_csv_output(tmp_path):
    import csv

    import pyarrow.parquet as pq

    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n{broken\n", encoding="utf-8")
    target = tmp_path / "out.parquet"
    report = tag_archive(src, target, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (report.processed, report.failed) == (2, 2)  # the empty text and the broken line
    table = pq.read_table(target).to_pylist()
    assert [(r["id"], r["summary"]) for r in table] == [("a1", "宁波市总工会召开会议。"), ("a2", "杭州发放消费券。")]
    assert table[0]["entities"]["officials"][0]["organisation"] == "宁波市总工会"
    assert (tmp_path / "out.parquet.jsonl").exists()  # the journal that makes re-runs incremental
    again = tag_archive(src, target, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (again.processed, again.skipped) == (0, 2)

    csv_out = tmp_path / "out.csv"
    tag_archive(src, csv_out, workers=1, analyzer=StubAnalyzer(), progress=False)
    with open(csv_out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["a1", "a2"]
    assert json.loads(rows[0]["officials"]) == [{"name": "李谦", "title": "主席", "organisation": "宁波市总工会"}]


def test_parquet_and_saved_dataset_inputs(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import Dataset

    pq.write_table(pa.Table.from_pylist(RECORDS[:2]), tmp_path / "in.parquet")
    r1 = tag_archive(tmp_path / "in.parquet", tmp_path / "p.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False)
    assert r1.processed == 2
    Dataset.from_list(RECORDS[:2]).save_to_disk(str(tmp_path / "ds"))
    r2 = tag_archive(tmp_path / "ds", tmp_path / "d.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False)
    assert r2.processed == 2
    # A record's hash covers the whole record, so both inputs give the same hashes.
    assert [r["content_hash"] for r in read_results(tmp_path / "p.jsonl")] == [
        r["content_hash"] for r in read_results(tmp_path / "d.jsonl")
    ]


def test_parallel_map_keeps_input_order():
    texts = [f"第{i}篇文章。后文。" for i in range(9)]
    out = list(parallel_map(StubAnalyzer(), texts, n_process=2, batch_size=2))
    assert [a.summary for a in out] == [f"第{i}篇文章。" for i in range(9)]


def test_dataset_mapper_with_datasets_map(tmp_path):
    from datasets import Dataset

    ds = Dataset.from_list(RECORDS)
    mapper = make_dataset_mapper(StubAnalyzer(), prefix="nlp_", columns=("summary", "officials", "programmes"))
    assert isinstance(mapper, DatasetMapper)
    features = ds.features.copy()
    features.update(mapper.features)
    mapped = ds.map(mapper, batched=True, batch_size=2, features=features)
    assert mapped["nlp_summary"] == ["宁波市总工会召开会议。", "杭州发放消费券。", ""]
    assert mapped["nlp_programmes"] == [["春风行动"], ["春风行动"], []]
    assert mapped[0]["nlp_officials"] == [{"name": "李谦", "title": "主席", "organisation": "宁波市总工会"}]
    with pytest.raises(KeyError, match="no 'body' column"):
        make_dataset_mapper(StubAnalyzer(), text_column="body")({"text": ["x"]})


# --------------------------------------------------------------------------- model versions (stale records)

V1 = {"newsnlp": "0.1.0", "ner": "sha256:1111111111111111", "summarizer": "sha256:2222222222222222"}
V2 = {**V1, "ner": "sha256:3333333333333333"}  # a new NER model shipped


class NewModelStub(StubAnalyzer):
    """What an upgraded model gives: the same analysis with a marked summary."""

    def __call__(self, article):
        from dataclasses import replace

        analysis = super().__call__(article)
        return replace(analysis, summary="新模型：" + analysis.summary)


def make_new_model_stub():
    return NewModelStub()


@pytest.fixture()
def versions(monkeypatch):
    """The model versions a run sees (no hashing of models/); update the dict to 'upgrade'."""
    current = dict(V1)
    monkeypatch.setattr("newsnlp.batch.versions.model_versions", lambda analyzer=None: dict(current))
    return current


def test_new_model_versions_refresh_every_unchanged_post(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 4)
    same = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (same.processed, same.skipped, same.refreshed, same.kept_stale) == (0, 4, 0, 0)
    assert "re-analysed" not in same.summary_line() and "other model versions" not in same.summary_line()

    versions.update(V2)
    new = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False)
    assert (new.processed, new.skipped, new.failed, new.refreshed) == (4, 0, 0, 4)
    assert "; 4 re-analysed: made by other model versions" in new.summary_line()
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4  # old records compacted away
    records = list(read_results(out))
    assert sorted(r["id"] for r in records) == sorted(ids)
    assert all(r["versions"] == V2 for r in records)
    assert {r["id"]: r["summary"] for r in records} == {
        pid: f"新模型：宁波市总工会第{i}次会议召开。" for i, pid in enumerate(ids)
    }

    again = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False)
    assert (again.processed, again.skipped, again.refreshed) == (0, 4, 0)


def test_refresh_in_worker_processes_counts_changed_posts_apart(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 3)
    (root / f"{ids[0]}.md").write_text(post("改过", "改写后的第一句。"), encoding="utf-8")
    versions.update(V2)
    report = tag_archive(root, out, workers=2, batch_size=1, analyzer=NewModelStub(), progress=False)
    # The changed post is processed as changed; only the two unchanged ones were refreshed.
    assert (report.processed, report.skipped, report.refreshed) == (3, 0, 2)
    records = {r["id"]: r for r in read_results(out)}
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert records[ids[0]]["summary"] == "新模型：改写后的第一句。"
    assert all(r["versions"] == V2 for r in records.values())


def test_keep_stale_keeps_old_records_and_force_still_redoes_all(tmp_path, versions):
    root, out, _ = tagged_archive(tmp_path, 3)
    before = out.read_bytes()

    versions.update(V2)
    kept = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False, refresh_stale=False)
    assert (kept.processed, kept.skipped, kept.refreshed, kept.kept_stale) == (0, 3, 0, 3)
    assert "; 3 kept from other model versions (--keep-stale)" in kept.summary_line()
    assert out.read_bytes() == before
    assert all(r["versions"] == V1 for r in read_results(out))

    forced = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False, refresh_stale=False,
                         force=True)
    assert (forced.processed, forced.skipped) == (3, 0)
    assert all(r["versions"] == V2 and r["summary"].startswith("新模型：") for r in read_results(out))


def _in_process_cli_env(monkeypatch, factory: str) -> None:
    """Environment for running ``newsnlp tag`` in-process with the stub analyzer ``factory``."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        monkeypatch.setenv(var, "1")  # the command sets these for --workers 1; keep them out of other tests
    monkeypatch.setenv("NEWSNLP_BATCH_ANALYZER", f"{__name__}:{factory}")


def test_cli_keep_stale_then_default_refresh(tmp_path, versions, monkeypatch, capsys):
    from newsnlp.cli.main import main

    _in_process_cli_env(monkeypatch, "make_new_model_stub")
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 3)
    out = tmp_path / "out.jsonl"
    cmd = ["tag", str(root), "-o", str(out), "--workers", "1", "--quiet"]
    assert main(cmd) == 0
    before = out.read_bytes()
    capsys.readouterr()

    versions.update(V2)
    assert main(cmd + ["--keep-stale"]) == 0
    err = capsys.readouterr().err
    assert "processed 0, skipped 3, failed 0 in " in err and "3 kept from other model versions" in err
    assert "re-analysed" not in err
    assert out.read_bytes() == before

    assert main(cmd) == 0
    err = capsys.readouterr().err
    assert "processed 3, skipped 0, failed 0 in " in err
    assert "; 3 re-analysed: made by other model versions" in err
    assert [r["versions"] for r in read_results(out)] == [V2] * 3


def test_a_record_without_versions_counts_as_stale(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 3)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    del records[1]["versions"]  # as written by a newsnlp that did not record versions
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    kept = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, refresh_stale=False)
    assert (kept.processed, kept.skipped, kept.kept_stale) == (0, 3, 1)
    report = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (report.processed, report.skipped, report.refreshed) == (1, 2, 1)
    by_id = {r["id"]: r for r in read_results(out)}
    assert sorted(by_id) == sorted(ids) and by_id[records[1]["id"]]["versions"] == V1


def test_stale_posts_are_written_back_like_changed_ones_and_dry_run_writes_nothing(tmp_path, versions):
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 2)
    out = tmp_path / "out.jsonl"
    tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True)
    files_before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    versions.update(V2)
    diff = io.StringIO()
    dry = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False, dry_run=True, diff_out=diff)
    assert (dry.processed, dry.refreshed, dry.written_back) == (2, 2, 2)
    assert "+summary: 新模型：宁波市总工会第0次会议召开。\n" in diff.getvalue()
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files_before

    real = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False, write_front_matter=True)
    assert (real.processed, real.refreshed, real.written_back, real.failed) == (2, 2, 2, 0)
    by_id = {r["id"]: r for r in read_results(out)}
    for i, pid in enumerate(ids):
        data = (root / f"{pid}.md").read_bytes()
        assert f"summary: 新模型：宁波市总工会第{i}次会议召开。\n" in data.decode("utf-8")
        assert by_id[pid]["written_hash"] == hashlib.sha256(data).hexdigest()
        assert by_id[pid]["versions"] == V2
    snapshot = {p.name: p.read_bytes() for p in root.iterdir()}
    third = tag_archive(root, out, workers=1, analyzer=NewModelStub(), progress=False, write_front_matter=True)
    assert (third.processed, third.skipped, third.written_back) == (0, 2, 0)
    assert {p.name: p.read_bytes() for p in root.iterdir()} == snapshot


def test_the_index_keeps_one_shared_versions_digest_not_records(tmp_path, versions):
    from newsnlp.batch.journal import read_index as _read_index

    root, out, _ = tagged_archive(tmp_path, 5)
    index, n = _read_index(out, repair=False)
    assert n == 5
    digests = [known.versions for known in index.values()]
    assert len({id(d) for d in digests}) == 1 and len(digests[0]) == 16  # one string object for all
    assert not hasattr(next(iter(index.values())), "__dict__")  # slots: hashes, offset, digest only


def test_summary_line_names_the_refreshed_count():
    from newsnlp.batch import TagReport

    assert TagReport(processed=120, skipped=3, refreshed=120, seconds=2.0).summary_line() == (
        "processed 120, skipped 3, failed 0 in 2.0 s (60.0 articles/s); 120 re-analysed: made by other model versions"
    )
    assert TagReport(processed=2, seconds=1.0).summary_line() == "processed 2, skipped 0, failed 0 in 1.0 s (2.0 articles/s)"


# --------------------------------------------------------------------------- --prune

def _lines_by_id(out: Path) -> dict[str, bytes]:
    """Each record's exact line, by id (the output is compacted: one line an id)."""
    lines = out.read_bytes().splitlines(keepends=True)
    return {json.loads(line)["id"]: line for line in lines}


class InterruptingAnalyzer(StubAnalyzer):
    def __call__(self, article):
        raise KeyboardInterrupt


def test_a_deleted_post_keeps_its_record_unless_pruned(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 4)
    before = _lines_by_id(out)
    (root / f"{ids[2]}.md").unlink()

    kept = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert (kept.processed, kept.skipped, kept.pruned) == (0, 3, 0)
    assert "prune" not in kept.summary_line()
    assert _lines_by_id(out) == before

    pruned = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    assert (pruned.processed, pruned.skipped, pruned.failed, pruned.pruned) == (0, 3, 0, 1)
    assert pruned.summary_line().endswith("; 1 pruned: no longer in the archive")
    after = _lines_by_id(out)
    assert sorted(after) == sorted(ids[:2] + ids[3:])
    assert after == {pid: line for pid, line in before.items() if pid != ids[2]}  # the others byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # no temp left; the manifest claims the output
        "out.errors.jsonl", "out.jsonl", "out.jsonl.newsnlp.json", "posts"]

    again = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    assert again.pruned == 0 and _lines_by_id(out) == after


def test_prune_keeps_the_record_of_a_post_that_fails_this_time(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 4)
    before = _lines_by_id(out)
    (root / f"{ids[0]}.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe\xff\xfe\x80\x80")  # unreadable now
    (root / f"{ids[1]}.md").write_text(post("崩溃", "这篇会让模型崩溃。"), encoding="utf-8")  # analysis error
    (root / f"{ids[3]}.md").unlink()

    report = tag_archive(root, out, workers=2, batch_size=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    assert (report.processed, report.skipped, report.failed, report.pruned) == (0, 1, 2, 1)
    assert _lines_by_id(out) == {pid: before[pid] for pid in ids[:3]}


def test_no_prune_when_the_run_stops_early(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 3)
    before = out.read_bytes()
    (root / f"{ids[0]}.md").unlink()
    (root / f"{ids[1]}.md").write_text(post("改过", "改写后的第一句。"), encoding="utf-8")  # to be analysed

    with pytest.raises(ModelNotFoundError):
        tag_archive(root, out, workers=1, analyzer=MissingModelAnalyzer(), progress=False, prune=True)
    assert out.read_bytes() == before
    with pytest.raises(KeyboardInterrupt):
        tag_archive(root, out, workers=1, analyzer=InterruptingAnalyzer(), progress=False, prune=True)
    assert out.read_bytes() == before


def test_prune_refuses_an_empty_archive(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 2)
    before = out.read_bytes()
    for pid in ids:
        (root / f"{pid}.md").unlink()
    report = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    assert report.pruned == 0 and out.read_bytes() == before
    assert report.summary_line().endswith(
        f"; nothing pruned: {root} holds no article, so every record would go; is that the right archive?"
    )


def test_dry_run_prune_lists_the_ids_and_writes_nothing(tmp_path, versions):
    root, out, ids = tagged_archive(tmp_path, 3)
    (root / f"{ids[1]}.md").unlink()
    files_before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}

    listing = io.StringIO()
    report = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True, dry_run=True,
                         diff_out=listing)
    assert report.pruned == 1
    assert report.summary_line().endswith("; 1 to prune (dry run): no longer in the archive")
    assert f"would prune {ids[1]} ({root / (ids[1] + '.md')}): no longer in the archive\n" in listing.getvalue()
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()} == files_before


def test_prune_on_records_with_parquet_and_csv_export(tmp_path, versions):
    import csv

    import pyarrow.parquet as pq

    src = tmp_path / "articles.jsonl"
    rows = RECORDS[:2] + [{"id": "a4", "title": "丁", "text": "温州召开座谈会。"}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    target, csv_out = tmp_path / "out.parquet", tmp_path / "out.csv"
    tag_archive(src, target, workers=1, analyzer=StubAnalyzer(), progress=False)
    tag_archive(src, csv_out, workers=1, analyzer=StubAnalyzer(), progress=False)
    assert [r["id"] for r in pq.read_table(target).to_pylist()] == ["a1", "a2", "a4"]

    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["id"] != "a2"), encoding="utf-8")
    report = tag_archive(src, target, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    assert (report.processed, report.skipped, report.pruned) == (0, 2, 1)
    assert [r["id"] for r in pq.read_table(target).to_pylist()] == ["a1", "a4"]
    assert [r["id"] for r in read_results(tmp_path / "out.parquet.jsonl")] == ["a1", "a4"]
    tag_archive(src, csv_out, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    with open(csv_out, encoding="utf-8-sig", newline="") as fh:
        assert [r["id"] for r in csv.DictReader(fh)] == ["a1", "a4"]


def test_prune_is_refused_when_a_row_cannot_be_read(tmp_path, versions):
    src = tmp_path / "articles.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS[:2]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    tag_archive(src, out, workers=1, analyzer=StubAnalyzer(), progress=False)
    before = out.read_bytes()
    # a2's row is damaged: it is still there, but its id cannot be read, so its record must stay.
    src.write_text(json.dumps(RECORDS[0], ensure_ascii=False) + "\n{\"id\": \"a2\", broken\n", encoding="utf-8")
    report = tag_archive(src, out, workers=1, analyzer=StubAnalyzer(), progress=False, prune=True)
    assert (report.failed, report.pruned) == (1, 0)
    assert out.read_bytes() == before
    assert f"; nothing pruned: 1 row(s) of {src} could not be read, so their ids are unknown" in report.summary_line()


def test_cli_prune_and_dry_run_prune(tmp_path, versions, monkeypatch, capsys):
    from newsnlp.cli.main import main

    _in_process_cli_env(monkeypatch, "make_stub")
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 3)
    out = tmp_path / "out.jsonl"
    cmd = ["tag", str(root), "-o", str(out), "--workers", "1", "--quiet"]
    assert main(cmd) == 0
    (root / f"{ids[0]}.md").unlink()
    before = out.read_bytes()
    capsys.readouterr()

    assert main(cmd + ["--prune", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert f"would prune {ids[0]} ({root / (ids[0] + '.md')}): no longer in the archive\n" in captured.out
    assert "; 1 to prune (dry run): no longer in the archive\n" in captured.err
    assert out.read_bytes() == before

    assert main(cmd + ["--prune"]) == 0
    err = capsys.readouterr().err
    assert "processed 0, skipped 2, failed 0 in " in err and err.splitlines()[0].endswith(
        "; 1 pruned: no longer in the archive"
    )
    assert sorted(r["id"] for r in read_results(out)) == ids[1:]


def test_summary_line_names_the_pruned_count():
    from newsnlp.batch import TagReport

    assert TagReport(processed=2, skipped=1, pruned=3, seconds=1.0).summary_line() == (
        "processed 2, skipped 1, failed 0 in 1.0 s (2.0 articles/s); 3 pruned: no longer in the archive"
    )
    assert TagReport(skipped=4, pruned=1, dry_run=True, seconds=1.0).summary_line() == (
        "processed 0, skipped 4, failed 0 in 1.0 s (0.0 articles/s); 1 to prune (dry run): no longer in the archive"
    )


# --------------------------------------------------------------------------- the real models

def test_real_default_analyzer_end_to_end(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    (root / "2024-05-08-ningbo.md").write_text(
        post("宁波市总工会召开全委会议", "5月7日，宁波市总工会召开十五届全委会议，市总工会主席李谦出席并讲话。"
             "会议部署了新就业形态劳动者入会工作。"), encoding="utf-8")
    (root / "2024-05-09-hangzhou.md").write_text(
        post("杭州发放消费券", "杭州市商务局宣布发放第二轮数字消费券，总额3亿元。消费券可在全市商超使用。"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = tag_archive(root, out, workers=1, progress=False)
    assert (report.processed, report.failed) == (2, 0), report.failures
    records = {r["id"]: r for r in read_results(out)}
    ningbo = records["2024-05-08-ningbo"]
    assert "全委会议" in ningbo["summary"] or "宁波市总工会" in ningbo["summary"]
    assert ningbo["keywords"] and all(isinstance(k["text"], str) for k in ningbo["keywords"])
    assert set(ningbo["entities"]) >= {"organisations", "officials", "programmes"}
    assert ningbo["versions"]["newsnlp"]


@pytest.mark.slow
def test_real_analyzer_gives_the_same_records_with_two_workers(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    for p in sorted((REPO / "benchmarks" / "data" / "posts").glob("*.md"))[:6]:
        (root / p.name).write_bytes(p.read_bytes())
    one = tag_archive(root, tmp_path / "one.jsonl", workers=1, progress=False)
    two = tag_archive(root, tmp_path / "two.jsonl", workers=2, batch_size=2, progress=False)
    assert one.ok and two.ok and one.processed == two.processed == 6
    by_id = lambda f: {r["id"]: r for r in read_results(f)}  # noqa: E731
    assert by_id(tmp_path / "one.jsonl") == by_id(tmp_path / "two.jsonl")


def test_parquet_output_of_a_non_default_config_keeps_its_versions(tmp_path):
    """With top_k=3 the records' versions carry a nested 'config' entry; the Parquet versions column
    holds text, so it is written as canonical JSON (it raised ArrowTypeError: Expected bytes, got a 'dict')."""
    import json

    import pyarrow.parquet as pq

    from newsnlp import Analyzer

    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    out = tmp_path / "out.parquet"
    report = tag_archive(root, out, workers=1, analyzer=Analyzer(top_k=3), progress=False, format="parquet")
    assert report.failed == 0 and report.processed == 2
    rows = pq.read_table(out).to_pylist()
    assert len(rows) == 2
    config = json.loads(dict(rows[0]["versions"])["config"])
    assert config == {"keywords": {"top_k": 3}}
    assert len(rows[0]["keywords"]) <= 3
