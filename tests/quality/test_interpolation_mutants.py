"""Quality tests: mutated interpolation constructions must be caught by the claims' evidence.

Each mutant patches the exact operator the evidence builds on; a check that still passes would be a
check that cannot fail. (Hypothesis habit: prove that the tests find hard bugs.)
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from varcheck.check import interpolation as evidence
from varcheck.exact import interpolation as exact
from varcheck.spec.registry import Context

ORIGINAL_TAPS = exact.interpolation_taps.__wrapped__


def _patched(monkeypatch, mutate):
    def taps(h, hp, mode, align_corners=False, a=exact.TORCH_A):
        return mutate(ORIGINAL_TAPS(h, hp, mode, align_corners, a), h, hp, mode, align_corners, a)

    for module in (exact, evidence):
        monkeypatch.setattr(module, "interpolation_taps", taps)


def drop_last_bicubic_tap(rows, h, hp, mode, ac, a):
    if mode != "bicubic":
        return rows
    return tuple(row[:-1] if len(row) == 4 else row for row in rows)


def floor_nearest(rows, h, hp, mode, ac, a):
    if mode != "nearest":
        return rows
    return tuple(((exact.floor_nearest_index(i, h, hp), Fraction(1)),) for i in range(hp))


def wrong_kernel_parameter(rows, h, hp, mode, ac, a):
    if mode != "bicubic":
        return rows
    return ORIGINAL_TAPS(h, hp, mode, ac, Fraction(-1, 2))


def align_corners_ignored(rows, h, hp, mode, ac, a):
    if mode != "bilinear" or not ac:
        return rows
    return ORIGINAL_TAPS(h, hp, mode, False, a)


@pytest.mark.claim("interp.partition-of-unity")
def test_dropped_tap_breaks_partition_of_unity(monkeypatch):
    _patched(monkeypatch, drop_last_bicubic_tap)
    assert evidence.exact_row_sums(Context()).verdict == "refuted"


@pytest.mark.claim("interp.torch-parity")
@pytest.mark.parametrize("mutant", [drop_last_bicubic_tap, floor_nearest, wrong_kernel_parameter, align_corners_ignored])
def test_torch_parity_catches_mutants(monkeypatch, mutant):
    _patched(monkeypatch, mutant)
    if mutant is floor_nearest:
        # the float32 index differs from the floor only from size 14 on: the full profile reaches it
        ctx = Context("full")
    else:
        ctx = Context()
    assert evidence.parity_exhaustive_1d(ctx).verdict == "failed"


@pytest.mark.claim("interp.inf-norm")
def test_wrong_kernel_parameter_changes_inf_norm_bound(monkeypatch):
    # with a = −1/2 passed off as −3/4, no row reaches 11/8: the maximum reported must change
    _patched(monkeypatch, wrong_kernel_parameter)
    result = evidence.exact_inf_norms(Context())
    assert result.observed != "11/8"


@pytest.mark.claim("interp.integer-offset-is-nearest")
def test_paper_form_with_a_non_interpolating_kernel_is_not_nearest(monkeypatch):
    def smeared(rows, h, hp, mode, ac, a):
        if mode != "paper":
            return rows
        return ORIGINAL_TAPS(h, hp, "bilinear", False, exact.TORCH_A)

    _patched(monkeypatch, smeared)
    assert evidence.exact_paper_is_floor_nearest(Context()).verdict == "refuted"
