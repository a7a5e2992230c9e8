"""Nothing lost, nothing escapes, nothing hangs (issue 12): foreign outputs, the walker, file safety, signals.

Real symlinks, real unreadable folders (as ``nobody`` when the tests run as root), real
``os.chown``, real signals to real process groups.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from newsnlp.batch import TagInterrupted, parallel_map, read_results, tag_archive
from newsnlp.errors import NewsNLPError
from newsnlp.parallel import WorkerError
from test_batch import StubAnalyzer, _cli_env, post, start_slow_run, write_good_posts

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534


def run(root, out, **kw):
    kw.setdefault("workers", 1)
    kw.setdefault("progress", False)
    return tag_archive(root, out, analyzer=StubAnalyzer(), **kw)


def errors_of(path: Path) -> dict[str, dict]:
    return {e["id"]: e for e in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


# --------------------------------------------------------------------------- case 1: foreign outputs

def test_the_input_jsonl_as_output_is_refused_and_left_alone(tmp_path):
    export = tmp_path / "export.jsonl"
    rows = [{"id": "a", "text": "宁波市总工会召开会议。"}, {"id": "b", "text": "杭州发放消费券。"}]
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    before = export.read_bytes()
    with pytest.raises(NewsNLPError, match="is the archive being read"):
        run(export, export)
    assert export.read_bytes() == before
    res = subprocess.run([sys.executable, "-m", "newsnlp.cli", "tag", str(export), "-o", str(export), "--quiet",
                          "--workers", "1"], env=_cli_env(NEWSNLP_BATCH_ANALYZER="batch_stubs:make_stub"),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "would destroy the input" in res.stderr
    assert export.read_bytes() == before


def test_a_foreign_output_file_is_refused_not_appended_to(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    mine = tmp_path / "notes.jsonl"
    mine.write_text('{"user": "my own line"}\n{"id": 3, "note": "no hash"}\n', encoding="utf-8")
    before = mine.read_bytes()
    with pytest.raises(NewsNLPError, match=r"notes.jsonl is not a newsnlp output \(line 1"):
        run(root, mine)
    assert mine.read_bytes() == before
    # a one-line text file without its newline is not "a line cut off by a killed run"
    text = tmp_path / "todo.jsonl"
    text.write_bytes(b"buy milk")
    with pytest.raises(NewsNLPError, match="not a newsnlp output"):
        run(root, text)
    assert text.read_bytes() == b"buy milk"


def test_a_newsnlp_output_with_a_hand_edited_row_is_refused(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    out = tmp_path / "out.jsonl"
    run(root, out)
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(lines[0] + b'{"id": "mine", "comment": "kept by hand"}\n' + lines[1])
    before = out.read_bytes()
    with pytest.raises(NewsNLPError, match="line 2 is not a record newsnlp wrote"):
        run(root, out, force=True)
    assert out.read_bytes() == before


def test_foreign_errors_file_and_export_target_are_refused(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 1)
    mine = tmp_path / "mine.txt"
    mine.write_text("my notes\n", encoding="utf-8")
    with pytest.raises(NewsNLPError, match="not a newsnlp errors file"):
        run(root, tmp_path / "out.jsonl", errors=mine)
    assert mine.read_text(encoding="utf-8") == "my notes\n"
    sheet = tmp_path / "budget.csv"
    sheet.write_text("year,amount\n2024,3\n", encoding="utf-8")
    with pytest.raises(NewsNLPError, match="not a csv file newsnlp exported"):
        run(root, sheet)
    assert sheet.read_text(encoding="utf-8") == "year,amount\n2024,3\n"
    # newsnlp's own export is fine to replace
    out_csv = tmp_path / "tags.csv"
    run(root, out_csv)
    assert run(root, out_csv).skipped == 1


def test_the_input_parquet_as_output_is_refused(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    data = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "a", "text": "宁波市总工会召开会议。"}]), data)
    before = data.read_bytes()
    with pytest.raises(NewsNLPError, match="is the archive being read"):
        run(data, data)
    assert data.read_bytes() == before


def test_an_output_from_before_the_manifest_is_adopted(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    out = tmp_path / "out.jsonl"
    run(root, out)
    manifest = tmp_path / "out.jsonl.newsnlp.json"
    assert json.loads(manifest.read_text())["archive"] == os.path.realpath(root)
    manifest.unlink()  # as an output written by an older newsnlp
    assert run(root, out).skipped == 2
    assert manifest.exists()


# --------------------------------------------------------------------------- case 2: the wrong archive

def test_prune_with_a_sub_folder_of_the_archive_is_refused(tmp_path):
    root = tmp_path / "_posts"
    (root / "2015").mkdir(parents=True)
    write_good_posts(root, 2)
    (root / "2015" / "2015-01-01-old.md").write_text(post("旧", "二〇一五年的文章。"), encoding="utf-8")
    out = tmp_path / "all.jsonl"
    run(root, out)
    before = out.read_bytes()
    with pytest.raises(NewsNLPError, match="is a folder inside it: --prune would drop the record of every post outside"):
        run(root / "2015", out, prune=True)
    assert out.read_bytes() == before
    with pytest.warns(RuntimeWarning, match="got records under new ids"):
        slip = run(root / "2015", out)
    assert slip.notes and "run on" in slip.notes[0]
    # the recorded archive is still the whole one: pruning it works and drops the slip's duplicate
    full = run(root, out, prune=True)
    assert full.pruned == 1
    assert sorted(r["id"] for r in read_results(out)) == sorted(
        ["2024-05-01-post-0", "2024-05-02-post-1", "2015/2015-01-01-old"])


def test_a_moved_archive_is_adopted(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    out = tmp_path / "out.jsonl"
    run(root, out)
    moved = root.rename(tmp_path / "moved")
    report = run(moved, out, prune=True)
    assert (report.skipped, report.pruned) == (2, 0)
    assert "is gone" in report.notes[0]
    assert json.loads((tmp_path / "out.jsonl.newsnlp.json").read_text())["archive"] == os.path.realpath(moved)


# --------------------------------------------------------------------------- cases 6 and 13: the walker

def _warm_up_imports() -> None:
    """Do, as root, once, what the runs below do, so that every module they import lazily is loaded.

    Under ``nobody`` the interpreter may be unable to import anything new: a Python installed
    under ``/root`` (pyenv) or a checkout in a private folder is unreadable to that user, so a
    codec or a module first needed inside :func:`as_nobody` would fail to import and the run
    would report that instead of the permission it is testing. Whether the suite runs whole or
    one test alone, the modules are loaded here first.
    """
    import codecs
    import traceback  # noqa: F401  (error records format tracebacks)

    for name in ("utf-8-sig", "utf-16", "gb18030", "gbk", "gb2312", "big5"):
        codecs.lookup(name)
    scratch = Path(tempfile.mkdtemp(prefix="newsnlp-warm-"))
    try:
        root = scratch / "posts"
        root.mkdir()
        write_good_posts(root, 1)
        (root / "legacy.md").write_bytes(post("旧", "旧编码的文章。").encode("gb18030"))
        (root / "bad.md").write_bytes(b"\xff\xfe\x00garbage\x81")
        os.symlink("loop.md", root / "loop.md")
        os.symlink(scratch / "missing.md", root / "dangling.md")
        run(root, scratch / "out.jsonl", write_front_matter=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


_WARM = []


@contextlib.contextmanager
def as_nobody():
    """Drop to ``nobody`` for permission checks when running as root (root reads everything)."""
    if not IS_ROOT:
        yield
        return
    if not _WARM:
        _warm_up_imports()
        _WARM.append(True)
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture()
def open_tmp():
    """A scratch folder ``nobody`` can use (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="newsnlp-i12-"))
    os.chmod(d, 0o777)
    yield d
    for p in d.rglob("*"):
        with contextlib.suppress(OSError):
            os.chmod(p, 0o777, follow_symlinks=False) if not p.is_symlink() else None
    shutil.rmtree(d, ignore_errors=True)


def test_every_unreadable_entry_is_reported_and_the_walk_goes_on(open_tmp):
    root = open_tmp / "posts"
    for d in ("a", "b-locked", "z"):
        (root / d).mkdir(parents=True)
    (root / "a" / "first.md").write_text(post("一", "宁波市总工会召开会议。"), encoding="utf-8")
    (root / "b-locked" / "hidden.md").write_text(post("锁", "看不到的文章。"), encoding="utf-8")
    os.symlink("loop.md", root / "a" / "loop.md")  # a link to itself
    os.symlink(root / "missing.md", root / "a" / "dangling.md")
    outside = open_tmp / "elsewhere"
    outside.mkdir()
    (outside / "far.md").write_text(post("远", "文件夹链接里的文章。"), encoding="utf-8")
    os.symlink(outside, root / "linked")
    (root / "z" / "last.md").write_text(post("末", "最后一个文件夹的文章。"), encoding="utf-8")
    for p in [root, *root.rglob("*")]:
        if not p.is_symlink():
            os.chmod(p, 0o777 if p.is_dir() else 0o666)
    os.chmod(root / "b-locked", 0)
    out_dir = open_tmp / "out"
    out_dir.mkdir(mode=0o777)
    os.chmod(out_dir, 0o777)
    with as_nobody():
        report = run(root, out_dir / "out.jsonl")
    assert sorted(r["id"] for r in read_results(out_dir / "out.jsonl")) == ["a/first", "z/last"]
    errors = errors_of(out_dir / "out.errors.jsonl")
    assert {k: v["error_type"] for k, v in errors.items()} == {
        "a/dangling": "DanglingLink",
        "a/loop": "SymlinkLoop",
        "b-locked/": "UnreadableFolder",
        "linked/": "SymlinkedFolder",
    }
    assert "--follow-links" in errors["linked/"]["reason"]
    assert "chmod" in errors["b-locked/"]["reason"]
    assert (report.processed, report.failed) == (2, 4)


def test_follow_links_reads_symlinked_folders_once(tmp_path):
    root = tmp_path / "posts"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "p.md").write_text(post("一", "宁波市总工会召开会议。"), encoding="utf-8")
    os.symlink(root, root / "sub" / "up")  # a folder link back up: a loop
    other = tmp_path / "other"
    other.mkdir()
    (other / "q.md").write_text(post("二", "文件夹链接里的文章。"), encoding="utf-8")
    os.symlink(other, root / "linked")
    report = run(root, tmp_path / "out.jsonl", follow_links=True)
    assert sorted(r["id"] for r in read_results(tmp_path / "out.jsonl")) == ["linked/q", "sub/p"]
    assert {k: v["error_type"] for k, v in errors_of(tmp_path / "out.errors.jsonl").items()} == {"sub/up/": "SymlinkLoop"}
    assert report.failed == 1


def test_a_blank_line_before_the_front_matter_is_reported_at_write_back(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    path = root / "blank.md"
    path.write_text("\n" + post("空行", "宁波市总工会召开会议。"), encoding="utf-8")
    before = path.read_bytes()
    report = run(root, tmp_path / "out.jsonl", write_front_matter=True)
    (err,) = errors_of(tmp_path / "out.errors.jsonl").values()
    assert err["error_type"] == "FrontMatterError" and "blank lines before the opening '---'" in err["reason"]
    assert (report.processed, report.written_back, report.not_written) == (1, 0, 1)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- case 12: escapes and file safety

def test_a_symlink_to_a_post_outside_the_archive_is_not_written(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    outside = tmp_path / "private.md"
    outside.write_text(post("外面", "档案之外的文章。"), encoding="utf-8")
    before = outside.read_bytes()
    os.symlink(outside, root / "link.md")
    report = run(root, tmp_path / "out.jsonl", write_front_matter=True)
    assert outside.read_bytes() == before
    (err,) = errors_of(tmp_path / "out.errors.jsonl").values()
    assert err["error_type"] == "EscapesArchive" and str(outside) in err["reason"]
    assert (report.processed, report.written_back) == (1, 0)
    again = run(root, tmp_path / "out.jsonl", write_front_matter=True, follow_links=True)
    assert again.written_back == 1 and b"summary:" in outside.read_bytes()
    assert (root / "link.md").is_symlink()


def test_write_back_keeps_owner_mode_and_hard_links(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    path = root / "a.md"
    path.write_text(post("一", "宁波市总工会召开会议。"), encoding="utf-8")
    os.chmod(path, 0o640)
    if IS_ROOT:
        os.chown(path, NOBODY, NOBODY)
    twin = tmp_path / "twin.md"
    os.link(path, twin)
    plain = root / "b.md"
    plain.write_text(post("二", "杭州发放消费券。"), encoding="utf-8")
    os.chmod(plain, 0o664)
    if IS_ROOT:
        os.chown(plain, NOBODY, NOBODY)
    inode = path.stat().st_ino
    report = run(root, tmp_path / "out.jsonl", write_front_matter=True)
    assert report.written_back == 2
    st = path.stat()
    assert st.st_ino == inode and st.st_nlink == 2 and twin.read_bytes() == path.read_bytes()
    assert b"summary: " in path.read_bytes()
    assert stat.S_IMODE(st.st_mode) == 0o640 and stat.S_IMODE(plain.stat().st_mode) == 0o664
    if IS_ROOT:
        assert (st.st_uid, st.st_gid) == (NOBODY, NOBODY)
        assert (plain.stat().st_uid, plain.stat().st_gid) == (NOBODY, NOBODY)
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # no backup or temp left


def test_compaction_and_exports_keep_a_normal_mode(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    ids = write_good_posts(root, 2)
    out = tmp_path / "out.jsonl"
    run(root, out)
    os.chmod(out, 0o644)
    (root / f"{ids[0]}.md").write_text(post("改", "改过的文章。"), encoding="utf-8")
    run(root, out)  # a changed post: the output is compacted
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    umask = os.umask(0)
    os.umask(umask)
    run(root, tmp_path / "t.csv")
    assert stat.S_IMODE((tmp_path / "t.csv").stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE((tmp_path / "out.errors.jsonl").stat().st_mode) == 0o666 & ~umask


def test_temporary_files_of_a_killed_run_are_removed_and_a_half_rewrite_is_undone(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    (pid_post,) = write_good_posts(root, 1)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = root / f".{pid_post}.md.newsnlp-{dead.pid}.x1y2z3.tmp"
    stale.write_bytes(b"half")
    old_style = root / f".{pid_post}.md.abcd1234.tmp"
    old_style.write_bytes(b"half")
    os.utime(old_style, (time.time() - 3600, time.time() - 3600))
    live = root / f".{pid_post}.md.newsnlp-{os.getppid()}.q.tmp"  # its writer is alive: not touched
    live.write_bytes(b"busy")
    # an in-place rewrite killed midway: the post is half written, its old bytes are beside it
    target = root / f"{pid_post}.md"
    original = target.read_bytes()
    (root / f".{pid_post}.md.newsnlp-{dead.pid}.b4.backup").write_bytes(original)
    target.write_bytes(original[:20])
    report = run(root, tmp_path / "out.jsonl")
    assert not stale.exists() and not old_style.exists() and live.exists()
    assert target.read_bytes() == original
    assert report.stale_removed == 2 and "2 temporary file(s) left by a killed run removed" in report.summary_line()
    assert next(read_results(tmp_path / "out.jsonl"))["summary"] == "宁波市总工会第0次会议召开。"


def test_a_read_only_archive_is_reported_honestly(open_tmp):
    root = open_tmp / "posts"
    root.mkdir()
    write_good_posts(root, 2)
    for p in root.iterdir():
        os.chmod(p, 0o444)
    os.chmod(root, 0o555)
    out = open_tmp / "out"
    out.mkdir()
    os.chmod(out, 0o777)
    with as_nobody():
        report = run(root, out / "o.jsonl", write_front_matter=True)
    assert (report.processed, report.written_back, report.not_written) == (2, 0, 2)
    line = report.summary_line()
    assert line.startswith("processed 2, skipped 0, failed 2 (front matter not written for 2 of them)")
    errs = errors_of(out / "o.errors.jsonl")
    for e in errs.values():
        assert ".tmp" not in e["reason"] and "read-only" in e["reason"] and e["error_type"] == "PermissionError"
    assert len(list(read_results(out / "o.jsonl"))) == 2


# --------------------------------------------------------------------------- cases 3, 4: signals

def _children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.update(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def _start_slow_run(tmp_path: Path, n: int = 40):
    return start_slow_run(tmp_path, n, sleep=0.5, records=3)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_ctrl_c_give_a_clean_counted_exit_and_no_orphans(tmp_path):
    proc, out, ids, cmd, env = _start_slow_run(tmp_path)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("newsnlp tag hung after two Ctrl-C")
    err = err.decode()
    assert proc.returncode == 130, err
    saved = out.read_bytes().count(b"\n")
    assert f"interrupted: {saved} new record(s) saved in {out}" in err
    assert "run the same command again to continue" in err and "Traceback" not in err
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    env.pop("NEWSNLP_BATCH_SLEEP")
    resumed = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert f"processed {len(ids) - saved}, skipped {saved}, failed 0" in resumed.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_main_process(tmp_path, sig):
    proc, out, *_ = _start_slow_run(tmp_path)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    os.kill(proc.pid, sig)  # the main process only, not the group
    try:
        _, err = proc.communicate(timeout=30)  # stderr reaches EOF: no worker holds it open
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("stderr stayed open: a worker outlived the main process")
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and b"interrupted:" in err


def test_tag_archive_interrupted_raises_with_the_report(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    write_good_posts(root, 4)
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "out.errors.jsonl"
    errors.write_text(json.dumps({"id": "2024-05-04-post-3", "path": None, "reason": "old", "error_type": "X"}) + "\n")

    class Interrupting(StubAnalyzer):
        calls = 0

        def __call__(self, article):
            Interrupting.calls += 1
            if Interrupting.calls == 3:
                raise KeyboardInterrupt
            return super().__call__(article)

    with pytest.raises(TagInterrupted) as info:
        tag_archive(root, out, workers=1, batch_size=1, analyzer=Interrupting(), progress=False)
    assert info.value.report.processed == 2 and info.value.report.interrupted
    assert len(list(read_results(out))) == 2
    # the run never reached post-3: its entry from the last run is kept, not truncated away
    assert list(errors_of(errors)) == ["2024-05-04-post-3"]


# --------------------------------------------------------------------------- case 14: pipe(n_process=2)

class FailsOnMarker:
    def __call__(self, text):
        if "坏" in text:
            raise ValueError("bad item")
        return text.upper()


def test_parallel_map_names_the_bad_item_and_keeps_the_results_before_it():
    items = ["a", "b", "c", "坏", "e"]
    got = []
    with pytest.raises(ValueError, match="bad item") as info:
        for r in parallel_map(FailsOnMarker(), items, n_process=2, batch_size=2):
            got.append(r)
    assert got == ["A", "B", "C"]
    assert any("item 3 of the input" in n for n in info.value.__notes__)


class UnpicklableError(Exception):
    """Needs two arguments, so it pickles but does not unpickle (a common pattern in libraries)."""

    def __init__(self, item, why):
        super().__init__(f"{item}: {why}")


class FailsUnpicklably:
    def __call__(self, text):
        if "坏" in text:
            raise UnpicklableError(text, "bad item")
        return text.upper()


def test_parallel_map_keeps_the_results_before_an_item_whose_error_cannot_travel_back():
    # Before issue 11 the worker's exception broke the pool on its way back (BrokenProcessPool),
    # and the results of the whole chunk -- and of every chunk in flight -- were lost.
    items = ["a", "b", "c", "坏", "e", "f", "g"]
    with pytest.raises(UnpicklableError):  # n_process=1 for comparison: the items before it, then its error
        list(map(FailsUnpicklably(), items))
    got = []
    with pytest.raises(WorkerError, match="UnpicklableError: 坏: bad item") as info:
        for r in parallel_map(FailsUnpicklably(), items, n_process=2, batch_size=2):
            got.append(r)
    assert got == ["A", "B", "C"]
    notes = "\n".join(info.value.__notes__)
    assert "item 3 of the input" in notes and "raise UnpicklableError(text, \"bad item\")" in notes


def test_cli_prints_the_wrong_archive_warning_once_and_refuses_the_prune(tmp_path):
    root = tmp_path / "_posts"
    (root / "2015").mkdir(parents=True)
    write_good_posts(root, 1)
    (root / "2015" / "2015-01-01-old.md").write_text(post("旧", "二〇一五年的文章。"), encoding="utf-8")
    out = tmp_path / "all.jsonl"
    base = [sys.executable, "-m", "newsnlp.cli", "tag", "-o", str(out), "--workers", "1", "--quiet"]
    env = _cli_env(NEWSNLP_BATCH_ANALYZER="batch_stubs:make_stub")
    assert subprocess.run(base + [str(root)], env=env, capture_output=True, timeout=120).returncode == 0
    before = out.read_bytes()
    refused = subprocess.run(base + [str(root / "2015"), "--prune"], env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--prune would drop the record of every post outside it" in refused.stderr
    assert out.read_bytes() == before
    slip = subprocess.run(base + [str(root / "2015")], env=env, capture_output=True, text=True, timeout=120)
    assert slip.returncode == 0
    assert slip.stderr.count("newsnlp tag: warning: ") == 1 and "RuntimeWarning" not in slip.stderr
