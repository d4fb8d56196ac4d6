import pytest

from corpusforge.pii import validators as v


@pytest.mark.parametrize("value", ["12345678Z", "00000000T", "99999999R", "45678901G"])
def test_dni_valid(value):
    assert v.dni_ok(value)


@pytest.mark.parametrize("value", ["12345678A", "00000000R", "1234567Z", "ABCDEFGHZ"])
def test_dni_invalid(value):
    assert not v.dni_ok(value)


def test_nie_maps_xyz_to_digits():
    assert v.nie_ok("X1234567L")  # 01234567 mod 23 = 19 -> L
    assert v.nie_ok("Y1234567X")  # 11234567 mod 23 = 10 -> X
    assert v.nie_ok("Z1234567R")  # 21234567 mod 23 = 1 -> R
    assert not v.nie_ok("X1234567A")
    assert not v.nie_ok("W1234567L")


def test_cif_control_digit_and_letter():
    assert v.cif_control("1234567") == 4
    assert v.cif_ok("B12345674")  # S.L.: digit control
    assert not v.cif_ok("B12345675")
    assert not v.cif_ok("B1234567D")  # A/B/E/H take a digit only
    assert v.cif_ok("Q1234567D")  # public body: letter control (4 -> D)
    assert not v.cif_ok("Q12345674")
    assert v.cif_ok("G12345674") and v.cif_ok("G1234567D")  # either for the others
    assert not v.cif_ok("X12345674")  # not an organisation letter


def test_iban_mod97():
    assert v.iban_ok("ES9121000418450200051332")
    assert not v.iban_ok("ES9221000418450200051332")
    assert not v.iban_ok("ES91210004184502000513")


def test_luhn():
    assert v.luhn_ok("4111111111111111")
    assert v.luhn_ok("378282246310005")  # Amex test number
    assert not v.luhn_ok("4111111111111112")
    assert not v.luhn_ok("411111111111")  # too short


def test_ip():
    assert v.ip_ok("192.168.1.20") and v.ip_ok("2001:db8::1")
    assert not v.ip_ok("256.1.1.1") and not v.ip_ok("12:30:45")


def test_iban_other_countries_and_odd_letters():
    assert v.iban_ok("GB82WEST12345698765432")  # letters inside the BBAN count A=10 ... Z=35
    assert not v.iban_ok("GB82WEST12345698765433")
    assert not v.iban_ok("ES91210004184502000513Ñ2")  # not a crash


# python-stdnum (bench extra) as an independent oracle on random candidates. Where the two differ by
# design, the test says which way: stdnum accepts either CIF control form for every organisation
# type, and checks the Spanish national digits of an IBAN on top of mod 97.
def test_agrees_with_python_stdnum_on_random_candidates():
    import random

    stdnum = pytest.importorskip("stdnum")
    from stdnum import iban, luhn
    from stdnum.es import cif, dni, nie

    assert stdnum
    rng = random.Random(0)
    digits = "0123456789"

    def pick(alphabet: str, n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    for _ in range(20000):
        d = pick(digits, 8) + rng.choice(v.DNI_LETTERS)
        assert v.dni_ok(d) == dni.is_valid(d), d
        n = rng.choice("XYZ") + pick(digits, 7) + rng.choice(v.DNI_LETTERS)
        assert v.nie_ok(n) == nie.is_valid(n), n
        c = rng.choice(v.CIF_TYPES) + pick(digits, 7) + rng.choice(digits + "ABCDEFGHIJ")
        assert not v.cif_ok(c) or cif.is_valid(c), c
        number = pick(digits, rng.randint(13, 19))
        assert v.luhn_ok(number) == luhn.is_valid(number), number
        account = "ES" + pick(digits, 22)
        assert not iban.is_valid(account) or v.iban_ok(account), account
