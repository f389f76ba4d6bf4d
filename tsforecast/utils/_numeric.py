"""Small numeric helpers shared by the statistical and neural models.

Power-of-two rescaling: dividing a series by ``2**e`` changes no mantissa bit,
so a model fitted to ``y / 2**e`` and mapped back is exactly the model of ``y``
in other units. Several models fit on such a scale to stay clear of float64's
limits (and of optimisers whose stopping rules depend on the units).
"""

from __future__ import annotations

import numpy as np

__all__ = ["power_of_two_exponent", "power_of_two_scale", "shorten"]


def power_of_two_exponent(top):
    """Exponent ``e`` with ``top / 2**e`` in ``[0.5, 1)``; 0 where ``top`` is 0.

    Works elementwise on arrays. ``top`` is a magnitude (e.g. ``max(|y|)``).

    >>> power_of_two_exponent(3.0), power_of_two_exponent(0.0)
    (2, 0)
    """
    e = np.frexp(top)[1]
    return int(e) if np.ndim(e) == 0 else e


def power_of_two_scale(top):
    """``2**e`` for :func:`power_of_two_exponent`; 1.0 where ``top`` is 0.

    >>> power_of_two_scale(3.0), power_of_two_scale(0.0), power_of_two_scale(0.5)
    (4.0, 1.0, 1.0)
    """
    e = power_of_two_exponent(top)
    out = np.ldexp(1.0, e)
    return float(out) if np.ndim(out) == 0 else out


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``"..."`` when cut.

    >>> shorten("abcdefgh", 6)
    'abc...'
    """
    text = str(text)
    return text if len(text) <= limit else text[: max(limit - 3, 0)] + "..."
