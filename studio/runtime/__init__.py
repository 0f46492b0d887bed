"""Running rules outside the studio's split: numpy evaluation (pyeval), the scikit-learn
estimator, batch scoring of files through DuckDB, and the HTTP scoring API (the ``serve`` extra)."""
