"""Analyse a whole archive: parallel, streaming, resumable, and never losing a post.

:func:`tag_archive` reads a directory of posts (recursively), a JSONL or Parquet file or a
``datasets`` dataset saved on disk, analyses every article in worker processes that each
load the models once, and appends one JSON record per article to a JSONL file, flushed line
by line. Re-running skips articles whose content hash is already in the output with a record
made by the same model versions (see :func:`model_versions`); an unchanged article whose record
was made by other versions -- after an upgrade of newsnlp or a model -- is analysed again
unless ``refresh_stale=False``. A run killed at any point is continued by the next one.
With ``prune=True`` a finished run also drops the records of articles no longer in the archive.
Articles that cannot be analysed go to an errors file and the run goes on. Optionally the
results are written back into each post's front matter (see :mod:`newsnlp.frontmatter`).

The modules, one job each:

- :mod:`~newsnlp.batch.options`: defaults, the ``--fields`` map, where outputs go;
- :mod:`~newsnlp.batch.sources`: reading the archive (posts, JSONL, Parquet, saved datasets);
- :mod:`~newsnlp.batch.plan`: skip / analyse / refresh / keep / prune decisions (pure);
- :mod:`~newsnlp.batch.journal`: the results JSONL, :func:`read_results`, compaction, the errors file;
- :mod:`~newsnlp.batch.versions`: :func:`model_versions`, stamped on every record;
- :mod:`~newsnlp.batch.workers`: the analyzer in each worker, the per-article job, the pool;
- :mod:`~newsnlp.batch.writeback`: results into front matter;
- :mod:`~newsnlp.batch.export`: the Parquet/CSV file;
- :mod:`~newsnlp.batch.datasets`: functions for ``datasets.Dataset.map``;
- :mod:`~newsnlp.batch.run`: :func:`tag_archive` itself; :mod:`~newsnlp.batch.ray`: the Ray engine.

The ``newsnlp tag`` command is :mod:`newsnlp.cli.tag`; :func:`parallel_map` (behind
``Analyzer.pipe(n_process=...)``) is :mod:`newsnlp.parallel`'s, re-exported here.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..parallel import parallel_map
from .datasets import DatasetMapper, make_dataset_mapper, map_batch
from .journal import read_results
from .options import DEFAULT_FIELDS, DEFAULT_MAX_CHARS, parse_fields
from .run import TagInterrupted, TagReport, tag_archive
from .versions import model_versions

__all__ = [
    "tag_archive",
    "TagReport",
    "TagInterrupted",
    "parallel_map",
    "make_dataset_mapper",
    "DatasetMapper",
    "map_batch",
    "read_results",
    "model_versions",
    "parse_fields",
    "DEFAULT_FIELDS",
    "DEFAULT_MAX_CHARS",
]


# The names this module held before it became a package (0.1), for one release: old name ->
# "module:new name" (a module of this package, or a full module path). ``register_cli`` (the
# ``newsnlp tag`` parser) is the command's now: newsnlp.cli.tag, a layer above this package.
_MOVED = {
    "register_cli": "newsnlp.cli.tag:register_cli",
    "_analyzer_spec": "workers:analyzer_spec",
    "_build_analyzer": "workers:build_analyzer",
    "_init_worker": "workers:init_worker",
    "_work_chunk": "workers:work_chunk",
    "_Job": "workers:Job",
    "_job_of": "workers:job_of",
    "_failure": "workers:failure",
    "_run_pool": "workers:run_pool",
    "_Source": "sources:Source",
    "_open_archive": "sources:open_archive",
    "_record_hash": "sources:record_hash",
    "_read_index": "journal:read_index",
    "_compact": "journal:compact",
    "_Known": "plan:Known",
    "_versions_digest": "plan:versions_digest",
    "_parquet_schema": "export:parquet_schema",
    "_export": "export:export",
    "_front_matter_values": "writeback:front_matter_values",
    "_FIELD_CHOICES": "options:FIELD_CHOICES",
    "_MAPPER_FIELDS": "datasets:MAPPER_FIELDS",
}


def __getattr__(name: str) -> Any:
    target = _MOVED.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module if "." in module else f"{__name__}.{module}"), attr)
