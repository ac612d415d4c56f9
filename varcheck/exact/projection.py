"""The projection lemma (Park et al. 2021; docs/theory.md A3), with an exact certificate per instance.

For N distinct points in R^d a uniformly random unit v satisfies, with probability ≥ 1/2,
    √(8/(πd))·‖x − x'‖/N² ≤ |vᵀ(x − x')| ≤ ‖x − x'‖   for all pairs.
varcheck draws v from a seeded generator, rounds it to a rational vector with ‖v‖ ≤ 1 (so the upper
inequality is Cauchy–Schwarz and downstream bounds |vᵀx| ≤ ‖x‖ stay valid), and certifies the lower
inequality for that v: (vᵀz)² ≥ 8‖z‖²/(π d N⁴) for every difference z, in exact rationals with π
enclosed in an arb ball.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np

from ..errors import VarcheckError

__all__ = ["random_unit_rational", "projection_certificate", "find_projection",
           "MAX_PROJECTION_DRAWS", "ROUNDING_SHRINK"]

#: Each draw fails with probability ≤ 1/2 (A3), so 64 independent draws all fail with probability ≤ 2⁻⁶⁴.
MAX_PROJECTION_DRAWS = 64
#: A float unit vector converted to rationals has ‖v‖² within 2⁻⁵⁰ of 1; shrinking by 1 − 2⁻⁴⁰ makes ‖v‖ ≤ 1.
ROUNDING_SHRINK = 1 - Fraction(1, 2**40)


def random_unit_rational(rng: np.random.Generator, d: int) -> tuple:
    """A rational vector v with ‖v‖ ≤ 1, within 2⁻⁴⁰ of a uniformly random unit vector."""
    g = rng.standard_normal(d)
    g = g / np.linalg.norm(g)
    v = tuple(Fraction(float(x)) * ROUNDING_SHRINK for x in g)
    if sum(x * x for x in v) > 1:  # cannot happen for IEEE doubles; checked, not assumed
        raise VarcheckError("internal: rounded projection vector has norm above 1")
    return v


def _dot(u, w):
    return sum(a * b for a, b in zip(u, w))


def projection_certificate(points, v) -> tuple:
    """(certified, worst ratio (vᵀz)²·π d N⁴/(8‖z‖²) as an arb ball, worst pair) for exact points and v."""
    from flint import arb

    pts = [tuple(Fraction(x) for x in p) for p in points]
    N, d = len(pts), len(pts[0])
    pi = arb.pi()
    worst = None
    for a, b in combinations(range(N), 2):
        z = tuple(x - y for x, y in zip(pts[a], pts[b]))
        zz = _dot(z, z)
        vz2 = _dot(v, z) ** 2
        ratio = arb(vz2.numerator) / vz2.denominator * pi * d * N**4 / (8 * (arb(zz.numerator) / zz.denominator))
        if worst is None or ratio.mid() < worst[0].mid():
            worst = (ratio, (a, b))
    if worst is None:
        return True, None, None
    return bool(worst[0] >= 1), worst[0], worst[1]


def find_projection(points, seed: int = 0) -> tuple:
    """The first of the seeded draws whose lower inequality is certified: (v, draws used, worst ratio)."""
    rng = np.random.default_rng(seed)
    d = len(points[0])
    for draw in range(1, MAX_PROJECTION_DRAWS + 1):
        v = random_unit_rational(rng, d)
        ok, worst, _ = projection_certificate(points, v)
        if ok:
            return v, draw, worst
    raise VarcheckError(
        f"no projection satisfied the lemma in {MAX_PROJECTION_DRAWS} seeded draws (probability ≤ 2^-64 for distinct "
        "points); check that the points are distinct."
    )
