"""The text layer: a lossless sentence splitter and a jieba segmenter that owns its tokenizer."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .types import Sentence

__all__ = ["split_sentences", "Segmenter", "Token", "get_segmenter"]

_TERMINATORS = "。！？!?；;…"
_CLOSERS = "”’」』）)》〉】\"'"
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co", "corp",
    "no", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "e.g", "i.e", "a.m", "p.m",
}
_WORD_BEFORE_DOT = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)$")


def _is_english_period(text: str, i: int) -> bool:
    """True when the '.' at i ends an English sentence (not a decimal, abbreviation, URL...)."""
    n = len(text)
    nxt = text[i + 1] if i + 1 < n else ""
    if nxt and not nxt.isspace():
        return False  # 3.5, U.S., example.com, 9.30
    m = _WORD_BEFORE_DOT.search(text, 0, i)
    if not m:
        return False  # "2024. " after a number is rare in Chinese news; keep it joined
    word = m.group(1).lower()
    if word in _ABBREVIATIONS or len(word) == 1:
        return False  # Dr. Smith, J. Smith
    # The next visible character must start a sentence: a capital letter or a CJK char.
    j = i + 1
    while j < n and text[j] in " \t":
        j += 1
    return j >= n or text[j] == "\n" or text[j].isupper() or "\u4e00" <= text[j] <= "\u9fff"


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with character offsets into ``text``.

    Sentences end at 。！？!?；; and ellipses (…/……), taking any closing quotes or brackets
    that follow, and at every line break (a paragraph break). Decimals, times, URLs and
    English abbreviations do not split. Nothing is lost: the text after the last
    punctuation mark is a sentence too, and every non-space character belongs to exactly
    one sentence. Surrounding whitespace is trimmed from each sentence.

    Args:
        text: the article text.

    Returns:
        Sentences in order, ``text[s.start:s.end] == s.text``; ``paragraph`` counts line breaks.

    Raises:
        TypeError: ``text`` is not a str.

    Example:
        >>> [s.text for s in split_sentences("利率下调0.25个百分点。市场反应积极！")]
        ['利率下调0.25个百分点。', '市场反应积极！']
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences() takes a str, not {type(text).__name__}")
    sentences: list[Sentence] = []
    n = len(text)
    start = 0
    paragraph = 0
    i = 0

    def emit(s: int, e: int, para: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            sentences.append(Sentence(text[s:e], s, e, para))

    while i < n:
        ch = text[i]
        if ch == "\n":
            emit(start, i, paragraph)
            start = i + 1
            if sentences and sentences[-1].paragraph == paragraph and sentences[-1].end <= i:
                paragraph += 1
            i += 1
            continue
        end = -1
        if ch in _TERMINATORS:
            j = i + 1
            while j < n and text[j] in _TERMINATORS:
                j += 1
            end = j
        elif ch == "." and _is_english_period(text, i):
            end = i + 1
        if end >= 0:
            while end < n and text[end] in _CLOSERS:
                end += 1
            emit(start, end, paragraph)
            start = end
            i = end
            continue
        i += 1
    emit(start, n, paragraph)
    return sentences


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
                    from ._posseg import default_tokenizer

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

        Its HMM runs on numpy (:mod:`newsnlp._posseg`): the same words and tags as jieba's,
        about three times faster.
        """
        if self._pos_tokenizer is None:
            from ._posseg import fast_pos_tokenizer

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


_default_segmenter: Segmenter | None = None
_default_lock = threading.Lock()


def get_segmenter() -> Segmenter:
    """Return the shared default :class:`Segmenter` (built lazily)."""
    global _default_segmenter
    if _default_segmenter is None:
        with _default_lock:
            if _default_segmenter is None:
                _default_segmenter = Segmenter()
    return _default_segmenter
