"""Dataset loaders."""

import pandas as pd
import pytest

from tsforecast import datasets


@pytest.mark.parametrize("name", ["airline", "co2", "sunspots", "nile", "elnino", "macrodata"])
def test_loaders_have_frequency_and_no_missing(name):
    data = datasets.load_dataset(name)
    assert isinstance(data.index, (pd.PeriodIndex, pd.DatetimeIndex))
    assert data.index.freq is not None
    assert not data.isna().to_numpy().any()


def test_airline_values():
    y = datasets.load_airline()
    assert len(y) == 144 and y.sum() == 40363 and y.index[-1] == pd.Period("1960-12", "M")


def test_list_datasets():
    table = datasets.list_datasets()
    assert {"frequency", "length", "season_length"} <= set(table.columns)
    assert table.loc["airline", "season_length"] == 12


def test_dataset_info_needs_no_loading():
    assert datasets.dataset_info("nile") == {"name": "nile", "frequency": "Y", "season_length": 1,
                                             "source": "statsmodels"}
    table = datasets.list_datasets()
    for name in table.index:
        info = datasets.dataset_info(name)
        assert (info["frequency"], info["season_length"]) == tuple(table.loc[name, ["frequency", "season_length"]])


def test_unknown_dataset():
    with pytest.raises(ValueError, match="unknown dataset 'foo'"):
        datasets.load_dataset("foo")
    with pytest.raises(ValueError, match=r"unknown dataset 'foo'; available: \['airline'"):
        datasets.dataset_info("foo")


def test_load_m4_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no M4 file"):
        datasets.load_m4("Weekly", tmp_path)


def test_load_m4_from_shared(shared_dir):
    train, test = datasets.load_m4("Weekly", shared_dir / "data" / "m4", split="both")
    assert len(train) == 359 and len(test) == 359
    assert all(len(s) == 13 for s in test.values())
    w1 = train["W1"]
    assert test["W1"].index[0] == w1.index[-1] + 1
