"""Public Hypothesis strategies for varcheck's objects (usable in other researchers' tests)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from ..exact.interpolation import ALIGN_MODES, MODES
from ..theory.pyramid import Pyramid

__all__ = ["sides", "size_pairs", "interpolation_configs", "token_maps", "pyramids", "tokenwise_separated_families"]


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


# --------------------------------------------------------------------------- partitioning (docs/theory.md §4)

__all__ += ["grid_sizes", "unit_arrays", "grid_points", "lipschitz_targets", "TARGET_KINDS", "EXTREMAL_KINDS"]

#: Kinds of Lipschitz targets :func:`lipschitz_targets` draws (see varcheck.targets).
TARGET_KINDS = ("relu_network", "blur", "blur_signed", "resize_bicubic", "resize_area", "tanh", "clip", "gamma",
                "pipeline", "smooth_field")
#: Kinds whose partition error reaches the P1 bound L·δ/2 (linear with a non-negative operator, or a clip
#: map inside its linear range): targeted search should drive observed/bound to 1 on them.
EXTREMAL_KINDS = ("blur", "resize_area", "clip")


def grid_sizes(min_value: int = 1, max_value: int = 64):
    """Grid sizes G (δ = 1/G) in min_value..max_value."""
    return st.integers(min_value=min_value, max_value=max_value)


def unit_arrays(shape, *, batch: int = 1, edges: bool = True):
    """Float64 arrays of shape (batch, *shape) in [0, 1], drawn from a seed; with ``edges`` some entries
    are snapped to 0 or 1 (the domain's faces, where the clipped quantizer is exercised)."""
    shape = (batch, *tuple(shape))

    def make(args):
        seed, snap = args
        rng = np.random.default_rng(seed)
        x = rng.random(shape)
        if snap:
            mask = rng.random(shape) < 0.25
            x[mask] = rng.integers(0, 2, size=int(mask.sum())).astype(float)
        return x

    return st.tuples(st.integers(0, 2**32 - 1), st.booleans() if edges else st.just(False)).map(make)


def grid_points(shape, G: int, *, resolution_bits: int = 20):
    """Exact points of [0, 1]^shape (flat tuples of Fractions, row-major), drawn cell-aware for grid G.

    Every entry is min((g + o/2^b)/G, 1) with a cell index g ∈ 0..G−1 and an offset o ∈ 0..2^b, so that
    shrinking drives entries to cell left edges (o = 0) and targeted search can push them to right edges.
    """
    size = int(np.prod(tuple(shape)))
    scale = 2**resolution_bits
    entry = st.tuples(st.integers(0, G - 1), st.integers(0, scale)).map(
        lambda go: min(Fraction(go[0] * scale + go[1], scale * G), Fraction(1)))
    return st.lists(entry, min_size=size, max_size=size).map(tuple)


def _target(kind, seed, side, channels):
    from ..runtime import targets as T

    shape = (side, side, channels)
    if kind == "relu_network":
        return T.relu_network(seed=seed, input_shape=(side, channels), output_shape=(side, channels), width=2 * side)
    if kind in ("blur", "blur_signed"):
        return T.blur(seed=seed, side=side, channels=channels, signed=kind == "blur_signed")
    if kind == "resize_bicubic":
        return T.resize(seed=seed, mode="bicubic", max_side=side + 2, channels=channels)
    if kind == "resize_area":
        return T.resize(seed=seed, mode="area", max_side=side + 2, channels=channels)
    if kind in ("tanh", "clip", "gamma"):
        return getattr(T, f"{kind}_map")(seed=seed, shape=shape)
    if kind == "pipeline":
        return T.image_pipeline(seed=seed, side=side, channels=channels)
    if kind == "smooth_field":
        return T.smooth_field(seed=seed, pyramid=(1, 2), d=channels + 1)
    raise ValueError(kind)  # pragma: no cover - kinds are validated below


def lipschitz_targets(kinds=TARGET_KINDS, *, max_side: int = 4, max_channels: int = 1):
    """Lipschitz targets of varcheck.targets (∞ → ∞, certified constants) with small sizes, drawn from seeds.

    ``kinds`` selects among TARGET_KINDS; sides are 1..max_side, channels 1..max_channels. Small enough to
    evaluate exactly (rational targets) or in ball arithmetic (tanh-based ones) per example.
    """
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in TARGET_KINDS]
    if not kinds or unknown:
        from ..errors import VarcheckError

        raise VarcheckError(f"kinds must be a non-empty subset of {', '.join(TARGET_KINDS)}, got {kinds!r}.")
    return st.builds(_target, st.sampled_from(kinds), st.integers(0, 2**16 - 1), st.integers(1, max_side),
                     st.integers(1, max_channels))


def tokenwise_separated_families(*, max_pool: int = 6, max_count: int = 6, max_length: int = 3, max_d: int = 3):
    """Finite families of sequences (an (N, n, d) float64 array) that satisfy the A4 hypotheses.

    Tokens come from a seeded pool with norms in [1/2, 1] (so r_min > 0), each sequence holds n ≥ 2
    distinct pool tokens (no repeats inside a sequence), and sequences share tokens, which is what a
    contextual mapping must tell apart. Accepted by :func:`varcheck.contextual_mapping`.
    """
    from .attention.contextual_mapping import pooled_family

    def build(args):
        seed, d, n, extra, count = args
        return pooled_family(seed, pool=n + extra, count=count, length=n, d=d)

    return st.tuples(
        st.integers(0, 2**32 - 1), st.integers(1, max_d), st.integers(2, max_length),
        st.integers(0, max(0, max_pool - max_length)), st.integers(1, max_count),
    ).map(build)
