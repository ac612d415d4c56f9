"""Quality tests: mutated composition and FlowAR constructions must be caught by the claims' evidence (C1–C4, T3).

Each mutant (``MUTANTS`` of varcheck.claims.composition and varcheck.claims.flowar) patches one construction or
constant — a Lipschitz constant understated, the K-layer product including the layer's own constant, the
push-forward density underestimated, FlowAR's grid stopped at t = 1/1000, the head's shift without 1/t, the
robust factor halved, an input pixel dropped from the next-scale map — and the evidence that guards it must
stop passing. For the refuted claim C3 the opposite holds: moving the tents off the quantizer's values, or
replacing the quantizer by the identity (a push-forward with density 1), must make the counterexample vanish,
so the refutation is shown to hinge on the atoms of the inner map and not on an artefact of the integrator.
"""

from __future__ import annotations

import pytest

from varcheck.claims import composition, flowar
from varcheck.claims.mutation import run_mutant


def assert_mutant_killed(mutant_id: str):
    """Run one of this family's mutants (whether or not varcheck.claims.mutation lists the module yet)."""
    mutant = next(m for m in composition.MUTANTS + flowar.MUTANTS if m.id == mutant_id)
    result = run_mutant(mutant)
    assert result.killed, result.explain()


@pytest.mark.claim("compose.sup-two-layer")
def test_understated_lipschitz_constant_is_caught():
    assert_mutant_killed("compose.lipschitz-halved")


@pytest.mark.claim("compose.sup-k-layers")
def test_own_constant_in_the_product_is_caught():
    assert_mutant_killed("compose.own-lipschitz-in-product")


@pytest.mark.claim("compose.lp-density")
def test_underestimated_density_bound_is_caught():
    assert_mutant_killed("compose.density-underestimated")


@pytest.mark.claim("compose.naive-lp")
@pytest.mark.parametrize("mutant", ["compose.bumps-between-grid-values", "compose.identity-inner"])
def test_counterexample_vanishes_without_atoms_under_the_bumps(mutant):
    assert_mutant_killed(mutant)


@pytest.mark.claim("flowar.euler-exact-recovery")
@pytest.mark.parametrize("mutant", ["flowar.grid-stops-early", "flowar.shift-without-time"])
def test_broken_sampler_is_caught(mutant):
    assert_mutant_killed(mutant)


@pytest.mark.claim("flowar.euler-robust")
def test_halved_robust_factor_is_caught():
    assert_mutant_killed("flowar.gronwall-halved")


@pytest.mark.claim("flowar.downsampling-separation")
def test_dropped_input_pixel_is_caught():
    assert_mutant_killed("flowar.dropped-input-pixel")


def test_mutants_are_undone():
    from fractions import Fraction

    from varcheck.exact import composition as ec
    from varcheck.exact import flowar as ef

    for mutant in composition.MUTANTS + flowar.MUTANTS:
        run_mutant(mutant)
    assert ef.flowar_grid_25()[-1] == 0 and ef.gronwall_factor(ef.flowar_grid_25()) == Fraction(1, 48)
    assert not ec.naive_lp_instance(4, Fraction(1, 80), 1, 1).naive_bound_holds
