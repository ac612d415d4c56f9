"""Composition of approximation errors (docs/theory.md §5, claims C1–C4): derivations in sympy and exact bounds.

Notation: layers f_k (targets) and g_k (approximants), F_K = f_K∘…∘f_1, G_K = g_K∘…∘g_1, L_k = Lip(f_k).

* **C1** (two layers, sup norm). For every X ∈ D the difference telescopes,
      f₂(f₁X) − g₂(g₁X) = [f₂(f₁X) − f₂(g₁X)] + [f₂(g₁X) − g₂(g₁X)],
  so by the triangle inequality and the Lipschitz property
      ‖f₂(f₁X) − g₂(g₁X)‖_∞ ≤ L₂‖f₁X − g₁X‖_∞ + ‖(f₂ − g₂)(g₁X)‖_∞,
  and taking the supremum over X: d_∞(f₂∘f₁, g₂∘g₁) ≤ L₂·d_∞(f₁, g₁) + sup_{y ∈ g₁(D)} ‖f₂(y) − g₂(y)‖_∞.
  The second term is the error of g₂ *on the image of the previous approximant*, not on f₂'s domain.
  Equality is attained (f₁ = x + e₁, g₁ = x, f₂ = L₂y, g₂ = L₂y − e₂), so neither coefficient can shrink.
* **C2** (K layers). C1 applied to (f_K∘F_{K−1}, g_K∘G_{K−1}) gives B_K = L_K·B_{K−1} + ε_K with B_1 = ε_1
  (ε_k the error of g_k on the image of G_{k−1}); its solution is B_K = Σ_k ε_k Π_{j>k} L_j.
* **C3** (naive L_p, refuted). With f₁ = g₁ = a grid quantizer q, f₂ = 0 and g₂ = tents of height H and
  half-width w at the grid values, ∫_0^w (H(1 − x/w))^p dx = H^p·w/(p + 1), so d_p(f₂, g₂)^p is
  O(w) → 0, while g₂(q(X)) = H for every X and d_p(f₂∘f₁, g₂∘g₁) = H. The same happens for any inner map
  whose push-forward is singular, e.g. the copy X ↦ (X, X) of an up-sampling from one token: a ridge of
  half-width w along the diagonal of [0,1]² has ∫∫ = 2H^p·w(1/(p+1) − w/((p+1)(p+2))).
* **C4** (L_p with a density bound). Minkowski, the pointwise Lipschitz bound (norms ‖·‖_p on both sides),
  and the change of variables ∫_a^b h(α + βx) dx = (1/|β|)∫_{image} h(y) dy on every linear piece give
  ∫_D ‖(f₂ − g₂)(g₁X)‖_p^p dX = ∫ ‖f₂ − g₂‖_p^p d(g₁#λ) ≤ ρ·d_p(f₂, g₂)^p when g₁#λ has density ≤ ρ.

The symbolic helpers return sympy expressions whose residuals must ``expand``/``cancel`` to 0 exactly; the
exact helpers decide inequalities over Q (p ∈ {1, 2} for radicals, by squaring with sign care).
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

from ..errors import VarcheckError, require_int

__all__ = [
    "two_layer_residuals",
    "k_layer_symbols",
    "k_layer_recursion",
    "k_layer_closed_form",
    "k_layer_residuals",
    "k_layer_bound",
    "tent_power_integral",
    "tent_antiderivative_residual",
    "ridge_power_integral",
    "change_of_variables_residual",
    "lp_bound_holds",
    "lp_bound_ratio",
    "EXACT_LP_EXPONENTS",
]

#: Exponents for which an L_p inequality between sums of p-th roots is decided exactly over Q here.
EXACT_LP_EXPONENTS = (1, 2)


# --------------------------------------------------------------------------- C1


def two_layer_residuals() -> dict:
    """Residuals that must vanish identically for C1's derivation (see module doc).

    ``telescoping``: f₂(f₁(x)) − g₂(g₁(x)) minus the two bracketed differences, with undefined functions;
    ``attained``: for f₁ = x + e₁, g₁ = x, f₂ = L y, g₂ = L y − e₂ the difference minus (L e₁ + e₂).
    """
    x = sp.Symbol("x", real=True)
    f1, g1, f2, g2 = (sp.Function(n) for n in ("f1", "g1", "f2", "g2"))
    lhs = f2(f1(x)) - g2(g1(x))
    split = (f2(f1(x)) - f2(g1(x))) + (f2(g1(x)) - g2(g1(x)))
    L, e1, e2 = sp.symbols("L e1 e2", positive=True)
    F1, G1 = x + e1, x
    F2, G2 = (lambda y: L * y), (lambda y: L * y - e2)
    attained = F2(F1) - G2(G1) - (L * e1 + e2)
    return {"telescoping": sp.expand(lhs - split), "attained": sp.expand(attained)}


# --------------------------------------------------------------------------- C2


def k_layer_symbols(K: int) -> tuple:
    """(ε_1..ε_K, L_1..L_K) as positive sympy symbols."""
    K = require_int("K", K, minimum=1)
    return sp.symbols(f"epsilon1:{K + 1}", positive=True), sp.symbols(f"L1:{K + 1}", positive=True)


def k_layer_recursion(K: int):
    """B_K from B_1 = ε_1, B_k = L_k·B_{k−1} + ε_k (C1 applied once per layer)."""
    eps, lips = k_layer_symbols(K)
    b = eps[0]
    for k in range(1, K):
        b = lips[k] * b + eps[k]
    return b


def k_layer_closed_form(K: int):
    """Σ_k ε_k Π_{j>k} L_j (docs/theory.md C2)."""
    eps, lips = k_layer_symbols(K)
    return sum((eps[k] * sp.Mul(*lips[k + 1:]) for k in range(K)), sp.Integer(0))


def k_layer_residuals(K: int) -> dict:
    """Residuals that vanish identically for C2 at depth K (K ≥ 2):

    ``recursion``: recursion − closed form; ``induction``: L_K·closed(K−1) + ε_K − closed(K) (the step from
    K−1 to K is C1); ``attained``: scalar layers f_k = L_k y, g_k = L_k y + ε_k give G_K − F_K = closed(K).
    """
    K = require_int("K", K, minimum=2)
    eps, lips = k_layer_symbols(K)
    closed = k_layer_closed_form(K)
    prev = sum((eps[k] * sp.Mul(*lips[k + 1:K - 1]) for k in range(K - 1)), sp.Integer(0))
    x = sp.Symbol("x", real=True)
    F, G = x, x
    for k in range(K):
        F, G = lips[k] * F, lips[k] * G + eps[k]
    return {
        "recursion": sp.expand(k_layer_recursion(K) - closed),
        "induction": sp.expand(lips[K - 1] * prev + eps[K - 1] - closed),
        "attained": sp.expand(G - F - closed),
    }


def k_layer_bound(eps, lips) -> Fraction:
    """Σ_k ε_k Π_{j>k} L_j for exact rationals (layer errors and Lipschitz constants, first layer first)."""
    eps, lips = [Fraction(e) for e in eps], [Fraction(v) for v in lips]
    if len(eps) != len(lips) or not eps:
        raise VarcheckError(f"eps and lips must be non-empty and of equal length, got {len(eps)} and {len(lips)}.")
    if any(e < 0 for e in eps) or any(v < 0 for v in lips):
        raise VarcheckError("eps and lips must be non-negative.")
    return sum((e * math.prod(lips[k + 1:], start=Fraction(1)) for k, e in enumerate(eps)), Fraction(0))


# --------------------------------------------------------------------------- C3


def _identity_residual(expr):
    """powsimp (v^{p+1}/v → v^p, valid for v > 0), expand, cancel: the exact normal form of a residual."""
    return sp.cancel(sp.together(sp.powsimp(sp.expand(expr))))


def tent_power_integral():
    """(∫_0^w (H(1 − x/w))^p dx, its value H^p w/(p+1)) with positive symbols; substitution x = w·u.

    With v = 1 − u the antiderivative of (1 − u)^p in u is F = −v^{p+1}/(p+1) (checked by
    :func:`tent_antiderivative_residual`), and ∫_0^1 = F(v=0) − F(v=1) = 1/(p+1) (0^{p+1} = 0 for p > 0).
    """
    w, H, p, v = sp.symbols("w H p v", positive=True)
    antiderivative = -v ** (p + 1) / (p + 1)
    value = w * H**p * (antiderivative.subs(v, 0) - antiderivative.subs(v, 1))
    return value, H**p * w / (p + 1)


def tent_antiderivative_residual():
    """dF/du − (1 − u)^p for F = −v^{p+1}/(p+1), v = 1 − u (dF/du = −dF/dv), which must vanish (p, v > 0)."""
    p, v = sp.symbols("p v", positive=True)
    antiderivative = -v ** (p + 1) / (p + 1)
    return _identity_residual(-sp.diff(antiderivative, v) - v**p)


def ridge_power_integral():
    """∫∫_{[0,1]²} (H·max(0, 1 − |y₁ − y₂|/w))^p for 0 < w ≤ 1, by s = y₁ − y₂ (weight 1 − |s|): the closed
    form 2H^p w(1/(p+1) − w/((p+1)(p+2))), and the residual of the antiderivative of (1 − u)^p·u (must be 0).

    ∫_0^w (1 − s/w)^p ds = w/(p+1) and ∫_0^w (1 − s/w)^p s ds = w²∫_0^1 (1−u)^p u du = w²/((p+1)(p+2)); with
    v = 1 − u, F = −v^{p+1}(1 − v)/(p+1) − v^{p+2}/((p+1)(p+2)) satisfies dF/du = (1 − u)^p·u.
    """
    w, H, p, v = sp.symbols("w H p v", positive=True)
    f_1 = -v ** (p + 1) / (p + 1)
    f_u = -v ** (p + 1) * (1 - v) / (p + 1) - v ** (p + 2) / ((p + 1) * (p + 2))
    residual = _identity_residual(-sp.diff(f_u, v) - v**p * (1 - v))
    i1 = f_1.subs(v, 0) - f_1.subs(v, 1)
    iu = f_u.subs(v, 0) - f_u.subs(v, 1)
    value = 2 * H**p * (w * i1 - w**2 * iu)
    return value, 2 * H**p * w * (1 / (p + 1) - w / ((p + 1) * (p + 2))), residual


# --------------------------------------------------------------------------- C4


def change_of_variables_residual(degree: int):
    """∫_a^b h(α + βx) dx − (1/β)∫_{α+βa}^{α+βb} h(y) dy for a generic polynomial h of the given degree.

    A rational function of (a, b, α, β, coefficients) that must cancel to 0 for β ≠ 0; for β < 0 the image
    interval is reversed, so (1/β)∫_{ya}^{yb} = (1/|β|)∫_{yb}^{ya}: the density of the push-forward is 1/|β|.
    """
    degree = require_int("degree", degree, minimum=0)
    x, y, a, b, alpha = sp.symbols("x y a b alpha", real=True)
    beta = sp.Symbol("beta", real=True, nonzero=True)
    coeffs = sp.symbols(f"c0:{degree + 1}", real=True)
    h = sum((c * y**i for i, c in enumerate(coeffs)), sp.Integer(0))
    lhs = sp.integrate(sp.expand(h.subs(y, alpha + beta * x)), (x, a, b))
    rhs = sp.integrate(h, (y, alpha + beta * a, alpha + beta * b)) / beta
    return sp.cancel(sp.together(sp.expand(lhs - rhs)))


def _check_terms(A, B, C, L, rho, p, exact=True):
    p = require_int("p", p, minimum=1)
    vals = [Fraction(v) for v in (A, B, C, L, rho)]
    if any(v < 0 for v in vals):
        raise VarcheckError("A, B, C, L and rho must be non-negative.")
    A, B, C, L, rho = vals
    single_term = L * B == 0 or rho * C == 0
    if exact and not single_term and p not in EXACT_LP_EXPONENTS:
        raise VarcheckError(f"p must be one of {EXACT_LP_EXPONENTS} for an exact decision with two non-zero terms, got "
                            f"{p}.")
    return p, vals


def lp_bound_holds(A, B, C, L, rho, p) -> bool:
    """Exactly: A^{1/p} ≤ L·B^{1/p} + (ρ·C)^{1/p}, given the p-th powers A = d_p(f₂∘f₁, g₂∘g₁)^p,
    B = d_p(f₁, g₁)^p, C = d_p(f₂, g₂)^p. With one term zero, compare p-th powers (any p ≥ 1); otherwise
    p = 1 is linear and p = 2 is √A ≤ L√B + √(ρC) ⇔ r = A − L²B − ρC ≤ 0 or r² ≤ 4L²BρC."""
    p, (A, B, C, L, rho) = _check_terms(A, B, C, L, rho, p)
    if L * B == 0:
        return A <= rho * C
    if rho * C == 0:
        return A <= L**p * B
    if p == 1:
        return A <= L * B + rho * C
    rest = A - L * L * B - rho * C
    return rest <= 0 or rest * rest <= 4 * L * L * B * rho * C


def lp_bound_ratio(A, B, C, L, rho, p) -> float:
    """A^{1/p} / (L·B^{1/p} + (ρC)^{1/p}) in floating point (for reports; decisions use lp_bound_holds)."""
    p, (A, B, C, L, rho) = _check_terms(A, B, C, L, rho, p, exact=False)
    den = float(L) * float(B) ** (1 / p) + float(rho * C) ** (1 / p)
    num = float(A) ** (1 / p)
    if den == 0:
        return 0.0 if num == 0 else math.inf
    return num / den
