"""`import tsforecast` stays light: no TensorFlow, Keras or statsmodels."""

import subprocess
import sys

import tsforecast


def test_import_does_not_load_heavy_libraries():
    code = (
        "import sys, tsforecast, tsforecast.metrics, tsforecast.datasets, tsforecast.windowing, "
        "tsforecast.model_selection, tsforecast.forecasting\n"
        "from tsforecast import NaiveForecaster, make_windows\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'statsmodels', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves():
    # every module a public name points to imports (an error here fails, never skips)
    for name in tsforecast.__all__:
        assert getattr(tsforecast, name) is not None
