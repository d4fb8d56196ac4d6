"""Errors a user can act on: the CLI prints their message and exits 2, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input, configuration or run directory, with a message saying what to do."""

    exit_code = 2
