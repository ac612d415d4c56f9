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
