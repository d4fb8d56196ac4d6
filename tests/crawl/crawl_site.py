"""A generated multi-host web site on 127.0.0.1 for the crawl tests (one port per host).

Hosts:
- `main`: robots.txt disallows /private/ and asks Crawl-delay 0.2; pages in five encodings,
  redirects, a redirect loop, a redirect chain, 404, 500, a 429 that recovers, a slow page,
  a 20 MB page, a PDF, links out of scope, malformed links, a sitemap and a non-XML sitemap.
- `html_robots`: robots.txt is an HTML page (so nothing is disallowed); Basque and Galician.
- `closed`: robots.txt disallows everything.
- `robots_500`: robots.txt answers 500.
Every request is logged (host, path as sent, start time, User-Agent, Host header) for the assertions.
A path with a query is also found under its sorted query, as a web application that parses the
query would answer it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIG_BYTES = 20 * 1024 * 1024

ES = "La ciudad amaneció tranquila y los vecinos salieron a pasear por el parque antes de que empezara a llover."
CA = "Aquest matí la col·lecció de llibres antics s'ha exposat a la biblioteca municipal de la ciutat de Girona."
VAL = "Els xiquets i les xiquetes han eixit al carrer per a vore la cavalcada, i después tornaren a casa a sopar."
EU = "Gaur goizean herriko plazan azoka egin dute eta jende asko etorri da inguruko herrietatik erosketak egitera."
GL = "Onte pola tarde choveu moito na cidade e as rúas quedaron baleiras ata que o sol volveu saír polo serán."

# path -> (text, charset, how the charset is declared: "header", "meta" or "none")
ENCODED_PAGES = {
    "/enc/utf8": (GL + " Ñandú, pingüino, ça.", "utf-8", "none"),
    "/enc/latin1": (ES + " Año, niño, ¿qué?", "iso-8859-1", "header"),
    "/enc/cp1252": (CA + " “Cometes” — i guions.", "windows-1252", "meta"),
    "/enc/latin9": (EU + " Prezioa: 5 €.", "iso-8859-15", "header"),
    "/enc/utf16": (VAL + " Ací i allà.", "utf-16", "header"),
}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay_s: float = 0.0
    stream_bytes: int = 0  # send this many filler bytes after `body`, without Content-Length


Route = Callable[[int], Response]  # argument: how many times this path was requested before


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    at: float
    user_agent: str
    host_header: str = ""


class Site:
    """The servers, their routes and the shared request log."""

    def __init__(self) -> None:
        self.routes: dict[str, dict[str, Route]] = {}
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()

    def base(self, host: str) -> str:
        return f"http://127.0.0.1:{self.servers[host].server_address[1]}"

    def hits(self, host: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if host is None or h.host == host]

    def start(self, host: str, routes: dict[str, Route]) -> None:
        self.routes[host] = routes
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, host))
        server.daemon_threads = True
        self.servers[host] = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def record(self, host: str, path: str, ua: str, host_header: str = "") -> int:
        with self._lock:
            before = sum(1 for h in self.log if h.host == host and h.path == path)
            self.log.append(Hit(host, path, time.time(), ua, host_header))
            return before

    def route(self, host: str, path: str) -> Route | None:
        routes = self.routes[host]
        if path in routes or "?" not in path:
            return routes.get(path)
        base, query = path.split("?", 1)
        return routes.get(f"{base}?{'&'.join(sorted(query.split('&')))}")


def _handler(site: Site, host: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            seen = site.record(host, self.path, self.headers.get("User-Agent", ""), self.headers.get("Host", ""))
            route = site.route(host, self.path)
            resp = route(seen) if route else Response(404, b"<html><body>no such page</body></html>")
            if resp.delay_s:
                time.sleep(resp.delay_s)
            try:
                self.send_response(resp.status)
                for k, v in resp.headers.items():
                    self.send_header(k, v)
                if resp.stream_bytes:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(resp.body)
                    chunk = b"x" * 65536
                    for _ in range(resp.stream_bytes // len(chunk)):
                        self.wfile.write(chunk)
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the crawler gave up on a big page: expected

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
            pass

    return Handler


def page(title: str, text: str, links: list[str], *, lang: str = "es") -> bytes:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{text}</p><ul>{anchors}</ul></body></html>"
    ).encode()


def _static(resp: Response) -> Route:
    return lambda _seen: resp


def _encoded(text: str, charset: str, declared: str) -> Response:
    meta = f'<meta charset="{charset}">' if declared == "meta" else ""
    html = f"<html><head>{meta}<title>enc</title></head><body><p>{text}</p></body></html>"
    ctype = f"text/html; charset={charset}" if declared == "header" else "text/html"
    return Response(body=html.encode(charset), headers={"Content-Type": ctype})


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(site: Site) -> None:
    """Start the four hosts; links between them need every port, so routes are set after start."""
    for host in ("main", "html_robots", "closed", "robots_500"):
        site.start(host, {})
    main, other = site.base("main"), site.base("html_robots")
    dead = f"http://127.0.0.1:{unused_port()}/"
    html = {"Content-Type": "text/html; charset=utf-8"}
    home_links = [
        "/p/1",
        "/p/2?utm_source=news&b=2&a=1#frag",
        "/p/2?a=1&b=2",  # the same page as the line above once canonical
        "/private/secret",
        "/redir",
        "/loop-a",
        "/chain/0",
        "/missing",
        "/broken",
        "/busy",
        "/slow",
        "/big",
        "/big-stream",
        "/doc.pdf",
        *ENCODED_PAGES,
        f"{other}/eu",
        site.base("closed") + "/",
        site.base("robots_500") + "/",
        dead,
        "https://example.invalid/out-of-scope",
        "http://[broken",
        "mailto:someone@example.org",
        "javascript:void(0)",
    ]
    main_routes: dict[str, Route] = {
        "/robots.txt": _static(
            Response(
                body=b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n",
                headers={"Content-Type": "text/plain"},
            )
        ),
        "/": _static(Response(body=page("Inici", CA, home_links, lang="ca"))),
        "/p/1": _static(Response(body=page("Una", ES, ["/p/3", "/private/also"]))),
        "/p/2?a=1&b=2": _static(Response(body=page("Dos", VAL, ["/"], lang="ca-valencia"))),
        "/p/3": _static(Response(body=page("Tres", ES, []))),
        "/private/secret": _static(Response(body=b"secret")),
        "/private/also": _static(Response(body=b"secret")),
        "/redir": _static(Response(301, headers={"Location": "/p/redirected"})),
        "/p/redirected": _static(Response(body=page("Redirigida", ES, []))),
        "/loop-a": _static(Response(302, headers={"Location": "/loop-b"})),
        "/loop-b": _static(Response(302, headers={"Location": "/loop-a"})),
        "/missing": _static(Response(404, body=b"<html><body>not here</body></html>", headers=html)),
        "/broken": _static(Response(500, body=b"<html><body>oops</body></html>", headers=html)),
        "/busy": lambda seen: (
            Response(429, headers={"Retry-After": "0"}) if seen == 0 else Response(body=page("Ocupada", ES, []))
        ),
        "/slow": _static(Response(body=page("Lenta", ES, []), delay_s=1.5)),
        "/big": _static(Response(body=b"<html><body>" + b"a" * BIG_BYTES + b"</body></html>")),
        "/big-stream": _static(Response(body=b"<html><body>", stream_bytes=BIG_BYTES)),
        "/doc.pdf": _static(Response(body=b"%PDF-1.4 fake", headers={"Content-Type": "application/pdf"})),
        "/sitemap.xml": _static(
            Response(
                body=(
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<url><loc>{main}/p/from-sitemap</loc></url><url><loc>ht tp://bad entry</loc></url></urlset>"
                ).encode(),
                headers={"Content-Type": "application/xml"},
            )
        ),
        "/p/from-sitemap": _static(Response(body=page("Mapa", ES, []))),
        "/not-a-sitemap.xml": _static(Response(body=page("HTML", ES, []))),
    }
    for n in range(8):
        main_routes[f"/chain/{n}"] = _static(Response(302, headers={"Location": f"/chain/{n + 1}"}))
    for path, (text, charset, declared) in ENCODED_PAGES.items():
        main_routes[path] = _static(_encoded(text, charset, declared))
    site.routes["main"] = main_routes
    site.routes["html_robots"] = {
        "/robots.txt": _static(Response(body=page("Not robots", EU, []))),
        "/eu": _static(Response(body=page("Euskara", EU, ["/gl", "/eu?utm_medium=x"], lang="eu"))),
        "/gl": _static(Response(body=page("Galego", GL, [], lang="gl"))),
    }
    site.routes["closed"] = {
        "/robots.txt": _static(Response(body=b"User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"})),
        "/": _static(Response(body=page("Closed", ES, []))),
    }
    site.routes["robots_500"] = {"/robots.txt": _static(Response(500, body=b"down"))}
