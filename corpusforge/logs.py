"""Logging for the commands that run long: a level, an optional file, one plain line format.

Progress lines (`corpusforge.progress`) and run events (`corpusforge.run`: a lock taken over,
inputs added, outputs deleted) go through `logging`, so a run redirected to a file or collected by a
cluster's log system reads the same as on a terminal.
"""

from __future__ import annotations

import argparse
import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-level", choices=LEVELS, default="INFO", help="least severe messages shown (INFO)")
    parser.add_argument("--log-file", help="also write the log (progress included) to this file")
    parser.add_argument(
        "--progress-interval",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="when not on a terminal: a progress line per segment at most this often (10)",
    )


def configure(level: str = "INFO", file: str | None = None) -> None:
    """Send corpusforge's log to stderr (and `file`); other libraries stay at WARNING."""
    logger = logging.getLogger("corpusforge")
    logger.setLevel(level)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if file:
        handlers.append(logging.FileHandler(file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT, datefmt="%Y-%m-%d %H:%M:%S"))
        logger.addHandler(handler)
