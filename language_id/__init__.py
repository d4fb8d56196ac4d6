"""Iberian language and variety identification (Spanish, Catalan, Valencian, Basque, Galician and neighbours).

>>> from language_id import Identifier
>>> Identifier().predict(["Kaixo, zer moduz?"])[0].lang
'eu'
"""

from language_id.identifier import Identifier, Mix, Prediction

__all__ = ["Identifier", "Mix", "Prediction"]
