"""Writing a run's results back into each post's YAML front matter (see :mod:`newsnlp.frontmatter`)."""

from __future__ import annotations

from typing import Any, Mapping

__all__ = ["front_matter_values", "without_path"]


def front_matter_values(record: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    """The values a record gives each front-matter key of ``fields`` (what -> key)."""
    ents = record.get("entities") or {}
    values: dict[str, Any] = {}
    for what, key in fields.items():
        if what == "summary":
            value: Any = record.get("summary") or ""
        elif what == "keywords":
            value = [k["text"] if isinstance(k, dict) else str(k) for k in record.get("keywords") or []]
        elif what == "tags":
            value = list(record.get("tags") or [])
        elif what == "officials":
            value = [
                {k: o[k] for k in ("name", "title", "organisation") if o.get(k)} for o in ents.get("officials", [])
            ]
        else:
            value = [e["name"] for e in ents.get(what, [])]
        values[key] = value
    return values


def without_path(reason: str, path: str | None) -> str:
    """``reason`` without a leading ``"<path>: "`` (readers name the file they read in their errors)."""
    if path and reason.startswith(f"{path}: "):
        return reason[len(path) + 2:]
    return reason
