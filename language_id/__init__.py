"""Iberian language and variety identification (Spanish, Catalan, Valencian, Basque, Galician and neighbours).

>>> from language_id import Identifier
>>> Identifier().predict(["Kaixo, zer moduz?"])[0].lang
'eu'
"""

from language_id.identifier import Identifier, Prediction
from language_id.segments import Mix, Segment

__all__ = ["Identifier", "Mix", "Prediction", "Segment"]
