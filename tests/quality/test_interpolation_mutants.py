"""Quality tests: mutated interpolation constructions must be caught by the claims' evidence.

Each mutant (declared in varcheck.claims.interpolation) patches the exact operator the evidence builds on; a check that
still passes would be a check that cannot fail. (Hypothesis habit: prove that the tests find hard bugs.)
"""

from __future__ import annotations

import pytest

from tests.quality import assert_killed
from varcheck.claims.interpolation import kernel, operators
from varcheck.exact import interpolation as exact
from varcheck.theory.registry import Context


@pytest.mark.claim("interp.partition-of-unity")
@pytest.mark.claim("interp.torch-parity")
def test_dropped_tap_breaks_partition_of_unity_and_parity():
    result = assert_killed("interp.dropped-bicubic-tap")
    assert [c.verdict for c in result.checks] == ["refuted", "failed"]


@pytest.mark.claim("interp.torch-parity")
@pytest.mark.parametrize("mutant", ["interp.floor-nearest", "interp.align-corners-ignored"])
def test_torch_parity_catches_mutants(mutant):
    assert_killed(mutant)


@pytest.mark.claim("interp.inf-norm")
@pytest.mark.claim("interp.torch-parity")
def test_wrong_kernel_parameter_changes_inf_norm_bound():
    # with a = −1/2 passed off as −3/4, no row reaches 11/8: the maximum reported must change
    result = assert_killed("interp.kernel-a-half")
    assert result.checks[1].detail and result.checks[1].verdict == "passed"


@pytest.mark.claim("interp.integer-offset-is-nearest")
def test_paper_form_with_a_non_interpolating_kernel_is_not_nearest():
    assert_killed("interp.paper-form-smeared")


@pytest.mark.claim("interp.partition-of-unity")
def test_mutant_is_undone_afterwards():
    before = exact.interpolation_taps
    assert_killed("interp.dropped-bicubic-tap")
    assert exact.interpolation_taps is before
    assert operators.interpolation_taps is before and kernel.interpolation_taps is before
    assert operators.exact_row_sums(Context()).verdict == "passed"
