"""Limits on what a rule set may hold, so that one valid-looking file cannot make every page fail or
the server work without end. Each is checked with a message that names it."""

MAX_RULES = 2_000             # rules in a rule set
MAX_CONDITIONS = 100          # conditions in one rule
MAX_VALUES = 10_000           # values of one ``in`` / ``not in`` list
MAX_VERTICES = 500            # vertices of one polygon
MAX_TEXT = 10_000             # characters of a string value or a rule's name
MAX_INTEGER_DIGITS = 38       # no numeric column type holds a whole number with more digits
MAX_FILE_BYTES = 10_000_000   # size of a rule file
MAX_DEPTH = 64                # nesting of a rule file's JSON (a rule set needs 6)
