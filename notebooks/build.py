"""Write the example notebooks (outputs stripped) from the cell sources below.

Edit the cells here, then run ``python notebooks/build.py``; the test suite
executes every notebook (tests/test_notebooks.py). Settings are kept small so
that each notebook runs in a few minutes on 2 CPU cores.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

NOTEBOOKS = {
    "01_quickstart.ipynb": [
        ("md", "# Quickstart\n\nLoad a bundled series, fit Holt-Winters, ARIMA and an LSTM, plot "
               "forecasts with intervals, and compare the three with scikit-learn's own "
               "`cross_validate` on the same `TimeSeriesSplit`."),
        ("code", "import matplotlib\nmatplotlib.use('Agg')\nimport pandas as pd\n"
                 "from sklearn.model_selection import TimeSeriesSplit, cross_validate\n"
                 "from tsforecast import ARIMAForecaster, HoltWintersForecaster, LSTMForecaster\n"
                 "from tsforecast.datasets import load_airline\n"
                 "from tsforecast.metrics import make_forecast_scorer\n"
                 "from tsforecast.plotting import plot_forecast\n\n"
                 "y = load_airline()\ntrain, test = y.iloc[:-12], y.iloc[-12:]\ny.tail()"),
        ("md", "## Fit three forecasters and forecast the held-out year"),
        ("code", "models = {\n"
                 "    'Holt-Winters': HoltWintersForecaster(seasonal_periods=12),\n"
                 "    'ARIMA': ARIMAForecaster(order='auto', seasonal_periods=12),\n"
                 "    'LSTM': LSTMForecaster(horizon=12, random_state=0),  # settings chosen from the data\n"
                 "}\nforecasts, intervals = {}, {}\n"
                 "for name, model in models.items():\n"
                 "    model.fit(train)\n"
                 "    forecasts[name] = model.predict(12)\n"
                 "    intervals[name] = model.predict_interval(12, coverage=0.9)\n"
                 "pd.DataFrame(forecasts).assign(actual=test).round(1)"),
        ("code", "fig = plot_forecast(y.iloc[-48:], forecasts['Holt-Winters'], interval=intervals['Holt-Winters'])\nfig"),
        ("md", "## Compare with `cross_validate` on the same folds"),
        ("code", "cv = TimeSeriesSplit(n_splits=3, test_size=12)\nrows = {}\n"
                 "for name, model in models.items():\n"
                 "    res = cross_validate(model, y, cv=cv, scoring=make_forecast_scorer('smape'))\n"
                 "    rows[name] = -res['test_score']\n"
                 "pd.DataFrame(rows, index=['fold 1', 'fold 2', 'fold 3']).round(2)"),
    ],
    "02_gridsearch_and_pipelines.ipynb": [
        ("md", "# GridSearchCV and Pipelines\n\nTune forecasters with scikit-learn's own "
               "`GridSearchCV`, feed windows to an `LSTMRegressor` inside a `Pipeline`, and turn "
               "a gradient-boosting regressor into a forecaster."),
        ("code", "import numpy as np\nimport pandas as pd\n"
                 "from sklearn.ensemble import HistGradientBoostingRegressor\n"
                 "from sklearn.model_selection import GridSearchCV, TimeSeriesSplit\n"
                 "from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n"
                 "from tsforecast import (ARIMAForecaster, LSTMForecaster, LSTMRegressor, ReductionForecaster,\n"
                 "                        make_windows)\nfrom tsforecast.datasets import load_airline\n"
                 "from tsforecast.metrics import smape\n\ny = load_airline()\ncv = TimeSeriesSplit(n_splits=2, test_size=12)"),
        ("md", "## Tune an ARIMA order"),
        ("code", "grid = GridSearchCV(ARIMAForecaster(seasonal_order=(0, 1, 1), seasonal_periods=12),\n"
                 "                    {'order': [(0, 1, 1), (1, 1, 0), (1, 1, 1)]}, cv=cv).fit(y)\n"
                 "grid.best_params_, grid.best_estimator_.predict(3)"),
        ("md", "## Tune an LSTMForecaster"),
        ("md", "Every `'auto'` parameter can be searched against explicit values; one network per fit "
               "(`n_estimators=1`) keeps the search quick."),
        ("code", "grid = GridSearchCV(LSTMForecaster(horizon=12, n_estimators=1, random_state=0),\n"
                 "                    {'window': ['auto', 36], 'deseasonalize': ['auto', None]}, cv=cv).fit(y)\n"
                 "pd.DataFrame(grid.cv_results_)[['params', 'mean_test_score']]"),
        ("md", "## Windows + `LSTMRegressor` in a Pipeline\n\n`make_windows` cuts the series into "
               "(24 past months → next month) pairs; the pipeline scales the windows and trains the LSTM."),
        ("code", "X, Y = make_windows(y.to_numpy(), window=24, horizon=1)\n"
                 "X_train, y_train, X_test, y_test = X[:-12], Y[:-12, 0], X[-12:], Y[-12:, 0]\n"
                 "pipe = make_pipeline(StandardScaler(), LSTMRegressor(units=16, epochs=30, random_state=0))\n"
                 "pipe.fit(X_train, y_train)\nprint('one-step-ahead sMAPE:', round(smape(y_test, pipe.predict(X_test)), 2))"),
        ("md", "## A gradient-boosting forecaster"),
        ("code", "gb = ReductionForecaster(HistGradientBoostingRegressor(max_iter=200), window=24, horizon=12,\n"
                 "                         strategy='direct', normalize='last')\n"
                 "gb.fit(y.iloc[:-12])\nprint('sMAPE:', round(smape(y.iloc[-12:], gb.predict(12)), 2))"),
    ],
    "03_sequence_classification.ipynb": [
        ("md", "# Sequence classification\n\nAn `LSTMClassifier` on a UCR set, and the Chinese "
               "product-review sentiment example: raw text → `SequenceTokenizer` → Embedding + stacked "
               "LSTM, next to a TF-IDF baseline. (Small settings here; the full runs are in "
               "`benchmarks/`.)"),
        ("code", "from sklearn.feature_extraction.text import TfidfVectorizer\n"
                 "from sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import accuracy_score\n"
                 "from sklearn.model_selection import train_test_split\nfrom sklearn.pipeline import make_pipeline\n"
                 "from tsforecast import LSTMClassifier, SequenceTokenizer\n"
                 "from tsforecast.datasets import load_chinese_reviews, load_ucr"),
        ("md", "## UCR: ItalyPowerDemand"),
        ("code", "X_train, y_train = load_ucr('ItalyPowerDemand', split='train')\n"
                 "X_test, y_test = load_ucr('ItalyPowerDemand', split='test')\n"
                 "clf = LSTMClassifier(random_state=0).fit(X_train, y_train)  # settings chosen from the data\n"
                 "print(X_train.shape, 'test accuracy:', round(clf.score(X_test, y_test), 3))"),
        ("md", "## Chinese review sentiment (a 3,000-review sample)"),
        ("code", "reviews = load_chinese_reviews().sample(3000, random_state=0)\n"
                 "tr_text, te_text, tr_y, te_y = train_test_split(reviews.text, reviews.label, test_size=0.2,\n"
                 "                                                stratify=reviews.label, random_state=0)\n"
                 "baseline = make_pipeline(TfidfVectorizer(analyzer='char', ngram_range=(1, 2)), LogisticRegression(max_iter=1000))\n"
                 "print('TF-IDF + LogisticRegression:', round(baseline.fit(tr_text, tr_y).score(te_text, te_y), 3))\n"
                 "lstm = make_pipeline(SequenceTokenizer(analyzer='char', max_length=100),\n"
                 "                     LSTMClassifier(embedding_dim=32, units=(32, 32), dropout=0.2, epochs=3, random_state=0))\n"
                 "print('Embedding + stacked LSTM:   ', round(lstm.fit(tr_text, tr_y).score(te_text, te_y), 3))"),
        ("md", "These small settings show the API, not the accuracy. On the whole corpus the recipe that "
               "beats it (`benchmarks/RESULTS.md`) is jieba words and adversarial training, about 20 minutes "
               "per network on 2 cores:\n\n"
               "```python\nimport jieba\n"
               "lstm = make_pipeline(SequenceTokenizer(analyzer=jieba.lcut, max_length=100, max_tokens=20000),\n"
               "                     LSTMClassifier(embedding_dim=32, vocab_size=20000, units=(128, 128), "
               "dropout=0.2,\n"
               "                                    adversarial=0.15, epochs=15, batch_size=64, "
               "learning_rate=5e-4,\n"
               "                                    patience=3, random_state=0))\n```"),
    ],
    "04_benchmarking.ipynb": [
        ("md", "# Benchmarking\n\nA leaderboard over several datasets with the same rolling-origin "
               "folds for every model, plots, and how to run the same on a Dask cluster."),
        ("code", "import matplotlib\nmatplotlib.use('Agg')\nimport tempfile\n"
                 "from tsforecast import benchmark\nfrom tsforecast.plotting import plot_leaderboard\n\n"
                 "out = tempfile.mkdtemp()\n"
                 "results = benchmark.run(['naive2', 'snaive', 'theta', 'holtwinters'], ['airline', 'nile'],\n"
                 "                        n_windows=2, results=out + '/results.csv')\n"
                 "results.head()"),
        ("code", "board = benchmark.leaderboard(results)\nboard"),
        ("code", "fig = plot_leaderboard(board)\nfig"),
        ("md", "## The same on a Dask cluster\n\nStart a scheduler and workers (`dask scheduler`, "
               "`dask worker tcp://host:8786`), then pass its address: "
               "`benchmark.run(..., dask='tcp://host:8786')` or on the command line "
               "`tsforecast benchmark --scheduler tcp://host:8786 ...`. Every cell of the "
               "(dataset, series, model, fold) grid becomes one task; results stream back and are "
               "written as they finish. A `GridSearchCV(..., n_jobs=-1)` runs on the same cluster "
               "inside `with joblib.parallel_backend('dask'):`."),
    ],
}


def build():
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
        nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    build()
