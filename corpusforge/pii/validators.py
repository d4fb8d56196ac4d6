"""Check digits of Spanish identifiers, IBAN and payment cards: what makes a match PII.

A number with a wrong check character is not an identifier (an order number is not a
DNI), so detectors keep only candidates these functions accept. Each takes the candidate
with separators already removed and upper-cased, and costs microseconds.
"""

from __future__ import annotations

import ipaddress

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"  # index = number mod 23 (Ministerio del Interior)
_NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}
_CIF_CONTROL_LETTERS = "JABCDEFGHI"  # index = control digit
_CIF_LETTER_ONLY = set("NPQRSW")  # these organisation types carry a letter as control
_CIF_DIGIT_ONLY = set("ABEH")  # these carry a digit
CIF_TYPES = "ABCDEFGHJNPQRSUVW"
_LETTER_VALUES = str.maketrans({chr(ord("A") + i): str(10 + i) for i in range(26)})  # IBAN: A=10 ... Z=35


def dni_ok(value: str) -> bool:
    """'12345678Z': eight digits and the letter of their remainder mod 23."""
    return len(value) == 9 and value[:8].isdigit() and DNI_LETTERS[int(value[:8]) % 23] == value[8]


def nie_ok(value: str) -> bool:
    """'X1234567L': X/Y/Z stand for 0/1/2 in front of the seven digits, then as a DNI."""
    prefix = _NIE_PREFIX.get(value[:1])
    return prefix is not None and len(value) == 9 and dni_ok(prefix + value[1:])


def cif_control(digits: str) -> int:
    """Control digit of a CIF/NIF of an organisation from its seven digits (Orden EHA/451/2008)."""
    even = sum(int(d) for d in digits[1::2])
    odd = sum(sum(divmod(2 * int(d), 10)) for d in digits[0::2])
    return (10 - (even + odd) % 10) % 10


def cif_ok(value: str) -> bool:
    """'B12345674': organisation letter, seven digits, control digit or letter as the type requires."""
    if len(value) != 9 or value[0] not in CIF_TYPES or not value[1:8].isdigit():
        return False
    digit = cif_control(value[1:8])
    as_digit, as_letter = value[8] == str(digit), value[8] == _CIF_CONTROL_LETTERS[digit]
    if value[0] in _CIF_LETTER_ONLY or value[1:3] == "00":
        return as_letter
    if value[0] in _CIF_DIGIT_ONLY:
        return as_digit
    return as_digit or as_letter


def iban_ok(value: str) -> bool:
    """ISO 13616 mod-97 check; a Spanish IBAN is 'ES' + 2 check digits + 20 digits."""
    if len(value) < 15 or not value[:2].isalpha() or not value[2:].isalnum():
        return False
    try:
        return int((value[4:] + value[:4]).translate(_LETTER_VALUES)) % 97 == 1
    except ValueError:  # a letter outside A-Z ("Ñ", "ÿ"): not an IBAN
        return False


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check used by every payment card number."""
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def ip_ok(value: str) -> bool:
    """A syntactically valid IPv4 or IPv6 address (octets <= 255, at most one '::')."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
