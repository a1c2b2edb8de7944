"""The explorer page and the report, in a real headless browser (Debian chromium through selenium)
and as text (offline, deterministic), on the 5-document, 4-outlet test corpus."""
from __future__ import annotations

import shutil
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from textcompare.cli import main

pytestmark = pytest.mark.model
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,2200")
# Every element under every shadow root (Bokeh renders its widgets in shadow DOM).
DEEP_QUERY = """
const sel = arguments[0]; const out = [];
function walk(root) { root.querySelectorAll(sel).forEach(e => out.push(e));
  root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) walk(e.shadowRoot); }); }
walk(document); return out;"""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def _external(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return [u for u in parser.urls if u.lower().startswith(("http://", "https://", "//"))]


@pytest.mark.parametrize("package", ["report", "plots"])
def test_presentation_code_names_no_external_url(package):
    root = Path(__file__).resolve().parents[1] / "src" / "textcompare" / package
    offenders = [p.name for p in root.glob("*.py") if "http://" in p.read_text() or "https://" in p.read_text()]
    assert offenders == []


@pytest.fixture(scope="module")
def pages(four_group_corpus, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("explore")
    assert main(["explore", "--corpus", str(four_group_corpus), "--out", str(out / "explorer.html"),
                 "--resamples", "99"]) == 0
    assert main(["explore", "--corpus", str(four_group_corpus), "--out", str(out / "again.html"),
                 "--resamples", "99"]) == 0
    return {"explorer": out / "explorer.html", "again": out / "again.html"}


def test_explorer_is_offline_and_deterministic(pages):
    page = pages["explorer"].read_text(encoding="utf-8")
    assert _external(page) == [] and "<script src=" not in page
    assert pages["explorer"].read_bytes() == pages["again"].read_bytes()
    # every comparison of four groups can be chosen: 4 one-vs-rest + 6 pairs
    assert page.count(" vs rest") >= 4 and "Harbor Post vs Valley Courier" in page


def test_explorer_rejects_bad_groups(four_group_corpus, tmp_path, capsys):
    out = tmp_path / "x.html"
    assert main(["explore", "--corpus", str(four_group_corpus), "--groups", "Harbor Post", "Nowhere",
                 "--out", str(out)]) == 2
    assert "Nowhere" in capsys.readouterr().err and not out.exists()


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="textcompare-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _deep(driver, selector: str):
    return driver.execute_script(DEEP_QUERY, selector)


def _wait(predicate, seconds: float = 15.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


@pytest.mark.browser
def test_click_a_term_shows_its_concordance_lines(pages, browser):
    browser.get(pages["explorer"].as_uri())
    term = "farmer"  # in the first comparison (Harbor Post vs rest): 5 in Harbor Post, 1 elsewhere
    cell = _wait(lambda: next((c for c in _deep(browser, ".slick-cell") if c.text == term), None))
    assert cell is not None, "the term table did not render"
    cell.click()
    title = _wait(lambda: next((d.text for d in _deep(browser, "div") if "Concordance of" in d.text), None))
    assert title and f"“{term}”" in title
    rows = _wait(lambda: [r.text for r in _deep(browser, ".slick-row") if "Harbor Post" in r.text
                          and "¶" in r.text])
    assert len(rows) >= 2 and all("farmer" in r.lower() for r in rows)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    requests = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert not [r for r in requests if r.startswith(("http://", "https://"))]


@pytest.mark.browser
@pytest.mark.slow
def test_report_has_no_console_errors_and_every_image_loads(four_group_corpus, tmp_path_factory, browser):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--corpus", str(four_group_corpus), "--out", str(out), "--no-notebooks"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert _external(page) == [] and 'href="explorer.html"' in page and 'id="fig-keyness"' in page
    browser.get((out / "report.html").as_uri())
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.alt, i.complete && i.naturalWidth > 0])")
    assert len(images) >= 10 and all(ok for _, ok in images), images
    anchors = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href^=\"#\"]')).map(a => a.getAttribute('href'))")
    missing = [a for a in anchors if not browser.execute_script("return !!document.getElementById(arguments[0])",
                                                                a[1:])]
    assert anchors and missing == []
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
