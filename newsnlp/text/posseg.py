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
from math import log
from typing import Any

_HMM: "_PosHMM | None" = None
# jieba.posseg's compiled patterns (the very objects), bound when the tokenizer class is built.
re_han_internal = re_skip_internal = re_han_detail = re_skip_detail = re_num = re_eng = None  # type: Any
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
        self._single: dict[str, tuple[float, list[tuple[str, str]]]] = {}

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
        if len(obs) == 1:
            # One character: its best state depends on nothing else, so it is a table look-up
            # (bounded like the character cache). A third of the HMM calls on news text.
            found = self._single.get(obs)
            if found is None:
                found = self._viterbi(obs)
                if len(self._single) < 100_000:
                    self._single[obs] = found
            return found[0], list(found[1])
        return self._viterbi(obs)

    def _viterbi(self, obs: str) -> tuple[float, list[tuple[str, str]]]:
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
            """``jieba.Tokenizer`` reading the shared default tables until a word is added.

            Its ``cut`` (accurate mode with HMM, the one newsnlp uses) builds the DAG and the
            route in one pass (:func:`_route_ends`): the same words as jieba's, faster.
            """

            def cut(self, sentence, cut_all=False, HMM=True, use_paddle=False):
                if cut_all or not HMM or use_paddle or not isinstance(sentence, str) or not _plain_dag(self):
                    yield from super().cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
                    return
                yield from self._lcut_accurate(sentence)

            def _lcut_accurate(self, sentence):
                self.check_initialized()
                re_han, re_skip = jieba.re_han_default, jieba.re_skip_default  # read per call, as jieba does
                out: list = []
                append = out.append
                freq = self.FREQ
                logtotal = log(self.total)
                for blk in re_han.split(sentence):
                    if not blk:
                        continue
                    if re_han.match(blk):
                        _dag_words(blk, freq, logtotal, append)
                        continue
                    for x in re_skip.split(blk):
                        if re_skip.match(x):
                            append(x)
                        else:
                            out.extend(x)
                return out

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
        global re_han_internal, re_skip_internal, re_han_detail, re_skip_detail, re_num, re_eng
        re_han_internal, re_skip_internal = posseg.re_han_internal, posseg.re_skip_internal
        re_han_detail, re_skip_detail = posseg.re_han_detail, posseg.re_skip_detail
        re_num, re_eng = posseg.re_num, posseg.re_eng

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

            def lcut_pairs(self, sentence, HMM=True):
                """``[(p.word, p.flag) for p in self.cut(sentence, HMM=HMM)]``, built directly.

                The same steps as jieba's ``cut`` (blocks, prefix DAG, best route, HMM for runs of
                unknown characters), with the DAG and the route computed in one pass of local
                look-ups, and no generators or ``pair`` objects: about twice as fast.
                """
                tok = self.tokenizer
                if not (HMM and isinstance(sentence, str) and _plain_dag(tok)):
                    return [(p.word, p.flag) for p in self.cut(sentence, HMM=HMM)]
                self.makesure_userdict_loaded()
                tok.check_initialized()
                out: list = []
                append = out.append
                tags = self.word_tag_tab
                freq = tok.FREQ
                logtotal = log(tok.total)
                for blk in re_han_internal.split(sentence):
                    if re_han_internal.match(blk):
                        _dag_pairs(blk, freq, logtotal, tags, append)
                        continue
                    for x in re_skip_internal.split(blk):
                        if re_skip_internal.match(x):
                            append((x, "x"))
                            continue
                        for xx in x:
                            if re_num.match(xx):
                                append((xx, "m"))
                            elif re_eng.match(x):  # sic: jieba tests the whole piece here
                                append((xx, "eng"))
                            else:
                                append((xx, "x"))
                return out

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


_MISSING = object()


def _plain_dag(tok: Any) -> bool:
    """Whether ``tok`` builds its DAG and route with jieba's own ``get_DAG`` and ``calc``."""
    import jieba

    cls = type(tok)
    return (
        cls.get_DAG is jieba.Tokenizer.get_DAG and cls.calc is jieba.Tokenizer.calc
        and "get_DAG" not in vars(tok) and "calc" not in vars(tok)
    )


def _route_ends(blk: str, freq: dict, logtotal: float) -> list[int]:
    """``Tokenizer.get_DAG`` and ``calc`` fused: the end of the best word starting at each index.

    For each start, from the last, the prefix words found in ``freq`` are scored as ``calc``
    scores them (``log(freq) - logtotal + route[end + 1]``, the same float operations in the
    same order) and the best kept as ``max`` keeps it (ties to the larger end).
    """
    n = len(blk)
    ends = [0] * n
    probs = [0.0] * (n + 1)
    get = freq.get
    for idx in range(n - 1, -1, -1):
        best_p = float("-inf")
        best_x = -1
        i = idx
        frag = blk[idx]
        while True:
            f = get(frag, _MISSING)
            if f is _MISSING:
                break
            if f:
                p = log(f) - logtotal + probs[i + 1]
                if p >= best_p:
                    best_p, best_x = p, i
            i += 1
            if i >= n:
                break
            frag = blk[idx : i + 1]
        if best_x < 0:  # no word starts here: the character alone, frequency 1
            best_p, best_x = log(1) - logtotal + probs[idx + 1], idx
        probs[idx] = best_p
        ends[idx] = best_x
    return ends


def _walk_route(blk: str, freq: dict, logtotal: float, word, run) -> None:
    """Walk jieba's best route through ``blk``: each word of two or more characters goes to
    ``word(w)``, each run of single characters between them to ``run(chars)`` (jieba's HMM
    pass for unknown words), in text order."""
    n = len(blk)
    ends = _route_ends(blk, freq, logtotal)
    x = 0
    buf = ""
    while x < n:
        y = ends[x] + 1
        if y - x == 1:
            buf += blk[x]
        else:
            if buf:
                run(buf)
                buf = ""
            word(blk[x:y])
        x = y
    if buf:
        run(buf)


def _dag_pairs(blk: str, freq: dict, logtotal: float, tags: dict, append) -> None:
    """``POSTokenizer.__cut_DAG(blk)`` as ``(word, flag)`` tuples passed to ``append``."""
    _walk_route(blk, freq, logtotal, lambda w: append((w, tags.get(w, "x"))),
                lambda chars: _flush(chars, freq, tags, append))


def _dag_words(blk: str, freq: dict, logtotal: float, append) -> None:
    """``Tokenizer.__cut_DAG(blk)`` (the plain cut with HMM), words passed to ``append``."""
    from jieba import finalseg

    _walk_route(blk, freq, logtotal, append, lambda chars: _flush_words(chars, freq, append, finalseg))


def _flush_words(buf: str, freq: dict, append, finalseg) -> None:
    if len(buf) == 1:
        append(buf)
    elif not freq.get(buf):
        for word in finalseg.cut(buf):
            append(word)
    else:
        for elem in buf:
            append(elem)


def _flush(buf: str, freq: dict, tags: dict, append) -> None:
    """A run of single characters, as ``__cut_DAG`` emits it (HMM for an unknown run)."""
    if len(buf) == 1:
        append((buf, tags.get(buf, "x")))
    elif not freq.get(buf):
        _detail_pairs(buf, append)
    else:
        for elem in buf:
            append((elem, tags.get(elem, "x")))


def _detail_pairs(sentence: str, append) -> None:
    """``POSTokenizer.__cut_detail`` (with the numpy HMM) as ``(word, flag)`` tuples."""
    for blk in re_han_detail.split(sentence):
        if re_han_detail.match(blk):
            _, pos_list = _hmm().viterbi(blk)
            begin, nexti = 0, 0
            for i, char in enumerate(blk):
                pos = pos_list[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    append((blk[begin : i + 1], pos_list[i][1]))
                    nexti = i + 1
                elif pos == "S":
                    append((char, pos_list[i][1]))
                    nexti = i + 1
            if nexti < len(blk):
                append((blk[nexti:], pos_list[nexti][1]))
            continue
        for x in re_skip_detail.split(blk):
            if x:
                if re_num.match(x):
                    append((x, "m"))
                elif re_eng.match(x):
                    append((x, "eng"))
                else:
                    append((x, "x"))
