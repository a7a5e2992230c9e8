"""The final Parquet or CSV file, written from the JSONL journal at the end of a run (atomically)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from .._util import copy_owner_and_mode, mkstemp_beside
from .journal import read_results
from .options import OutputFormat

__all__ = ["parquet_schema", "arrow_versions", "export", "CSV_COLUMNS"]

# One column a field; lists and mappings are JSON text.
CSV_COLUMNS = ["id", "path", "title", "date", "summary", "tags", "keywords", "organisations", "officials",
               "programmes", "persons", "places", "content_hash", "versions"]


def parquet_schema():
    """The ``pyarrow`` schema of ``--format parquet`` (and of the Ray engine's dataset of records)."""
    import pyarrow as pa

    span = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    entity = pa.struct([("name", pa.string()), ("subtype", pa.string()), ("mentions", pa.list_(span))])
    official = pa.struct([
        ("name", pa.string()), ("title", pa.string()), ("organisation", pa.string()), ("mentions", pa.list_(span)),
    ])
    entities = pa.struct([
        ("organisations", pa.list_(entity)), ("officials", pa.list_(official)), ("programmes", pa.list_(entity)),
        ("persons", pa.list_(entity)), ("places", pa.list_(entity)),
    ])
    return pa.schema([
        ("id", pa.string()), ("path", pa.string()), ("title", pa.string()), ("date", pa.string()),
        ("summary", pa.string()), ("tags", pa.list_(pa.string())),
        ("keywords", pa.list_(pa.struct([("text", pa.string()), ("score", pa.float64())]))),
        ("entities", entities), ("content_hash", pa.string()), ("written_hash", pa.string()),
        ("versions", pa.map_(pa.string(), pa.string())), ("warnings", pa.list_(pa.string())),
    ])


def arrow_versions(versions: Mapping[str, Any]) -> dict[str, str]:
    """``versions`` for the ``map<string, string>`` column: a nested value (the ``config`` entry
    of a non-default :class:`~newsnlp.config.AnalyzerConfig`) becomes its canonical JSON text.

    Example:
        >>> arrow_versions({"newsnlp": "0.1.0", "config": {"keywords": {"top_k": 3}}})["config"]
        '{"keywords":{"top_k":3}}'
    """
    import json

    return {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            for k, v in versions.items()}


def export(jsonl: Path, target: Path, fmt: OutputFormat) -> None:
    """Write the final Parquet/CSV file from the JSONL journal, atomically (temp file + rename)."""
    fd, tmp = mkstemp_beside(target)
    os.close(fd)
    try:
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = parquet_schema()
            with pq.ParquetWriter(tmp, schema) as writer:
                rows: list[dict] = []
                for rec in read_results(jsonl):
                    rows.append({**rec, "versions": arrow_versions(rec.get("versions") or {})})
                    if len(rows) >= 2000:
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                        rows = []
                if rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        else:
            import csv

            # utf-8-sig: spreadsheet programs then open Chinese text correctly.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(CSV_COLUMNS)
                for rec in read_results(jsonl):
                    ents = rec.get("entities") or {}
                    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
                    writer.writerow([
                        rec.get("id"), rec.get("path") or "", rec.get("title") or "", rec.get("date") or "",
                        rec.get("summary") or "", dump(rec.get("tags") or []),
                        dump([k["text"] for k in rec.get("keywords") or []]),
                        dump([e["name"] for e in ents.get("organisations", [])]),
                        dump([{k: o.get(k) for k in ("name", "title", "organisation")} for o in ents.get("officials", [])]),
                        dump([e["name"] for e in ents.get("programmes", [])]),
                        dump([e["name"] for e in ents.get("persons", [])]),
                        dump([e["name"] for e in ents.get("places", [])]),
                        rec.get("content_hash"), dump(rec.get("versions") or {}),
                    ])
        copy_owner_and_mode(tmp, target if target.exists() else None)
        os.replace(tmp, target)
        tmp = None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
