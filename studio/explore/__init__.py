"""Exploration of the train split: the drawn sample, column ranking, rule outcomes, one-column
histograms and threshold curves, chart selections turned into conditions, and the figures.

plotly is imported by :mod:`.figures` only (the ``app`` extra); hiplot only inside :mod:`.hiplot`'s
function. A new view is a function here computing its numbers in DuckDB, a figure in
:mod:`.figures`, and its section on the Explore page.
"""
