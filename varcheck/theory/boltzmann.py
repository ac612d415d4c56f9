"""Symbolic side of the attention claims (docs/theory.md §3): the rank-1 Boltzmann identity (A1), the
separation bound of Kajitsuka & Sato's Lemma 1 (A2), and the constants of the contextual-mapping
construction (A4) derived from the chain of inequalities of its proof.

The derivation of γ (A4). Let s = ε_tok/(4 r_max) be the W_O scale, p = √(8/(πd))/(|V|+1)² the
projection-lemma factor (A3 on V ∪ {0}), Δ = 2 ln n + 3 the gap Lemma 1 needs.

1. |vᵀx| > p·r_min for every token (A3 against 0) and |vᵀ(x − x')| > p·ε_tok (A3 between tokens).
2. Score gaps for a query x_k: c|vᵀx_k||vᵀ(x_l − x_l')| > c p² r_min ε_tok ≥ Δ when
   c ≥ Δ/(p² r_min ε_tok) = Δ π d (|V|+1)⁴/(8 r_min ε_tok).                        (temperature)
3. Scores are bounded by R = c r_max² (|vᵀx| ≤ ‖x‖ < r_max).
4. Same query token, different token sets: the read-out is boltz(a)/(c vᵀx_k) (A1), so by Lemma 1
   the outputs differ by more than s·(ln n)² e^{−2R}/(c r_max).                     (γ)
5. Different query tokens: the residual keeps them more than ε_tok − 2·s·r_max = ε_tok/2 apart.
So γ = min(s (ln n)² e^{−2R}/(c r_max), ε_tok/2), and the first term is the smaller one.
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "symbols",
    "boltzmann",
    "rank_one_identity_residual",
    "lemma1_bound",
    "temperature_expr",
    "gamma_from_construction",
    "gamma_theory_formula",
    "gamma_agreement",
]

n, d, V, r_min, r_max, eps_tok, c, R = sp.symbols("n d V r_min r_max epsilon_tok c R", positive=True)


def symbols() -> dict:
    """The named positive symbols used in the derivations."""
    return dict(n=n, d=d, V=V, r_min=r_min, r_max=r_max, eps_tok=eps_tok, c=c, R=R)


def boltzmann(a):
    """boltz(a) = Σ a_i e^{a_i} / Σ e^{a_j} for a sequence of sympy expressions."""
    weights = [sp.exp(x) for x in a]
    return sum(x * w for x, w in zip(a, weights)) / sum(weights)


def rank_one_identity_residual(length: int = 3):
    """read-out − boltz(a)/(c·vᵀx_k) for the rank-1 layer on free symbols y_l = vᵀx_l; 0 proves A1.

    With W_Q = c v, W_K = v, W_V = v the scores are a_l = c·y_k·y_l and the read-out is Σ softmax(a)_l y_l.
    """
    y = sp.symbols(f"y0:{length}", nonzero=True)
    k = 0
    scores = [c * y[k] * yl for yl in y]
    weights = [sp.exp(s) for s in scores]
    readout = sum(w * yl for w, yl in zip(weights, y)) / sum(weights)
    return sp.simplify(sp.together(readout - boltzmann(scores) / (c * y[k]))), y, scores


def lemma1_bound(n_value, R_value):
    """(ln n)² e^{−2R}, the Boltzmann separation bound of Lemma 1 (A2)."""
    return sp.log(n_value) ** 2 * sp.exp(-2 * R_value)


def temperature_expr():
    """The smallest temperature the proof admits: (2 ln n + 3)·π d (|V|+1)⁴ / (8 r_min ε_tok)."""
    return (2 * sp.log(n) + 3) * sp.pi * d * (V + 1) ** 4 / (8 * r_min * eps_tok)


def gamma_from_construction():
    """γ obtained by substituting the construction's c, R and W_O scale into step 4 of the proof."""
    scale = eps_tok / (4 * r_max)
    temp = temperature_expr()
    return scale * sp.log(n) ** 2 * sp.exp(-2 * temp * r_max**2) / (temp * r_max)


def gamma_theory_formula():
    """docs/theory.md A4's reconstructed γ."""
    return (
        2 * sp.log(n) ** 2 * eps_tok**2 * r_min
        / (r_max**2 * (V + 1) ** 4 * (2 * sp.log(n) + 3) * sp.pi * d)
        * sp.exp(-((V + 1) ** 4) * (2 * sp.log(n) + 3) * sp.pi * d * r_max**2 / (4 * eps_tok * r_min))
    )


def gamma_agreement():
    """(prefactor ratio, exponent difference) of derived vs stated γ; (1, 0) proves they agree.

    Both are of the form P·e^{E}; the prefactors' ratio is a rational function and the exponents' difference
    a polynomial in the symbols, each brought to canonical form with ``cancel``/``expand``.
    """
    def split(expr):
        expr = sp.powsimp(sp.expand_power_exp(expr), combine="exp")
        factors = sp.Mul.make_args(expr)
        exponent = sum((f.exp if f.func is sp.exp else 0 for f in factors), sp.Integer(0))
        prefactor = sp.Mul(*[f for f in factors if f.func is not sp.exp])
        return prefactor, exponent

    p1, e1 = split(gamma_from_construction())
    p2, e2 = split(gamma_theory_formula())
    return sp.cancel(p1 / p2), sp.expand(e1 - e2)
