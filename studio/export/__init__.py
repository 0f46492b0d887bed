"""Exports of a rule set: standalone Python, a scikit-learn estimator module, a human-learn snippet,
SQL for DuckDB and other engines, PMML 4.4, and the rules JSON. Each reproduces the studio's
predictions exactly; a rule a format cannot express is refused with a message (ExportError).

Every format is one module that registers an :class:`ExportFormat` record; the imports below
register them, in the order the CLI and the Export page list them.
"""

from . import python, sklearn, hulearn, sql, pmml, rulefile  # noqa: F401  (each registers its format)
from .errors import ExportError
from .hulearn import to_hulearn
from .pmml import to_pmml
from .python import to_python
from .registry import FORMATS, ExportFormat, export, register, unregister
from .sklearn import to_sklearn
from .sql import DIALECTS, to_sql

__all__ = ["DIALECTS", "FORMATS", "ExportError", "ExportFormat", "export", "register", "to_hulearn", "to_pmml",
           "to_python", "to_sklearn", "to_sql", "unregister"]
