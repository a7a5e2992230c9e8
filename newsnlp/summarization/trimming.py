"""Cutting a sentence or a summary to a character budget, never inside a word.

Both summarisers use this module:

- the extractive one trims a sentence to its leading clauses (:func:`trim_to_clauses`, cut at
  ，；： outside quotes and brackets) and splits sentences into clauses (:func:`clause_spans`);
- the abstractive back-end cuts what the model wrote to whole sentences, else its last clause
  mark, else a word boundary (:func:`trim_summary`).

Where they have to cut inside a clause they share :func:`last_word_boundary`, which asks a
:class:`~newsnlp.text.Segmenter` where the words are. Pass the segmenter that holds the user's
dictionary (``Analyzer(user_dict=...)`` does) so that a word it names is never cut in two; the
default is the shared :func:`~newsnlp.text.get_segmenter`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text.sentences import split_sentences

if TYPE_CHECKING:
    from ..text.segmentation import Segmenter

__all__ = [
    "CLAUSE_END", "CLAUSE_MARKS", "clause_cuts", "clause_spans", "clause_core", "finish_clause", "last_word_boundary",
    "word_cut", "trim_to_clauses", "trim_summary",
]

#: Marks that end a clause inside a sentence (the extractive summariser's clause boundaries).
CLAUSE_END = "，,；;：:"
#: :data:`CLAUSE_END` and the enumeration comma 、: where a generated summary may be cut.
CLAUSE_MARKS = "，,、；;：:"
_OPEN = "“‘「『（(《〈【[\""
_CLOSE = "”’」』）)》〉】]\""
_SENT_END = "。！？!?…"


def _segmenter(segmenter: "Segmenter | None") -> "Segmenter":
    if segmenter is not None:
        return segmenter
    from ..text.segmentation import get_segmenter

    return get_segmenter()


def last_word_boundary(text: str, limit: int, *, segmenter: "Segmenter | None" = None, lookahead: int | None = None) -> int:
    """The largest word end at or before ``limit`` (0 when the first word is longer).

    Args:
        text: the text to cut.
        limit: the most characters to keep.
        segmenter: where the words are (default: the shared segmenter).
        lookahead: segment only ``text[:limit + lookahead]`` (faster on long text; the words near
            the cut may then differ from the whole text's), or ``None`` for the whole text.

    Example:
        >>> last_word_boundary("宁波市总工会召开会议", 8)
        8
    """
    part = text if lookahead is None else text[: limit + lookahead]
    end = 0
    for tok in _segmenter(segmenter).tokenize(part):
        if tok.end > limit:
            break
        end = tok.end
    return end


def clause_cuts(text: str) -> list[int]:
    """Offsets just after each clause mark (:data:`CLAUSE_END`) outside quotes and brackets.

    Example:
        >>> clause_cuts("他说：“好，很好。”随后离开，")
        [3, 15]
    """
    cuts = []
    depth = 0
    for i, ch in enumerate(text):
        if ch in "“‘「『（(《〈【[":
            depth += 1
        elif ch in "”’」』）)》〉】]":
            depth = max(0, depth - 1)
        elif ch in CLAUSE_END and depth == 0:
            cuts.append(i + 1)
    return cuts


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence: cut after ，；： outside quotes and brackets.

    Each span keeps its trailing mark; a span without letters or digits joins the one before.

    Example:
        >>> clause_spans("今天上午，会议召开，部署工作。")
        [(0, 5), (5, 10), (10, 15)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in clause_cuts(text) + [len(text)]:
        if cut <= start:
            continue
        if spans and not any(ch.isalnum() for ch in text[start:cut]):
            spans[-1] = (spans[-1][0], cut)
        else:
            spans.append((start, cut))
        start = cut
    return spans


def clause_core(text: str) -> str:
    """A clause without its trailing clause mark and spaces."""
    return text.rstrip(CLAUSE_END + " ")


def finish_clause(fragment: str) -> str:
    """Close a run of clauses as a sentence: drop the trailing clause mark, end with 。.

    Example:
        >>> finish_clause("市总工会召开会议，")
        '市总工会召开会议。'
    """
    fragment = fragment.rstrip()
    while fragment and fragment[-1] in CLAUSE_END + "、":
        fragment = fragment[:-1]
    if fragment and fragment[-1] not in _SENT_END + _CLOSE:
        fragment += "。"
    return fragment


def word_cut(text: str, budget: int, *, segmenter: "Segmenter | None" = None) -> str:
    """Cut at the last word boundary that leaves room for an ellipsis (rare: one huge clause).

    Example:
        >>> word_cut("宁波市总工会召开会议部署工作", 9)
        '宁波市总工会召开…'
    """
    room = max(1, budget - 1)
    end = last_word_boundary(text, room, segmenter=segmenter, lookahead=8)
    if end == 0:
        return ""
    return text[:end].rstrip("，,；;：:、 ") + "…"


def trim_to_clauses(sentence: str, budget: int, *, segmenter: "Segmenter | None" = None) -> str:
    """Shorten a sentence to at most ``budget`` characters at a clause boundary.

    The longest run of leading clauses (split at ，；： outside quotes and brackets) that fits
    is kept and closed with 。. Only when even the first clause is too long is it cut at a word
    boundary (jieba) and closed with …, so nothing is ever cut inside a word.

    Args:
        sentence: the sentence.
        budget: the character budget (>= 1).
        segmenter: where the words are, for the word cut (default: the shared segmenter).

    Returns:
        The sentence itself when it fits, else its trimmed form (``""`` if nothing fits).

    Example:
        >>> trim_to_clauses("市总工会召开会议，部署全年工作，提出十项举措。", 16)
        '市总工会召开会议，部署全年工作。'
    """
    if len(sentence) <= budget:
        return sentence
    best = ""
    for cut in clause_cuts(sentence):
        candidate = finish_clause(sentence[:cut])
        if len(candidate) <= budget:
            best = candidate
        else:
            break
    if best:
        return best
    return word_cut(sentence, budget, segmenter=segmenter)


def trim_summary(
    text: str, *, max_chars: int | None, max_sentences: int | None, segmenter: "Segmenter | None" = None
) -> str:
    """Cut a generated summary to whole sentences within the budget.

    A first sentence that alone is too long is cut at its last clause mark (if that keeps at least
    a third of the budget), else at a word boundary, never mid-word.

    Example:
        >>> trim_summary("今天上午，宁波市总工会召开会议，部署全年工作。", max_chars=16, max_sentences=None)
        '今天上午，宁波市总工会召开会议'
    """
    sentences = split_sentences(text)
    if max_sentences is not None and len(sentences) > max_sentences:
        text = text[: sentences[max_sentences - 1].end]
        sentences = sentences[:max_sentences]
    if max_chars is None or len(text) <= max_chars:
        return text
    kept_end = 0
    for s in sentences:
        if s.end > max_chars:
            break
        kept_end = s.end
    if kept_end:
        return text[:kept_end]
    head = text[:max_chars]
    cut = max(head.rfind(mark) for mark in CLAUSE_MARKS)
    if cut >= max(1, max_chars // 3):
        return head[:cut].rstrip()
    cut = last_word_boundary(text, max_chars, segmenter=segmenter) or max_chars
    return text[:cut].rstrip(" \t\n" + CLAUSE_MARKS)
