from urllib.parse import unquote, urlsplit

import pytest

from corpusforge.pii.url import redact_url

EMAIL, PHONE, DNI = "%3CEMAIL%3E", "%3CPHONE%3E", "%3CDNI%3E"


@pytest.mark.parametrize(
    ("url", "expected", "kind"),
    [
        # the value of a query parameter, plain or percent-encoded; other parameters untouched
        ("https://ajuntament.cat/contacte?email=maria@exemple.cat&lang=ca",
         f"https://ajuntament.cat/contacte?email={EMAIL}&lang=ca", "email"),
        ("https://ajuntament.cat/contacte?email=maria%40exemple.cat&lang=ca",
         f"https://ajuntament.cat/contacte?email={EMAIL}&lang=ca", "email"),
        ("https://tenda.es/pedido?id=7&tel=612345678", f"https://tenda.es/pedido?id=7&tel={PHONE}", "phone"),
        ("https://tenda.es/pedido?tel=612+34+56+78", f"https://tenda.es/pedido?tel={PHONE}", "phone"),
        ("https://tenda.es/pedido?tel=%2B34%20612%20345%20678", f"https://tenda.es/pedido?tel={PHONE}", "phone"),
        # a path segment, keeping the rest of the segment and the other segments
        ("https://web.eus/erabiltzailea/12345678Z/profila", f"https://web.eus/erabiltzailea/{DNI}/profila", "dni"),
        ("https://x.gal/u/xose.lopez%40concello.gal/", f"https://x.gal/u/{EMAIL}/", "email"),
        ("https://x.es/contacto-612345678.html", f"https://x.es/contacto-{PHONE}.html", "phone"),
        ("https://x.es/anuncio/tel_612345678", f"https://x.es/anuncio/tel_{PHONE}", "phone"),
        # the fragment
        ("https://x.es/p#maria@example.es", f"https://x.es/p#{EMAIL}", "email"),
    ],
)  # fmt: skip
def test_url_keeps_its_structure(url, expected, kind):
    result = redact_url(url)
    assert result.text == expected
    assert result.counts[kind] == 1 and sum(result.counts.values()) == 1
    before, after = urlsplit(url), urlsplit(result.text)
    assert (after.scheme, after.netloc) == (before.scheme, before.netloc)


def test_host_is_never_rewritten_and_a_clean_url_is_unchanged():
    for url in (
        "https://612345678.example.es/a",  # a number as host label: the domain must not break
        "https://www.example.es:8443/ruta/2024/05/articulo-123.html?page=2&sort=date#top",
        "https://ca.wikipedia.org/wiki/Albert_Einstein",
    ):
        result = redact_url(url)
        assert result.text == url and sum(result.counts.values()) == 0


def test_userinfo_with_personal_data_is_redacted_but_host_kept():
    result = redact_url("ftp://maria%40exemple.cat:secret@ftp.exemple.cat/fitxer.txt")
    assert result.counts["email"] == 1
    assert urlsplit(result.text).hostname == "ftp.exemple.cat"
    assert "maria" not in unquote(result.text)


def test_several_identifiers_and_custom_tokens():
    url = "https://x.es/a/12345678Z?mail=a.b@c.es&tel=+34612345678&ref=abc"
    result = redact_url(url, tokens={"dni": "[DNI]"})
    assert result.counts["dni"] == 1 and result.counts["email"] == 1 and result.counts["phone"] == 1
    assert result.text.startswith("https://x.es/a/%5BDNI%5D?mail=")
    assert result.text.endswith("&ref=abc")


def test_unparseable_url_is_redacted_as_text():
    result = redact_url("http://[::1/maria@example.es")  # invalid IPv6 host: urlsplit raises
    assert "maria@example.es" not in result.text and result.counts["email"] == 1


def test_dry_run_leaves_the_url():
    url = "https://x.es/?email=maria@example.es"
    result = redact_url(url, dry_run=True)
    assert result.text == url and result.counts["email"] == 1
