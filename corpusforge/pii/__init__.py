"""PII detection and redaction for Spanish-language web text: e-mail, phone, DNI, NIE, CIF, IBAN, card, IP.

>>> from corpusforge.pii import redact
>>> redact("Escriu a maria@example.cat o truca al 612 34 56 78.").text
'Escriu a <EMAIL> o truca al <PHONE>.'
"""

from corpusforge.pii.redact import DEFAULT_TOKENS, Redaction, redact

__all__ = ["DEFAULT_TOKENS", "Redaction", "redact"]
