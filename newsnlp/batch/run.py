"""One archive run: :func:`tag_archive` checks its options (:class:`~newsnlp.batch.options.RunOptions`)
and hands them to an :class:`ArchiveRun`, whose methods are the steps of the run."""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from .._util import chunks
from ..errors import ModelLoadError, ModelNotFoundError, NewsNLPError
from . import versions as _versions
from .export import export
from .journal import (ErrorLog, JournalWriter, compact, is_left_over, lock_or_fail, read_index, read_record_at,
                      warn_caller)
from .options import DEFAULT_MAX_CHARS, Engine, OutputFormat, RunOptions
from .plan import Known, decide, to_prune, versions_digest
from .sources import Source, open_archive
from .workers import analyzer_spec, init_in_process, job_of, run_pool, work_chunk
from .writeback import FrontMatterWriter

__all__ = ["tag_archive", "TagReport", "TagInterrupted", "ArchiveRun"]


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
    engine: Engine = "local",
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
    arguments = dict(locals())  # every parameter above, by name
    started = time.perf_counter()
    return ArchiveRun(RunOptions.from_arguments(arguments), started=started).run()


class ArchiveRun:
    """One run of :func:`tag_archive`: open the archive, check and lock the outputs, analyse, finish.

    The state a run builds up lives here in plain attributes: the journal index (what earlier
    runs recorded), the writers of the journal and errors file, the report, and for pruning the
    ids seen in the archive. :meth:`run` is the whole run; the other methods are its steps.
    """

    def __init__(self, options: RunOptions, *, started: float | None = None) -> None:
        self.options = options
        self.started = time.perf_counter() if started is None else started
        # Temporary files a killed run left (removed at the end), and in-place rewrites it left half
        # done (put back during the walk); a dry run touches neither.
        self.stale_temps: list[Path] | None = None if options.dry_run else []
        self.report = TagReport(output=str(options.target), errors=None if options.dry_run else str(options.errors),
                                dry_run=options.dry_run)
        self.index: dict[str, Known] = {}
        self.versions: dict[str, str] = {}
        self.run_digest: str | None = None
        self.journal: JournalWriter | None = None
        self.errors: ErrorLog | None = None
        self.writer: FrontMatterWriter | None = None
        self.bar: Any = None
        # For prune: the ids found in the archive (strings only, never records), whether the
        # walk reached its end, and how many rows' ids could not be known.
        self.seen: set[str] = set()
        self.walked = False
        self.unknown_ids = 0
        # Kept for the end of the run when nothing is written (a dry run).
        self._last_offsets: dict[str, int] = {}
        self._duplicates = 0

    # ------------------------------------------------------------------ the run
    def run(self) -> TagReport:
        """Do the run; return its report.

        Raises:
            TagInterrupted: Ctrl-C; every finished record is saved.
            NewsNLPError: ``engine="ray"`` without Ray installed; an output newsnlp did not write.
        """
        o = self.options
        if o.engine == "ray":
            from .ray import check_installed

            check_installed()  # before any file is touched
        kind, total, sources = open_archive(o.archive, max_chars=o.max_chars, id_key=o.keys[2], split=o.split,
                                            follow_links=o.follow_links, stale_temps=self.stale_temps)
        if o.write_front_matter and kind != "posts":
            raise ValueError(
                f"--write-front-matter edits post files, but {o.archive} is a {kind} archive; "
                "run it on a folder of posts, or drop --write-front-matter"
            )
        self._check_outputs()
        lock_fh = None
        if not o.dry_run:
            # Held for the whole run (compaction and export included): two runs appending to one
            # file would interleave records, and the index read below would be stale.
            o.journal.parent.mkdir(parents=True, exist_ok=True)
            lock_fh = open(o.journal, "ab")
            lock_or_fail(lock_fh, o.journal)
        try:
            self._start(kind)
            self._analyse(sources, total)
            self._finish_run()
            self.report.seconds = time.perf_counter() - self.started
            return self.report
        finally:
            if lock_fh is not None:
                lock_fh.close()

    def _check_outputs(self) -> None:
        """Files newsnlp will rewrite must be its own: never the input, never a user's file."""
        from ..archive import check_errors_file, check_export_target, check_not_archive, check_output_file

        o = self.options
        check_not_archive(o.journal, o.archive, "-o" if o.format == "jsonl" else "the journal")
        check_not_archive(o.target, o.archive, "-o")
        check_not_archive(o.errors, o.archive, "--errors")
        if o.errors.exists() and o.journal.exists() and os.path.samefile(o.errors, o.journal):
            raise NewsNLPError(f"--errors {o.errors} is the output file; choose another errors file")
        check_output_file(o.journal)
        check_errors_file(o.errors)
        if o.format != "jsonl":
            check_export_target(o.target, o.format)

    def _start(self, kind: str) -> None:
        """Claim the output, read what earlier runs recorded, open the writers."""
        from ..archive import claim_output

        o = self.options
        ownership_note = claim_output(o.journal, o.archive, kind, prune=o.prune, write=not o.dry_run)
        self.index, existing = read_index(o.journal, repair=not o.dry_run)
        self.versions = _versions.model_versions(o.analyzer)
        self.run_digest = versions_digest(self.versions)
        if ownership_note:
            self.report.notes.append(ownership_note)
            warn_caller(ownership_note)
        self._last_offsets = {rid: known.offset for rid, known in self.index.items()}
        self._duplicates = existing - len(self.index)
        if not o.dry_run:
            self.journal = JournalWriter(o.journal, self._last_offsets, self._duplicates)
            self.errors = ErrorLog(o.errors, self.report.failures)
        else:
            self.errors = ErrorLog(None, self.report.failures)
        if o.write_front_matter:
            self.writer = FrontMatterWriter(archive=o.archive, fields=o.fields, overwrite=o.overwrite,
                                            follow_links=o.follow_links, dry_run=o.dry_run, diff_out=o.diff_out,
                                            refuse=self._refused)

    def _analyse(self, sources: Iterator[Source], total: int) -> None:
        """Analyse what needs it, with the chosen engine; Ctrl-C raises :class:`TagInterrupted`."""
        o = self.options
        if o.progress:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="post", desc="newsnlp tag", file=sys.stderr, dynamic_ncols=True,
                            smoothing=0.05)
        interrupted = False
        sigint_before = None
        try:
            self._run_engine(self._todo(sources))
        except KeyboardInterrupt:
            interrupted = True
            try:  # the records are safe; a second Ctrl-C must not cut the clean-up below short
                sigint_before = signal.signal(signal.SIGINT, signal.SIG_IGN)
            except (ValueError, OSError):
                sigint_before = None
        finally:
            if self.bar is not None:
                self.bar.close()
            if self.journal is not None:
                self.journal.close()
            if self.errors is not None:
                self.errors.close(keep_unseen=None if self.walked else self.seen)
        if interrupted:
            self._sync_counts()
            self.report.seconds = time.perf_counter() - self.started
            self.report.interrupted = True
            if sigint_before is not None:
                signal.signal(signal.SIGINT, sigint_before)
            raise TagInterrupted(self.report)
        self._sync_counts()

    def _run_engine(self, todo: Iterator[Source]) -> None:
        o = self.options
        if o.engine == "ray":
            from .ray import run_shards

            run_shards(todo, self._finish, spec=analyzer_spec(o.analyzer), max_chars=o.max_chars, keys=o.keys,
                       batch_size=o.batch_size, versions=self.versions, address=o.address, actors=o.actors,
                       cpus_per_actor=o.cpus_per_actor)
        elif o.workers == 1:
            init_in_process(o.analyzer)
            try:
                for chunk in chunks(todo, o.batch_size):
                    jobs = [job_of(x) for x in chunk]
                    for source, result in zip(chunk, work_chunk(jobs, o.max_chars, o.keys)):
                        self._finish(source, result)
            finally:
                init_in_process(None, clear=True)
        else:
            run_pool(todo, self._finish, workers=o.workers, batch_size=o.batch_size, spec=analyzer_spec(o.analyzer),
                     max_chars=o.max_chars, keys=o.keys)

    def _finish_run(self) -> None:
        """Prune, compact, export, remove left-over temporary files (a dry run only says what it would prune)."""
        o = self.options
        last_offsets = self.journal.last_offsets if self.journal is not None else self._last_offsets
        gone: list[str] = []
        if o.prune:
            gone, self.report.prune_refused = to_prune(last_offsets, self.seen, walked=self.walked,
                                                       unreadable_rows=self.unknown_ids, archive=o.archive)
        self.report.pruned = len(gone)
        if o.dry_run:
            for rid in gone:
                path = read_record_at(o.journal, last_offsets[rid]).get("path")
                o.diff_out.write(f"would prune {rid}{f' ({path})' if path else ''}: no longer in the archive\n")
            if gone:
                o.diff_out.flush()
            return
        assert self.journal is not None and self.stale_temps is not None
        for rid in gone:
            del last_offsets[rid]
        if self.journal.duplicates > 0 or gone:
            compact(o.journal, last_offsets)
        if o.format != "jsonl":
            export(o.journal, o.target, o.format)
        from ..archive import remove_stale_temps

        # Left by a killed run: in the archive (write-back) and beside the output (compaction).
        self.stale_temps.extend(p for p in o.journal.parent.glob(f".{o.journal.name}.*.tmp") if is_left_over(p))
        self.stale_temps.extend(p for p in o.errors.parent.glob(f".{o.errors.name}.*.tmp") if is_left_over(p))
        self.report.stale_removed = remove_stale_temps(sorted(set(self.stale_temps)))

    # ------------------------------------------------------------------ per article
    def _todo(self, sources: Iterator[Source]) -> Iterator[Source]:
        """The articles to analyse; the others are counted (and written back) here."""
        o = self.options
        for source in sources:
            self.seen.add(source.id)
            if source.error is not None:
                if source.kind == "record":
                    self.unknown_ids += 1  # an unparseable row: "#<n>" stands in for its real id
                self._failed({"id": source.id, "path": source.path, "reason": source.error[0],
                              "error_type": source.error[1]})
                self._tick()
                continue
            known = self.index.get(source.id)
            action = decide(known, source.content_hash, versions=self.run_digest, force=o.force,
                            refresh_stale=o.refresh_stale)
            if action == "analyse":
                yield source
                continue
            if action == "refresh":
                source.stale = True
                yield source
                continue
            assert known is not None
            if action == "keep_stale":
                self.report.kept_stale += 1
            self.report.skipped += 1
            if self.writer is not None and source.kind == "file":
                # Written back by an earlier run without --write-front-matter, maybe: do it now.
                rec = read_record_at(o.journal, known.offset)
                written = self.writer.write(source, rec, rec)
                if written:  # remember the new bytes, or the next run would see a changed post
                    rec["written_hash"] = written
                    self._append(source.id, rec)
            self._tick()
        self.walked = True

    def _finish(self, source: Source, result: dict[str, Any]) -> None:
        """Take one worker result: write its record (and front matter), or its failure."""
        if result.get("fatal"):
            exc_type = ModelNotFoundError if result["error_type"] == "ModelNotFoundError" else ModelLoadError
            raise exc_type(result["reason"])
        if not result["ok"]:
            self._failed(result)
        else:
            record = result["record"]
            record["versions"] = self.versions
            if self.writer is not None and source.kind == "file":
                known = self.index.get(source.id)
                previous = read_record_at(self.options.journal, known.offset) if known is not None else None
                written = self.writer.write(source, record, previous)
                if written:
                    record["written_hash"] = written
            self.report.processed += 1
            if source.stale:
                self.report.refreshed += 1
            self._append(source.id, record)
        self._tick()

    def _append(self, article_id: str, record: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.append(article_id, record)

    def _failed(self, entry: dict[str, Any]) -> None:
        self.report.failed += 1
        assert self.errors is not None
        self.errors.add(entry)

    def _refused(self, source: Source, reason: str, error_type: str) -> None:
        """A post the writer could not write: its record is kept, the post counts as failed."""
        self.report.not_written += 1
        self._failed({"id": source.id, "path": source.path, "reason": f"front matter not written: {reason}",
                      "error_type": error_type})

    def _tick(self) -> None:
        if self.bar is not None:
            self.bar.update(1)
            if self.report.failed:
                self.bar.set_postfix(failed=self.report.failed, refresh=False)

    def _sync_counts(self) -> None:
        if self.writer is not None:
            self.report.written_back = self.writer.written
            self.report.kept_by_hand = self.writer.kept_by_hand


class TagInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM from the command) stopped :func:`tag_archive`; ``report`` says what was saved.

    Every record finished before it is in the output; the next run continues from there.
    """

    def __init__(self, report: "TagReport") -> None:
        super().__init__("interrupted")
        self.report = report
