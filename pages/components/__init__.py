"""Widgets shared by pages (a sub-package, so Streamlit does not list these modules as pages)."""
