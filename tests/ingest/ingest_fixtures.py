"""Builders of small WARC files, good and bad, written with warcio (the reference writer)."""

from __future__ import annotations

from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGE = (
    '<html lang="gl"><head><title>Praia {i}</title></head><body><nav>Inicio | Contacto</nav>'
    "<article><p>A praia número {i} de Galicia ten area branca e augas frías, e os veciños "
    "bañanse nela todos os veráns dende hai moitos anos.</p></article></body></html>"
)


def response_bytes(
    url: str,
    body: bytes,
    *,
    gzip: bool = True,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> bytes:
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    http = StatusAndHeaders(
        status,
        [("Content-Type", content_type), *extra_headers, ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    rec = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-01-01T00:00:00Z"},
    )
    writer.write_record(rec)
    return buf.getvalue()


def page(i: int, *, gzip: bool = True) -> bytes:
    return response_bytes(f"https://praias.example.gal/{i}", PAGE.format(i=i).encode(), gzip=gzip)


def warc_of(n: int, *, gzip: bool = True) -> bytes:
    return b"".join(page(i, gzip=gzip) for i in range(n))


def corrupt(member: bytes) -> bytes:
    mid = len(member) // 2
    return member[:mid] + b"\xff" * 16 + member[mid + 16 :]
