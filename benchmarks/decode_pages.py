"""How every real page of ../shared/data/html decodes: charset, bad bytes, mojibake, a digest of the text.

A tab-separated line per page (the HTML files, read as fetched without an HTTP header, and
every HTML response of the WARC files, read by `ingest.warc.v1`), so that two versions of the
decoder can be compared page by page:

    python benchmarks/decode_pages.py > new.tsv
    PYTHONPATH=/path/to/older/checkout python benchmarks/decode_pages.py > old.tsv
    diff old.tsv new.tsv

Mojibake counts the UTF-8-read-as-cp1252 sequences of `corpusforge.quality.mojibake` (0 when
that module is absent, as in older checkouts). Exits 0 and says so when the data is absent.

    python benchmarks/decode_pages.py --western

prints instead the Western share that `charset._reads_as_western` tests (cp1252 letters among
the high bytes that touch an ASCII letter or digit) of a document of 60 lid-train lines per
language encoded in cp1252, and of short texts written here in their legacy codepages.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

# Running a file in benchmarks/ puts that folder first on sys.path, where benchmarks/dedup.py would
# shadow the `dedup` library that corpusforge's stages import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"


def _mojibake_counter():
    try:
        from corpusforge.quality.mojibake import PATTERN
    except ImportError:
        return lambda text: 0
    compiled = re.compile(PATTERN)
    return lambda text: len(compiled.findall(text))


# Text in the legacy codepages that undeclared pages of other scripts use.
NON_WESTERN = {
    "ru cp1251": (
        "Москва — столица России. В городе живут и работают миллионы людей, и у каждого своя история.",
        "cp1251",
    ),
    "ru koi8-r": (
        "Москва - столица России. В городе живут и работают миллионы людей, и у каждого своя история.",
        "koi8-r",
    ),
    "el cp1253": ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του κόσμου.", "cp1253"),
    "he cp1255": ("ירושלים היא עיר הבירה של מדינת ישראל והעיר הגדולה ביותר בה, עם היסטוריה ארוכה.", "cp1255"),
    "ar cp1256": ("القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها وهي أيضا أكبر مدينة في العالم العربي.", "cp1256"),
    "ja shift_jis": (
        "東京は日本の首都であり、世界最大級の都市圏を形成している。人口は約千四百万人である。",
        "shift_jis",
    ),
    "ja euc_jp": ("東京は日本の首都であり、世界最大級の都市圏を形成している。人口は約千四百万人である。", "euc_jp"),
    "zh gbk": ("北京是中华人民共和国的首都，也是全国的政治、文化和国际交往中心。北京有三千多年的历史。", "gbk"),
    "zh big5": ("臺北是中華民國的首都，也是全國的政治、文化和經濟中心，人口約二百六十萬人。", "big5"),
    "ko euc_kr": (
        "서울은 대한민국의 수도이자 최대 도시이다. 인구는 약 천만 명이며 한강이 도시를 가로지른다.",
        "euc_kr",
    ),
    "pl cp1250": ("Zażółć gęślą jaźń. Warszawa jest stolicą Polski i największym miastem kraju, nad Wisłą.", "cp1250"),
    "cs cp1250": ("Příliš žluťoučký kůň úpěl ďábelské ódy. Praha je hlavní město České republiky.", "cp1250"),
    "tr cp1254": ("İstanbul, Türkiye'nin en kalabalık şehri ve ekonomik, kültürel ve tarihi merkezidir.", "cp1254"),
}


def western_shares() -> int:
    from corpusforge.ingest import charset

    def share(body: bytes) -> float:
        letters = len(charset._LETTER.findall(body))
        return len(charset._LETTER_BY_ASCII.findall(body)) / letters if letters else 1.0

    print(f"text\tcodepage\twestern share (reads as Western at >= {charset._WESTERN_MIN_SHARE})")
    lid = DATA.parent / "lid-train"
    for path in sorted(lid.glob("*.txt")) if lid.is_dir() else []:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()][:60]
        body = f"<html><body><p>{'</p><p>'.join(lines)}</p></body></html>".encode("cp1252", "ignore")
        print(f"lid-train {path.stem}\tcp1252\t{share(body):.3f}")
    for name, (text, codepage) in NON_WESTERN.items():
        print(f"{name}\t{codepage}\t{share(f'<html><body><p>{text}</p></body></html>'.encode(codepage)):.3f}")
    return 0


def main() -> int:
    if "--western" in sys.argv[1:]:
        return western_shares()
    if not DATA.is_dir():
        print(f"decode_pages: {DATA} is absent; nothing to compare")
        return 0
    from corpusforge.ingest.charset import decode_html
    from corpusforge.stages.ingest_warc import IngestWarc, WarcConfig

    count = _mojibake_counter()
    print("page\tcharset\tundecodable\tmojibake\tsha1")
    for path in sorted(DATA.rglob("*.html")):
        text, charset, bad = decode_html(path.read_bytes(), "")
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        print(f"{path.relative_to(DATA)}\t{charset}\t{bad}\t{count(text)}\t{digest}")
    for path in sorted(DATA.rglob("*.warc.gz")):
        stage = IngestWarc(WarcConfig(paths=[str(path)]))
        for table in stage.read_shard(stage.list_shards()[0]):
            for row in table.to_pylist():
                if row["html"] is None:
                    continue
                digest = hashlib.sha1(row["html"].encode("utf-8", "surrogatepass")).hexdigest()[:12]
                name = f"{path.relative_to(DATA)}#{row['url']}"
                print(f"{name}\t{row['charset']}\t{row['undecodable_bytes']}\t{count(row['html'])}\t{digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
