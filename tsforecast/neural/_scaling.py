"""Float64 standardisation of the network's inputs and targets, at any finite magnitude.

The network computes in float32, but the statistics that bring the data to a
few units are computed here in float64, relative to the data's own
magnitude: data of 1e-300 or 1e300 are standardised like the same data in
ordinary units. One :class:`Standardiser` serves the input features (per
feature, over all real time steps) and the regression targets (per output).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..utils._numeric import power_of_two_exponent

__all__ = ["ScaleSettings", "Standardiser", "mean_std"]

#: standardised values this close to 0, relative to the column's largest magnitude over its scale, are
#: rounding noise of the centring (a float64 mean carries about log2(n) * eps * max|x| of error)
_CENTRING_NOISE = 64 * float(np.finfo(np.float64).eps)

#: columns whose largest magnitude lies in this range get ``np.std`` as it is; outside it the squares
#: of the deviations would underflow (below ~1e-154) or overflow (above ~1e154) in float64
_PLAIN_STD_RANGE = (1e-100, 1e100)


def mean_std(values, axis=0):
    """Mean and standard deviation of the float64 ``values`` along ``axis``, at any finite magnitude.

    ``np.std`` squares the deviations, so in float64 it returns 0 (or loses digits) for data
    smaller than about 1e-154 and overflows for data larger than about 1e154. Each lane (column
    for ``axis=0``) whose largest magnitude lies outside :data:`_PLAIN_STD_RANGE` is multiplied
    by a power of two (exact) that brings that magnitude to [0.5, 1) before its mean and standard
    deviation are taken, which are then scaled back. Lanes inside the range get
    ``values.mean(axis)`` and ``values.std(axis)`` unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[1.0, 1e-300], [3.0, 3e-300]])
    >>> np.std(values[:, 1])  # the squares underflow
    np.float64(0.0)
    >>> mean, std = mean_std(values)
    >>> (std / [1.0, 1e-300]).round(12).tolist()
    [1.0, 1.0]
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # such lanes are recomputed below
        mean, std = values.mean(axis=axis), values.std(axis=axis)
    if values.shape[axis] == 0:
        return mean, std
    top = np.abs(values).max(axis=axis)
    odd = (top > 0) & ((top < _PLAIN_STD_RANGE[0]) | (top > _PLAIN_STD_RANGE[1]))
    if np.any(odd):
        e = -power_of_two_exponent(top)  # 2.0**e * top lies in [0.5, 1) (e = 0 for an all-zero lane)
        scaled = np.ldexp(values, np.expand_dims(e, axis))
        mean = np.where(odd, np.ldexp(scaled.mean(axis=axis), -e), mean)
        std = np.where(odd, np.ldexp(scaled.std(axis=axis), -e), std)
    return mean, std


@dataclass(frozen=True, eq=False)
class ScaleSettings:
    """Bounds on the scales a fit gives its standardisers (scalars or one value per column).

    Plain ``fit`` uses the defaults. ``LSTMForecaster`` passes the spread of all its windows
    (training, validation and last ones), so that windows which hardly vary in training do not
    blow up the later ones.

    Attributes
    ----------
    x_floor : float or ndarray
        Smallest scale of an input feature.
    x_constant_scale : ndarray or None
        Scale of the input features that are constant in training (where positive; else 1).
    y_floor : float or ndarray
        Smallest scale of a regression target.
    """

    x_floor: Any = 0.0
    x_constant_scale: Any = None
    y_floor: Any = 0.0


class Standardiser:
    """Per-column ``(values - mean) / scale`` computed in float64 at any magnitude.

    Build it with :meth:`fit`. The mean and standard deviation come from :func:`mean_std`
    (any finite magnitude). A column whose values are all equal is *constant*: its mean is
    that value, so it standardises to exact zeros at any magnitude (its computed mean can be
    off by a rounding error, which a standard deviation of the same size would blow up to
    +-1), and its scale is ``constant_scale`` (1 when not given). Standardised values within
    rounding error of the mean become exactly 0, see :meth:`transform`.

    Parameters
    ----------
    mean, scale : ndarray of shape (n_columns,)
        Centre and scale of each column.
    top : ndarray of shape (n_columns,)
        Largest magnitude of each column in the fitted data.
    constant : ndarray of bool, shape (n_columns,)
        Whether each column was constant in the fitted data.

    Examples
    --------
    >>> import numpy as np
    >>> s = Standardiser.fit(np.array([[1.0, 5.0], [3.0, 5.0]]))
    >>> s.mean.tolist(), s.scale.tolist(), s.constant.tolist()
    ([2.0, 5.0], [1.0, 1.0], [False, True])
    >>> s.transform(np.array([[3.0, 5.0]])).tolist()
    [[1.0, 0.0]]
    """

    def __init__(self, mean, scale, top, constant):
        self.mean = mean
        self.scale = scale
        self.top = top
        self.constant = constant

    @classmethod
    def fit(cls, values, *, floor=0.0, constant_scale=None):
        """Standardiser of the columns of the 2-D float64 ``values`` (at least one row).

        Parameters
        ----------
        values : ndarray of shape (n_rows, n_columns)
        floor : float or ndarray, default=0.0
            Smallest scale of a column that varies.
        constant_scale : ndarray or None, default=None
            Scale of each constant column where positive; 1 elsewhere and when ``None``.

        Returns
        -------
        Standardiser
        """
        mean, std = mean_std(values)
        constant = values.max(axis=0) == values.min(axis=0)
        mean = np.where(constant, values[0], mean)
        varying = np.maximum(np.where(std == 0, 1.0, std), floor)
        fixed = 1.0 if constant_scale is None else np.where(constant_scale > 0, constant_scale, 1.0)
        return cls(mean, np.where(constant, fixed, varying), np.abs(values).max(axis=0), constant)

    def transform(self, values):
        """Standardise ``values`` (columns on the last axis); overflow gives ``inf``, without a warning.

        A value within rounding error of the mean becomes exactly 0: otherwise the same data in
        other units (x * 1e-300, x * 1000) gives 0 here and +-1e-17 there, and Adam turns such a
        near-zero gradient into a full-size step of either sign.
        """
        with np.errstate(over="ignore"):
            z = (values - self.mean) / self.scale
            return np.where(np.abs(z) <= _CENTRING_NOISE * (self.top / self.scale), 0.0, z)

    def inverse_transform(self, z):
        """Values in the original units of the standardised 2-D ``z``; constant columns get their constant."""
        values = z * self.scale + self.mean
        if self.constant.any():
            values[:, self.constant] = self.mean[self.constant]
        return values
