"""End to end in headless Chromium (Debian `chromium` + `chromium-driver`, driven by Selenium): a reviewer
labels documents with the keyboard, reasons included, and the label file holds exactly those labels; on a
real run, the app shows the rule that rejected a page and its signals against the thresholds, and the
report shows what a candidate threshold would do to the run."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpusforge.review.server import make_server

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver packages"),
]


@pytest.fixture
def app(review_dir: Path) -> Iterator[str]:
    server = make_server(review_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url  # http://127.0.0.1:PORT/?token=..., as `corpusforge review` prints it
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    # A phone-sized viewport (headless windows cannot be narrower than 500px, device emulation can).
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}
    )
    yield driver
    driver.quit()


def test_label_three_documents_with_the_keyboard(app: str, browser, review_dir: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 15)
    by_url = {
        r["url"]: r["id"] for r in pq.read_table(review_dir / "sample.parquet", columns=["id", "url"]).to_pylist()
    }
    # Without the token the page loads but the sample does not, and it says which address to open.
    browser.get(app.split("?")[0])
    wait.until(lambda d: "token" in d.find_element(By.ID, "fatal").text)
    assert not browser.find_element(By.ID, "login").is_displayed()
    browser.get(app)
    name = wait.until(
        lambda d: d.find_element(By.ID, "login-name") if d.find_element(By.ID, "login-name").is_displayed() else None
    )
    name.send_keys("Nerea", Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, "position").text.startswith("1 /"))

    def current_url() -> str:
        return browser.find_element(By.ID, "url").text

    def press(*keys: str) -> None:
        browser.switch_to.active_element.send_keys(*keys)

    def saved_and_moved(before: str) -> None:
        wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("saved") and current_url() != before)

    shown = []
    shown.append(current_url())
    press("c")
    saved_and_moved(shown[-1])

    shown.append(current_url())
    press("n")
    browser.switch_to.active_element.send_keys("menú de navegació, poc text")
    press(Keys.ESCAPE)
    press("r")  # "should reject" asks why: 2 is "boilerplate / not prose"
    wait.until(lambda d: d.find_element(By.ID, "reason-picker").is_displayed())
    assert "boilerplate" in browser.find_element(By.CSS_SELECTOR, "#reasons button:nth-child(2)").text
    press("2")
    saved_and_moved(shown[-1])

    shown.append(current_url())
    press("l")
    wait.until(lambda d: d.find_element(By.ID, "lang-input").is_displayed())
    browser.find_element(By.ID, "lang-input").send_keys("pt", Keys.ENTER)
    saved_and_moved(shown[-1])

    lines = [json.loads(x) for x in (review_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["doc"], x["reviewer"], x["verdict"], x["reason"]) for x in lines] == [
        (by_url[shown[0]], "Nerea", "correct", None),
        (by_url[shown[1]], "Nerea", "reject", "boilerplate"),
        (by_url[shown[2]], "Nerea", "lang", None),
    ]
    assert lines[1]["note"] == "menú de navegació, poc text" and lines[2]["lang"] == "pt"

    # Closing the page loses nothing: a fresh load remembers the reviewer and shows the progress.
    browser.get(app)
    wait.until(lambda d: d.find_element(By.ID, "overall").text.startswith("3 /"))
    # Redacted spans are highlighted: one <mark> per PII token of the text shown.
    for _ in range(10):
        text = browser.find_element(By.ID, "text").text
        if "<EMAIL>" in text:
            break
        before = current_url()
        press("j")
        wait.until(lambda d, before=before: current_url() != before)
    marks = browser.find_elements(By.CSS_SELECTOR, "#text mark.pii")
    assert "<EMAIL>" in text and len(marks) == text.count("<EMAIL>") + text.count("<PHONE>")
    # The app fits a phone: nothing wider than the 375px screen, the verdict buttons on screen.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 375
    button = browser.find_element(By.CSS_SELECTOR, "[data-verdict=reject]").rect
    assert button["x"] >= 0 and button["x"] + button["width"] <= 375 and button["y"] + button["height"] <= 812


@pytest.fixture(scope="module")
def catalan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from catalan_run import build as build_run

    from corpusforge.review.sample import SampleConfig, draw

    base = tmp_path_factory.mktemp("catalan-app")
    run = build_run(base)
    review = base / "review"
    draw(str(run), review, SampleConfig(seed=11, bands=5, per_band=6))
    return run, review


def test_reasons_rules_and_the_impact_of_a_candidate(catalan: tuple[Path, Path], browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from corpusforge.review.labels import Label, LabelStore
    from corpusforge.review.report import build

    _, review = catalan
    wait = WebDriverWait(browser, 15)
    rows = pq.read_table(
        review / "sample.parquet", columns=["id", "review_decision", "drop_reason", "q_words"]
    ).to_pylist()
    kept = sorted((r for r in rows if r["review_decision"] == "kept"), key=lambda r: (r["q_words"], r["id"]))
    short_rejected = next(r for r in rows if r["drop_reason"] == "quality:min_words")
    server = make_server(review, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app = f"{server.url}&reviewer=Carles"
    try:
        # A page rejected by min_words: the rule that rejected it, its value against the threshold.
        browser.get(f"{app}&doc={short_rejected['id']}")
        wait.until(lambda d: "quality:min_words" in d.find_element(By.ID, "why").text)
        hit = browser.find_element(By.CSS_SELECTOR, "#rules tr.hit").text
        assert hit.startswith("min_words") and str(short_rejected["q_words"]) in hit and "≥ 50" in hit
        assert "rejected it" in hit
        browser.switch_to.active_element.send_keys("k")  # should keep: proposes "too short" (Enter takes it)
        wait.until(lambda d: d.find_element(By.ID, "reason-picker").is_displayed())
        assert "too short" in browser.find_element(By.CSS_SELECTOR, "#reasons button.proposed").text
        browser.switch_to.active_element.send_keys("\ue007")  # Enter
        wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("saved"))
        # The shortest kept page: should be rejected, too short (key 1).
        browser.get(f"{app}&doc={kept[0]['id']}")
        wait.until(lambda d: d.find_element(By.ID, "decision").text == "KEPT")
        rule_rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#rules tbody tr")]
        assert any(r.startswith("min_words") and str(kept[0]["q_words"]) in r for r in rule_rows)
        assert not browser.find_elements(By.CSS_SELECTOR, "#rules tr.hit")  # nothing rejected a kept page
        browser.switch_to.active_element.send_keys("r")
        wait.until(lambda d: d.find_element(By.ID, "reason-picker").is_displayed())
        browser.switch_to.active_element.send_keys("1")
        wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("saved"))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    lines = [json.loads(x) for x in (review / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["doc"], x["verdict"], x["reason"]) for x in lines] == [
        (short_rejected["id"], "keep", "too_short"),
        (kept[0]["id"], "reject", "too_short"),
    ]
    # Five more "too short" pages and two reviewers' confirmations; then the report.
    store = LabelStore(review)
    for r in kept[1:6]:
        store.append(Label(doc=r["id"], reviewer="Carles", verdict="reject", reason="too_short"))
    for r in rows:
        if r["review_decision"] != "kept" and r["id"] != short_rejected["id"]:
            store.append(Label(doc=r["id"], reviewer="Ana", verdict="correct"))
        elif r["review_decision"] == "kept" and r["id"] not in {k["id"] for k in kept[:6]}:
            store.append(Label(doc=r["id"], reviewer="Bea", verdict="correct"))
    build(review)
    browser.get((review / "report.html").as_uri())
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.impact"))
    assert "Impact on the run" in browser.find_element(By.TAG_NAME, "body").text
    impact_rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.impact tr")]
    assert any(r.startswith("ca ") for r in impact_rows)
    assert "not enough labels" in browser.find_element(By.TAG_NAME, "body").text
