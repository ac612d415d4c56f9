"""Quality tests: mutated contextual-mapping constructions must be caught (issue: temperature halved,
W_O scale doubled, zero left out of the projection set, mask dropped)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from varcheck.check import attention as evidence
from varcheck.errors import VarcheckError
from varcheck.exact import contextual_mapping as cm_module
from varcheck.exact import projection
from varcheck.exact.contextual_mapping import contextual_mapping
from varcheck.exact.token_family import GridVocabulary
from varcheck.spec.registry import Context


@pytest.mark.claim("attn.contextual-mapping-tight")
def test_halved_temperature_is_caught():
    cm = contextual_mapping(GridVocabulary(2, 2, 1), construction="tight")
    assert cm.certify(method="difference").certified
    halved = replace(cm, c=cm.c / 2, _readouts={})
    cert = halved.certify(method="difference")
    assert not cert.certified and "temperature too low" in cert.detail


@pytest.mark.claim("attn.contextual-mapping")
def test_halved_paper_temperature_is_caught(monkeypatch):
    original = cm_module._dyadic_at_least
    monkeypatch.setattr(cm_module, "_dyadic_at_least", lambda ball: original(ball) / 2)
    assert evidence.contextual_mapping_constructs(Context()).verdict == "failed"


@pytest.mark.claim("attn.contextual-mapping-tight")
def test_doubled_output_scale_is_caught():
    cm = contextual_mapping(GridVocabulary(3, 2, 1), construction="tight")
    doubled = replace(cm, s=2 * cm.s, _readouts={})
    assert not doubled.certify(method="difference").certified  # different tokens no longer kept apart


@pytest.mark.claim("attn.contextual-mapping")
def test_doubled_paper_output_scale_is_caught(monkeypatch):
    real = cm_module.ContextualMapping

    def build(*args, **kwargs):
        obj = real(*args, **kwargs)
        if obj.construction == "paper" and obj.c != 1:
            obj.s = 2 * obj.s
        return obj

    monkeypatch.setattr(cm_module, "ContextualMapping", build)
    assert evidence.contextual_mapping_constructs(Context()).verdict == "failed"


@pytest.mark.claim("attn.contextual-mapping")
def test_zero_left_out_of_projection_set_is_caught(monkeypatch):
    # tokens (1, 0) and (1, t): without 0 in the set, a v close to ±e2 separates the tokens but maps them near 0
    family = np.array([[[1.0, 0.0], [1.0, 0.3]], [[1.0, 0.3], [1.0, 0.0]]])
    original = projection.find_projection
    monkeypatch.setattr(cm_module, "find_projection", lambda points, seed=0: original(points[:-1], seed))
    caught = []
    for seed in range(200):
        cm = contextual_mapping(family, seed=seed) if _score_gap_ok(family, seed) else None
        if cm is None:
            caught.append(seed)  # the construction itself refuses (y_k = 0 or gaps too small)
            break
        full, _, _ = projection.projection_certificate(list(cm.family.vocabulary) + [(Fraction(0),) * 2], cm.v)
        if not full:
            monkeypatch.setattr(evidence, "quick_paper_instance", lambda ctx: family)
            assert evidence.contextual_mapping_constructs(Context(seed=seed)).verdict == "failed"
            caught.append(seed)
            break
    assert caught, "no seed in 0..199 made the mutant differ from the construction"


def _score_gap_ok(family, seed):
    try:
        contextual_mapping(family, seed=seed)
        return True
    except VarcheckError:
        return False


@pytest.mark.claim("attn.masked-contextual-mapping")
def test_dropped_mask_is_caught(monkeypatch):
    from varcheck.runtime import attention as runtime

    real = runtime.SelfAttention

    class Unmasked(real):
        def __init__(self, *args, mask=None, **kwargs):
            super().__init__(*args, mask=None, **kwargs)

    monkeypatch.setattr(runtime, "SelfAttention", Unmasked)
    assert evidence.masked_causality(Context()).verdict == "failed"
