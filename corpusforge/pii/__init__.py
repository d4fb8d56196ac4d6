"""PII detection and redaction for Spanish-language web text: e-mail, phone, DNI, NIE, CIF, IBAN, card, IP.

>>> from corpusforge.pii import redact
>>> redact("Escriu a maria@example.cat o truca al 612 34 56 78.").text
'Escriu a <EMAIL> o truca al <PHONE>.'

`redact_url` keeps a URL's structure; `redact_table` redacts every column of an Arrow table that
can carry personal data (text, title, url, ...).
"""

from corpusforge.pii.redact import DEFAULT_TOKENS, Redaction, redact
from corpusforge.pii.table import DEFAULT_COLUMNS, redact_table
from corpusforge.pii.url import redact_url

__all__ = ["DEFAULT_COLUMNS", "DEFAULT_TOKENS", "Redaction", "redact", "redact_table", "redact_url"]
