"""The attention API: constructor validation, constants, ball vs torch layers."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch

from varcheck import Pyramid, VarcheckError
from varcheck.claims.attention.contextual_mapping import pooled_family
from varcheck.exact.ball_attention import ball_self_attention
from varcheck.exact.contextual_mapping import contextual_mapping
from varcheck.exact.floating_point import softmax_readout_error_bound
from varcheck.exact.token_family import GridVocabulary, dyadic_above_sqrt, dyadic_below_sqrt
from varcheck.runtime.attention import SelfAttention, boltzmann


def test_dyadic_bounds_are_strict_and_tight():
    for q in (Fraction(2), Fraction(1, 3), Fraction(9, 4)):
        lo, hi = dyadic_below_sqrt(q), dyadic_above_sqrt(q)
        assert lo * lo < q < hi * hi and hi - lo <= Fraction(2, 2**30)


@pytest.mark.parametrize("sequences, message", [
    (np.array([[[1.0, 0.0], [1.0, 0.0]]]), "repeats a token"),
    (np.array([[[0.0, 0.0], [1.0, 0.0]]]), "r_min ≤ 0"),
    (np.array([[[np.nan, 0.0], [1.0, 0.0]]]), "finite"),
    (np.array([[[1.0, 0.0]]]), "n ≥ 2"),
    (np.zeros((2, 2)), "shape"),
    (np.array([[["a", "b"], ["c", "d"]]]), "real array"),
])
def test_constructor_rejects_bad_families(sequences, message):
    with pytest.raises(VarcheckError, match=message):
        contextual_mapping(sequences)


def test_constructor_checks_declared_separation_constants():
    fam = pooled_family(0, 4, 3, 2, 2)
    with pytest.raises(VarcheckError, match="not tokenwise separated"):
        contextual_mapping(fam, r_min=0.9)
    with pytest.raises(VarcheckError, match="not tokenwise separated"):
        contextual_mapping(fam, eps_tok=10)
    with pytest.raises(VarcheckError, match="construction must be one of"):
        contextual_mapping(fam, construction="fast")
    with pytest.raises(VarcheckError, match="seed"):
        contextual_mapping(fam, seed=-1)


def test_grid_vocabulary_validation():
    with pytest.raises(VarcheckError, match="at most 4096"):
        GridVocabulary(4, 7, 1)
    with pytest.raises(VarcheckError, match="n must be"):
        GridVocabulary(2, 1, 1)
    assert len(GridVocabulary(2, 3, 1).sequences()) == 8
    assert len(GridVocabulary(2, 20, 1, sample=5).sequences()) == 5


def test_pyramid_length_must_match():
    with pytest.raises(VarcheckError, match="length L = 5"):
        contextual_mapping(GridVocabulary(2, 3, 1), construction="tight", pyramid=Pyramid([1, 2]))


def test_tight_grid_constants_are_the_explicit_integer_projection():
    cm = contextual_mapping(GridVocabulary(3, 2, 1), construction="tight")
    ys = sorted(sum(a * b for a, b in zip(cm.v, x)) for x in cm.family.vocabulary)
    M = 2 * 3
    assert ys == [Fraction(k) for k in range(M, 2 * M)]  # the integers M..2M−1
    assert cm.c == Fraction(5, M)  # q = 5 is the least integer above 2 ln 2 + 3 ≈ 4.386


def test_direct_and_difference_certificates_agree():
    cm = contextual_mapping(pooled_family(3, 5, 6, 3, 2), construction="tight")
    a, b = cm.certify(method="direct"), cm.certify(method="difference")
    assert a.certified and b.certified
    assert a.gamma_actual.overlaps(b.gamma_actual)


def test_ball_layer_contains_the_torch_layer():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (5, 3))
    ws = [rng.uniform(-1, 1, s) for s in ((3, 1), (3, 1), (3, 1), (1, 3))]
    mask = Pyramid([1, 2]).block_causal_mask()
    exact = [[Fraction(float(t)) for t in row] for row in x]
    balls = ball_self_attention(exact, *[[[Fraction(float(t)) for t in row] for row in w] for w in ws],
                                mask=mask.tolist(), precision=200)
    got = SelfAttention(*ws, mask=mask)(torch.from_numpy(x)).numpy()
    scores = np.abs(x @ ws[0]) * np.abs(x @ ws[1]).max()
    bound = softmax_readout_error_bound(float(scores.max()), 5, 3, float(np.abs(x @ ws[2]).max())) * np.abs(ws[3]).max()
    for i in range(5):
        for j in range(3):
            assert abs(got[i, j] - float(balls[i][j].mid())) <= bound + float(balls[i][j].rad()) + 2**-52 * abs(
                got[i, j]
            )


def test_self_attention_validation():
    w = np.ones((2, 1))
    with pytest.raises(VarcheckError, match="weight shapes"):
        SelfAttention(w, np.ones((3, 1)), w, np.ones((1, 2)))
    with pytest.raises(VarcheckError, match="finite"):
        SelfAttention(np.array([[np.inf], [0.0]]), w, w, np.ones((1, 2)))
    with pytest.raises(VarcheckError, match="every query"):
        SelfAttention(w, w, w, np.ones((1, 2)), mask=np.zeros((2, 2), dtype=bool))
    with pytest.raises(VarcheckError, match="dtype"):
        SelfAttention(w, w, w, np.ones((1, 2)), dtype="float16x")
    layer = SelfAttention(w, w, w, np.ones((1, 2)))
    with pytest.raises(VarcheckError, match="x must have shape"):
        layer(torch.zeros(3, 5, dtype=torch.float64))


def test_boltzmann_operator():
    a = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64)
    w = torch.exp(a) / torch.exp(a).sum()
    assert boltzmann(a).item() == pytest.approx((a * w).sum().item(), rel=0, abs=4 * 2**-52 * 2)


from hypothesis import given, settings  # noqa: E402

from varcheck import strategies as vst  # noqa: E402


@settings(max_examples=15, deadline=None)
@given(vst.tokenwise_separated_families())
def test_strategy_families_satisfy_the_hypotheses(family):
    cm = contextual_mapping(family, construction="tight")
    assert cm.r_min > 0 and cm.eps_tok > 0
    assert all(len(set(map(tuple, seq))) == len(seq) for seq in family.tolist())
    assert cm.certify(method="difference").certified
