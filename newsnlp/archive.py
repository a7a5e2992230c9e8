"""The archive walker and the file-safety rules of ``newsnlp tag``.

Three jobs, kept together because they decide what a batch run may read and write:

- :func:`walk_posts`, the one walker: every post file under a folder, in a stable order, and a
  :class:`Problem` for every entry it cannot read (an unreadable folder, a symlink loop, a
  dangling link, a symlinked folder it does not follow), so that the run reports it and goes on;
- the ownership of an output: a sidecar manifest (``<output>.newsnlp.json``) names the archive an
  output was made from, and a file that is not newsnlp's (the input itself, a user's own JSONL)
  is refused before a byte of it is changed;
- temporary files: named with the writing process's id, so that the ones a killed run left
  behind are recognised and removed by the next run.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from .article import ARTICLE_SUFFIXES
from ._util import copy_owner_and_mode, mkstemp_beside, new_file_mode, temp_prefix  # noqa: F401 (re-exported)
from .errors import ArticleError, NewsNLPError

__all__ = [
    "Problem",
    "walk_posts",
    "count_posts",
    "iter_articles",
    "is_dataset_dir",
    "load_saved_dataset",
    "temp_prefix",
    "remove_stale_temps",
    "is_inside",
    "check_not_archive",
    "check_output_file",
    "check_errors_file",
    "check_export_target",
    "read_manifest",
    "claim_output",
    "new_file_mode",
]

MANIFEST_SUFFIX = ".newsnlp.json"
MANIFEST_FORMAT = "newsnlp-tag-output"


@dataclass(frozen=True)
class Problem:
    """An entry of the archive that could not be read as a post: reported, then the walk goes on."""

    id: str
    path: str
    reason: str
    error_type: str


# =========================================================================== the walker

def walk_posts(root: str | os.PathLike, *, follow_links: bool = False,
               stale_temps: list[Path] | None = None) -> Iterator[tuple[Path, str] | Problem]:
    """Yield ``(path, id)`` for every post under ``root``, and a :class:`Problem` for each entry it cannot read.

    Entries come sorted by name, folders walked depth first; hidden entries are skipped (the
    temporary files newsnlp writes are hidden: with ``stale_temps``, those that a killed run
    left are appended to it). A post's id is its path inside ``root`` without its suffix, or
    with it when another post in the same folder has the same stem. A symlink to a file is
    read like a file; a symlinked folder is followed only with ``follow_links`` (a link back to
    a folder already walked is reported, not followed again). Never raises for an entry below
    ``root``.

    Raises:
        ArticleError: ``root`` itself cannot be listed.

    Example:
        >>> [x for x in walk_posts("_posts")][:1]  # doctest: +SKIP
        [(PosixPath('_posts/2024-05-08-ningbo.md'), '2024-05-08-ningbo')]
    """
    root = Path(root)
    try:
        st = os.stat(root)
    except OSError as exc:
        raise ArticleError(f"{root}: cannot read the folder ({exc.strerror or exc})") from None
    yield from _walk_dir(root, root, follow_links, {(st.st_dev, st.st_ino)}, stale_temps)


def count_posts(root: str | os.PathLike, *, follow_links: bool = False) -> int:
    """How many posts :func:`walk_posts` will yield (for the progress bar)."""
    return sum(1 for x in walk_posts(root, follow_links=follow_links) if not isinstance(x, Problem))


def is_dataset_dir(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder written by ``datasets``' ``save_to_disk``."""
    path = Path(path)
    return path.is_dir() and ((path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file())


def load_saved_dataset(path: str | os.PathLike, split: str | None = None) -> Any:
    """The ``datasets.Dataset`` saved at ``path``; of a ``DatasetDict``, ``split`` (or its only split).

    Raises:
        ArticleError: a ``DatasetDict`` of several splits and no (or another) ``split``.
    """
    from datasets import DatasetDict, load_from_disk

    ds = load_from_disk(str(path))
    if isinstance(ds, DatasetDict):
        if split is None and len(ds) == 1:
            split = next(iter(ds))
        if split not in ds:
            raise ArticleError(f"{path} is a DatasetDict with splits {', '.join(ds)}; choose one with split= (--split)")
        ds = ds[split]
    return ds


def iter_articles(archive: str | os.PathLike, *, split: str | None = None, follow_links: bool = False) -> Iterator[Any]:
    """Yield an :class:`~newsnlp.article.Article` for each post of an archive, lazily (what
    ``newsnlp tags learn``, ``entities learn`` and ``idf build`` read).

    ``archive`` is a folder of posts (walked by :func:`walk_posts`; an entry it cannot read is
    skipped with an :class:`~newsnlp.errors.ArticleWarning`), one post file, a ``.jsonl``
    (``.ndjson``, ``.json``) or ``.parquet`` file of records with a ``text`` field, or a folder
    written by ``datasets``' ``save_to_disk`` (``split`` picks a split of a ``DatasetDict``).

    Raises:
        FileNotFoundError: ``archive`` does not exist (when the first post is asked for).
        ArticleError: a record cannot be read.
    """
    import warnings

    from .article import read_article, records_from_jsonl
    from .errors import ArticleWarning

    path = Path(archive)
    if not path.exists():
        raise FileNotFoundError(
            f"archive {path} does not exist; pass a folder of posts, a .jsonl or .parquet file, or a saved dataset"
        )
    if is_dataset_dir(path):
        for row in load_saved_dataset(path, split):
            yield read_article(dict(row))
    elif path.is_dir():
        for item in walk_posts(path, follow_links=follow_links):
            if isinstance(item, Problem):
                warnings.warn(f"{item.path}: {item.reason}", ArticleWarning, stacklevel=2)
            else:
                yield read_article(item[0])
    elif path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        yield from records_from_jsonl(path)
    elif path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                yield read_article(row)
    else:
        yield read_article(path)


def _rel(root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return "." if rel == "" else rel


def _walk_dir(root: Path, folder: Path, follow_links: bool, visited: set[tuple[int, int]],
              stale_temps: list[Path] | None) -> Iterator[tuple[Path, str] | Problem]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        if folder == root:
            raise ArticleError(f"{root}: cannot list the folder ({exc.strerror or exc})") from None
        yield Problem(
            _rel(root, folder) + "/", str(folder),
            f"cannot list the folder ({exc.strerror or exc}); none of its posts were read -- "
            "make it readable (chmod u+rx) and run again", "UnreadableFolder",
        )
        return
    files: list[os.DirEntry] = []
    order: list[tuple[str, Any]] = []  # ("file", entry) / ("dir", (entry, real_id)) / ("problem", Problem)
    for e in entries:
        if e.name.startswith("."):
            if stale_temps is not None:
                if is_stale_temp(folder, e.name):
                    stale_temps.append(Path(e.path))
                else:
                    _restore_backup(folder, e.name)
            continue
        is_post_name = e.name.lower().endswith(ARTICLE_SUFFIXES)
        # A post's id (its path without the suffix): a broken link keeps its post's record on --prune.
        relpath = _rel(root, Path(e.path))
        if is_post_name:
            relpath = os.path.splitext(relpath)[0]
        try:
            if e.is_dir(follow_symlinks=False):
                order.append(("dir", e))
                continue
            if e.is_symlink():
                try:
                    st = os.stat(e.path)
                except FileNotFoundError:
                    if is_post_name or "." not in e.name:
                        order.append(("problem", Problem(
                            relpath, e.path, f"dangling symlink to {os.readlink(e.path)!r}: the file it names "
                            "does not exist; fix or remove the link", "DanglingLink")))
                    continue
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        order.append(("problem", Problem(
                            relpath, e.path, "symlink loop: the link leads back to itself; fix or remove it",
                            "SymlinkLoop")))
                    else:
                        order.append(("problem", Problem(
                            relpath, e.path, f"cannot follow the symlink ({exc.strerror or exc})", "UnreadableFile")))
                    continue
                if stat.S_ISDIR(st.st_mode):
                    if not follow_links:
                        order.append(("problem", Problem(
                            relpath + "/", e.path, "symlinked folder not followed; its posts were not read -- "
                            "pass --follow-links (follow_links=True) to read it", "SymlinkedFolder")))
                    elif (st.st_dev, st.st_ino) in visited:
                        order.append(("problem", Problem(
                            relpath + "/", e.path, "symlinked folder leads back to a folder already read; "
                            "not read twice", "SymlinkLoop")))
                    else:
                        order.append(("dir", e))
                    continue
                if is_post_name and stat.S_ISREG(st.st_mode):
                    files.append(e)
                    order.append(("file", e))
                continue
            if not is_post_name:
                continue
            if e.is_file(follow_symlinks=False):
                files.append(e)
                order.append(("file", e))
            else:
                order.append(("problem", Problem(
                    relpath, e.path, "not a regular file (a pipe, socket or device); not read", "NotAFile")))
        except OSError as exc:
            order.append(("problem", Problem(relpath, e.path, f"cannot read the entry ({exc.strerror or exc})",
                                             "UnreadableFile")))
    stems: dict[str, int] = {}
    for e in files:
        stem = os.path.splitext(e.name)[0]
        stems[stem] = stems.get(stem, 0) + 1
    for what, e in order:
        if what == "problem":
            yield e
        elif what == "dir":
            try:
                st = os.stat(e.path)
                key = (st.st_dev, st.st_ino)
            except OSError as exc:
                yield Problem(_rel(root, Path(e.path)) + "/", e.path,
                              f"cannot read the folder ({exc.strerror or exc})", "UnreadableFolder")
                continue
            if key in visited:
                continue
            visited.add(key)
            yield from _walk_dir(root, Path(e.path), follow_links, visited, stale_temps)
        else:
            stem = os.path.splitext(e.name)[0]
            yield Path(e.path), (stem if stems[stem] == 1 else e.name)


# =========================================================================== temporary files

_TEMP = re.compile(r"^\.(?P<name>.+)\.newsnlp-(?P<pid>\d+)\.[^.]+\.tmp$")
# What newsnlp before 0.1.1 named them: tempfile.mkstemp's 8 random characters.
_OLD_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
_OLD_TEMP_AGE = 600.0  # seconds: an atomic write takes milliseconds, so an older one is left over


_BACKUP = re.compile(r"^\.(?P<name>.+)\.newsnlp-(?P<pid>\d+)\.[^.]+\.backup$")


def _restore_backup(folder: str | os.PathLike, name: str) -> bool:
    """Put back the old bytes of a post whose in-place rewrite was killed midway (see ``atomic_write_bytes``)."""
    m = _BACKUP.match(name)
    if not m or _pid_alive(int(m.group("pid"))):
        return False
    backup = Path(folder) / name
    target = Path(folder) / m.group("name")
    try:
        old = backup.read_bytes()
        if target.exists():
            with open(target, "r+b") as fh:
                fh.write(old)
                fh.truncate()
                fh.flush()
                os.fsync(fh.fileno())
        else:
            return False  # the post is gone: keep the copy for a person to look at
        backup.unlink()
    except OSError:
        return False
    return True




def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def is_stale_temp(folder: str | os.PathLike, name: str) -> bool:
    """Whether ``folder/name`` is a temporary file of newsnlp's whose writer is gone."""
    m = _TEMP.match(name)
    if m:
        return not _pid_alive(int(m.group("pid")))
    m = _OLD_TEMP.match(name)
    if m and m.group("name").lower().endswith(ARTICLE_SUFFIXES + (".jsonl", ".parquet", ".csv")):
        try:
            return time.time() - os.lstat(os.path.join(folder, name)).st_mtime > _OLD_TEMP_AGE
        except OSError:
            return False
    return False


def remove_stale_temps(paths: list[Path]) -> int:
    """Remove the temporary files ``paths`` (found by :func:`walk_posts`); return how many went."""
    n = 0
    for p in paths:
        try:
            if p.is_file() and not p.is_symlink():
                p.unlink()
                n += 1
        except OSError:
            pass
    return n








def is_inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """Whether ``path``, all symlinks resolved, lies inside the folder ``root`` (resolved too)."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


# =========================================================================== ownership of outputs

def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_not_archive(path: Path, archive: Path, what: str) -> None:
    """Refuse to write ``path`` when it is the archive itself (an input file given as -o or --errors)."""
    if archive.is_file() and _same_file(path, archive):
        raise NewsNLPError(
            f"{what} {path} is the archive being read; writing there would destroy the input -- "
            "choose another file, e.g. -o tags.jsonl"
        )


def _is_record_line(line: bytes) -> bool:
    try:
        rec = json.loads(line)
    except ValueError:
        return False
    return (isinstance(rec, dict) and isinstance(rec.get("id"), (str, int)) and isinstance(rec.get("content_hash"), str)
            and "summary" in rec)


def _first_foreign_line(path: Path, is_ours: Callable[[bytes], bool | None]) -> int | None:
    """The number of the first non-blank line of ``path`` that ``is_ours`` rejects, else ``None``.

    ``is_ours`` returns ``True`` (ours), ``False`` (foreign) or ``None`` (ours, and stop reading).
    A missing file has no foreign line.
    """
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            verdict = is_ours(line)
            if verdict is None:
                return None
            if not verdict:
                return lineno
    return None


def _is_output_line(line: bytes) -> bool | None:
    if not line.endswith(b"\n"):
        # the line a killed run was writing (repaired by the run) ends the check; anything else is foreign
        return None if line.startswith(b'{"id": ') else False
    return _is_record_line(line)


def _is_error_line(line: bytes) -> bool:
    try:
        entry = json.loads(line)
    except ValueError:
        return False
    return isinstance(entry, dict) and "reason" in entry and "error_type" in entry


def check_output_file(journal: Path) -> None:
    """Refuse an output that holds lines newsnlp did not write (compaction would drop them).

    An empty or missing file is fine; so is one whose last line was cut off by a killed run,
    when that line starts as a newsnlp record does.

    Raises:
        NewsNLPError: naming the first foreign line and the fix.
    """
    lineno = _first_foreign_line(journal, _is_output_line)
    if lineno is not None:
        raise NewsNLPError(
            f"{journal} is not a newsnlp output (line {lineno} is not a record newsnlp wrote), so it was "
            "left as it was: a run would rewrite it and lose those lines -- choose another -o "
            "(newsnlp writes and owns that file)"
        )


def check_errors_file(path: Path) -> None:
    """Refuse an errors file that holds anything but newsnlp's error entries."""
    lineno = _first_foreign_line(path, _is_error_line)
    if lineno is not None:
        raise NewsNLPError(
            f"{path} is not a newsnlp errors file (line {lineno} is not an error entry), so it was left "
            "as it was; choose another --errors file"
        )


_CSV_HEADER = "id,path,title,date,summary,tags,keywords,organisations,officials,programmes,persons,places,content_hash,versions"


def check_export_target(target: Path, fmt: str) -> None:
    """Refuse a Parquet/CSV ``-o`` that exists and is not a file newsnlp exported."""
    if not target.exists():
        return
    if target.is_dir():
        raise NewsNLPError(f"-o {target} is a folder; name a file, e.g. {target / 'tags.' + fmt}")
    ok = False
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            names = set(pq.ParquetFile(target).schema_arrow.names)
            ok = {"id", "content_hash", "versions", "summary"} <= names
        else:
            with open(target, encoding="utf-8-sig", newline="") as fh:
                ok = fh.readline().rstrip("\r\n") == _CSV_HEADER
    except Exception:  # unreadable, not Parquet, not text: not ours either way
        ok = False
    if not ok:
        raise NewsNLPError(
            f"{target} exists and is not a {fmt} file newsnlp exported, so it was left as it was "
            "(the run would replace it) -- choose another -o"
        )


def manifest_path(journal: Path) -> Path:
    return journal.with_name(journal.name + MANIFEST_SUFFIX)


def read_manifest(journal: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(manifest_path(journal).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else None


def _write_manifest(journal: Path, archive_root: str, kind: str) -> None:
    path = manifest_path(journal)
    data = {"format": MANIFEST_FORMAT, "version": 1, "archive": archive_root, "kind": kind,
            "output": journal.name}
    fd, tmp = mkstemp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        copy_owner_and_mode(tmp, journal if journal.exists() else None)
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            os.unlink(tmp)


def claim_output(journal: Path, archive: Path, kind: str, *, prune: bool, write: bool) -> str | None:
    """Check that ``journal`` is newsnlp's output for ``archive`` and record it in the manifest.

    Returns a note for the user when this run reads another archive than the one the output
    was made from (ids would not match: every post would get a second record) or when the
    archive has moved; ``None`` when all is as expected.

    Raises:
        NewsNLPError: ``prune`` on an output made from another archive (it would drop every
            record outside this one), or a foreign output file.
    """
    check_output_file(journal)
    root = os.path.realpath(archive)
    manifest = read_manifest(journal)
    note = None
    if manifest is not None and manifest.get("archive") != root:
        old = str(manifest.get("archive"))
        moved = not os.path.exists(old) and not (is_inside(root, old) or is_inside(old, root))
        if moved:
            note = f"the archive {old} this output was made from is gone; this run's {root} is recorded instead"
        else:
            where = ("a folder inside it" if is_inside(root, old) else
                     "a folder above it" if is_inside(old, root) else "another archive")
            if prune:
                raise NewsNLPError(
                    f"{journal} was made from the archive {old}, and {root} is {where}: --prune would drop the "
                    f"record of every post outside it. Run on {old} to prune, or choose another -o for this "
                    f"archive (if {old} really is retired, delete {manifest_path(journal)})"
                )
            note = (f"{journal} was made from the archive {old}, and {root} is {where}: ids are paths inside "
                    "the archive, so these posts got records under new ids beside the old ones; run on "
                    f"{old}, or choose another -o")
            return note  # keep the recorded archive: this run was the slip
    if write and (manifest is None or note is not None):
        _write_manifest(journal, root, kind)
    return note
