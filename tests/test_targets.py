"""Lipschitz targets (varcheck.targets) and the partition strategies (varcheck.strategies)."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest
import torch
from flint import arb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varcheck import strategies as vst
from varcheck import targets as T
from varcheck.errors import VarcheckError
from varcheck.exact.quantizer import grid_quantize

FACTORIES = [
    lambda: T.relu_network(seed=3),
    lambda: T.relu_network(seed=3, norm=2, input_shape=(3,), output_shape=(2, 2)),
    lambda: T.blur(seed=1, side=5, channels=2),
    lambda: T.blur(seed=2, signed=True, radius=2, norm=1),
    lambda: T.resize(seed=0, mode="bicubic", src=(3, 4), dst=(5, 7)),
    lambda: T.resize(seed=4, mode="area", channels=2),
    lambda: T.tanh_map(seed=0, shape=(2, 3, 1)),
    lambda: T.clip_map(seed=1, slope=2),
    lambda: T.gamma_map(seed=2, norm=2),
    lambda: T.image_pipeline(seed=5),
    lambda: T.smooth_field(seed=1, pyramid=(1, 2, 4), d=3, channels=2),
]


@pytest.fixture(params=range(len(FACTORIES)), ids=lambda i: f"target{i}")
def target(request):
    return FACTORIES[request.param]()


def test_shapes_name_and_round_trip(target):
    x = torch.rand((4,) + target.input_shape, dtype=torch.float64)
    y = target(x)
    assert tuple(y.shape) == (4,) + target.output_shape and y.dtype == torch.float64
    again = T.target_from_name(target.name)
    assert again.name == target.name and again.lipschitz == target.lipschitz and again.norms == target.norms
    assert torch.equal(again(x), y)
    assert target.lipschitz >= 0 and isinstance(target.lipschitz, Fraction)


def test_float_run_is_within_its_rounding_bound_of_the_exact_map(target):
    x = torch.rand((3,) + target.input_shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 2 - 0.5
    y = target(x).reshape(3, -1)
    bound = target.entrywise_error(x).reshape(3, -1)
    for b in range(3):
        point = [Fraction(v) for v in x[b].reshape(-1).tolist()]
        if target.rational:
            exact = target.exact(point)
            for got, want, e in zip(y[b].tolist(), exact, bound[b].tolist()):
                assert abs(Fraction(got) - want) <= Fraction(e)
        else:
            for got, ball, e in zip(y[b].tolist(), target.ball(point), bound[b].tolist()):
                assert abs(arb(got) - ball) <= arb(e)  # certain: every point of the enclosure is within e


def test_declared_constant_survives_sampling(target):
    report = T.check_lipschitz(target, pairs=256, seed=1)
    assert 0 <= report.worst_ratio <= 1 + 1e-12
    assert report.pairs == 256 and report.target == target.name


def test_linear_targets_declare_their_exact_operator_norm():
    t = T.blur(seed=7, side=4)
    rows = np.kron(np.array(t.uh_rows, dtype=float), np.array(t.uw_rows, dtype=float))
    assert math.isclose(float(t.lipschitz), np.abs(rows).sum(1).max(), rel_tol=1e-15)
    assert t.lipschitz <= t.kernel_l1
    area = T.resize(seed=0, mode="area", src=(16, 16), dst=(13, 13))
    assert area.lipschitz == 1
    bic = T.resize(seed=0, mode="bicubic", src=(10, 10), dst=(13, 13))
    assert 1 < bic.lipschitz <= Fraction(121, 64)


def test_spectral_bound_is_certified_and_tight():
    rng = np.random.default_rng(0)
    rows = [[Fraction(int(v), 7) for v in r] for r in rng.integers(-5, 6, size=(6, 4))]
    s = T.spectral_norm_upper(rows)
    sigma = np.linalg.norm(np.array(rows, dtype=float), 2)
    assert sigma <= float(s) <= sigma * (1 + 1e-6)


def test_composition_multiplies_constants_and_chains_norms():
    a, b = T.blur(seed=0), T.tanh_map(seed=1)
    c = T.compose(a, b)
    assert c.lipschitz == a.lipschitz * b.lipschitz and c.norms == a.norms
    x = torch.rand(2, 4, 4, 1, dtype=torch.float64)
    assert torch.equal(c(x), b(a(x)))
    assert T.compose(a) is a


def test_word_to_image_field_covers_the_pyramid():
    t = T.smooth_field(seed=0, pyramid="var256", d=2)
    assert t.input_shape == (1, 2) and t.output_shape == (680, 2)
    y = t(torch.full((1, 1, 2), 0.5, dtype=torch.float64))
    assert len(torch.unique(y[0, :, 0])) > 600  # positions differ: not the F4 degeneracy
    A, B = t.A, t.B
    assert t.lipschitz == max(
        sum(abs(A[c][j]) * sum(abs(v) for v in B[j]) for j in range(len(B))) for c in range(len(A))
    )


def test_torch_tanh_meets_the_assumed_accuracy():
    from flint import ctx

    xs = np.concatenate(
        [
            np.random.default_rng(0).uniform(-20, 20, 4000),
            np.random.default_rng(1).normal(0, 1e-3, 1000),
            [0.0, 1e-300, 0.5, 19.0, 20.0, 40.0],
        ]
    )
    got = torch.tanh(torch.from_numpy(xs)).tolist()
    old = ctx.prec
    ctx.prec = 128
    try:
        worst = max(abs(arb(g) - arb(x).tanh()).mid() for x, g in zip(xs.tolist(), got))
    finally:
        ctx.prec = old
    assert float(worst) <= T.TANH_MAX_ULPS * 2.0**-52


def test_cell_centres_are_exact_at_cell_boundaries():
    G = 10
    xs = []
    for k in range(G + 1):
        b = k / G
        xs += [b, math.nextafter(b, -1), math.nextafter(b, 2)]
    xs = [min(max(v, 0.0), 1.0) for v in xs] + list(np.random.default_rng(0).random(200))
    got = T.cell_centres(torch.tensor(xs, dtype=torch.float64), G).tolist()
    for x, c in zip(xs, got):
        exact = grid_quantize(Fraction(x), G) + Fraction(1, 2 * G)
        assert abs(Fraction(c) - exact) <= exact * Fraction(1, 2**53)


def test_grid_approximation_error_bound_holds():
    t = T.image_pipeline(seed=2)
    fbar, err = T.grid_approximation(t, 7)
    x = torch.rand(5, 4, 4, 1, dtype=torch.float64)
    y, e = fbar(x).reshape(5, -1), err(x).reshape(5, -1)
    for b in range(5):
        centre = [grid_quantize(Fraction(v), 7) + Fraction(1, 14) for v in x[b].reshape(-1).tolist()]
        for got, ball, bound in zip(y[b].tolist(), t.ball(centre), e[b].tolist()):
            assert abs(arb(got) - ball) <= arb(bound)


# --------------------------------------------------------------------------- strategies


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(vst.lipschitz_targets(), vst.grid_sizes(1, 9), st.data())
def test_strategies_compose(target, G, data):
    point = data.draw(vst.grid_points(target.input_shape, G))
    assert len(point) == target.input_size and all(0 <= v <= 1 for v in point)
    assert isinstance(target, T.Target) and target.lipschitz >= 0


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(vst.unit_arrays((2, 3), batch=4))
def test_unit_arrays_in_unit_box(x):
    assert x.shape == (4, 2, 3) and x.dtype == np.float64 and (0 <= x).all() and (x <= 1).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 2)), min_size=1, max_size=4))
def test_pyramid_text_round_trips_in_every_spelling(steps):
    """``Pyramid.parse(p.label)`` is ``p``; a name's ``pyramid=`` takes the same spellings as ``--pyramid``."""
    from varcheck import Pyramid

    h = w = 0
    scales = []
    for dh, extra in steps:  # non-decreasing h×w scales, square when extra is 0
        h += dh
        w = max(w, h) + extra
        scales.append(h if h == w else (h, w))
    pyr = Pyramid(scales)
    assert Pyramid.parse(pyr.label).scales == pyr.scales
    if all(a == b for a, b in pyr.scales):
        bracket = "[" + ",".join(str(a) for a, _ in pyr.scales) + "]"
        assert Pyramid.parse(bracket).scales == pyr.scales
        field = T.target_from_name(f"smooth_field(seed=0,pyramid={bracket},d=1,channels=1)")
        assert field.pyramid.scales == pyr.scales and T.target_from_name(field.name).name == field.name


def test_names_take_bracketed_shapes_and_refuse_broken_ones():
    a = T.target_from_name("resize(seed=0,mode=bicubic,src=(1,2),dst=[2,2]) >> clip_map(seed=0,shape=(2,2,1))")
    b = T.target_from_name("resize(seed=0,mode=bicubic,src=1x2,dst=2x2) >> clip_map(seed=0,shape=2x2x1)")
    assert a.name == b.name
    for bad, message in [("smooth_field(seed=0,pyramid=[1,2,d=1)", "unbalanced brackets"),
                         ("clip_map(seed=0,shape=(2,x,1))", "shape must be sizes like 2x2x1 or (2,2,1)"),
                         ("smooth_field(seed=0,pyramid=[1,a],d=1)", "pyramid must be a Pyramid, a preset")]:
        with pytest.raises(VarcheckError, match=re.escape(message)):
            T.target_from_name(bad)


@pytest.mark.parametrize("name, message", [
    ("smoth_field(seed=0,pyramid=var256,d=2)", "unknown target 'smoth_field' in "
                                              "'smoth_field(seed=0,pyramid=var256,d=2)' "
                                              "(did you mean 'smooth_field'?); the targets are relu_network, blur,"),
    ("blur(seed=0) >> tanhmap(seed=1)", "unknown target 'tanhmap' in 'tanhmap(seed=1)' (did you mean 'tanh_map'?)"),
    ("zzz(seed=0)", "unknown target 'zzz' in 'zzz(seed=0)'; the targets are"),
    ("smooth_field(sed=0,pyramid=var256,d=2)", "smooth_field takes no argument 'sed' (did you mean 'seed'?); its "
                                              "arguments are seed, pyramid, d, channels, features."),
    ("blur(seed=0,sidee=3)", "blur takes no argument 'sidee' (did you mean 'side'?)"),
    ("blur(seed=0,colour=3)", "blur takes no argument 'colour'; its arguments are seed, side,"),
])
def test_misspelled_names_name_the_closest_valid_one(name, message):
    with pytest.raises(VarcheckError) as info:
        T.target_from_name(name)
    assert message in str(info.value), str(info.value)


def test_message_helpers_keep_numbers_short_and_name_the_nearest_choice():
    from varcheck.errors import approximate_count, closest, power_text

    assert approximate_count(999_999_999_999) == "999999999999"
    assert approximate_count(10**12) == "≈ 1.00·10^12"
    assert approximate_count(2**4000) == "≈ 1.32·10^1204"  # 1.3156…·10^1204
    assert approximate_count(10**300 - 1) == "≈ 1.00·10^300"  # 9.99…·10^299 rounds up to the next power
    assert power_text("G^n", 4, 3) == "G^n = 4^3 = 64"
    assert power_text("G^n", 10**300, 4) == "G^n ≈ 1.00·10^1200 (base ≈ 1.00·10^300, exponent 4)"
    assert power_text("G^n", 3, 10**6).startswith("G^n ≈ ")  # the power itself is never built
    assert closest("smoth_field", T.TARGET_FACTORIES) == "smooth_field" and closest("zzz", T.TARGET_FACTORIES) is None
    assert closest("x" * 1000, ["x"]) is None
