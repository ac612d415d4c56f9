"""The HOFAR corollary (docs/hofar.md, docs/theory.md §6.4): H1, H1-robust, H2, H3, the exact sampler, the torch
head and sampler, the certified bounds, and argument validation."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import torch

from tests.claim_checks import assert_claim_as_expected
from varcheck.errors import VarcheckError
from varcheck.exact import flowar as ef
from varcheck.exact import hofar as eh
from varcheck.runtime import flowar as rf
from varcheck.runtime import hofar as rh

CASES = [
    pytest.param("hofar.corollary", marks=pytest.mark.claim("hofar.corollary")),
    pytest.param("hofar.inexact-heads", marks=pytest.mark.claim("hofar.inexact-heads")),
    pytest.param("hofar.taylor-rate", marks=pytest.mark.claim("hofar.taylor-rate")),
    pytest.param("hofar.conditional-targets", marks=pytest.mark.claim("hofar.conditional-targets")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


# --------------------------------------------------------------------------- H1: the straight path


@pytest.mark.claim("hofar.corollary")
def test_point_mass_numerators_vanish_beyond_the_velocity():
    N = eh.derivative_numerators(0, 6)
    assert N[0] == (1,) and N[1] == (0, 1)  # q = t², N_1 = q'/2 = t
    assert all(n == (0,) for n in N[2:])
    for t in (Fraction(1), Fraction(1, 48), Fraction(7, 110)):
        assert eh.trajectory_coefficient(0, 1, t) == 1 / t
        assert eh.step_factor(0, t, t / 2, 4) == Fraction(1, 2)


@pytest.mark.claim("hofar.corollary")
def test_exact_hofar_equals_euler_and_lands_on_the_target():
    y, noise = (Fraction(1, 3), Fraction(-2)), (Fraction(10**6), Fraction(-7, 3))
    for grid in (ef.flowar_grid_25(), ef.flowar_grid_50(), (Fraction(1), Fraction(2, 3), Fraction(0))):
        euler = ef.euler_trajectory(noise, y, grid)
        for k in (1, 2, 3, 4):
            assert eh.hofar_trajectory(noise, y, grid, k) == euler
        assert euler[-1] == y


@pytest.mark.claim("hofar.corollary")
def test_torch_hofar_head_of_spread_zero_is_flowars_sampler_bit_for_bit():
    target = torch.tensor([[0.25, -1.5, 3.0]], dtype=torch.float64)
    for dtype in (torch.float64, torch.float32):
        noise = torch.tensor([[1e3, -7.0, 0.1]], dtype=dtype)
        for grid in (rf.flowar_grid_25(dtype), rf.flowar_grid_50(dtype)):
            euler = rf.euler_sample(rf.FlowHead(lambda S: target), noise, None, grid, trajectory=True)
            for k in (1, 2, 3, 4):
                head = rh.HOFARHead(lambda S: target, k)
                terms = head(noise, grid[3], None)
                assert len(terms) == k and all(bool((d == 0).all()) for d in terms[1:])
                states = rh.hofar_sample(head, noise, None, grid, trajectory=True)
                assert all(torch.equal(a, b) for a, b in zip(states, euler))


# --------------------------------------------------------------------------- H1-robust


@pytest.mark.claim("hofar.inexact-heads")
def test_inexact_head_factor_on_flowars_grids():
    g25 = ef.flowar_grid_25()
    assert eh.inexact_head_bound(g25, (1,)) == ef.gronwall_factor(g25) == Fraction(1, 48)
    assert eh.inexact_head_bound(g25, (1, 1)) == Fraction(97, 4608)
    assert eh.inexact_head_bound(g25, (1, 1, 1)) == Fraction(13969, 663552)
    g50 = ef.flowar_grid_50()
    assert eh.inexact_head_bound(g50, (0, Fraction(1, 2))) == Fraction(1, 2) * Fraction(1, 50) ** 2 / 2
    assert [eh.inexact_head_bound(g50, (1,) * k) for k in (1, 2, 3)] == [Fraction(1, 50), Fraction(101, 5000),
                                                                          Fraction(15151, 750000)]
    stopped = ef.uniform_grid(11)[:-1] + (Fraction(1, 100),)
    assert eh.inexact_head_bound(stopped, (0,), noise_gap=3) == stopped[-1] * 3


@pytest.mark.claim("hofar.inexact-heads")
def test_aligned_higher_head_errors_attain_the_bound():
    grid, eps = ef.flowar_grid_25(), (Fraction(1, 1024), Fraction(1, 8), Fraction(2))
    y, noise = (Fraction(1), Fraction(-2)), (Fraction(5), Fraction(7))
    errors = [(e * (-1) ** (j + 1), -e * (-1) ** (j + 1)) for j, e in enumerate(eps)]
    end = eh.hofar_trajectory(noise, y, grid, 3, errors=lambda n, x: errors)[-1]
    bound = eh.inexact_head_bound(grid, eps)
    assert (end[0] - y[0], end[1] - y[1]) == (bound, -bound)
    assert bound > eps[0] * grid[-2]  # the higher heads add to FlowAR's ε_1·t_(K−1)


# --------------------------------------------------------------------------- H2: curved trajectories


@pytest.mark.claim("hofar.taylor-rate")
def test_spread_numerators_and_curvature():
    s = Fraction(1, 2)
    q = eh.spread_polynomial(s)
    assert q == (Fraction(1, 4), Fraction(-1, 2), Fraction(5, 4))
    N = eh.derivative_numerators(s, 3)
    assert N[1] == (Fraction(-1, 4), Fraction(5, 4))  # q'/2
    assert N[2] == (Fraction(1, 4),)  # N_2 = s²: σ'' = s²/σ³
    # A_1 = σ'/σ: the marginal velocity's slope, = −1 at t = 0 for every s > 0 (no 1/t singularity)
    assert eh.trajectory_coefficient(s, 1, 0) == -1 and eh.trajectory_coefficient(s, 1, 1) == 1


@pytest.mark.claim("hofar.taylor-rate")
def test_error_identity_matches_the_trajectory_and_higher_orders_help():
    s, y, noise = Fraction(1), (Fraction(1, 3),), (Fraction(-3, 2),)
    previous = None
    for k in (1, 2, 3):
        factor = eh.global_error_factor(s, ef.flowar_grid_25(), k)
        end = eh.hofar_trajectory(noise, y, ef.flowar_grid_25(), k, spread=s)[-1]
        assert end[0] - eh.flow_endpoint(noise, y, s)[0] == noise[0] * factor
        assert previous is None or abs(factor) < abs(previous)
        previous = factor


@pytest.mark.claim("hofar.taylor-rate")
def test_certified_bounds_contain_the_exact_errors_and_the_rate_constant():
    for k in (1, 2, 3):
        for grid in (ef.flowar_grid_25(), ef.flowar_grid_50()):
            e = abs(eh.global_error_factor(Fraction(1, 2), grid, k))
            F = eh.upper_fraction(eh.certified_error_factor(Fraction(1, 2), grid, k))
            assert 0 < e <= F <= eh.upper_fraction(eh.certified_rate_bound(Fraction(1, 2), grid, k))
    # s = 1: σ'' = 1/q^{3/2} peaks at t = 1/2 with 2^{3/2}, so K_1 = √2·2^{3/2}/2 = 2 exactly; the certificate must
    # enclose it
    K1 = eh.upper_fraction(eh.certified_rate_constants(1, 1)["K"])
    assert 2 <= K1 <= Fraction(2) * Fraction(102, 100)
    assert eh.certified_error_factor(0, ef.flowar_grid_25(), 3) == 0


@pytest.mark.claim("hofar.taylor-rate")
def test_observed_order_on_uniform_refinements_rounds_to_k():
    for k in (1, 2, 3):
        e20, e40 = (abs(eh.global_error_factor(Fraction(1, 2), ef.uniform_grid(n + 1), k)) for n in (20, 40))
        assert k - 0.5 < math.log2(e20 / e40) < k + 0.5  # the observed order rounds to k


@pytest.mark.claim("hofar.taylor-rate")
def test_torch_gaussian_head_matches_the_exact_run_within_the_derived_rounding_bound():
    s, target = Fraction(1, 2), torch.tensor([[1 / 3, -0.2]], dtype=torch.float64)
    for dtype in (torch.float64, torch.float32):
        noise = torch.tensor([[1.0, -1.5]], dtype=dtype)
        grid = rf.flowar_grid_25(dtype)
        times = [Fraction(v) for v in grid.tolist()]
        for k in (1, 2, 3):
            head = rh.HOFARHead(lambda S: target, k, spread=s)
            states = rh.hofar_sample(head, noise, None, grid, trajectory=True)
            y = [Fraction(v) for v in head.target(None, noise).flatten().tolist()]
            exact = eh.hofar_trajectory([Fraction(v) for v in noise.flatten().tolist()], y, times, k, spread=s)[-1]
            bound = rh.propagated_rounding_bound(head, states, grid, None)
            out = [Fraction(v) for v in states[-1].flatten().tolist()]
            assert all(abs(o - e) <= b for o, e, b in zip(out, exact, bound))
            assert 0 < max(bound) < Fraction(1, 10**4 if dtype == torch.float32 else 10**12)  # the bound is not vacuous


# --------------------------------------------------------------------------- H3


@pytest.mark.claim("hofar.conditional-targets")
def test_marginal_acceleration_is_not_zero_but_the_conditional_one_is():
    from varcheck.claims.hofar.conditional import WITNESS_POINT, WITNESS_SPREAD

    mu, x, t = WITNESS_POINT
    terms = eh.head_terms((x,), (mu,), WITNESS_SPREAD, t, 2)
    assert terms[1] == (Fraction(64, 25),)
    assert eh.head_terms((x,), (mu,), 0, t, 2)[1] == (0,)


# --------------------------------------------------------------------------- validation


@pytest.mark.claim("hofar.corollary")
def test_bad_arguments_raise_varcheck_errors():
    with pytest.raises(VarcheckError, match="spread must be ≥ 0"):
        eh.spread_polynomial(-1)
    with pytest.raises(VarcheckError, match="order must be an integer ≥ 1"):
        eh.taylor_coefficients(Fraction(-1, 2), 0)
    with pytest.raises(VarcheckError, match="order must be an integer ≤"):
        eh.hofar_trajectory([1], [0], ef.flowar_grid_25(), eh.MAX_ORDER + 1)
    with pytest.raises(VarcheckError, match="t must be positive for the point-mass head"):
        eh.trajectory_coefficient(0, 1, 0)
    with pytest.raises(VarcheckError, match="start at t = 1"):
        eh.global_error_factor(Fraction(1, 2), (Fraction(1, 2), Fraction(0)), 1)
    with pytest.raises(VarcheckError, match="end at t = 0"):
        eh.hofar_trajectory([1], [0], (Fraction(1), Fraction(1, 2)), 2)
    with pytest.raises(VarcheckError, match="same length"):
        eh.hofar_trajectory([1, 2], [0], ef.flowar_grid_25(), 2)
    with pytest.raises(VarcheckError, match="one vector per order"):
        eh.hofar_step([1], [0], 0, 1, Fraction(1, 2), 2, errors=[(0,)])
    with pytest.raises(VarcheckError, match="eps must hold"):
        eh.inexact_head_bound(ef.flowar_grid_25(), ())
    with pytest.raises(VarcheckError, match="eps must hold"):
        eh.inexact_head_bound(ef.flowar_grid_25(), (Fraction(-1),))
    with pytest.raises(VarcheckError, match="one entry per order"):
        eh.step_rounding_bound([1], [1, 0], [(0,)], [1], [(0,)], Fraction(-1, 2), Fraction(1, 2**53), 0)
    with pytest.raises(VarcheckError, match="y_hat must be a callable"):
        rh.HOFARHead(3, 2)
    with pytest.raises(VarcheckError, match="order must be an integer ≥ 1"):
        rh.HOFARHead(lambda S: torch.zeros(1, 2, dtype=torch.float64), 0)
    head = rh.HOFARHead(lambda S: torch.zeros(1, 2, dtype=torch.float64), 2)
    with pytest.raises(VarcheckError, match="head must be a HOFARHead"):
        rh.hofar_sample(
            rf.FlowHead(lambda S: torch.zeros(1, 2)), torch.zeros(1, 2, dtype=torch.float64), None, rf.flowar_grid_25()
        )
    with pytest.raises(VarcheckError, match="noise must hold finite"):
        rh.hofar_sample(head, torch.tensor([[float("nan"), 0.0]], dtype=torch.float64), None, rf.flowar_grid_25())
    with pytest.raises(VarcheckError, match="noise.dtype"):
        rh.hofar_sample(head, torch.zeros(1, 2, dtype=torch.float16), None, rf.flowar_grid_25())
    with pytest.raises(VarcheckError, match="exactly representable"):
        rh.hofar_sample(
            head, torch.zeros(1, 2, dtype=torch.float32), None, torch.tensor([1.0, 0.1, 0.0], dtype=torch.float64)
        )
    with pytest.raises(VarcheckError, match="PerturbedHOFARHead needs"):
        rh.PerturbedHOFARHead(head, 3)


@pytest.mark.claim("hofar.taylor-rate")
def test_hofar_page_table_is_what_the_exact_and_certified_runs_give():
    from pathlib import Path

    from varcheck.claims.hofar.straight_path import decimal_up

    page = (Path(__file__).resolve().parents[1] / "docs" / "hofar.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith(("| 1 (FlowAR) |", "| 2 |", "| 3 |"))]
    assert len(rows) == 3
    for k, line in zip((1, 2, 3), rows):
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        want = []
        for grid in (ef.flowar_grid_25(), ef.flowar_grid_50()):
            want.append(f"{float(abs(eh.global_error_factor(Fraction(1, 2), grid, k))):.2e}")
            want.append(decimal_up(eh.upper_fraction(eh.certified_error_factor(Fraction(1, 2), grid, k)), 3))
        assert cells == want, (k, cells, want)
