"""Word segmentation and POS tagging: a jieba segmenter that owns its tokenizer."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .._util import LazyDefault

__all__ = ["Segmenter", "Token", "get_segmenter"]


@dataclass(frozen=True)
class Token:
    """A segmented word with its offsets and part-of-speech tag (jieba's tag set)."""

    text: str
    start: int
    end: int
    pos: str = ""


class Segmenter:
    """jieba segmentation with a private ``jieba.Tokenizer``, loaded on first use.

    Args:
        user_dict: path(s) of jieba user dictionaries (``word [freq] [pos]`` per line).
        words: extra words to add, as ``str`` or ``(word, freq, pos)`` tuples.

    Example:
        >>> seg = Segmenter(words=["新就业形态"])
        >>> seg.cut("新就业形态劳动者")
        ['新就业形态', '劳动者']
    """

    def __init__(self, *, user_dict: str | Path | Iterable[str | Path] | None = None, words: Iterable = ()) -> None:
        if user_dict is None:
            self._user_dicts: tuple[Path, ...] = ()
        elif isinstance(user_dict, (str, Path)):
            self._user_dicts = (Path(user_dict),)
        else:
            self._user_dicts = tuple(Path(p) for p in user_dict)
        for p in self._user_dicts:
            if not p.is_file():
                raise FileNotFoundError(f"user dictionary {p} does not exist; pass the path of a jieba dictionary file")
        self._words = tuple(words)
        self._tokenizer = None
        self._pos_tokenizer = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self):
        """The underlying ``jieba.Tokenizer`` (built and initialised on first access)."""
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    from .posseg import default_tokenizer

                    # jieba's dictionary is read once per process and shared copy-on-write:
                    # user dictionaries and words below give this tokenizer its own copy.
                    tok = default_tokenizer()
                    for p in self._user_dicts:
                        tok.load_userdict(str(p))
                    for w in self._words:
                        if isinstance(w, str):
                            tok.add_word(w)
                        else:
                            tok.add_word(*w)
                    self._tokenizer = tok
        return self._tokenizer

    @property
    def pos_tokenizer(self):
        """A ``jieba.posseg.POSTokenizer`` sharing this segmenter's dictionary.

        Its HMM runs on numpy (:mod:`newsnlp.text.posseg`): the same words and tags as jieba's,
        about three times faster.
        """
        if self._pos_tokenizer is None:
            from .posseg import fast_pos_tokenizer

            tok = self.tokenizer
            with self._lock:
                if self._pos_tokenizer is None:
                    self._pos_tokenizer = fast_pos_tokenizer(tok)
        return self._pos_tokenizer

    def add_word(self, word: str, freq: int | None = None, pos: str | None = None) -> None:
        """Add a word to this segmenter's dictionary."""
        self.tokenizer.add_word(word, freq, pos)

    def cut(self, text: str, *, hmm: bool = True) -> list[str]:
        """Segment text into words (whitespace tokens dropped)."""
        return [w for w in self.tokenizer.cut(text, HMM=hmm) if w.strip()]

    def tokenize(self, text: str, *, hmm: bool = True) -> list[Token]:
        """Segment text into :class:`Token` with offsets (no POS tags; fast)."""
        out: list[Token] = []
        pos = 0
        for w in self.tokenizer.cut(text, HMM=hmm):
            start = pos
            pos += len(w)
            if w.strip():
                out.append(Token(w, start, pos))
        return out

    def pos_tag(self, text: str, *, hmm: bool = True) -> list[Token]:
        """Segment and POS-tag text: :class:`Token` with offsets and jieba's POS tag."""
        out: list[Token] = []
        pos = 0
        for pair in self.pos_tokenizer.cut(text, HMM=hmm):
            w, flag = pair.word, pair.flag
            # jieba's POS cut is lossless on text, so offsets are cumulative lengths.
            start = pos
            pos += len(w)
            if w.strip():
                out.append(Token(w, start, pos, flag))
        return out


_default_segmenter = LazyDefault(lambda: Segmenter())


def get_segmenter() -> Segmenter:
    """Return the shared default :class:`Segmenter` (built lazily)."""
    return _default_segmenter.get()
