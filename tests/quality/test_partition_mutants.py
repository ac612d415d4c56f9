"""Quality tests: mutated partition constructions must be caught by the claims' evidence (P1–P5).

Each mutant patches one construction the evidence builds on — the ramp width η too large, the grid one
coarser, a dropped quantizer term, a value-map key off by one, a target declaring too small a constant —
and the evidence that guards it must stop passing. A check that still passes would be a check that
cannot fail.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from varcheck.check import partition as evidence
from varcheck.exact import quantizer, value_mapping
from varcheck.runtime import targets
from varcheck.spec import partition as spec
from varcheck.spec.registry import Context

ORIGINAL_ETA = spec.eta_from_budget
ORIGINAL_GRID = spec.grid_size
ORIGINAL_Q_WEIGHTS = quantizer.ReluQuantizer.weights
ORIGINAL_V_WEIGHTS = value_mapping.ScalarValueMap.weights
FAILING = ("refuted", "failed", "undecided")


@pytest.mark.claim("partition.bad-set-accounting")
@pytest.mark.parametrize("factor", [2, 10])
def test_eta_too_large_is_caught(monkeypatch, factor):
    monkeypatch.setattr(spec, "eta_from_budget", lambda *a, **k: ORIGINAL_ETA(*a, **k) * factor)
    assert evidence.symbolic_eta(Context()).verdict in FAILING
    assert evidence.exact_bad_set_accounting(Context()).verdict in FAILING


@pytest.mark.claim("partition.lipschitz-grid")
def test_grid_one_coarser_is_caught(monkeypatch):
    monkeypatch.setattr(spec, "grid_size", lambda *a, **k: max(1, ORIGINAL_GRID(*a, **k) - 1))
    assert evidence.symbolic_grid_size(Context()).verdict in FAILING


@pytest.mark.claim("partition.relu-quantizer")
@pytest.mark.parametrize("dropped", ["last level", "first ramp half"])
def test_dropped_quantizer_term_is_caught(monkeypatch, dropped):
    def weights(self, d=1, *, residual=False):
        w1, b1, w2, b2 = ORIGINAL_Q_WEIGHTS(self, d, residual=residual)
        if self.G < 2:
            return w1, b1, w2, b2
        # zero the read-out of one hidden unit of entry 0: the last level's pair, or the +δ half of level 1
        units = (2 * (self.G - 1) - 2, 2 * (self.G - 1) - 1) if dropped == "last level" else (0,)
        for j in units:
            w2[j] = [Fraction(0)] * len(w2[j])
        return w1, b1, w2, b2

    monkeypatch.setattr(quantizer.ReluQuantizer, "weights", weights)
    assert evidence.exact_quantizer_breakpoints(Context()).verdict in FAILING
    assert evidence.torch_quantizer(Context()).verdict in FAILING


@pytest.mark.claim("partition.value-mapping")
def test_value_map_key_off_by_one_is_caught(monkeypatch):
    def weights(self):
        w1, b1, w2, b2 = ORIGINAL_V_WEIGHTS(self)
        if len(b1) >= 2:
            b1 = list(b1)
            b1[1] = b1[0]  # the second unit reads the first key: key index off by one
        return w1, b1, w2, b2

    monkeypatch.setattr(value_mapping.ScalarValueMap, "weights", weights)
    assert evidence.exact_value_map_keys(Context()).verdict in FAILING
    assert evidence.exact_bad_set_accounting(Context()).verdict in FAILING


@pytest.mark.claim("partition.lipschitz-grid")
def test_understated_target_constant_is_caught(monkeypatch):
    original = targets.blur

    def halved(**kwargs):
        t = original(**kwargs)
        t.lipschitz = t.lipschitz / 2
        return t

    monkeypatch.setattr(targets, "blur", halved)
    assert evidence.targets_declared_constants(Context()).verdict in FAILING
    assert evidence.partition_error_property(Context()).verdict in FAILING
    assert evidence.torch_partition_error(Context()).verdict in FAILING


@pytest.mark.claim("partition.lipschitz-blowup")
def test_quantizer_with_overlapping_ramps_changes_the_slope(monkeypatch):
    # a ramp twice as steep as constructed (η halved in the weights only) must show up as a wrong Lipschitz constant
    def weights(self, d=1, *, residual=False):
        w1, b1, w2, b2 = ORIGINAL_Q_WEIGHTS(self, d, residual=residual)
        return [[2 * v for v in row] for row in w1], b1, w2, b2

    monkeypatch.setattr(quantizer.ReluQuantizer, "weights", weights)
    assert evidence.torch_blowup_slope(Context()).verdict in FAILING
