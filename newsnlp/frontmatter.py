"""Byte-preserving edits of a post's YAML front matter, written back atomically.

Round-tripping front matter through a YAML library loses comments, quoting, key order and
line endings. Here the front matter is edited as text instead: an existing top-level key's
block (its line and the indented lines that continue it) is replaced, a new key is added just
before the closing ``---``, and only the values are serialised with ``yaml.safe_dump``. Every
other byte of the file -- BOM, body, comments, CRLF line endings, other keys -- stays as it
was. Each edit is checked by parsing the result: the new front matter must load as the old
mapping with exactly the requested keys changed, or nothing is written.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .errors import ArticleError

__all__ = [
    "FrontMatter",
    "FrontMatterError",
    "ChangedOnDiskError",
    "FileState",
    "find_front_matter",
    "update_front_matter",
    "update_front_matter_bytes",
    "decode_for_edit",
    "write_front_matter",
    "atomic_write_bytes",
]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
_OPEN = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")


class FrontMatterError(ArticleError):
    """The front matter is malformed, or cannot be edited without changing other keys."""


class ChangedOnDiskError(ArticleError):
    """The file changed between the moment it was read and the moment it was to be replaced."""


@dataclass(frozen=True)
class FrontMatter:
    """Where a post's front matter lies in its text.

    ``text[start:end]`` is the YAML block (between the ``---`` lines, both excluded);
    ``newline`` is the line ending of the opening line; ``data`` the parsed mapping.
    """

    start: int
    end: int
    newline: str
    data: dict


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split ``text[start:end]`` into ``(line_start, line_end_with_newline, content)``."""
    out = []
    pos = start
    while pos < end:
        m = _LINE.match(text, pos, end)
        line = m.group(0)
        if not line:
            break
        content = line.rstrip("\r\n")
        out.append((pos, pos + len(line), content))
        pos += len(line)
    return out


def _newline_of(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    if line.endswith(("\n", "\r")):
        return line[-1]
    return "\n"


def find_front_matter(text: str, *, source: str = "<text>") -> FrontMatter | None:
    """Locate and parse the YAML front matter at the top of a post.

    The post must open with a ``---`` line (after an optional BOM); the block ends at the
    next ``---`` or ``...`` line.

    Args:
        text: the whole post.
        source: how to name the post in errors.

    Returns:
        A :class:`FrontMatter`, or ``None`` when the post has no front matter.

    Raises:
        FrontMatterError: front matter opened but never closed, not valid YAML, or not a mapping.

    Example:
        >>> fm = find_front_matter("---\\ntitle: 宁波\\n---\\n正文")
        >>> fm.data, fm.start, fm.end
        ({'title': '宁波'}, 4, 14)
    """
    import yaml

    offset = 1 if text.startswith("\ufeff") else 0
    m = _LINE.match(text, offset)
    first = m.group(0)
    if not _OPEN.fullmatch(first.rstrip("\r\n")):
        return None
    newline = _newline_of(first)
    start = offset + len(first)
    for line_start, _line_end, content in _lines(text, start, len(text)):
        if _CLOSE.fullmatch(content):
            block = text[start:line_start]
            try:
                # libyaml's loader when present: the same safe constructors, ~10x faster to scan
                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                data = yaml.load(block, Loader=loader) if block.strip() else {}  # noqa: S506 (safe loader)
            except yaml.YAMLError as exc:
                first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise FrontMatterError(
                    f"{source}: malformed YAML front matter ({first_line}); fix the YAML between the '---' lines"
                ) from None
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise FrontMatterError(
                    f"{source}: front matter is a YAML {type(data).__name__}, not a mapping of keys to values; "
                    "write it as `key: value` lines"
                )
            return FrontMatter(start, line_start, newline, data)
    raise FrontMatterError(
        f"{source}: front matter opened with '---' but never closed; add a '---' line after the last key"
    )


def _key_pattern(key: str) -> re.Pattern[str]:
    k = re.escape(key)
    return re.compile(rf"(?:{k}|\"{k}\"|'{k}')[ \t]*:(?:[ \t]|$)")


def _is_continuation(content: str, value_is_block: bool) -> bool:
    """Whether a line continues the value of the top-level key above it."""
    if content[:1] in (" ", "\t"):
        return True
    # A block sequence may sit at the key's own indentation ("tags:\n- a\n- b").
    return value_is_block and (content == "-" or content.startswith("- "))


def _key_blocks(text: str, fm: FrontMatter, key: str) -> list[tuple[int, int]]:
    """Character spans (line starts to line ends, newline included) of each top-level ``key``."""
    pattern = _key_pattern(key)
    lines = _lines(text, fm.start, fm.end)
    blocks = []
    i = 0
    while i < len(lines):
        line_start, line_end, content = lines[i]
        m = pattern.match(content)
        if not m:
            i += 1
            continue
        rest = content[m.end() :].strip()
        value_is_block = not rest or rest.startswith(("#", "&", "!", "|", ">"))
        end = line_end
        j = i + 1
        while j < len(lines):
            c = lines[j][2]
            if not c.strip() or c.startswith("#"):
                # A blank or comment line belongs to the block only if the block goes on after it.
                k = j
                while k < len(lines) and (not lines[k][2].strip() or lines[k][2].startswith("#")):
                    k += 1
                if k < len(lines) and _is_continuation(lines[k][2], value_is_block):
                    j = k
                    continue
                break
            if not _is_continuation(c, value_is_block):
                break
            end = lines[j][1]
            j += 1
        blocks.append((line_start, end))
        i = j
    return blocks


def _dump(key: str, value: Any, newline: str) -> str:
    import yaml

    dumped = yaml.safe_dump(
        {key: value}, allow_unicode=True, default_flow_style=False, sort_keys=False, width=2**31 - 1
    )
    return dumped.replace("\n", newline)


def update_front_matter(text: str, values: Mapping[str, Any], *, source: str = "<text>") -> str:
    """Add or update top-level keys in a post's front matter, leaving every other character as it was.

    An existing key's block is replaced in place (its value already equal: left untouched);
    new keys go just before the closing ``---``, in the order given. Values are written with
    ``yaml.safe_dump`` and the file's own line ending.

    Args:
        text: the whole post.
        values: key -> value (str, number, list, dict...); keys must be plain names.
        source: how to name the post in errors.

    Returns:
        The edited post (``text`` itself when nothing changes).

    Raises:
        FrontMatterError: the post has no front matter, it is malformed, or the edit would not
            load back as the old mapping with exactly these keys changed.

    Example:
        >>> post = "---\\ntitle: 宁波  # 标题\\n---\\n正文\\n"
        >>> print(update_front_matter(post, {"summary": "宁波市总工会召开会议。"}), end="")
        ---
        title: 宁波  # 标题
        summary: 宁波市总工会召开会议。
        ---
        正文
    """
    fm = find_front_matter(text, source=source)
    if fm is None:
        raise FrontMatterError(
            f"{source}: has no YAML front matter to update; only posts that open with a '---' block are edited"
        )
    for key in values:
        if not isinstance(key, str) or not re.fullmatch(r"[^\W\d][\w-]*", key):
            raise FrontMatterError(
                f"front-matter key {key!r} is not a plain name; use letters, digits, '_' and '-' (e.g. 'summary')"
            )
    edits: list[tuple[int, int, str]] = []
    appended = []
    for key, value in values.items():
        blocks = _key_blocks(text, fm, key)
        if not blocks:
            appended.append(_dump(key, value, fm.newline))
            continue
        if len(blocks) == 1 and key in fm.data and fm.data[key] == value and type(fm.data[key]) is type(value):
            continue
        first_start, first_end = blocks[0]
        block_text = text[first_start:first_end]
        newline = _newline_of(block_text) if block_text.endswith(("\n", "\r")) else fm.newline
        edits.append((first_start, first_end, _dump(key, value, newline)))
        edits.extend((s, e, "") for s, e in blocks[1:])
    if appended:
        edits.append((fm.end, fm.end, "".join(appended)))
    if not edits:
        return text
    edits.sort()
    out = []
    pos = 0
    for s, e, replacement in edits:
        out.append(text[pos:s])
        out.append(replacement)
        pos = e
    out.append(text[pos:])
    new_text = "".join(out)
    _check_edit(new_text, fm.data, values, source)
    return new_text


def _check_edit(new_text: str, old: dict, values: Mapping[str, Any], source: str) -> None:
    try:
        new_fm = find_front_matter(new_text, source=source)
    except FrontMatterError:
        new_fm = None
    expected = dict(old)
    expected.update(values)
    if new_fm is None or new_fm.data != expected or list(new_fm.data) != [k for k in old if k in expected] + [
        k for k in values if k not in old
    ]:
        raise FrontMatterError(
            f"{source}: editing the front matter as text would change other keys (an unusual layout, "
            "e.g. a multi-line value at column 0); the file was left as it was -- edit it by hand"
        )


def decode_for_edit(data: bytes) -> tuple[str, str]:
    """Decode like :func:`newsnlp.article.decode_bytes` but keep the BOM; return (text, codec).

    Raises:
        ArticleError: bytes :func:`~newsnlp.article.detect_encoding` refuses.
    """
    from .article import detect_encoding

    codec = detect_encoding(data)
    return data.decode(codec), codec


def update_front_matter_bytes(data: bytes, values: Mapping[str, Any], *, source: str = "<bytes>") -> bytes:
    """:func:`update_front_matter` on a file's bytes; bytes outside the edited lines are copied as they were.

    UTF-8 (with or without BOM) and GB18030 files are edited in their own encoding.

    Raises:
        FrontMatterError: see :func:`update_front_matter`.
        ArticleError: the bytes are not text newsnlp reads (see :func:`newsnlp.article.detect_encoding`).
    """
    text, codec = decode_for_edit(data)
    if codec == "utf-16":
        raise FrontMatterError(f"{source}: UTF-16 posts are read but not edited; convert the file to UTF-8 to write into it")
    new_text = update_front_matter(text, values, source=source)
    if new_text is text or new_text == text:
        return data
    # Splice: everything before the first and after the last changed character comes from
    # the original bytes, so not even an unusual-but-valid encoding choice can change them.
    prefix = 0
    limit = min(len(text), len(new_text))
    while prefix < limit and text[prefix] == new_text[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and text[len(text) - 1 - suffix] == new_text[len(new_text) - 1 - suffix]:
        suffix += 1
    head = len(text[:prefix].encode(codec))
    tail = len(text[len(text) - suffix :].encode(codec)) if suffix else 0
    try:
        middle = new_text[prefix : len(new_text) - suffix].encode(codec)
    except UnicodeEncodeError as exc:
        raise FrontMatterError(
            f"{source}: the new value {exc.object[exc.start:exc.end]!r} cannot be written in the file's encoding "
            f"({codec}); convert the post to UTF-8 to write into it"
        ) from None
    return data[:head] + middle + data[len(data) - tail :]


@dataclass(frozen=True)
class FileState:
    """What a file looked like when it was read: modification time, size and SHA-256 of its bytes."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike, data: bytes | None = None) -> "FileState":
        """Stat ``path`` (and hash ``data``, or the file's current bytes)."""
        st = os.stat(path)
        if data is None:
            data = Path(path).read_bytes()
        return cls(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, expected: FileState | None = None) -> None:
    """Replace the contents of ``path`` with ``data``, keeping its mode, owner, group and hard links.

    Usually the bytes go to a temporary file in the same directory, are fsynced, get the old
    file's permission bits, owner and group, and are renamed over ``path`` (atomic: a reader sees
    the old or the new file, never half of one). When a rename would lose something -- the file
    has other hard links, or its owner cannot be given to a new file -- the file is rewritten in
    place instead, after a copy of the old bytes is fsynced beside it (``.NAME.newsnlp-PID.*.backup``);
    a run killed meanwhile leaves that copy, and the next ``newsnlp tag`` puts it back. Writes go
    through symlinks (the link stays a link). With ``expected``, the file is checked (mtime, size
    and hash) right before the write and left alone when it changed.

    Raises:
        ChangedOnDiskError: the file no longer matches ``expected``.
        OSError: the directory is not writable, the disk is full, ...
    """
    from ._util import mkstemp_beside

    target = Path(os.path.realpath(path))  # write through symlinks instead of replacing them
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None

    def check() -> None:
        if expected is None:
            return
        try:
            now = FileState.of(target)
        except FileNotFoundError:
            now = None
        if now != expected:
            raise ChangedOnDiskError(
                f"{path}: changed on disk since it was read (size/mtime/hash differ); not written -- "
                "run again to analyse the new version"
            )

    if st is not None and (st.st_nlink > 1 or not _can_give_owner(st)):
        _write_in_place(target, data, check)
        return
    fd, tmp = mkstemp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                os.chown(tmp, st.st_uid, st.st_gid)
        else:
            from ._util import new_file_mode

            os.chmod(tmp, new_file_mode())
        check()
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(target.parent)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def _can_give_owner(st: os.stat_result) -> bool:
    """Whether a new file of ours can be given ``st``'s owner and group (root can; others only their own)."""
    if not hasattr(os, "geteuid"):
        return True
    if os.geteuid() == 0:
        return True
    return st.st_uid == os.geteuid() and (st.st_gid == os.getegid() or st.st_gid in os.getgroups())


def _write_in_place(target: Path, data: bytes, check) -> None:
    """Overwrite ``target`` in place (same inode: hard links, owner and mode stay), old bytes backed up first."""
    from ._util import mkstemp_beside

    old = target.read_bytes()
    check()
    fd, backup = mkstemp_beside(target)
    os.close(fd)
    backup_path = backup[: -len(".tmp")] + ".backup"
    try:
        with open(backup, "wb") as fh:
            fh.write(old)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(backup, backup_path)
        _fsync_dir(target.parent)
    except BaseException:
        for p in (backup, backup_path):
            try:
                os.unlink(p)
            except OSError:
                pass
        raise
    with open(target, "r+b") as fh:
        fh.write(data)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())
    os.unlink(backup_path)
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # not possible on every platform (Windows); the rename itself is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A unified diff of two versions of a post (decoded for display)."""
    a = decode_for_edit(old)[0].splitlines(keepends=True)
    b = decode_for_edit(new)[0].splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_front_matter(
    path: str | os.PathLike,
    values: Mapping[str, Any],
    *,
    data: bytes | None = None,
    expected: FileState | None = None,
    dry_run: bool = False,
) -> tuple[bool, str]:
    """Add or update keys in the front matter of the post at ``path``.

    Args:
        path: the post.
        values: key -> value to write.
        data: the bytes as read earlier (default: read now); the edit is made on these.
        expected: the file's state when ``data`` was read; the file is left alone if it changed since.
        dry_run: compute the diff, write nothing.

    Returns:
        ``(changed, diff)``: whether the file's bytes differ (or would, with ``dry_run``) and
        a unified diff of the change.

    Raises:
        FrontMatterError: no, or malformed, front matter; an unsafe edit.
        ChangedOnDiskError: the file changed since it was read.

    Example:
        >>> write_front_matter("_posts/2024-05-08-宁波.md", {"summary": "宁波市总工会召开会议。"})  # doctest: +SKIP
        (True, '--- a/_posts/2024-05-08-宁波.md\\n+++ ...')
    """
    if data is None:
        data = Path(path).read_bytes()
        if expected is None:
            expected = FileState.of(path, data)
    new = update_front_matter_bytes(data, values, source=str(path))
    if new == data:
        return False, ""
    diff = unified_diff(str(path), data, new)
    if not dry_run:
        atomic_write_bytes(path, new, expected=expected)
    return True, diff
