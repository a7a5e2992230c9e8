"""One archive run: :func:`tag_archive`."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Literal, Mapping, Sequence

from .._util import chunks, mkstemp_beside
from ..errors import ArticleError, ModelLoadError, ModelNotFoundError, NewsNLPError
from . import versions as _versions
from .export import export
from .journal import compact, is_left_over, lock_or_fail, read_index, read_record_at, replace_errors_file
from .options import DEFAULT_MAX_CHARS, OutputFormat, default_output, parse_fields
from .plan import versions_digest
from .sources import Source, open_archive
from .workers import analyzer_spec, init_in_process, job_of, run_pool, work_chunk
from .writeback import front_matter_values, without_path

__all__ = ["tag_archive", "TagReport", "TagInterrupted"]


@dataclass
class TagReport:
    """What a :func:`tag_archive` run did.

    ``processed`` counts every article analysed; ``refreshed`` those of them that were
    unchanged but had a record made by other model versions (a subset of ``processed``).
    ``kept_stale`` counts the skipped articles whose record is from other model versions
    and was kept (``refresh_stale=False``; a subset of ``skipped``). ``pruned`` counts the
    records dropped because their article is no longer in the archive (``prune=True``; in a
    dry run, those that would be); ``prune_refused`` says why a requested prune was not done.
    """

    processed: int = 0
    skipped: int = 0
    failed: int = 0
    written_back: int = 0
    refreshed: int = 0
    kept_stale: int = 0
    pruned: int = 0
    prune_refused: str | None = None
    not_written: int = 0
    kept_by_hand: int = 0
    stale_removed: int = 0
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    output: str | None = None
    errors: str | None = None
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no article failed."""
        return self.failed == 0

    def summary_line(self) -> str:
        line = f"processed {self.processed}, skipped {self.skipped}, failed {self.failed}"
        if self.not_written:
            line += f" (front matter not written for {self.not_written} of them)"
        if self.written_back:
            line += f", front matter {'would be written' if self.dry_run else 'written'} {self.written_back}"
        rate = self.processed / self.seconds if self.seconds > 0 else 0.0
        line += f" in {self.seconds:.1f} s ({rate:.1f} articles/s)"
        if self.refreshed:
            line += f"; {self.refreshed} re-analysed: made by other model versions"
        if self.kept_stale:
            line += f"; {self.kept_stale} kept from other model versions (--keep-stale)"
        if self.pruned:
            line += f"; {self.pruned} {'to prune (dry run)' if self.dry_run else 'pruned'}: no longer in the archive"
        if self.prune_refused:
            line += f"; nothing pruned: {self.prune_refused}"
        if self.kept_by_hand:
            line += f"; {self.kept_by_hand} hand-written value(s) kept (--overwrite replaces them)"
        if self.stale_removed:
            line += f"; {self.stale_removed} temporary file(s) left by a killed run removed"
        if self.failed and self.errors:
            line += f"; see {self.errors}"
        return line


def tag_archive(
    archive: str | os.PathLike,
    output: str | os.PathLike | None = None,
    *,
    format: OutputFormat | None = None,
    workers: int | None = None,
    batch_size: int = 16,
    analyzer: Any = None,
    errors: str | os.PathLike | None = None,
    write_front_matter: bool = False,
    dry_run: bool = False,
    fields: str | Mapping[str, str] | Sequence[str] | None = None,
    force: bool = False,
    refresh_stale: bool = True,
    prune: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: bool = True,
    text_key: str = "text",
    title_key: str = "title",
    id_key: str = "id",
    split: str | None = None,
    diff_out: Any = None,
    follow_links: bool = False,
    overwrite: bool = False,
    engine: Literal["local", "ray"] = "local",
    address: str | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1,
) -> TagReport:
    """Analyse every article of an archive into one JSON record each.

    Args:
        archive: a folder of posts (searched recursively for .md, .markdown, .html, .htm,
            .txt; hidden entries skipped), a ``.jsonl`` or ``.parquet`` file of records,
            or a folder written by ``datasets``' ``save_to_disk``.
        output: where the records go (default ``./<archive name>.tags.<format>``). Parquet
            and CSV are written at the end from a JSONL journal kept beside them
            (``<output>.jsonl``), which is what makes re-runs incremental.
        format: ``"jsonl"`` (default), ``"parquet"`` or ``"csv"``; guessed from ``output``'s suffix.
        workers: worker processes, each loading the models once (default: ``os.cpu_count()``);
            1 analyses in this process.
        batch_size: articles sent to a worker at a time.
        analyzer: an :class:`~newsnlp.Analyzer` (rebuilt in each worker from its settings) or
            a picklable callable ``Article -> Analysis``; default ``Analyzer()``.
        errors: the errors file (JSONL: id, path, reason, error_type), replaced at the end of
            each run (an interrupted run keeps the old entries of the ids it did not reach);
            default ``<output>.errors.jsonl``. Every entry of the archive that cannot be read
            (an unreadable folder, a symlink loop, a dangling link, a symlinked folder not
            followed) is one too, and the walk goes on.
        write_front_matter: also write the results into each post's YAML front matter.
        dry_run: with write-back, print the diffs to ``diff_out`` (default stdout) and write
            no file at all -- neither posts, nor output, nor errors.
        fields: what to write back under which key: ``"summary=abstract,keywords"`` or a
            mapping; default summary, keywords, organisations, officials, programmes.
        force: analyse every article again, even those already in the output.
        refresh_stale: analyse again an unchanged article whose record was made by other
            model versions than this run's (:func:`model_versions`: the newsnlp version and
            each model's id), or has no ``versions``; the new record replaces the old one as
            a changed article's does, front-matter write-back included. False keeps such
            records and skips the article (``--keep-stale``).
        prune: at the end of a run that went over the whole archive, drop from the output
            (JSONL, and the Parquet/CSV exported from it) the records of ids not found in the
            archive in this run -- posts deleted, rows removed (``--prune``). An article found
            but failing (unreadable, analysis error) keeps its old record. Nothing is pruned
            when the run raised or was interrupted, when the archive held no article at all,
            or when a JSONL row could not be parsed (its id is unknown, so its record could
            be dropped by mistake). With ``dry_run`` the ids and paths that would be pruned
            are printed to ``diff_out`` and nothing is written. Default False: records are
            never removed unless asked.
        max_chars: longer articles are reported as too long instead of analysed.
        progress: show a tqdm progress bar (rate and ETA) on stderr.
        text_key, title_key, id_key: record fields for JSONL/Parquet/dataset input.
        split: the split of a saved ``DatasetDict``.
        diff_out: text stream for ``dry_run`` diffs.
        follow_links: walk symlinked folders, and write back through symlinks to posts outside
            the archive (``--follow-links``). By default a symlinked folder is reported and not
            read, and a post that resolves outside the archive is analysed but never written.
        overwrite: replace front-matter values the post already has that newsnlp did not write
            (a hand-written ``summary:``, the editor's ``tags:``); by default they are kept.
        engine: ``"local"`` (worker processes on this machine) or ``"ray"``: the same run with
            the analysis on a Ray cluster's actors (:mod:`newsnlp.batch.ray`; ``pip install
            'newsnlp[ray]'``). Reading, skipping, the output, errors and write-back stay here.
        address: the Ray cluster (``"auto"``, ``"ray://HOST:10001"``; default: a cluster started
            on this machine, else a new local one). Only with ``engine="ray"``.
        actors: Ray actors, each loading the models once (default: the cluster's CPUs divided
            by ``cpus_per_actor``). ``workers`` is not used with ``engine="ray"``.
        cpus_per_actor: CPUs Ray reserves for each actor.

    Returns:
        A :class:`TagReport` with counts processed/skipped/failed, refreshed (re-analysed
        because their records came from other model versions) and pruned.

    Raises:
        ArticleError: the archive does not exist or is of an unknown kind.
        ValueError: bad options (unknown format or field, write-back on records, ...).
        NewsNLPError: ``output`` (or ``errors``) is the archive itself or a file newsnlp did not
            write; ``prune`` on an output made from another archive (recorded in the sidecar
            manifest ``<output>.newsnlp.json``). Nothing is written then.
        TagInterrupted: Ctrl-C (a ``KeyboardInterrupt``) during the run: workers are killed,
            every finished record is saved, ``.report`` has the counts.

    Example:
        >>> report = tag_archive("_posts", "tags.jsonl", workers=2)  # doctest: +SKIP
        >>> report.summary_line()  # doctest: +SKIP
        'processed 1520, skipped 0, failed 2 in 95.3 s (15.9 articles/s); see tags.errors.jsonl'
        >>> tag_archive("_posts", "tags.jsonl", prune=True).pruned  # doctest: +SKIP
        1
    """
    started = time.perf_counter()
    archive = Path(archive)
    if format is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output is not None else ""
        format = suffix if suffix in ("parquet", "csv") else "jsonl"  # type: ignore[assignment]
    if format not in ("jsonl", "parquet", "csv"):
        raise ValueError(f"format must be 'jsonl', 'parquet' or 'csv', got {format!r}")
    if workers is None:
        workers = os.cpu_count() or 1
    for name, value in (("workers", workers), ("batch_size", batch_size), ("max_chars", max_chars)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if dry_run:
        write_front_matter = True
    field_map = parse_fields(fields)
    if engine not in ("local", "ray"):
        raise ValueError(f"engine must be 'local' or 'ray', got {engine!r}")
    if engine == "ray":
        from .ray import check_options

        check_options(actors, cpus_per_actor)  # also: is Ray installed? before any file is touched

    # Temporary files a killed run left (removed at the end), and in-place rewrites it left half
    # done (put back during the walk); a dry run touches neither.
    stale_temps: list[Path] | None = None if dry_run else []
    kind, total, sources = open_archive(archive, max_chars=max_chars, id_key=id_key, split=split,
                                         follow_links=follow_links, stale_temps=stale_temps)
    if write_front_matter and kind != "posts":
        raise ValueError(
            f"--write-front-matter edits post files, but {archive} is a {kind} archive; "
            "run it on a folder of posts, or drop --write-front-matter"
        )
    target = Path(output) if output is not None else default_output(archive, format)
    journal = target if format == "jsonl" else target.with_name(target.name + ".jsonl")
    errors_path = Path(errors) if errors is not None else journal.with_name(
        (journal.name[: -len(".jsonl")] if journal.name.endswith(".jsonl") else journal.name) + ".errors.jsonl"
    )
    from ..archive import (check_errors_file, check_export_target, check_not_archive, check_output_file,
                          claim_output)

    # Files newsnlp will rewrite must be its own: never the input, never a user's file.
    check_not_archive(journal, archive, "-o" if format == "jsonl" else "the journal")
    check_not_archive(target, archive, "-o")
    check_not_archive(errors_path, archive, "--errors")
    if errors_path.exists() and journal.exists() and os.path.samefile(errors_path, journal):
        raise NewsNLPError(f"--errors {errors_path} is the output file; choose another errors file")
    check_output_file(journal)
    check_errors_file(errors_path)
    if format != "jsonl":
        check_export_target(target, format)
    lock_fh = None
    if not dry_run:
        # Held for the whole run (compaction and export included): two runs appending to one
        # file would interleave records, and the index read below would be stale.
        journal.parent.mkdir(parents=True, exist_ok=True)
        lock_fh = open(journal, "ab")
        lock_or_fail(lock_fh, journal)
    try:
        ownership_note = claim_output(journal, archive, kind, prune=prune, write=not dry_run)
        index, existing = read_index(journal, repair=not dry_run)
        versions = _versions.model_versions(analyzer)
        run_digest = versions_digest(versions)
        report = TagReport(output=str(target), errors=None if dry_run else str(errors_path), dry_run=dry_run)
        if ownership_note:
            report.notes.append(ownership_note)
            warnings.warn(ownership_note, RuntimeWarning, stacklevel=2)
        diff_out = diff_out if diff_out is not None else sys.stdout

        out_fh = err_fh = None
        out_offset = 0
        if not dry_run:
            journal.parent.mkdir(parents=True, exist_ok=True)
            out_fh = open(journal, "ab")
            out_offset = out_fh.seek(0, os.SEEK_END)
            errors_path.parent.mkdir(parents=True, exist_ok=True)
            # The new errors go to a temporary file that replaces the old one at the end: an
            # interrupted run keeps the old entries of the articles it did not get to.
            err_fd, err_tmp = mkstemp_beside(errors_path)
            err_fh = os.fdopen(err_fd, "wb")
        last_offsets = {rid: known.offset for rid, known in index.items()}
        duplicates = existing - len(index)

        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, unit="post", desc="newsnlp tag", file=sys.stderr, dynamic_ncols=True, smoothing=0.05)

        def report_error(entry: dict[str, Any]) -> None:
            # The path has its own field (and is printed before the reason): not again in the reason.
            entry = {"id": entry.get("id"), "path": entry.get("path"),
                     "reason": without_path(entry["reason"], entry.get("path")), "error_type": entry["error_type"]}
            if len(report.failures) < 1000:  # the errors file has them all; keep memory flat
                report.failures.append(entry)
            if err_fh is not None:
                err_fh.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
                err_fh.flush()
            else:
                print(f"newsnlp tag: {entry['path'] or entry['id']}: {entry['reason']}", file=sys.stderr)

        def write_back(source: Source, record: dict[str, Any], previous: dict[str, Any] | None = None) -> str | None:
            """Write the record into the post; return the new file hash when the file changed.

            ``previous`` is the record of the post's last run, if any: a front-matter value equal
            to what it wrote is newsnlp's to update; any other value already there was written
            by hand and is kept unless ``overwrite``.
            """
            from ..archive import is_inside
            from ..frontmatter import ChangedOnDiskError, FrontMatterError, decode_for_edit, find_front_matter, write_front_matter as wfm

            def refuse(reason: str, error_type: str) -> None:
                report.failed += 1
                report.not_written += 1
                report_error({"id": source.id, "path": source.path, "reason": f"front matter not written: {reason}",
                              "error_type": error_type})

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
                    refuse("blank lines before the opening '---', so it is not front matter to Jekyll "
                           "either; remove them and run again", "FrontMatterError")
                return None  # no front matter: a plain file is left as it is
            if not follow_links and not is_inside(source.path, archive):
                refuse(f"the post is a symlink to {os.path.realpath(source.path)}, outside the archive; "
                       "pass --follow-links to write there", "EscapesArchive")
                return None
            values = front_matter_values(record, field_map)
            if not overwrite:
                ours = front_matter_values(previous, field_map) if previous else {}
                for key in list(values):
                    if key in fm.data and fm.data[key] != values[key] and (key not in ours or fm.data[key] != ours[key]):
                        del values[key]  # hand-written (or the editor's tags): kept
                        report.kept_by_hand += 1
                if not values:
                    return None
            try:
                changed, diff = wfm(source.path, values, data=source.payload, expected=source.state, dry_run=dry_run)
            except (FrontMatterError, ChangedOnDiskError) as exc:
                refuse(without_path(str(exc), source.path), type(exc).__name__)
                return None
            except OSError as exc:
                refuse(f"cannot write the post ({exc.strerror or exc}: the file or its folder is read-only?); "
                       "its record is in the output -- make it writable, or drop --write-front-matter",
                       type(exc).__name__)
                return None
            if not changed:
                return None
            report.written_back += 1
            if dry_run:
                diff_out.write(diff)
                diff_out.flush()
                return None
            from ..frontmatter import update_front_matter_bytes

            return hashlib.sha256(update_front_matter_bytes(source.payload, values)).hexdigest()

        def emit(article_id: str, record: dict[str, Any]) -> None:
            nonlocal out_offset, duplicates
            if out_fh is None:
                return
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
            out_fh.write(line)
            out_fh.flush()  # one complete line at a time: a killed run loses at most the line being written
            if article_id in last_offsets:
                duplicates += 1
            last_offsets[article_id] = out_offset
            out_offset += len(line)

        def finish(source: Source, result: dict[str, Any]) -> None:
            if result.get("fatal"):
                exc_type = ModelNotFoundError if result["error_type"] == "ModelNotFoundError" else ModelLoadError
                raise exc_type(result["reason"])
            if not result["ok"]:
                report.failed += 1
                report_error(result)
            else:
                record = result["record"]
                record["versions"] = versions
                if write_front_matter and source.kind == "file":
                    known = index.get(source.id)
                    previous = read_record_at(journal, known.offset) if known is not None else None
                    written = write_back(source, record, previous)
                    if written:
                        record["written_hash"] = written
                report.processed += 1
                if source.stale:
                    report.refreshed += 1
                emit(source.id, record)
            if bar is not None:
                bar.update(1)
                if report.failed:
                    bar.set_postfix(failed=report.failed, refresh=False)

        # For prune: the ids found in the archive (strings only, never records), whether the
        # walk reached its end, and whether a row's id could not be known.
        seen: set[str] = set()
        walked = False
        unknown_ids = 0

        def todo() -> Iterator[Source]:
            nonlocal walked, unknown_ids
            for source in sources:
                seen.add(source.id)
                if source.error is not None:
                    if source.kind == "record":
                        unknown_ids += 1  # an unparseable row: "#<n>" stands in for its real id
                    report.failed += 1
                    report_error({"id": source.id, "path": source.path, "reason": source.error[0], "error_type": source.error[1]})
                    if bar is not None:
                        bar.update(1)
                    continue
                known = index.get(source.id)
                if known is not None and not force and source.content_hash in known.hashes:
                    if known.versions != run_digest:
                        if refresh_stale:
                            source.stale = True
                            yield source
                            continue
                        report.kept_stale += 1
                    report.skipped += 1
                    if write_front_matter and source.kind == "file":
                        # Written back by an earlier run without --write-front-matter, maybe: do it now.
                        rec = read_record_at(journal, known.offset)
                        written = write_back(source, rec, rec)
                        if written:  # remember the new bytes, or the next run would see a changed post
                            rec["written_hash"] = written
                            emit(source.id, rec)
                    if bar is not None:
                        bar.update(1)
                    continue
                yield source
            walked = True

        keys = (text_key, title_key, id_key)
        interrupted = False
        try:
            if engine == "ray":
                from .ray import run_shards

                run_shards(todo(), finish, spec=analyzer_spec(analyzer), max_chars=max_chars, keys=keys,
                           batch_size=batch_size, versions=versions, address=address, actors=actors,
                           cpus_per_actor=cpus_per_actor)
            elif workers == 1:
                init_in_process(analyzer)
                try:
                    for chunk in chunks(todo(), batch_size):
                        jobs = [job_of(x) for x in chunk]
                        for source, result in zip(chunk, work_chunk(jobs, max_chars, keys)):
                            finish(source, result)
                finally:
                    init_in_process(None, clear=True)
            else:
                run_pool(todo(), finish, workers=workers, batch_size=batch_size, spec=analyzer_spec(analyzer),
                          max_chars=max_chars, keys=keys)
        except KeyboardInterrupt:
            interrupted = True
            try:  # the records are safe; a second Ctrl-C must not cut the clean-up below short
                sigint_before = signal.signal(signal.SIGINT, signal.SIG_IGN)
            except (ValueError, OSError):
                sigint_before = None
        finally:
            if bar is not None:
                bar.close()
            if out_fh is not None:
                out_fh.close()
            if err_fh is not None:
                err_fh.close()
                replace_errors_file(err_tmp, errors_path, keep_unseen=None if walked else seen)
        if interrupted:
            report.seconds = time.perf_counter() - started
            report.interrupted = True
            if sigint_before is not None:
                signal.signal(signal.SIGINT, sigint_before)
            raise TagInterrupted(report)
        gone: list[str] = []
        if prune and walked:
            gone = sorted(rid for rid in last_offsets if rid not in seen)
            if gone and not seen:
                report.prune_refused = f"{archive} holds no article, so every record would go; is that the right archive?"
                gone = []
            elif gone and unknown_ids:
                report.prune_refused = (
                    f"{unknown_ids} row(s) of {archive} could not be read, so their ids are unknown; fix them and run again"
                )
                gone = []
        report.pruned = len(gone)
        if dry_run:
            for rid in gone:
                path = read_record_at(journal, last_offsets[rid]).get("path")
                diff_out.write(f"would prune {rid}{f' ({path})' if path else ''}: no longer in the archive\n")
            if gone:
                diff_out.flush()
        else:
            for rid in gone:
                del last_offsets[rid]
            if duplicates > 0 or gone:
                compact(journal, last_offsets)
            if format != "jsonl":
                export(journal, target, format)
            from ..archive import remove_stale_temps

            # Left by a killed run: in the archive (write-back) and beside the output (compaction).
            stale_temps.extend(p for p in journal.parent.glob(f".{journal.name}.*.tmp") if is_left_over(p))
            stale_temps.extend(p for p in errors_path.parent.glob(f".{errors_path.name}.*.tmp") if is_left_over(p))
            report.stale_removed = remove_stale_temps(sorted(set(stale_temps)))
        report.seconds = time.perf_counter() - started
        return report
    finally:
        if lock_fh is not None:
            lock_fh.close()


class TagInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM from the command) stopped :func:`tag_archive`; ``report`` says what was saved.

    Every record finished before it is in the output; the next run continues from there.
    """

    def __init__(self, report: "TagReport") -> None:
        super().__init__("interrupted")
        self.report = report
