"""Rigorous float64 rounding bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, §3).

With unit roundoff u = 2⁻⁵³ and γ_n = n·u/(1 − n·u): a float64 inner product of length n satisfies
|fl(aᵀb) − aᵀb| ≤ γ_n |a|ᵀ|b|, and a matrix whose entries are correctly rounded from exact values
satisfies |Ũ − U| ≤ u|U| entrywise. These give the tolerance every float comparison is held to.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = ["UNIT_ROUNDOFF", "gamma", "separable_apply_error_factor", "separable_apply_error_bound", "TORCH_PARITY_TOL",
           "FloatFormat", "FORMATS", "round_up", "constant_map_interpolation_error", "up_dyadic",
           "bicubic_gain_bound"]

#: Unit roundoff of IEEE binary64.
UNIT_ROUNDOFF = 2.0**-53

#: docs/theory.md §2.1: torch's float64 interpolation and the exact rational operator must agree to ≤ 1e−13
#: (absolute, on inputs in [0, 1]). This is the specification's contract, checked, not a fitted tolerance.
TORCH_PARITY_TOL = 1e-13


def _round_up(q: Fraction) -> float:
    """The smallest float64 ≥ the rational q."""
    f = float(q)
    return f if Fraction(f) >= q else math.nextafter(f, math.inf)


def gamma(n: int) -> float:
    """γ_n = n u / (1 − n u)."""
    nu = n * UNIT_ROUNDOFF
    return nu / (1 - nu)


def separable_apply_error_factor(h: int, w: int) -> float:
    """Relative factor c with |fl(Ũ_h X Ũ_wᵀ) − U_h X U_wᵀ| ≤ c·|U_h||X||U_w|ᵀ.

    Rounded entries contribute (1+u)² and the two products (1+γ_h)(1+γ_w) (inner lengths h and w);
    the factor is their product minus one, rounded up by one further γ_2 for its own evaluation.
    """
    # evaluated over Q: in float64 1 + u rounds to 1 and the rounded-entry term would vanish
    u = Fraction(1, 2**53)
    g = lambda n: n * u / (1 - n * u)  # noqa: E731
    return _round_up((1 + u) ** 2 * (1 + g(h)) * (1 + g(w)) - 1)


def separable_apply_error_bound(uh: np.ndarray, x: np.ndarray, uw: np.ndarray) -> np.ndarray:
    """Entrywise bound on |fl(Ũ_h X Ũ_wᵀ) − U_h X U_wᵀ| for the float64 reference computation."""
    h, w = x.shape[-2:]
    mag = np.abs(uh) @ np.abs(x) @ np.abs(uw).T
    return separable_apply_error_factor(h, w) * mag * (1 + gamma(h + w))


#: torch's CPU exp (Sleef u10 vector kernels, glibc scalar) is accurate to within 1 ulp; an assumption
#: of the float64 softmax bound below, not an IEEE guarantee.
EXP_ULPS = 1


def softmax_readout_error_bound(score_abs_max: float, n: int, d: int, value_abs_max: float) -> float:
    """Bound on |ρ̃ − ρ| for a float64 single-query read-out ρ = Σ softmax(a)_l y_l (rank-1 values).

    Scores are dot products of length d twice (x·W_Q, x·W_K, then their product): each ã has absolute
    error ≤ γ_{2d+1}·A with A ≥ the magnitude bound of the scores. Subtracting the row maximum and exp
    add u·2A and EXP_ULPS·2u, so every weight carries a relative error ≤ κ = e^η − 1 with
    η = 2γ_{2d+1}A + 2uA + 2·EXP_ULPS·u. Normalising (n terms) and the weighted sum of values (each
    with error γ_d·Y) give |ρ̃ − ρ| ≤ Y·(2κ/(1 − κ) + γ_{n+1}) + γ_d·Y + γ_n·Y, doubled for the
    products of these factors (all first-order terms are below 1).
    """
    u = UNIT_ROUNDOFF
    eta = 2 * gamma(2 * d + 1) * score_abs_max + 2 * u * score_abs_max + 2 * EXP_ULPS * u
    kappa = np.expm1(eta)
    if kappa >= 0.5:
        return float("inf")
    rel = 2 * kappa / (1 - kappa) + gamma(n + 1)
    return 2 * value_abs_max * (rel + gamma(d) + gamma(n))


# --------------------------------------------------------------------------- formats (exact, in rationals)


class FloatFormat:
    """An IEEE-style binary format: ``mantissa`` bits (the implicit one included), largest exponent ``emax``.

    Everything is exact (Fractions): ``u`` = 2^−mantissa, :meth:`gamma` = nu/(1 − nu), the largest finite value,
    ``subnormal_exponent`` = log2 of the smallest positive subnormal 2^(emin − mantissa + 1) (emin = 1 − emax) and
    ``underflow`` = half of it (the absolute error of a rounding that underflows). The one table of the float
    formats: the dense networks' rounding ledgers (varcheck.exact.cell_value_map), the attention constructions'
    precision budget and the FlowAR sampler's rounding bound all read it.
    """

    def __init__(self, name: str, mantissa: int, emax: int):
        self.name, self.mantissa, self.emax = name, mantissa, emax
        self.u = Fraction(1, 2**mantissa)
        self.max_finite = (2 - Fraction(2, 2**mantissa)) * Fraction(2) ** emax
        self.subnormal_exponent = (1 - emax) - mantissa + 1
        self.underflow = Fraction(1, 2 ** (1 - self.subnormal_exponent))

    def gamma(self, n: int) -> Fraction:
        """γ_n = nu/(1 − nu) (exact); requires nu < 1."""
        nu = n * self.u
        if nu >= 1:
            raise ValueError(f"γ_{n} is undefined in {self.name} (n·u ≥ 1)")
        return nu / (1 - nu)

    def __repr__(self):
        return f"FloatFormat({self.name!r}, mantissa={self.mantissa}, emax={self.emax})"


#: The formats a VAR transformer may run in (VAR trains in mixed precision): unit roundoff and range.
FORMATS = {
    "float64": FloatFormat("float64", 53, 1023),
    "float32": FloatFormat("float32", 24, 127),
    "bfloat16": FloatFormat("bfloat16", 8, 127),
    "float16": FloatFormat("float16", 11, 15),
}


def round_up(q: Fraction) -> float:
    """The smallest float64 ≥ the rational q (public form of the rounding used by every exported bound)."""
    return _round_up(Fraction(q))


#: Keys' cubic (a = −3/4) as torch evaluates it: cc1(x) = ((A+2)x − (A+3))·x·x + 1 on [0, 1] (5 roundings,
#: Σ|coefficient|·|x|^i ≤ 5/4 + 9/4 + 1) and cc2(x) = ((Ax − 5A)x + 8A)x − 4A on [1, 2] (6 roundings,
#: Σ ≤ 6 + 15 + 12 + 3); their derivatives are bounded by 27/20 and 3/4 there (the arguments t + 1, 1 − t,
#: 2 − t are rounded once each).
_CC1_MAGNITUDE, _CC2_MAGNITUDE = Fraction(9, 2), Fraction(36)
_CC1_SLOPE, _CC2_SLOPE = Fraction(27, 20), Fraction(3, 4)
#: max_t Σ_k |W(t + 1 − k)| for a = −3/4 (docs/theory.md I3).
_BICUBIC_ROW_ABS = Fraction(11, 8)


def _coefficient_rounding(fmt: FloatFormat) -> Fraction:
    """σ ≥ Σ_k |c̃_k − c_k| for the four bicubic coefficients of one axis as torch evaluates them (see below)."""
    u, g = fmt.u, fmt.gamma
    return 2 * (2 * _CC2_SLOPE * u + _CC2_MAGNITUDE * g(6)) + _CC1_SLOPE * u + 2 * _CC1_MAGNITUDE * g(5)


def bicubic_gain_bound(fmt: FloatFormat | None = None) -> Fraction:
    """Bound on max|ỹ|/max|x| for one 2-D bicubic F.interpolate in ``fmt``: ((11/8 + σ)(1 + γ₄))² (two 4-tap passes
    with coefficients within σ of Keys' values; same assumption as :func:`constant_map_interpolation_error`)."""
    fmt = fmt or FORMATS["float64"]
    return ((_BICUBIC_ROW_ABS + _coefficient_rounding(fmt)) * (1 + fmt.gamma(4))) ** 2


def constant_map_interpolation_error(window: int, fmt: FloatFormat | None = None) -> Fraction:
    """Relative bound θ with |ỹ − x| ≤ θ·|x| for every output ỹ of VAR's interpolation layer on a *constant* map x
    (bicubic up to the last scale, then area down over windows of at most ``window`` pixels), in ``fmt``.

    Assumption (as EXP_ULPS for softmax: a statement about the kernel, not an IEEE guarantee): torch computes a
    bicubic output as Σ_j c̃_j(Σ_k c̃_k x_{jk}) with the four coefficients of each axis evaluated by Keys'
    polynomials at the rounded arguments t + 1, t, 1 − t, 2 − t, and an area output as the window sum divided by
    the window size (at most two divisions). Derivation: the exact polynomials sum to 1 for every t (an identity),
    so on a constant map only the coefficient rounding σ ≤ 2(2·(3/4)u + 36γ₆) + (27/20)u + 2·(9/2)γ₅ per axis
    and the two 4-term sums (γ₄ each, on Σ|c̃| ≤ 11/8 + σ) move the value: θ_bicubic ≤ (1+σ)² − 1 +
    2γ₄(11/8 + σ)²(1 + σ); the area mean adds γ_{window+1}: θ ≤ (1 + θ_bicubic)(1 + γ_{window+1}) − 1.
    """
    fmt = fmt or FORMATS["float64"]
    g = fmt.gamma
    sigma = _coefficient_rounding(fmt)
    row = _BICUBIC_ROW_ABS + sigma
    bicubic = (1 + sigma) ** 2 - 1 + 2 * g(4) * row**2 * (1 + sigma)
    return (1 + bicubic) * (1 + g(window + 1)) - 1


def up_dyadic(q, bits: int = 64) -> Fraction:
    """The smallest m·2^e ≥ q with |m| < 2^bits: keeps derived bounds (upper bounds) short without losing rigour."""
    q = Fraction(q)
    if q == 0:
        return q
    e = q.numerator.bit_length() - q.denominator.bit_length() - bits
    scaled = q / Fraction(2) ** e
    m = -((-scaled.numerator) // scaled.denominator)  # ceil
    return Fraction(m) * Fraction(2) ** e
