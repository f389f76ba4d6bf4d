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

__all__ = ["SPREAD_FLOOR", "ColumnMoments", "ScaleSettings", "Standardiser", "mean_std"]

#: the inner regressor's scale of each feature (target) is at least this times that feature's
#: (target's) standard deviation over the training, validation (and last) windows together
SPREAD_FLOOR = 1e-6

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
        return cls.from_moments(mean, std, np.abs(values).max(axis=0), constant, values[0],
                                floor=floor, constant_scale=constant_scale)

    @classmethod
    def from_moments(cls, mean, std, top, constant, first, *, floor=0.0, constant_scale=None):
        """Standardiser from the columns' statistics (as :meth:`fit` computes them, or :class:`ColumnMoments`).

        Parameters
        ----------
        mean, std, top : ndarray of shape (n_columns,)
            Mean, standard deviation and largest magnitude of each column.
        constant : ndarray of bool, shape (n_columns,)
            Whether each column holds one value only.
        first : ndarray of shape (n_columns,)
            The first row (the value of the constant columns).
        floor, constant_scale
            As in :meth:`fit`.

        Returns
        -------
        Standardiser
        """
        mean = np.where(constant, first, mean)
        varying = np.maximum(np.where(std == 0, 1.0, std), floor)
        fixed = 1.0 if constant_scale is None else np.where(constant_scale > 0, constant_scale, 1.0)
        return cls(mean, np.where(constant, fixed, varying), top, constant)

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


class ColumnMoments:
    """Mean, standard deviation, extremes and first row of columns seen chunk by chunk.

    Streaming counterpart of :func:`mean_std` (plus what :meth:`Standardiser.fit` needs): each
    chunk's moments come from :func:`mean_std` (any finite magnitude) and are merged with Chan
    et al.'s pairwise formula, scaled by the largest of the two standard deviations and the
    distance of the means before squaring, so nothing overflows or underflows. The result
    equals :func:`mean_std` of all rows up to rounding (not bit for bit).

    Examples
    --------
    >>> import numpy as np
    >>> rows = np.random.RandomState(0).normal(size=(1000, 2)) * [1.0, 1e-200]
    >>> m = ColumnMoments()
    >>> for i in range(0, 1000, 300):
    ...     _ = m.update(rows[i : i + 300])
    >>> bool(np.allclose(m.std, mean_std(rows)[1], rtol=1e-12, atol=0))
    True
    >>> m.count, bool(np.allclose(m.mean, rows.mean(axis=0), rtol=1e-12, atol=0))
    (1000, True)
    """

    def __init__(self):
        self.count = 0
        self.mean = self.std = self.top = self.low = self.high = self.first = None

    def update(self, values):
        """Add the rows of the 2-D float64 ``values``; returns ``self``."""
        n = values.shape[0]
        if n == 0:
            return self
        mean, std = mean_std(values)
        stats = (n, mean, std, np.abs(values).max(axis=0), values.min(axis=0), values.max(axis=0))
        if self.count == 0:
            self.count, self.mean, self.std, self.top, self.low, self.high = stats
            self.first = values[0].copy()
            return self
        return self._merge(*stats)

    def merge(self, other):
        """Add the rows another :class:`ColumnMoments` has seen (after this one's); returns ``self``."""
        if other.count == 0:
            return self
        if self.count == 0:
            self.__dict__.update(other.__dict__)
            return self
        return self._merge(other.count, other.mean, other.std, other.top, other.low, other.high)

    def _merge(self, n, mean, std, top, low, high):
        na, total = self.count, self.count + n
        delta = mean - self.mean
        unit = np.maximum(np.maximum(self.std, std), np.abs(delta))
        safe = np.where(unit > 0, unit, 1.0)
        var = (na * (self.std / safe) ** 2 + n * (std / safe) ** 2 + (delta / safe) ** 2 * (na * n / total)) / total
        self.mean = self.mean + delta * (n / total)
        self.std = np.where(unit > 0, safe * np.sqrt(var), 0.0)
        self.count = total
        self.top = np.maximum(self.top, top)
        self.low, self.high = np.minimum(self.low, low), np.maximum(self.high, high)
        return self

    def standardiser(self, *, floor=0.0, constant_scale=None):
        """The :class:`Standardiser` of the rows seen (as :meth:`Standardiser.fit` of them all)."""
        return Standardiser.from_moments(self.mean, self.std, self.top, self.high == self.low, self.first,
                                         floor=floor, constant_scale=constant_scale)
