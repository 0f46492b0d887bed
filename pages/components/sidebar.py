"""The sidebar on every page: the page links, the dataset, target and split, and the live
held-out headline (precision, recall, F1 of the positive class)."""

from __future__ import annotations

import streamlit as st

from studio.engine.alerts import alert_rate
from studio.errors import StudioError
from studio.session.studio import StudioSession

from .format import code, literal

HEADLINE_CSS = """<style>
.headline {display: flex; gap: 0.6rem; flex-wrap: wrap; font-size: 0.9rem}
.headline b {display: block; font-size: 1.25rem; font-weight: 600}
.amounts {font-size: 0.85rem; margin-top: 0.4rem}
</style>"""


def sidebar(s: StudioSession, pages) -> None:
    """Drawn before the page: every change is made in a widget callback, before the run, so the
    headline already shows the rules the page will show."""
    try:
        pos, trouble = s.evaluation().test.metrics.positive, None
    except StudioError as err:  # the page below still draws, with Undo
        pos, trouble = None, str(err)
    with st.sidebar:
        st.html(HEADLINE_CSS)
        for p in pages:
            st.page_link(p.path, label=p.title, icon=p.icon)
        st.divider()
        st.markdown(f"**Dataset** · {literal(s.dataset.label)}")
        if s.dataset.synthetic:
            st.caption("Synthetic data: generated, not real transactions.")
        st.markdown(f"**Target** · {code(s.split.target)} · positive {code(s.split.positive)}")
        st.caption(s.split.describe())
        st.markdown("**Held-out test, positive class**")
        if trouble:
            st.error(literal(trouble))
            return
        st.markdown(
            '<div class="headline" data-testid="headline">'
            f'<span>Precision <b data-metric="precision">{pos.precision:.4f}</b></span>'
            f'<span>Recall <b data-metric="recall">{pos.recall:.4f}</b></span>'
            f'<span>F1 <b data-metric="f1">{pos.f1:.4f}</b></span></div>', unsafe_allow_html=True)
        amounts = s.amounts.report(s.split, s.rules) if s.amounts.settings else None
        if amounts is not None:
            m = amounts["test"]
            share = "–" if m.recall is None else f"{m.recall:.1%}"
            st.markdown(
                f'<div class="amounts" data-testid="amounts">Amount caught <b>{m.caught:,.2f}</b> ({share} of '
                f'{m.positive_amount:,.2f}) · false alerts {m.false_alerts:,.2f} · {m.alerts:,} alerts '
                f'({m.alerts_per_1000:.2f} per 1,000) · net benefit <b>{m.net_benefit:,.2f}</b></div>',
                unsafe_allow_html=True)
        rate = alert_rate(s.evaluation(), "test", s.amounts.budget)
        per_day = f" · {rate.per_day:,.1f} per day" if rate.per_day is not None else ""
        budget = f" · budget {rate.budget:g}" if rate.budget else ""
        st.caption(f"{rate.alerts:,} alerts on test ({rate.per_1000:.2f} per 1,000 rows{per_day}{budget})")
        if rate.over_budget:
            st.warning(f"Over the alert budget: {rate.per_1000:.2f} alerts per 1,000 test rows, the team can "
                       f"review {rate.budget:g}.")
        n_on = len(s.rules.enabled_rules)
        st.caption(f"{n_on} of {len(s.rules.rules)} rules enabled · default {code(s.rules.default)}")
