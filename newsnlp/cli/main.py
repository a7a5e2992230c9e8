"""The ``newsnlp`` command: a thin wrapper over the library's functions.

Each command lives in its own module with a ``register_cli(subparsers)`` (``analyze`` in
:mod:`newsnlp.cli.analyze`, ``tag`` in :mod:`newsnlp.cli.tag` ...); the options that build an
Analyzer are shared, from :mod:`newsnlp.cli.options`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from .._util import positive_int_arg

# Modules that add their own subcommands with ``register_cli(subparsers)``; each keeps its
# heavy imports inside functions, so building the parser stays fast.
_EXTENSIONS = ("newsnlp.cli.analyze", "newsnlp.cli.tag", "newsnlp.cli.idf", "newsnlp.cli.tags",
               "newsnlp.cli.bench", "newsnlp.cli.report", "newsnlp.cli.evaluate", "newsnlp.cli.entities")


# The 0.1 name of the count option type; one home now: newsnlp._util.positive_int_arg.
positive_int = positive_int_arg


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsnlp",
        description="Abstracts, tags and entities for Chinese news, offline.",
    )
    from ..version import __version__

    parser.add_argument("--version", action="version", version=f"newsnlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        register = getattr(module, "register_cli", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsnlp`` command."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "forward_argv", False):  # a command that parses its own arguments (newsnlp bench)
        args.argv = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("newsnlp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
