"""The options of one archive run: defaults, the front-matter field map, where the outputs go."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Mapping, Sequence

__all__ = ["OutputFormat", "DEFAULT_MAX_CHARS", "DEFAULT_FIELDS", "FIELD_CHOICES", "parse_fields", "default_output"]

OutputFormat = Literal["jsonl", "parquet", "csv"]

DEFAULT_MAX_CHARS = 200_000
"""Posts longer than this (characters of the decoded file) are reported as too long."""

# What can be written back into front matter -> the default key it is written under.
DEFAULT_FIELDS: dict[str, str] = {
    "summary": "summary",
    "keywords": "keywords",
    "organisations": "organisations",
    "officials": "officials",
    "programmes": "programmes",
}
FIELD_CHOICES = ("summary", "keywords", "tags", "organisations", "officials", "programmes", "persons", "places")


def parse_fields(spec: str | Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    """Parse ``"summary=abstract,keywords"`` into ``{"summary": "abstract", "keywords": "keywords"}``.

    Raises:
        ValueError: an unknown field, or a key that is not a plain name.

    Example:
        >>> parse_fields("summary=abstract,keywords")
        {'summary': 'abstract', 'keywords': 'keywords'}
    """
    if spec is None:
        return dict(DEFAULT_FIELDS)
    if isinstance(spec, Mapping):
        pairs = list(spec.items())
    else:
        items = spec.split(",") if isinstance(spec, str) else list(spec)
        pairs = []
        for item in items:
            item = item.strip()
            if not item:
                continue
            what, _, key = item.partition("=")
            pairs.append((what.strip(), (key or what).strip()))

    out: dict[str, str] = {}
    for what, key in pairs:
        if what not in FIELD_CHOICES:
            raise ValueError(
                f"unknown field {what!r} in --fields; valid fields: {', '.join(FIELD_CHOICES)} "
                "(e.g. --fields summary=abstract,keywords)"
            )
        if not re.fullmatch(r"[^\W\d][\w-]*", key):
            raise ValueError(f"front-matter key {key!r} for {what!r} is not a plain name; use letters, digits, '_' or '-'")
        out[what] = key
    if not out:
        raise ValueError("--fields names no field; give at least one, e.g. --fields summary")
    return out


def default_output(archive: Path, fmt: OutputFormat) -> Path:
    """``./<archive name>.tags.<fmt>`` in the current folder."""
    name = archive.resolve().name or "archive"
    return Path.cwd() / f"{name}.tags.{fmt}"
