"""The partition API (docs/theory.md §4): values of the derived constants, exact constructions, and bad input.

Bad input raises one VarcheckError whose single sentence names the argument and what is allowed.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import torch

import varcheck
from varcheck import VarcheckError
from varcheck import targets as T
from varcheck.theory import partition as P

# --------------------------------------------------------------------------- derived constants


def test_grid_size_matches_theory_formula():
    # β = ∞, α = ∞: G = ⌈m^{1/p} L / (2ε)⌉ unnormalised, ⌈L/(2ε)⌉ per entry
    assert varcheck.grid_size(Fraction(1, 10), 1, 1, 1) == 5
    assert varcheck.grid_size(Fraction(1, 10), 2, 4, 4, m=9, p=2) == 30
    assert varcheck.grid_size(Fraction(1, 10), 2, 4, 4, m=9, p=2, per_entry=True) == 10
    # α = 2: (nd)^{1/2} enters; √6·3/(2·(1/100)) = 367.42… → 368
    assert varcheck.grid_size(Fraction(1, 100), 3, 2, 3, alpha=2) == math.ceil(3 * math.sqrt(6) / (2 / 100))
    # an exact integer threshold is not rounded up: L·√4/(2ε) = 20 exactly
    assert varcheck.grid_size(Fraction(1, 10), 2, 4, 1, alpha=2) == 20


def test_power_products_decide_exactly():
    x = P.PowerProduct.of(2) ** Fraction(1, 2) * 3  # 3√2 = 4.2426…
    assert x.ceil() == 5 and x > Fraction(424, 100) and x < Fraction(425, 100)
    assert (P.PowerProduct.of(8) ** Fraction(1, 3)).rational() == 2
    assert P.rational_lower_bound(x) <= Fraction(4243, 1000) and x >= P.rational_lower_bound(x)


def test_eta_meets_the_budget_and_lipschitz_blows_up():
    M = P.bad_set_sup_bound(2, 1, 3, m=4, p=2)
    eta = varcheck.eta_from_budget(Fraction(1, 50), M, 1, 3, 40, p=2)
    assert P.bad_set_term(M, eta, 1, 3, 40, p=2) <= Fraction(1, 50)
    values = [P.blowup_lipschitz(Fraction(1, 2**k), Fraction(1, 2**k), 1, 1, 1, p=1)["lipschitz"] for k in range(2, 9)]
    assert all(b > a for a, b in zip(values, values[1:]))


def test_quantizer_and_value_map_construction():
    Q = varcheck.relu_quantizer(4, Fraction(1, 20))
    assert Q.breakpoints()[:2] == (Fraction(1, 4) - Fraction(1, 20), Fraction(1, 4))
    assert (
        Q(Fraction(1, 2)) == Fraction(1, 2)
        and Q(1) == Fraction(3, 4)
        and Q(Fraction(1, 4) - Fraction(1, 40)) == Fraction(1, 8)
    )
    assert Q.bad_set_length() == Fraction(3, 20) and Q.lipschitz() == 5 and Q.width(3, residual=True) == 24
    V = varcheck.scalar_value_map([0, 1, 3], [0, 0, 1])
    assert V(3) == (1,) and V(2) == (Fraction(1, 2),) and V.lipschitz() == Fraction(1, 2) and V.lipschitz_bound() == 1
    grid = varcheck.grid_value_map(
        2, [(Fraction(1, 4), Fraction(3, 4)), (Fraction(3, 4), Fraction(1, 4))], [(1,), (2,)]
    )
    assert grid((Fraction(3, 4), Fraction(1, 4))) == (2,) and sorted(grid.project(t) for t in grid.tokens) == [1, 2]
    ff = varcheck.FeedForward(*Q.weights(2, residual=True), residual=True)
    out = ff(torch.tensor([[0.3, 0.9]], dtype=torch.float64))
    assert out.tolist() == [[0.25, 0.75]]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("G", [0, -3, 2.5, True, "4"])
def test_grid_not_a_positive_integer(G):
    with pytest.raises(VarcheckError, match=r"^G must be an integer"):
        varcheck.partition_bound(1, G, 1, 1)
    with pytest.raises(VarcheckError, match=r"^G must be an integer"):
        varcheck.relu_quantizer(G, Fraction(1, 100))


@pytest.mark.parametrize("eps", [0, -1, Fraction(-1, 3), float("nan"), float("inf"), "abc"])
def test_eps_not_positive(eps):
    with pytest.raises(VarcheckError, match=r"^eps must be a finite number > 0"):
        varcheck.grid_size(eps, 1, 1, 1)


@pytest.mark.parametrize("p", [0, Fraction(1, 2), -2, 0.999, "x", None])
def test_p_below_one(p):
    with pytest.raises(VarcheckError, match=r"^p must be a number ≥ 1 or inf"):
        varcheck.grid_size(Fraction(1, 10), 1, 1, 1, p=p)


def test_p_infinite_has_no_bad_set_budget():
    with pytest.raises(VarcheckError, match=r"^p must be finite"):
        varcheck.eta_from_budget(Fraction(1, 10), 1, 1, 1, 5, p="inf")


def test_target_whose_sampled_ratio_exceeds_its_constant():
    t = T.blur(seed=0, side=4)
    t.lipschitz = t.lipschitz / 2  # a wrong declaration
    with pytest.raises(VarcheckError, match=r"^target blur\(seed=0.* is not 1/2-Lipschitz .*beyond float rounding\.$"):
        T.check_lipschitz(t)


@pytest.mark.parametrize("shape", [(2, 4, 4), (2, 4, 4, 2), (4, 4, 1), (2, 16)])
def test_shapes_that_do_not_match_the_target(shape):
    t = T.blur(seed=0, side=4)
    with pytest.raises(VarcheckError, match=r"^x must have shape \(B, 4, 4, 1\) for target blur"):
        t(torch.zeros(shape, dtype=torch.float64))
    with pytest.raises(VarcheckError, match=r"^x must hold 16 entries"):
        t.exact([0] * 5)


def test_non_finite_input():
    with pytest.raises(VarcheckError, match=r"^x must hold finite numbers only"):
        T.tanh_map(seed=0)(torch.full((1, 4, 4, 1), float("nan")))


@pytest.mark.parametrize("call, message", [
    (lambda: varcheck.relu_quantizer(4, Fraction(1, 2)), r"^eta must satisfy 0 < eta ≤ δ = 1/4"),
    (lambda: varcheck.relu_quantizer(4, 0), r"^eta must satisfy"),
    (lambda: varcheck.scalar_value_map([0, 2, 1], [0, 0, 0]), r"^keys must be strictly increasing"),
    (lambda: varcheck.scalar_value_map([0, 1], [0]), r"^values must hold one value per key"),
    (lambda: varcheck.grid_value_map(2, [(Fraction(1, 3),)], [0]), r"^keys\[0\] = .* is not on the lattice"),
    (lambda: varcheck.FeedForward([[1]], [0], [[1], [1]], [0]), r"^W2 must have 1 rows"),
    (lambda: varcheck.FeedForward([[1, 2]], [0, 0], [[1, 1], [1, 1]], [0, 0]), r"^a residual layer needs d_out = d_in"),
    (lambda: varcheck.FeedForward([[1]], [0], [[1]], [0])(torch.zeros(3, 2)), r"^x must have shape \(\.\.\., 1\)"),
    (lambda: T.compose(T.blur(seed=0), T.blur(seed=0, norm=2)), r"^cannot compose .* the norms must chain"),
    (lambda: T.compose(T.blur(seed=0, side=3), T.blur(seed=0, side=4)), r"^cannot compose .* with .* \(input"),
    (lambda: T.blur(seed=-1), r"^seed must be an integer ≥ 0"),
    (lambda: T.relu_network(seed=0, norm=1), r"^norm must be one of ∞, 2"),
    (lambda: T.smooth_field(seed=0, pyramid="var9", d=2), r"^pyramid must be a Pyramid"),
    (lambda: T.target_from_name("nonsense(seed=1)"),
     r"^unknown target 'nonsense' in 'nonsense\(seed=1\)'; the targets are "),
    (lambda: T.target_from_name("blur"), r"^name must be factory\(key=value,...\)"),
    (lambda: T.cell_centres(torch.zeros(2), 0), r"^G must be an integer ≥ 1"),
    (lambda: T.check_lipschitz(object()), r"^target must be a varcheck Target"),
])
def test_other_bad_arguments(call, message):
    with pytest.raises(VarcheckError, match=message):
        call()
