"""The data layer: sources, schema and column kinds, class labels, datasets in DuckDB, the split.

Nothing here knows about rules. A new data source is a function in :mod:`.sources` (a DuckDB
table function for a file) or an entry in :data:`.bundled.BUNDLED`.
"""
