"""Rule Studio: ``streamlit run app.py``. Every page run passes through the frame (page config, the
session, the sidebar) before the page's body; see :mod:`pages.components.frame`."""

from pages.components.frame import run_app

run_app()
