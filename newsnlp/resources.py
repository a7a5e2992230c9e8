"""The one model resolver: shipped models, and a transformers model's directory.

Shipped models live inside the installed package (``newsnlp/models``) or, in a checkout, in
``models/`` beside the package: :func:`models_dir`, :func:`model_path`.

A transformers model is found by :func:`resolve_model_dir`: a local path first, then the hub
cache, then the hub. Shared by the back-ends that load Hugging Face models
(:mod:`newsnlp.summarization.abstractive`, :mod:`newsnlp.entities.backends.transformer_tagger`). The logic lives here; each caller passes a :class:`ModelWords`
with the phrases its error messages use, so its messages stay its own. ``huggingface_hub`` is
imported only when a hub id has to be looked up.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelNotFoundError

# Weights in formats transformers' PyTorch loader cannot use are not worth fetching.
IGNORE_PATTERNS = ["*.h5", "*.msgpack", "*.ot", "*.onnx", "*.tflite", "tf_model*", "flax_model*", "rust_model*"]


@dataclass(frozen=True)
class ModelWords:
    """The phrases one caller's "model not found" messages use.

    Attributes:
        local_noun: names the model in the messages about a local path ("model", "NER model").
        hub_noun: names the model in the messages about the hub ("summary model", "NER model").
        empty_fix: ends "model is empty; pass a model directory or ...".
        holds: what an existing model directory must hold, in the "does not exist" message.
        example_id: a hub id to show, quoted, e.g. "'fnlp/bart-base-chinese'".
        download_writes: "the one" or "what", before "`hf download ID --local-dir DIR` writes".
        file_shows_path: whether the "is a file" message also shows the expanded path.
        explain_invalid_id: whether a string that is no valid hub id gets its own message
            (otherwise it is reported like any id that could not be found).
        legacy_cli_hint: whether the fix also gives the ``huggingface-cli`` command.
        online_fix: ends "or pass local_files_only=False ...".
    """

    local_noun: str
    hub_noun: str
    empty_fix: str
    holds: str
    example_id: str
    download_writes: str
    file_shows_path: bool
    explain_invalid_id: bool
    legacy_cli_hint: bool
    online_fix: str


def looks_like_path(text: str) -> bool:
    """True when ``text`` cannot be a hub id ("org/name" or "name") and must be a path."""
    return (
        text.startswith(("/", "./", "../", "~", ".\\", "..\\"))
        or "\\" in text
        or text.count("/") > 1
        or bool(re.match(r"^[A-Za-z]:[\\/]", text))
        or text in (".", "..")
    )


def download_hint(model_id: str, words: ModelWords) -> str:
    """How to get ``model_id`` onto an offline machine, or let newsnlp fetch it."""
    local = "/models/" + model_id.split("/")[-1]
    legacy = (
        f" (huggingface_hub < 1.0: `huggingface-cli download {model_id} --local-dir {local}`)" if words.legacy_cli_hint else ""
    )
    return (
        f"on a machine with network run `hf download {model_id} --local-dir {local}`{legacy}, copy {local} here "
        f"and pass model={local!r}; or pass local_files_only=False {words.online_fix}"
    )


def resolve_model_dir(model: Any, *, local_files_only: bool, words: ModelWords) -> Path:
    """Find the model's directory: a local path first, then the hub cache, then the hub if allowed.

    Args:
        model: a directory (str or PathLike) or a hub id ("org/name"); a PathLike is always a path.
        local_files_only: when True the hub is not contacted; only its local cache is read.
        words: the phrases the caller's error messages use.

    Returns:
        The directory holding config.json and the weights.

    Raises:
        TypeError: ``model`` is neither a str nor a PathLike.
        ValueError: ``model`` is empty.
        ModelNotFoundError: nothing usable was found; the message says what was tried and the fix.
    """
    if isinstance(model, os.PathLike):
        text, explicit_path = os.fspath(model), True
    elif isinstance(model, str):
        text, explicit_path = model.strip(), False
    else:
        raise TypeError(f"model must be a directory path or a hub id (str or PathLike), not {type(model).__name__}")
    if not text:
        raise ValueError(f"model is empty; pass a model directory or {words.empty_fix}")
    path = Path(text).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(
                f"{words.local_noun} directory {path} has no config.json; pass the directory that holds config.json, "
                f"the weights and the tokenizer files ({words.download_writes} `hf download ID --local-dir DIR` writes)"
            )
        return path
    if path.exists():
        shown = f" ({path})" if words.file_shows_path else ""
        raise ModelNotFoundError(
            f"{words.local_noun} {text!r} is a file{shown}; pass the directory that holds config.json and the weights"
        )
    if explicit_path or looks_like_path(text):
        raise ModelNotFoundError(
            f"{words.local_noun} directory {path.resolve()} does not exist; pass an existing directory holding "
            f"{words.holds}, or a hub id such as {words.example_id}"
        )
    from huggingface_hub import constants, snapshot_download

    try:
        snapshot = snapshot_download(text, local_files_only=local_files_only, ignore_patterns=IGNORE_PATTERNS)
    except Exception as exc:  # LocalEntryNotFoundError, HFValidationError, network and auth errors
        if words.explain_invalid_id and type(exc).__name__ == "HFValidationError":
            raise ModelNotFoundError(
                f"{words.hub_noun} {text!r} is neither an existing directory (checked {path.resolve()}) nor a valid "
                "hub id ('org/name', letters, digits, '-', '_', '.'); pass the model directory or its hub id"
            ) from exc
        tried = (
            f"a local directory {path.resolve()} (not there), then the Hugging Face cache {constants.HF_HUB_CACHE} "
            f"with local_files_only={local_files_only}"
        )
        if local_files_only:
            what = f"{words.hub_noun} {text!r} is not available offline"
        else:
            what = f"{words.hub_noun} {text!r} could not be found or downloaded ({type(exc).__name__}: {exc})"
        raise ModelNotFoundError(f"{what}. Tried {tried}. Fix: {download_hint(text, words)}.") from exc
    return Path(snapshot)


# -- shipped models ---------------------------------------------------------------------------

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def models_dir() -> Path:
    """Return the directory holding the shipped models.

    A regular install carries them as ``newsnlp/models``; a source checkout (or an
    editable install) has them in ``models/`` beside the package.
    """
    for candidate in (_PACKAGE_DIR / "models", _PACKAGE_DIR.parent / "models"):
        if candidate.is_dir():
            return candidate
    raise ModelNotFoundError(
        f"newsnlp's shipped models were not found in {_PACKAGE_DIR / 'models'} or "
        f"{_PACKAGE_DIR.parent / 'models'}; reinstall newsnlp with `pip install newsnlp` "
        "(the wheel carries them) or run from a full checkout of the repository."
    )


def model_path(name: str) -> Path:
    """Return ``models_dir() / name``, raising a clear error when it is missing."""
    path = models_dir() / name
    if not path.exists():
        raise ModelNotFoundError(
            f"shipped model {name!r} is missing: looked for {path}. Rebuild it with the "
            f"command in models/{name}/MODEL_CARD.md or reinstall newsnlp."
        )
    return path
