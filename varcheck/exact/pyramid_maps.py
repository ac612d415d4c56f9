"""Pyramid up-interpolation Φ_up and VAR's effective next-scale maps (docs/theory.md §2.3, claim I8).

Φ_up keeps the first L_k rows of a prefix and appends U^{(k)} r_k, the last scale interpolated to the
next one. Applied K−1 times to r_1 it is a linear map P ∈ Q^{L×n_1} with block rows
U^{(k−1)}···U^{(1)} (applied channel-wise). VAR's real next-scale input instead passes through the full
16×16 latent: E_k = A_{p_{k+1}←16} · B_{16←p_k} (area after bicubic), per axis. The interpolation layer of a
dense VarTransformer is one such linear map from the first scale to every scale (:func:`interpolation_layer_matrix`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..errors import VarcheckError, require_int, shown
from ..theory.pyramid import Pyramid
from .interpolation import (
    MAX_SIDE,
    TORCH_A,
    _check_dense,
    _dense,
    _validate,
    interpolation_matrix,
    interpolation_taps,
    kron,
)

__all__ = ["phi_up", "pyramid_upsampling_matrix", "pyramid_upsample", "var_effective_map", "VAR_LATENT_SIDE",
           "interpolation_layer_matrix"]

#: VAR and FlowAR up-sample every scale to the 16×16 latent grid (docs/var-facts.md §2).
VAR_LATENT_SIDE = 16


def _require_pyramid(pyramid):
    if not isinstance(pyramid, Pyramid):
        raise VarcheckError(f"pyramid must be a varcheck.Pyramid, got {type(pyramid).__name__}.")
    return pyramid


def _real_array(name: str, value) -> np.ndarray:
    """``value`` as a float64 array, or a VarcheckError naming it (ragged lists, strings, objects)."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise VarcheckError(f"{name} must be a real array (nested lists of numbers or a numpy array), "
                            f"got {type(value).__name__}.") from None


def phi_up(prefix, pyramid, k, mode="bicubic", *, align_corners=False, a=TORCH_A):
    """One step of Φ_up: an (L_k × d) prefix of scales 1..k (1-based k) to the (L_{k+1} × d) prefix."""
    pyramid = _require_pyramid(pyramid)
    k = require_int("k", k, minimum=1, maximum=len(pyramid) - 1)
    prefix = _real_array("prefix", prefix)
    begin, end = pyramid.ranges[k - 1]
    if prefix.ndim != 2 or prefix.shape[0] != end:
        raise VarcheckError(f"prefix must have shape (L_k, d) = ({end}, d) for k = {k}, got {prefix.shape}.")
    if not np.all(np.isfinite(prefix)):
        raise VarcheckError("prefix must hold finite values only.")
    u = interpolation_matrix(pyramid.scales[k - 1], pyramid.scales[k], mode, align_corners=align_corners, a=a)
    return np.vstack([prefix, u @ prefix[begin:end]])


def pyramid_upsampling_matrix(pyramid, mode="bicubic", *, align_corners=False, a=TORCH_A, exact=False):
    """P (L × n_1): the whole pyramid produced from r_1 by K−1 steps of Φ_up (float64, or exact fmpq_mat)."""
    pyramid = _require_pyramid(pyramid)
    blocks, current = [], None
    for k, scale in enumerate(pyramid.scales):
        if k == 0:
            n1 = scale[0] * scale[1]
            current = _dense(tuple(((i, 1),) for i in range(n1)), n1, exact)
        else:
            step = interpolation_matrix(
                pyramid.scales[k - 1], scale, mode, align_corners=align_corners, a=a, exact=exact
            )
            current = step * current if exact else step @ current
        blocks.append(current)
    if not exact:
        return np.vstack(blocks)
    from flint import fmpq_mat

    entries = [e for b in blocks for e in b.entries()]
    return fmpq_mat(pyramid.length, blocks[0].ncols(), entries)


def pyramid_upsample(r1, pyramid, mode="bicubic", *, align_corners=False, a=TORCH_A):
    """Apply P to an initial map r_1 of shape (h_1, w_1, d); returns the (L × d) token pyramid."""
    pyramid = _require_pyramid(pyramid)
    r1 = _real_array("r1", r1)
    h, w = pyramid.scales[0]
    if r1.ndim != 3 or r1.shape[:2] != (h, w):
        raise VarcheckError(f"r1 must have shape (h_1, w_1, d) = ({h}, {w}, d), got {r1.shape}.")
    if not np.all(np.isfinite(r1)):
        raise VarcheckError("r1 must hold finite values only.")
    p = pyramid_upsampling_matrix(pyramid, mode, align_corners=align_corners, a=a)
    return p @ r1.reshape(h * w, -1)


def var_effective_map(p, q, *, full=VAR_LATENT_SIDE, exact=False):
    """VAR's 1-D next-scale map E = A_{q←full} · B_{full←p}: bicubic (a = −3/4) up to ``full``, then area down."""
    full = require_int("full", full, minimum=1, maximum=MAX_SIDE)
    p = require_int("p", p, minimum=1, maximum=full)
    q = require_int("q", q, minimum=1, maximum=full)
    _validate((p, 1), (full, 1), "bicubic", False, TORCH_A)
    _check_dense(full, p, exact, "full × p")
    b = _dense(interpolation_taps(p, full, "bicubic", False, TORCH_A), p, exact)
    area = _dense(interpolation_taps(full, q, "area", False, TORCH_A), full, exact)
    return area * b if exact else area @ b


def var_effective_map_2d(src, dst, *, full=VAR_LATENT_SIDE, exact=False):
    """The 2-D effective map on flattened maps: E_h ⊗ E_w."""
    for name, value in (("src", src), ("dst", dst)):
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise VarcheckError(f"{name} must be an (h, w) pair of positive integers, got {value!r}.")
    full = require_int("full", full, minimum=1, maximum=MAX_SIDE)
    _check_dense(require_int("dst[0]", dst[0], minimum=1, maximum=full) * require_int(
        "dst[1]", dst[1], minimum=1, maximum=full),
                 require_int("src[0]", src[0], minimum=1, maximum=full) * require_int(
                     "src[1]", src[1], minimum=1, maximum=full),
                 exact, "(q_h·q_w) × (p_h·p_w)")
    return kron(
        var_effective_map(src[0], dst[0], full=full, exact=exact),
        var_effective_map(src[1], dst[1], full=full, exact=exact),
    )


def _axis_rows(sides, mode) -> list:
    """Per scale, the exact 1-D map first side → that side of the interpolation layer, as rows of {source: weight}."""
    first = [{j: Fraction(1)} for j in range(sides[0])]

    def compose(step, current):
        return [_merge((w * v, j) for k, w in row for j, v in current[k].items()) for row in step]

    if mode == "var":
        up = compose(interpolation_taps(sides[0], sides[-1], "bicubic", False, TORCH_A), first)
        return [first] + [compose(interpolation_taps(sides[-1], s, "area", False, TORCH_A), up) for s in sides[1:]]
    out = [first]
    for p, q in zip(sides, sides[1:]):
        out.append(compose(interpolation_taps(p, q, mode, False, TORCH_A), out[-1]))
    return out


def _merge(terms) -> dict:
    row: dict = {}
    for w, j in terms:
        row[j] = row.get(j, Fraction(0)) + w
    return {j: w for j, w in row.items() if w != 0}


def interpolation_layer_matrix(scales, mode="var", *, exact=False):
    """U (L × n_1): the interpolation layer of a dense VarTransformer as one linear map on row-major first-scale tokens
    (applied channel-wise), scale after scale. ``mode`` "var": bicubic (a = −3/4) from the first scale to the last,
    then area down to each scale (VAR's operators); "bicubic", "bilinear", "nearest": a Φ_up chain in that mode.
    Torch semantics (claim I1); numpy float64 (each entry the correctly rounded exact one) or ``fmpq_mat``."""
    from ..theory.model_class import INTERPOLATIONS

    if not isinstance(mode, str) or mode not in INTERPOLATIONS:
        raise VarcheckError(f"mode must be one of {', '.join(INTERPOLATIONS)}, got {shown(mode)}.")
    if not isinstance(scales, (list, tuple)) or not scales:
        raise VarcheckError(f"scales must be a non-empty list of (h, w) pairs, got {shown(scales)}.")
    pairs = []
    for k, scale in enumerate(scales):
        if not isinstance(scale, (list, tuple)) or len(scale) != 2:
            raise VarcheckError(f"scales[{k}] must be an (h, w) pair of positive integers, got {shown(scale)}.")
        pairs.append(tuple(require_int(f"scales[{k}][{i}]", side, minimum=1, maximum=MAX_SIDE)
                           for i, side in enumerate(scale)))
    scales = pairs
    n1, length = scales[0][0] * scales[0][1], sum(h * w for h, w in scales)
    _check_dense(length, n1, exact, "L × n_1")
    heights, widths = _axis_rows([h for h, _ in scales], mode), _axis_rows([w for _, w in scales], mode)
    w1 = scales[0][1]
    rows = []
    for rows_h, rows_w in zip(heights, widths):
        for row_h in rows_h:
            for row_w in rows_w:
                rows.append(tuple(sorted((jh * w1 + jw, a * b) for jh, a in row_h.items() for jw, b in row_w.items())))
    return _dense(rows, n1, exact)
