"""``newsnlp tag``: analyse a whole archive (a thin wrapper over :func:`newsnlp.batch.tag_archive`)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from typing import Any

from .._util import positive_int_arg
from ..batch import DEFAULT_FIELDS, DEFAULT_MAX_CHARS, TagInterrupted, tag_archive
from ..batch.options import FIELD_CHOICES
from ..errors import NewsNLPError
from .options import add_analyzer_arguments, config_from_args

__all__ = ["register_cli"]

_terminated_by: int | None = None


def _stop_on_signals() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread, as SIGINT does."""
    global _terminated_by
    _terminated_by = None
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: Any) -> None:
        global _terminated_by
        if _terminated_by is None:
            _terminated_by = signum
            raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, handler)
        except (ValueError, OSError):  # not the main thread
            pass
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        try:
            signal.signal(signum, handler)
        except (ValueError, OSError):
            pass


def _cmd_tag(args: argparse.Namespace) -> int:
    from ..analyzer import Analyzer

    if args.workers == 1:
        # One worker is one core, here as in worker processes (torch reads this when imported).
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ.setdefault(var, "1")

    try:
        analyzer = Analyzer(config=config_from_args(args))
    except (TypeError, ValueError) as exc:
        print(f"newsnlp tag: {exc}", file=sys.stderr)
        return 2
    # SIGTERM (kill, a service manager) stops the run as Ctrl-C does: cleanly, workers gone, counted.
    previous_handlers = _stop_on_signals()
    # The notes a run makes are printed below as one "warning:" line each, not also by `warnings`
    # (they are attributed to the caller of tag_archive: this module).
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"newsnlp\.(batch|cli\.tag)")
    try:
        report = tag_archive(
            args.archive, args.output, format=args.format, workers=args.workers, batch_size=args.batch_size,
            analyzer=analyzer, errors=args.errors, write_front_matter=args.write_front_matter,
            dry_run=args.dry_run, fields=args.fields, force=args.force, refresh_stale=not args.keep_stale,
            prune=args.prune, follow_links=args.follow_links, overwrite=args.overwrite,
            max_chars=args.max_chars, progress=not args.quiet, text_key=args.text_key, id_key=args.id_key, title_key=args.title_key,
            split=args.split,
            engine=args.engine, address=args.address, actors=args.actors, cpus_per_actor=args.cpus_per_actor,
        )
    except TagInterrupted as stop:
        r = stop.report
        saved = "nothing written (dry run)" if r.dry_run else f"{r.processed} new record(s) saved in {r.output}"
        print(f"newsnlp tag: interrupted: {saved}; {r.summary_line()}", file=sys.stderr)
        if not r.dry_run:
            print("newsnlp tag: run the same command again to continue where it stopped", file=sys.stderr)
        return 128 + (_terminated_by or signal.SIGINT)
    except (NewsNLPError, ValueError, OSError) as exc:
        print(f"newsnlp tag: {exc}", file=sys.stderr)
        return 2
    finally:
        _restore_signals(previous_handlers)
    for note in report.notes:
        print(f"newsnlp tag: warning: {note}", file=sys.stderr)
    print(f"newsnlp tag: {report.summary_line()}", file=sys.stderr)
    if not args.dry_run:
        print(f"newsnlp tag: records in {report.output}", file=sys.stderr)
    return 0 if report.ok else 1


def register_cli(subparsers: Any) -> None:
    """Add the ``newsnlp tag`` subcommand."""
    p = subparsers.add_parser(
        "tag",
        help="analyse a whole archive into JSONL/Parquet/CSV (parallel, resumable)",
        description="Analyse every article of ARCHIVE -- a folder of posts (recursively: .md .markdown "
        ".html .htm .txt), a .jsonl or .parquet file, or a saved `datasets` dataset -- into one JSON "
        "record per article. Re-running skips articles already in the output with the same content "
        "hash and model versions, and redoes changed ones and those whose record was made by other "
        "model versions (after an upgrade; see --keep-stale); a killed run is continued by the "
        "next. Records of articles deleted from the archive stay unless --prune. Articles that "
        "fail go to the errors file; the exit status is 1 when any failed, 2 on bad options "
        "(and when -o or --errors is a file newsnlp did not write), 130 after Ctrl-C (what was "
        "finished is saved; run again to continue).",
    )
    p.add_argument("archive", metavar="ARCHIVE", help="folder of posts, .jsonl/.parquet file, or saved dataset folder")
    p.add_argument("-o", "--output", default=None,
                   help="output file (default: ./<ARCHIVE name>.tags.<format>)")
    p.add_argument("--format", choices=("jsonl", "parquet", "csv"), default=None,
                   help="output format (default: from the output suffix, else jsonl)")
    p.add_argument("--workers", type=positive_int_arg, default=None, help=f"worker processes (default: {os.cpu_count()}, the cores)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: worker processes here (default); ray: actors on a Ray cluster "
                   "(pip install 'newsnlp[ray]'; see docs/batch.md)")
    p.add_argument("--address", default=None,
                   help="Ray cluster: auto, HOST:6379 or ray://HOST:10001 (default: one started on this machine, "
                   "else a new local one); --engine ray only")
    p.add_argument("--actors", type=positive_int_arg, default=None,
                   help="Ray actors, each loading the models once (default: the cluster's CPUs / --cpus-per-actor)")
    p.add_argument("--cpus-per-actor", type=float, default=1, help="CPUs Ray reserves per actor (default: 1)")
    p.add_argument("--batch-size", type=positive_int_arg, default=16, help="articles sent to a worker at a time (default: 16)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--errors", default=None, help="errors file, JSONL (default: <output>.errors.jsonl)")
    p.add_argument("--write-front-matter", action="store_true",
                   help="write the results into each post's YAML front matter (other bytes untouched)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the front-matter diffs and write nothing (implies --write-front-matter)")
    p.add_argument("--fields", default=None,
                   help="what to write back under which key, e.g. summary=abstract,keywords,officials "
                   f"(default: {','.join(DEFAULT_FIELDS)}; fields: {', '.join(FIELD_CHOICES)})")
    p.add_argument("--force", action="store_true", help="analyse every article again, even unchanged ones")
    p.add_argument("--keep-stale", action="store_true",
                   help="skip unchanged articles whose records were made by other newsnlp or model "
                   "versions, keeping those records (by default such articles are analysed again)")
    p.add_argument("--prune", action="store_true",
                   help="after a complete run, drop the records of articles no longer in the archive "
                   "(deleted posts, removed rows); articles that failed keep theirs. With --dry-run, "
                   "list what would be pruned")
    p.add_argument("--follow-links", action="store_true",
                   help="follow symlinked folders, and write back through symlinks to posts outside the "
                   "archive (by default symlinked folders are reported and not read, and a post that "
                   "resolves outside the archive is analysed but not written)")
    p.add_argument("--overwrite", action="store_true",
                   help="with --write-front-matter, replace values a post already has that newsnlp did not "
                   "write (a hand-written summary:, the editor's tags:); by default they are kept")
    p.add_argument("--max-chars", type=positive_int_arg, default=DEFAULT_MAX_CHARS,
                   help=f"report longer articles as too long (default: {DEFAULT_MAX_CHARS})")
    p.add_argument("--text-key", default="text", help="record field holding the text (JSONL/Parquet/dataset)")
    p.add_argument("--title-key", default="title", help="record field holding the title")
    p.add_argument("--id-key", default="id", help="record field holding the id (default: the row number)")
    p.add_argument("--split", default=None, help="split of a saved DatasetDict")
    add_analyzer_arguments(p)
    p.set_defaults(func=_cmd_tag)
