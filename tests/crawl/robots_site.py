"""Hosts on 127.0.0.1 that serve every robots.txt case the crawler must obey (issue #14).

Each host is one case; its "/" page links to an allowed page and to pages its robots.txt
forbids, spelled the ways that slipped through before. `forbidden(host, path)` is the test's
own reading of a logged request: the path as a server resolves it (unreserved escapes decoded,
repeated slashes merged, dot segments removed), checked with protego against the host's rules,
plus the resources that were only linked with another query order.

- `bom`: robots.txt starts with a UTF-8 byte-order mark;
- `html_type`: plain rules served as text/html;
- `big`: 600 kB robots.txt (more than the crawl's max_bytes), a rule at 300 kB;
- `dots`: links with dot segments, encoded or not, and doubled slashes;
- `query`: `Disallow: /*?replytocom`, linked as `/wp/?replytocom=5&p=3`;
- `jump`: redirects to `dots` and to `fresh` (a host seen only through a redirect);
- `r404` (no robots.txt), `r503` (always 503), `r503_once` (503, then rules);
- `hops5`: robots.txt reached after five redirects, the last to another host (`hops_end`);
- `hops6`: six redirects: more than RFC 9309 asks to follow, so the host is left alone.
"""

from __future__ import annotations

import itertools
import posixpath
import re
import string

from crawl_site import ES, Response, Route, Site, page, unused_port
from protego import Protego

RULES = "User-agent: *\nDisallow: /private/\n"
QUERY_RULES = "User-agent: *\nDisallow: /*?replytocom\n"
PLAIN = {"Content-Type": "text/plain"}
BIG_ROBOTS = 600_000  # bytes; the crawl's limits.max_bytes is 100_000 and RFC 9309 asks for 500 KiB
LATE_RULE_AT = 300_000

DOT_LINKS = [
    "/a/%2e%2e/private/x",
    "/a/.%2E/private/y",
    "/a/b/%2E%2E/%2e%2e/private/z",
    "/a/../private/p",
    "/%70rivate/w",
    "/a/%2e%2e//private/u",
]

CASE_HOSTS = ("bom", "html_type", "big", "dots", "query", "jump", "fresh", "r404", "r503", "r503_once")
HOP_HOSTS = ("hops5", "hops6", "hops_end")


def _static(resp: Response) -> Route:
    return lambda _seen: resp


def _home(links: list[str]) -> Route:
    return _static(Response(body=page("Inici", ES, links)))


def _ok(title: str = "Permesa") -> Route:
    return _static(Response(body=page(title, ES, [])))


def _big_robots() -> bytes:
    head = RULES.encode()
    filler = b"# " + b"x" * 77 + b"\n"
    body = head + filler * ((LATE_RULE_AT - len(head)) // len(filler)) + b"Disallow: /late/\n"
    return body + filler * ((BIG_ROBOTS - len(body)) // len(filler) + 1)


def build(site: Site) -> dict[str, str]:
    """Start the hosts; returns each host's robots.txt as the crawler should read it."""
    for host in (*CASE_HOSTS, *HOP_HOSTS):
        site.start(host, {})
    rules: dict[str, str] = {}
    for host, body, headers in (
        ("bom", b"\xef\xbb\xbf" + RULES.encode(), PLAIN),
        ("html_type", RULES.encode(), {"Content-Type": "text/html; charset=utf-8"}),
        ("big", _big_robots(), PLAIN),
        ("dots", RULES.encode(), PLAIN),
        ("fresh", RULES.encode(), PLAIN),
        ("query", QUERY_RULES.encode(), PLAIN),
    ):
        site.routes[host]["/robots.txt"] = _static(Response(body=body, headers=headers))
        rules[host] = body.decode("utf-8-sig")
    for host in ("bom", "html_type", "big", "dots", "fresh", "r503_once", "hops5", "hops6"):
        site.routes[host].update({"/": _home(["/ok", "/private/x"]), "/ok": _ok(), "/private/x": _ok("Secret")})
    site.routes["big"]["/"] = _home(["/ok", "/private/x", "/late/x"])
    site.routes["big"]["/late/x"] = _ok("Late")
    rules["big"] += "Disallow: /late/\n"
    site.routes["dots"]["/"] = _home(["/ok", *DOT_LINKS])
    site.routes["query"].update(
        {
            "/": _home(["/wp/?replytocom=5&p=3", "/wp/?p=4"]),
            "/wp/?p=3&replytocom=5": _ok("Reply"),
            "/wp/?p=4": _ok("Post"),
        }
    )
    fresh, dots = site.base("fresh"), site.base("dots")
    site.routes["jump"].update(
        {
            "/": _home(["/to-private", "/to-ok", "/to-fresh", "/to-fresh-ok"]),
            "/to-private": _static(Response(302, headers={"Location": f"{dots}/private/redirected"})),
            "/to-ok": _static(Response(302, headers={"Location": f"{dots}/ok"})),
            "/to-fresh": _static(Response(301, headers={"Location": f"{fresh}/private/x"})),
            "/to-fresh-ok": _static(Response(301, headers={"Location": f"{fresh}/ok"})),
        }
    )
    rules["jump"] = ""
    site.routes["r404"].update({"/": _home(["/ok"]), "/ok": _ok()})
    rules["r404"] = ""
    site.routes["r503"]["/robots.txt"] = _static(Response(503, body=b"busy"))
    site.routes["r503"]["/"] = _home([])
    rules["r503"] = "User-agent: *\nDisallow: /\n"  # nothing may be fetched while robots.txt fails
    site.routes["r503_once"]["/robots.txt"] = lambda seen: (
        Response(503, body=b"busy") if seen == 0 else Response(body=RULES.encode(), headers=PLAIN)
    )
    rules["r503_once"] = RULES
    _hop_chain(site, "hops5", hops=5, last=f"{site.base('hops_end')}/rules.txt")
    _hop_chain(site, "hops6", hops=6, last=f"{site.base('hops_end')}/rules.txt")
    site.routes["hops_end"]["/rules.txt"] = _static(Response(body=RULES.encode(), headers=PLAIN))
    rules["hops5"] = RULES
    rules["hops6"] = "User-agent: *\nDisallow: /\n"
    rules["hops_end"] = ""  # only its rules file (a robots.txt fetch) is ever requested
    return rules


def _hop_chain(site: Site, host: str, *, hops: int, last: str) -> None:
    """/robots.txt -> /hop/1 -> ... -> `last`: `hops` redirects in all."""
    names = ["/robots.txt", *(f"/hop/{n}" for n in range(1, hops))]
    targets = [*names[1:], last]
    for name, target in zip(names, targets, strict=True):
        site.routes[host][name] = _static(Response(301, headers={"Location": target}))


def seeds(site: Site) -> list[str]:
    dead = f"http://127.0.0.1:{unused_port()}/"
    return [site.base(h) + "/" for h in (*CASE_HOSTS, "hops5", "hops6") if h != "fresh"] + [dead]


_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
ROBOTS_PATHS = frozenset({"/robots.txt", "/rules.txt", *(f"/hop/{n}" for n in range(1, 6))})


def served_path(raw: str) -> str:
    """The path a typical server resolves a request target to (RFC 3986 section 6.2.2, merged slashes)."""
    path, mark, query = raw.partition("?")

    def unescape(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else m.group(0)

    resolved = posixpath.normpath(re.sub("/+", "/", re.sub("%([0-9a-fA-F]{2})", unescape, path)))
    if path.endswith("/") and resolved != "/":
        resolved += "/"
    return resolved + mark + query


def forbidden(rules: str, raw: str, *, user_agent: str) -> bool:
    """True when robots.txt `rules` forbid what a request for `raw` returns, in any query order."""
    parser = Protego.parse(rules)
    path, _, query = served_path(raw).partition("?")
    orders = ["&".join(p) for p in itertools.permutations(query.split("&"))] if query else [""]
    return any(not parser.can_fetch(f"http://h{path}" + (f"?{q}" if q else ""), user_agent) for q in orders)
