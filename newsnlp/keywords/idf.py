"""Inverse document frequencies for keyword scoring: build, save, load, merge.

The table stores document frequencies (not IDF values) plus the number of documents, so a
table built on your own archive can be merged with the shipped news table and IDF is always
computed the same way::

    idf(w) = ln((N + 1) / (df(w) + 1)) + 1

Words below the table's minimum document frequency are not stored; they get
:attr:`IDFTable.unseen_idf` (the IDF of a word seen in ``min_df - 1`` documents, i.e. rare).

File format (UTF-8, optionally gzipped): ``# key<TAB>value`` header lines (``docs``,
``min_df``, ``tokenizer``), then one ``word<TAB>df`` line per word, most frequent first.
"""

from __future__ import annotations

import gzip
import io
import math
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from .._util import LazyDefault, atomic_write, check_positive_int, is_cjk

__all__ = ["IDFTable", "build_idf", "default_idf", "iter_archive", "article_document", "gzip_bytes"]

DEFAULT_FILE = "idf.tsv.gz"


class IDFTable:
    """Document frequencies of words and the IDF computed from them.

    Args:
        df: word -> number of documents containing it.
        n_docs: number of documents counted.
        min_df: words seen in fewer documents were dropped when the table was saved.

    Example:
        >>> t = IDFTable({"工会": 3, "会议": 9}, n_docs=10)
        >>> t.idf("工会") > t.idf("会议")
        True
    """

    def __init__(self, df: dict[str, int], n_docs: int, *, min_df: int = 1, meta: dict[str, str] | None = None) -> None:
        if n_docs < 0:
            raise ValueError(f"n_docs must be >= 0, got {n_docs}")
        self.df = df
        self.n_docs = n_docs
        self.min_df = max(1, int(min_df))
        self.meta = dict(meta or {})
        self._log_n = math.log(n_docs + 1)
        # A word missing from the table was seen in at most min_df - 1 documents.
        self.unseen_idf = self._log_n - math.log(self.min_df) + 1.0
        self.max_idf = self._log_n + 1.0

    def __len__(self) -> int:
        return len(self.df)

    def __contains__(self, word: object) -> bool:
        return word in self.df

    def idf(self, word: str) -> float:
        """Return the IDF of ``word`` (``unseen_idf`` when it is not in the table)."""
        d = self.df.get(word)
        if d is None:
            return self.unseen_idf
        return self._log_n - math.log(d + 1) + 1.0

    def merged(self, other: "IDFTable") -> "IDFTable":
        """Return a table counting the documents of both tables (min_df is the larger one)."""
        df = dict(self.df)
        for w, d in other.df.items():
            df[w] = df.get(w, 0) + d
        return IDFTable(df, self.n_docs + other.n_docs, min_df=max(self.min_df, other.min_df), meta=self.meta)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the table (gzipped when ``path`` ends in ``.gz``) atomically; return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"# docs\t{self.n_docs}", f"# min_df\t{self.min_df}"]
        lines += [f"# {k}\t{v}" for k, v in sorted(self.meta.items()) if k not in {"docs", "min_df"}]
        lines += [f"{w}\t{d}" for w, d in sorted(self.df.items(), key=lambda kv: (-kv[1], kv[0])) if d >= self.min_df]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        return atomic_write(path, gzip_bytes(data) if path.suffix == ".gz" else data)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "IDFTable":
        """Read a table written by :meth:`save` (plain or gzipped TSV).

        Raises:
            FileNotFoundError: ``path`` does not exist.
            ValueError: a line is not ``word<TAB>count``.
        """
        path = Path(path)
        if path.is_dir():
            path = path / DEFAULT_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"IDF table {path} does not exist; build one with `newsnlp idf build ARCHIVE -o {path}`"
            )
        opener = gzip.open if path.suffix == ".gz" else open
        df: dict[str, int] = {}
        meta: dict[str, str] = {}
        with opener(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                if line.startswith("# "):
                    key, _, value = line[2:].partition("\t")
                    meta[key.strip()] = value.strip()
                    continue
                word, sep, count = line.rpartition("\t")
                if not sep or not count.isdigit():
                    raise ValueError(f"{path}:{lineno}: expected 'word<TAB>document count', got {line[:60]!r}")
                df[word] = int(count)
        if "docs" not in meta:
            raise ValueError(f"{path}: missing the '# docs<TAB>N' header line; rebuild it with `newsnlp idf build`")
        n_docs = int(meta.pop("docs"))
        min_df = int(meta.pop("min_df", "1"))
        return cls(df, n_docs, min_df=min_df, meta=meta)


def build_idf(
    texts: Iterable[str], *, segmenter: Any = None, min_df: int = 2, meta: dict[str, str] | None = None
) -> IDFTable:
    """Count document frequencies of jieba words over ``texts``.

    Words are what :class:`newsnlp.text.Segmenter` cuts (with HMM); whitespace, punctuation,
    single non-word characters and words over 12 characters are not counted.

    Args:
        texts: one string per document.
        segmenter: a :class:`newsnlp.text.Segmenter` (default: the shared one).
        min_df: keep words seen in at least this many documents.
        meta: extra header lines for the saved file (e.g. the corpus name).

    Returns:
        The :class:`IDFTable`.

    Example:
        >>> t = build_idf(["宁波市总工会召开会议", "杭州市总工会召开会议"], min_df=1)
        >>> t.n_docs, t.df["召开"]
        (2, 2)
    """
    check_positive_int("min_df", min_df)
    if segmenter is None:
        from ..text.segmentation import get_segmenter

        segmenter = get_segmenter()
    tok = segmenter.tokenizer
    df: dict[str, int] = {}
    n = 0
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"build_idf() takes an iterable of str, got an item of type {type(text).__name__}")
        n += 1
        for w in set(tok.cut(text, HMM=True)):
            if _countable(w):
                df[w] = df.get(w, 0) + 1
    kept = {w: d for w, d in df.items() if d >= min_df}
    info = {"tokenizer": "jieba " + _jieba_version()}
    info.update(meta or {})
    return IDFTable(kept, n, min_df=min_df, meta=info)


# Longer "words" are run-together Latin strings or very long names; they are left out so the
# table never holds a long verbatim string of the corpus it was counted on.
MAX_WORD_CHARS = 12


def _countable(w: str) -> bool:
    w = w.strip()
    if not w or len(w) > MAX_WORD_CHARS:
        return False
    if len(w) == 1 and not (is_cjk(w) or w.isalnum()):
        return False
    return any(ch.isalnum() for ch in w)


def gzip_bytes(data: bytes) -> bytes:
    """Gzip ``data`` the same way every time (no time stamp, no file name in the header), so that
    rebuilding a table from the same counts gives the same bytes.

    >>> gzip_bytes(b"x") == gzip_bytes(b"x")
    True
    """
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as fh:
        fh.write(data)
    return buf.getvalue()


def _jieba_version() -> str:
    try:
        import jieba

        return str(getattr(jieba, "__version__", "?"))
    except ImportError:  # pragma: no cover
        return "?"


def _load_shipped_idf() -> IDFTable:
    from ..resources import model_path

    return IDFTable.load(model_path("idf") / DEFAULT_FILE)


_default = LazyDefault(_load_shipped_idf)


def default_idf() -> IDFTable:
    """Return the shipped news-domain table (``models/idf/idf.tsv.gz``), loaded once.

    Raises:
        ModelNotFoundError: the table is missing from the installation.
    """
    return _default.get()


def iter_archive(archive: str | os.PathLike) -> Iterator:
    """Yield an :class:`~newsnlp.article.Article` for each post of an archive: a folder of posts,
    one post, a ``.jsonl`` or ``.parquet`` file of records, or a saved ``datasets`` folder.

    The reader is :func:`newsnlp.archive.iter_articles` (the walker of ``newsnlp tag`` too).

    Raises:
        FileNotFoundError: ``archive`` does not exist.
    """
    from ..archive import iter_articles

    yield from iter_articles(archive)


def article_document(article: Any) -> str:
    """The text a document counts for: the title, then the body."""
    return ((article.title or "") + "\n" + article.text).strip()
