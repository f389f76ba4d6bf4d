"""Datasets: bundled series, statsmodels series and readers for M4 and UCR files."""

from ._loaders import (
    dataset_info,
    list_datasets,
    load_airline,
    load_co2,
    load_dataset,
    load_elnino,
    load_m4,
    load_macrodata,
    load_nile,
    load_sunspots,
)
from ._text import load_chinese_reviews
from ._ucr import list_ucr_datasets, load_ts_file, load_ucr

__all__ = [
    "dataset_info",
    "list_datasets",
    "list_ucr_datasets",
    "load_airline",
    "load_chinese_reviews",
    "load_co2",
    "load_dataset",
    "load_elnino",
    "load_m4",
    "load_macrodata",
    "load_nile",
    "load_sunspots",
    "load_ts_file",
    "load_ucr",
]
