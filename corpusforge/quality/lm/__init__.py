"""Compact n-gram language models for the `q_perplexity` quality signal (see MODEL_CARD.md).

>>> from corpusforge.quality.lm.model import NgramModel
>>> from corpusforge.quality.perplexity import model_paths
>>> model = NgramModel.load(model_paths()["es"])
>>> model.order, model.symbols.kind
(3, 'word')
"""
