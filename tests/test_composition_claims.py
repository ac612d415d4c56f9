"""Composition claims C1–C4 (docs/theory.md §5): evidence, the exact integrator, the counterexample, and argument
validation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from tests.claim_checks import assert_claim_as_expected
from varcheck.errors import VarcheckError
from varcheck.exact import composition as ec
from varcheck.exact.piecewise import PiecewisePolynomial, compose, lp_distance_power, push_forward
from varcheck.exact.quantizer import grid_quantize
from varcheck.theory import composition as sc

CASES = [
    pytest.param("compose.sup-two-layer", marks=pytest.mark.claim("compose.sup-two-layer")),
    pytest.param("compose.sup-k-layers", marks=pytest.mark.claim("compose.sup-k-layers")),
    pytest.param("compose.naive-lp", marks=pytest.mark.claim("compose.naive-lp")),
    pytest.param("compose.lp-density", marks=pytest.mark.claim("compose.lp-density")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


# --------------------------------------------------------------------------- the exact integrator


def test_polynomial_integrals_are_exact():
    for k in range(6):
        mono = PiecewisePolynomial([0, Fraction(1, 3), 1], [(0,) * k + (1,)] * 2)
        assert mono.integral() == Fraction(1, k + 1)
    # |2x − 1|^p over [0, 1] = 1/(p + 1): the sign change at 1/2 must be split for odd p
    line = PiecewisePolynomial.linear_interpolant([(0, -1), (1, 1)])
    for p in (1, 2, 3, 4):
        assert line.lp_power(p) == Fraction(1, p + 1)


def test_composition_agrees_with_pointwise_evaluation():
    rng = np.random.default_rng(3)
    for _ in range(10):
        inner = ec.random_piecewise_linear(rng, int(rng.integers(1, 6)))
        outer = ec.random_piecewise_linear(rng, int(rng.integers(1, 6)), lo=-2, hi=2).power(int(rng.integers(1, 4)))
        composed = compose(outer, inner)
        for x in [Fraction(int(v), 997) for v in rng.integers(0, 998, size=40)]:
            assert composed(x) == outer(inner(x))


def test_grid_quantizer_function_is_the_grid_quantizer():
    for G in (1, 3, 7):
        q = ec.grid_quantizer_function(G)
        for x in [Fraction(k, 5 * G) for k in range(5 * G + 1)]:
            assert q(x) == grid_quantize(x, G)


def test_push_forward_densities():
    # slope 1/2 then 3/2: density 2 on [0, 1/4], 2/3 on [1/4, 1]
    g = PiecewisePolynomial.linear_interpolant([(0, 0), (Fraction(1, 2), Fraction(1, 4)), (1, 1)])
    pf = push_forward(g)
    assert not pf.atoms and pf.max_density == 2
    assert pf.density(Fraction(1, 8)) == 2 and pf.density(Fraction(1, 2)) == Fraction(2, 3)
    assert pf.density.integral() == 1  # a probability measure
    # the fold x ↦ 1 − |2x − 1| has two preimages of slope ±2 everywhere: density 1/2 + 1/2
    fold = PiecewisePolynomial.linear_interpolant([(0, 0), (Fraction(1, 2), 1), (1, 0)])
    assert push_forward(fold).max_density == 1
    # the quantizer: G atoms of mass 1/G, no density bound
    atoms = push_forward(ec.grid_quantizer_function(5))
    assert atoms.max_density is None and [m for _, m in atoms.atoms] == [Fraction(1, 5)] * 5


# --------------------------------------------------------------------------- C3


@pytest.mark.claim("compose.naive-lp")
@pytest.mark.parametrize("G,p", [(1, 1), (3, 2), (4, 3), (8, 1)])
def test_naive_instance_matches_the_closed_form(G, p):
    H = Fraction(5, 4)
    for w in (Fraction(1, 2 * G), Fraction(1, 20 * G), Fraction(1, 2000 * G)):
        inst = ec.naive_lp_instance(G, w, H, p)
        assert inst.outer_error_power == H**p * (2 * G - 1) * w / (p + 1)
        assert inst.composed_power == H**p
        assert not inst.naive_bound_holds


@pytest.mark.claim("compose.naive-lp")
def test_a_width_that_does_not_shrink_still_refutes():
    # The counterexample does not need w → 0: at the widest non-overlapping w = δ/2 the naive bound is
    # H·((2G−1)/(2G(p+1)))^{1/p} < H already. Shrinking w only makes the violation unbounded.
    for G in (1, 2, 5):
        for p in (1, 2):
            inst = ec.naive_lp_instance(G, Fraction(1, 2 * G), 1, p)
            assert not inst.naive_bound_holds
            assert inst.ratio_power == Fraction(2 * G * (p + 1), 2 * G - 1)


@pytest.mark.claim("compose.naive-lp")
def test_relu_quantizer_keeps_the_atoms_of_its_good_set():
    G, eta = 4, Fraction(1, 100)
    inst = ec.naive_lp_instance(G, Fraction(1, 1000), 1, 2, inner="relu", eta=eta)
    assert inst.composed_power >= 1 - (G - 1) * eta
    assert not inst.naive_bound_holds
    pf = push_forward(ec.relu_quantizer_function(G, eta))
    assert pf.max_density is None and pf.atom_mass == 1 - (G - 1) * eta


@pytest.mark.claim("compose.naive-lp")
def test_the_copy_map_of_one_upsampled_token_also_refutes():
    import sympy as sp

    _, closed, _ = sc.ridge_power_integral()
    w_s, H_s, p_s = sp.symbols("w H p", positive=True)
    for w in (Fraction(1, 2), Fraction(1, 10), Fraction(1, 1000)):
        for p in (1, 2, 3):
            outer, on_diag = ec.ridge_instance(w, 2, p)
            assert outer == Fraction(str(closed.subs({w_s: sp.Rational(w.numerator, w.denominator), H_s: 2, p_s: p})))
            assert on_diag == 2**p and outer < on_diag


@pytest.mark.claim("compose.lp-density")
def test_identity_inner_map_satisfies_the_naive_form_with_equality():
    g1 = PiecewisePolynomial.linear_interpolant([(0, 0), (1, 1)])
    g2 = ec.tent_bumps([Fraction(1, 4), Fraction(3, 4)], Fraction(1, 8), 3)
    f2 = PiecewisePolynomial.constant(0)
    for p in (1, 2):
        inst = ec.lp_composition_instance(g1, g1, f2, g2, p)
        assert inst.rho == 1 and inst.A == inst.C and inst.holds


@pytest.mark.claim("compose.lp-density")
def test_large_density_bound_is_valid_but_loose():
    f2 = PiecewisePolynomial.constant(0)
    g2 = ec.tent_bumps([Fraction(1, 2)], Fraction(1, 2), 1)
    ratios = []
    for c in (Fraction(1, 2), Fraction(1, 8), Fraction(1, 32)):
        g1 = PiecewisePolynomial.linear_interpolant([(0, 0), (1, c)])
        inst = ec.lp_composition_instance(g1, g1, f2, g2, 1)
        assert inst.rho == 1 / c and inst.holds
        ratios.append(inst.ratio)
    assert ratios == sorted(ratios, reverse=True) and ratios[-1] < ratios[0] / 8


# --------------------------------------------------------------------------- C1 / C2 helpers


@pytest.mark.claim("compose.sup-k-layers")
def test_k_layer_bound_solves_the_recursion():
    rng = np.random.default_rng(5)
    for K in range(1, 7):
        eps = [Fraction(int(v), 16) for v in rng.integers(0, 17, size=K)]
        lips = [Fraction(int(v), 4) for v in rng.integers(0, 9, size=K)]
        b = eps[0]
        for k in range(1, K):
            b = lips[k] * b + eps[k]
        assert sc.k_layer_bound(eps, lips) == b


@pytest.mark.claim("compose.sup-two-layer")
def test_perturbations_stay_within_eps():
    from varcheck.claims.composition.sup_norm import PERTURBATION_KINDS, perturb

    ys = [Fraction(k, 37) - 2 for k in range(150)]
    for kind in PERTURBATION_KINDS:
        for eps in (Fraction(1, 64), Fraction(1, 3)):
            out = perturb(kind, eps, ys, 5)
            assert max(abs(a - b) for a, b in zip(out, ys)) <= eps


# --------------------------------------------------------------------------- validation


def test_invalid_arguments_raise_varcheck_errors():
    with pytest.raises(VarcheckError, match="breaks"):
        PiecewisePolynomial([0, 0], [(1,)])
    with pytest.raises(VarcheckError, match="polys"):
        PiecewisePolynomial([0, 1], [(1,), (2,)])
    with pytest.raises(VarcheckError, match="outside the domain"):
        PiecewisePolynomial.constant(1)(2)
    with pytest.raises(VarcheckError, match="p must be an integer ≥ 1"):
        PiecewisePolynomial.constant(1).lp_power(0)
    with pytest.raises(VarcheckError, match="odd p"):
        PiecewisePolynomial([0, 1], [(0, 0, 1)]).lp_power(3)
    with pytest.raises(VarcheckError, match="inner values"):
        compose(PiecewisePolynomial.constant(0), PiecewisePolynomial.linear_interpolant([(0, 0), (1, 2)]))
    with pytest.raises(VarcheckError, match="overlap"):
        ec.tent_bumps([0, Fraction(1, 10)], Fraction(1, 10), 1)
    with pytest.raises(VarcheckError, match="half_width must be positive"):
        ec.tent_bumps([0], 0, 1)
    with pytest.raises(VarcheckError, match="p must be an integer ≥ 1"):
        ec.naive_lp_instance(4, Fraction(1, 8), 1, 0)
    with pytest.raises(VarcheckError, match="inner must be"):
        ec.naive_lp_instance(4, Fraction(1, 8), 1, 1, inner="nearest")
    with pytest.raises(VarcheckError, match="atoms"):
        ec.lp_composition_instance(ec.grid_quantizer_function(2), ec.grid_quantizer_function(2),
                                   PiecewisePolynomial.constant(0), PiecewisePolynomial.constant(0), 1)
    with pytest.raises(VarcheckError, match="p must be one of"):
        sc.lp_bound_holds(1, 1, 1, 1, 1, 3)
    with pytest.raises(VarcheckError, match="non-negative"):
        sc.lp_bound_holds(1, -1, 1, 1, 1, 1)
    with pytest.raises(VarcheckError, match="equal length"):
        sc.k_layer_bound([1, 2], [1])
    with pytest.raises(VarcheckError, match="finite"):
        PiecewisePolynomial([0, float("nan")], [(1,)])
    with pytest.raises(VarcheckError, match="must share a domain"):
        PiecewisePolynomial.constant(0) - PiecewisePolynomial.constant(0, 0, 2)
    assert lp_distance_power(PiecewisePolynomial.constant(1), PiecewisePolynomial.constant(0), 2) == 1
