"""Features and tag schemes of the BiLSTM-CRF tagger: pure Python, shared by training and inference.

- :func:`check_texts`: what a tagger's ``predict`` accepts;
- :func:`split_windows`: long texts cut into windows (after sentence punctuation where possible);
- :class:`FeatureExtractor`: characters, bigrams, jieba word boundaries and POS as id sequences;
- BIOES tags: :func:`bioes_tags`, :func:`spans_to_tags`, :func:`tags_to_spans` and the CRF's allowed
  transitions.

No numpy or torch here; jieba loads when a :class:`FeatureExtractor` first reads a text.

Example:
    >>> tags_to_spans(spans_to_tags(4, [(1, 3, "ORG")]))
    [(1, 3, 'ORG')]
"""

from __future__ import annotations

import operator
import re
import unicodedata
from itertools import repeat
from typing import Any, Iterable, Sequence

__all__ = [
    "PAD", "UNK", "BOS", "EOS", "MAX_WINDOW", "check_texts", "normalize_char", "split_windows", "FeatureExtractor",
    "bioes_tags", "spans_to_tags", "tags_to_spans", "allowed_transitions", "allowed_starts", "allowed_ends",
]

PAD, UNK = "<pad>", "<unk>"
BOS, EOS = "<s>", "</s>"
# Windows longer than this are cut, preferably after sentence punctuation.
MAX_WINDOW = 250
_SENTENCE_END = re.compile(r"[。！？!?；;…\n]+[”’」』）)]*")
_SOFT_BREAK = re.compile(r"[，,、：:\s]+")


# ---------------------------------------------------------------------------
# Features (pure Python, shared by training and inference)


def check_texts(texts: Any) -> list[str]:
    """Validate what a tagger's ``predict`` got: an iterable of ``str`` (not one ``str``)."""
    if isinstance(texts, str):
        raise TypeError("predict() takes a list of texts, got one str; wrap it: predict([text])")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str")
    return texts


def normalize_char(char: str) -> str:
    """Fold a character to the form the vocabulary uses (full-width -> half-width, lower case, digits -> 0)."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    folded = folded.lower()
    if folded.isdigit():
        return "0"
    return folded


def split_windows(text: str, max_len: int = MAX_WINDOW) -> list[tuple[int, int]]:
    """Cut ``text`` into ``(start, end)`` windows of at most ``max_len`` characters.

    Cuts fall after sentence punctuation where possible, then after commas or spaces, and
    only as a last resort in the middle of a run of characters. The windows cover the text
    without gaps or overlaps.

    Args:
        text: the text to cut.
        max_len: the longest window.

    Returns:
        The windows in order; ``[]`` for an empty text.

    Example:
        >>> split_windows("第一句。第二句。", max_len=5)
        [(0, 4), (4, 8)]
    """
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    windows: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        if n - start <= max_len:
            windows.append((start, n))
            break
        limit = start + max_len
        cut = -1
        for pattern in (_SENTENCE_END, _SOFT_BREAK):
            for match in pattern.finditer(text, start, limit):
                if match.end() <= limit:
                    cut = match.end()
            if cut > start:
                break
        if cut <= start:
            cut = limit
        windows.append((start, cut))
        start = cut
    return windows


def _bmes(length: int) -> list[str]:
    if length == 1:
        return ["S"]
    return ["B"] + ["M"] * (length - 2) + ["E"]


class FeatureExtractor:
    """Turns texts into id sequences: characters, bigrams, jieba segmentation and POS.

    A private jieba tokenizer is used so that words other code adds to jieba's global
    dictionary do not change what the model sees.
    """

    def __init__(self, vocab: dict[str, list[str]]):
        self.chars = {c: i for i, c in enumerate(vocab["chars"])}
        self.bigrams = {b: i for i, b in enumerate(vocab["bigrams"])}
        self.pos = {p: i for i, p in enumerate(vocab["pos"])}
        self.seg = {s: i for i, s in enumerate(("<pad>", "B", "M", "E", "S"))}
        self._pos_tokenizer = None
        # Per-character look-ups filled on first sight: normalize_char, and its char id.
        self._normalized = _Memo(normalize_char)
        self._char_ids = _Memo(self._char_id)
        self._seg_runs: dict[int, list[int]] = {}  # word length -> its B/M/E/S ids

    def _char_id(self, char: str) -> int:
        return self.chars.get(self._normalized[char], self.chars[UNK])

    # jieba is loaded lazily, on the process's shared copy of its dictionary (read once,
    # copy-on-write: nothing added elsewhere reaches this private tokenizer).
    def _tokenizer(self):
        if self._pos_tokenizer is None:
            from ...text.posseg import fast_pos_tokenizer

            # jieba.posseg with its HMM on numpy: the same words and tags, about 3x faster.
            self._pos_tokenizer = fast_pos_tokenizer()
        return self._pos_tokenizer

    def words(self, text: str) -> list[tuple[str, str]]:
        """Return jieba's ``(word, pos)`` pairs; they concatenate back to ``text``."""
        tok = self._tokenizer()
        lcut_pairs = getattr(tok, "lcut_pairs", None)
        if lcut_pairs is not None:
            return lcut_pairs(text)  # the same pairs, without jieba's generators
        return [(pair.word, pair.flag) for pair in tok.cut(text)]

    def encode(self, text: str) -> dict[str, list[int]]:
        """Return the id sequences of one window (every list has ``len(text)`` items)."""
        # map() over per-character memo tables: the same ids as looking each one up, with
        # the loops in C (this runs on every window the tagger reads).
        norm = list(map(self._normalized.__getitem__, text))
        char_ids = list(map(self._char_ids.__getitem__, text))
        unk_bigram = self.bigrams[UNK]
        padded = [BOS, *norm, EOS]
        bigram_ids = list(map(self.bigrams.get, map(operator.add, padded, padded[1:]), repeat(unk_bigram)))
        seg_ids: list[int] = []
        pos_ids: list[int] = []
        unk_pos = self.pos[UNK]
        pos_get = self.pos.get
        runs = self._seg_runs
        for word, flag in self.words(text):
            run = runs.get(len(word))
            if run is None:
                run = runs[len(word)] = [self.seg[tag] for tag in _bmes(len(word))]
            seg_ids += run
            pos_ids += [pos_get(flag, unk_pos)] * len(run)
        if len(seg_ids) != len(text):  # jieba drops nothing in practice; stay safe anyway
            seg_ids = (seg_ids + [self.seg["S"]] * len(text))[: len(text)]
            pos_ids = (pos_ids + [unk_pos] * len(text))[: len(text)]
        # bigram_ids has len(text)+1 items: item i is the bigram ending at char i,
        # item i+1 the bigram starting there.
        return {"chars": char_ids, "bigrams": bigram_ids, "seg": seg_ids, "pos": pos_ids}


class _Memo(dict):
    """A dict that computes and keeps a missing key's value (``function(key)``)."""

    def __init__(self, function):
        super().__init__()
        self._function = function

    def __missing__(self, key):
        value = self[key] = self._function(key)
        return value


# ---------------------------------------------------------------------------
# Tags


def bioes_tags(labels: Sequence[str]) -> list[str]:
    """Return the BIOES tag list for entity ``labels`` ("O" first)."""
    tags = ["O"]
    for label in labels:
        tags.extend(f"{p}-{label}" for p in "BIES")
    return tags


def spans_to_tags(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Encode ``(start, end, label)`` spans as BIOES tags; overlapping later spans are skipped."""
    tags = ["O"] * length
    for start, end, label in sorted(spans):
        if start < 0 or end > length or start >= end:
            continue
        if any(t != "O" for t in tags[start:end]):
            continue
        if end - start == 1:
            tags[start] = f"S-{label}"
        else:
            tags[start] = f"B-{label}"
            for i in range(start + 1, end - 1):
                tags[i] = f"I-{label}"
            tags[end - 1] = f"E-{label}"
    return tags


def tags_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Decode BIOES tags into ``(start, end, label)`` spans, ignoring broken fragments."""
    spans: list[tuple[int, int, str]] = []
    open_start, open_label = -1, ""
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "S":
            spans.append((i, i + 1, label))
            open_start = -1
        elif prefix == "B":
            open_start, open_label = i, label
        elif prefix == "I":
            if open_start < 0 or label != open_label:
                open_start = -1
        elif prefix == "E":
            if open_start >= 0 and label == open_label:
                spans.append((open_start, i + 1, label))
            open_start = -1
        else:
            open_start = -1
    return spans


def allowed_transitions(tags: Sequence[str]) -> list[list[bool]]:
    """Return ``allowed[i][j]``: may tag ``j`` follow tag ``i`` in BIOES."""

    def split(tag: str) -> tuple[str, str]:
        prefix, _, label = tag.partition("-")
        return prefix, label

    allowed = []
    for a in tags:
        pa, la = split(a)
        row = []
        for b in tags:
            pb, lb = split(b)
            if pa in ("B", "I"):
                ok = pb in ("I", "E") and la == lb
            else:
                ok = pb in ("O", "B", "S")
            row.append(ok)
        allowed.append(row)
    return allowed


def allowed_starts(tags: Sequence[str]) -> list[bool]:
    """Tags a sequence may start with."""
    return [t == "O" or t[0] in "BS" for t in tags]


def allowed_ends(tags: Sequence[str]) -> list[bool]:
    """Tags a sequence may end with."""
    return [t == "O" or t[0] in "ES" for t in tags]
