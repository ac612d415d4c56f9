"""Quality tests: mutated partition constructions must be caught by the claims' evidence (P1–P5).

Each mutant (declared in varcheck.claims.partition) patches one construction the evidence builds on — the ramp width η
too large, the grid one coarser, a dropped quantizer term, a value-map key off by one, a target declaring
too small a constant — and the evidence that guards it must stop passing.
"""

from __future__ import annotations

import pytest

from tests.quality import assert_killed


@pytest.mark.claim("partition.bad-set-accounting")
@pytest.mark.parametrize("mutant", ["partition.eta-doubled", "partition.eta-times-ten"])
def test_eta_too_large_is_caught(mutant):
    assert_killed(mutant)


@pytest.mark.claim("partition.lipschitz-grid")
def test_grid_one_coarser_is_caught():
    assert_killed("partition.grid-one-coarser")


@pytest.mark.claim("partition.relu-quantizer")
@pytest.mark.parametrize("mutant", ["partition.quantizer-last-level-dropped", "partition.quantizer-first-ramp-dropped"])
def test_dropped_quantizer_term_is_caught(mutant):
    assert_killed(mutant)


@pytest.mark.claim("partition.value-mapping")
def test_value_map_key_off_by_one_is_caught():
    assert_killed("partition.value-key-off-by-one")


@pytest.mark.claim("partition.lipschitz-grid")
def test_understated_target_constant_is_caught():
    assert_killed("partition.target-constant-halved")


@pytest.mark.claim("partition.lipschitz-blowup")
def test_quantizer_with_overlapping_ramps_changes_the_slope():
    # a ramp twice as steep as constructed (η halved in the weights only) must show up as a wrong Lipschitz constant
    assert_killed("partition.ramp-twice-as-steep")
