"""Generated PII test set: valid and invalid identifiers embedded in running text.

Each document is two real sentences (from the text passed in) around one phrase, in es,
ca, gl or eu, that carries one identifier: either valid (check digits right, a Spanish
phone format, a well-formed address) or a look-alike that is not PII (wrong check letter
or digit, failed Luhn, octet > 255, a 9-digit number with a non-Spanish prefix, an
address without a domain). The generator is the project's own; validity is computed with
the published algorithms, written again here independently of corpusforge.pii.
"""

from __future__ import annotations

import random

_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
PHRASES = {
    "es": "Los datos del expediente son: {x}.",
    "ca": "Les dades de l'expedient són: {x}.",
    "gl": "Os datos do expediente son: {x}.",
    "eu": "Espedientearen datuak hauek dira: {x}.",
}
KINDS = ("email", "phone", "dni", "nie", "cif", "iban", "card", "ip")


def _dni(rng: random.Random, valid: bool) -> str:
    n = rng.randint(10_000_000, 99_999_999)
    letter = _LETTERS[n % 23] if valid else rng.choice(_LETTERS.replace(_LETTERS[n % 23], ""))
    return rng.choice(["{n}{l}", "{n}-{l}", "{d}.{e}.{f}-{l}"]).format(
        n=n, l=letter, d=str(n)[:2], e=str(n)[2:5], f=str(n)[5:]
    )


def _nie(rng: random.Random, valid: bool) -> str:
    prefix, n = rng.choice("XYZ"), rng.randint(0, 9_999_999)
    right = _LETTERS[("XYZ".index(prefix) * 10_000_000 + n) % 23]
    letter = right if valid else rng.choice(_LETTERS.replace(right, ""))
    return f"{prefix}{n:07d}{letter}"


def _cif(rng: random.Random, valid: bool) -> str:
    kind = rng.choice("ABG")  # A/B: digit control; G: digit or letter
    digits = f"{rng.randint(100_000, 9_999_999):07d}"
    even = sum(int(d) for d in digits[1::2])
    odd = sum((2 * int(d)) // 10 + (2 * int(d)) % 10 for d in digits[0::2])
    control = (10 - (even + odd) % 10) % 10
    if not valid:
        control = (control + rng.randint(1, 9)) % 10
    return f"{kind}{digits}{control}"


def _iban(rng: random.Random, valid: bool) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(20))
    check = 98 - int(bban + "142800") % 97  # E=14, S=28
    if not valid:
        check = (check + rng.randint(1, 96)) % 97 or 1
        if 98 - int(bban + "142800") % 97 == check:
            check = check % 96 + 1
    raw = f"ES{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, 24, 4)) if rng.random() < 0.7 else raw


def _luhn_digit(body: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return (10 - total % 10) % 10


def _card(rng: random.Random, valid: bool) -> str:
    body = rng.choice(["4", "51", "55", "2221", "6011"])
    body += "".join(str(rng.randint(0, 9)) for _ in range(15 - len(body)))
    check = _luhn_digit(body)
    number = body + str(check if valid else (check + rng.randint(1, 9)) % 10)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4)) if rng.random() < 0.6 else number


def _phone(rng: random.Random, valid: bool) -> str:
    first = rng.choice("6789") if valid else rng.choice("12345")
    digits = first + "".join(str(rng.randint(0, 9)) for _ in range(8))
    styles = ["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "{p} {a} {b} {c}", "{p}{a}{b}{c}", "{a2} {b2} {c2} {d2}"]
    return rng.choice(styles).format(
        p=rng.choice(["+34", "0034", "(+34)"]),
        a=digits[:3], b=digits[3:6], c=digits[6:],
        a2=digits[:3], b2=digits[3:5], c2=digits[5:7], d2=digits[7:],
    )  # fmt: skip


def _email(rng: random.Random, valid: bool) -> str:
    user = rng.choice(["maria.garcia", "jon_etxeberria", "info", "xose.lopez+web", "premsa"]) + str(rng.randint(1, 99))
    domain = rng.choice(["example.es", "correo.eus", "exemple.cat", "concello.gal", "mail.example.com"])
    return f"{user}@{domain}" if valid else rng.choice([f"{user} arroba {domain}", f"{user}@", f"@{user}"])


def _ip(rng: random.Random, valid: bool) -> str:
    if rng.random() < 0.7:
        octets = [rng.randint(1, 254) for _ in range(4)]
        if not valid:
            octets[rng.randint(0, 3)] = rng.randint(256, 999)
        return ".".join(map(str, octets))
    if valid:
        return "2001:db8::" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(rng.randint(1, 5)))
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"  # a time


MAKERS = {"email": _email, "phone": _phone, "dni": _dni, "nie": _nie, "cif": _cif, "iban": _iban,
          "card": _card, "ip": _ip}  # fmt: skip


def pii_documents(
    sentences: dict[str, list[str]], *, per_type: int, seed: int = 0
) -> list[tuple[str, str, bool, str, str]]:
    """(lang, kind, valid, identifier, document) with `per_type` valid and invalid per kind and language."""
    rng = random.Random(seed)
    docs = []
    for lang, phrase in PHRASES.items():
        for kind in KINDS:
            for valid in (True, False):
                for _ in range(per_type):
                    ident = MAKERS[kind](rng, valid)
                    text = " ".join([rng.choice(sentences[lang]), phrase.format(x=ident), rng.choice(sentences[lang])])
                    docs.append((lang, kind, valid, ident, text))
    return docs
