"""Drives the console in headless Chromium (Debian's chromium and chromium-driver) with selenium.

Run by scripts/test-console-browser.sh against a gateway with its console; exits non-zero on the
first failed check, after saving a screenshot of the page it was on.
"""
import argparse
import json
import sys
import time
import urllib.request

from confluent_kafka import Producer
from openapi_spec_validator import validate
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "\x1b[31mred\x1b[0m",
    "nul\x00byte",
]


def http_json(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, json.loads(response.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--console", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    console = args.console
    run = str(time.time_ns())

    # The console's own API document is valid OpenAPI.
    _, document = http_json("GET", console + "/api/openapi.json")
    validate(document)

    # A click and then an order of the same user through the gateway, a moment before the browser
    # looks; flowguard attribute (started by the shell script) credits the order to the click.
    ad = "ad_browser_" + run
    status, click = http_json("POST", args.gateway + "/api/v1/clicks", {
        "event_id": "click_" + run, "user_id": 1001, "ad_id": ad, "is_click": True, "ad_type": "banner"})
    assert status == 202, click
    status, order = http_json("POST", args.gateway + "/api/v1/orders", {
        "event_id": "browser_" + run, "user_id": 1001, "order_id": "ORD-" + run, "item_id": 501, "item_name": "Biryani", "price": 299.99})
    assert status == 202, order

    # Hostile records on partition 1 of raw.clicks.v1: through the console's API (text) and with an
    # independent client (bytes the API cannot carry: invalid UTF-8, 1 MB).
    _, session = http_json("GET", console + "/api/session")
    for text in HOSTILE:
        status, answer = http_json("POST", console + "/api/produce",
                                   {"topic": "raw.clicks.v1", "partition": 1, "key": text, "headers": {text: text}, "value": text},
                                   {"X-CSRF-Token": session["csrf_token"]})
        assert status == 200, answer
    producer = Producer({"bootstrap.servers": args.bootstrap})
    producer.produce("raw.clicks.v1", partition=1, key=b"\xff\xfe<script>", value=b"\xc3\x28<img src=x onerror=alert(2)>")
    producer.produce("raw.clicks.v1", partition=1, key=b"big", value=b"<b>big</b>" * 99_000)
    assert producer.flush(20) == 0

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    wait = WebDriverWait(driver, 20)
    checks = 0
    page = "start"

    def shot(name):
        driver.save_screenshot(f"{args.artifacts}/{name}.png")

    def check(condition, message):
        nonlocal checks
        if not condition:
            shot("failed-" + page)
            raise AssertionError(f"{page}: {message}")
        checks += 1

    def no_script_ran():
        try:
            alert = driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            check(False, "an alert opened: " + text)
        except NoAlertPresentException:
            pass
        injected = driver.execute_script(
            "return document.querySelectorAll('img, svg, iframe, object, embed, script:not([src=\"/assets/console.js\"])').length")
        check(injected == 0, f"{injected} injected elements")

    try:
        page = "overview"
        driver.get(console + "/")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Overview", "no overview heading")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#brokers tbody tr")) == 3, "not 3 brokers")
        check("reachable" in driver.find_element(By.ID, "brokers").text, "brokers not reachable")
        check(args.gateway + "/health" in driver.page_source, "no gateway health")
        shot("overview")

        page = "topics"
        driver.find_element(By.LINK_TEXT, "Topics").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Topics")
        check(driver.find_elements(By.LINK_TEXT, "raw.orders.v1"), "raw.orders.v1 not listed")
        shot("topics")

        page = "topic"
        driver.find_element(By.LINK_TEXT, "raw.orders.v1").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Topic raw.orders.v1")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#partitions tbody tr")) == 3, "not 3 partitions")
        shot("topic")

        page = "messages"
        driver.find_element(By.LINK_TEXT, "Browse messages").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Messages of raw.orders.v1")
        check("ORD-" + run in driver.find_element(By.ID, "records").text, "the posted order is not shown")
        shot("messages")

        page = "live"
        driver.execute_script("window.__notReloaded = true")
        driver.find_element(By.ID, "live-toggle").click()
        wait.until(lambda d: d.find_element(By.ID, "live-status").text.startswith("live:"))
        status, second = http_json("POST", args.gateway + "/api/v1/orders", {
            "event_id": "live_" + run, "user_id": 1002, "order_id": "LIVE-" + run, "item_id": 7, "item_name": "Dosa", "price": 99.5})
        check(status == 202, f"second order: {status}")
        try:
            wait.until(lambda d: "LIVE-" + run in d.find_element(By.CSS_SELECTOR, "#records tbody").text)
        except TimeoutException:
            check(False, "the live order did not appear")
        check(driver.execute_script("return window.__notReloaded === true"), "the page was reloaded")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#records tbody tr.live")) == 1, "not exactly one live row")
        driver.find_element(By.ID, "live-pause").click()
        check(driver.find_element(By.ID, "live-status").text.startswith("paused"), "pause does not say paused")
        shot("live")
        driver.find_element(By.ID, "live-toggle").click()

        page = "seek"
        form = driver.find_element(By.ID, "search")
        Select(form.find_element(By.NAME, "partition")).select_by_value(str(order["partition"]))
        Select(form.find_element(By.NAME, "from")).select_by_value("offset")
        form.find_element(By.NAME, "offset").send_keys(str(order["offset"]))
        limit = form.find_element(By.NAME, "limit")
        limit.clear()
        limit.send_keys("1")
        form.find_element(By.TAG_NAME, "button").click()
        wait.until(lambda d: "from=offset" in d.current_url)
        rows = driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")
        check(len(rows) == 1, f"{len(rows)} rows after the seek")
        cells = rows[0].find_elements(By.TAG_NAME, "td")
        check(cells[1].text == str(order["offset"]), f"seek landed on {cells[1].text}, not {order['offset']}")
        check("ORD-" + run in rows[0].text, "the seek shows another record")
        shot("seek")

        page = "paging"
        def first_row():
            cells = driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")[0].find_elements(By.TAG_NAME, "td")
            return (cells[0].text, cells[1].text)
        driver.get(console + "/topics/raw.orders.v1/messages?partition=all&limit=1")
        newest = first_row()
        driver.find_element(By.PARTIAL_LINK_TEXT, "Older").click()
        wait.until(lambda d: "from=before" in d.current_url)
        check(first_row() != newest, "the older page of all partitions shows the newest record again")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Newer").click()
        wait.until(lambda d: "from=after" in d.current_url)
        check(first_row() == newest, f"the newer page shows {first_row()}, not the newest record {newest}")

        page = "filter"
        driver.get(console + "/topics/raw.orders.v1/messages")
        form = driver.find_element(By.ID, "search")
        form.find_element(By.NAME, "field").send_keys("order_id=LIVE-" + run)
        form.find_element(By.TAG_NAME, "button").click()
        wait.until(lambda d: "field=" in d.current_url)
        rows = driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")
        check(len(rows) == 1 and "LIVE-" + run in rows[0].text, "the filter did not find exactly the live order")
        check("scanned" in driver.find_element(By.ID, "summary").text, "the filter does not say what it scanned")
        shot("filter")

        page = "hostile"
        driver.get(console + "/topics/raw.clicks.v1/messages?partition=1&from=oldest&limit=50")
        text = driver.find_element(By.ID, "records").text
        for payload in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"):
            check(payload in text, f"{payload!r} is not shown as text")
        check("binary" in text, "no binary badge")
        check("show all (990000 bytes)" in text, "the 990 kB value is not cut")
        no_script_ran()
        shot("hostile")

        page = "record"
        driver.find_element(By.PARTIAL_LINK_TEXT, "show all").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith("raw.clicks.v1[1]@"))
        no_script_ran()
        shot("record")

        page = "attribution"
        deadline = time.time() + 60
        figures = {}
        while time.time() < deadline:
            _, figures = http_json("GET", console + "/api/attribution?since=1h")
            if any(row["ad_id"] == ad for row in figures["ads"]) and figures["orders"] >= 2:
                break
            time.sleep(0.5)
        check(any(row["ad_id"] == ad for row in figures["ads"]), f"attribute's record of the order is not counted: {figures}")
        driver.find_element(By.LINK_TEXT, "Attribution").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Attribution")
        Select(driver.find_element(By.NAME, "since")).select_by_value("1h")
        driver.find_element(By.CSS_SELECTOR, "#range button").click()
        wait.until(lambda d: "since=1h" in d.current_url)
        row = [r for r in driver.find_elements(By.CSS_SELECTOR, "#ads tbody tr") if ad in r.text]
        check(len(row) == 1, f"no row for {ad} in the ads table")
        cells = [cell.text for cell in row[0].find_elements(By.TAG_NAME, "td")]
        check(cells[:5] == [ad, "banner", "1", "0", "299.99"], f"the row of {ad} reads {cells}")
        check(int(driver.find_element(By.XPATH, "//dl[@id='totals']/div[dt='Orders']/dd").text) >= 2, "the totals do not count both orders")
        no_script_ran()
        shot("attribution")
    finally:
        driver.quit()

    # Reading works without JavaScript: the pages are rendered by the server; only live mode needs it.
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        page = "no-javascript"
        driver.get(console + "/topics/raw.orders.v1/messages")
        check("LIVE-" + run in driver.find_element(By.ID, "records").text, "the messages page does not show the orders without JavaScript")
        check(not driver.find_element(By.ID, "live-toggle").is_displayed(), "the Live button shows without JavaScript")
        driver.find_element(By.LINK_TEXT, "Topics").click()
        check(driver.find_elements(By.LINK_TEXT, "raw.orders.v1"), "the topics page does not list raw.orders.v1 without JavaScript")
        shot("no-javascript")
    finally:
        driver.quit()
    print(f"console_browser: {checks} checks passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"console_browser: FAIL: {error}", file=sys.stderr)
        sys.exit(1)
