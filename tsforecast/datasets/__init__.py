"""Datasets: bundled series, statsmodels series and readers for M4 and UCR files."""

from ._loaders import (
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

__all__ = [
    "list_datasets",
    "load_airline",
    "load_co2",
    "load_dataset",
    "load_elnino",
    "load_m4",
    "load_macrodata",
    "load_nile",
    "load_sunspots",
]
