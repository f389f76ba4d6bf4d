#!/usr/bin/env bash
# One entry point that does all set-up on a fresh machine (Python >= 3.10 and pip only):
#   bash run.sh benchmark [options]   -> model comparison on bundled data, prints a leaderboard
#   bash run.sh test [pytest options] -> the test suite (add --runslow for the slow tests)
# It creates ./.venv on first use and installs tsforecast with its extras there
# (re-installing only when pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON_BIN=${PYTHON:-python3}
VENV=${TSFORECAST_VENV:-.venv}

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON_BIN" -m venv "$VENV"
  fi
  local stamp
  stamp="$VENV/.tsforecast-installed-$(cksum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ]; then
    echo "run.sh: installing tsforecast and its dependencies into $VENV (first run only)..." >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[neural,text,plot,dask,test]"
    rm -f "$VENV"/.tsforecast-installed-*
    touch "$stamp"
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  benchmark)
    setup
    if [ $# -eq 0 ]; then set -- --output bench-output; fi
    exec "$VENV/bin/tsforecast" benchmark "$@"
    ;;
  test)
    setup
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  setup)
    setup
    ;;
  *)
    echo "usage: bash run.sh {benchmark|test|setup} [options]" >&2
    exit 2
    ;;
esac
