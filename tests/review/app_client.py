"""A review server on 127.0.0.1 for a test, and a client that sets every header by hand.

`http.client` rather than urllib: the security tests need to send what a browser or an attacker
would (a foreign Host or Origin, a text/plain body, a broken Content-Length).
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpusforge.review.server import make_server


@dataclass
class Reply:
    status: int
    body: Any  # parsed JSON, or the raw bytes when the body is not JSON


@dataclass
class Client:
    port: int
    token: str
    url: str  # what `corpusforge review` prints: the address with the token

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        headers: dict[str, str] | None = None,
        token: bool = True,
    ) -> Reply:
        """Send one request; `Authorization` carries the token unless `token=False` or `headers` sets it."""
        given = dict(headers or {})
        if token:
            given.setdefault("Authorization", f"Bearer {self.token}")
        if body is not None:
            given.setdefault("Content-Length", str(len(body)))
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host="Host" in given, skip_accept_encoding=True)
            for key, value in given.items():
                conn.putheader(key, value)
            conn.endheaders(body)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        try:
            return Reply(resp.status, json.loads(raw))
        except ValueError:
            return Reply(resp.status, raw)

    def get(self, path: str) -> Any:
        reply = self.request("GET", path)
        assert reply.status == 200, (path, reply)
        return reply.body

    def post(self, path: str, obj: Any) -> Reply:
        """A POST as the app's own page sends it: JSON, same origin, with the token."""
        headers = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{self.port}"}
        return self.request("POST", path, json.dumps(obj).encode(), headers=headers)


@contextmanager
def serving(review_dir: Path) -> Iterator[Client]:
    server = make_server(review_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Client(port=server.server_address[1], token=server.token, url=server.url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
