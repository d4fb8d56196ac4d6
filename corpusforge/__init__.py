"""corpusforge: curate Spanish and co-official-language web text into pretraining data.

The framework (plan, runtime, stages, CLI) lives here; `language_id` and `dedup` are
libraries usable on their own.
"""

__version__ = "0.1.0"
