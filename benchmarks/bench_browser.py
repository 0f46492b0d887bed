"""The studio in a real headless Chromium, timed: cold start, rule submission, page switches.

    .venv/bin/python -m benchmarks.bench_browser [--repeats N]

- cold start: from launching ``streamlit run app.py`` (synthetic data already generated) to the
  first paint of the Rules page with its metrics, in a browser that is already open;
- submit: from the click on "Add rule" to the sidebar showing the new test precision, recall and
  F1, each checked against the library's own evaluation of the new rule set (284,807 rows), and
  to the whole page redrawn (metric tables, the rule list with the new rule, the chart);
- form change: from pressing Enter in the form's value box to the preview showing the new rule and
  its test figures (checked against the library), on a quiet machine and while another process keeps
  one core busy (started and stopped by the benchmark);
- the tutorial's three rules (``V11 > 4``, ``V17 < -3``, ``V14 < -8``) typed into the form from an
  empty workspace: the time the studio kept the user waiting, summed over every input (column,
  operator, value, and Add with the rule's name typed), each from the input event to the end of the
  run it started, quiet and with one core kept busy;
- brush -> proposal: from releasing the mouse after brushing hiplot's V14 axis to the proposal
  panel drawn with its train and test figures (discarded between tries, so each opens it again);
- box -> proposal: the same for a box dragged on the scatter;
- page switch: from the click on a page link to the new page drawn and its run finished.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

import studio
from studio.rules import rule

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, free_port, running_studio, start_streamlit, wait_healthy
from tests.support.studio_page import choose, fill, wait_idle

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def ms(values) -> str:
    return f"median {statistics.median(values) * 1000:,.0f} ms (min {min(values) * 1000:,.0f}, " \
           f"max {max(values) * 1000:,.0f}, n={len(values)})"


def headline_is(page, precision: str, recall: str, f1: str, timeout=30_000) -> None:
    page.wait_for_function(
        """([p, r, f]) => {
            const h = document.querySelector('[data-testid="headline"]');
            if (!h) return false;
            const v = m => h.querySelector(`[data-metric="${m}"]`)?.textContent;
            return v('precision') === p && v('recall') === r && v('f1') === f;
        }""", arg=[precision, recall, f1], timeout=timeout)


def cold_start(browser, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        port = free_port()
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        with tempfile.TemporaryDirectory() as ws:
            t0 = time.perf_counter()
            proc = start_streamlit(Path(ws), port)
            try:
                wait_healthy(f"http://127.0.0.1:{port}")
                page.goto(f"http://127.0.0.1:{port}/rules")
                page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
                page.get_by_role("heading", name="Rules", exact=True).wait_for()
                times.append(time.perf_counter() - t0)
            finally:
                page.context.close()
                proc.terminate()
                proc.wait(timeout=20)
    return times


def busy_core() -> subprocess.Popen:
    """Another process keeping one core busy, as a shared server has."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def form_changes(page, split, repeats: int, start: float) -> list[float]:
    """Enter a new value in the form (V14 < value); time until the preview shows that rule with its
    test row count as the library counts it."""
    pick(page, "Column 1", "V14")
    pick(page, "Operator 1", "<")
    times = []
    for k in range(repeats):
        value = start - 0.25 * k
        fired = studio.evaluate(split, studio.RuleSet(default=0).add(rule(("V14", "<", value), then=1))).test.rules[0].fired
        box = page.get_by_label(re.compile("^Value 1"))
        box.fill(str(value))
        t0 = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(
            "(t) => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"]')]"
            ".some(m => m.textContent.includes(t))", arg=f"V14 < {value} · fires on {fired:,} rows", timeout=30_000)
        times.append(time.perf_counter() - t0)
        wait_idle(page)
    return times


WATCH_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.rsRuns = [];
    new MutationObserver(() => window.rsRuns.push([app.getAttribute('data-test-script-state'), performance.now()]))
        .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def answered(page, act) -> float:
    """Seconds from ``act`` (one input event) to the end of the run it started: the last time the app
    stopped running, once nothing has run for 300 ms."""
    t0 = page.evaluate("() => { window.rsRuns = []; return performance.now(); }")
    act()
    page.wait_for_function("""() => { const r = window.rsRuns; if (!r.length) return false;
        const last = r[r.length - 1];
        return last[0] === 'notRunning' && performance.now() - last[1] > 300; }""", timeout=60_000)
    end = page.evaluate("() => window.rsRuns.filter(r => r[0] === 'notRunning').pop()[1]")
    return (end - t0) / 1000


def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return text


def pick(page, label: str, option: str) -> float:
    """Choose an option of a selectbox (opening and filtering the list is the user's time); nothing to
    wait for when it already shows that option."""
    box = page.get_by_role("combobox", name=re.compile(f"^{re.escape(label)}"))
    if box.input_value() == option:
        return 0.0
    box.click()
    box.type(option)
    return answered(page, lambda: page.get_by_role("option", name=option, exact=True).click())


def enter(page, label: str, value) -> float:
    """Type a value and press Enter; nothing to wait for when the box already holds it."""
    box = page.get_by_label(re.compile(f"^{re.escape(label)}"))
    before = box.input_value()
    if before == str(value) or (before and _number(before) == _number(value)):
        return 0.0
    box.fill(str(value))
    return answered(page, lambda: box.press("Enter"))


TUTORIAL = (("V11", ">", 4, "large V11"), ("V17", "<", -3, "deep V17"), ("V14", "<", -8, "deep V14"))


def tutorial(browser, split) -> float:
    """The tutorial's three rules typed into the form; the waiting time summed over every input."""
    with rules_page(browser) as page:
        waited, rules = 0.0, studio.RuleSet(default=0)
        for column, op, value, name in TUTORIAL:
            waited += pick(page, "Column 1", column) + pick(page, "Operator 1", op)
            waited += enter(page, "Value 1", value)
            page.get_by_label(re.compile("^Rule name")).fill(name)  # taken with the click on Add
            rules = rules.add(rule((column, op, float(value)), then=1, name=name))
            waited += answered(page, lambda: page.get_by_role("button", name="Add rule").click())
            pos = studio.evaluate(split, rules).test.metrics.positive
            headline_is(page, f"{pos.precision:.4f}", f"{pos.recall:.4f}", f"{pos.f1:.4f}")
            page.get_by_text(name, exact=True).first.wait_for(timeout=30_000)
    return waited


def tutorial_timings(browser, repeats: int) -> tuple[list[float], list[float]]:
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    quiet = [tutorial(browser, split) for _ in range(repeats)]
    hog = busy_core()
    try:
        loaded = [tutorial(browser, split) for _ in range(repeats)]
    finally:
        hog.kill()
    return quiet, loaded


PROPOSAL_SHOWN = """(source) => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .some(m => m.textContent.includes('from ' + source))
    && [...document.querySelectorAll('[data-testid="stTable"]')].some(t => t.textContent.includes('rows it decides'))"""


def drag(page, x0, y0, x1, y1) -> None:
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=8)


def selections(browser, repeats: int) -> tuple[list[float], list[float]]:
    """Brush hiplot's V14 axis, then drag boxes on the scatter; each time from the mouse released to
    the proposal panel drawn with its figures."""
    brushes, boxes = [], []
    with tempfile.TemporaryDirectory() as ws, running_studio(Path(ws)) as url:
        page = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
        page.goto(url + "/explore")
        frame = page.frame_locator('iframe[title*="hiplot"]')
        axis = frame.locator("g.dimension").filter(
            has=frame.locator("span.label-name", has_text=re.compile(r"^V14$"))).first
        overlay = axis.locator(".pplot-brush rect.overlay")
        overlay.wait_for(timeout=60_000)
        wait_idle(page)
        page.wait_for_timeout(1_000)

        def discard():
            page.get_by_role("button", name="Discard").click()
            page.wait_for_function("() => !document.body.textContent.includes('rows it decides')", timeout=30_000)
            wait_idle(page)

        for k in range(repeats):
            area = overlay.bounding_box()
            x = area["x"] + area["width"] / 2
            # each brush starts above the last one (a drag inside a brush would move it)
            drag(page, x, area["y"] + area["height"] * (0.6 - 0.02 * k), x, area["y"] + area["height"] + 5)
            t0 = time.perf_counter()
            page.mouse.up()
            page.wait_for_function(PROPOSAL_SHOWN, arg="hiplot brush", timeout=30_000)
            brushes.append(time.perf_counter() - t0)
            wait_idle(page)
            discard()
        page.get_by_text("Scatter", exact=True).click()
        wait_idle(page)
        plot = page.locator(".js-plotly-plot .nsewdrag").first
        plot.wait_for(timeout=30_000)
        for k in range(repeats):
            box = plot.bounding_box()
            drag(page, box["x"] + 4, box["y"] + box["height"] * (0.6 - 0.02 * k),
                 box["x"] + box["width"] * (0.4 + 0.02 * k), box["y"] + box["height"] - 4)
            t0 = time.perf_counter()
            page.mouse.up()
            page.wait_for_function(PROPOSAL_SHOWN, arg="scatter box", timeout=30_000)
            boxes.append(time.perf_counter() - t0)
            wait_idle(page)
            discard()
        page.context.close()
    return brushes, boxes


@contextmanager
def rules_page(browser):
    """A studio on a free port with an empty workspace, and a browser page on its Rules page."""
    with tempfile.TemporaryDirectory() as ws, running_studio(Path(ws)) as url:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(url + "/rules")
        page.wait_for_selector(IDLE + ' [data-testid="headline"]', timeout=60_000)
        page.evaluate(WATCH_RUNS)
        try:
            yield page
        finally:
            page.context.close()


def preview_timings(browser, repeats: int) -> tuple[list[float], list[float]]:
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    with rules_page(browser) as page:
        quiet = form_changes(page, split, repeats, -5.25)
        hog = busy_core()
        try:
            loaded = form_changes(page, split, repeats, -8.25)
        finally:
            hog.kill()
    return quiet, loaded


def submit_and_switch(browser, repeats: int) -> tuple[list[float], list[float], list[float], int]:
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    submits, switches, full_pages = [], [], []
    with rules_page(browser) as page:
        rules = studio.RuleSet(default=0)
        columns = ["V11", "V17", "V14", "V12", "V10", "V4", "V3", "V16", "V7", "V18"]
        for k in range(repeats):
            column = columns[k % len(columns)]
            op, value = (">", 4 + k // len(columns)) if column in ("V11", "V4") else ("<", -3 - k // len(columns))
            choose(page, "Column 1", column)
            choose(page, "Operator 1", op)
            fill(page, "Value 1", value)
            rules = rules.add(rule((column, op, float(value)), then=1))
            pos = studio.evaluate(split, rules).test.metrics.positive
            wait_idle(page)
            t0 = time.perf_counter()
            page.get_by_role("button", name="Add rule").click()
            headline_is(page, f"{pos.precision:.4f}", f"{pos.recall:.4f}", f"{pos.f1:.4f}")
            submits.append(time.perf_counter() - t0)
            page.wait_for_function(
                """(n) => document.querySelector('[data-testid="stApp"]')
                            .getAttribute('data-test-script-state') === 'notRunning'
                          && [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
                               .filter(c => c.textContent.startsWith('test: fires')).length === n""",
                arg=len(rules.rules), timeout=30_000)
            full_pages.append(time.perf_counter() - t0)
        for k in range(repeats):
            title = ("Data", "Rules")[k % 2]
            t0 = time.perf_counter()
            page.get_by_role("link", name=title, exact=True).click()
            page.wait_for_function(
                """(t) => [...document.querySelectorAll('h1')].some(h => h.textContent.trim() === t)
                          && document.querySelector('[data-testid="stApp"]')
                               .getAttribute('data-test-script-state') === 'notRunning'""",
                arg=title, timeout=30_000)
            switches.append(time.perf_counter() - t0)
    return submits, full_pages, switches, len(rules.rules)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    studio.load("creditcard-synthetic")  # generated beforehand: the cold start measures the app, not the generator
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        quiet, loaded = preview_timings(browser, args.repeats)
        tut_quiet, tut_loaded = tutorial_timings(browser, max(3, args.repeats // 3))
        brushes, boxes = selections(browser, args.repeats)
        submits, full_pages, switches, n = submit_and_switch(browser, args.repeats)
        cold = cold_start(browser, max(3, args.repeats // 2))
        browser.close()
    print(f"dataset: creditcard-synthetic (synthetic), 284,807 rows; Chromium {CHROMIUM}")
    print(f"submit a rule -> new test precision/recall/F1 on screen (checked against the library): {ms(submits)}"
          f"  [rule sets of 1..{n} rules]")
    print(f"submit a rule -> whole Rules page redrawn (tables, per-rule list, chart), run finished: "
          f"{ms(full_pages)}")
    print(f"form value changed -> preview of the new rule with its test figures (checked against the library), "
          f"quiet: {ms(quiet)}")
    print(f"form value changed -> preview, one core kept busy by another process: {ms(loaded)}")
    print(f"the tutorial's three rules typed into the form, total waiting over its 12 inputs, quiet: {ms(tut_quiet)}")
    print(f"the tutorial's three rules, total waiting, one core kept busy by another process: {ms(tut_loaded)}")
    print(f"brush hiplot's V14 axis -> proposal panel drawn with its train/test figures: {ms(brushes)}")
    print(f"drag a box on the scatter -> proposal panel drawn with its train/test figures: {ms(boxes)}")
    print(f"switch page (Rules <-> Data) -> page drawn, run finished: {ms(switches)}")
    print(f"cold start: `streamlit run app.py` -> Rules page painted with metrics: {ms(cold)}")


if __name__ == "__main__":
    main()
