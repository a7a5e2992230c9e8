"""jieba's default dictionary, read once per process and cached between processes.

On every start jieba rebuilds its prefix dictionary (``Tokenizer.initialize``) and each
``jieba.posseg.POSTokenizer`` re-reads ``dict.txt`` for its word -> tag table; newsnlp used
to do that three times per process (about 2.3 s). Here both tables are built once, kept for
the process, and written to a cache file that later processes read in a fraction of a
second:

- the file lives in ``$NEWSNLP_CACHE_DIR`` when that is set, else in the user's cache
  directory (``$XDG_CACHE_HOME/newsnlp`` or ``~/.cache/newsnlp``; ``%LOCALAPPDATA%`` on
  Windows);
- its name carries a format version, the jieba and Python versions and the SHA-256 of the
  dictionary file, so a changed dictionary or an upgrade never reads a stale cache;
- it is written atomically (:func:`newsnlp._util.atomic_write`: a temporary file in the same
  folder, then ``os.replace``), so parallel workers never read half a file; an unwritable folder
  only costs the rebuild.

The tables are shared and must not be changed in place: :mod:`newsnlp.text.posseg` gives
each tokenizer copy-on-write access (the first added word copies the table).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .._util import atomic_write

__all__ = ["DictTables", "cache_dir", "default_tables"]

# Bump when what is stored (or how it is built) changes.
CACHE_FORMAT = 1
CACHE_ENV = "NEWSNLP_CACHE_DIR"


@dataclass(frozen=True)
class DictTables:
    """jieba's default dictionary as its tokenizers hold it (shared; never modify)."""

    freq: dict[str, int]  # Tokenizer.FREQ: words and their prefixes (frequency 0)
    total: int  # Tokenizer.total
    word_tags: dict[str, str]  # POSTokenizer.word_tag_tab
    digest: str  # SHA-256 of dict.txt
    source: str  # "memory", "cache" or "built": where this process got them


_TABLES: DictTables | None = None
_LOCK = threading.Lock()


def cache_dir() -> Path:
    """The folder newsnlp caches derived data in (``$NEWSNLP_CACHE_DIR`` first)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform.startswith("win") and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "newsnlp" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsnlp"


def _dict_bytes() -> bytes:
    import jieba

    with jieba.Tokenizer().get_dict_file() as f:  # the default dict.txt inside jieba
        return f.read()


def cache_path(digest: str) -> Path:
    """The cache file for a dictionary with SHA-256 ``digest`` under :func:`cache_dir`."""
    import jieba

    version = getattr(jieba, "__version__", "unknown")
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / f"jieba-dict-v{CACHE_FORMAT}-jieba{version}-py{py}-{digest[:24]}.marshal"


def build_tables(data: bytes) -> tuple[dict[str, int], int, dict[str, str]]:
    """Build ``(FREQ, total, word_tag_tab)`` from the bytes of a jieba dictionary file.

    The same tables as ``jieba.Tokenizer.gen_pfdict`` and ``POSTokenizer.load_word_tag``
    (they are called or mirrored line by line); the tag table reuses the prefix table's
    word objects so a process holds each word once.
    """
    import io

    import jieba

    freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(data))
    canonical = {w: w for w in freq}
    tags: dict[str, str] = {}
    intern = sys.intern
    for lineno, raw in enumerate(data.splitlines(), 1):
        line = raw.strip().decode("utf-8")
        if not line:
            continue
        try:
            word, _, tag = line.split(" ")
        except ValueError:
            raise ValueError(f"invalid POS dictionary entry in jieba's dict.txt at line {lineno}: {line}") from None
        tags[canonical.get(word, word)] = intern(tag)
    return freq, total, tags


def _read_cache(path: Path, digest: str):
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        # marshal.loads on the whole file: marshal.load(file) reads in small steps, ~4x slower.
        stored = marshal.loads(data)
        fmt, stored_digest, freq, total, tags = stored
    except (EOFError, ValueError, TypeError):
        return None  # truncated or foreign file: rebuild and overwrite
    if fmt != CACHE_FORMAT or stored_digest != digest or not isinstance(freq, dict) or not isinstance(tags, dict):
        return None
    return freq, total, tags


def _write_cache(path: Path, payload: tuple) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, marshal.dumps(payload))
    except OSError:
        return False  # read-only home, full disk...: the tables still work, only uncached
    return True


def default_tables() -> DictTables:
    """jieba's default dictionary tables for this process: from memory, the cache, or built.

    Returns:
        The shared :class:`DictTables`; the first call in a process reads the cache file
        (or builds the tables and writes it), later calls return the same object.

    Example:
        >>> tables = default_tables()
        >>> tables.word_tags["工会"], tables.freq["工会"] > 0
        ('n', True)
    """
    global _TABLES
    if _TABLES is not None:
        return _TABLES
    with _LOCK:
        if _TABLES is None:
            data = _dict_bytes()
            digest = hashlib.sha256(data).hexdigest()
            path = cache_path(digest)
            found = _read_cache(path, digest)
            source = "cache"
            if found is None:
                found = build_tables(data)
                _write_cache(path, (CACHE_FORMAT, digest, *found))
                source = "built"
            freq, total, tags = found
            _TABLES = DictTables(freq, total, tags, digest, source)
    return _TABLES


def _forget() -> None:
    """Drop this process's tables (tests use it to read a fresh cache folder)."""
    global _TABLES
    with _LOCK:
        _TABLES = None
