"""Abstractive summaries with a transformers seq2seq model (BART-Chinese, mT5, Pegasus-Chinese).

transformers 5 removed the summarisation pipeline, so this module does its three steps itself:

- *preprocess* (CPU): drop the dateline, split the article on sentence boundaries into chunks
  that fit the model's input, tokenise;
- *forward* (the chosen device, under ``torch.inference_mode()``): ``model.generate``;
- *postprocess* (CPU): decode, strip special tokens and the spaces BERT vocabularies put
  between Chinese characters, trim to the length budget.

A long article is summarised chunk by chunk and the joined chunk summaries are summarised
again, until one input fits. Batches are sorted by length and the input order restored.

Nothing here downloads unless ``local_files_only=False`` is passed, and torch/transformers are
imported only when an :class:`AbstractiveSummarizer` is built.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, Sequence

from .._util import check_positive_int
from ..article import Article, as_article
from ..device import resolve_device
from ..errors import ModelLoadError
from ..resources import ModelWords, resolve_model_dir
from ..text.news import strip_paragraph_datelines
from ..text.sentences import split_sentences
from .trimming import CLAUSE_MARKS as _CLAUSE_MARKS
from .trimming import trim_summary

if TYPE_CHECKING:
    from ..text.segmentation import Segmenter

__all__ = ["AbstractiveSummarizer", "detect_tokenizer_kind", "resolve_device"]

TokenizerKind = Literal["auto", "bert", "pegasus-jieba", "transformers"]
_TOKENIZER_KINDS = ("auto", "bert", "pegasus-jieba", "transformers")
_VALID_OPTIONS = (
    "device", "local_files_only", "max_input_tokens", "max_new_tokens", "num_beams", "batch_size",
    "tokenizer", "dtype", "generate_kwargs", "segmenter",
)
_DTYPES = ("float32", "bfloat16", "float16")
# Rounds of chunk -> summarise -> join before giving up on shrinking the text further.
_MAX_ROUNDS = 6
# Fallback input limit for models without absolute positions (T5/mT5 use relative ones).
_DEFAULT_INPUT_TOKENS = 512

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
# With a WordPiece vocabulary every decoded space is an artefact except between two words
# in Latin script or digits ("apple inc", "iphone 15").
_SPACE_NOT_BETWEEN_WORDS = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
_STRAY_CONTINUATION = re.compile(r"(?:(?<=\s)|^)##(?=\S)")
# ---------------------------------------------------------------------------- helpers


def _read_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def detect_tokenizer_kind(model_dir: str | os.PathLike) -> str:
    """Say which tokenizer a local seq2seq model directory needs.

    - ``"pegasus-jieba"``: a Pegasus model with a BERT ``vocab.txt`` (Chinese Pegasus such as
      Randeng, whose ``tokenizer_config.json`` names ``PegasusTokenizer`` or ``BertTokenizer``):
      jieba pre-segmentation over the BERT vocabulary, :class:`~newsnlp.summarization.pegasus_tokenizer.PegasusJiebaTokenizer`;
    - ``"bert"``: any other model with a BERT ``vocab.txt`` (BART-Chinese from fnlp, CPT, ...),
      loaded with transformers' ``BertTokenizer`` even when the model type would suggest BART's BPE;
    - ``"transformers"``: everything else (mT5's sentencepiece, ``tokenizer.json``), via ``AutoTokenizer``.

    Args:
        model_dir: a directory holding ``config.json`` and the tokenizer files.

    Returns:
        One of ``"pegasus-jieba"``, ``"bert"``, ``"transformers"``.

    Example:
        >>> detect_tokenizer_kind("/models/Randeng-Pegasus-238M-Summary-Chinese")  # doctest: +SKIP
        'pegasus-jieba'
    """
    path = Path(model_dir)
    config = _read_json(path / "config.json")
    tok_config = _read_json(path / "tokenizer_config.json")
    tokenizer_class = str(tok_config.get("tokenizer_class") or config.get("tokenizer_class") or "")
    model_type = str(config.get("model_type") or "")
    has_vocab_txt = (path / "vocab.txt").is_file()
    has_sentencepiece = any(path.glob("*.model"))
    if model_type == "pegasus" and has_vocab_txt and not has_sentencepiece:
        if tokenizer_class in ("", "PegasusTokenizer", "PegasusTokenizerFast", "BertTokenizer", "BertTokenizerFast"):
            return "pegasus-jieba"
    if tokenizer_class.startswith("Bert"):
        return "bert"
    if has_vocab_txt and not has_sentencepiece and not (path / "tokenizer.json").is_file():
        return "bert"
    return "transformers"


# The phrases this module's "model not found" messages use (the lookup itself is in _hub).
_SUMMARY_MODEL_WORDS = ModelWords(
    local_noun="model",
    hub_noun="summary model",
    empty_fix="a hub id such as 'fnlp/bart-base-chinese'",
    holds="config.json and the weights",
    example_id="'fnlp/bart-base-chinese'",
    download_writes="the one",
    file_shows_path=True,
    explain_invalid_id=True,
    legacy_cli_hint=True,
    online_fix="(to AbstractiveSummarizer or newsnlp.Analyzer) to let newsnlp download it now",
)


def _despace(text: str, *, wordpiece: bool) -> str:
    """Remove the spaces decoding puts between Chinese characters (all artefacts, for WordPiece)."""
    text = text.strip()
    if wordpiece:
        # A continuation piece ("##ing") left at the start of a word when the model began with it.
        text = _SPACE_NOT_BETWEEN_WORDS.sub("", _STRAY_CONTINUATION.sub("", text))
    else:
        text = _SPACE_NEAR_CJK.sub("", text)
    return re.sub(r"\s+", " ", text)


# The 0.1 names (tests and old scripts use them): the dateline cut and the trim live in
# newsnlp.text.news and .trimming now, shared with the extractive summariser.
_strip_dateline = strip_paragraph_datelines
_trim = trim_summary


# ---------------------------------------------------------------------------- the summariser
class AbstractiveSummarizer:
    """Write abstracts with a seq2seq model: BART-Chinese, mT5 or Pegasus-Chinese.

    The model is loaded once, here; calls reuse it. ``model`` is a local directory (as written
    by ``hf download ID --local-dir DIR``) or a hub id found in the local Hugging Face cache.
    Nothing is downloaded unless ``local_files_only=False``.

    Args:
        model: directory or hub id of an encoder-decoder model, e.g.
            ``"IDEA-CCNL/Randeng-Pegasus-238M-Summary-Chinese"`` (see docs/summarization.md).
        device: ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda:N"`` or ``"mps"``.
        local_files_only: never reach the network (default).
        max_input_tokens: input tokens per model call, special tokens included (default: the
            model's limit: ``max_position_embeddings`` / the tokenizer's ``model_max_length``,
            512 for mT5). Longer articles are chunked on sentence boundaries.
        max_new_tokens: most tokens generated per summary.
        num_beams: beam width for ``generate``.
        batch_size: texts per ``generate`` call.
        tokenizer: ``"auto"`` (detected from the model directory, see :func:`detect_tokenizer_kind`),
            ``"bert"``, ``"pegasus-jieba"``, ``"transformers"`` (``AutoTokenizer``), or a tokenizer object.
        dtype: weights' precision: ``"float32"`` (default), or ``"bfloat16"`` / ``"float16"`` to
            halve GPU memory (compare a few outputs with float32 first).
        generate_kwargs: further ``generate`` options, e.g. ``{"no_repeat_ngram_size": 3}``; the
            model's ``generation_config.json`` supplies the rest.
        segmenter: the :class:`~newsnlp.text.Segmenter` whose words a trim to ``max_chars`` never
            cuts (default: the shared :func:`~newsnlp.text.get_segmenter`); pass one with the
            user's dictionary (``Analyzer(user_dict=...)`` does).

    Raises:
        ModelNotFoundError: the model is not available offline (the message says what was tried
            and how to get it).
        ModelLoadError: the files are there but could not be loaded.
        ValueError: a bad device, option value or tokenizer kind.
        TypeError: an unknown option.

    Example:
        >>> summ = AbstractiveSummarizer("/models/Randeng-Pegasus-238M-Summary-Chinese", device="cuda:0")  # doctest: +SKIP
        >>> summ("宁波市总工会召开会议，部署全年工作。……", max_chars=60)  # doctest: +SKIP
        '宁波市总工会部署全年工作'
    """

    def __init__(
        self,
        model: str | os.PathLike,
        *,
        device: str = "auto",
        local_files_only: bool = True,
        max_input_tokens: int | None = None,
        max_new_tokens: int = 64,
        num_beams: int = 4,
        batch_size: int = 8,
        tokenizer: TokenizerKind | Any = "auto",
        dtype: Literal["float32", "bfloat16", "float16"] = "float32",
        generate_kwargs: Mapping[str, Any] | None = None,
        segmenter: "Segmenter | None" = None,
        **unknown: Any,
    ) -> None:
        if unknown:
            raise TypeError(_unknown_options_message(unknown))
        check_positive_int("max_new_tokens", max_new_tokens)
        check_positive_int("num_beams", num_beams)
        check_positive_int("batch_size", batch_size)
        if max_input_tokens is not None:
            check_positive_int("max_input_tokens", max_input_tokens)
            if max_input_tokens < 8:
                raise ValueError(f"max_input_tokens must be at least 8 (a few words per chunk), got {max_input_tokens}")
        if isinstance(tokenizer, str) and tokenizer not in _TOKENIZER_KINDS:
            raise ValueError(
                f"tokenizer must be one of {', '.join(map(repr, _TOKENIZER_KINDS))} or a tokenizer object, got {tokenizer!r}"
            )
        if dtype not in _DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(map(repr, _DTYPES))}, got {dtype!r}")
        generate_kwargs = dict(generate_kwargs or {})
        clash = sorted(set(generate_kwargs) & {"input_ids", "attention_mask", "max_new_tokens", "num_beams"})
        if clash:
            raise ValueError(
                f"generate_kwargs may not set {', '.join(clash)}: pass max_new_tokens/num_beams as options "
                "of AbstractiveSummarizer; inputs are built from the article"
            )
        if not isinstance(local_files_only, bool):
            raise TypeError(f"local_files_only must be True or False, got {local_files_only!r}")

        self.device = resolve_device(device)  # before any loading: a typo fails fast
        self.model_name = os.fspath(model) if isinstance(model, os.PathLike) else model
        self.local_files_only = local_files_only
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.batch_size = batch_size
        self.dtype = dtype
        self.generate_kwargs = generate_kwargs
        self._segmenter = segmenter
        self.model_dir = resolve_model_dir(model, local_files_only=local_files_only, words=_SUMMARY_MODEL_WORDS)
        self._lock = threading.Lock()
        self.model, self.tokenizer, self.tokenizer_kind = self._load(tokenizer)
        self.max_input_tokens = self._input_limit(max_input_tokens)
        self._wordpiece = self.tokenizer_kind in ("bert", "pegasus-jieba") or "Bert" in type(self.tokenizer).__name__
        # Special tokens framing each input; the rest of max_input_tokens is for text.
        self._budget = self.max_input_tokens - self.tokenizer.num_special_tokens_to_add()
        if self._budget < 4:
            raise ValueError(f"max_input_tokens={self.max_input_tokens} leaves no room for text after the special tokens")

    @classmethod
    def load(cls, model: str | os.PathLike, **options: Any) -> "AbstractiveSummarizer":
        """Load a seq2seq summariser with every generation option as a keyword argument.

        The same as ``AbstractiveSummarizer(model, **options)`` (the class lists each option: device,
        local_files_only, max_input_tokens, max_new_tokens, num_beams, batch_size, tokenizer, dtype,
        generate_kwargs, segmenter; an unknown one is refused with the closest valid name), named like
        :meth:`ExtractiveSummarizer.load <newsnlp.summarization.extractive.ExtractiveSummarizer.load>`
        and ``EntityExtractor.load`` so that a configuration can build every stage alike.

        Example:
            >>> summ = AbstractiveSummarizer.load("/models/bart-base-chinese", num_beams=2, dtype="bfloat16")  # doctest: +SKIP
        """
        return cls(model, **options)

    @property
    def segmenter(self) -> "Segmenter":
        """The segmenter that says where words end when a summary has to be cut."""
        if self._segmenter is None:
            from ..text.segmentation import get_segmenter

            return get_segmenter()
        return self._segmenter

    # ------------------------------------------------------------------ loading
    def _load(self, tokenizer: Any):
        import torch
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        where = self.model_dir
        try:
            config = AutoConfig.from_pretrained(where, local_files_only=True)
        except Exception as exc:
            raise ModelLoadError(f"could not read the model config in {where}: {type(exc).__name__}: {exc}") from exc
        if not getattr(config, "is_encoder_decoder", False):
            raise ModelLoadError(
                f"{self.model_name!r} is a {config.model_type!r} model, not an encoder-decoder (seq2seq) one; "
                "abstractive summaries need a BART, mT5 or Pegasus summariser (see docs/summarization.md)"
            )
        if isinstance(tokenizer, str):
            kind = detect_tokenizer_kind(where) if tokenizer == "auto" else tokenizer
            try:
                if kind == "pegasus-jieba":
                    from .pegasus_tokenizer import PegasusJiebaTokenizer

                    extra = {}
                    tok_config = _read_json(where / "tokenizer_config.json")
                    if str(tok_config.get("tokenizer_class", "")).startswith("Bert") and "eos_token" not in tok_config:
                        # A Pegasus saved with a plain BERT tokenizer was trained on [CLS] … [SEP].
                        extra["eos_token"] = None
                    tok = PegasusJiebaTokenizer.from_pretrained(where, local_files_only=True, **extra)
                elif kind == "bert":
                    from transformers import BertTokenizer

                    tok = BertTokenizer.from_pretrained(where, local_files_only=True)
                else:
                    tok = AutoTokenizer.from_pretrained(where, local_files_only=True)
            except Exception as exc:
                raise ModelLoadError(
                    f"could not load the {kind!r} tokenizer of {where}: {type(exc).__name__}: {exc}. If the model "
                    f"needs another tokenizer pass tokenizer= one of {', '.join(map(repr, _TOKENIZER_KINDS))} "
                    "or a loaded tokenizer object"
                ) from exc
        else:
            if not callable(getattr(tokenizer, "batch_decode", None)):
                raise ValueError(
                    f"tokenizer must be one of {', '.join(map(repr, _TOKENIZER_KINDS))} or a transformers tokenizer, "
                    f"got {type(tokenizer).__name__}"
                )
            tok, kind = tokenizer, "custom"
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(where, local_files_only=True)
        except Exception as exc:
            raise ModelLoadError(f"could not load the model weights in {where}: {type(exc).__name__}: {exc}") from exc
        n_embeddings = model.get_input_embeddings().num_embeddings
        if len(tok) > n_embeddings:
            raise ModelLoadError(
                f"the tokenizer of {where} ({type(tok).__name__}, {len(tok)} tokens) does not match the model "
                f"({n_embeddings} embeddings); pass the right tokenizer= kind"
            )
        import transformers

        if int(transformers.__version__.split(".")[0]) >= 5:
            # Length comes from max_new_tokens on every call; a max_length kept in the model's
            # generation config (Randeng has 256) would only trigger a warning per call.
            model.generation_config.max_length = None
        model.to(device=self.device, dtype=getattr(torch, self.dtype))
        model.eval()
        return model, tok, kind

    def _input_limit(self, requested: int | None) -> int:
        limits = []
        model_max = getattr(self.tokenizer, "model_max_length", None)
        if isinstance(model_max, int) and 0 < model_max < 100_000:
            limits.append(model_max)
        positions = getattr(self.model.config, "max_position_embeddings", None)
        if isinstance(positions, int) and positions > 0:
            limits.append(positions)
        limit = min(limits) if limits else None
        if requested is None:
            return limit or _DEFAULT_INPUT_TOKENS
        if limit is not None and requested > limit:
            raise ValueError(f"max_input_tokens={requested} is more than this model takes ({limit}); pass at most {limit}")
        return requested

    def __repr__(self) -> str:
        return (
            f"AbstractiveSummarizer({self.model_name!r}, device={self.device!r}, tokenizer={self.tokenizer_kind!r}, "
            f"max_input_tokens={self.max_input_tokens}, max_new_tokens={self.max_new_tokens}, num_beams={self.num_beams})"
        )

    # ------------------------------------------------------------------ public calls
    def __call__(self, article: Any, *, max_chars: int | None = None, max_sentences: int | None = None) -> str:
        """Summarise one article.

        Args:
            article: text, an :class:`~newsnlp.article.Article`, a record or a path.
            max_chars: cut the abstract to at most this many characters, at a sentence (else
                clause, else word) boundary; generation stops early enough to fit.
            max_sentences: keep at most this many sentences of the abstract.

        Returns:
            The abstract; ``""`` for an empty article.

        Example:
            >>> summ("宁波市总工会召开会议，部署全年工作。", max_chars=20)  # doctest: +SKIP
            '宁波市总工会部署全年工作'
        """
        return self.summarize_many([article], max_chars=max_chars, max_sentences=max_sentences)[0]

    def summarize_many(
        self, articles: Iterable[Any], *, max_chars: int | None = None, max_sentences: int | None = None
    ) -> list[str]:
        """Summarise many articles in length-sorted batches; results come back in input order.

        Args:
            articles: texts, Articles, records or paths.
            max_chars: as in :meth:`__call__`, for every article.
            max_sentences: as in :meth:`__call__`, for every article.

        Returns:
            One abstract per article, in order.

        Example:
            >>> summ.summarize_many(["第一篇新闻。", "第二篇新闻。"])  # doctest: +SKIP
            ['第一篇新闻', '第二篇新闻']
        """
        for name, value in (("max_chars", max_chars), ("max_sentences", max_sentences)):
            if value is not None:
                check_positive_int(name, value)
        texts = [self._prepare(as_article(a)) for a in articles]
        final_tokens = self.max_new_tokens if max_chars is None else min(self.max_new_tokens, max_chars + 2)
        summaries = self._summarize_texts(texts, final_tokens)
        return [trim_summary(s, max_chars=max_chars, max_sentences=max_sentences, segmenter=self.segmenter) for s in summaries]

    def chunks(self, text: str) -> list[tuple[int, int]]:
        """Split ``text`` into ``(start, end)`` spans of whole sentences that each fit one model input.

        Every sentence of :func:`~newsnlp.text.split_sentences` falls in exactly one span, in order.
        A sentence longer than the input limit is split at clause marks, else into character runs.

        Example:
            >>> summ.chunks("第一句。第二句。")  # doctest: +SKIP
            [(0, 8)]
        """
        if not isinstance(text, str):
            raise TypeError(f"chunks() takes a str, not {type(text).__name__}")
        pieces: list[tuple[int, int, int]] = []
        sentences = split_sentences(text)
        for s, n in zip(sentences, self._count_tokens([s.text for s in sentences])):
            if n <= self._budget:
                pieces.append((s.start, s.end, n))
            else:
                pieces.extend(self._split_long(text, s.start, s.end))
        spans: list[tuple[int, int]] = []
        current: list[int] | None = None  # [start, end, tokens] of the chunk being filled
        for p_start, p_end, n in pieces:
            if current is not None and current[2] + n <= self._budget:
                current[1], current[2] = p_end, current[2] + n
                continue
            if current is not None:
                spans.append((current[0], current[1]))
            current = [p_start, p_end, n]
        if current is not None:
            spans.append((current[0], current[1]))
        return spans

    # ------------------------------------------------------------------ preprocess
    def _prepare(self, article: Article) -> str:
        return _strip_dateline(article.text).strip()

    def _count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        ids = self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(x) for x in ids]

    def _split_long(self, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """Split one over-long sentence into runs that fit, at clause marks where possible."""
        cuts = [i + 1 for i in range(start, end - 1) if text[i] in _CLAUSE_MARKS] + [end]
        clauses, s = [], start
        for c in cuts:
            clauses.append((s, c))
            s = c
        out: list[tuple[int, int, int]] = []
        for c_start, c_end in clauses:
            (n,) = self._count_tokens([text[c_start:c_end]])
            if n <= self._budget:
                out.append((c_start, c_end, n))
                continue
            # No clause mark to cut at: fixed-width character runs, narrowed until each fits.
            width = max(1, int((c_end - c_start) * self._budget / n * 0.9))
            pos = c_start
            while pos < c_end:
                w = min(width, c_end - pos)
                while True:
                    (n,) = self._count_tokens([text[pos:pos + w]])
                    if n <= self._budget or w == 1:
                        break
                    w = max(1, w * 3 // 4)
                out.append((pos, pos + w, n))
                pos += w
        # Pack clauses back together while they fit (fewer, longer pieces).
        packed: list[tuple[int, int, int]] = []
        for piece in out:
            if packed and packed[-1][2] + piece[2] <= self._budget:
                p = packed[-1]
                packed[-1] = (p[0], piece[1], p[2] + piece[2])
            else:
                packed.append(piece)
        return packed

    @staticmethod
    def _model_text(text: str) -> str:
        # One line per input: paragraph breaks mean nothing to these models, and a space
        # between Chinese characters would become a token for sentencepiece vocabularies.
        return _SPACE_NEAR_CJK.sub("", re.sub(r"\s+", " ", text)).strip()

    # ------------------------------------------------------------------ rounds
    def _summarize_texts(self, texts: list[str], final_tokens: int) -> list[str]:
        results = [""] * len(texts)
        current = {i: t for i, t in enumerate(texts) if t}
        previous_size = {i: float("inf") for i in current}
        for round_no in range(_MAX_ROUNDS):
            if not current:
                break
            plans = {i: self.chunks(t) for i, t in current.items()}
            for i, spans in plans.items():
                stuck = len(spans) > 1 and (round_no == _MAX_ROUNDS - 1 or len(current[i]) >= previous_size[i])
                if stuck:
                    # The chunk summaries did not shrink the text (a model that writes more than
                    # it reads): summarise the part that fits in one input instead of looping.
                    plans[i] = spans[:1]
                previous_size[i] = len(current[i])
            jobs: list[tuple[int, str, int]] = []  # (article, chunk text, max new tokens)
            for i, spans in plans.items():
                budget = final_tokens if len(spans) == 1 else self.max_new_tokens
                jobs.extend((i, self._model_text(current[i][s:e]), budget) for s, e in spans)
            outputs = self._generate([j[1] for j in jobs], [j[2] for j in jobs])
            by_article: dict[int, list[str]] = {}
            for (i, _, _), out in zip(jobs, outputs):
                by_article.setdefault(i, []).append(out)
            next_round = {}
            for i, outs in by_article.items():
                if len(outs) == 1:
                    results[i] = outs[0]
                else:
                    joined = "\n".join(o for o in outs if o)
                    if joined:
                        next_round[i] = joined
            current = next_round
        return results

    # ------------------------------------------------------------------ forward
    def _generate(self, texts: list[str], max_new: list[int]) -> list[str]:
        """Generate one summary per text; batches of similar length, results in input order."""
        if not texts:
            return []
        encoded = self.tokenizer(texts, truncation=True, max_length=self.max_input_tokens)["input_ids"]
        # Same budget together, then longest first: padding is small and an out-of-memory error
        # shows on the first batch rather than the last.
        order = sorted(range(len(texts)), key=lambda i: (max_new[i], -len(encoded[i])))
        results: list[str] = [""] * len(texts)
        pos = 0
        while pos < len(order):
            batch = [order[pos]]
            pos += 1
            while pos < len(order) and len(batch) < self.batch_size and max_new[order[pos]] == max_new[batch[0]]:
                batch.append(order[pos])
                pos += 1
            padded = self.tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt")
            output_ids = self._forward(padded["input_ids"], padded["attention_mask"], max_new[batch[0]])
            decoded = self.tokenizer.batch_decode(output_ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)
            for i, text in zip(batch, decoded):
                results[i] = _despace(text, wordpiece=self._wordpiece)
        return results

    def _forward(self, input_ids, attention_mask, max_new_tokens: int):
        """The only step on the device: ``generate`` under ``torch.inference_mode()``."""
        import torch

        with self._lock, torch.inference_mode():
            # token_type_ids never reach generate: BART-Chinese's BertTokenizer makes them and
            # BART's forward() rejects them.
            out = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=attention_mask.to(self.device),
                max_new_tokens=max_new_tokens,
                num_beams=self.num_beams,
                **self.generate_kwargs,
            )
        return out.cpu()


# ---------------------------------------------------------------------------- argument checks
def _unknown_options_message(unknown: Mapping[str, Any]) -> str:
    parts = []
    for name in sorted(unknown):
        close = difflib.get_close_matches(name, _VALID_OPTIONS, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return (
        f"AbstractiveSummarizer() got unknown option(s) {', '.join(parts)}; valid options are "
        f"{', '.join(_VALID_OPTIONS)}"
    )
