"""Quality tests: mutated dense networks (cell margins, position select, uniform attention, codes, the per-format
ledger, FlowAR's time MLP) must be caught by their claims' evidence (varcheck.claims.universality,
varcheck.claims.flowar.network)."""

from __future__ import annotations

import pytest

from tests.quality import assert_killed


@pytest.mark.claim("ua.word-to-image")
@pytest.mark.parametrize("mutant", ["ua.dense-cell-bias-off-by-two", "ua.dense-select-gate-too-small"])
def test_word_to_image_network_mutant_is_killed(mutant):
    assert_killed(mutant)


@pytest.mark.claim("ua.image-to-image-float64")
@pytest.mark.parametrize("mutant", ["ua.dense-attention-not-uniform", "ua.dense-code-weight-collides"])
def test_uniform_attention_network_mutant_is_killed(mutant):
    assert_killed(mutant)


@pytest.mark.claim("ua.precision-frontier")
def test_a_format_booked_with_the_wrong_roundoff_is_caught():
    assert_killed("ua.dense-float32-booked-as-bfloat16")


@pytest.mark.claim("flowar.dense-network")
def test_a_time_mlp_off_at_a_grid_time_is_caught():
    assert_killed("flowar.dense-time-mlp-off-at-a-knot")
