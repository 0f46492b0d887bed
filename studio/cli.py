"""``python -m studio``: evaluate a rule set on a held-out split, score a file, export the rules,
or serve them over HTTP.

Bad input ends with one line on stderr naming the problem, and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from pathlib import Path

import duckdb

from .data.bundled import BUNDLED, load
from .data.connection import connect
from .data.sources import file_schema
from .engine.evaluate import evaluate
from .engine.report import render
from .errors import StudioError
from .export import DIALECTS, FORMATS, export
from .mining.rulemetrics import show
from .mining.search import greedy_rules, suggestions
from .mining.templates import template_metrics
from .rules.model import RuleSet
from .rules.validate import check_ruleset
from .runtime.scoring import score_file

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        raise StudioError(f"{self.prog}: {message}")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _positive(text: str) -> int:
    value = _seed(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m studio", description="Rule Studio: CaseWhen rules evaluated in DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    bundled = ", ".join(BUNDLED)

    ev = sub.add_parser("evaluate", help="metrics of a rule set on train, test and all rows")
    ev.add_argument("data", help=f"a CSV or Parquet file, or a bundled dataset ({bundled})")
    ev.add_argument("--rules", required=True, help="rule file (JSON, format rule-studio/1)")
    ev.add_argument("--target", help="target column (default: the rule file's, else the dataset's usual one)")
    ev.add_argument("--positive", help="positive label (default: the rule file's, else the minority class)")
    ev.add_argument("--test-size", type=_fraction, default=0.5, help="held-out fraction (default 0.5)")
    ev.add_argument("--seed", type=_seed, default=0, help="split seed (default 0)")
    ev.add_argument("--json", action="store_true", help="print JSON instead of the readable report")

    sg = sub.add_parser("suggest", help="mined candidate rules for the rows the rules leave undecided")
    sg.add_argument("data", help=f"a CSV or Parquet file, or a bundled dataset ({bundled})")
    sg.add_argument("--target", help="target column (default: the rule file's, else the dataset's usual one)")
    sg.add_argument("--positive", help="positive label (default: the rule file's, else the minority class)")
    sg.add_argument("--rules", help="the current rule file (candidates cover the rows it leaves to the default)")
    sg.add_argument("--objective", default="f1", choices=["f1", "fbeta", "precision_at_recall", "lift"])
    sg.add_argument("--beta", type=float, default=1.0, help="beta of F-beta (with --objective fbeta)")
    sg.add_argument("--min-recall", type=float, default=0.0, help="with --objective precision_at_recall")
    sg.add_argument("--top", type=int, default=20, help="how many candidates (default 20)")
    sg.add_argument("--test-size", type=_fraction, default=0.5, help="held-out fraction (default 0.5)")
    sg.add_argument("--seed", type=_seed, default=0, help="split seed (default 0)")
    how = sg.add_mutually_exclusive_group()
    how.add_argument("--template", action="append", metavar="TEMPLATE",
                    help='score the candidates of a ruleminer-style template instead, e.g. '
                         '\'{"V1[0-9]"} <= quantile(0.05) & {"Amount"} > 100\' (repeatable), with its ten metrics')
    how.add_argument("--build-list", type=_positive, metavar="N",
                    help="instead, greedily build an ordered list of at most N rules after the current ones "
                         "and print it as a rule file")
    sg.add_argument("--json", action="store_true", help="print JSON instead of a table")

    sc = sub.add_parser("score", help="add prediction and fired-rule columns to every row of a file")
    sc.add_argument("data", help="a CSV or Parquet file")
    sc.add_argument("--rules", required=True, help="rule file (JSON)")
    sc.add_argument("--out", required=True, help="output file, .csv or .parquet")
    sc.add_argument("--prediction-column", default="prediction")
    sc.add_argument("--rule-column", default="rule")
    sc.add_argument("--keep", nargs="+", metavar="COLUMN",
                    help="write only these input columns (e.g. a key) before the prediction and the rule")

    ex = sub.add_parser("export", help="the rules as Python, a scikit-learn module, human-learn, SQL, PMML or JSON")
    ex.add_argument("rules", help="rule file (JSON)")
    ex.add_argument("--to", required=True, choices=list(FORMATS), help="output format")
    ex.add_argument("--dialect", default="duckdb", choices=list(DIALECTS), help="SQL dialect (with --to sql)")
    ex.add_argument("--table", default="data", help="table the SQL reads (with --to sql)")
    ex.add_argument("--data", help="a data file or bundled dataset whose column types the export uses")
    ex.add_argument("-o", "--output", help="write to this file instead of standard output")

    sv = sub.add_parser("serve", help="an HTTP scoring API for a rule set")
    sv.add_argument("rules", help="rule file (JSON)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--data", help="a data file or bundled dataset whose column types the API checks against")
    return parser


def _schema_of(data: str | None):
    """Column types of a data file (read without loading it) or of a bundled dataset."""
    if data is None:
        return None
    if data in BUNDLED:
        return load(data).schema
    con = connect()
    try:
        return file_schema(con, data)
    finally:
        con.close()


def _export(args) -> str:
    rules = RuleSet.load(args.rules)
    schema = _schema_of(args.data)
    if schema is not None:
        check_ruleset(rules, schema)
    text = export(rules, args.to, dialect=args.dialect, schema=schema, table=args.table)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        return f"wrote {FORMATS[args.to].label} to {args.output}"
    return text.rstrip("\n")


def _serve(args) -> str:
    try:
        from .runtime.serve import serve
    except ImportError:
        raise StudioError("serve needs the 'serve' extra: pip install 'rule-studio[serve]'") from None
    rules = RuleSet.load(args.rules)
    schema = _schema_of(args.data)
    if schema is not None:
        check_ruleset(rules, schema)
    print(f"serving {len(rules.enabled_rules)} rules on http://{args.host}:{args.port} "
          f"(POST /predict, GET /rules, GET /health)", flush=True)
    serve(rules, host=args.host, port=args.port, schema=schema)
    return "stopped"


def _split_for(args, rules: RuleSet | None):
    dataset = load(args.data)
    target = args.target or (rules.target if rules else None) or dataset.suggested_target
    if not target:
        raise StudioError("no target column: pass --target or put 'target' in the rule file")
    positive = next((p for p in (args.positive, rules.positive if rules else None) if p is not None), None)
    if positive is None and target == dataset.suggested_target:
        positive = dataset.suggested_positive
    return dataset.split(target, positive=positive, test_size=args.test_size, seed=args.seed)


def _records(frame) -> str:
    """A table as JSON records; infinite values as "inf", undefined ones as null."""
    out = frame.astype(object).where(frame.notna(), None)
    rows = [{k: ("inf" if isinstance(v, float) and v == float("inf") else v) for k, v in r.items()}
            for r in out.to_dict(orient="records")]
    return json.dumps(rows, indent=2, ensure_ascii=False, default=str)


def _suggest(args) -> str:
    rules = RuleSet.load(args.rules) if args.rules else None
    split = _split_for(args, rules)
    if rules is not None:
        check_ruleset(rules, split.dataset.schema)
    where = f"the rows {'the rules leave undecided' if rules else 'of'} {split.dataset.label}"
    if args.build_list is not None:
        built = greedy_rules(split, rules, max_rules=args.build_list, objective=args.objective, beta=args.beta,
                             min_recall=args.min_recall)
        return json.dumps(built.to_dict(), indent=2, ensure_ascii=False)
    if args.template:
        found = template_metrics(split, args.template, rules).drop(columns=["when"])
        if args.json:
            return _records(found)
        head = f"{len(found)} template candidates on {where}, consequent {split.target} = {split.positive} (train)"
        shown = found.copy()
        for name in shown.columns:
            if shown[name].dtype.kind == "f":
                shown[name] = [show(v, name) for v in shown[name]]
        return head + "\n" + shown.to_string(index=False)
    found = suggestions(split, rules, objective=args.objective, top=args.top, beta=args.beta,
                        min_recall=args.min_recall).drop(columns=["when"])
    if args.json:
        return _records(found)
    head = (f"{len(found)} candidates for {where}, target {split.target} = {split.positive}; "
            f"ranked by {args.objective} on train")
    return head + "\n" + found.to_string(index=False, float_format=lambda v: f"{v:.4f}")


def _evaluate(args) -> str:
    rules = RuleSet.load(args.rules)
    report = evaluate(_split_for(args, rules), rules)
    if args.json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    return render(report)


def _score(args) -> str:
    rules = RuleSet.load(args.rules)
    n = score_file(args.data, rules, args.out, args.prediction_column, args.rule_column, keep=args.keep)
    return f"wrote {n:,} rows to {args.out}"


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        text = {"evaluate": _evaluate, "score": _score, "export": _export, "serve": _serve,
                "suggest": _suggest}[args.command](args)
    except StudioError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as err:
        print(f"error: {str(err).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(text)
    return 0
