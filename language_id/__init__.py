"""Iberian language and variety identification (Spanish, Catalan, Valencian, Basque, Galician and neighbours)."""
