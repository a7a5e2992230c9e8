"""Small helpers every layer may use (layer 0: imports nothing from newsnlp but ``errors``).

One home each, so that the checks and their wording agree everywhere:

- :func:`check_positive_int` / :func:`positive_int_arg`: the argument check and its CLI twin;
- :func:`chunks`: lazy fixed-size groups;
- :class:`LazyDefault`: a shared default (the shipped model, the default segmenter) built on first use;
- :func:`is_cjk` and :data:`CJK_RANGE`: "is this a Chinese character";
- :func:`atomic_write` and the temp-file naming it shares with the archive writers
  (:func:`temp_prefix`, :func:`mkstemp_beside`, :func:`new_file_mode`, :func:`copy_owner_and_mode`).
"""

from __future__ import annotations

import argparse
import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")

#: the CJK Unified Ideographs block, for regular expressions: ``f"[{CJK_RANGE}]"``
CJK_RANGE = "\u4e00-\u9fff"


def is_cjk(ch: str) -> bool:
    """Whether one character is a CJK unified ideograph (U+4E00..U+9FFF).

    >>> is_cjk("中"), is_cjk("a"), is_cjk("。")
    (True, False, False)
    """
    return "\u4e00" <= ch <= "\u9fff"


def check_positive_int(name: str, value: Any, *, hint: str = "") -> int:
    """Return ``value`` if it is a positive ``int`` (not a bool), else raise one wording everywhere.

    >>> check_positive_int("top_k", 3)
    3
    >>> check_positive_int("top_k", 0)
    Traceback (most recent call last):
    ...
    ValueError: top_k must be a positive int, got 0
    """
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}{hint}")
    return value


def positive_int_arg(value: str) -> int:
    """``argparse`` type for a positive integer option (``--workers 2``).

    >>> positive_int_arg("4")
    4
    """
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Group ``items`` into lists of ``size`` (the last may be shorter), reading lazily.

    >>> list(chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    check_positive_int("size", size)
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class LazyDefault(Generic[T]):
    """A value built by ``factory`` on first :meth:`get`, once per process, safe across threads.

    >>> calls = []
    >>> default = LazyDefault(lambda: calls.append(1) or "built")
    >>> default.get(), default.get(), len(calls)
    ('built', 'built', 1)
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
        return self._value


# --------------------------------------------------------------------------- atomic files


def temp_prefix(target: str | os.PathLike) -> str:
    """The name prefix of a temporary file written next to ``target`` by this process."""
    return f".{Path(target).name}.newsnlp-{os.getpid()}."


def mkstemp_beside(target: str | os.PathLike) -> tuple[int, str]:
    """A temporary file in ``target``'s folder, named so that a later run can tell it was left over."""
    return tempfile.mkstemp(dir=Path(target).parent, prefix=temp_prefix(target), suffix=".tmp")


def new_file_mode(existing: str | os.PathLike | None = None) -> int:
    """The permission bits a file newsnlp writes should get: the old file's, else 0666 less the umask."""
    if existing is not None:
        try:
            return stat.S_IMODE(os.stat(existing).st_mode)
        except OSError:
            pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def copy_owner_and_mode(tmp: str | os.PathLike, existing: str | os.PathLike | None) -> None:
    """Give ``tmp`` the mode (and, where allowed, owner and group) of ``existing``, or the default mode."""
    os.chmod(tmp, new_file_mode(existing))
    if existing is None:
        return
    try:
        st = os.stat(existing)
    except OSError:
        return
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except OSError:
        pass


def atomic_write(path: str | os.PathLike, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` all or nothing: a uniquely named temporary file beside it, flushed to
    disk, given the old file's mode, then renamed over it. A crash leaves the old file whole; two
    writers never share a temporary name.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "idf.tsv"
    >>> atomic_write(target, "词\\t1.5\\n").read_text(encoding="utf-8")
    '词\\t1.5\\n'
    """
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    existing = path if path.exists() else None
    fd, tmp = mkstemp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        copy_owner_and_mode(tmp, existing)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
