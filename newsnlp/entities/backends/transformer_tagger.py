"""A transformers token-classification back-end for entity extraction.

:class:`TransformersNER` runs any ``AutoModelForTokenClassification`` model (a CLUENER-finetuned
BERT, an MSRA-finetuned RoBERTa, ...) with the same ``predict(texts) -> list[list[NERSpan]]``
interface as the shipped :class:`~newsnlp.entities.backends.bilstm_crf.NERTagger`, so
:class:`~newsnlp.entities.EntityExtractor` applies its news rules on top of either.

The model's label names are mapped onto newsnlp's PERSON / ORG (+ subtype) / TITLE / LOC with
:data:`LABEL_TYPES` (see docs/entities.md); types with no counterpart (CLUENER's book, game,
movie, scene) are dropped. Texts longer than the model's window are read in overlapping
windows (``stride`` tokens of overlap); each token keeps the prediction of the window where it
has the most context, and every offset indexes the text given.

torch and transformers are imported only when a model is built. Nothing is downloaded unless
``local_files_only=False``.
"""

from __future__ import annotations

import os
import re
from typing import Any, Mapping, Sequence

from ...resources import ModelWords, resolve_model_dir
from ...errors import ModelLoadError
from ...types import NERSpan
from .features import check_texts

__all__ = ["TransformersNER", "LABEL_TYPES", "parse_label", "map_entity_type"]

#: Entity type names used by common Chinese NER datasets -> (newsnlp label, ORG subtype).
#: Keys are compared case-insensitively; ``None`` drops the type.
LABEL_TYPES: dict[str, tuple[str, str | None] | None] = {
    # CLUENER2020
    "name": ("PERSON", None),
    "position": ("TITLE", None),
    "company": ("ORG", "company"),
    "government": ("ORG", "gov"),
    "organization": ("ORG", "organisation"),
    "organisation": ("ORG", "organisation"),
    "address": ("LOC", None),
    "book": None,
    "game": None,
    "movie": None,
    "scene": None,
    # MSRA, People's Daily, OntoNotes, WikiANN
    "per": ("PERSON", None),
    "person": ("PERSON", None),
    "nr": ("PERSON", None),
    "org": ("ORG", None),
    "nt": ("ORG", None),
    "loc": ("LOC", None),
    "location": ("LOC", None),
    "gpe": ("LOC", None),
    "ns": ("LOC", None),
    # Resume NER
    "title": ("TITLE", None),
    "cont": None,
    "edu": None,
    "pro": None,
    "race": None,
}

_PREFIXES = {"B", "I", "E", "S", "M", "L", "U"}
_DEFAULT_STRIDE = 64
_DEFAULT_MAX_LENGTH = 512


def parse_label(label: str) -> tuple[str, str]:
    """Split a tag into its position prefix and entity type.

    Args:
        label: a model label such as ``"B-name"``, ``"I_company"``, ``"S-position"``, ``"O"``,
            or a bare type (``"PER"``), which reads as inside an entity.

    Returns:
        ``(prefix, type)``; the prefix is one of B I E S (M reads as I, L as E, U as S) or
        ``"O"`` with an empty type.

    Example:
        >>> parse_label("S-position")
        ('S', 'position')
    """
    label = label.strip()
    if label in ("", "O", "o"):
        return "O", ""
    m = re.match(r"^([A-Za-z])[-_](.+)$", label)
    if m and m.group(1).upper() in _PREFIXES:
        prefix = {"M": "I", "L": "E", "U": "S"}.get(m.group(1).upper(), m.group(1).upper())
        return prefix, m.group(2)
    return "I", label


def map_entity_type(
    entity_type: str, extra: Mapping[str, tuple[str, str | None] | None] | None = None
) -> tuple[str, str | None] | None:
    """Map a model's entity type onto ``(label, subtype)``, or ``None`` to drop it.

    Args:
        entity_type: the type part of a label (``"company"``, ``"PER"``).
        extra: your own entries, consulted first (same form as :data:`LABEL_TYPES`).

    Returns:
        ``("ORG", "company")``, ``("PERSON", None)``, ... or ``None``.

    Example:
        >>> map_entity_type("government")
        ('ORG', 'gov')
    """
    for table in (extra or {}, LABEL_TYPES):
        for key in (entity_type, entity_type.lower()):
            if key in table:
                return table[key]
    lowered = {k.lower(): v for k, v in (extra or {}).items()}
    return lowered.get(entity_type.lower())


# The phrases this module's "model not found" messages use (the lookup itself is in _hub).
_NER_MODEL_WORDS = ModelWords(
    local_noun="NER model",
    hub_noun="NER model",
    empty_fix="a hub id of a token-classification model",
    holds="config.json, the weights and the tokenizer",
    example_id="'org/bert-base-chinese-cluener'",
    download_writes="what",
    file_shows_path=False,
    explain_invalid_id=False,
    legacy_cli_hint=False,
    online_fix="to let transformers download it",
)


class TransformersNER:
    """Entity spans from a transformers token-classification model, offline by default.

    Args:
        model: a local directory or a hub id (looked up in the local cache unless
            ``local_files_only=False``).
        device: ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda:N"``, ``"mps"``.
        local_files_only: never download (default).
        stride: tokens of overlap between consecutive windows of a long text (default: 64,
            or a quarter of the window when that is smaller); at most half the window.
        max_length: tokens per window, special tokens included (capped by the model).
        batch_size: windows run through the model together.
        label_map: your own ``{entity type: (label, subtype) or None}`` entries, consulted
            before :data:`LABEL_TYPES`.

    Raises:
        ModelNotFoundError: the model is not available offline; the message says what was
            tried and how to fix it.
        ModelLoadError: the files are there but are not a usable token-classification model
            (no fast tokenizer, or no label the table can map).
        ValueError: ``stride`` / ``max_length`` / ``batch_size`` out of range.

    Example:
        >>> ner = TransformersNER("/models/bert-base-chinese-cluener")  # doctest: +SKIP
        >>> [(s.text, s.label) for s in ner.predict(["宁波市总工会主席李谦讲话。"])[0]]  # doctest: +SKIP
        [('宁波市总工会', 'ORG'), ('主席', 'TITLE'), ('李谦', 'PERSON')]
    """

    def __init__(
        self,
        model: str | os.PathLike,
        *,
        device: str = "auto",
        local_files_only: bool = True,
        stride: int | None = None,
        max_length: int = _DEFAULT_MAX_LENGTH,
        batch_size: int = 16,
        label_map: Mapping[str, tuple[str, str | None] | None] | None = None,
    ) -> None:
        if not isinstance(local_files_only, bool):
            raise TypeError(f"local_files_only must be True or False, got {local_files_only!r}")
        checks = [("max_length", max_length, 8), ("batch_size", batch_size, 1)]
        if stride is not None:
            checks.append(("stride", stride, 0))
        for name, value, low in checks:
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
        where = str(resolve_model_dir(model, local_files_only=local_files_only, words=_NER_MODEL_WORDS))
        from ...device import resolve_device

        self.device = resolve_device(device)
        self.model_name = str(model)
        self.label_map = dict(label_map or {})
        try:
            from transformers import AutoModelForTokenClassification, AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True)
            network = AutoModelForTokenClassification.from_pretrained(where, local_files_only=True)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ModelLoadError(
                f"could not load {str(model)!r} as a token-classification model ({type(exc).__name__}: {exc}); "
                "pass a directory holding config.json, the weights and the tokenizer files of a model "
                "fine-tuned for NER (AutoModelForTokenClassification)"
            ) from exc
        if not getattr(tokenizer, "is_fast", False):
            raise ModelLoadError(
                f"the tokenizer of {str(model)!r} is a slow (Python) tokenizer; character offsets need a fast one. "
                "Add a tokenizer.json (e.g. save the model's tokenizer with a recent transformers) and retry"
            )
        self.tokenizer = tokenizer
        self.network = network.to(self.device).eval()
        limit = min(
            max_length,
            int(getattr(network.config, "max_position_embeddings", max_length) or max_length),
            int(getattr(tokenizer, "model_max_length", max_length) or max_length),
        )
        self.max_length = limit
        specials = tokenizer.num_special_tokens_to_add(pair=False)
        content = limit - specials
        if stride is None:
            stride = min(_DEFAULT_STRIDE, content // 4)
        elif stride > content // 2:
            raise ValueError(
                f"stride must be at most half the window ({limit} tokens, {specials} of them special), "
                f"got {stride}; pass stride <= {content // 2} or a larger max_length"
            )
        self.stride = stride
        self.batch_size = batch_size
        id2label = {int(k): str(v) for k, v in (network.config.id2label or {}).items()}
        self.tags: dict[int, tuple[str, tuple[str, str | None] | None]] = {}
        for index, label in id2label.items():
            prefix, entity_type = parse_label(label)
            target = map_entity_type(entity_type, self.label_map) if prefix != "O" else None
            self.tags[index] = (prefix if target is not None else "O", target)
        if not any(target for _, target in self.tags.values()):
            raise ModelLoadError(
                f"none of the labels of {str(model)!r} ({', '.join(sorted(set(id2label.values()))[:12])}) maps onto "
                f"PERSON/ORG/TITLE/LOC; known entity types: {', '.join(sorted(k for k, v in LABEL_TYPES.items() if v))}. "
                "Pass label_map={'your_type': ('ORG', None), ...}"
            )

    # ------------------------------------------------------------------ pipeline
    def predict(self, texts: Sequence[str], batch_size: int | None = None) -> list[list[NERSpan]]:
        """Find entities in each text.

        Args:
            texts: the texts; an empty text gives ``[]``.
            batch_size: windows per forward pass (default: the one given at construction).

        Returns:
            One list of :class:`~newsnlp.types.NERSpan` per text, sorted by offset;
            ``text[span.start:span.end] == span.text``.

        Raises:
            TypeError: ``texts`` is one string or holds something other than strings.

        Example:
            >>> ner.predict(["宁波市总工会主席李谦讲话。"])[0][-1].text  # doctest: +SKIP
            '李谦'
        """
        texts = check_texts(texts)
        size = self.batch_size if batch_size is None else batch_size
        if not isinstance(size, int) or size < 1:
            raise ValueError(f"batch_size must be a positive int, got {size!r}")
        windows = self._preprocess(texts)
        tags = self._forward(windows, size)
        per_text: list[list[tuple[dict[str, Any], list[int]]]] = [[] for _ in texts]
        for window, tag_ids in zip(windows, tags):
            per_text[window["text"]].append((window, tag_ids))
        return [self._postprocess(text, per_text[i]) for i, text in enumerate(texts)]

    def _preprocess(self, texts: list[str]) -> list[dict[str, Any]]:
        """Tokenise every text into overlapping windows with character offsets."""
        windows: list[dict[str, Any]] = []
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            enc = self.tokenizer(
                text,
                truncation=True,
                max_length=self.max_length,
                stride=self.stride,
                return_overflowing_tokens=True,
                return_offsets_mapping=True,
                return_special_tokens_mask=True,
            )
            for w in range(len(enc["input_ids"])):
                windows.append(
                    {
                        "text": index,
                        "input_ids": enc["input_ids"][w],
                        "attention_mask": enc["attention_mask"][w],
                        "offsets": enc["offset_mapping"][w],
                        "special": enc["special_tokens_mask"][w],
                    }
                )
        return windows

    def _forward(self, windows: list[dict[str, Any]], batch_size: int) -> list[list[int]]:
        """Best tag id per token of every window; the only step that touches the device."""
        import torch

        out: list[list[int]] = [[] for _ in windows]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]["input_ids"]))
        pad_id = self.tokenizer.pad_token_id or 0
        with torch.inference_mode():
            for first in range(0, len(order), batch_size):
                chunk = order[first : first + batch_size]
                length = max(len(windows[i]["input_ids"]) for i in chunk)
                ids = torch.full((len(chunk), length), pad_id, dtype=torch.long)
                mask = torch.zeros((len(chunk), length), dtype=torch.long)
                for row, i in enumerate(chunk):
                    n = len(windows[i]["input_ids"])
                    ids[row, :n] = torch.tensor(windows[i]["input_ids"])
                    mask[row, :n] = 1
                logits = self.network(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
                best = logits.argmax(-1).cpu().tolist()
                for row, i in enumerate(chunk):
                    out[i] = best[row][: len(windows[i]["input_ids"])]
        return out

    def _postprocess(self, text: str, windows: list[tuple[dict[str, Any], list[int]]]) -> list[NERSpan]:
        """Merge the windows of one text and decode BIO/BIOES tags into spans."""
        # For each token (keyed by its character span) keep the prediction made with the most
        # context on both sides: overlapping windows disagree most near their edges.
        best: dict[tuple[int, int], tuple[int, int]] = {}
        for window, tag_ids in windows:
            content = [j for j, special in enumerate(window["special"]) if not special]
            if not content:
                continue
            lo, hi = content[0], content[-1]
            for j in content:
                start, end = window["offsets"][j]
                if end <= start:
                    continue
                margin = min(j - lo, hi - j)
                key = (int(start), int(end))
                if key not in best or margin > best[key][0]:
                    best[key] = (margin, tag_ids[j])
        tokens = sorted((start, end, tag) for (start, end), (_, tag) in best.items())
        spans: list[NERSpan] = []
        current: list[Any] | None = None  # [start, end, target]

        def close() -> None:
            nonlocal current
            if current is not None:
                start, end, target = current
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    spans.append(NERSpan(start, end, target[0], target[1], text[start:end]))
            current = None

        for start, end, tag in tokens:
            prefix, target = self.tags.get(tag, ("O", None))
            if prefix == "O" or target is None:
                close()
                continue
            if prefix in ("B", "S") or current is None or current[2] != target:
                close()
                current = [start, end, target]
            else:
                current[1] = end
            if prefix in ("S", "E"):
                close()
        close()
        return spans
