"""The public interpolation and pyramid API: values, shapes, exactness, validation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import varcheck
from varcheck import Pyramid, VarcheckError, interpolation_matrix
from varcheck.exact.floating_point import TORCH_PARITY_TOL, separable_apply_error_bound

# --------------------------------------------------------------------------- pyramid

@pytest.mark.parametrize("name, length", [("var256", 680), ("var512", 2240), ("var1024", 9451), ("flowar", 341)])
def test_preset_lengths_match_theory(name, length):
    pyr = Pyramid.preset(name)
    assert pyr.length == length == sum(h * w for h, w in pyr.scales)
    assert pyr.ranges[-1][1] == length and len(pyr.levels) == length


def test_var256_ranges_match_var_code():
    # docs/var-facts.md §1: per-scale token ranges of VAR 256px
    expected = [(0, 1), (1, 5), (5, 14), (14, 30), (30, 55), (55, 91), (91, 155), (155, 255), (255, 424), (424, 680)]
    assert list(Pyramid.preset("var256").ranges) == expected


def test_block_causal_mask():
    pyr = Pyramid([1, 2, (2, 3)])
    mask = pyr.block_causal_mask()
    assert mask.shape == (11, 11) and mask.dtype == bool
    lv = pyr.levels
    for i in range(11):
        for j in range(11):
            assert mask[i, j] == (lv[i] >= lv[j])
    assert mask[1:5, 1:5].all()  # bidirectional inside a scale
    assert not mask[0, 1:].any()  # the first token sees only itself


@pytest.mark.parametrize("scales, message", [
    ([], "at least one"), ([2, 1], "non-decreasing"), ([0], "positive"), ([(2, 0)], "positive"),
    (5, "sequence"), ([True], "positive"), ([(1, 2, 3)], "positive"),
])
def test_pyramid_rejects_bad_scales(scales, message):
    with pytest.raises(VarcheckError, match=message):
        Pyramid(scales)


def test_unknown_preset():
    with pytest.raises(VarcheckError, match="name must be one of"):
        Pyramid.preset("var2048")


# --------------------------------------------------------------------------- matrices

def test_shapes_and_flattening():
    u = interpolation_matrix((2, 3), (4, 5), "bilinear")
    assert u.shape == (20, 6) and u.dtype == np.float64
    x = np.random.default_rng(0).random((2, 3))
    y = (u @ x.reshape(-1)).reshape(4, 5)
    ref = F.interpolate(torch.from_numpy(x)[None, None], size=(4, 5), mode="bilinear", align_corners=False)[
        0, 0
    ].numpy()
    assert np.max(np.abs(y - ref)) <= TORCH_PARITY_TOL


@pytest.mark.parametrize("mode", varcheck.MODES)
def test_exact_entries_convert_with_fraction(mode):
    exact = interpolation_matrix((3, 2), (5, 4), mode, exact=True)
    floats = interpolation_matrix((3, 2), (5, 4), mode)
    assert (exact.nrows(), exact.ncols()) == floats.shape
    for i in range(exact.nrows()):
        for j in range(exact.ncols()):
            value = Fraction(str(exact[i, j]))
            # a 2-D float entry is the product of two correctly rounded 1-D entries: relative error ≤ 2u + u²
            u = Fraction(1, 2**53)
            assert abs(Fraction(floats[i, j]) - value) <= (2 * u + u * u) * abs(value)


def test_bicubic_10_to_13_has_negative_weights_and_unit_rows():
    u = interpolation_matrix((10, 1), (13, 1), "bicubic", exact=True)
    rows = [[Fraction(str(u[i, j])) for j in range(10)] for i in range(13)]
    assert all(sum(r) == 1 for r in rows)
    assert min(min(r) for r in rows) < 0


def test_nearest_reproduces_torch_float32_index():
    # docs/theory.md I9: 26 → 22 at output 11, torch copies input 12 although ⌊11·26/22⌋ = 13
    u = interpolation_matrix((26, 1), (22, 1), "nearest")
    assert u[11, 12] == 1.0 and u[11, 13] == 0.0
    x = torch.arange(26, dtype=torch.float64).reshape(1, 1, 26, 1)
    assert F.interpolate(x, size=(22, 1), mode="nearest")[0, 0, 11, 0].item() == 12.0


def test_paper_mode_accepts_keys_parameter():
    a_half = interpolation_matrix((3, 3), (5, 5), "paper", a=Fraction(-1, 2))
    a_torch = interpolation_matrix((3, 3), (5, 5), "paper")
    assert np.array_equal(a_half, a_torch)  # both are nearest copying (I5)


@pytest.mark.parametrize("kwargs, message", [
    (dict(src=(0, 2), dst=(2, 2), mode="bilinear"), r"src\[0\]"),
    (dict(src=(2, 2), dst=(2, 2.5), mode="bilinear"), r"dst\[1\]"),
    (dict(src=(2,), dst=(2, 2), mode="bilinear"), "src must be an"),
    (dict(src=(2, 2), dst=(2, 2), mode="lanczos"), "mode must be one of"),
    (dict(src=(2, 2), dst=(2, 2), mode="nearest", align_corners=True), "align_corners=True applies only"),
    (dict(src=(2, 2), dst=(2, 2), mode="area", a=-0.5), "a applies only"),
    (dict(src=(2, 2), dst=(2, 2), mode="bicubic", a=float("nan")), "a must be a finite rational"),
    (dict(src=(2, 2), dst=(2, 2), mode="bicubic", align_corners=1), "align_corners must be True or False"),
])
def test_interpolation_matrix_validates(kwargs, message):
    with pytest.raises(VarcheckError, match=message):
        interpolation_matrix(**kwargs)


# --------------------------------------------------------------------------- pyramid maps and runtime

def test_pyramid_upsample_equals_repeated_phi_up():
    # dyadic inputs and 1 → 2 → 4 bicubic weights (denominators powers of 2) keep every float operation exact
    pyr = Pyramid([1, 2, 4])
    r1 = np.array([[[0.25, 0.5]]])
    full = varcheck.pyramid_upsample(r1, pyr, "bicubic")
    step = r1.reshape(1, 2)
    for k in (1, 2):
        step = varcheck.phi_up(step, pyr, k, "bicubic")
    assert full.shape == (21, 2)
    assert np.array_equal(full, step)
    assert np.array_equal(full, np.broadcast_to(r1.reshape(1, 2), full.shape))  # constants preserved (I2)


def test_pyramid_upsampling_matrix_exact_rows_sum_to_one():
    p = varcheck.pyramid_upsampling_matrix(Pyramid([1, 2, 4]), exact=True)
    assert (p.nrows(), p.ncols()) == (21, 1)
    assert all(Fraction(str(p[i, 0])) == 1 for i in range(21))


def test_phi_up_validates():
    pyr = Pyramid([1, 2])
    with pytest.raises(VarcheckError, match="prefix must have shape"):
        varcheck.phi_up(np.zeros((2, 1)), pyr, 1)
    with pytest.raises(VarcheckError, match="k must be an integer"):
        varcheck.phi_up(np.zeros((1, 1)), pyr, 2)
    with pytest.raises(VarcheckError, match="finite"):
        varcheck.phi_up(np.array([[np.nan]]), pyr, 1)
    with pytest.raises(VarcheckError, match="pyramid must be"):
        varcheck.pyramid_upsample(np.zeros((1, 1, 1)), [1, 2])


def test_interpolation_module_matches_torch():
    module = varcheck.Interpolation((10, 10), (13, 13), "bicubic")
    x = torch.rand(2, 3, 10, 10, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    got = module(x)
    ref = F.interpolate(x, size=(13, 13), mode="bicubic", align_corners=False)
    allowed = TORCH_PARITY_TOL - separable_apply_error_bound(module.u_h.numpy(), x.numpy(), module.u_w.numpy())
    assert np.all(np.abs((got - ref).numpy()) <= allowed)
    with pytest.raises(VarcheckError, match="x must have shape"):
        module(torch.zeros(1, 1, 9, 10, dtype=torch.float64))


def test_var_effective_map_validates():
    with pytest.raises(VarcheckError, match="p must be an integer"):
        varcheck.var_effective_map(0, 2)
    with pytest.raises(VarcheckError, match="q must be an integer"):
        varcheck.var_effective_map(2, 17)
