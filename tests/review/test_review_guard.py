"""The review app is a server on the reviewer's machine: other web pages must not write labels through
it (cross-origin POST), read the sample through it (DNS rebinding, a missing token), or crash it with a
bad body. Each case is a request a browser or a hostile page can send."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from app_client import Client, serving

from corpusforge.review.guard import RequestGuard
from corpusforge.review.labels import LABELS_FILE
from corpusforge.review.server import make_server

JSON = "application/json"


def _label_body(app: Client) -> bytes:
    doc = app.get("/api/docs")[0]["id"]
    return json.dumps({"doc": doc, "reviewer": "intrús", "verdict": "correct"}).encode()


def test_cross_origin_writes_are_refused(review_dir: Path) -> None:
    with serving(review_dir) as app:
        body = _label_body(app)
        own = f"http://127.0.0.1:{app.port}"
        for headers, status in (
            # What a form or fetch(..., {mode: "no-cors"}) on any page sends: no preflight.
            ({"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403),
            ({"Origin": "http://evil.example", "Content-Type": JSON}, 403),
            ({"Origin": "null", "Content-Type": JSON}, 403),  # a sandboxed iframe or a file:// page
            ({"Referer": "http://evil.example/page", "Content-Type": JSON}, 403),
            ({"Referer": "http://[::1", "Content-Type": JSON}, 403),
            ({"Origin": "http://127.0.0.1:1", "Content-Type": JSON}, 403),  # another local server
            ({"Origin": own, "Content-Type": "text/plain"}, 415),
            ({"Origin": own, "Content-Type": "application/x-www-form-urlencoded"}, 415),
            ({"Origin": own}, 415),
        ):
            reply = app.request("POST", "/api/label", body, headers=headers)
            assert reply.status == status, (headers, reply)
            assert "error" in reply.body
        # The app's own page may write.
        assert app.request("POST", "/api/label", body, headers={"Origin": own, "Content-Type": JSON}).status == 200
    lines = (review_dir / LABELS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1


def test_the_api_needs_the_launch_token(review_dir: Path) -> None:
    with serving(review_dir) as app:
        body = _label_body(app)
        own = {"Origin": f"http://127.0.0.1:{app.port}", "Content-Type": JSON}
        for auth in (None, "Bearer ", "Bearer wrong-token", f"Basic {app.token}", app.token):
            headers = {} if auth is None else {"Authorization": auth}
            for path in ("/api/meta", "/api/docs", "/api/doc?i=0", "/api/progress?reviewer=x", "/api/nothing"):
                reply = app.request("GET", path, headers=headers, token=False)
                assert reply.status == 401, (auth, path, reply)
                assert "token" in reply.body["error"]
            reply = app.request("POST", "/api/label", body, headers=headers | own, token=False)
            assert reply.status == 401
        # The page itself holds no data, so a browser can load it and then send the token.
        page = app.request("GET", "/", token=False)
        assert page.status == 200 and b"corpusforge review" in page.body
        assert app.request("GET", "/static/app.js", token=False).status == 200
        # The printed address carries the token; each launch has its own.
        assert app.url == f"http://127.0.0.1:{app.port}/?token={app.token}" and len(app.token) >= 32
    with serving(review_dir) as again:
        assert again.token != app.token
    assert not (review_dir / LABELS_FILE).exists()


def test_a_foreign_host_header_is_refused(review_dir: Path) -> None:
    """DNS rebinding: evil.com resolves to 127.0.0.1 after the page loaded; the browser then sends
    `Host: evil.com` to this server, with evil.com's page able to read the reply."""
    with serving(review_dir) as app:
        for host in ("evil.com", f"evil.com:{app.port}", "127.0.0.1.evil.com", "localhost.evil.com", ""):
            for path in ("/api/doc?i=0", "/api/meta", "/"):
                reply = app.request("GET", path, headers={"Host": host})
                assert reply.status == 403, (host, path, reply)
        for host in (f"127.0.0.1:{app.port}", f"localhost:{app.port}", "localhost", f"LOCALHOST:{app.port}"):
            assert app.request("GET", "/api/doc?i=0", headers={"Host": host}).status == 200, host


@pytest.mark.parametrize(
    ("body", "length", "status"),
    [
        (b"[]", None, 400),
        (b"[1, 2]", None, 400),
        (b"3", None, 400),
        (b"null", None, 400),
        (b'"a string"', None, 400),
        (b"{not json", None, 400),
        (b"\xff\xfe{}", None, 400),
        (b"{}", "abc", 400),
        (b"{}", "-1", 400),
        (b"{}", "1e3", 400),
        (b"{}", "", 411),
        (b"", None, 400),
        (b"{}" + b" " * 70_000, None, 413),
    ],
)
def test_a_bad_body_gets_a_reply_not_a_traceback(review_dir: Path, capfd, body, length, status) -> None:
    with serving(review_dir) as app:
        headers = {"Content-Type": JSON, "Origin": f"http://127.0.0.1:{app.port}"}
        if length is not None:
            headers["Content-Length"] = length
        if length == "":
            del headers["Content-Length"]
            reply = app.request("POST", "/api/label", None, headers=headers)
        else:
            reply = app.request("POST", "/api/label", body, headers=headers)
        assert reply.status == status and "error" in reply.body
        assert app.get("/api/meta")["count"] > 0  # and the server goes on answering
    assert "Traceback" not in capfd.readouterr().err
    assert not (review_dir / LABELS_FILE).exists()


def test_hosts_a_guard_accepts() -> None:
    local = RequestGuard(token="t" * 32, host="127.0.0.1")
    assert local.host_allowed("127.0.0.1:8765") and local.host_allowed("localhost") and local.host_allowed("[::1]:80")
    assert not local.host_allowed("evil.com") and not local.host_allowed("192.168.1.20:8765")
    assert not local.host_allowed("[::1") and not local.host_allowed("a b")
    # Serving a team (--host 0.0.0.0): the machine's own names and any address literal (a rebinding
    # attack needs a name it controls), plus names given with --allow-host.
    team = RequestGuard(token="t" * 32, host="0.0.0.0", allow_hosts=("review.lab.example",))
    assert team.host_allowed("192.168.1.20:8765") and team.host_allowed("[fe80::1]:8765")
    assert team.host_allowed("review.lab.example:8765") and team.host_allowed("localhost")
    assert not team.host_allowed("evil.com:8765")
    named = RequestGuard(token="t" * 32, host="review.lab.example")
    assert named.host_allowed("review.lab.example") and not named.host_allowed("192.168.1.20")
    with pytest.raises(ValueError, match="token"):
        RequestGuard(token="short", host="127.0.0.1")


def test_the_review_command_prints_the_address_with_its_token(review_dir: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpusforge.cli", "review", str(review_dir), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", line)
        assert found, line
        app = Client(port=int(found[1]), token=found[2], url=found[0])
        assert app.get("/api/meta")["count"] > 0
        assert app.request("GET", "/api/meta", token=False).status == 401
    finally:
        os.kill(proc.pid, signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


def test_a_host_name_stays_a_name_in_the_printed_address(review_dir: Path) -> None:
    server = make_server(review_dir, port=0, host="localhost")
    try:
        # Bound by name: the address shows the name, which the guard answers to (not the resolved IP).
        assert server.url.startswith(f"http://localhost:{server.server_address[1]}/?token=")
        assert server.guard.host_allowed(f"localhost:{server.server_address[1]}")
    finally:
        server.server_close()
