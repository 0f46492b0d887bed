"""What each command of ``python -m studio`` does: evaluate, suggest, score, export, serve."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from ..data.bundled import BUNDLED, load
from ..data.connection import connect
from ..data.sources import file_schema, missing_markers
from ..data.target import guess_target
from ..engine.backtest import backtest, render_backtest
from ..engine.compare import comparison, render_comparison
from ..engine.evaluate import evaluate
from ..engine.money import MoneySettings, money, render_money
from ..mining.objectives import BUDGET_OBJECTIVES, MONEY_OBJECTIVES
from ..engine.report import render
from ..errors import StudioError
from ..export import FORMATS, export
from ..mining.rulemetrics import show
from ..mining.listsearch import SearchSettings, search_rules
from ..mining.search import greedy_rules, suggestions
from ..mining.templates import template_metrics
from ..rules.model import RuleSet
from ..rules.validate import check_ruleset
from ..runtime.scoring import score_file
from .spark_commands import evaluate_on_spark, score_on_spark


def _schema_of(data: str | None, missing=()):
    """Column types of a data file (read without loading it) or of a bundled dataset."""
    if data is None:
        return None
    if data in BUNDLED:
        return load(data).schema
    con = connect()
    try:
        return file_schema(con, data, missing_markers(missing))
    finally:
        con.close()


def _export(args) -> str:
    rules = RuleSet.load(args.rules)
    schema = _schema_of(args.data, args.missing)
    if schema is not None:
        check_ruleset(rules, schema)
    text = export(rules, args.to, dialect=args.dialect, schema=schema, table=args.table, missing=args.missing)
    if args.output:
        write_output(args.output, text)
        return f"wrote {FORMATS[args.to].label} to {args.output}"
    return text.rstrip("\n")


def write_output(path: str, text: str) -> None:
    """Write a command's output file, or end with one line saying why it cannot be written."""
    p = Path(path)
    if p.is_dir():
        raise StudioError(f"cannot write {path}: it is a folder; give a file name")
    if not p.parent.is_dir():
        raise StudioError(f"cannot write {path}: the folder {str(p.parent)!r} does not exist")
    try:
        with open(p, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as err:
        raise StudioError(f"cannot write {path}: {err.strerror or err}") from None


def label_problems(rules: RuleSet, split) -> list[str]:
    """Rule labels (and the default) that are not classes of the split's target: such rows can never
    count as correct, which is almost always a mistake (``"yes"`` on a 0/1 target)."""
    classes = ", ".join(split.labels[:10]) + (" ..." if len(split.labels) > 10 else "")
    names = rules.names()
    found = [(f"rule {i + 1} ({names[i]!r})", r.then) for i, r in enumerate(rules.rules)]
    found.append(("the default", rules.default))
    return [f"{who} gives {label!r}, which is not a class of {split.target!r} (classes: {classes})"
            for who, label in found if split.class_label(label) not in split.labels]


def _serve(args) -> str:
    try:
        from ..runtime.serve import serve
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


OPENED: list = []  # the datasets a command opened; the command line closes them when it ends


def _split_for(args, rules: RuleSet | None):
    dataset = load(args.data, missing=args.missing, on_disk=args.on_disk, memory_limit=args.memory_limit)
    OPENED.append(dataset)
    target = args.target or (rules.target if rules else None) or dataset.suggested_target \
        or guess_target(dataset).column
    if not target:
        raise StudioError("no target column: pass --target or put 'target' in the rule file")
    positive = next((p for p in (args.positive, rules.positive if rules else None) if p is not None), None)
    if positive is None and target == dataset.suggested_target:
        positive = dataset.suggested_positive
    order = args.split
    if order is None and args.gap:
        raise StudioError("--gap goes with --split time:COLUMN")
    if order is not None and args.gap:
        order = replace(order, gap=args.gap)
    test_size = args.test_size if args.test_size is not None else (0.5 if order is None else 0.3)
    return dataset.split(target, positive=positive, test_size=test_size, seed=args.seed, by_time=order, key=args.key)


def _records(frame) -> str:
    """A table as JSON records; infinite values as "inf", undefined ones as null."""
    out = frame.astype(object).where(frame.notna(), None)
    rows = [{k: ("inf" if isinstance(v, float) and v == float("inf") else v) for k, v in r.items()}
            for r in out.to_dict(orient="records")]
    return json.dumps(rows, indent=2, ensure_ascii=False, default=str)


def _money_settings(args) -> MoneySettings | None:
    """The money settings the options give (None without --amount)."""
    if args.amount is not None:
        return MoneySettings(args.amount, args.review_cost, args.caught_share, args.false_alert_share)
    if args.review_cost or args.caught_share != 1.0 or args.false_alert_share:
        raise StudioError("--review-cost, --caught-share and --false-alert-share go with --amount COLUMN")
    return None


def _suggest(args) -> str:
    rules = RuleSet.load(args.rules) if args.rules else None
    split = _split_for(args, rules)
    if rules is not None:
        check_ruleset(rules, split.dataset.schema)
        for problem in label_problems(rules, split):
            print(f"warning: {problem}", file=sys.stderr)
    where = f"the rows {'the rules leave undecided' if rules else 'of'} {split.dataset.label}"
    if args.objective in BUDGET_OBJECTIVES and not args.budget:
        raise StudioError(f"--objective {args.objective} needs --budget (alerts per 1,000 train rows)")
    money_settings = _money_settings(args)
    if args.objective in MONEY_OBJECTIVES and money_settings is None:
        raise StudioError(f"--objective {args.objective} needs --amount COLUMN (and --review-cost)")
    if args.build_list is not None:
        if args.greedy:
            built = greedy_rules(split, rules, max_rules=args.build_list, objective=args.objective, beta=args.beta,
                                 min_recall=args.min_recall, budget=args.budget, money=money_settings)
        else:
            settings = SearchSettings(max_rules=args.build_list, max_conditions=args.max_conditions,
                                      min_precision=args.min_precision, objective=args.objective, beta=args.beta,
                                      min_recall=args.min_recall, budget=args.budget or 0.0, money=money_settings,
                                      time_budget=args.time_budget, exceptions=args.exceptions)
            found = search_rules(split, rules, settings)
            built = found.rules
            print(f"search: {found.lists} lists met in {found.elapsed:.1f} s ({found.stopped}); validation "
                  f"{args.objective} {found.validation:.4f}"
                  + ("; a tree's list, read again off every train row" if found.refitted else ""), file=sys.stderr)
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
                        min_recall=args.min_recall, budget=args.budget, money=money_settings).drop(columns=["when"])
    if args.json:
        return _records(found)
    head = (f"{len(found)} candidates for {where}, target {split.target} = {split.positive}; "
            f"ranked by {args.objective} on train")
    return head + "\n" + found.to_string(index=False, float_format=lambda v: f"{v:.4f}")


def _evaluate(args) -> str:
    if args.engine == "spark":
        return evaluate_on_spark(args, _money_settings)
    _duckdb_only(args)
    rules = RuleSet.load(args.rules)
    split = _split_for(args, rules)
    problems = label_problems(rules, split)
    if problems and args.strict:
        raise StudioError("; ".join(problems))
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    money_settings = _money_settings(args)
    if money_settings is not None:
        amounts = money(split, rules, money_settings)
    periods = None
    if args.by_period:
        column, _, unit = args.by_period.partition(":")
        periods = backtest(split, rules, column, unit or "auto", amount=args.amount)
    report = evaluate(split, rules)
    if args.json:
        out = report.to_dict()
        if money_settings is not None:
            out["amounts"] = {"settings": asdict(money_settings),
                              **{side: m.to_dict() for side, m in amounts.items()}}
        if periods is not None:
            out["by_period"] = periods.to_dict()
        return json.dumps(out, indent=2, ensure_ascii=False)
    parts = [render(report)] + ([render_money(amounts, money_settings)] if money_settings is not None else [])
    return "\n\n".join(parts + ([render_backtest(periods)] if periods is not None else []))


def _duckdb_only(args) -> None:
    """The options that name Spark things, refused without --engine spark; the data, required."""
    for name in ("table", "remote", "partition_by"):
        if getattr(args, name, None):
            raise StudioError(f"--{name.replace('_', '-')} goes with --engine spark")
    if not args.data:
        raise StudioError("give the data: a CSV or Parquet file" + (", or a bundled dataset"
                                                                   if args.command == "evaluate" else ""))


def _score(args) -> str:
    if args.engine == "spark":
        return score_on_spark(args)
    _duckdb_only(args)
    rules = RuleSet.load(args.rules)
    try:
        same = Path(args.out).resolve() == Path(args.data).resolve()
    except (OSError, RuntimeError, ValueError):
        same = False
    if same:
        raise StudioError(f"--out {args.out} is the input file: scoring would overwrite it; choose another name")
    n = score_file(args.data, rules, args.out, args.prediction_column, args.rule_column, keep=args.keep,
                   missing=missing_markers(args.missing))
    return f"wrote {n:,} rows to {args.out}"


def _compare(args) -> str:
    first, second = RuleSet.load(args.rules), RuleSet.load(args.against)
    split = _split_for(args, first)
    for rules in (first, second):
        check_ruleset(rules, split.dataset.schema)
    found = comparison(split, first, second, _money_settings(args))
    if args.json:
        return json.dumps(found, indent=2, ensure_ascii=False)
    return render_comparison(found, Path(args.rules).name, Path(args.against).name)


COMMANDS = {"compare": _compare, "evaluate": _evaluate, "score": _score, "export": _export, "serve": _serve, "suggest": _suggest}
