"""Public Hypothesis strategies for varcheck's objects (usable in other researchers' tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..exact.interpolation import ALIGN_MODES, MODES
from ..spec.pyramid import Pyramid

__all__ = ["sides", "size_pairs", "interpolation_configs", "token_maps", "pyramids"]


def sides(max_side: int = 64):
    """A side length in 1..max_side."""
    return st.integers(min_value=1, max_value=max_side)


def size_pairs(max_side: int = 64, *, direction: str = "any"):
    """(h, h') with both in 1..max_side; ``direction`` 'up' (h ≤ h'), 'down' (h ≥ h') or 'any'."""
    pairs = st.tuples(sides(max_side), sides(max_side))
    if direction == "up":
        return pairs.map(lambda p: (min(p), max(p)))
    if direction == "down":
        return pairs.map(lambda p: (max(p), min(p)))
    return pairs


def interpolation_configs(modes=MODES):
    """(mode, align_corners) pairs valid for torch semantics."""
    return st.sampled_from(modes).flatmap(
        lambda m: st.tuples(st.just(m), st.booleans() if m in ALIGN_MODES else st.just(False))
    )


def token_maps(h: int, w: int, channels: int = 1, *, batch: int = 1, seed_strategy=None):
    """Float64 token maps of shape (batch, channels, h, w) with entries in [0, 1], drawn from a seed."""
    seeds = seed_strategy or st.integers(min_value=0, max_value=2**32 - 1)
    return seeds.map(lambda s: np.random.default_rng(s).random((batch, channels, h, w)))


def pyramids(max_scales: int = 5, max_side: int = 16):
    """Square pyramids with non-decreasing sides."""
    return st.lists(sides(max_side), min_size=1, max_size=max_scales).map(lambda s: Pyramid(sorted(s)))
