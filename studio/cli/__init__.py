"""``python -m studio``: evaluate a rule set on a held-out split, suggest rules, score a file, export
the rules, or serve them over HTTP.

Bad input ends with one line on stderr naming the problem, and exit code 2.
"""

from __future__ import annotations

import sys

import duckdb

from ..errors import StudioError
from .arguments import build_parser
from .commands import COMMANDS, OPENED

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        text = COMMANDS[args.command](args)
    except StudioError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as err:
        print(f"error: {str(err).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        while OPENED:  # a dataset kept on disk takes its file with it
            OPENED.pop().close()
    print(text)
    return 0
