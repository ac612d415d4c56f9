"""Quality tests: mutated HOFAR constructions must be caught by the claims' evidence (H1, H1-robust, H2, H3).

Each mutant of varcheck.claims.hofar.MUTANTS patches one construction or constant — the trajectory terms without the
transport term, the torch head's acceleration taken as the partial time derivative, the Taylor coefficients without
1/j!, Lagrange's remainder halved, the inexact-head bound without the higher heads' errors — and the evidence that
guards it must stop passing. For the refuted H3 the opposite holds: with point-mass data at the witness the
counterexample must vanish, so the refutation is shown to hinge on the data's spread.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from varcheck.claims import hofar
from varcheck.claims.mutation import run_mutant


def assert_mutant_killed(mutant_id: str):
    mutant = next(m for m in hofar.MUTANTS if m.id == mutant_id)
    result = run_mutant(mutant)
    assert result.killed, result.explain()


@pytest.mark.claim("hofar.corollary")
@pytest.mark.parametrize("mutant", ["hofar.transport-term-dropped", "hofar.partial-time-derivative"])
def test_wrong_trajectory_terms_are_caught(mutant):
    assert_mutant_killed(mutant)


@pytest.mark.claim("hofar.taylor-rate")
@pytest.mark.parametrize("mutant", ["hofar.factorial-dropped", "hofar.remainder-halved"])
def test_broken_taylor_step_or_bound_is_caught(mutant):
    assert_mutant_killed(mutant)


@pytest.mark.claim("hofar.inexact-heads")
def test_ignored_higher_head_errors_are_caught():
    assert_mutant_killed("hofar.higher-errors-ignored")


@pytest.mark.claim("hofar.conditional-targets")
def test_counterexample_vanishes_for_point_mass_data():
    assert_mutant_killed("hofar.point-mass-witness")


def test_mutants_are_undone():
    from varcheck.exact import flowar as ef
    from varcheck.exact import hofar as eh

    for mutant in hofar.MUTANTS:
        run_mutant(mutant)
    assert hofar.conditional.WITNESS_SPREAD == Fraction(1, 2)
    assert eh.taylor_coefficients(Fraction(-1, 2), 2) == (Fraction(-1, 2), Fraction(1, 8))
    assert eh.derivative_numerators(0, 3)[2:] == ((0,), (0,))
    assert eh.inexact_head_bound(ef.flowar_grid_25(), (1, 1)) == Fraction(97, 4608)
    assert eh.remainder_weight(Fraction(-1, 2), 1) == Fraction(1, 8)
