"""The chat widget in a real browser: headless Debian Chromium driven by chromedriver through selenium.

The service runs in a thread (uvicorn, the same app ``careerbot serve`` runs);
the browser opens the demo page, talks to careerbot through the widget,
reloads, and is screenshotted at 1280 and 360 px. Screenshots go to
$CAREERBOT_SCREENSHOTS when set (to look at them), else to a temp folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from bot.questionlog import QuestionLog
from bot.web import ServiceConfig, create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip("headless browser test: Debian's chromium and chromium-driver are not installed "
                "(apt-get install chromium chromium-driver; .ci/run does it)", allow_module_level=True)

selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow
XSS = '<img src=x onerror="window.__careerbotXss=1">'
KAM_TITLE = "Fiche métier : Key account manager"


@pytest.fixture(scope="module")
def server(bot, tmp_path_factory):
    """The service on a free localhost port in a thread, logging to SQLite; yields (base URL, log)."""
    import uvicorn

    log = QuestionLog(tmp_path_factory.mktemp("log") / "questions.sqlite3")
    app = create_app(bot, ServiceConfig(secret="browser test secret, long enough", rate_limit=0), log=log)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", log
    uv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium (Debian's) with a fresh profile and no background networking."""
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=fr-FR", "--window-size=1280,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        pytest.skip(f"headless Chromium could not start: {exc.msg}")
    driver.set_script_timeout(10)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("CAREERBOT_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def root(driver):
    """The widget's shadow root."""
    host = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "careerbot-chat"))[0]
    return host.shadow_root


def answers(driver):
    return root(driver).find_elements(By.CSS_SELECTOR, ".msg.bot:not(.welcome)")


def ask(driver, question: str):
    """Type *question* in the widget, press Enter, wait for the answer; returns the new answer's element."""
    before = len(answers(driver))
    field = root(driver).find_element(By.CSS_SELECTOR, "input")
    field.send_keys(question)
    field.send_keys(Keys.ENTER)
    return WebDriverWait(driver, 10).until(lambda d: len(answers(d)) > before and answers(d)[-1])


def overflow(driver) -> dict:
    """Horizontal overflow of the page, of the widget's panel, and inside its messages (all should be 0)."""
    return driver.execute_script("""
        const root = document.querySelector('careerbot-chat').shadowRoot;
        const panel = root.querySelector('.panel').getBoundingClientRect();
        const log = root.querySelector('.log');
        const width = document.documentElement.clientWidth;
        let inside = 0;
        for (const m of root.querySelectorAll('.msg')) inside = Math.max(inside, m.scrollWidth - m.clientWidth);
        return {page: document.documentElement.scrollWidth - width,
                panelLeft: Math.max(0, -panel.left), panelRight: Math.max(0, panel.right - width),
                log: log.scrollWidth - log.clientWidth, messages: inside};
    """)


def test_conversation_in_the_widget(server, browser, shots):
    """Open the widget, ask about the KAM then its salary (60 000 € and the source title), a question with markup
    (shown as text), click a suggestion, give a 👎, reload: the conversation and the 👎 are still there."""
    base, log = server
    browser.get(base + "/")
    launcher = root(browser).find_element(By.CSS_SELECTOR, ".launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert browser.execute_script("return document.querySelector('careerbot-chat').shadowRoot.activeElement.id") \
        == "careerbot-q"
    assert root(browser).find_element(By.CSS_SELECTOR, ".log").get_attribute("aria-live") == "polite"

    first = ask(browser, "c'est quoi un KAM ?")
    assert "Key Account Manager" in first.text
    second = ask(browser, "et son salaire ?")
    assert "60 000" in second.find_element(By.CSS_SELECTOR, ".text").text
    assert KAM_TITLE in second.find_element(By.CSS_SELECTOR, ".sources").text
    assert "Source" not in second.find_element(By.CSS_SELECTOR, ".text").text  # listed by title below instead

    refused = ask(browser, XSS)
    user_messages = root(browser).find_elements(By.CSS_SELECTOR, ".msg.user")
    assert user_messages[-1].text.endswith(XSS)
    assert root(browser).find_elements(By.CSS_SELECTOR, "img") == []
    assert browser.execute_script("return window.__careerbotXss") is None

    chips = refused.find_elements(By.CSS_SELECTOR, ".chip")
    assert chips, "a refusal comes with suggestions"
    suggestion = chips[0].text
    before = len(answers(browser))
    chips[0].click()
    WebDriverWait(browser, 10).until(lambda d: len(answers(d)) > before)
    assert root(browser).find_elements(By.CSS_SELECTOR, ".msg.user")[-1].text.endswith(suggestion)

    last = answers(browser)[-1]
    last.find_element(By.CSS_SELECTOR, "button[aria-label='Non, pas utile']").click()
    WebDriverWait(browser, 10).until(lambda d: answers(d)[-1].find_element(
        By.CSS_SELECTOR, "button[aria-label='Non, pas utile']").get_attribute("aria-pressed") == "true")
    assert "Merci" in answers(browser)[-1].find_element(By.CSS_SELECTOR, ".feedback").text
    rows = list(log.read())
    assert [r.question for r in rows[-4:]] == ["c'est quoi un KAM ?", "et son salaire ?", XSS, suggestion]
    assert rows[-1].useful is False and rows[-2].useful is None

    shown = [a.text for a in answers(browser)]
    browser.refresh()
    WebDriverWait(browser, 10).until(lambda d: len(answers(d)) == len(shown))
    assert [a.text for a in answers(browser)] == shown
    assert root(browser).find_element(By.CSS_SELECTOR, ".panel").is_displayed()
    assert answers(browser)[-1].find_element(By.CSS_SELECTOR, "button[aria-label='Non, pas utile']") \
        .get_attribute("aria-pressed") == "true"
    assert root(browser).find_elements(By.CSS_SELECTOR, "img") == []
    # The conversation goes on after the reload: the token was kept too.
    follow_up = ask(browser, "et pour un AE ?")
    assert "Account Executive" in follow_up.text

    browser.set_window_size(1280, 900)
    # The picture shows the question with markup, shown as text, and the refusal with its suggestions.
    xss_message = next(m for m in root(browser).find_elements(By.CSS_SELECTOR, ".msg.user") if XSS in m.text)
    browser.execute_script("const m = arguments[0]; m.parentNode.scrollTop = m.offsetTop - m.parentNode.offsetTop - 8",
                           xss_message)
    browser.save_screenshot(str(shots / "widget-1280.png"))
    assert overflow(browser) == {"page": 0, "panelLeft": 0, "panelRight": 0, "log": 0, "messages": 0}


def test_phone_width(server, browser, shots):
    """At 360 px the panel fits the screen, nothing scrolls sideways, and the conversation is readable."""
    base, _ = server
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.get(base + "/")
        if not root(browser).find_element(By.CSS_SELECTOR, ".panel").is_displayed():
            root(browser).find_element(By.CSS_SELECTOR, ".launcher").click()
        ask(browser, "quelle différence entre un AE et un SDR ?")
        assert browser.execute_script("return document.documentElement.clientWidth") == 360
        browser.save_screenshot(str(shots / "widget-360.png"))
        assert overflow(browser) == {"page": 0, "panelLeft": 0, "panelRight": 0, "log": 0, "messages": 0}
        width = browser.execute_script("return document.querySelector('careerbot-chat').shadowRoot"
                                       ".querySelector('.panel').getBoundingClientRect().width")
        assert 320 <= width <= 360
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_keyboard_and_english(server, browser):
    """Escape closes the panel and gives the focus back to the button; data-lang="en" gives an English widget."""
    base, _ = server
    browser.get(base + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.refresh()
    launcher = root(browser).find_element(By.CSS_SELECTOR, ".launcher")
    launcher.send_keys(Keys.ENTER)
    panel = root(browser).find_element(By.CSS_SELECTOR, ".panel")
    assert panel.is_displayed()
    field = root(browser).find_element(By.CSS_SELECTOR, "input")
    field.send_keys(Keys.ESCAPE)
    assert not panel.is_displayed()
    assert browser.execute_script("return document.querySelector('careerbot-chat').shadowRoot"
                                  ".activeElement.className") == "launcher"

    browser.execute_script("""
        sessionStorage.clear();
        document.querySelector('careerbot-chat').remove();
        const w = document.createElement('careerbot-chat');
        w.dataset.lang = 'en';
        document.body.appendChild(w);
    """)
    launcher = root(browser).find_element(By.CSS_SELECTOR, ".launcher")
    assert launcher.get_attribute("aria-label") == "Career questions"
    launcher.click()
    answer = ask(browser, "how much does a KAM earn?")
    assert "60 000" in answer.text
    assert answer.find_element(By.CSS_SELECTOR, "button[aria-label='No, not useful']")
