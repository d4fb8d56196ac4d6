"""Provenance of documents: robots and licence signals seen at crawl time (see `signals.py`)."""

from corpusforge.provenance.signals import AI_OPTOUT, license_id, opts_out, page_signals

__all__ = ["AI_OPTOUT", "license_id", "opts_out", "page_signals"]
