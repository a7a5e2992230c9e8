"""Wiring shared by the ``newsnlp <group> learn ARCHIVE -o OUT`` commands (``entities learn``, ``tags learn``).

Each such command reads an archive, learns something from its posts and writes one file. What they share
lives here, so that their arguments, error lines and writes agree:

- :func:`add_command_group`: ``newsnlp <name> ACTION`` with a required action;
- :func:`add_learn_parser`: its ``learn`` action with the ``ARCHIVE`` argument and ``-o/--output``;
- :func:`read_archive`: the archive's posts (folder, one post, or ``.jsonl``), read lazily;
- :func:`run_reporting_errors`: run the learning step with library warnings silenced; an expected error
  becomes one ``newsnlp <command>: <message>`` line on stderr and :data:`USAGE_ERROR`;
- :func:`write_output`: write the result all or nothing (:func:`newsnlp._util.atomic_write`), creating the
  folder.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="newsnlp")
    >>> group = add_command_group(parser.add_subparsers(), "tags", help="tag vocabularies",
    ...                           description="Work with an archive's tag vocabulary.")
    >>> learn = add_learn_parser(group, help="learn", description="Learn.", output_help="file to write")
    >>> args = parser.parse_args(["tags", "learn", "posts/", "-o", "vocab.txt"])
    >>> (args.tags_command, args.archive, args.output)
    ('learn', 'posts/', 'vocab.txt')
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from .._util import atomic_write

__all__ = ["ARCHIVE_HELP", "USAGE_ERROR", "add_command_group", "add_learn_parser", "read_archive",
           "run_reporting_errors", "write_output"]

T = TypeVar("T")

#: The help of every ``ARCHIVE`` argument.
ARCHIVE_HELP = "folder of .md/.html posts, or a .jsonl file"
#: Exit status of a command whose input was refused (argparse uses the same).
USAGE_ERROR = 2


def add_command_group(subparsers: Any, name: str, *, help: str, description: str) -> Any:
    """Add ``newsnlp NAME ACTION`` and return its sub-parsers; the action is required and lands in
    ``args.<name>_command``.

    Args:
        subparsers: the ``newsnlp`` sub-parsers (what ``register_cli`` receives).
        name: the group's word (``"entities"``, ``"tags"``).
        help: one line for ``newsnlp --help``.
        description: the group's ``--help`` text.

    Returns:
        The group's sub-parsers, to add actions to.
    """
    parser = subparsers.add_parser(name, help=help, description=description)
    group = parser.add_subparsers(dest=f"{name}_command", metavar="ACTION")
    group.required = True
    return group


def add_learn_parser(group: Any, *, help: str, description: str, output_help: str) -> argparse.ArgumentParser:
    """Add the ``learn ARCHIVE -o OUT`` action to a group; the caller adds its own options and ``func``.

    Args:
        group: what :func:`add_command_group` returned.
        help: one line for the group's ``--help``.
        description: the action's ``--help`` text.
        output_help: the help of ``-o/--output`` (what file is written).

    Returns:
        The action's parser (``args.archive``, ``args.output``).
    """
    learn = group.add_parser("learn", help=help, description=description)
    learn.add_argument("archive", metavar="ARCHIVE", help=ARCHIVE_HELP)
    learn.add_argument("-o", "--output", required=True, metavar="OUT", help=output_help)
    return learn


def read_archive(archive: str | os.PathLike) -> Iterator[Any]:
    """The posts of an archive as :class:`~newsnlp.article.Article` objects, read lazily.

    A folder (searched recursively, sorted), one post file, or a ``.jsonl`` file of records.

    Raises:
        FileNotFoundError: ``archive`` does not exist (raised when the first post is asked for).
    """
    from ..keywords.idf import iter_archive

    return iter_archive(archive)


def run_reporting_errors(command: str, learn: Callable[[], T], *,
                         errors: tuple[type[BaseException], ...] = (FileNotFoundError,)) -> T | None:
    """Run ``learn()`` with warnings silenced; an error of a type in ``errors`` is reported, not raised.

    Args:
        command: the command's words for the message (``"entities learn"``).
        learn: the work; its result is returned.
        errors: the exceptions that mean "bad input" (a missing archive, a bad value).

    Returns:
        ``learn()``'s result, or ``None`` after writing ``newsnlp <command>: <error>`` to stderr (the caller
        then returns :data:`USAGE_ERROR`).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return learn()
        except errors as exc:
            print(f"newsnlp {command}: {exc}", file=sys.stderr)
            return None


def write_output(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write a command's output file all or nothing, creating its folder; returns the path.

    >>> import tempfile, pathlib
    >>> out = write_output(pathlib.Path(tempfile.mkdtemp()) / "new" / "lexicon.tsv", "name\\n")
    >>> out.read_text(encoding="utf-8")
    'name\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, data)
