"""The Ray engine on a real two-node local cluster: same records as the local engine, errors,
write-back, a worker node killed midway, a driver killed and resumed, and Ray Data datasets."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsnlp.batch import read_results, tag_archive
from newsnlp.errors import NewsNLPError

from batch_stubs import StubAnalyzer

REPO = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).resolve().parents[1]
SAMPLE_POSTS = REPO / "benchmarks" / "data" / "posts"
NODE = {"num_cpus": 1, "object_store_memory": 100 * 2**20}


@pytest.fixture(scope="module")
def cluster():
    """A head and a second worker node, one CPU each, on this machine; stopped after the module."""
    pytest.importorskip("ray")
    import ray
    from ray.cluster_utils import Cluster

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    # Workers inherit their node's environment: let them import batch_stubs.
    old_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS), old_path) if p)
    c = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    c.add_node(**NODE)
    c.wait_for_nodes()
    ray.init(address=c.address, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    try:
        yield c
    finally:
        ray.shutdown()
        c.shutdown()
        if old_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old_path


def _post(i: int, body: str | None = None) -> str:
    body = body or f"本报讯 宁波市总工会第{i}次召开全体会议。会议部署年度工作重点，推进新就业形态劳动者入会。"
    return f"---\ntitle: 第{i}篇\ndate: 2024-05-{i % 28 + 1:02d} 09:00:00 +0800\ncategory: \"工会\"\n---\n{body}\n"


def _archive(root: Path, n: int, *, broken: bool = True) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"2024-05-{i:02d}-post.md").write_text(_post(i), encoding="utf-8")
    if broken:
        (root / "bad-bytes.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe\xfa\x80 \x81\x82")
        (root / "bad-yaml.md").write_text("---\ntitle: [oops\n---\n正文。\n", encoding="utf-8")
        (root / "empty.md").write_text("---\ntitle: 空\n---\n", encoding="utf-8")
        (root / "crash.md").write_text(_post(99, "本报讯 这一篇让模型崩溃。"), encoding="utf-8")
        (root / "long.md").write_text(_post(98, "长" * 3000 + "。"), encoding="utf-8")
    return root


def _records(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in read_results(path)}


def _errors(path: Path) -> list[dict]:
    return sorted((json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()), key=lambda e: e["id"])


def _ids_in_journal(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines(keepends=True) if line.endswith(b"\n")]


def _local(archive: Path, out: Path, **kw):
    return tag_archive(archive, out, workers=1, analyzer=StubAnalyzer(), progress=False, max_chars=2000, **kw)


def _ray(archive: Path, out: Path, **kw):
    kw.setdefault("actors", 2)
    kw.setdefault("batch_size", 3)
    return tag_archive(archive, out, engine="ray", analyzer=StubAnalyzer(), progress=False, max_chars=2000, **kw)


def test_records_and_errors_match_the_local_engine(cluster, tmp_path):
    archive = _archive(tmp_path / "posts", 14)
    local = _local(archive, tmp_path / "local.jsonl")
    remote = _ray(archive, tmp_path / "ray.jsonl")
    assert (remote.processed, remote.skipped, remote.failed) == (local.processed, local.skipped, local.failed) == (14, 0, 5)
    assert _records(tmp_path / "ray.jsonl") == _records(tmp_path / "local.jsonl")
    errors = _errors(tmp_path / "ray.errors.jsonl")
    assert errors == _errors(tmp_path / "local.errors.jsonl")
    assert {e["id"]: e["error_type"] for e in errors} == {
        "bad-bytes": "ArticleError", "bad-yaml": "FrontMatterError", "empty": "EmptyArticle",
        "crash": "RuntimeError", "long": "ArticleTooLong",
    }
    assert "stub model crashed" in next(e["reason"] for e in errors if e["id"] == "crash")
    # The next run skips every analysed article and retries only the failed ones.
    again = _ray(archive, tmp_path / "ray.jsonl")
    assert (again.processed, again.skipped, again.failed) == (0, 14, 5)
    # The journal is the local engine's: a local run skips what the Ray run wrote.
    assert _local(archive, tmp_path / "ray.jsonl").skipped == 14


def test_an_actor_checks_the_versions_of_the_analyzer_it_was_sent():
    # The driver refuses actors whose versions differ from its own: an actor must compute them
    # from the same AnalyzerConfig, or any non-default option (top_k, idf ...) stopped the run.
    from newsnlp import Analyzer
    from newsnlp.batch import model_versions
    from newsnlp.batch.ray import _versions_of
    from newsnlp.batch.workers import analyzer_spec

    for analyzer in (Analyzer(), Analyzer(top_k=3, max_chars=40), StubAnalyzer()):
        assert _versions_of(analyzer_spec(analyzer)) == model_versions(analyzer)


def test_actors_spread_over_both_nodes(cluster, tmp_path, monkeypatch):
    from newsnlp.batch import model_versions
    from newsnlp.batch.sources import open_archive
    from newsnlp.batch.workers import analyzer_spec
    from newsnlp.batch.ray import run_shards

    # Each post takes 0.6 s, so the 6 shards last about 3.6 s of actor time: long enough for the
    # second actor to start and take shards even on a loaded machine (0.2 s was not, once).
    monkeypatch.setenv("NEWSNLP_BATCH_SLEEP", "0.6")
    _kind, _total, sources = open_archive(_archive(tmp_path / "posts", 12, broken=False), max_chars=2000,
                                          id_key="id", split=None)
    results = []
    stats = run_shards(sources, lambda source, result: results.append((source.id, result["ok"])),
                       spec=analyzer_spec(StubAnalyzer()), max_chars=2000, keys=("text", "title", "id"),
                       batch_size=2, versions=model_versions(), actors=2)
    assert sorted(results) == [(f"2024-05-{i:02d}-post", True) for i in range(12)]
    # one actor on the head, one on the worker node, both at work
    assert len({a["node"] for a in stats["actors"]}) == 2
    assert len({a["node"] for a in stats["actors"] if a["shards"]}) == 2
    assert sum(a["shards"] for a in stats["actors"]) == 6
    assert all(a["peak_rss"] > 10 * 2**20 for a in stats["actors"])


def test_write_front_matter_stays_local_and_matches(cluster, tmp_path):
    a = _archive(tmp_path / "a", 5, broken=False)
    b = shutil.copytree(a, tmp_path / "b")
    _local(a, tmp_path / "a.jsonl", write_front_matter=True)
    report = _ray(b, tmp_path / "b.jsonl", write_front_matter=True)
    assert report.written_back == 5
    for post in sorted(a.iterdir()):
        assert (b / post.name).read_bytes() == post.read_bytes()
    assert "summary: 本报讯 宁波市总工会第0次召开全体会议。" in (b / "2024-05-00-post.md").read_text(encoding="utf-8")
    for rec_a, rec_b in zip(sorted(read_results(tmp_path / "a.jsonl"), key=lambda r: r["id"]),
                            sorted(read_results(tmp_path / "b.jsonl"), key=lambda r: r["id"])):
        assert {**rec_b, "path": None} == {**rec_a, "path": None}  # same record, other folder


def test_worker_node_killed_midway_is_resumed_within_the_run(cluster, tmp_path, monkeypatch):
    archive = _archive(tmp_path / "posts", 24, broken=False)
    _local(archive, tmp_path / "local.jsonl")
    out = tmp_path / "ray.jsonl"
    monkeypatch.setenv("NEWSNLP_BATCH_SLEEP", "0.25")  # about 6 s of work per actor
    worker = next(n for n in cluster.list_all_nodes() if not n.head)
    killed = threading.Event()

    def kill_when_started():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 4:
                cluster.remove_node(worker)  # its raylet and the actor on it die at once
                killed.set()
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_when_started, daemon=True)
    killer.start()
    try:
        report = _ray(archive, out, batch_size=2)
        killer.join(10)
        assert killed.is_set()
        assert (report.processed, report.failed) == (24, 0)
        ids = _ids_in_journal(out)
        assert len(ids) == len(set(ids)) == 24  # the lost shards were run again, once each
        assert _records(out) == _records(tmp_path / "local.jsonl")
        monkeypatch.delenv("NEWSNLP_BATCH_SLEEP")
        again = _ray(archive, out, actors=1)
        assert (again.processed, again.skipped) == (0, 24)
    finally:
        if not any(not n.head for n in cluster.list_all_nodes()):
            cluster.add_node(**NODE)
            cluster.wait_for_nodes()


def test_driver_killed_midway_resumes_without_redoing_or_duplicates(cluster, tmp_path):
    archive = _archive(tmp_path / "posts", 24, broken=False)
    _local(archive, tmp_path / "local.jsonl", )
    out = tmp_path / "ray.jsonl"
    env = dict(os.environ, NEWSNLP_BATCH_ANALYZER="batch_stubs:make_stub", NEWSNLP_BATCH_SLEEP="0.3",
               PYTHONPATH=os.pathsep.join([str(TESTS), str(REPO), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "newsnlp.cli", "tag", str(archive), "-o", str(out), "--engine", "ray",
           "--address", cluster.address, "--actors", "2", "--batch-size", "2", "--max-chars", "2000", "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= 6:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read().decode()
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    done = set(_ids_in_journal(out))
    assert 6 <= len(done) < 24
    resumed = _ray(archive, out)
    assert (resumed.processed, resumed.skipped, resumed.failed) == (24 - len(done), len(done), 0)
    ids = _ids_in_journal(out)
    assert len(ids) == len(set(ids)) == 24
    assert _records(out) == _records(tmp_path / "local.jsonl")


def test_actors_that_cannot_start_stop_the_run_with_the_reason(cluster, tmp_path, monkeypatch):
    archive = _archive(tmp_path / "posts", 3, broken=False)
    # As on a node without newsnlp: building the analyzer in the actor fails.
    monkeypatch.setenv("NEWSNLP_BATCH_ANALYZER", "no_such_module_here:make")
    with pytest.raises(NewsNLPError) as err:
        _ray(archive, tmp_path / "ray.jsonl")
    assert str(err.value).startswith(
        "no Ray actor is left to analyse with (the last one failed to start: "
        "ModuleNotFoundError: No module named 'no_such_module_here'); check that the same newsnlp is installed"
    )
    assert (tmp_path / "ray.jsonl").read_bytes() == b""


def test_analyze_dataset_gives_the_local_records(cluster, tmp_path):
    import ray.data

    from newsnlp.batch.ray import analyze_dataset

    rows = [{"id": f"r{i}", "title": f"第{i}篇", "text": _post(i)} for i in range(7)]
    rows.append({"id": "r-crash", "text": "本报讯 这一篇让模型崩溃。"})
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    _local(source, tmp_path / "local.jsonl")
    got = analyze_dataset(ray.data.from_items(rows), StubAnalyzer(), actors=1, batch_size=3).take_all()
    assert len(got) == 8
    by_id = {}
    for row in got:
        if row["versions"] is not None:
            row["versions"] = dict(row["versions"])  # an Arrow map comes back as (key, value) pairs
        by_id[row["id"]] = _without_nulls(row)
    crash = by_id.pop("r-crash")
    assert crash["error_type"] == "RuntimeError" and "stub model crashed" in crash["error"]
    local = _records(tmp_path / "local.jsonl")
    assert set(by_id) == set(local)
    for rid, rec in local.items():
        assert by_id[rid] == _without_nulls(rec)


def _rows(n: int) -> list[dict]:
    rows = [{"id": f"r{i}", "title": f"第{i}篇", "date": f"2024-05-{i + 1:02d}", "path": f"_posts/r{i}.md",
             "text": _post(i)} for i in range(n)]
    # Bad records, one per way of failing on an actor: the analyzer raises, there is no text.
    rows.append({"id": "r-crash", "title": "崩", "date": None, "path": None, "text": "本报讯 这一篇让模型崩溃。"})
    rows.append({"id": "r-empty", "title": "空", "date": None, "path": None, "text": ""})
    return rows


def _write_input(kind: str, rows: list[dict], where: Path) -> Path:
    if kind == "jsonl":
        lines = [json.dumps(r, ensure_ascii=False) for r in rows]
        lines.insert(3, '{"id": "r-broken", "text": "没有结尾')  # read on the driver: fails there
        where = where / "rows.jsonl"
        where.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return where
    if kind == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
        import pyarrow as pa

        where = where / "rows.parquet"
        pq.write_table(pa.Table.from_pylist(rows), where, row_group_size=4)  # several row groups
        return where
    datasets = pytest.importorskip("datasets")
    where = where / "saved"
    datasets.Dataset.from_list(rows).save_to_disk(str(where))
    return where


@pytest.mark.parametrize("kind", ["jsonl", "parquet", "dataset"])
def test_record_inputs_give_the_local_records_and_errors(cluster, tmp_path, kind):
    # Records are read and hashed on the driver; only the analysis moves. Nothing legitimately
    # differs between the engines' records or errors for these inputs (the path of a record
    # is its own "path" field, and of an error "FILE:ROW", both made on the driver).
    archive = _write_input(kind, _rows(7), tmp_path)
    local = _local(archive, tmp_path / "local.jsonl")
    remote = _ray(archive, tmp_path / "ray.jsonl")
    bad = {"r-crash": "RuntimeError", "r-empty": "EmptyArticle"}
    if kind == "jsonl":
        bad["#4"] = "ArticleError"  # the 4th line, which has no id the driver could read
    assert (remote.processed, remote.skipped, remote.failed) == (local.processed, local.skipped, local.failed) \
        == (7, 0, len(bad))
    records = _records(tmp_path / "ray.jsonl")
    assert records == _records(tmp_path / "local.jsonl")
    assert sorted(records) == [f"r{i}" for i in range(7)]
    assert records["r3"]["path"] == "_posts/r3.md" and records["r3"]["date"] == "2024-05-04"
    assert records["r3"]["summary"] == "本报讯 宁波市总工会第3次召开全体会议。"
    errors = _errors(tmp_path / "ray.errors.jsonl")
    assert errors == _errors(tmp_path / "local.errors.jsonl")
    assert {e["id"]: e["error_type"] for e in errors} == bad
    assert all(e["path"].startswith(f"{archive}:") for e in errors)
    # The journal is the local engine's: a local run skips what the Ray run analysed.
    assert _local(archive, tmp_path / "ray.jsonl").skipped == 7


def test_analyze_dataset_takes_an_analyzer_config(monkeypatch):
    # analyze_dataset(ds, config): each actor builds Analyzer(config=config), and the records
    # are stamped with that configuration's versions (checked without a cluster: the stage's
    # constructor arguments are what every actor receives).
    pytest.importorskip("ray")
    from newsnlp import Analyzer
    from newsnlp.batch import model_versions
    from newsnlp.batch.ray import analyze_dataset
    from newsnlp.batch.workers import analyzer_spec
    from newsnlp.config import AnalyzerConfig

    class Recorder:
        def map_batches(self, fn, **kwargs):
            self.kwargs = kwargs
            return self

    config = AnalyzerConfig.from_kwargs(top_k=3, tags_k=2, max_chars=80)
    expected = analyzer_spec(Analyzer(config=config))
    for call in (lambda ds: analyze_dataset(ds, config), lambda ds: analyze_dataset(ds, config=config)):
        args = call(Recorder()).kwargs["fn_constructor_args"]
        assert args[0] == expected
        assert args[4] == model_versions(Analyzer(config=config)) != model_versions(Analyzer())
    assert analyze_dataset(Recorder(), config=None).kwargs["fn_constructor_args"][0] == analyzer_spec(None)
    with pytest.raises(ValueError, match="not both"):
        analyze_dataset(Recorder(), StubAnalyzer(), config=config)
    with pytest.raises(TypeError, match="config must be a newsnlp.config.AnalyzerConfig or None, got dict"):
        analyze_dataset(Recorder(), config={"top_k": 3})


def test_analyze_dataset_with_a_config_gives_the_local_records(cluster, tmp_path):
    # The real analyzer (models load once in the one actor), built from a non-default config.
    import ray.data

    from newsnlp import Analyzer
    from newsnlp.batch.ray import analyze_dataset
    from newsnlp.config import AnalyzerConfig

    config = AnalyzerConfig.from_kwargs(top_k=3, tags_k=2)
    rows = [{"id": f"r{i}", "text": _post(i)} for i in range(2)]
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tag_archive(source, tmp_path / "local.jsonl", workers=1, analyzer=Analyzer(config=config), progress=False)
    got = analyze_dataset(ray.data.from_items(rows), config, actors=1, batch_size=2).take_all()
    local = _records(tmp_path / "local.jsonl")
    assert all(len(rec["keywords"]) <= 3 and len(rec["tags"]) <= 2 for rec in local.values())
    by_id = {}
    for row in got:
        row["versions"] = dict(row["versions"])
        # the one column that differs in form: Arrow's map<string, string> holds the config as JSON text
        row["versions"]["config"] = json.loads(row["versions"]["config"])
        by_id[row["id"]] = _without_nulls(row)
    assert by_id == {rid: _without_nulls(rec) for rid, rec in local.items()}
    assert by_id["r0"]["versions"]["config"] == {"keywords": {"top_k": 3, "tags_k": 2}}


def test_dataset_records_hold_a_non_default_config_in_versions(monkeypatch):
    # A non-default AnalyzerConfig puts a nested "config" entry in the versions; the dataset's
    # map<string, string> column could not hold it (ArrowTypeError on every batch). In this
    # process, without a cluster: the stage's callable as each actor calls it.
    pa = pytest.importorskip("pyarrow")
    from newsnlp.batch import model_versions, workers
    from newsnlp.batch.ray import _DatasetWorker

    monkeypatch.setattr(workers, "prepare_worker", lambda parent_pid=None: None)  # keeps this process's signals
    monkeypatch.setattr(workers, "_worker_analyzer", None)
    monkeypatch.setattr(workers, "_worker_sleep", 0.0)
    versions = {**model_versions(StubAnalyzer()), "config": {"keywords": {"top_k": 3}}}
    stage = _DatasetWorker(workers.analyzer_spec(StubAnalyzer()), 2000, ("text", "title", "id"), {}, versions)
    out = stage(pa.Table.from_pylist([{"id": "a", "text": _post(1)}, {"id": "b", "text": ""}])).to_pylist()
    assert [dict(row["versions"] or {}).get("config") for row in out] == ['{"keywords":{"top_k":3}}', None]
    assert out[0]["summary"] == "本报讯 宁波市总工会第1次召开全体会议。" and out[1]["error_type"] == "EmptyArticle"


def _without_nulls(value):
    """Arrow columns hold every field of the Parquet schema; a JSONL record leaves out empty ones."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


@pytest.mark.skipif(not SAMPLE_POSTS.is_dir(), reason="benchmarks/data/posts is not in this checkout")
def test_real_analyzer_records_match_on_the_sample_archive(cluster, tmp_path):
    from newsnlp import Analyzer

    archive = shutil.copytree(SAMPLE_POSTS, tmp_path / "posts")
    local = tag_archive(archive, tmp_path / "local.jsonl", workers=1, analyzer=Analyzer(), progress=False)
    remote = tag_archive(archive, tmp_path / "ray.jsonl", engine="ray", actors=2, analyzer=Analyzer(), progress=False)
    assert remote.failed == local.failed == 0
    assert remote.processed == local.processed == len(list(SAMPLE_POSTS.glob("*.md")))
    assert _records(tmp_path / "ray.jsonl") == _records(tmp_path / "local.jsonl")


def test_bad_engine_options_are_refused_before_any_file_is_written(tmp_path):
    archive = _archive(tmp_path / "posts", 1, broken=False)
    with pytest.raises(ValueError, match="engine must be 'local' or 'ray', got 'spark'"):
        tag_archive(archive, tmp_path / "o.jsonl", engine="spark")
    with pytest.raises(ValueError, match=r"actors must be a positive int, got 0 \(--actors\)"):
        tag_archive(archive, tmp_path / "o.jsonl", engine="ray", actors=0)
    with pytest.raises(ValueError, match="cpus_per_actor must be a positive number"):
        tag_archive(archive, tmp_path / "o.jsonl", engine="ray", cpus_per_actor=0)
    assert not (tmp_path / "o.jsonl").exists()


def test_without_ray_the_engine_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    from newsnlp import cli

    archive = _archive(tmp_path / "posts", 1, broken=False)
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(NewsNLPError, match=r"pip install 'newsnlp\[ray\]'"):
        tag_archive(archive, tmp_path / "o.jsonl", engine="ray")
    assert not (tmp_path / "o.jsonl").exists()
    assert cli.main(["tag", str(archive), "-o", str(tmp_path / "o.jsonl"), "--engine", "ray"]) == 2
    assert "the Ray engine needs the 'ray' package" in capsys.readouterr().err
    from newsnlp.batch.ray import analyze_dataset

    with pytest.raises(NewsNLPError, match="not installed"):
        analyze_dataset(object())
