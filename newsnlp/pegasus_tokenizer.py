"""The tokenizer of Chinese Pegasus summarisers: jieba words first, a BERT vocabulary underneath.

Chinese Pegasus checkpoints such as ``IDEA-CCNL/Randeng-Pegasus-238M-Summary-Chinese`` ship a
BERT-style ``vocab.txt`` whose entries include whole Chinese words besides single characters and
word pieces, and a ``tokenizer_config.json`` naming a ``PegasusTokenizer`` that transformers does
not have in this form (its own ``PegasusTokenizer`` is a sentencepiece model). The scheme, as the
model cards describe it: segment the text with jieba; a word that is in the vocabulary is one
token; any other word goes through BERT's usual basic tokenizer and WordPiece. Inputs end with
the end-of-sequence token, as in Pegasus, rather than BERT's ``[CLS] … [SEP]``.

This module is written from that description. Like every newsnlp module it imports nothing
heavy when imported: the class (a subclass of transformers' pure-Python ``BertTokenizer``) is
built on first access of ``PegasusJiebaTokenizer``.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["PegasusJiebaTokenizer"]

_lock = threading.Lock()
_class: type | None = None


def __getattr__(name: str) -> Any:
    if name == "PegasusJiebaTokenizer":
        return _tokenizer_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _tokenizer_class() -> type:
    global _class
    if _class is None:
        with _lock:
            if _class is None:
                _class = _define()
    return _class


def _define() -> type:
    try:  # transformers 5 keeps the pure-Python BERT tokenizer under this name
        from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy as _PythonBertTokenizer
    except ImportError:  # transformers 4: BertTokenizer is the pure-Python one
        from transformers import BertTokenizer as _PythonBertTokenizer

    class PegasusJiebaTokenizer(_PythonBertTokenizer):
        """A BERT WordPiece tokenizer that keeps whole jieba words found in its vocabulary.

        Loads like any transformers tokenizer, from a directory holding ``vocab.txt`` (and usually a
        ``tokenizer_config.json`` naming the special tokens). Special tokens default to the Pegasus
        ones (``<pad>``, ``</s>``, ``<unk>``, ``<mask_2>``); a vocabulary without ``</s>`` gets
        BERT's ``[CLS] … [SEP]`` framing instead.

        Args:
            vocab_file: path of ``vocab.txt``, one token a line, line number = id.
            segmenter: a :class:`newsnlp.text.Segmenter` (default: the shared one; jieba is loaded
                on the first text, not here).
            **kwargs: BERT tokenizer options (``do_lower_case``, special tokens, ...).

        Example:
            >>> tok = PegasusJiebaTokenizer.from_pretrained("/models/randeng-pegasus-238m")  # doctest: +SKIP
            >>> tok.tokenize("宁波市总工会召开会议")  # doctest: +SKIP
            ['宁波市', '总工会', '召开', '会议']
        """

        model_input_names = ["input_ids", "attention_mask"]

        def __init__(
            self,
            vocab_file: str,
            *,
            unk_token: str = "<unk>",
            pad_token: str = "<pad>",
            eos_token: str = "</s>",
            mask_token: str = "<mask_2>",
            sep_token: str = "[SEP]",
            cls_token: str = "[CLS]",
            segmenter: Any = None,
            **kwargs: Any,
        ) -> None:
            self._segmenter = segmenter
            super().__init__(
                vocab_file,
                unk_token=unk_token,
                pad_token=pad_token,
                eos_token=eos_token,
                mask_token=mask_token,
                sep_token=sep_token,
                cls_token=cls_token,
                **kwargs,
            )

        # ------------------------------------------------------------------ pickling
        def __getstate__(self) -> dict:
            # The segmenter holds a lock and a loaded jieba dictionary: rebuild it in the new process.
            state = self.__dict__.copy()
            state["_segmenter"] = None
            return state

        @property
        def segmenter(self):
            """The :class:`newsnlp.text.Segmenter` used for the jieba pass."""
            if self._segmenter is None:
                from newsnlp.text import get_segmenter

                self._segmenter = get_segmenter()
            return self._segmenter

        # ------------------------------------------------------------------ tokenizing
        def _tokenize(self, text: str, split_special_tokens: bool = False) -> list[str]:
            pieces: list[str] = []
            lower = self.do_lower_case
            for word in self.segmenter.cut(text):
                key = word.lower() if lower else word
                if key in self.vocab:
                    pieces.append(key)
                else:
                    # Not a vocabulary word: BERT's way (characters for Chinese, WordPiece otherwise).
                    pieces.extend(super()._tokenize(word, split_special_tokens=split_special_tokens))
            return pieces

        def _uses_eos_framing(self) -> bool:
            eos = self.eos_token
            return eos is not None and str(eos) in self.vocab

        def build_inputs_with_special_tokens(self, token_ids_0: list[int], token_ids_1: list[int] | None = None) -> list[int]:
            """Append ``</s>`` (Pegasus framing); BERT framing when the vocabulary has no ``</s>``."""
            if not self._uses_eos_framing():
                return super().build_inputs_with_special_tokens(token_ids_0, token_ids_1)
            eos = [self.eos_token_id]
            if token_ids_1 is None:
                return token_ids_0 + eos
            return token_ids_0 + token_ids_1 + eos

        def get_special_tokens_mask(
            self, token_ids_0: list[int], token_ids_1: list[int] | None = None, already_has_special_tokens: bool = False
        ) -> list[int]:
            """Mark the tokens :meth:`build_inputs_with_special_tokens` adds."""
            if already_has_special_tokens or not self._uses_eos_framing():
                return super().get_special_tokens_mask(token_ids_0, token_ids_1, already_has_special_tokens)
            if token_ids_1 is None:
                return [0] * len(token_ids_0) + [1]
            return [0] * (len(token_ids_0) + len(token_ids_1)) + [1]

        def create_token_type_ids_from_sequences(self, token_ids_0: list[int], token_ids_1: list[int] | None = None) -> list[int]:
            """All zeros: Pegasus has no segment embeddings."""
            n = len(self.build_inputs_with_special_tokens(token_ids_0, token_ids_1))
            return [0] * n

        def convert_tokens_to_string(self, tokens: list[str]) -> str:
            """Join tokens; spaces between Chinese characters are left to the caller to remove."""
            return " ".join(tokens).replace(" ##", "").strip()

    # Pickle finds the class through the module's __getattr__ under this name.
    PegasusJiebaTokenizer.__qualname__ = "PegasusJiebaTokenizer"
    PegasusJiebaTokenizer.__module__ = __name__
    return PegasusJiebaTokenizer
