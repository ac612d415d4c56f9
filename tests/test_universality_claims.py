"""The universality claims built so far (T2, F4, F9) come out as expected, and the builder validates its input."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import torch

from tests.claim_checks import assert_claim_as_expected
from varcheck import Pyramid, VarcheckError
from varcheck import targets as T
from varcheck.runtime.approximator import build_var_approximator

CASES = [
    pytest.param("ua.image-to-image", marks=pytest.mark.claim("ua.image-to-image")),
    pytest.param("ua.word-to-image", marks=pytest.mark.claim("ua.word-to-image")),
    pytest.param("ua.no-positional-codes", marks=pytest.mark.claim("ua.no-positional-codes")),
    pytest.param("ua.attention-not-needed", marks=pytest.mark.claim("ua.attention-not-needed")),
    pytest.param("ua.hidden-constants", marks=pytest.mark.claim("ua.hidden-constants")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


SMALL = Pyramid([1, 2, 3])


def small_target(seed=0, d=1):
    return T.smooth_field(seed=seed, pyramid=SMALL, d=d, channels=1)


@pytest.mark.claim("ua.word-to-image")
def test_small_instance_errors_stay_below_certificate():
    target = small_target()
    approx = build_var_approximator(target, SMALL, 0.02, setting="word_to_image")
    cert = approx.certificate()
    assert cert["certified"] and cert["lp_bound"] <= 0.02
    x = torch.linspace(0, 1, 501, dtype=torch.float64).reshape(-1, 1, 1)
    err = (approx.network(x) - target(x)).abs().amax(dim=(1, 2))
    assert float(err.max()) <= cert["bad_set_sup_bound"]
    # the per-entry L2 error over this grid of words is far below the certified L2 bound
    assert float((approx.network(x) - target(x)).pow(2).mean().sqrt()) <= cert["lp_bound"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(eps=0), "eps must be a finite number > 0"),
    (dict(eps=-1.0), "eps must be a finite number > 0"),
    (dict(eps=float("inf")), "eps must be a finite number > 0"),
    (dict(eps=0.01, monte_carlo=-1), "monte_carlo must be an integer ≥ 0"),
    (dict(eps=0.01, G=4), "G is chosen from eps"),
    (dict(eps=0.01, p=0.5), "p must be a number ≥ 1"),
    (dict(eps=0.01, setting="video"), "setting must be one of"),
    (dict(eps=0.01, attention="full"), "attention must be one of"),
])
def test_builder_rejects_bad_arguments(kwargs, message):
    kwargs.setdefault("setting", "word_to_image")
    with pytest.raises(VarcheckError, match=message):
        build_var_approximator(small_target(), SMALL, **kwargs)


def test_builder_rejects_mismatched_pyramid_and_too_large_instances():
    with pytest.raises(VarcheckError, match="must match"):
        build_var_approximator(small_target(), Pyramid([1, 2]), 0.01, setting="word_to_image")
    with pytest.raises(VarcheckError, match="raise eps or lower d"):
        build_var_approximator(
            T.smooth_field(seed=0, pyramid=SMALL, d=3, channels=1), SMALL, 1e-5, setting="word_to_image"
        )


def test_builder_rejects_a_target_whose_constant_is_understated():
    target = small_target()
    target.lipschitz = target.lipschitz / 100
    with pytest.raises(VarcheckError):
        build_var_approximator(target, SMALL, 0.05, setting="word_to_image")


def test_p_infinity_has_no_bad_set_budget():
    with pytest.raises(VarcheckError, match="p must be finite"):
        build_var_approximator(small_target(), SMALL, 0.05, p=math.inf, setting="word_to_image")


@pytest.mark.claim("ua.image-to-image")
def test_image_to_image_validation_and_paper_budget():
    i2i = T.compose([T.resize(seed=0, mode="bicubic", src=(2, 2), dst=(4, 4)), T.clip_map(seed=0, shape=(4, 4, 1))])
    with pytest.raises(VarcheckError, match="bits"):
        build_var_approximator(i2i, Pyramid([2, 4]), 1 / 3, setting="image_to_image", construction="paper", G=4)
    with pytest.raises(VarcheckError, match="first scale"):
        build_var_approximator(i2i, Pyramid([3, 4]), 1 / 3, setting="image_to_image", construction="tight", G=4)
    with pytest.raises(VarcheckError, match="partition term"):
        build_var_approximator(i2i, Pyramid([2, 4]), 0.1, setting="image_to_image", construction="tight", G=2)


@pytest.mark.claim("ua.image-to-image")
def test_image_to_image_is_exact_at_cell_centres():
    from fractions import Fraction

    from varcheck.runtime.instances import t1_ball, t1_target

    net = t1_ball(True)
    for g in ((0, 1, 2, 3), (3, 3, 0, 1)):
        r = [Fraction(2 * x + 1, 2 * net.G) for x in g]
        out = net.forward(r)
        from varcheck.exact.ball_attention import arb_of

        assert all(o.contains(arb_of(v)) for o, v in zip(out, t1_target().exact(r)))
        assert max(abs(float(o.mid()) - float(v)) for o, v in zip(out, t1_target().exact(r))) == 0.0


@pytest.mark.claim("ua.word-to-image")
def test_builder_refuses_an_instance_it_cannot_certify_and_names_the_binding_term():
    pyr = Pyramid([1, 2, 4])
    target = T.smooth_field(seed=0, pyramid=pyr, d=2, channels=2)
    # the exact quantizer keeps the rounding at ≈ 1e-14 however thin the ramps: 0.005 certifies (one-layer ramps
    # ReLU(z+1) − ReLU(z) could not go below ≈ 0.005 here)
    assert build_var_approximator(target, pyr, 0.005, setting="word_to_image", monte_carlo=0).certificate()["certified"]
    with pytest.raises(VarcheckError, match="dense network would hold"):
        build_var_approximator(target, pyr, 0.001, setting="word_to_image", monte_carlo=0)


@pytest.mark.claim("ua.word-to-image")
def test_a_certificate_that_does_not_close_names_its_binding_term_and_the_smallest_eps(monkeypatch):
    from varcheck.exact import dense_ledger

    pyr = Pyramid([1, 2, 4])
    target = T.smooth_field(seed=0, pyramid=pyr, d=2, channels=2)
    # squeeze the partition's share so that G comes out too small for ε: the certificate cannot close
    monkeypatch.setattr(dense_ledger, "BUDGET_SHARES", (Fraction(2), Fraction(1, 5), Fraction(1, 20)))
    with pytest.raises(VarcheckError, match=r"binding term: partition .* the smallest ε that builds is"):
        build_var_approximator(target, pyr, 0.01, setting="word_to_image", monte_carlo=0)


@pytest.mark.claim("ua.image-to-image")
def test_image_to_image_output_does_not_depend_on_the_interpolation_mode():
    from fractions import Fraction

    from varcheck.runtime.instances import t1_ball, t1_target

    r = [Fraction(1, 5), Fraction(7, 9), Fraction(1, 2), Fraction(3, 10)]
    reference = [o.mid() for o in t1_ball(True).forward(r)]
    nearest = build_var_approximator(t1_target(), Pyramid([2, 4]), Fraction(1, 3), setting="image_to_image",
                                     construction="tight", G=4, interpolation="nearest")
    assert [o.mid() for o in nearest.forward(r)] == reference
