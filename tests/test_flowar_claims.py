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
    # the runtime grids are FlowAR's float32 linspaces: each point within one float32 ulp of the exact decimal point
    for floats, points in (
        (rf.flowar_grid_25(grid_dtype=torch.float32), exact),
        (rf.uniform_grid(50), ef.uniform_grid(50)),
    ):
        for f, q in zip(floats.tolist(), points):
            ulp = Fraction(float(np.spacing(np.float32(float(q))))) if q else Fraction(0)
            assert abs(Fraction(f) - q) <= ulp
    assert len(ef.uniform_grid()) == ef.FLOWAR_UNIFORM_POINTS == len(rf.uniform_grid())


@pytest.mark.claim("flowar.euler-exact-recovery")
def test_exact_euler_returns_the_target_for_any_noise():
    rng = np.random.default_rng(0)
    y = [Fraction(int(v), 7) for v in rng.integers(-20, 21, size=5)]
    for grid in (ef.flowar_grid_25(), ef.uniform_grid(50), (Fraction(1), Fraction(2, 3), Fraction(0))):
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
    for grid in (ef.flowar_grid_25(), ef.uniform_grid(50), ef.uniform_grid(51)):
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
    for grid in (ef.flowar_grid_25(), ef.uniform_grid(50)):
        taus = [ef.discretised_time(t) for t in grid[:-1]]
        assert len(set(taus)) == len(taus)
    t_last = ef.flowar_grid_25()[-2]
    tau = ef.discretised_time(t_last)
    assert tau == Fraction(21, 1000) and 1 - t_last / tau == Fraction(1, 126)
