"""Writing a run's results back into each post's YAML front matter (see :mod:`newsnlp.frontmatter`)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Mapping, TextIO

from ..errors import ArticleError
from .journal import without_path
from .plan import hand_written
from .sources import Source

__all__ = ["front_matter_values", "without_path", "FrontMatterWriter"]


def front_matter_values(record: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    """The values a record gives each front-matter key of ``fields`` (what -> key).

    Example:
        >>> front_matter_values({"summary": "摘要", "keywords": [{"text": "工会", "score": 1.0}]},
        ...                     {"summary": "abstract", "keywords": "keywords"})
        {'abstract': '摘要', 'keywords': ['工会']}
    """
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


class FrontMatterWriter:
    """Writes records into their posts, keeping hand-written values, and counts what it did.

    Args:
        archive: the archive root: a post that resolves outside it is not written unless ``follow_links``.
        fields: what -> front-matter key (:func:`~newsnlp.batch.options.parse_fields`).
        overwrite: replace values newsnlp did not write.
        follow_links: write through symlinks to posts outside the archive.
        dry_run: write nothing; print each diff to ``diff_out``.
        diff_out: text stream for the dry-run diffs.
        refuse: called with ``(source, reason, error_type)`` for a post that could not be written.
    """

    def __init__(self, *, archive: Path, fields: Mapping[str, str], overwrite: bool, follow_links: bool,
                 dry_run: bool, diff_out: TextIO, refuse: Callable[[Source, str, str], None]) -> None:
        self.archive = archive
        self.fields = fields
        self.overwrite = overwrite
        self.follow_links = follow_links
        self.dry_run = dry_run
        self.diff_out = diff_out
        self._refuse = refuse
        self.written = 0  # posts written (or, in a dry run, that would be)
        self.kept_by_hand = 0  # hand-written values kept

    def write(self, source: Source, record: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> str | None:
        """Write the record into the post; return the new file hash when the file changed.

        ``previous`` is the record of the post's last run, if any: a front-matter value equal
        to what it wrote is newsnlp's to update; any other value already there was written
        by hand and is kept unless ``overwrite``.
        """
        from ..archive import is_inside
        from ..frontmatter import ChangedOnDiskError, FrontMatterError, decode_for_edit, find_front_matter
        from ..frontmatter import write_front_matter as write_file

        try:
            text = decode_for_edit(source.payload)[0]
        except (UnicodeDecodeError, ArticleError):
            return None  # already reported as undecodable
        try:
            fm = find_front_matter(text, source=source.path or source.id)
        except FrontMatterError:
            return None  # already reported by the reader
        if fm is None:
            if text.lstrip("\ufeff").lstrip("\r\n \t").startswith("---"):
                self._refuse(source, "blank lines before the opening '---', so it is not front matter to Jekyll "
                             "either; remove them and run again", "FrontMatterError")
            return None  # no front matter: a plain file is left as it is
        if not self.follow_links and not is_inside(source.path, self.archive):
            self._refuse(source, f"the post is a symlink to {os.path.realpath(source.path)}, outside the archive; "
                         "pass --follow-links to write there", "EscapesArchive")
            return None
        values = front_matter_values(record, self.fields)
        if not self.overwrite:
            ours = front_matter_values(previous, self.fields) if previous else {}
            for key in hand_written(values, fm.data, ours):
                del values[key]  # hand-written (or the editor's tags): kept
                self.kept_by_hand += 1
            if not values:
                return None
        try:
            changed, diff = write_file(source.path, values, data=source.payload, expected=source.state,
                                       dry_run=self.dry_run)
        except (FrontMatterError, ChangedOnDiskError) as exc:
            self._refuse(source, without_path(str(exc), source.path), type(exc).__name__)
            return None
        except OSError as exc:
            self._refuse(source, f"cannot write the post ({exc.strerror or exc}: the file or its folder is read-only?); "
                         "its record is in the output -- make it writable, or drop --write-front-matter",
                         type(exc).__name__)
            return None
        if not changed:
            return None
        self.written += 1
        if self.dry_run:
            self.diff_out.write(diff)
            self.diff_out.flush()
            return None
        from ..frontmatter import update_front_matter_bytes

        return hashlib.sha256(update_front_matter_bytes(source.payload, values)).hexdigest()
