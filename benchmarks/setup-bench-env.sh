#!/usr/bin/env bash
# Create/refresh the benchmark-only virtualenv at <repo>/.venv-bench.
#
#   bash benchmarks/setup-bench-env.sh            # create or bring up to date
#   bash benchmarks/setup-bench-env.sh --recreate # wipe and rebuild from scratch
#   PYTHON=/path/to/python3.11 bash benchmarks/setup-bench-env.sh
#
# Idempotent: re-running on an up-to-date venv only re-checks it.
# Peers (human-learn, sklearn2pmml, ruleminer) live ONLY here, never in the
# project's requirements.txt.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="$REPO/.venv-bench"
REQ="$HERE/requirements-bench.txt"
STAMP="$VENV/.requirements-bench.sha256"

recreate=0
for arg in "$@"; do
  case "$arg" in
    --recreate) recreate=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

# --- pick a Python 3.11 interpreter -----------------------------------------
if [[ -z "${PYTHON:-}" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi
pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [[ "$pyver" != "3.11" ]]; then
  echo "error: need Python 3.11 for the bench env, $PYTHON is $pyver (set PYTHON=...)" >&2
  exit 1
fi

# --- create the venv (or rebuild a broken / wrong-version one) --------------
if [[ $recreate -eq 1 && -d "$VENV" ]]; then
  echo "removing $VENV"
  rm -rf "$VENV"
fi
if [[ -d "$VENV" ]]; then
  venv_ver="$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo broken)"
  if [[ "$venv_ver" != "3.11" ]]; then
    echo "existing $VENV is unusable ($venv_ver); rebuilding"
    rm -rf "$VENV"
  fi
fi
if [[ ! -d "$VENV" ]]; then
  echo "creating $VENV with $PYTHON ($pyver)"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

req_hash="$(sha256sum "$REQ" "$0" | sha256sum | cut -d' ' -f1)"

# Parse the requirements file: normal lines vs "#nodeps NAME==VER" lines.
mapfile -t NODEPS < <(sed -n 's/^#nodeps[[:space:]]\+//p' "$REQ" | sed 's/[[:space:]]*#.*//' | grep -v '^$' || true)

check_env() {
  # Exit 0 iff every pin in requirements-bench.txt (normal and #nodeps) is
  # installed at exactly that version.
  "$PY" - "$REQ" <<'EOF'
import importlib.metadata as md, re, sys
bad = []
for raw in open(sys.argv[1]):
    line = raw.strip()
    if line.startswith("#nodeps"):
        line = line[len("#nodeps"):].strip()
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
    if not m:
        bad.append(f"unpinned line: {line!r}"); continue
    name, ver = m.groups()
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        bad.append(f"{name}: missing"); continue
    if have != ver:
        bad.append(f"{name}: have {have}, want {ver}")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
EOF
}

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$req_hash" ]] && check_env >/dev/null; then
  echo "$VENV is up to date"
else
  rm -f "$STAMP"
  echo "installing pinned requirements into $VENV"
  "${PIP[@]}" install -r "$REQ"
  if [[ ${#NODEPS[@]} -gt 0 ]]; then
    echo "installing with --no-deps: ${NODEPS[*]}"
    "${PIP[@]}" install --no-deps "${NODEPS[@]}"
  fi
  if ! check_env; then
    echo "error: $VENV does not match $REQ (see above)" >&2
    exit 1
  fi
  echo "$req_hash" > "$STAMP"
fi

# --- smoke test: the peers load the way benchmarks/peers.py uses them -------
(cd "$HERE/.." && "$PY" - <<'EOF'
from benchmarks import peers
peers.load_case_when_ruler()
import sklearn2pmml.ruleset, ruleminer  # noqa: F401
print("bench env OK:", ", ".join(f"{k} {v}" for k, v in peers.versions().items()))
EOF
)
echo "use it with:  $VENV/bin/python -m benchmarks.check_peers   (from the project's folder)"
