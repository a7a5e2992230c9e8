"""A faster drop-in for ``jieba.posseg.POSTokenizer`` with exactly the same output.

jieba's part-of-speech HMM (``jieba.posseg.viterbi``) scores every pair of candidate states
with a Python generator; on news text it is most of the cost of ``posseg``. Here the same
recursion runs on numpy arrays: the same float64 additions in the same order, and ties
broken the same way (the larger state tuple wins, as in ``max((prob, state), ...)``), so
the words and tags are identical. Anything unusual (a step with no state to come from)
falls back to jieba's own function.

Tokenizers built here share one copy of jieba's default dictionary per process
(:mod:`newsnlp.text.jieba_dict`: read once, cached between processes) copy-on-write: a
tokenizer that gets a word of its own copies the table first, so others never see it.

Nothing is imported at module import; numpy and jieba load when a tokenizer is built.
"""

from __future__ import annotations

import io
import sys
import threading
from typing import Any

_HMM: "_PosHMM | None" = None
_HMM_LOCK = threading.Lock()


class _PosHMM:
    """jieba's POS HMM tables as arrays indexed by state (states sorted as tuples)."""

    def __init__(self) -> None:
        import numpy as np

        posseg = _posseg()
        self.np = np
        self._jieba_viterbi = posseg.viterbi
        self._char_states = posseg.char_state_tab_P
        self._emit = posseg.emit_P
        self.states = sorted(posseg.trans_P)
        index = {s: i for i, s in enumerate(self.states)}
        self.index = index
        n = len(self.states)
        self.trans = np.full((n, n), float("-inf"))
        self.has_key = np.zeros((n, n), dtype=bool)
        for a, row in posseg.trans_P.items():
            for b, p in row.items():
                self.trans[index[a], index[b]] = p
                self.has_key[index[a], index[b]] = True
        self.has_out = self.has_key.any(axis=1)
        self.start = np.array([posseg.start_P.get(s, float("nan")) for s in self.states])
        self.all_states = np.ones(n, dtype=bool)
        self._char_cache: dict[str, tuple[Any, Any]] = {}

    def _char(self, char: str):
        """(allowed-state mask, emission log-probabilities) of one character, cached."""
        found = self._char_cache.get(char)
        if found is None:
            np = self.np
            allowed = self._char_states.get(char)
            if allowed is None:
                mask = self.all_states
            else:
                mask = np.zeros(len(self.states), dtype=bool)
                mask[[self.index[s] for s in allowed]] = True
            emit = np.array([self._emit[s].get(char, -3.14e100) for s in self.states])
            found = (mask, emit)
            if len(self._char_cache) < 100_000:
                self._char_cache[char] = found
        return found

    def viterbi(self, obs: str) -> tuple[float, list[tuple[str, str]]]:
        """Same result as ``jieba.posseg.viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P)``."""
        np = self.np
        mask, emit = self._char(obs[0])
        present = mask
        score = self.start + emit  # only entries in `present` are read
        if np.isnan(score[present]).any():
            return self._fallback(obs)
        pointers = []
        for t in range(1, len(obs)):
            prev = np.flatnonzero(present & self.has_out)
            if prev.size == 0:
                return self._fallback(obs)
            expect = self.has_key[prev].any(axis=0)
            mask, emit = self._char(obs[t])
            cur = mask & expect
            if not cur.any():
                cur = expect if expect.any() else self.all_states
            cols = np.flatnonzero(cur)
            total = (score[prev][:, None] + self.trans[np.ix_(prev, cols)]) + emit[cols]
            # max((prob, y0)): among equal probabilities the largest state tuple wins, i.e.
            # the last row (states are sorted); argmax finds the first, so search reversed.
            best = prev.size - 1 - total[::-1].argmax(axis=0)
            new_score = np.empty_like(score)
            new_score[cols] = total[best, np.arange(cols.size)]
            pointer = np.zeros(len(self.states), dtype=np.intp)
            pointer[cols] = prev[best]
            pointers.append(pointer)
            score, present = new_score, cur
        last = np.flatnonzero(present)
        values = score[last]
        state = int(last[last.size - 1 - values[::-1].argmax()])
        prob = float(score[state])
        route = [""] * len(obs)
        for i in range(len(obs) - 1, 0, -1):
            route[i] = state
            state = int(pointers[i - 1][state])
        route[0] = state
        return prob, [self.states[s] for s in route]

    def _fallback(self, obs: str):
        posseg = _posseg()
        return self._jieba_viterbi(obs, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)


def _hmm() -> _PosHMM:
    global _HMM
    if _HMM is None:
        with _HMM_LOCK:
            if _HMM is None:
                _HMM = _PosHMM()
    return _HMM


_POSSEG_LOCK = threading.Lock()


def _posseg():
    """Import ``jieba.posseg`` without its module-level dictionary read.

    Importing ``jieba.posseg`` builds ``jieba.posseg.dt``, whose constructor re-reads
    ``dict.txt`` for its tag table (about 0.5 s). While jieba's default tokenizer uses the
    default dictionary, the import is given an empty file instead and ``dt`` then gets
    its own copy of the shared table: the same contents, read once.
    """
    module = sys.modules.get("jieba.posseg")
    if module is not None:
        return module
    import jieba

    with _POSSEG_LOCK:
        module = sys.modules.get("jieba.posseg")
        if module is not None:
            return module
        if jieba.dt.dictionary is not jieba.DEFAULT_DICT or "get_dict_file" in vars(jieba.dt):
            import jieba.posseg as module

            return module
        from .jieba_dict import default_tables

        tables = default_tables()
        jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
        try:
            import jieba.posseg as module
        finally:
            del jieba.dt.get_dict_file
        module.dt.word_tag_tab = dict(tables.word_tags)
        return module


def default_tokenizer() -> Any:
    """A new ``jieba.Tokenizer`` on jieba's default dictionary, initialised, copy-on-write.

    Its prefix table is the process's shared one (:func:`newsnlp.text.jieba_dict.default_tables`);
    the first ``add_word`` (``load_userdict``, ``del_word``, ``suggest_freq(tune=True)``)
    gives it a private copy, so other tokenizers are never changed.

    Example:
        >>> tok = default_tokenizer()
        >>> tok.lcut("宁波市总工会")
        ['宁波市', '总工会']
    """
    from .jieba_dict import default_tables

    tables = default_tables()
    tok = _cow_class()()
    tok.FREQ, tok.total = tables.freq, tables.total
    tok.initialized = True
    return tok


_COW_CLASS = None


def _cow_class():
    global _COW_CLASS
    if _COW_CLASS is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)

        class SharedDictTokenizer(jieba.Tokenizer):
            """``jieba.Tokenizer`` reading the shared default tables until a word is added."""

            def add_word(self, word, freq=None, tag=None):
                from .jieba_dict import default_tables

                if self.FREQ is default_tables().freq:
                    self.FREQ = dict(self.FREQ)
                return super().add_word(word, freq, tag)

        _COW_CLASS = SharedDictTokenizer
    return _COW_CLASS


def fast_pos_tokenizer(tokenizer: Any = None) -> Any:
    """Return a ``jieba.posseg.POSTokenizer`` whose HMM runs on numpy (same words and tags).

    Args:
        tokenizer: the ``jieba.Tokenizer`` to use; ``None`` builds a private one
            (:func:`default_tokenizer`).

    Returns:
        A ``POSTokenizer`` (subclass); ``cut(text)`` yields jieba ``pair`` objects. On
        jieba's default dictionary its word -> tag table is the shared one (copied before
        user words are merged into it), as loaded by jieba's own ``POSTokenizer``.

    Example:
        >>> [(p.word, p.flag) for p in fast_pos_tokenizer().cut("李谦出席会议")]
        [('李谦', 'nr'), ('出席会议', 'l')]
    """
    cls = _fast_class()
    return cls(tokenizer if tokenizer is not None else default_tokenizer())


_FAST_CLASS = None


def _fast_class():
    global _FAST_CLASS
    if _FAST_CLASS is None:
        import jieba

        from .jieba_dict import default_tables

        posseg = _posseg()

        class FastPOSTokenizer(posseg.POSTokenizer):
            """``POSTokenizer`` with the numpy Viterbi (overrides the name-mangled ``__cut``)."""

            def __init__(self, tokenizer=None):
                self.tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
                if getattr(self.tokenizer, "dictionary", None) is jieba.DEFAULT_DICT:
                    self.word_tag_tab = default_tables().word_tags
                else:
                    self.load_word_tag(self.tokenizer.get_dict_file())

            def makesure_userdict_loaded(self):
                if self.tokenizer.user_word_tag_tab and self.word_tag_tab is default_tables().word_tags:
                    self.word_tag_tab = dict(self.word_tag_tab)
                super().makesure_userdict_loaded()

            def _POSTokenizer__cut(self, sentence):
                _, pos_list = _hmm().viterbi(sentence)
                begin, nexti = 0, 0
                pair = posseg.pair
                for i, char in enumerate(sentence):
                    pos = pos_list[i][0]
                    if pos == "B":
                        begin = i
                    elif pos == "E":
                        yield pair(sentence[begin : i + 1], pos_list[i][1])
                        nexti = i + 1
                    elif pos == "S":
                        yield pair(char, pos_list[i][1])
                        nexti = i + 1
                if nexti < len(sentence):
                    yield pair(sentence[nexti:], pos_list[nexti][1])

        _FAST_CLASS = FastPOSTokenizer
    return _FAST_CLASS
