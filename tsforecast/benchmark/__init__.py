"""Model-comparison benchmarks: rolling-origin evaluation of many forecasters on many series.

:func:`run` evaluates every model on the same rolling-origin folds of every
series (locally, in joblib worker processes or on a Dask cluster), writes
the results as they are produced and can resume an interrupted run;
:func:`leaderboard` summarises them per dataset and overall. The command
line front end is ``tsforecast benchmark`` (see ``tsforecast benchmark --help``).
"""

from ._cell import fit_predict
from ._data import resolve_datasets
from ._forecasts import load_forecasts
from ._leaderboard import leaderboard, load_results, to_markdown
from ._models import import_model, list_models, make_model
from ._runner import run

__all__ = ["run", "leaderboard", "list_models", "make_model", "import_model", "load_results", "load_forecasts",
           "fit_predict", "to_markdown", "resolve_datasets"]
