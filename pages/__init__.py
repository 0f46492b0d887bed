"""The studio's pages. Each file draws one page's body: the frame around it (page config, the
session, the sidebar) is :mod:`pages.components.frame`, run by ``app.py``. Shared widgets live in
:mod:`pages.components` (a sub-package, so Streamlit does not list them as pages)."""
