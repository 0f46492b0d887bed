"""``python -m studio``: evaluate a rule set on a held-out split, or score a file.

Bad input ends with one line on stderr naming the problem, and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys

import duckdb

from .bundled import BUNDLED, load
from .errors import StudioError
from .evaluate import evaluate
from .report import render
from .rules import RuleSet
from .scoring import score_file

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

    sc = sub.add_parser("score", help="add prediction and fired-rule columns to every row of a file")
    sc.add_argument("data", help="a CSV or Parquet file")
    sc.add_argument("--rules", required=True, help="rule file (JSON)")
    sc.add_argument("--out", required=True, help="output file, .csv or .parquet")
    sc.add_argument("--prediction-column", default="prediction")
    sc.add_argument("--rule-column", default="rule")
    return parser


def _evaluate(args) -> str:
    rules = RuleSet.load(args.rules)
    dataset = load(args.data)
    target = args.target or rules.target or dataset.suggested_target
    if not target:
        raise StudioError("no target column: pass --target or put 'target' in the rule file")
    positive = next((p for p in (args.positive, rules.positive) if p is not None), None)
    if positive is None and target == dataset.suggested_target:
        positive = dataset.suggested_positive
    split = dataset.split(target, positive=positive, test_size=args.test_size, seed=args.seed)
    report = evaluate(split, rules)
    if args.json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    return render(report)


def _score(args) -> str:
    rules = RuleSet.load(args.rules)
    n = score_file(args.data, rules, args.out, args.prediction_column, args.rule_column)
    return f"wrote {n:,} rows to {args.out}"


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        text = {"evaluate": _evaluate, "score": _score}[args.command](args)
    except StudioError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as err:
        print(f"error: {str(err).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(text)
    return 0
