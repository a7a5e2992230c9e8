"""Where shipped models live: inside the installed package, or at the repository root."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import ModelNotFoundError

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
