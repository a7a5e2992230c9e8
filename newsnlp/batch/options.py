"""The options of one archive run: defaults, the front-matter field map, where the outputs go."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence, TextIO

from .._util import check_positive_int

__all__ = ["OutputFormat", "Engine", "DEFAULT_MAX_CHARS", "DEFAULT_FIELDS", "FIELD_CHOICES", "RunOptions",
           "parse_fields", "default_output", "check_ray_options"]

OutputFormat = Literal["jsonl", "parquet", "csv"]
Engine = Literal["local", "ray"]

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


def check_ray_options(actors: int | None, cpus_per_actor: float) -> None:
    """Raise ``ValueError`` for a bad ``actors`` or ``cpus_per_actor`` (the Ray engine's options)."""
    if actors is not None and (not isinstance(actors, int) or isinstance(actors, bool) or actors < 1):
        raise ValueError(f"actors must be a positive int, got {actors!r} (--actors)")
    if isinstance(cpus_per_actor, bool) or not isinstance(cpus_per_actor, (int, float)) or cpus_per_actor <= 0:
        raise ValueError(f"cpus_per_actor must be a positive number, got {cpus_per_actor!r} (--cpus-per-actor)")


def default_output(archive: Path, fmt: OutputFormat) -> Path:
    """``./<archive name>.tags.<fmt>`` in the current folder."""
    name = archive.resolve().name or "archive"
    return Path.cwd() / f"{name}.tags.{fmt}"


@dataclass(frozen=True)
class RunOptions:
    """Everything one :func:`~newsnlp.batch.tag_archive` run was asked to do, checked, with the output paths worked out.

    Build it with :meth:`from_arguments` (the arguments of ``tag_archive``); the fields are
    the same options, resolved: ``fields`` parsed, ``write_front_matter`` implied by
    ``dry_run``, ``workers`` defaulted to the cores, ``diff_out`` to stdout.
    """

    archive: Path
    target: Path  # the output the user named (or its default)
    journal: Path  # the JSONL the records are appended to: target itself, or <target>.jsonl beside it
    errors: Path
    format: OutputFormat
    workers: int
    batch_size: int
    analyzer: Any
    write_front_matter: bool
    dry_run: bool
    fields: Mapping[str, str]
    force: bool
    refresh_stale: bool
    prune: bool
    max_chars: int
    progress: bool
    keys: tuple[str, str, str]  # text_key, title_key, id_key
    split: str | None
    diff_out: TextIO
    follow_links: bool
    overwrite: bool
    engine: Engine
    address: str | None
    actors: int | None
    cpus_per_actor: float

    @classmethod
    def from_arguments(cls, arguments: Mapping[str, Any]) -> "RunOptions":
        """Check :func:`~newsnlp.batch.tag_archive`'s arguments (every one, by name) and resolve them; touches no file.

        Raises:
            ValueError: an unknown format, field or engine, a non-positive count.
        """
        a = dict(arguments)
        archive, output, format, workers = Path(a.pop("archive")), a.pop("output"), a.pop("format"), a.pop("workers")
        batch_size, max_chars, dry_run, engine = a.pop("batch_size"), a.pop("max_chars"), a.pop("dry_run"), a.pop("engine")
        actors, cpus_per_actor, diff_out = a.pop("actors"), a.pop("cpus_per_actor"), a.pop("diff_out")
        if format is None:
            suffix = Path(output).suffix.lower().lstrip(".") if output is not None else ""
            format = suffix if suffix in ("parquet", "csv") else "jsonl"  # type: ignore[assignment]
        if format not in ("jsonl", "parquet", "csv"):
            raise ValueError(f"format must be 'jsonl', 'parquet' or 'csv', got {format!r}")
        if workers is None:
            workers = os.cpu_count() or 1
        for name, value in (("workers", workers), ("batch_size", batch_size), ("max_chars", max_chars)):
            check_positive_int(name, value)
        field_map = parse_fields(a.pop("fields"))
        if engine not in ("local", "ray"):
            raise ValueError(f"engine must be 'local' or 'ray', got {engine!r}")
        if engine == "ray":
            check_ray_options(actors, cpus_per_actor)
        target = Path(output) if output is not None else default_output(archive, format)
        journal = target if format == "jsonl" else target.with_name(target.name + ".jsonl")
        errors = a.pop("errors")
        errors_path = Path(errors) if errors is not None else journal.with_name(
            (journal.name[: -len(".jsonl")] if journal.name.endswith(".jsonl") else journal.name) + ".errors.jsonl"
        )
        keys = (a.pop("text_key"), a.pop("title_key"), a.pop("id_key"))
        write_front_matter = a.pop("write_front_matter") or dry_run
        return cls(
            archive=archive, target=target, journal=journal, errors=errors_path, format=format, workers=workers,
            batch_size=batch_size, write_front_matter=write_front_matter, dry_run=dry_run, fields=field_map,
            max_chars=max_chars, keys=keys, diff_out=diff_out if diff_out is not None else sys.stdout,
            engine=engine, actors=actors, cpus_per_actor=cpus_per_actor,
            **a,  # the others as given: analyzer, force, refresh_stale, prune, progress, split, follow_links, overwrite, address
        )
