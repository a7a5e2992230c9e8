"""The tokenizer of Chinese Pegasus summarisers: jieba words first, a BERT vocabulary underneath.

Chinese Pegasus checkpoints such as ``IDEA-CCNL/Randeng-Pegasus-238M-Summary-Chinese`` ship a
BERT-style ``vocab.txt`` whose entries include whole Chinese words besides single characters and
word pieces, and a ``tokenizer_config.json`` naming a ``PegasusTokenizer`` that transformers does
not have in this form (its own ``PegasusTokenizer`` is a sentencepiece model). The scheme, as the
model cards describe it: segment the text with jieba; a word that is in the vocabulary is one
token; any other word goes through BERT's usual basic tokenizer and WordPiece. Inputs end with
the end-of-sequence token, as in Pegasus, rather than BERT's ``[CLS] … [SEP]``.

The checkpoints keep BERT's placeholder names in ``vocab.txt`` and give the Pegasus special
tokens the placeholders' ids (their configs say ``pad_token_id=0``, ``eos_token_id=1``):
``<pad>`` is ``[PAD]``, ``</s>`` is ``[unused1]``, ``<mask_1>`` is ``[unused2]``, ``<mask_2>`` is
``[unused3]`` and ``<unk>`` is ``[UNK]``. This tokenizer applies that renaming when a
vocabulary lacks the Pegasus names.

This module is written from that description. Like every newsnlp module it imports nothing
heavy when imported: the class (a subclass of transformers' pure-Python ``BertTokenizer``) is
built on first access of ``PegasusJiebaTokenizer``.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["PegasusJiebaTokenizer", "PEGASUS_PLACEHOLDERS"]

# Pegasus special token -> the BERT vocabulary entry whose id it takes.
PEGASUS_PLACEHOLDERS = {
    "<pad>": "[PAD]",
    "</s>": "[unused1]",
    "<mask_1>": "[unused2]",
    "<mask_2>": "[unused3]",
    "<unk>": "[UNK]",
}

_lock = threading.Lock()
_class: type | None = None
_plain_segmenter = None


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


def _default_segmenter():
    """A segmenter with jieba's plain dictionary, as the models were trained with.

    Not :func:`newsnlp.text.get_segmenter`: words added to the shared one for keywords or
    entities would change the segmentation the model's vocabulary was built on.
    """
    global _plain_segmenter
    if _plain_segmenter is None:
        with _lock:
            if _plain_segmenter is None:
                from newsnlp.text.segmentation import Segmenter

                _plain_segmenter = Segmenter()
    return _plain_segmenter


def _define() -> type:
    try:  # transformers 5 keeps the pure-Python BERT tokenizer under this name
        from transformers.models.bert import tokenization_bert_legacy as bert_module
        from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy as _PythonBertTokenizer
    except ImportError:  # transformers 4: BertTokenizer is the pure-Python one
        from transformers.models.bert import tokenization_bert as bert_module
        from transformers.models.bert.tokenization_bert import BertTokenizer as _PythonBertTokenizer

    class PegasusJiebaTokenizer(_PythonBertTokenizer):
        """A BERT WordPiece tokenizer that keeps whole jieba words found in its vocabulary.

        Loads like any transformers tokenizer, from a directory holding ``vocab.txt`` (and usually a
        ``tokenizer_config.json`` naming the special tokens). Special tokens default to the Pegasus
        ones (``<pad>``, ``</s>``, ``<unk>``, ``<mask_2>``), mapped onto BERT placeholders when the
        vocabulary lacks them (see :data:`PEGASUS_PLACEHOLDERS`). With ``eos_token=None`` inputs get
        BERT's ``[CLS] … [SEP]`` framing instead of a final ``</s>``.

        Args:
            vocab_file: path of ``vocab.txt``, one token a line, line number = id.
            segmenter: a :class:`newsnlp.text.Segmenter` (default: a private one with jieba's plain
                dictionary, loaded on the first text, not here).
            **kwargs: BERT tokenizer options (``do_lower_case``, ``never_split``, special tokens, ...).

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
            do_lower_case: bool = True,
            do_basic_tokenize: bool = True,
            never_split: Any = None,
            unk_token: str = "<unk>",
            pad_token: str = "<pad>",
            eos_token: str | None = "</s>",
            mask_token: str = "<mask_2>",
            sep_token: str = "[SEP]",
            cls_token: str = "[CLS]",
            tokenize_chinese_chars: bool = True,
            strip_accents: bool | None = None,
            segmenter: Any = None,
            **kwargs: Any,
        ) -> None:
            import collections
            import os

            if not os.path.isfile(vocab_file):
                raise ValueError(f"no vocabulary file at {vocab_file!r}; pass the vocab.txt of the model")
            self._segmenter = segmenter
            # What BERT's __init__ does, with one step more: the Pegasus special tokens take over
            # their placeholders' ids *before* the base class registers special tokens, which
            # would otherwise append them as new ids the model has no embeddings for.
            self.vocab = bert_module.load_vocab(vocab_file)
            wanted = [str(t) for t in (unk_token, pad_token, eos_token, mask_token) if t is not None]
            for key in ("additional_special_tokens", "extra_special_tokens"):  # transformers 4 / 5 name
                extra = kwargs.get(key) or []
                wanted += [str(t) for t in (extra.values() if isinstance(extra, dict) else extra)]
            for name in wanted:
                placeholder = PEGASUS_PLACEHOLDERS.get(name)
                if name not in self.vocab and placeholder in self.vocab:
                    self.vocab[name] = self.vocab.pop(placeholder)
            self.ids_to_tokens = collections.OrderedDict((i, t) for t, i in self.vocab.items())
            self.do_basic_tokenize = do_basic_tokenize
            self.basic_tokenizer = bert_module.BasicTokenizer(
                do_lower_case=do_lower_case,
                never_split=never_split,
                tokenize_chinese_chars=tokenize_chinese_chars,
                strip_accents=strip_accents,
            )
            self.wordpiece_tokenizer = bert_module.WordpieceTokenizer(vocab=self.vocab, unk_token=str(unk_token))
            super(_PythonBertTokenizer, self).__init__(
                do_lower_case=do_lower_case,
                do_basic_tokenize=do_basic_tokenize,
                never_split=never_split,
                unk_token=unk_token,
                pad_token=pad_token,
                eos_token=eos_token,
                mask_token=mask_token,
                sep_token=sep_token,
                cls_token=cls_token,
                tokenize_chinese_chars=tokenize_chinese_chars,
                strip_accents=strip_accents,
                **kwargs,
            )

        @property
        def do_lower_case(self) -> bool:
            return self.basic_tokenizer.do_lower_case

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
                self._segmenter = _default_segmenter()
            return self._segmenter

        # ------------------------------------------------------------------ tokenizing
        def _tokenize(self, text: str, split_special_tokens: bool = False) -> list[str]:
            pieces: list[str] = []
            lower = self.do_lower_case
            # No HMM: the vocabulary's words come from jieba's dictionary, and words the HMM
            # invents would hide dictionary words inside them.
            for word in self.segmenter.cut(text, hmm=False):
                if word in self.vocab:
                    pieces.append(word)
                elif lower and word.lower() in self.vocab:
                    pieces.append(word.lower())
                else:
                    # Not a vocabulary word: BERT's way (characters for Chinese, WordPiece otherwise).
                    pieces.extend(super()._tokenize(word, split_special_tokens=split_special_tokens))
            return pieces

        def _uses_eos_framing(self) -> bool:
            eos = self.eos_token
            return eos is not None and str(eos) in self.vocab

        def build_inputs_with_special_tokens(self, token_ids_0: list[int], token_ids_1: list[int] | None = None) -> list[int]:
            """Append ``</s>`` (Pegasus framing); BERT's ``[CLS] … [SEP]`` when there is no ``</s>``."""
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
            return [0] * len(self.build_inputs_with_special_tokens(token_ids_0, token_ids_1))

        def convert_tokens_to_string(self, tokens: list[str]) -> str:
            """Join tokens; spaces between Chinese characters are left to the caller to remove."""
            return " ".join(tokens).replace(" ##", "").strip()

    # Pickle finds the class through the module's __getattr__ under this name.
    PegasusJiebaTokenizer.__qualname__ = "PegasusJiebaTokenizer"
    PegasusJiebaTokenizer.__module__ = __name__
    return PegasusJiebaTokenizer
