"""CLI sub-commands; each module has `register(subparsers)` (see `corpusforge.cli`)."""
