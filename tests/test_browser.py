"""The HTML report in a real headless Chromium (Debian's chromium and chromedriver, which
`make test` installs), served from 127.0.0.1 by the test. Screenshots of every page go
to out/screenshots/."""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from kg.report import write_report

from .conftest import ROOT, system_package_mark
from .test_saved_queries import run

selenium = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "out" / "screenshots"
LOU = "https://w3id.org/policy-kg/id/doc/72e1ee65bee69ce7"

pytestmark = system_package_mark(
    Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), "Chromium with ChromeDriver"
)


@pytest.fixture(scope="module")
def site(seed_store, tmp_path_factory):
    """The seed report served over HTTP on 127.0.0.1; yields its base URL."""
    folder = tmp_path_factory.mktemp("site")
    write_report(seed_store, folder)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def browser():
    options = selenium.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = selenium.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, url: str) -> list[dict]:
    """Load a page, wait until its script has run, and return what it logged."""
    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda b: b.execute_script("return document.body.getAttribute('data-ready')") == "true"
    )
    return browser.get_log("browser")


def errors(log: list[dict]) -> list[str]:
    return [entry["message"] for entry in log if entry["level"] in ("SEVERE", "ERROR")]


def screenshot(browser, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize(
    "page", ["index", "network", "debate", "recommendations", "timeline", "article"]
)
def test_every_page_opens_without_console_errors(browser, site, page):
    name = f"article-{LOU.rsplit('/', 1)[-1]}" if page == "article" else page
    log = open_page(browser, f"{site}/{name}.html")
    if page == "network":
        WebDriverWait(browser, 30).until(
            lambda b: b.find_element(By.ID, "network").get_attribute("data-ready") == "true"
        )
    assert errors(log) == []
    assert errors(browser.get_log("browser")) == []
    assert browser.find_element(By.TAG_NAME, "h1").text
    screenshot(browser, page)


def test_overview_lists_every_document_with_its_counts(browser, site, seed_store):
    open_page(browser, f"{site}/index.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.documents tbody tr")
    expected = {r["document"]: r for r in run(seed_store, "document-overview")}
    assert len(rows) == len(expected) == 3
    for row in rows:
        counts = [c.text for c in row.find_elements(By.CSS_SELECTOR, "td.n")]
        wanted = expected[row.get_attribute("data-document")]
        assert counts == [wanted["claims"], wanted["actors"], wanted["citations"]]


def network_ready(browser, site) -> None:
    open_page(browser, f"{site}/network.html")
    WebDriverWait(browser, 30).until(
        lambda b: b.find_element(By.ID, "network").get_attribute("data-ready") == "true"
    )


def test_the_network_draws_its_actors(browser, site, seed_store):
    network_ready(browser, site)
    drawn = browser.execute_script("return Object.keys(window.kgNetwork.getPositions()).length")
    assert drawn >= 10
    painted = browser.execute_script(
        "const c = document.querySelector('#network canvas');"
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] && d[i] < 200) n++;"
        "return n;"
    )
    assert painted > 1000  # node and edge pixels, not a blank canvas


def test_clicking_an_actor_lists_only_its_claims(browser, site, seed_store):
    network_ready(browser, site)
    node = "https://w3id.org/policy-kg/id/state/north-korea"
    x, y = browser.execute_script(
        "const n = window.kgNetwork; const p = n.getPositions([arguments[0]])[arguments[0]];"
        "const d = n.canvasToDOM(p); return [d.x, d.y];",
        node,
    )
    canvas = browser.find_element(By.CSS_SELECTOR, "#network canvas")
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(x - width / 2), int(y - height / 2)
    ).click().perform()
    WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.ID, "claims").get_attribute("data-actor") == node
    )
    shown = {
        li.get_attribute("data-claim")
        for li in browser.find_elements(By.CSS_SELECTOR, "#claims li")
    }
    claims = run(seed_store, "claims")
    about = {
        c["claim"]
        for c in claims
        if c.get("claimant") == node or node in (c.get("mentioned") or "").split()
    }
    assert shown == about
    assert 0 < len(shown) < len(claims)
    assert "North Korea" in browser.find_element(By.ID, "claims-title").text
    screenshot(browser, "network-north-korea")


def test_article_highlights_the_stored_characters(browser, site, seed_store):
    open_page(browser, f"{site}/article-{LOU.rsplit('/', 1)[-1]}.html")
    highlighted = browser.execute_script(
        "const texts = {};"
        "document.querySelectorAll('article.text .seg').forEach(s => {"
        "  s.dataset.ann.split(' ').forEach(i => { texts[i] = (texts[i] || '') + s.textContent; });"
        "});"
        "return texts;"
    )
    graph = seed_store.iris.graph(LOU.rsplit("/", 1)[-1])
    stored = {
        (int(r["start"]), int(r["end"])): r["exact"]
        for r in run(
            seed_store,
            f"SELECT ?start ?end ?exact WHERE {{ GRAPH <{graph}> {{"
            " ?s pk:start ?start ; pk:end ?end ; pk:exact ?exact } }",
        )
    }
    annotations = browser.execute_script(
        "return JSON.parse(document.getElementById('kg-data').textContent).annotations"
    )
    assert len(highlighted) == len(annotations) > 100
    for index, annotation in enumerate(annotations):
        assert highlighted[str(index)] == stored[(annotation["start"], annotation["end"])]


def test_clicking_a_mention_shows_the_actor_and_its_wikidata_id(browser, site):
    open_page(browser, f"{site}/article-{LOU.rsplit('/', 1)[-1]}.html")
    mention = next(
        seg
        for seg in browser.find_elements(By.CSS_SELECTOR, "article.text .seg.mention")
        if seg.text.endswith("Xi Jinping")
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mention)
    mention.click()
    panel = browser.find_element(By.ID, "details")
    WebDriverWait(browser, 5).until(lambda b: "Q15031" in panel.text)
    first = panel.find_element(By.CSS_SELECTOR, "section.detail")
    assert "mention" in first.get_attribute("class") and "Xi Jinping" in first.text
    assert "claim" in panel.text  # the sentence around it is a claim, listed after
    screenshot(browser, "article-details")


def test_a_claim_link_opens_the_article_on_that_claim(browser, site, seed_store):
    claim = next(
        c for c in run(seed_store, "claims", document=LOU) if c["kind"] == "recommendation"
    )
    open_page(browser, f"{site}/index.html")  # arrive from another page, as a link does
    open_page(browser, f"{site}/article-{LOU.rsplit('/', 1)[-1]}.html#{claim['claim']}")
    selected = browser.find_elements(By.CSS_SELECTOR, "article.text .seg.selected")
    text = run(seed_store, "document-text", document=LOU)[0]["text"]
    wanted = text[int(claim["start"]) : int(claim["end"])]
    assert "".join(s.get_attribute("textContent") for s in selected) == wanted
    assert claim["text"] in browser.find_element(By.ID, "details").text
