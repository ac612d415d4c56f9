"""Bad input at scale for the approximators as networks: ``build_var_approximator``, ``build_flowar_approximator``,
``VarConfig``, ``VarTransformer`` (construction and forward) and ``load`` on corrupted or truncated directories —
under the harness contract (one-sentence VarcheckError naming the argument, never another exception, never a
hang, nothing on disk changed)."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import varcheck
from tests.fuzz.harness import check_call, choice_or_junk, junk, junk_scalars, rationals, record, sizes
from varcheck import Pyramid
from varcheck import targets as T

SMALL = Pyramid([1, 2])
WORD = T.smooth_field(seed=0, pyramid=SMALL, d=1, channels=1)
IMAGE = T.compose([T.resize(seed=0, mode="bicubic", src=(1, 2), dst=(2, 2)), T.clip_map(seed=0, shape=(2, 2, 1))])

#: Public names this file fuzzes (tests/fuzz/test_fuzz_api.py leaves them to it).
FUZZED_HERE = ("build_var_approximator", "build_flowar_approximator", "VarConfig", "VarTransformer", "load")


def _settings(n):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A small word-to-image model written once: the corruption tests copy it."""
    approx = varcheck.build_var_approximator(WORD, SMALL, Fraction(1, 10), setting="word_to_image", monte_carlo=0)
    from varcheck.runtime.export import save

    return approx, save(approx, tmp_path_factory.mktemp("models") / "w2i")


def test_build_var_approximator_contract(fuzz_dir, examples):
    targets = st.one_of(st.sampled_from([WORD, IMAGE]), junk)
    pyramids = st.one_of(st.sampled_from([SMALL, Pyramid([(1, 2), (2, 2)]), Pyramid([1, 2, 3])]), junk_scalars)
    kwargs = st.fixed_dictionaries({}, optional={
        "p": st.one_of(st.sampled_from([1, 2, 3]), rationals()), "setting": choice_or_junk((
            "word_to_image", "image_to_image")),
        "mask": choice_or_junk(("block_causal", None)), "interpolation": choice_or_junk((
            "var", "nearest", "bicubic", None)),
        "attention": choice_or_junk(("contextual", "identity")), "construction": choice_or_junk((
            "average", "tight", None)),
        "positional": st.one_of(st.booleans(), junk_scalars), "G": st.one_of(st.none(), sizes(-1, 3)),
        "monte_carlo": st.one_of(st.integers(0, 2), sizes(-1, 2))})
    eps = st.one_of(st.sampled_from([Fraction(1, 5), 0.3, 1]), st.floats(1e-7, 2.0), rationals())

    @_settings(examples(40))
    @given(target=targets, pyramid=pyramids, eps=eps, kw=kwargs)
    def run(target, pyramid, eps, kw):
        check_call("build_var_approximator", varcheck.build_var_approximator, (target, pyramid, eps), kw,
                   names=("target", "pyramid", "eps", "p", "setting", "mask",
                          "interpolation", "attention", "construction",
                          "positional", "G", "monte_carlo", "tokens", "input", "output", "scale", "grid", "ledger",
                          "float64", "cells", "table", "parameters", "partition", "bad-set", "ramp"),
                   workdir=fuzz_dir)

    run()


def test_build_flowar_approximator_contract(fuzz_dir, examples):
    flow_target = T.smooth_field(seed=0, pyramid=Pyramid.preset("flowar"), d=1, channels=1)

    @_settings(examples(15))
    @given(
        target=st.one_of(st.just(flow_target), st.just(WORD), junk),
        eps=st.one_of(st.just(Fraction(1, 5)), rationals()),
        grid=choice_or_junk(("25", "50")),
        y_hat=st.one_of(st.none(), junk_scalars),
    )
    def run(target, eps, grid, y_hat):
        check_call("build_flowar_approximator", varcheck.build_flowar_approximator, (target, eps),
                   {"grid": grid, "y_hat": y_hat}, names=("target", "eps", "grid", "y_hat", "tokens", "pyramid", "p"),
                   workdir=fuzz_dir)

    run()


def _config_dicts(base: dict):
    fields = st.sampled_from(sorted(base))
    values = st.one_of(
        junk, sizes(-2, 6), st.lists(sizes(-1, 4), max_size=3), st.lists(st.lists(sizes(0, 4), max_size=3), max_size=3)
    )
    edits = st.dictionaries(st.one_of(fields, st.text(max_size=6)), values, max_size=3)
    return st.one_of(edits.map(lambda e: base | e), junk)


def test_var_config_and_network_contract(fuzz_dir, examples, saved):
    base = saved[0].network.config.to_dict()

    @_settings(examples(80))
    @given(data=_config_dicts(base))
    def run(data):
        ok, cfg = check_call("VarConfig.from_dict", varcheck.VarConfig.from_dict, (data,), {},
                             names=("config", "field"), workdir=fuzz_dir)
        if ok and cfg.parameter_count() <= 2**22:
            check_call("VarTransformer", varcheck.VarTransformer, (cfg,), {}, names=("config",), workdir=fuzz_dir)

    run()


def test_network_forward_contract(fuzz_dir, examples, saved):
    net = saved[0].network
    shapes = st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))
    tensors = st.one_of(
        shapes.map(lambda s: torch.rand(*s, dtype=torch.float64)),
        st.just(torch.full((2, 1, 1), float("nan"), dtype=torch.float64)),
        st.just(torch.full((2, 1, 1), float("inf"), dtype=torch.float64)),
        st.just(torch.ones(2, 1, 1, dtype=torch.complex128)),
        st.just(torch.ones(2, 1, 1, dtype=torch.bool)),
        st.just(torch.ones(2, 1, 1, dtype=torch.int64)),
        st.floats(-1e300, 1e300).map(lambda v: torch.full((3, 1, 1), v, dtype=torch.float64)),
        junk,
    )

    @_settings(examples(60))
    @given(x=tensors)
    def run(x):
        check_call("VarTransformer.forward", net, (x,), {}, names=("input",), workdir=fuzz_dir)

    run()


DAMAGES = ("truncate", "flip", "empty", "drop", "config-junk", "config-edit", "extra-tensor", "missing-config")


def test_load_on_corrupted_directories(tmp_path, examples, saved):
    from safetensors.torch import load_file, save_file

    _, source = saved

    @_settings(examples(40))
    @given(damage=st.sampled_from(DAMAGES), cut=st.integers(0, 10**6), byte=st.integers(0, 255),
           edit=_config_dicts(saved[0].network.config.to_dict()))
    def run(damage, cut, byte, edit):
        target = tmp_path / "copy"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
        weights, config = target / "model.safetensors", target / "config.json"
        blob = weights.read_bytes()
        if damage == "truncate":
            weights.write_bytes(blob[: cut % len(blob)])
        elif damage == "flip":
            i = cut % len(blob)
            weights.write_bytes(blob[:i] + bytes([byte]) + blob[i + 1:])
        elif damage == "empty":
            weights.write_bytes(b"")
        elif damage == "drop":
            t = load_file(str(weights))
            t.pop(sorted(t)[cut % len(t)])
            save_file(t, str(weights))
        elif damage == "extra-tensor":
            t = load_file(str(weights))
            t["unexpected"] = torch.zeros(1)
            save_file(t, str(weights))
        elif damage == "config-junk":
            config.write_bytes(bytes([byte]) * (cut % 64))
        elif damage == "config-edit":
            config.write_text(json.dumps(edit, default=str), encoding="utf-8")
        else:
            config.unlink()
        record("load", damage, cut, byte, repr(edit)[:200])
        ok, result = check_call("load", varcheck.load, (target,), {},
                                names=("config", "model.safetensors", "safetensors", "directory", "format", "field"),
                                workdir=target)
        if ok:  # a flip that kept the file valid (e.g. inside a float): the network must still run or refuse cleanly
            check_call("load → forward", result, (torch.rand(2, 1, 1, dtype=torch.float64),), {}, names=("input",))

    run()


def test_every_network_entry_point_is_fuzzed():
    from tests.fuzz import test_fuzz_api

    assert all(name in varcheck.__all__ for name in FUZZED_HERE)
    assert all(name in test_fuzz_api.LEFT_OUT for name in FUZZED_HERE), "test_fuzz_api.py must leave these to this file"
