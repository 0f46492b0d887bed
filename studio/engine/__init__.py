"""The engine: rules compiled to DuckDB SQL, evaluated on a split in one aggregate query, exact
metrics from the counts, and the text report."""
