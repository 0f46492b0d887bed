"""The command line's arguments: every option is checked by its type, so a bad value ends with one
line naming it (and exit code 2), never a traceback."""

from __future__ import annotations

import argparse
import math

from ..data.bundled import BUNDLED
from ..data.split import TimeOrder
from ..errors import StudioError
from ..export import DIALECTS, FORMATS
from ..mining.objectives import OBJECTIVES


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        raise StudioError(f"{self.prog}: {message}")


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _fraction(text: str) -> float:
    if not 0.0 < _number(text) < 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return float(text)


def _share(text: str) -> float:
    if not 0.0 <= _number(text) <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return float(text)


def _finite_positive(text: str) -> float:
    value = _number(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text}")
    return value


def _seed(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _positive(text: str) -> int:
    if _seed(text) == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return int(text)


def _port(text: str) -> int:
    if not 1 <= _whole(text) <= 65_535:
        raise argparse.ArgumentTypeError(f"a port is between 1 and 65535, got {text}")
    return int(text)


def _name(text: str) -> str:
    if not text or "\x00" in text or len(text) > 200:
        raise argparse.ArgumentTypeError("must be a name of 1 to 200 characters")
    return text


def _split_spec(text: str):
    """``random``, or ``time:COLUMN[:CUTOFF]`` (the cutoff may hold colons: a timestamp)."""
    if text == "random":
        return None
    kind, _, rest = text.partition(":")
    column, _, cutoff = rest.partition(":")
    if kind != "time" or not column:
        raise argparse.ArgumentTypeError(f"expected random or time:COLUMN[:CUTOFF], got {text!r}")
    return TimeOrder(column, cutoff or None)


def _gap(text: str) -> float:
    value = _number(text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a number ≥ 0, got {text}")
    return value


def _split_arguments(parser) -> None:
    parser.add_argument("--split", type=_split_spec, default=None, metavar="random|time:COLUMN[:CUTOFF]",
                        help="random and stratified (default), or out of time: train before CUTOFF on COLUMN, "
                             "test from it on (default cutoff: the last --test-size share of rows in time order)")
    parser.add_argument("--gap", type=_gap, default=0.0,
                        help="with a time split: leave out the rows this long after the cutoff (days for dates)")
    parser.add_argument("--test-size", type=_fraction, default=None,
                        help="held-out fraction (default 0.5; 0.3 for a time split)")
    parser.add_argument("--seed", type=_seed, default=0, help="split seed (default 0)")
    parser.add_argument("--key", metavar="COLUMN",
                        help="rank the rows by md5(seed:COLUMN) within each class instead of their order in the "
                             "file (a unique whole-number or text column): the same split in DuckDB and Spark")


def _engine_arguments(parser) -> None:
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="where the rows are read and counted (default duckdb; spark needs pyspark)")
    parser.add_argument("--table", help="with --engine spark: a Spark table instead of a file")
    parser.add_argument("--master", default="local[*]", help="with --engine spark: Spark master URL "
                                                              "(default local[*], a local session)")
    parser.add_argument("--remote", help="with --engine spark: a Spark Connect address (sc://host:port)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m studio", description="Rule Studio: CaseWhen rules evaluated in DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def _money_arguments(command, amount_help: str) -> None:
        command.add_argument("--amount", metavar="COLUMN", help=amount_help)
        command.add_argument("--review-cost", type=_number, default=0.0,
                             help="cost of reviewing one alert (with --amount)")
        command.add_argument("--caught-share", type=_share, default=1.0,
                             help="share of a caught positive's amount that is saved (with --amount; default 1)")
        command.add_argument("--false-alert-share", type=_share, default=0.0,
                             help="share of a false alert's amount counted as lost (with --amount; default 0)")

    def _missing_argument(command) -> None:
        command.add_argument("--missing", action="append", default=[], metavar="TEXT",
                             help="a text the CSV writes for a missing value, such as ? or NA (repeat for more; "
                                  "an empty field always is)")

    def _store_arguments(command) -> None:
        command.add_argument("--on-disk", action="store_true",
                             help="keep the data in a DuckDB database file of its own (under the data folder's "
                                  ".cache/store) instead of memory: for data larger than memory")
        command.add_argument("--memory-limit", metavar="SIZE",
                             help="DuckDB's memory limit for the data, such as 6GB (default: DuckDB's, 80%% of RAM)")

    bundled = ", ".join(BUNDLED)

    ev = sub.add_parser("evaluate", help="metrics of a rule set on train, test and all rows")
    ev.add_argument("data", nargs="?", help=f"a CSV or Parquet file, or a bundled dataset ({bundled})")
    _engine_arguments(ev)
    _missing_argument(ev)
    _store_arguments(ev)
    ev.add_argument("--rules", required=True, help="rule file (JSON, format rule-studio/1)")
    ev.add_argument("--target", help="target column (default: the rule file's, else the dataset's usual one)")
    ev.add_argument("--positive", help="positive label (default: the rule file's, else the minority class)")
    _split_arguments(ev)
    ev.add_argument("--json", action="store_true", help="print JSON instead of the readable report")
    _money_arguments(ev, "add amount-weighted figures from this numeric column "
                         "(amount caught, false-alert amount, alerts, net benefit)")
    ev.add_argument("--by-period", metavar="COLUMN[:UNIT]",
                    help="add each period's figures (UNIT: day, week, month, or a number of equal buckets of a "
                         "numeric column; default auto), for the rule set and each rule, on all rows")
    ev.add_argument("--strict", action="store_true",
                    help="fail (exit 2) when a rule's label is not a class of the target, instead of warning")

    sg = sub.add_parser("suggest", help="mined candidate rules for the rows the rules leave undecided")
    sg.add_argument("data", help=f"a CSV or Parquet file, or a bundled dataset ({bundled})")
    _missing_argument(sg)
    _store_arguments(sg)
    sg.add_argument("--target", help="target column (default: the rule file's, else the dataset's usual one)")
    sg.add_argument("--positive", help="positive label (default: the rule file's, else the minority class)")
    sg.add_argument("--rules", help="the current rule file (candidates cover the rows it leaves to the default)")
    sg.add_argument("--objective", default="f1", choices=list(OBJECTIVES))
    sg.add_argument("--beta", type=_finite_positive, default=1.0, help="beta of F-beta (with --objective fbeta)")
    sg.add_argument("--min-recall", type=_share, default=0.0, help="with --objective precision_at_recall")
    sg.add_argument("--budget", type=_finite_positive, default=None,
                    help="with --objective recall_in_budget or amount_in_budget: alerts per 1,000 train rows the "
                         "list may raise")
    _money_arguments(sg, "amounts from this numeric column: the candidates' amount caught and net benefit, "
                         "and the objectives amount_in_budget and net_benefit")
    sg.add_argument("--top", type=_positive, default=20, help="how many candidates (default 20)")
    _split_arguments(sg)
    how = sg.add_mutually_exclusive_group()
    how.add_argument("--template", action="append", metavar="TEMPLATE",
                    help='score the candidates of a ruleminer-style template instead, e.g. '
                         '\'{"V1[0-9]"} <= quantile(0.05) & {"Amount"} > 100\' (repeatable), with its ten metrics')
    how.add_argument("--build-list", type=_positive, metavar="N",
                    help="instead, search for an ordered list of at most N rules after the current ones (a beam "
                         "search chosen on a validation slice of train) and print it as a rule file")
    sg.add_argument("--max-conditions", type=_positive, default=3, help="with --build-list: conditions per rule "
                                                                         "(default 3)")
    sg.add_argument("--min-precision", type=_share, default=0.0,
                    help="with --build-list: the least train precision of a rule where it decides (default 0)")
    sg.add_argument("--time-budget", type=_finite_positive, default=8.0,
                    help="with --build-list: seconds the search may take; then the best list so far (default 8)")
    sg.add_argument("--no-exceptions", dest="exceptions", action="store_false",
                    help="with --build-list: no exceptions (rules that take rows back from the list's rules)")
    sg.add_argument("--greedy", action="store_true",
                    help="with --build-list: the fast greedy walk instead of the search")
    sg.add_argument("--json", action="store_true", help="print JSON instead of a table")

    cp = sub.add_parser("compare", help="two versions of a rule list: test figures, what changed rule by rule, "
                                         "and the rows they decide differently")
    cp.add_argument("data", help=f"a CSV or Parquet file, or a bundled dataset ({bundled})")
    _missing_argument(cp)
    _store_arguments(cp)
    cp.add_argument("--rules", required=True, help="the first version (A), a rule file")
    cp.add_argument("--against", required=True, help="the second version (B), a rule file")
    cp.add_argument("--target", help="target column (default: the first rule file's)")
    cp.add_argument("--positive", help="positive label (default: the first rule file's, else the minority class)")
    _split_arguments(cp)
    _money_arguments(cp, "add amount caught and net benefit from this numeric column")
    cp.add_argument("--json", action="store_true", help="print JSON instead of text")

    sc = sub.add_parser("score", help="add prediction and fired-rule columns to every row of a file")
    sc.add_argument("data", nargs="?", help="a CSV or Parquet file")
    _engine_arguments(sc)
    sc.add_argument("--partition-by", nargs="+", metavar="COLUMN",
                    help="with --engine spark: Parquet folders by these columns")
    _missing_argument(sc)
    sc.add_argument("--rules", required=True, help="rule file (JSON)")
    sc.add_argument("--out", required=True, help="output file, .csv or .parquet")
    sc.add_argument("--prediction-column", type=_name, default="prediction")
    sc.add_argument("--rule-column", type=_name, default="rule")
    sc.add_argument("--keep", nargs="+", metavar="COLUMN",
                    help="write only these input columns (e.g. a key) before the prediction and the rule")

    ex = sub.add_parser("export", help="the rules as Python, a scikit-learn module, human-learn, SQL, PMML or JSON")
    ex.add_argument("rules", help="rule file (JSON)")
    ex.add_argument("--to", required=True, choices=list(FORMATS), help="output format")
    ex.add_argument("--dialect", default="duckdb", choices=list(DIALECTS), help="SQL dialect (with --to sql)")
    ex.add_argument("--table", default="data", help="table the SQL reads (with --to sql)")
    ex.add_argument("--data", help="a data file or bundled dataset whose column types the export uses")
    _missing_argument(ex)
    ex.add_argument("-o", "--output", help="write to this file instead of standard output")

    sv = sub.add_parser("serve", help="an HTTP scoring API for a rule set")
    sv.add_argument("rules", help="rule file (JSON)")
    sv.add_argument("--port", type=_port, default=8000)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--data", help="a data file or bundled dataset whose column types the API checks against")
    return parser


