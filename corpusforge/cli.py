"""`corpusforge ...`: one sub-command per module in `corpusforge.commands`.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`func(args) -> int`. Modules are imported lazily enough that `corpusforge --help` is fast:
heavy libraries are imported inside the command functions.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys


def build_parser() -> argparse.ArgumentParser:
    import corpusforge.commands as pkg

    parser = argparse.ArgumentParser(
        prog="corpusforge",
        description="Curate Spanish, Catalan, Valencian, Basque and Galician web text into pretraining data.",
    )
    parser.add_argument("--version", action="version", version=f"corpusforge {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):  # shared helpers (`_args`), not commands
            continue
        module = importlib.import_module(f"{pkg.__name__}.{mod.name}")
        module.register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("corpusforge")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    from corpusforge.memory import keep_freed_memory

    keep_freed_memory()  # before anything imports pyarrow (runtime/memory.py says why)
    from corpusforge.errors import UserError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if getattr(args, "resolve", None):  # a command's check across arguments (commands/_args.py)
            args.resolve(args)
        return int(args.func(args) or 0)
    except UserError as exc:  # the user can act on it: the message says how, a traceback would not
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `corpusforge stats RUN | head`: the reader left, which is no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
