"""Argument conventions shared by the commands: the input is positional; old flags stay as hidden aliases.

One release keeps each old spelling working without showing it in `--help`. A module whose name starts
with `_` is not a command (`corpusforge.cli` skips it)."""

from __future__ import annotations

import argparse
from functools import partial

from corpusforge.errors import UserError

_ALIAS = "input_alias"  # where the hidden `--input` lands, beside the positional `input`


def add_input(parser: argparse.ArgumentParser, help: str) -> None:  # noqa: A002 - argparse's own name
    """A positional `input`, with the old `--input` flag as a hidden alias; `resolve` merges them."""
    parser.add_argument("input", nargs="?", metavar="INPUT", help=help)
    parser.add_argument("--input", dest=_ALIAS, default=None, help=argparse.SUPPRESS)  # old spelling
    parser.set_defaults(resolve=partial(_resolve_input, parser))


def _resolve_input(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    positional, alias = args.input, getattr(args, _ALIAS)
    if positional is not None and alias is not None and positional != alias:
        raise UserError(f"the input is given twice and differs: INPUT {positional!r} and --input {alias!r}; "
                        "give it once, as the positional INPUT (--input is its old spelling)")  # fmt: skip
    if positional is None and alias is None:
        parser.error("the following arguments are required: INPUT")  # exits 2 with the usage line
    args.input = positional if positional is not None else alias
