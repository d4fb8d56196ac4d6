"""Who may talk to a local web app, and what a request must look like: a guard every endpoint gets.

The review app serves a sample of the corpus and writes labels that become threshold patches. It
runs on the reviewer's machine next to their browser, so any web page they open can send it
requests. Four checks stop that (the same ones Jupyter makes):

- **Host**: only this machine's names. A DNS-rebinding page (evil.com re-resolved to 127.0.0.1)
  reaches the server with `Host: evil.com` and could read the replies; it is refused.
- **Token**: a random token per launch, printed in the address the command shows and sent by the
  page as `Authorization: Bearer ...` on every API call. Another page cannot know it, and a custom
  header makes a browser ask (CORS preflight) before a cross-origin call, which we never grant.
- **Writes**: same origin (`Origin`, else `Referer`, when the client sends one) and
  `Content-Type: application/json`. A page may POST text/plain or a form anywhere without a preflight.
- **Body**: a JSON object of at most `max_body` bytes with a valid `Content-Length`; anything else is
  a 4xx reply, never a traceback and a dropped connection.

`GuardedHandler` runs them before any route: an endpoint added to `get` or `post` is guarded without
doing anything; only `public_paths` (the page and its static files, which hold no data) skip the token.
"""

from __future__ import annotations

import hmac
import io
import ipaddress
import json
import re
import socket
import sys
import traceback
from collections.abc import Iterable
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, BinaryIO, ClassVar
from urllib.parse import parse_qs, urlsplit

WILDCARD_HOSTS = ("", "0.0.0.0", "::")
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
MIN_TOKEN_CHARS = 32
_HOST_HEADER = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")
_LENGTH = re.compile(r"[0-9]{1,12}")
_DRAIN_LIMIT = 1 << 20  # read (and drop) at most this much of a refused body, so the reply is not reset
# Every reply: no MIME sniffing, no framing (a framed app could be tricked into labels by keystrokes),
# nothing loaded from elsewhere, and no Referer (the address holds the token).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Refused(Exception):
    """A request the guard or a route turns down, with the HTTP status to answer."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _host_name(value: str) -> str | None:
    """The lower-case host name of a Host (or origin netloc) value, or None when it is malformed."""
    m = _HOST_HEADER.fullmatch(value.strip())
    return m[1].strip("[]").lower().rstrip(".") if m else None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class RequestGuard:
    """The checks of one server launch: its token and the Host names it answers to.

    `host` is the address the server is bound to. Bound to one address or name, it answers to that
    and to localhost; bound to all interfaces (`0.0.0.0`, to serve a team on a LAN), also to this
    machine's host names and to any IP address literal (a rebinding attack needs a name it controls).
    `allow_hosts` adds names (a LAN DNS name, a reverse proxy).
    """

    def __init__(self, *, token: str, host: str, allow_hosts: Iterable[str] = ()) -> None:
        if len(token) < MIN_TOKEN_CHARS:
            raise ValueError(f"the token must have at least {MIN_TOKEN_CHARS} characters")
        self.token = token
        self.any_address = host in WILDCARD_HOSTS
        names = set(LOCAL_NAMES) | {n.strip().lower().rstrip(".") for n in allow_hosts if n.strip()}
        if self.any_address:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        else:
            names.add(host.strip("[]").lower().rstrip("."))
        self.names = frozenset(names)

    def host_allowed(self, value: str) -> bool:
        name = _host_name(value)
        if name is None:
            return False
        return name in self.names or (self.any_address and _is_ip(name))

    def check_host(self, headers: Message) -> None:
        if not self.host_allowed(headers.get("Host") or ""):
            raise Refused(HTTPStatus.FORBIDDEN, "this server does not answer to that Host name")

    def check_token(self, headers: Message) -> None:
        scheme, _, given = (headers.get("Authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise Refused(
                HTTPStatus.UNAUTHORIZED,
                "missing or wrong token: open the address `corpusforge review` printed (it ends in ?token=...)",
            )

    def check_write(self, headers: Message) -> None:
        """Same origin (when the client says where it comes from) and a JSON body."""
        origin = headers.get("Origin")
        if origin is None and headers.get("Referer"):
            try:
                ref = urlsplit(headers["Referer"])
                origin = f"{ref.scheme}://{ref.netloc}"
            except ValueError:  # "http://[::1": no origin we could be
                origin = "(malformed Referer)"
        if origin is not None and not self._same_origin(origin, headers.get("Host") or ""):
            raise Refused(HTTPStatus.FORBIDDEN, f"cross-origin write refused (from {origin[:100]})")
        if headers.get_content_type() != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json")

    @staticmethod
    def _same_origin(origin: str, host: str) -> bool:
        scheme, sep, netloc = origin.strip().lower().partition("://")
        return bool(sep) and scheme in ("http", "https") and netloc == host.strip().lower()


def read_body(headers: Message, rfile: BinaryIO | io.BufferedIOBase, *, limit: int) -> bytes:
    """Exactly Content-Length bytes (at most `limit`); a missing, malformed or too large length is refused."""
    if headers.get("Transfer-Encoding"):
        raise Refused(HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not accepted: send Content-Length")
    lengths = headers.get_all("Content-Length") or []
    if not lengths:
        raise Refused(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required")
    if len(lengths) > 1 or not _LENGTH.fullmatch(lengths[0].strip()):
        raise Refused(HTTPStatus.BAD_REQUEST, f"bad Content-Length {lengths[0][:20]!r}")
    length = int(lengths[0])
    if length > limit:
        rfile.read(min(length, _DRAIN_LIMIT))
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {length} bytes; at most {limit}")
    try:
        data = rfile.read(length)
    except OSError as exc:  # the socket time-out: a client that announced more than it sent
        raise Refused(HTTPStatus.REQUEST_TIMEOUT, f"body not received: {exc}") from None
    if len(data) < length:
        raise Refused(HTTPStatus.BAD_REQUEST, f"body has {len(data)} bytes, Content-Length said {length}")
    return data


def json_object(data: bytes) -> dict[str, Any]:
    """The body as a JSON object (UTF-8); a list, number, string, null or bad JSON is refused."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(HTTPStatus.BAD_REQUEST, "the body is not UTF-8") from None
    except ValueError as exc:
        raise Refused(HTTPStatus.BAD_REQUEST, f"the body is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise Refused(HTTPStatus.BAD_REQUEST, f"the body must be a JSON object, not {type(obj).__name__}")
    return obj


class GuardedHandler(BaseHTTPRequestHandler):
    """A request handler that guards every request, then calls `get` or `post` with the checked input.

    Subclasses set `guard` (usually through `guarded`) and override `get(path, query)` and
    `post(path, body)`; both answer with `send_json` / `send_body` or raise `Refused`.
    """

    guard: ClassVar[RequestGuard]
    public_paths: ClassVar[frozenset[str]] = frozenset()  # GET without the token (the Host is still checked)
    public_prefixes: ClassVar[tuple[str, ...]] = ()
    max_body: ClassVar[int] = 64 * 1024
    timeout = 30  # seconds a connection may stall (a body shorter than its Content-Length)

    def get(self, path: str, query: dict[str, str]) -> None:
        raise Refused(HTTPStatus.NOT_FOUND, "not found")

    def post(self, path: str, body: dict[str, Any]) -> None:
        raise Refused(HTTPStatus.NOT_FOUND, "not found")

    def send_body(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in SECURITY_HEADERS.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, obj: Any, status: int = HTTPStatus.OK) -> None:
        self.send_body(status, json.dumps(obj, ensure_ascii=False, default=str).encode(), "application/json")

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._handle(write=False)

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self._handle(write=True)

    def _handle(self, *, write: bool) -> None:
        try:
            url = urlsplit(self.path)
            # Read a POST body first, even one about to be refused: closing a socket with unread
            # data resets the connection, and the client would lose the reply.
            data = read_body(self.headers, self.rfile, limit=self.max_body) if write else b""
            self.guard.check_host(self.headers)
            if write or not self._public(url.path):
                self.guard.check_token(self.headers)
            if write:
                self.guard.check_write(self.headers)
                self.post(url.path, json_object(data))
            else:
                self.get(url.path, {k: v[0] for k, v in parse_qs(url.query).items()})
        except Refused as exc:
            self.send_json({"error": exc.message}, exc.status)
        except Exception:  # a bug in a route: say so to the client and in the log, keep serving
            traceback.print_exc(file=sys.stderr)
            self.send_json({"error": "internal error (see the server's log)"}, HTTPStatus.INTERNAL_SERVER_ERROR)

    def _public(self, path: str) -> bool:
        return path in self.public_paths or path.startswith(self.public_prefixes)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # quiet: the terminal shows the address, not every request
