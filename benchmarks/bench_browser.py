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
    choose(page, "Column 1", "V14")
    choose(page, "Operator 1", "<")
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


@contextmanager
def rules_page(browser):
    """A studio on a free port with an empty workspace, and a browser page on its Rules page."""
    with tempfile.TemporaryDirectory() as ws, running_studio(Path(ws)) as url:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(url + "/rules")
        page.wait_for_selector(IDLE + ' [data-testid="headline"]', timeout=60_000)
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
    print(f"switch page (Rules <-> Data) -> page drawn, run finished: {ms(switches)}")
    print(f"cold start: `streamlit run app.py` -> Rules page painted with metrics: {ms(cold)}")


if __name__ == "__main__":
    main()
