"""FlowAR's corollary (docs/theory.md §6.3): T3, T3-robust, the down-sampling separation, the grids, and argument
validation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch

from tests.claim_checks import assert_claim_as_expected
from varcheck.errors import VarcheckError
from varcheck.exact import flowar as ef
from varcheck.runtime import flowar as rf

CASES = [
    pytest.param("flowar.euler-exact-recovery", marks=pytest.mark.claim("flowar.euler-exact-recovery")),
    pytest.param("flowar.euler-robust", marks=pytest.mark.claim("flowar.euler-robust")),
    pytest.param("flowar.downsampling-separation", marks=pytest.mark.claim("flowar.downsampling-separation")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


# --------------------------------------------------------------------------- grids


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_flowar_grids_are_the_documented_linspaces():
    exact = ef.flowar_grid_25()
    assert len(exact) == 25 and exact[0] == 1 and exact[11] == Fraction(3, 10) and exact[12] == Fraction(1, 4)
    assert exact[-1] == 0 and exact[-2] == Fraction(1, 48)
    # FlowAR's 50-step grid is linspace(1, 0, num_steps + 1): 51 points, 50 Euler steps, last non-zero time 1/50
    fifty = ef.flowar_grid_50()
    assert len(fifty) == 51 == ef.FLOWAR_UNIFORM_POINTS and fifty == ef.uniform_grid() == ef.flowar_grid(50)
    assert fifty[-2] == Fraction(1, 50) and {a - b for a, b in zip(fifty, fifty[1:])} == {Fraction(1, 50)}
    assert ef.gronwall_factor(fifty) == Fraction(1, 50)


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_runtime_grids_are_flowars_float64_linspaces_bit_for_bit():
    # FlowAR's euler_sampler (docs/var-facts.md §5): the grids are torch.linspace(..., dtype=torch.float64)
    fifty = torch.linspace(1, 0, 50 + 1, dtype=torch.float64)
    twenty_five = torch.cat([torch.linspace(1, 0.3, 25 // 2, dtype=torch.float64),
                             torch.linspace(0.25, 0, 25 // 2 + 1, dtype=torch.float64)])
    assert rf.FLOWAR_GRID_DTYPE == torch.float64
    for built, flowar in ((rf.flowar_grid_50(), fifty), (rf.flowar_grid(50), fifty), (rf.uniform_grid(), fifty),
                          (rf.flowar_grid_25(), twenty_five), (rf.flowar_grid(25), twenty_five)):
        assert built.dtype == torch.float64 and built.shape == flowar.shape and torch.equal(built, flowar)
    # the float32 construction is another grid: the test above tells them apart
    assert not torch.equal(torch.linspace(1, 0, 51, dtype=torch.float32).double(), fifty)
    assert not torch.equal(torch.linspace(1, 0, 50, dtype=torch.float64), fifty[:-1])
    # the other step counts follow FlowAR's split construction (n//2 + n//2 + 1 points); every float64 point lies
    # within a few float64 ulps of the decimal grid point it stands for (linspace rounds the step, i·step and the sum,
    # so not always to the nearest float: 27/55 of the 25-step grid is 1.05 ulp away)
    assert len(ef.flowar_grid(20)) == len(rf.flowar_grid(20)) == 21
    for steps in (20, 25, 50):
        for f, q in zip(rf.flowar_grid(steps).tolist(), ef.flowar_grid(steps)):
            ulp = Fraction(float(np.spacing(np.float64(float(q))))) if q else Fraction(0)
            assert abs(Fraction(f) - q) <= 4 * ulp
    # a run in float32 uses FlowAR's float64 grid rounded to float32
    assert torch.equal(rf.flowar_grid_50(torch.float32), fifty.float())


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_exact_euler_returns_the_target_for_any_noise():
    rng = np.random.default_rng(0)
    y = [Fraction(int(v), 7) for v in rng.integers(-20, 21, size=5)]
    for grid in (ef.flowar_grid_25(), ef.flowar_grid_50(), (Fraction(1), Fraction(2, 3), Fraction(0))):
        for scale in (1, 10**6):
            noise = [Fraction(int(v), 3) * scale for v in rng.integers(-50, 51, size=5)]
            assert ef.euler_trajectory(noise, y, grid)[-1] == tuple(y)


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_torch_sampler_matches_within_the_last_step_bound():
    target = torch.tensor([[0.25, -1.5, 3.0]], dtype=torch.float64)
    head = rf.FlowHead(lambda S: target)
    for dtype in (torch.float64, torch.float32):
        noise = torch.tensor([[1e3, -7.0, 0.1]], dtype=dtype)
        grid = rf.flowar_grid_25(dtype)
        states = rf.euler_sample(head, noise, None, grid, trajectory=True)
        y = head.target(None, noise)
        bound = rf.final_step_rounding_bound(states[-2], y, grid[-2])
        assert bool(((states[-1].double() - y.double()).abs() <= bound).all())


# --------------------------------------------------------------------------- T3-robust


@pytest.mark.claim("flowar.euler-robust")
def test_gronwall_factor_is_the_last_nonzero_time():
    for grid in (ef.flowar_grid_25(), ef.flowar_grid_50(), ef.uniform_grid(37)):
        assert ef.gronwall_factor(grid) == grid[-2]
        assert ef.robust_error_bound(grid, Fraction(1, 8)) == grid[-2] / 8
    stopped = ef.uniform_grid(11)[:-1] + (Fraction(1, 100),)
    g = ef.gronwall_factor(stopped)
    assert 0 < g <= stopped[0] - stopped[-1]
    assert ef.robust_error_bound(stopped, 0, noise_gap=2) == stopped[-1] / stopped[0] * 2


@pytest.mark.claim("flowar.euler-robust")
def test_aligned_head_error_attains_the_bound_exactly():
    grid, eps_v = ef.flowar_grid_25(), Fraction(1, 1024)
    y, noise = (Fraction(1), Fraction(-2)), (Fraction(5), Fraction(7))
    end = ef.euler_trajectory(noise, y, grid, errors=lambda k, x: (eps_v, -eps_v))[-1]
    assert (end[0] - y[0], end[1] - y[1]) == (-eps_v * grid[-2], eps_v * grid[-2])


# --------------------------------------------------------------------------- validation


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_bad_grids_and_inputs_raise_varcheck_errors():
    with pytest.raises(VarcheckError, match="strictly decreasing"):
        ef.validate_grid([1, Fraction(1, 2), Fraction(1, 2), 0])
    with pytest.raises(VarcheckError, match="end at t = 0"):
        ef.validate_grid([1, Fraction(1, 2), Fraction(1, 1000)])
    with pytest.raises(VarcheckError, match="positive before the last point"):
        ef.validate_grid([1, 0, -1])
    with pytest.raises(VarcheckError, match="strictly decreasing"):
        ef.validate_grid([0, 1, 0])
    with pytest.raises(VarcheckError, match="finite"):
        ef.validate_grid([1.0, float("nan"), 0.0])
    with pytest.raises(VarcheckError, match="finite"):
        ef.validate_grid([float("inf"), 0.5, 0.0])
    with pytest.raises(VarcheckError, match="at least two"):
        ef.validate_grid([0])
    with pytest.raises(VarcheckError, match="eps_v must be ≥ 0"):
        ef.robust_error_bound(ef.flowar_grid_25(), Fraction(-1, 10))
    with pytest.raises(VarcheckError, match="eps_v must be finite"):
        ef.robust_error_bound(ef.flowar_grid_25(), float("inf"))
    with pytest.raises(VarcheckError, match="same length"):
        ef.euler_trajectory([1, 2], [1], ef.flowar_grid_25())
    with pytest.raises(VarcheckError, match="t must be positive"):
        ef.final_step_rounding_coefficients(0, Fraction(1, 2**53), 0)
    with pytest.raises(VarcheckError, match="mode"):
        ef.discretised_time(Fraction(1, 3), 1000, "ceil")
    head = rf.FlowHead(lambda S: torch.zeros(1, 2, dtype=torch.float64))
    with pytest.raises(VarcheckError, match="end at t = 0"):
        rf.euler_sample(
            head, torch.zeros(1, 2, dtype=torch.float64), None, torch.tensor([1.0, 0.5, 0.001], dtype=torch.float64)
        )
    with pytest.raises(VarcheckError, match="positive before the last point"):
        rf.check_grid(torch.tensor([1.0, 0.0, -1.0]))
    with pytest.raises(VarcheckError, match="noise must hold finite"):
        rf.euler_sample(head, torch.tensor([[float("nan"), 0.0]], dtype=torch.float64), None, rf.flowar_grid_25())
    with pytest.raises(VarcheckError, match="exactly representable"):
        rf.euler_sample(
            head, torch.zeros(1, 2, dtype=torch.float32), None, torch.tensor([1.0, 0.1, 0.0], dtype=torch.float64)
        )
    with pytest.raises(VarcheckError, match="shape of x"):
        rf.euler_sample(
            rf.FlowHead(lambda S: torch.zeros(3)), torch.zeros(1, 2, dtype=torch.float64), None, rf.flowar_grid_25()
        )
    with pytest.raises(VarcheckError, match="y_hat must be a callable"):
        rf.FlowHead(3)
    with pytest.raises(VarcheckError, match="dtype"):
        rf.flowar_grid_25(torch.float16)


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_time_discretisation_is_injective_on_flowar_grids_but_breaks_the_naive_head():
    for grid in (ef.flowar_grid_25(), ef.flowar_grid_50()):
        for mode in ("floor", "nearest"):
            taus = [ef.discretised_time(t, mode=mode) for t in grid[:-1]]
            assert len(set(taus)) == len(taus)
    # FlowAR's head sees ⌊1000t⌋/1000: 1/48 becomes 1/50 and the naive last step leaves 1 − t/τ = −1/24
    t_last = ef.flowar_grid_25()[-2]
    tau = ef.discretised_time(t_last)
    assert tau == Fraction(1, 50) and 1 - t_last / tau == Fraction(-1, 24)
    tau = ef.discretised_time(t_last, mode="nearest")
    assert tau == Fraction(21, 1000) and 1 - t_last / tau == Fraction(1, 126)


# --------------------------------------------------------------------------- T3-net's time MLP


@pytest.mark.claim("flowar.dense-network")
def test_time_mlp_on_flowars_float64_grids_has_exact_biases_and_meets_its_error_bound():
    from varcheck.exact.flow_head import time_scale_plan
    from varcheck.runtime.flowar_network import TimeScale

    for grid, hidden in ((rf.flowar_grid_25(), 46), (rf.flowar_grid_50(), 98)):
        plan = time_scale_plan([Fraction(v) for v in grid.tolist()])
        assert plan.hidden == hidden == 2 * (len(grid) - 2)
        gaps = [a - b for a, b in zip(plan.times, plan.times[1:])]
        delta = min(min(a - mu, mu - b) for a, b, mu in zip(plan.times, plan.times[1:], plan.midpoints))
        assert delta >= min(gaps) * Fraction(7, 16) and plan.slope * delta >= 1 > plan.slope * delta / 2
        for mu in plan.midpoints:  # the first layer's biases are float64 numbers: one rounding per pre-activation
            assert Fraction(float(plan.slope * mu + 1)) == plan.slope * mu + 1
            assert Fraction(float(plan.slope * mu)) == plan.slope * mu
        net = TimeScale(plan)
        with torch.no_grad():
            r = net(grid[:-1].clone())
        for t, value, rho in zip(plan.times, r.tolist(), plan.relative_errors()):
            assert abs(Fraction(value) - 1 / t) * t <= rho
