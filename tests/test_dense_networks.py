"""The approximators as dense VAR transformers of the model class: claims, the class itself (config round trip,
standard layers only, input validation), export (safetensors + config, plain torch, torch.export, ONNX) and the
build's promises (every seed certifies, the fast path equals the dense forward, nothing is overwritten)."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import torch

import varcheck
from tests.claim_checks import assert_claim_as_expected
from varcheck import Pyramid, VarcheckError
from varcheck import targets as T
from varcheck.runtime.approximator import build_var_approximator
from varcheck.runtime.export import InterpolationAsMatrix, load, save
from varcheck.runtime.var_transformer import VarConfig, VarTransformer

REPO = Path(__file__).resolve().parents[1]
SMALL = Pyramid([1, 2, 3])


@pytest.mark.claim("ua.image-to-image-float64")
def test_uniform_attention_claim_is_as_expected(ctx):
    assert_claim_as_expected("ua.image-to-image-float64", ctx)


@pytest.mark.claim("ua.precision-frontier")
def test_precision_frontier_claim_is_as_expected(ctx):
    assert_claim_as_expected("ua.precision-frontier", ctx)


@pytest.mark.claim("flowar.dense-network")
def test_flowar_network_claim_is_as_expected(ctx):
    assert_claim_as_expected("flowar.dense-network", ctx)


@pytest.fixture(scope="module")
def small_w2i():
    target = T.smooth_field(seed=1, pyramid=SMALL, d=2, channels=1)
    return target, build_var_approximator(
        target, SMALL, 0.05, setting="word_to_image", attention="contextual", monte_carlo=16
    )


@pytest.fixture(scope="module")
def t1_dense():
    from varcheck.runtime.instances import t1_dense

    return t1_dense(True)


# --------------------------------------------------------------------------- the model class


@pytest.mark.claim("ua.word-to-image")
def test_config_round_trips_through_json(small_w2i):
    cfg = small_w2i[1].network.config
    again = VarConfig.from_json(cfg.to_json())
    assert again == cfg and again.to_json() == cfg.to_json()
    assert cfg.parameter_count() == sum(p.numel() for p in small_w2i[1].network.parameters())


@pytest.mark.parametrize("change, message", [
    ({"format": 1}, "config field format"),
    ({"d_model": 0}, "config field d_model"),
    ({"ff1": [3, -1]}, "config field ff1 width"),
    ({"scales": [[2, 2], [1, 1]]}, "non-decreasing"),
    ({"mask": "causal"}, "config field mask"),
    ({"interpolation": "lanczos"}, "config field interpolation"),
    ({"attention_rank": 10**9}, "attention_rank"),
    ({"extra": 1}, "unknown field"),
])
def test_bad_configs_are_refused_in_one_sentence(small_w2i, change, message):
    data = small_w2i[1].network.config.to_dict() | change
    with pytest.raises(VarcheckError, match=message):
        VarConfig.from_dict(data)


#: ATen operators the dense forward may use: linear maps, ReLU, softmax, interpolation and tensor plumbing —
#: no gather, index_select, embedding, floor, clamp or where.
ALLOWED_OPS = re.compile(
    r"^(linear|mm|bmm|matmul|addmm|t|relu|_softmax|softmax|upsample_bicubic2d|_adaptive_avg_pool2d|adaptive_avg_pool2d|"
    r"upsample_nearest2d|upsample_bilinear2d|cat|expand|view|reshape|_unsafe_view|transpose|permute|clone|add|mul|"
    r"masked_fill|bitwise_not|logical_not|slice|alias|contiguous|unsqueeze|squeeze|select|detach|lift_fresh_copy|"
    r"_to_copy|to)$")
#: The forward's input check, traced: torch.isfinite(x).all() asserted at run time, x.to(dtype)'s metadata check.
INPUT_CHECK_OPS = {"isfinite", "all", "_assert_async", "_assert_tensor_metadata"}


@pytest.mark.claim("ua.word-to-image")
def test_the_forward_is_standard_layers_only(small_w2i, t1_dense):
    for approx in (small_w2i[1], t1_dense):
        x = torch.rand(2, approx.network.config.sizes[0], approx.network.config.d_in, dtype=torch.float64)
        program = torch.export.export(approx.network, (x,))
        ops = {node.target.__name__.split(".")[0] for node in program.graph.nodes if node.op == "call_function"}
        assert {"isfinite", "_assert_async"} <= ops  # the input's finiteness check, an assertion of the program
        ops -= INPUT_CHECK_OPS
        assert ops and all(ALLOWED_OPS.match(op) for op in ops), sorted(op for op in ops if not ALLOWED_OPS.match(op))
        assert "upsample_bicubic2d" in ops  # the interpolation layer is F.interpolate
    # FF₁ = (ramps, clips) [+ code units], ONE attention layer, FF₂ = [code ramps, code clips,] cells, select
    assert small_w2i[1].network.config.depth == 5 and t1_dense.network.config.depth == 8


@pytest.mark.parametrize("x, message", [
    (torch.zeros(2, 1, 3, dtype=torch.float64), "input must have shape"),
    (torch.zeros(0, 1, 2, dtype=torch.float64), "B ≥ 1"),
    (torch.full((2, 1, 2), float("nan"), dtype=torch.float64), "finite"),
    ([[0.1, 0.2]], "torch tensor"),
])
def test_bad_inputs_get_one_sentence(small_w2i, x, message):
    with pytest.raises(VarcheckError, match=message):
        small_w2i[1].network(x)


@pytest.mark.claim("ua.word-to-image")
def test_fast_path_equals_dense_forward_within_the_accounted_rounding(small_w2i):
    _, approx = small_w2i
    r = approx.plan.rounding()
    allowed = float(r["anywhere"] + r["anywhere_lookup"])
    x = torch.rand(64, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    diff = (approx(x, strategy="dense") - approx(x, strategy="lookup")).abs().max()
    assert float(diff) <= allowed
    with pytest.raises(VarcheckError, match="strategy must be one of"):
        approx(x, strategy="sparse")


@pytest.mark.claim("ua.word-to-image")
def test_every_var256_seed_builds_and_certifies():
    """The build does not depend on a lucky target (seeds 0–9, ε = 1e-2, float64)."""
    pyr = Pyramid.preset("var256")
    for seed in range(10):
        target = T.smooth_field(seed=seed, pyramid=pyr, d=2, channels=2)
        approx = build_var_approximator(target, pyr, 0.01, setting="word_to_image", attention="identity", monte_carlo=0)
        cert = approx.certificate()
        assert cert["certified"] and cert["lp_bound"] <= 0.01, (seed, approx.ledger)


@pytest.mark.claim("ua.image-to-image-float64")
def test_t1_float64_network_is_exact_at_cell_centres(t1_dense):
    target = T.compose([T.resize(seed=0, mode="bicubic", src=(2, 2), dst=(4, 4)), T.clip_map(seed=0, shape=(4, 4, 1))])
    G = t1_dense.plan.G
    for g in ((0, 1, 2, 3), (3, 3, 0, 1)):
        x = torch.tensor([(2 * v + 1) / (2 * G) for v in g], dtype=torch.float64).reshape(1, 4, 1)
        out = t1_dense.network(x).reshape(-1)
        want = torch.tensor(
            [float(v) for v in target.exact([Fraction(2 * v + 1, 2 * G) for v in g])], dtype=torch.float64
        )
        assert float((out - want).abs().max()) <= float(t1_dense.plan.rounding()[
            "interior"]) + float(t1_dense.plan.table_error)


def test_tight_construction_has_no_float64_network():
    from varcheck.runtime.instances import t1_ball

    net = t1_ball(True)
    assert net.runtime == "ball" and net.module is None and net.precision > 53


# --------------------------------------------------------------------------- export


@pytest.mark.claim("ua.word-to-image")
def test_round_trip_is_bit_identical_and_files_follow_the_umask(tmp_path, small_w2i, t1_dense):
    old = os.umask(0o022)
    try:
        for name, approx in (("w2i", small_w2i[1]), ("t1", t1_dense)):
            out = save(approx, tmp_path / name)
            for f in out.iterdir():
                assert f.stat().st_mode & 0o777 == 0o644, f
            net = load(out)
            assert isinstance(net, VarTransformer)
            x = torch.rand(5, *approx.input_shape, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
            assert torch.equal(net(x), approx.network(x))
            cert = json.loads((out / "certificate.json").read_text())
            assert cert["lp_bound"] == approx.certificate()["lp_bound"]
            size = json.loads((out / "network.json").read_text())["summary"]
            assert size["parameters"] == approx.network.config.parameter_count()
    finally:
        os.umask(old)


def test_torch_export_program_reproduces_the_outputs(tmp_path, t1_dense):
    out = save(t1_dense, tmp_path / "m", exports=("torch-export",))
    program = torch.export.load(str(out / "model.pt2")).module()
    x = torch.rand(7, 4, 1, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    assert torch.equal(program(x), t1_dense.network(x))


def _bad_set_mask(plan, coordinates: torch.Tensor) -> torch.Tensor:
    """Rows of ``coordinates`` (the quantized inputs) in the bad set B: some x_i ∈ [t_g − η − ϑ, t_g + ϑ)."""
    hit = torch.zeros(coordinates.shape[0], dtype=torch.bool)
    eta, theta = plan.eta, plan.perturbation
    for row, values in enumerate(coordinates.tolist()):
        hit[row] = any(t - eta - theta <= Fraction(v) < t + theta for v in values for t in plan.thresholds)
    return hit


def _onnx_inputs(approx, quantized_axis: int) -> torch.Tensor:
    """Uniform inputs plus the extremes of the quantizer: every threshold t_g, the ramp's middle t_g − η/2, and
    the first values off the bad set on either side (t_g + ϑ, t_g − η − ϑ rounded outwards)."""
    plan, net = approx.plan, approx.network
    n1, d = net.config.sizes[0], net.config.d_in
    x = torch.rand(48, n1, d, dtype=torch.float64, generator=torch.Generator().manual_seed(7))
    special = []
    for t in plan.thresholds:
        for v in (t, t - plan.eta / 2):
            special.append(float(v))
        special.append(math.nextafter(float(t + plan.perturbation), 2.0))
        special.append(math.nextafter(float(t - plan.eta - plan.perturbation), -1.0))
    edges = torch.tensor(special, dtype=torch.float64).clamp(0, 1)
    extra = torch.rand(len(special), n1, d, dtype=torch.float64, generator=torch.Generator().manual_seed(8))
    if quantized_axis == 2:
        extra[:, 0, :] = edges[:, None]
    else:
        extra[:, :, 0] = edges[:, None]
    return torch.cat([x, extra])


@pytest.mark.claim("ua.image-to-image-float64")
@pytest.mark.claim("ua.word-to-image")
@pytest.mark.parametrize("which", ["word_to_image", "image_to_image"])
def test_onnx_program_runs_in_onnx_runtime_within_the_rounding_bound(tmp_path, small_w2i, t1_dense, which):
    """ONNX Runtime runs the float64 program; off the bad set B both its outputs and the module's are within the
    ledger's rounding term R (the value map's interior bound) of the same table value, so they differ by ≤ 2R;
    on B by ≤ 2·sup|g̃|. The rows of U that feed the quantizer are exact copies (U's first rows are the identity
    on the input pixels, and a word's U is all ones), so the ONNX program's quantizer sees exactly the module's
    input and no further perturbation enters B."""
    pytest.importorskip("onnxscript", reason="ONNX export is the optional extra varcheck[onnx] (onnx, onnxscript, "
                                             "onnxruntime)")
    ort = pytest.importorskip("onnxruntime", reason="the ONNX program is run in onnxruntime (varcheck[onnx] or [dev])")
    approx = small_w2i[1] if which == "word_to_image" else t1_dense
    net, plan = approx.network, approx.plan
    program = save(approx, tmp_path / "m", exports=("onnx",)) / "model.onnx"
    U = InterpolationAsMatrix(net).U
    n1 = net.config.sizes[0]
    assert torch.equal(U[:n1], torch.eye(n1, dtype=torch.float64))
    if which == "word_to_image":
        assert torch.equal(U, torch.ones_like(U))
    axis = 2 if which == "word_to_image" else 1
    x = _onnx_inputs(approx, axis)
    session = ort.InferenceSession(str(program), providers=["CPUExecutionProvider"])
    assert [i.type for i in session.get_inputs()] == ["tensor(double)"]
    y = torch.from_numpy(session.run(None, {"x": x.numpy()})[0])
    expected = net(x)
    assert y.dtype == torch.float64 and y.shape == expected.shape
    rounding = plan.rounding()
    inside = _bad_set_mask(plan, x[:, 0, :] if axis == 2 else x[:, :, 0])
    assert 0 < int(inside.sum()) < len(x)  # both bounds are exercised
    diff = (y - expected).abs().flatten(1).max(dim=1).values
    for row in range(len(x)):
        bound = 2 * (rounding["output_max"] if inside[row] else rounding["interior"])
        assert Fraction(float(diff[row])) <= bound, (row, float(diff[row]), float(bound))
    assert Fraction(float(diff[~inside].max())) <= 2 * rounding["interior"] < Fraction(1, 10**12)


def test_plain_torch_snippet_of_the_docs_runs_without_varcheck(tmp_path):
    text = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    pyr = Pyramid.preset("var256")
    target = T.smooth_field(seed=0, pyramid=pyr, d=2, channels=2)
    approx = build_var_approximator(target, pyr, 0.01, setting="word_to_image", monte_carlo=0)
    save(approx, tmp_path / "models" / "w2i")
    x = torch.rand(4, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(9))
    torch.save(x, tmp_path / "x.pt")
    blocker = ("import sys\nclass _NoVarcheck:\n    def find_spec(self, name, *a):\n        if name == 'varcheck' or "
               "name.startswith('varcheck.'): raise ImportError('varcheck is blocked')\nsys.meta_path.insert(0, "
               "_NoVarcheck())\n")
    tail = ("\ntorch.save(run(torch.load('x.pt')), 'y.pt')\nassert not any(m.startswith('varcheck') for m in "
            "sys.modules)\n")
    proc = subprocess.run(
        [sys.executable, "-c", blocker + snippet + tail], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "torch.Size([4, 680, 2])" in proc.stdout
    assert torch.equal(torch.load(tmp_path / "y.pt"), varcheck.load(tmp_path / "models" / "w2i")(x))


@pytest.mark.parametrize("damage, message", [
    ("truncate", "not a readable safetensors file"),
    ("drop-tensor", "does not match config.json"),
    ("reshape-tensor", "has shape"),
    ("config-garbage", "not valid JSON"),
    ("config-shape", "does not match config.json|has shape"),
    ("nan-weight", "non-finite"),
])
def test_corrupted_directories_are_refused_and_left_alone(tmp_path, small_w2i, damage, message):
    from safetensors.torch import load_file, save_file

    out = save(small_w2i[1], tmp_path / "m")
    weights, config = out / "model.safetensors", out / "config.json"
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:100])
    elif damage in ("drop-tensor", "reshape-tensor", "nan-weight"):
        t = load_file(str(weights))
        if damage == "drop-tensor":
            t.pop("head.weight")
        elif damage == "reshape-tensor":
            t["head.weight"] = t["head.weight"][:, :-1].contiguous()
        else:
            t["head.weight"][0, 0] = float("nan")
        save_file(t, str(weights))
    elif damage == "config-garbage":
        config.write_text("{ not json", encoding="utf-8")
    else:
        cfg = json.loads(config.read_text()) | {"d_model": json.loads(config.read_text())["d_model"] + 1}
        config.write_text(json.dumps(cfg), encoding="utf-8")
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    with pytest.raises(VarcheckError, match=message):
        load(out)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_cli_build_refuses_to_overwrite_and_bad_input_is_one_line(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / "mine.txt").write_text("a user's file")
    fresh = tmp_path / "fresh"
    base = ["build", "--target", "smooth_field(seed=2,pyramid=1-2-3,d=1,channels=1)",
            "--pyramid", "[1,2,3]", "--eps", "0.05"]
    for extra, msg in ((["--out", str(out)], "not empty"), (["--out", str(fresh), "--G", "3"], "--G applies"),
                       (["--out", str(fresh), "--monte-carlo", "-1"], "--monte-carlo"),
                       (["--out", str(fresh), "--construction", "tight"], "--construction applies"),
                       (["--out", str(fresh), "--eps", "1e-7"], "raise eps")):
        proc = subprocess.run([sys.executable, "-m", "varcheck", *base, *extra], capture_output=True, text=True)
        assert proc.returncode == 2 and msg in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert (out / "mine.txt").read_text() == "a user's file" and len(list(out.iterdir())) == 1
    assert not fresh.exists()  # a refused build leaves nothing behind


@pytest.mark.claim("flowar.dense-network")
def test_reports_carry_the_networks_table_when_a_network_claim_ran(ctx):
    from varcheck.claims.runner import run_claims
    from varcheck.report.json_report import NETWORKS_KEY, build_report, render_report
    from varcheck.report.networks import NETWORK_HEADER, network_rows

    results = run_claims(["flowar.dense-network"], ctx)
    report = build_report(results, ctx)
    assert report[NETWORKS_KEY]["header"] == list(NETWORK_HEADER) and len(report[NETWORKS_KEY][
        "rows"]) == len(network_rows())
    assert list(report)[-1] == "timings"  # the networks table is part of the deterministic report
    for suffix in (".md", ".html"):
        assert "Built networks" in render_report(results, ctx, suffix)
    assert NETWORKS_KEY not in build_report(run_claims(["interp.kernel-range"], ctx), ctx)
