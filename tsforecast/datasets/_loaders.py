"""Bundled and statsmodels-provided time series, and the M4 reader."""

from __future__ import annotations

import os
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "load_airline",
    "load_co2",
    "load_sunspots",
    "load_nile",
    "load_elnino",
    "load_macrodata",
    "load_m4",
    "list_datasets",
    "load_dataset",
    "dataset_info",
]


def _data_path(name):
    return resources.files("tsforecast.datasets").joinpath("data", name)


def load_airline():
    """Monthly international airline passengers (thousands), 1949-1960 (Box & Jenkins).

    144 monthly values, bundled with tsforecast.

    Returns
    -------
    Series
        Indexed by a monthly ``PeriodIndex``, named ``"passengers"``.

    Examples
    --------
    >>> from tsforecast.datasets import load_airline
    >>> y = load_airline()
    >>> len(y), y.index.freqstr, int(y.iloc[0])
    (144, 'M', 112)
    """
    with _data_path("airline.csv").open() as fh:
        df = pd.read_csv(fh)
    idx = pd.PeriodIndex(df["month"], freq="M", name="month")
    return pd.Series(df["passengers"].to_numpy(dtype=float), index=idx, name="passengers")


def _sm():
    import statsmodels.api as sm

    return sm.datasets


def load_co2():
    """Weekly atmospheric CO2 at Mauna Loa (ppm), 1958-2001, from statsmodels.

    Missing weeks are filled by linear interpolation (documented policy).

    Examples
    --------
    >>> from tsforecast.datasets import load_co2
    >>> y = load_co2()
    >>> y.index.freqstr, bool(y.isna().any())
    ('W-SAT', False)
    """
    df = _sm().co2.load_pandas().data
    s = df["co2"].asfreq("W-SAT").interpolate()
    s.name = "co2"
    return s


def load_sunspots():
    """Yearly sunspot activity, 1700-2008, from statsmodels.

    Examples
    --------
    >>> from tsforecast.datasets import load_sunspots
    >>> len(load_sunspots())
    309
    """
    df = _sm().sunspots.load_pandas().data
    idx = pd.PeriodIndex(df["YEAR"].astype(int).astype(str), freq="Y", name="year")
    return pd.Series(df["SUNACTIVITY"].to_numpy(float), index=idx, name="sunspots")


def load_nile():
    """Yearly volume of the Nile at Aswan, 1871-1970, from statsmodels.

    Examples
    --------
    >>> from tsforecast.datasets import load_nile
    >>> len(load_nile())
    100
    """
    df = _sm().nile.load_pandas().data
    idx = pd.PeriodIndex(df["year"].astype(int).astype(str), freq="Y", name="year")
    return pd.Series(df["volume"].to_numpy(float), index=idx, name="nile")


def load_elnino():
    """Monthly sea surface temperature of the El Nino region, 1950-2010, from statsmodels.

    Examples
    --------
    >>> from tsforecast.datasets import load_elnino
    >>> len(load_elnino())
    732
    """
    df = _sm().elnino.load_pandas().data
    values = df.drop(columns="YEAR").to_numpy(float).ravel()
    start = pd.Period(f"{int(df['YEAR'].iloc[0])}-01", freq="M")
    idx = pd.period_range(start=start, periods=values.size, freq="M", name="month")
    return pd.Series(values, index=idx, name="elnino")


def load_macrodata():
    """Quarterly US macroeconomic data, 1959Q1-2009Q3, from statsmodels.

    Returns
    -------
    DataFrame
        One column per variable (``realgdp``, ``realcons``, ``infl``...),
        indexed by a quarterly ``PeriodIndex``.

    Examples
    --------
    >>> from tsforecast.datasets import load_macrodata
    >>> load_macrodata().shape
    (203, 12)
    """
    df = _sm().macrodata.load_pandas().data
    idx = pd.period_range(start="1959Q1", periods=len(df), freq="Q", name="quarter")
    out = df.drop(columns=["year", "quarter"]).set_index(idx)
    return out.astype(float)


def load_m4(group, path, *, split="train"):
    """Read M4 competition series from CSV files you have on disk.

    The data is not bundled; pass the folder holding ``{Group}-train.csv``
    and ``{Group}-test.csv`` (the competition's files: one row per series,
    id in column ``V1``, values right-padded with empty cells).

    Parameters
    ----------
    group : str
        ``"Hourly"``, ``"Daily"``, ``"Weekly"``, ``"Monthly"``, ``"Quarterly"`` or ``"Yearly"``.
    path : str or path-like
        Folder containing the CSV files.
    split : {"train", "test", "both"}
        Which file to read; ``"both"`` returns ``(train, test)``.

    Returns
    -------
    dict of str to Series
        Series id to its values (integer-indexed by position from 0; test
        series continue the train positions).

    Examples
    --------
    A two-series file in the competition's layout:

    >>> import os, tempfile
    >>> from tsforecast.datasets import load_m4
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "Hourly-train.csv"), "w") as fh:
    ...     _ = fh.write('"V1","V2","V3","V4"\\n"H1",1,2,3\\n"H2",5,6,\\n')
    >>> with open(os.path.join(folder, "Hourly-test.csv"), "w") as fh:
    ...     _ = fh.write('"V1","V2"\\n"H1",4\\n"H2",7\\n')
    >>> train, test = load_m4("hourly", folder, split="both")
    >>> train["H2"].tolist(), test["H2"].index.tolist(), test["H2"].tolist()
    ([5.0, 6.0], [2], [7.0])
    """
    group = str(group).capitalize()
    if split not in ("train", "test", "both"):
        raise ValueError(f"split must be 'train', 'test' or 'both'; got {split!r}.")

    def read(which, offsets=None):
        f = os.path.join(os.fspath(path), f"{group}-{which}.csv")
        if not os.path.exists(f):
            raise FileNotFoundError(f"no M4 file {f}; pass the folder holding {group}-{which}.csv.")
        df = pd.read_csv(f, index_col=0)
        out = {}
        for sid, row in zip(df.index, df.to_numpy(float)):
            vals = row[~np.isnan(row)]
            start = 0 if offsets is None else offsets[sid]
            out[sid] = pd.Series(vals, index=pd.RangeIndex(start, start + vals.size), name=sid)
        return out

    if split == "train":
        return read("train")
    train = read("train")
    test = read("test", {k: len(v) for k, v in train.items()})
    return test if split == "test" else (train, test)


_REGISTRY = {
    "airline": (load_airline, "M", 12, "bundled"),
    "co2": (load_co2, "W-SAT", 52, "statsmodels"),
    "sunspots": (load_sunspots, "Y", 11, "statsmodels"),
    "nile": (load_nile, "Y", 1, "statsmodels"),
    "elnino": (load_elnino, "M", 12, "statsmodels"),
    "macrodata": (load_macrodata, "Q", 4, "statsmodels"),
}


def _entry(name):
    if name not in _REGISTRY:
        raise ValueError(f"unknown dataset {name!r}; available: {sorted(_REGISTRY)}.")
    return _REGISTRY[name]


def dataset_info(name):
    """Frequency, season length and source of a named dataset, without loading it.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`.

    Returns
    -------
    dict
        ``name``, ``frequency`` (a pandas frequency string),
        ``season_length`` (int) and ``source`` (``"bundled"`` or
        ``"statsmodels"``).

    Examples
    --------
    >>> from tsforecast.datasets import dataset_info
    >>> dataset_info("airline")
    {'name': 'airline', 'frequency': 'M', 'season_length': 12, 'source': 'bundled'}
    """
    _, freq, m, source = _entry(name)
    return {"name": name, "frequency": freq, "season_length": int(m), "source": source}


def load_dataset(name):
    """Load a named dataset (see :func:`list_datasets`).

    Examples
    --------
    >>> from tsforecast.datasets import load_dataset
    >>> load_dataset("nile").name
    'nile'
    """
    return _entry(name)[0]()


def list_datasets():
    """Table of the available datasets: frequency, length, season length, source.

    Loads every dataset (to count its values); :func:`dataset_info` gives
    the frequency, season length and source of one dataset without loading it.

    Examples
    --------
    >>> from tsforecast.datasets import list_datasets
    >>> [int(v) for v in list_datasets().loc["airline", ["length", "season_length"]]]
    [144, 12]
    """
    rows = []
    for name in _REGISTRY:
        info = dataset_info(name)
        data = load_dataset(name)
        n_series = 1 if isinstance(data, pd.Series) else data.shape[1]
        rows.append({"name": name, "frequency": info["frequency"], "length": len(data), "n_series": n_series,
                     "season_length": info["season_length"], "source": info["source"]})
    return pd.DataFrame(rows).set_index("name")
