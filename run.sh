#!/usr/bin/env bash
# One entry point that does all set-up on a fresh machine (Python >= 3.10 and pip only):
#   bash run.sh benchmark [options]   -> model comparison on bundled data, prints a leaderboard
#   bash run.sh test [pytest options] -> the test suite (add --runslow for the slow tests)
#   bash run.sh test-min [options]    -> the test suite with every dependency at the lower bound
#                                        of pyproject.toml (.ci/constraints-min.txt), in ./.venv-min
#   bash run.sh setup                 -> only the set-up
# It creates ./.venv on first use and installs tsforecast with its extras there
# (re-installing only when pyproject.toml changes). That first install downloads
# TensorFlow CPU, Keras, statsmodels and the rest: about 2 GB on disk, a few minutes.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON_BIN=${PYTHON:-python3}
VENV=${TSFORECAST_VENV:-.venv}
EXTRAS="neural,text,plot,dask,test"
START=$SECONDS

say() { echo "run.sh: $*" >&2; }

# pip --quiet, minus two kinds of noise: the "Location '...' is ignored" warning that a
# pip configuration naming a missing local index repeats for every package, and
# setuptools' ten-line "Editable installation" notice. Errors still show, and pip's
# exit status is kept (pipefail).
pip_install() {
  "$VENV/bin/python" -m pip install --quiet "$@" 2>&1 | awk '
    /^WARNING: Location .* is ignored/ { next }
    /BuildBackendWarning: Editable installation\./ { skip = 12; next }
    skip > 0 { skip--; if (/with strategy, WheelFile/) skip = 0; next }
    { print; fflush() }' >&2
}

# setup [constraints file]: create $VENV and install tsforecast with its extras there,
# again only when pyproject.toml (or the constraints file) has changed.
setup() {
  local constraints=${1:-} stamp
  stamp="$VENV/.tsforecast-installed-$(cat pyproject.toml $constraints | cksum | cut -d' ' -f1)"
  if [ -f "$stamp" ]; then
    return
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment $VENV ..."
    "$PYTHON_BIN" -m venv "$VENV"
    echo "*" > "$VENV/.gitignore"   # keep git from listing it, as Python >= 3.13's venv does
  fi
  say "upgrading pip in $VENV ..."
  pip_install --upgrade pip
  if [ -n "$constraints" ]; then
    say "installing tsforecast[$EXTRAS] with the lower-bound versions of $constraints into $VENV"
    say "(TensorFlow CPU, Keras, statsmodels, ...: about 2 GB, a few minutes; pip prints nothing meanwhile) ..."
    pip_install -c "$constraints" -e ".[$EXTRAS]"
  else
    say "installing tsforecast[$EXTRAS] and its dependencies into $VENV"
    say "(TensorFlow CPU, Keras, statsmodels, ...: about 2 GB, a few minutes; pip prints nothing meanwhile) ..."
    pip_install -e ".[$EXTRAS]"
  fi
  rm -f "$VENV"/.tsforecast-installed-*
  touch "$stamp"
  say "set-up done in $((SECONDS - START)) s."
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
    # two worker processes (pytest-xdist), each test file in one of them; -n 0 runs in this process
    exec "$VENV/bin/python" -m pytest -n "${TSFORECAST_TEST_WORKERS:-2}" --dist loadfile "$@"
    ;;
  test-min)
    VENV=${TSFORECAST_MIN_VENV:-.venv-min}
    setup .ci/constraints-min.txt
    "$VENV/bin/python" -m pip list --format=freeze 2>/dev/null \
      | grep -iE '^(numpy|pandas|scikit-learn|scipy|statsmodels|joblib|keras|tensorflow[-_]cpu|matplotlib|dask)==' \
      | tr '\n' ' ' | sed 's/^/run.sh: lower bounds under test: /; s/ $/\n/' >&2
    exec "$VENV/bin/python" -m pytest -n "${TSFORECAST_TEST_WORKERS:-2}" --dist loadfile "$@"
    ;;
  setup)
    setup
    ;;
  *)
    echo "usage: bash run.sh {benchmark|test|test-min|setup} [options]" >&2
    exit 2
    ;;
esac
