"""Robots and licence signals of one HTTP response (corpusforge.provenance.signals)."""

from __future__ import annotations

import pytest

from corpusforge.provenance.signals import (
    header_directives,
    license_id,
    license_link,
    meta_directives,
    opts_out,
    page_signals,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("noai, noimageai", {"noai", "noimageai"}),
        ("googlebot: noindex", set()),  # aimed at another agent
        ("googlebot: noindex, nofollow, CCBot: noai", {"noai"}),
        ("GPTBot: noai, noindex", {"noai", "noindex"}),  # the agent holds until the next one
        ("unavailable_after: 25 Jun 2030 15:00:00 PST, noarchive", {"unavailable_after", "noarchive"}),
        ("", set()),
        (None, set()),
    ],
)
def test_x_robots_tag_keeps_directives_for_everyone_and_for_ai_agents(value, expected):
    assert header_directives(value) == expected


def test_meta_tags_in_any_case_and_attribute_order():
    head = (
        b'<head><META NAME="Robots" CONTENT="NoAI, NoImageAI"><meta content="noindex" name="CCBot">'
        b"<meta name=googlebot content=nosnippet><meta name='tdm-reservation' content='1'>"
        b'<meta name="description" content="noai is not a directive here"></head>'
    )
    assert meta_directives(head) == {"noai", "noimageai", "noindex", "tdm-reservation"}
    assert meta_directives(b'<meta name="tdm-reservation" content="0">') == set()


def test_licence_links_rel_first_then_creative_commons():
    body = (
        b'<p><a href="https://creativecommons.org/licenses/by/3.0/">CC BY</a></p>'
        b'<footer><a class="x" rel="license noopener" href="/legal/llicencia">Llic\xc3\xa8ncia</a></footer>'
    )
    assert license_link(body, base_url="https://diari.example.cat/a/b") == "https://diari.example.cat/legal/llicencia"
    cc0 = b'<p>Dominio p\xc3\xbablico: <A HREF="https://creativecommons.org/publicdomain/zero/1.0/deed.es">CC0</A></p>'
    assert license_link(cc0) == "https://creativecommons.org/publicdomain/zero/1.0/deed.es"
    assert (
        license_link(b"<p>Licencia de obras: consulte el ayuntamiento.</p><script>/* @license MIT */</script>") is None
    )


def test_licence_ids_of_creative_commons_urls():
    assert license_id("https://creativecommons.org/licenses/by-nc-sa/4.0/deed.gl") == "cc-by-nc-sa-4.0"
    assert license_id("http://creativecommons.org/publicdomain/zero/1.0/") == "cc0-1.0"
    assert license_id("https://creativecommons.org/publicdomain/mark/1.0/") == "pdm-1.0"
    assert license_id("https://example.es/aviso-legal") is None


def test_page_signals_joins_header_meta_and_tdm_header():
    robots, licence = page_signals(
        "https://a.example.es/x",
        {"x-robots-tag": "noindex", "tdm-reservation": "1"},
        b'<html><head><meta name="robots" content="noai"></head><body>sin licencia</body></html>',
    )
    assert robots == "noai,noindex,tdm-reservation" and licence is None
    assert page_signals("https://a.example.es/", {}, b"<p>hola</p>") == (None, None)


def test_opts_out_only_for_ai_training_directives():
    assert opts_out("noai,noindex") and opts_out("tdm-reservation")
    assert not opts_out("noindex,nofollow") and not opts_out(None) and not opts_out("noimageai")
