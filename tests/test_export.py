"""`varcheck.load` restores what the builder wrote, bit for bit; a non-empty directory is never overwritten."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import torch

import varcheck
from varcheck import Pyramid, VarcheckError
from varcheck import targets as T
from varcheck.runtime.export import save

SMALL = Pyramid([1, 2, 3])


@pytest.mark.claim("ua.word-to-image")
@pytest.mark.parametrize("attention", ["identity", "contextual"])
def test_word_to_image_round_trip_is_bit_identical(tmp_path, attention):
    target = T.smooth_field(seed=1, pyramid=SMALL, d=2, channels=1)
    approx = varcheck.build_var_approximator(target, SMALL, 0.05, setting="word_to_image", attention=attention)
    out = save(approx, tmp_path / "model")
    module = varcheck.load(out)
    x = torch.rand(7, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    assert torch.equal(module(x), approx.network(x))
    cert = json.loads((out / "certificate.json").read_text())
    assert cert["lp_bound"] == approx.certificate()["lp_bound"]


@pytest.mark.claim("ua.image-to-image")
def test_image_to_image_round_trip_is_identical(tmp_path):
    from varcheck.runtime.instances import t1_ball

    net = t1_ball(True)
    loaded = varcheck.load(save(net, tmp_path / "t1"))
    r = [Fraction(1, 3), Fraction(2, 7), Fraction(9, 10), Fraction(0)]
    for a, b in zip(net.forward(r), loaded.forward(r)):
        assert a.mid() == b.mid() and a.rad() == b.rad()


def test_refuses_to_overwrite_and_reports_bad_directories(tmp_path):
    target = T.smooth_field(seed=1, pyramid=SMALL, d=1, channels=1)
    approx = varcheck.build_var_approximator(target, SMALL, 0.05, setting="word_to_image", attention="identity")
    out = save(approx, tmp_path / "m")
    with pytest.raises(VarcheckError, match="not empty"):
        save(approx, out)
    save(approx, out, force=True)  # explicit
    assert (save(approx, tmp_path / "missing" / "m") / "config.json").is_file()  # missing parents are created
    (tmp_path / "afile").write_text("x")
    with pytest.raises(VarcheckError, match="which is a file"):
        save(approx, tmp_path / "afile" / "m")
    with pytest.raises(VarcheckError, match="no config.json"):
        varcheck.load(tmp_path)


@pytest.mark.claim("ua.word-to-image")
def test_torch_export_of_the_loaded_module(tmp_path):
    """A user exports the module they hold: the input checks stay (shape guards, a finiteness assertion) and the
    program's outputs equal the module's bit for bit; eager mode still refuses bad input with one sentence."""
    from torch.export import Dim

    target = T.smooth_field(seed=2, pyramid=SMALL, d=2, channels=2)
    approx = varcheck.build_var_approximator(target, SMALL, 0.05, setting="word_to_image", monte_carlo=0)
    model = varcheck.load(save(approx, tmp_path / "m"))
    x = torch.rand(3, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    for strict in (False, True):
        assert torch.equal(torch.export.export(model, (x,), strict=strict).module()(x), model(x))
    dynamic = torch.export.export(model, (x,), dynamic_shapes=({0: Dim("batch", min=1, max=64)},)).module()
    for batch in (1, 5, 64):
        z = torch.rand(batch, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(batch))
        assert torch.equal(dynamic(z), model(z))
    bad = x.clone()
    bad[1, 0, 1] = float("nan")
    with pytest.raises(RuntimeError, match="finite values only"):
        dynamic(bad)
    with pytest.raises((AssertionError, RuntimeError)):  # the shape guard of the program
        dynamic(torch.rand(2, 1, 3, dtype=torch.float64))
    with pytest.raises(VarcheckError, match=r"^input must hold finite values only \(no NaN or inf\)\.$"):
        model(bad)
    with pytest.raises(VarcheckError, match="input must have shape"):
        model(torch.rand(2, 1, 3, dtype=torch.float64))


@pytest.mark.claim("interp.var-effective-map")
@pytest.mark.claim("interp.matrix-form")
def test_interpolation_layer_matrix_is_the_layer_exactly():
    """The ONNX program's U, over Q: a Φ_up chain is the product of its steps (pyramid_upsampling_matrix), VAR's
    layer is E_k = A·B per scale (var_effective_map_2d on the 16×16 latent), and the float64 U is the rounded one."""
    from varcheck.exact.pyramid_maps import interpolation_layer_matrix, pyramid_upsampling_matrix, var_effective_map_2d

    chain = Pyramid([(2, 3), (3, 4), (5, 5)])
    for mode in ("bicubic", "bilinear", "nearest"):
        exact = interpolation_layer_matrix(chain.scales, mode, exact=True)
        assert exact == pyramid_upsampling_matrix(chain, mode, exact=True)
    pyr = Pyramid.preset("var256")
    U = interpolation_layer_matrix(pyr.scales, "var", exact=True)
    assert (U.nrows(), U.ncols()) == (pyr.length, 1)
    for (begin, end), scale in zip(pyr.ranges[1:], pyr.scales[1:]):
        block = var_effective_map_2d((1, 1), scale, exact=True)
        assert [U[i, 0] for i in range(begin, end)] == [block[i, 0] for i in range(end - begin)]
    small = Pyramid([(2, 2), (3, 3), (4, 4)])
    exact = interpolation_layer_matrix(small.scales, "var", exact=True)
    rounded = interpolation_layer_matrix(small.scales, "var")
    assert all(rounded[i, j] == float(Fraction(str(exact[i, j])))
               for i in range(exact.nrows()) for j in range(exact.ncols()))
    with pytest.raises(VarcheckError, match="mode must be one of"):
        interpolation_layer_matrix(small.scales, "area")
