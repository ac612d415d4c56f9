"""The partition approximant f̄ = f(q(·) + δ/2) of docs/theory.md §4 on torch tensors, with the exact cell index.
"""

from __future__ import annotations

import torch

from ...errors import VarcheckError, require_int
from ...exact.floating_point import UNIT_ROUNDOFF
from ..feedforward import as_float64
from .base import _SPLITTER, MAX_TORCH_GRID, Target


def cell_centres(x, G: int) -> torch.Tensor:
    """q(x) + δ/2 entrywise for float64 x (docs/theory.md §4), with the exact cell index.

    The index ⌊xG⌋ is computed exactly: Dekker's two-product gives xG = p + e with p = fl(xG) (G < 2²⁶
    is split-free), and ⌊xG⌋ = ⌊p⌋ − [p integral and e < 0]. It is clipped to 0..G−1; the centre
    (2k+1)/(2G) is then rounded once (relative error ≤ u).
    """
    G = require_int("G", G, minimum=1, maximum=MAX_TORCH_GRID)
    x = as_float64(x)
    g = float(G)
    p = x * g
    c = _SPLITTER * x
    hi = c - (c - x)
    lo = x - hi
    e = (hi * g - p) + lo * g
    k = torch.floor(p)
    k = torch.where((p == k) & (e < 0), k - 1, k)
    k = torch.clamp(k, 0, G - 1)
    return (2 * k + 1) / (2 * g)


def grid_approximation(target: Target, G: int):
    """f̄ = f(q(·) + δ/2) as a function on torch tensors, with its entrywise rounding bound.

    Returns ``(fbar, error)``: ``fbar(x)`` evaluates f at the cell centres; ``error(x)`` bounds
    |fbar(x) − f(c(x))| entrywise (the centre's rounding u|c| propagated through the target).
    """
    if not isinstance(target, Target):
        raise VarcheckError(f"target must be a varcheck Target, got {type(target).__name__}.")

    def fbar(x):
        return target(cell_centres(target.check_input(x), G))

    def error(x):
        c = cell_centres(target.check_input(x), G)
        return target.entrywise_error(c, UNIT_ROUNDOFF * c.abs())

    return fbar, error
