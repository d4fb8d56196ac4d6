"""The CLI's one convention: every visible argument of every command says what it is for."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from corpusforge import cli


def _arguments(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.Action]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _arguments(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            yield path, action


def test_every_visible_argument_has_help() -> None:
    missing = [
        f"{path}: {'/'.join(a.option_strings) or a.dest}"
        for path, a in _arguments(cli.build_parser(), "corpusforge")
        if a.help is None or (a.help != argparse.SUPPRESS and not a.help.strip())
    ]
    assert not missing, "arguments without help text:\n  " + "\n  ".join(missing)


def test_old_spellings_are_hidden_aliases() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["crawl", "c.toml", "--output", "out", "--workers", "2"])
    assert (args.out, args.num_cpus) == ("out", 2)
    args = parser.parse_args(["crawl", "c.toml", "--out", "out", "--num-cpus", "2"])
    assert (args.out, args.num_cpus) == ("out", 2)
    crawl = next(a for a in parser._subparsers._group_actions[0].choices["crawl"]._actions if a.dest == "out")
    help_text = parser._subparsers._group_actions[0].choices["crawl"].format_help()
    assert "--out" in help_text and "--output" not in help_text and "--workers" not in help_text
    assert crawl.help
