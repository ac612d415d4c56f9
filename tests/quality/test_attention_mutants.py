"""Quality tests: mutated contextual-mapping constructions must be caught (temperature halved, W_O scale doubled,
zero left out of the projection set, mask dropped); the mutants live beside the claims they attack, in
varcheck.claims.attention.contextual_mapping."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.quality import assert_killed
from varcheck.exact.contextual_mapping import contextual_mapping
from varcheck.exact.token_family import GridVocabulary


@pytest.mark.claim("attn.contextual-mapping-tight")
def test_halved_temperature_is_caught():
    result = assert_killed("attn.tight-temperature-halved")
    assert "temperature too low" in result.checks[0].detail
    # the same mutation applied by hand to one instance
    cm = contextual_mapping(GridVocabulary(2, 2, 1), construction="tight")
    assert cm.certify(method="difference").certified
    cert = replace(cm, c=cm.c / 2, _readouts={}).certify(method="difference")
    assert not cert.certified and "temperature too low" in cert.detail


@pytest.mark.claim("attn.contextual-mapping")
def test_halved_paper_temperature_is_caught():
    assert_killed("attn.paper-temperature-halved")


@pytest.mark.claim("attn.contextual-mapping-tight")
def test_doubled_output_scale_is_caught():
    assert_killed("attn.tight-output-scale-doubled")


@pytest.mark.claim("attn.contextual-mapping")
def test_doubled_paper_output_scale_is_caught():
    assert_killed("attn.paper-output-scale-doubled")


@pytest.mark.claim("attn.contextual-mapping")
def test_zero_left_out_of_projection_set_is_caught():
    # tokens (1, 0) and (1, t): without 0 in the set, a v close to ±e2 separates the tokens but maps them near 0
    result = assert_killed("attn.zero-left-out-of-projection")
    assert "projection lemma fails on V ∪ {0} (False)" in result.checks[0].detail


@pytest.mark.claim("attn.masked-contextual-mapping")
def test_dropped_mask_is_caught():
    assert_killed("attn.mask-dropped")


@pytest.mark.claim("attn.tight-gamma-estimate")
def test_eightfold_temperature_breaks_the_lower_bound_and_is_caught():
    result = assert_killed("attn.tight-temperature-times-eight")
    assert "not even a lower bound" in result.checks[0].detail, result.checks[0].detail
