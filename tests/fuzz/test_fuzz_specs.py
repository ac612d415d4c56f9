"""Bad input at scale for the two spec languages: target names (``varcheck.targets.target_from_name``, e.g.
``smooth_field(seed=0,pyramid=var256,d=2,channels=2)`` or ``blur(...) >> resize(...)``) and pyramid specs
(``Pyramid(sides)``, ``Pyramid.preset(name)``, and the ``pyramid=`` of a target name: a preset or
``1-2-4``). A name that is accepted must build a target that evaluates a small batch and round-trips
through its own ``.name``; anything else is a one-sentence VarcheckError naming the argument.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import check_call, junk, sizes

targets = pytest.importorskip("varcheck.targets")

FACTORIES = tuple(targets.TARGET_FACTORIES)
KEYS = ("seed", "side", "channels", "radius", "signed", "norm", "mode", "src", "dst", "max_side", "shape", "slope",
        "input_shape", "output_shape", "width", "depth", "pyramid", "d", "features", "out_side", "bogus", "", "seed ")
VALUES = st.one_of(
    st.integers(-2, 6).map(str), st.sampled_from(["0", "1", "2", "3", "10",
                                                  "1000000", "99999999999999999999", "-1", "inf",
                                                  "1/2", "3/2", "0.5", "nan",
                                                      "1e999999999", "2x2", "3x3x1", "0x2", "2x2x2x2",
                                                  "1-2-4", "var256", "flowar",
                                                      "16-8", "1-2-99999", "bicubic", "area", "x",
                                                  "", "(", ")", "=", ",", "True", "false", "1,2"]),
    st.text(max_size=6))


def _keys(factory) -> tuple:
    import inspect

    fn = targets.TARGET_FACTORIES.get(factory)
    return tuple(inspect.signature(fn).parameters) if fn else KEYS


@st.composite
def target_names(draw):
    """factory(key=value,...) pieces, sometimes several joined by >>, sometimes damaged."""
    pieces = []
    for _ in range(draw(st.integers(1, 2))):
        factory = draw(st.one_of(st.sampled_from(FACTORIES), st.sampled_from(FACTORIES), st.text(max_size=6)))
        own = _keys(factory)  # mostly the factory's own keyword arguments, sometimes any key at all
        items = draw(
            st.lists(
                st.tuples(st.one_of(st.sampled_from(own), st.sampled_from(own), st.sampled_from(KEYS)), VALUES),
                max_size=5,
            )
        )
        if "seed" not in [k for k, _ in items] and draw(st.booleans()):
            items.append(("seed", "0"))
        body = ",".join(f"{k}={v}" if draw(st.integers(0, 9)) else k for k, v in items)
        piece = f"{factory}({body})"
        if draw(st.integers(0, 9)) == 0:
            cut = draw(st.integers(0, len(piece)))
            piece = piece[:cut]
        pieces.append(piece)
    return " >> ".join(pieces)


def _settings(n):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _build_and_evaluate(name):
    import torch

    target = targets.target_from_name(name)
    x = torch.rand((2, *target.input_shape), dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = target(x)
    assert tuple(y.shape) == (2, *target.output_shape)
    again = targets.target_from_name(target.name)
    assert again.name == target.name and again.lipschitz == target.lipschitz
    return target.name


def test_target_names(fuzz_dir, examples):

    @_settings(examples(150))
    @given(name=st.one_of(target_names(), st.text(max_size=30), junk))
    def run(name):
        check_call("target_from_name", _build_and_evaluate, (name,), names=(
            "name", *KEYS[:-3], *FACTORIES), workdir=fuzz_dir)

    run()


def test_valid_factory_names_build(fuzz_dir):
    """The plain forms of every factory build and round-trip (the fuzz above must reach past the parser)."""
    for factory in FACTORIES:
        extra = ",pyramid=1-2,d=1" if factory == "smooth_field" else ""
        ok, _ = check_call("target_from_name", _build_and_evaluate, (f"{factory}(seed=1{extra})",), names=("name",),
                           workdir=fuzz_dir)
        assert ok, factory


def test_pyramid_specs(fuzz_dir, examples):
    """Pyramid specs in every spelling: sides, pairs, presets, and the dash form inside target names."""
    from varcheck import Pyramid

    spelled = st.lists(st.one_of(sizes(0, 8), st.integers(1, 5000)), max_size=6).map(lambda s: "-".join(map(str, s)))

    def via_target(spec):
        return targets.target_from_name(f"smooth_field(seed=0,pyramid={spec},d=1)").name

    def via_pyramid(scales):
        pyr = Pyramid(scales)
        return pyr.length, pyr.block_causal_mask().shape

    @_settings(examples(100))
    @given(spec=st.one_of(spelled, st.sampled_from(["var256", "var512", "flowar",
                                                    "var1024", "VAR256", "1-2-", "-", "2-1"]),
                          st.text(max_size=8)),
           scales=st.one_of(st.lists(st.one_of(sizes(0, 8), st.tuples(sizes(0, 8), sizes(0, 8))), max_size=6), junk),
           preset=st.one_of(st.sampled_from(["var256", "var512", "var1024", "flowar"]), st.text(max_size=8), junk))
    def run(spec, scales, preset):
        check_call("pyramid spec (target name)", via_target, (spec,), names=("pyramid", "scales", "name", "d"),
                   workdir=fuzz_dir)
        check_call("Pyramid", via_pyramid, (scales,), names=("scales",), workdir=fuzz_dir)
        check_call("Pyramid.preset", Pyramid.preset, (preset,), names=("name",), workdir=fuzz_dir)

    run()
