"""Exact interpolation operators with torch.nn.functional.interpolate semantics (docs/theory.md §2).

A 1-D operator from length h to h' is a rational h'×h matrix, built here row by row as *taps*
(source index, weight) with Python ``Fraction`` arithmetic. A 2-D operator on row-major flattened
maps is the Kronecker product U_h ⊗ U_w. Modes:

``nearest``   torch's ``mode='nearest'`` on 4-D (B, C, H, W) tensors: source index
              min(⌊float32(i)·float32(h/h')⌋, h−1), computed in float32 exactly as torch does (claim I9 lists
              where this differs from ⌊i·h/h'⌋; torch's 1-D/3-D float64 kernels use float64 instead);
``bilinear``  linear taps on ⌊s⌋, ⌊s⌋+1 with s = (i+½)h/h' − ½ clamped below at 0 (or i(h−1)/(h'−1));
``bicubic``   Keys kernel taps ⌊s⌋−1..⌊s⌋+2, s not clamped, out-of-range taps clamped to the border;
``area``      adaptive average pooling over ⌊ih/h'⌋ .. ⌈(i+1)h/h'⌉−1;
``paper``     the integer-offset form of §2.2: Σ_{s=−1}^{2} W(s)·x[⌊ih/h'⌋ + s], indices clamped.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..errors import VarcheckError, require_choice, require_int, require_rational_text
from ..theory.cubic_kernel import keys_value

__all__ = [
    "MODES",
    "KERNEL_MODES",
    "keys_kernel",
    "interpolation_taps",
    "interpolation_matrix",
    "interpolation_matrix_1d",
    "interpolate_direct",
    "torch_nearest_index",
    "floor_nearest_index",
    "kron",
    "as_fraction",
    "MAX_SIDE",
    "MAX_DENSE_ENTRIES",
    "MAX_EXACT_ENTRIES",
]

MODES = ("nearest", "bilinear", "bicubic", "area", "paper")
#: Modes in which the cubic parameter ``a`` enters.
KERNEL_MODES = ("bicubic", "paper")
#: Modes in which ``align_corners`` applies (torch raises for the others).
ALIGN_MODES = ("bilinear", "bicubic")
#: torch's bicubic parameter.
TORCH_A = Fraction(-3, 4)
#: Largest side (h, w, h', w') an operator is built for: 64× VAR's largest scale; larger sizes are refused
#: up front rather than left to run out of memory.
MAX_SIDE = 4096
#: Largest dense operator built: 2²⁴ float64 entries (128 MiB), 2²⁰ exact rationals (each a Python object).
MAX_DENSE_ENTRIES = 2**24
MAX_EXACT_ENTRIES = 2**20


def as_fraction(value, name: str = "a") -> Fraction:
    """An exact rational from an int, Fraction, rational-valued str or a float (taken exactly)."""
    if isinstance(value, bool):
        raise VarcheckError(f"{name} must be a rational number, got {value!r}.")
    try:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError
        return Fraction(value) if not isinstance(value, str) else Fraction(require_rational_text(name, value))
    except (TypeError, ValueError, ZeroDivisionError):
        raise VarcheckError(f"{name} must be a finite rational number, got {value!r}.") from None


def keys_kernel(x, a=TORCH_A) -> Fraction:
    """Keys cubic convolution kernel W_a(x), exact for rational x and a."""
    return keys_value(as_fraction(a, "a"), as_fraction(x, "x"))


def torch_nearest_index(i: int, h: int, hp: int) -> int:
    """Source index torch's ``nearest`` picks for output i (length h → h'), float32 arithmetic emulated.

    torch (aten/native/UpSample.h, ``nearest_idx``): identity when h' = h, i >> 1 when h' = 2h, else
    ``min(floorf(float(i) * (float(h) / float(h'))), h − 1)`` with every operation in float32.
    """
    if hp == h:
        return i
    if hp == 2 * h:
        return i >> 1
    scale = np.float32(h) / np.float32(hp)
    return min(int(math.floor(np.float32(i) * scale)), h - 1)


def floor_nearest_index(i: int, h: int, hp: int) -> int:
    """The mathematical nearest-neighbour source index ⌊i·h/h'⌋ (docs/theory.md §2.1, I9)."""
    return min((i * h) // hp, h - 1)


def _source_coordinate(i: int, h: int, hp: int, align_corners: bool, cubic: bool) -> Fraction:
    """torch's ``area_pixel_compute_source_index`` over Q."""
    if align_corners:
        return Fraction(0) if hp <= 1 else Fraction(i * (h - 1), hp - 1)
    s = Fraction(2 * i + 1, 2) * Fraction(h, hp) - Fraction(1, 2)
    return s if cubic else max(s, Fraction(0))


def _clamp(j: int, h: int) -> int:
    return min(max(j, 0), h - 1)


@lru_cache(maxsize=4096)
def interpolation_taps(h: int, hp: int, mode: str, align_corners: bool = False, a: Fraction = TORCH_A) -> tuple:
    """Rows of the 1-D operator h → h' as tuples of (source index, exact weight): duplicates merged, zeros dropped."""
    rows = []
    for i in range(hp):
        taps: dict[int, Fraction] = {}

        def add(j, w):
            j = _clamp(j, h)
            taps[j] = taps.get(j, Fraction(0)) + w

        if mode == "nearest":
            add(torch_nearest_index(i, h, hp), Fraction(1))
        elif mode == "bilinear":
            s = _source_coordinate(i, h, hp, align_corners, cubic=False)
            i0 = min(math.floor(s), h - 1)
            t = min(max(s - i0, Fraction(0)), Fraction(1))
            add(i0, 1 - t)
            add(i0 + 1 if i0 < h - 1 else i0, t)
        elif mode == "bicubic":
            s = _source_coordinate(i, h, hp, align_corners, cubic=True)
            i0 = min(math.floor(s), h - 1)
            t = min(max(s - i0, Fraction(0)), Fraction(1))
            for offset, x in zip((-1, 0, 1, 2), (t + 1, t, 1 - t, 2 - t)):
                add(i0 + offset, keys_kernel(x, a))
        elif mode == "area":
            start = (i * h) // hp
            end = -((-(i + 1) * h) // hp)  # ceil((i+1)h/h')
            for j in range(start, end):
                add(j, Fraction(1, end - start))
        elif mode == "paper":
            base = (i * h) // hp
            for offset in (-1, 0, 1, 2):
                add(base + offset, keys_kernel(offset, a))
        else:  # pragma: no cover - validated by callers
            raise VarcheckError(f"mode must be one of {', '.join(MODES)}, got {mode!r}.")
        rows.append(tuple(sorted((j, w) for j, w in taps.items() if w != 0)))
    return tuple(rows)


def _validate(src, dst, mode, align_corners, a):
    require_choice("mode", mode, MODES)
    pairs = []
    for name, value in (("src", src), ("dst", dst)):
        try:
            h, w = value
        except (TypeError, ValueError):
            raise VarcheckError(f"{name} must be an (h, w) pair of positive integers, got {value!r}.") from None
        pairs.append((require_int(f"{name}[0]", h, minimum=1, maximum=MAX_SIDE),
                      require_int(f"{name}[1]", w, minimum=1, maximum=MAX_SIDE)))
    if not isinstance(align_corners, bool):
        raise VarcheckError(f"align_corners must be True or False, got {align_corners!r}.")
    if align_corners and mode not in ALIGN_MODES:
        raise VarcheckError(f"align_corners=True applies only to modes 'bilinear' and 'bicubic', not {mode!r}.")
    a = as_fraction(a, "a")
    if mode not in KERNEL_MODES and a != TORCH_A:
        raise VarcheckError(f"a applies only to modes 'bicubic' and 'paper', not {mode!r}.")
    return pairs[0], pairs[1], a


def interpolation_matrix_1d(h: int, hp: int, mode: str, *, align_corners: bool = False, a=TORCH_A, exact: bool = False):
    """The 1-D operator h → h' (shape h'×h): numpy float64, or exact (``fmpq_mat``) with ``exact=True``."""
    (h, _), (hp, _), a = _validate((h, 1), (hp, 1), mode, align_corners, a)
    _check_dense(hp, h, exact, "h' × h")
    return _dense(interpolation_taps(h, hp, mode, align_corners, a), h, exact)


def _check_dense(rows: int, cols: int, exact, what: str) -> None:
    """Refuse an operator with more entries than :data:`MAX_DENSE_ENTRIES` (:data:`MAX_EXACT_ENTRIES` exact)."""
    if not isinstance(exact, bool):
        raise VarcheckError(f"exact must be True or False, got {exact!r}.")
    limit = MAX_EXACT_ENTRIES if exact else MAX_DENSE_ENTRIES
    if rows * cols > limit:
        raise VarcheckError(f"the operator would have {what} = {rows} × {cols} = {rows * cols} entries, above the "
                            f"limit of {limit} {'exact' if exact else 'float64'} entries; use smaller sizes (src, "
                            "dst).")


def _dense(rows, ncols, exact):
    if exact:
        from flint import fmpq, fmpq_mat

        entries = [fmpq(0)] * (len(rows) * ncols)
        for i, taps in enumerate(rows):
            for j, w in taps:
                entries[i * ncols + j] = fmpq(w.numerator, w.denominator)
        return fmpq_mat(len(rows), ncols, entries)
    out = np.zeros((len(rows), ncols), dtype=np.float64)
    for i, taps in enumerate(rows):
        for j, w in taps:
            out[i, j] = float(w)  # correctly rounded
    return out


def kron(a, b):
    """Kronecker product of two exact matrices (``fmpq_mat``) or two numpy arrays."""
    if isinstance(a, np.ndarray):
        return np.kron(a, b)
    from flint import fmpq_mat

    ra, ca, rb, cb = a.nrows(), a.ncols(), b.nrows(), b.ncols()
    ea, eb = a.entries(), b.entries()
    entries = [None] * (ra * rb * ca * cb)
    ncols = ca * cb
    for i in range(ra):
        for j in range(ca):
            x = ea[i * ca + j]
            for k in range(rb):
                base = (i * rb + k) * ncols + j * cb
                for m in range(cb):
                    entries[base + m] = x * eb[k * cb + m]
    return fmpq_mat(ra * rb, ncols, entries)


def interpolation_matrix(src, dst, mode, *, align_corners=False, a=TORCH_A, exact=False):
    """The 2-D operator from an (h, w) map to an (h', w') map, acting on row-major flattened maps.

    Returns U_h ⊗ U_w of shape (h'·w', h·w): numpy float64 (the Kronecker product of the correctly
    rounded 1-D weights, so each entry within relative 2u + u² of the exact one), or with ``exact=True`` an exact
    rational ``flint.fmpq_mat`` whose entries convert with
    ``fractions.Fraction(str(entry))``. ``a`` is the Keys parameter (``bicubic`` and ``paper`` only;
    torch uses −3/4). ``align_corners`` applies to ``bilinear`` and ``bicubic`` only.
    """
    (h, w), (hp, wp), a = _validate(src, dst, mode, align_corners, a)
    _check_dense(hp * wp, h * w, exact, "(h'·w') × (h·w)")
    uh = _dense(interpolation_taps(h, hp, mode, align_corners, a), h, exact)
    uw = _dense(interpolation_taps(w, wp, mode, align_corners, a), w, exact)
    return kron(uh, uw)


def interpolate_direct(x, dst, mode, *, align_corners=False, a=TORCH_A):
    """Evaluate the interpolation formula pixel by pixel on an h×w nested list of any ring elements.

    Output (i, j) = Σ_p Σ_q w_h(i, p)·w_w(j, q)·x[p][q] with the 1-D taps; no matrix is formed. Used to
    check the matrix form (I1) on maps of free symbols.
    """
    if not isinstance(x, (list, tuple)) or not x or not all(isinstance(row, (list, tuple)) for row in x) \
            or not x[0] or any(len(row) != len(x[0]) for row in x):
        raise VarcheckError("x must be a non-empty h×w nested list (rows of equal, non-zero length).")
    h, w = len(x), len(x[0])
    (h, w), (hp, wp), a = _validate((h, w), dst, mode, align_corners, a)
    rows_h = interpolation_taps(h, hp, mode, align_corners, a)
    rows_w = interpolation_taps(w, wp, mode, align_corners, a)
    try:
        return [
            [sum((wh * ww * x[p][q] for p, wh in rows_h[i] for q, ww in rows_w[j]), 0) for j in range(wp)]
            for i in range(hp)
        ]
    except TypeError:
        raise VarcheckError("x must hold ring elements (numbers or sympy expressions) that multiply with rationals "
                            "and add.") from None
