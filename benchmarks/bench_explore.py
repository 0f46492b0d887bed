"""The Explore page in a real headless Chromium, timed, and the points every view ships.

    .venv/bin/python -m benchmarks.bench_explore [--repeats N]

On the 284,807-row synthetic credit-card data (the studio's default dataset):
- first visit: in a new browser session that is on the Rules page, from the click on the
  Explore link to hiplot's parallel coordinates drawn (axes in place) and the run finished
  (the session drew its train sample and ranked the columns in the background when its split
  was made, while the Rules page loaded);
- later visits: the same, once the session has been to Explore before;
- view switch: from the click on a view to its chart drawn and the run finished;
- points shipped: what each view sends to the browser, read in the browser: the rows it draws
  (plotly's own marker and line counts, hiplot's count of lines) and, apart, the aggregate
  elements (histogram bars, curve vertices), at the default 5,000 negatives and at the largest
  sample the page allows.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

import studio
from studio.explore.sample import MAX_POINTS

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, wait_healthy
from tests.support.studio_page import wait_idle

HIPLOT = 'iframe[title*="hiplot"]'
VIEWS = {"Parallel coordinates (plotly)": ".js-plotly-plot .parcoords",
         "Scatter": ".js-plotly-plot .nsewdrag",
         "One column": ".js-plotly-plot",
         "Parallel coordinates (hiplot)": HIPLOT}


def ms(values) -> str:
    return f"median {statistics.median(values) * 1000:,.0f} ms (min {min(values) * 1000:,.0f}, " \
           f"max {max(values) * 1000:,.0f}, n={len(values)})"


def hiplot_drawn(page) -> None:
    page.frame_locator(HIPLOT).locator("g.dimension").nth(3).wait_for(timeout=60_000)


def visit_explore(page) -> float:
    t0 = time.perf_counter()
    page.get_by_role("link", name="Explore").click()
    hiplot_drawn(page)
    wait_idle(page)
    return time.perf_counter() - t0


def back_to_rules(page) -> None:
    page.get_by_role("link", name="Rules").click()
    page.get_by_role("heading", name="Rules").first.wait_for()
    wait_idle(page)
    page.wait_for_timeout(300)


def shipped(page, view: str) -> tuple[int, int]:
    """(rows the current view draws as markers or lines, aggregate elements: histogram bars and
    curve vertices), counted in the browser."""
    if view.endswith("(hiplot)"):
        text = page.frame_locator(HIPLOT).get_by_text("Selected:").locator("..").inner_text()
        return int(text.split("/")[1].split()[0].replace(",", "")), 0
    return tuple(page.evaluate("""() => {
        let rows = 0, other = 0;
        for (const gd of document.querySelectorAll('.js-plotly-plot')) for (const t of gd._fullData) {
            if (t.type === 'parcoords') rows += t.dimensions[0].values.length;
            else if (t.type === 'scattergl') rows += t._length;
            else other += t._length || 0;
        }
        return [rows, other];
    }"""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data = studio.load("creditcard-synthetic")
    print(f"data: {data.label}, {data.n_rows:,} rows x {len(data.columns)} columns")

    from playwright.sync_api import sync_playwright
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as ws, sync_playwright() as p:
        proc = start_streamlit(Path(ws), port)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            wait_healthy(url)
            warm = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            warm.goto(f"{url}/explore?ws=warmup")  # the server imports plotly and hiplot once
            hiplot_drawn(warm)
            warm.context.close()

            first, later = [], []
            for i in range(args.repeats):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto(f"{url}/rules?ws=bench{i}")
                page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
                wait_idle(page)
                page.wait_for_timeout(500)
                first.append(visit_explore(page))
                for _ in range(2):
                    back_to_rules(page)
                    later.append(visit_explore(page))
                page.context.close()
            print(f"Explore page, first visit of a session: {ms(first)}")
            print(f"Explore page, later visits: {ms(later)}")

            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(f"{url}/explore?ws=views")
            hiplot_drawn(page)
            wait_idle(page)
            switches: dict[str, list[float]] = {v: [] for v in VIEWS}
            points: dict[str, int] = {}
            for _ in range(args.repeats):
                for view, selector in VIEWS.items():
                    t0 = time.perf_counter()
                    page.get_by_text(view, exact=True).click()
                    page.wait_for_timeout(100)
                    if view.endswith("(hiplot)"):
                        hiplot_drawn(page)
                    else:
                        page.wait_for_selector(selector, timeout=60_000)
                    wait_idle(page)
                    switches[view].append(time.perf_counter() - t0)
                    points[view] = shipped(page, view)
            for view in VIEWS:
                rows, other = points[view]
                print(f"switch to {view}: {ms(switches[view])}; rows drawn: {rows:,}, bars and curve points: {other:,}")

            box = page.get_by_role("spinbutton", name="Negatives drawn")
            box.fill(str(MAX_POINTS))
            box.press("Enter")
            page.wait_for_timeout(200)
            wait_idle(page, timeout=120_000)
            big = {}
            for view, selector in VIEWS.items():
                page.get_by_text(view, exact=True).click()
                page.wait_for_timeout(100)
                if view.endswith("(hiplot)"):
                    hiplot_drawn(page)
                else:
                    page.wait_for_selector(selector, timeout=60_000)
                wait_idle(page, timeout=120_000)
                big[view] = shipped(page, view)
            print(f"largest sample the page allows ({MAX_POINTS:,} negatives asked): rows drawn "
                  + ", ".join(f"{v}: {n[0]:,} (+{n[1]:,} bars/curve points)" for v, n in big.items()))
            worst = max(n[0] for n in list(points.values()) + list(big.values()))
            print(f"most rows any view drew: {worst:,} (limit {MAX_POINTS:,})")
            page.context.close()
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
