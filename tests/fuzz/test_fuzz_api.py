"""Bad input at scale: every function and class of ``varcheck.__all__`` driven by Hypothesis with junk,
out-of-range, enormous and near-valid arguments (harness contract: a one-sentence VarcheckError naming the
argument, or a result; never another exception, never a hang, nothing changed on disk).

``build_var_approximator``, ``build_flowar_approximator``, ``VarConfig``, ``VarTransformer`` and ``load`` (the
approximators and their networks) are fuzzed in tests/fuzz/test_fuzz_networks.py instead.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import varcheck
from tests.fuzz.harness import check_call, choice_or_junk, junk, junk_scalars, rationals, sizes

#: Public names the fuzz suite covers, and those it leaves out (with the reason).
LEFT_OUT = {
    "__version__": "a string, not an entry point",
    "VarcheckError": "the exception type itself",
    "PRESETS": "a constant mapping", "MODES": "a constant tuple",
    # the approximators: fuzzed with their own strategies there
    **{name: "fuzzed in tests/fuzz/test_fuzz_networks.py" for name in
       ("build_var_approximator", "build_flowar_approximator", "VarConfig", "VarTransformer", "load")},
}

MODES = varcheck.MODES
small = st.integers(1, 4)


def _settings(n):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])


def pair(inner):
    """An (h, w) pair, or something that is not quite one."""
    return st.one_of(st.tuples(inner, inner), st.tuples(inner, inner), st.lists(inner, max_size=3), junk_scalars)


def small_pair():
    return st.tuples(small, small)


def pyramids():
    return st.one_of(
        st.sampled_from(
            [
                varcheck.Pyramid([1, 2]),
                varcheck.Pyramid([1, 2, 3]),
                varcheck.Pyramid([(1, 2), (2, 3)]),
                varcheck.Pyramid.preset("flowar"),
            ]
        ),
        junk_scalars,
    )


def arrays(max_dims=3):
    """numpy arrays of small shapes (finite, NaN, ∞ entries), nested lists, or junk."""
    shapes = st.lists(st.integers(0, 4), min_size=0, max_size=max_dims).map(tuple)
    values = st.floats(allow_nan=True, allow_infinity=True, width=64)
    arr = shapes.flatmap(lambda s: st.lists(values, min_size=int(np.prod(s)), max_size=int(np.prod(s)))
                         .map(lambda v: np.array(v, dtype=np.float64).reshape(s)))
    finite = shapes.flatmap(lambda s: st.lists(st.floats(0, 1), min_size=int(np.prod(s)), max_size=int(np.prod(s)))
                            .map(lambda v: np.array(v, dtype=np.float64).reshape(s)))
    return st.one_of(arr, finite, finite, st.lists(st.lists(junk_scalars, max_size=3), max_size=3), junk)


def tensors(max_dims=4):
    import torch

    return arrays(max_dims).map(lambda a: torch.from_numpy(a) if isinstance(a, np.ndarray) else a)


def weight_lists(max_rows=3, max_cols=3):
    """Nested lists of rationals (possibly ragged or with junk) for exact weights."""
    entry = st.one_of(st.fractions(max_denominator=100), st.integers(-3, 3), rationals())
    row = st.lists(entry, min_size=0, max_size=max_cols)
    return st.one_of(st.lists(row, min_size=0, max_size=max_rows), st.lists(entry, max_size=3), junk)


# --------------------------------------------------------------------------- entry points, one strategy each

def _interp_kwargs():
    return st.fixed_dictionaries({}, optional={"align_corners": st.one_of(st.booleans(), junk_scalars),
                                               "a": rationals(), "exact": st.one_of(st.booleans(), junk_scalars)})


ENTRY = {}


def entry(name, names=()):
    def register(fn):
        ENTRY[name] = (fn, names)
        return fn
    return register


@entry("interpolation_matrix", ("src", "dst", "mode", "align_corners", "a", "exact"))
def _(draw):
    return (
        varcheck.interpolation_matrix,
        (draw(pair(sizes(0, 5))), draw(pair(sizes(0, 5))), draw(choice_or_junk(MODES))),
        draw(_interp_kwargs()),
    )


@entry("interpolation_matrix_1d", ("h", "hp", "mode", "align_corners", "a", "exact"))
def _(draw):
    return (
        varcheck.interpolation_matrix_1d,
        (draw(sizes(0, 9)), draw(sizes(0, 9)), draw(choice_or_junk(MODES))),
        draw(_interp_kwargs()),
    )


@entry("interpolate_direct", ("x", "dst", "mode", "align_corners", "a"))
def _(draw):
    x = draw(st.one_of(st.lists(st.lists(st.integers(-3, 3), min_size=1, max_size=3), min_size=1, max_size=3),
                       st.lists(st.lists(junk_scalars, max_size=3), max_size=3), junk))
    kwargs = draw(_interp_kwargs())
    kwargs.pop("exact", None)
    return varcheck.interpolate_direct, (x, draw(pair(sizes(0, 4))), draw(choice_or_junk(MODES))), kwargs


@entry("keys_kernel", ("x", "a"))
def _(draw):
    args = (draw(rationals()),) + ((draw(rationals()),) if draw(st.booleans()) else ())
    return varcheck.keys_kernel, args, {}


@entry("phi_up", ("prefix", "pyramid", "k", "mode", "align_corners", "a"))
def _(draw):
    kwargs = draw(_interp_kwargs())
    kwargs.pop("exact", None)
    return varcheck.phi_up, (draw(arrays(2)), draw(pyramids()), draw(sizes(-1, 4)), draw(choice_or_junk(MODES))), kwargs


@entry("pyramid_upsample", ("r1", "pyramid", "mode", "align_corners", "a"))
def _(draw):
    kwargs = draw(_interp_kwargs())
    kwargs.pop("exact", None)
    return varcheck.pyramid_upsample, (draw(arrays(3)), draw(pyramids()), draw(choice_or_junk(MODES))), kwargs


@entry("pyramid_upsampling_matrix", ("pyramid", "mode", "align_corners", "a", "exact"))
def _(draw):
    return varcheck.pyramid_upsampling_matrix, (draw(pyramids()), draw(choice_or_junk(MODES))), draw(_interp_kwargs())


@entry("interpolation_layer_matrix", ("scales", "mode", "exact"))
def _(draw):
    from varcheck.exact.pyramid_maps import interpolation_layer_matrix

    scale = st.one_of(pair(sizes(0, 5)), junk_scalars)
    valid = st.sampled_from([[(1, 1), (2, 2), (3, 3)], [(2, 3), (4, 4)]])
    scales = st.one_of(st.lists(scale, max_size=4), valid, junk_scalars)
    kwargs = draw(st.fixed_dictionaries({}, optional={"exact": st.one_of(st.booleans(), junk_scalars)}))
    mode = draw(choice_or_junk(("var", "bicubic", "bilinear", "nearest")))
    return interpolation_layer_matrix, (draw(scales), mode), kwargs


@entry("var_effective_map", ("p", "q", "full", "exact"))
def _(draw):
    kwargs = draw(st.fixed_dictionaries({}, optional={"full": sizes(0, 20),
                                                      "exact": st.one_of(st.booleans(), junk_scalars)}))
    return varcheck.var_effective_map, (draw(sizes(0, 17)), draw(sizes(0, 17))), kwargs


@entry("var_effective_map_2d", ("src", "dst", "full", "exact"))
def _(draw):
    kwargs = draw(st.fixed_dictionaries({}, optional={"full": sizes(0, 20),
                                                      "exact": st.one_of(st.booleans(), junk_scalars)}))
    return varcheck.var_effective_map_2d, (draw(pair(sizes(0, 17))), draw(pair(sizes(0, 17)))), kwargs


@entry("Interpolation", ("src", "dst", "mode", "align_corners", "a", "dtype", "x"))
def _(draw):
    kwargs = draw(_interp_kwargs())
    kwargs.pop("exact", None)
    if draw(st.booleans()):
        kwargs["dtype"] = draw(st.one_of(st.sampled_from(["float64", "float32"]), junk_scalars))
    args = (draw(pair(sizes(0, 5))), draw(pair(sizes(0, 5))), draw(choice_or_junk(MODES)))
    x = draw(tensors(4))

    def build_and_run(*a, **k):
        module = varcheck.Interpolation(*a, **k)
        return module(x)
    return build_and_run, args, kwargs


@entry("Pyramid", ("scales", "name"))
def _(draw):
    scales = draw(st.one_of(st.lists(st.one_of(sizes(0, 6), pair(sizes(0, 6))), max_size=5), junk,
                            st.lists(st.integers(1, 2**20), min_size=1, max_size=3).map(sorted),
                            st.lists(st.integers(1, 8), min_size=1, max_size=200).map(sorted)))
    kwargs = {"name": draw(junk_scalars)} if draw(st.booleans()) else {}

    def build(*a, **k):
        pyr = varcheck.Pyramid(*a, **k)
        return pyr.length, pyr.ranges, pyr.block_causal_mask().shape, repr(pyr)
    return build, (scales,), kwargs


@entry("Pyramid.preset", ("name",))
def _(draw):
    return varcheck.Pyramid.preset, (draw(choice_or_junk(varcheck.PRESETS)),), {}


@entry("registry", ("claim", "id"))
def _(draw):
    reg = varcheck.registry()
    return reg.get, (draw(st.one_of(st.sampled_from(reg.ids()), st.text(max_size=20), junk_scalars)),), {}


@entry("Claim", ("id", "label", "title", "statement", "paper_ref", "expected", "evidence", "hypotheses",
                 "depends_on", "constants", "finding", "corrected", "tables", "repro"))
def _(draw):
    text = st.one_of(st.text(max_size=12), st.sampled_from(["fuzz.claim", "F.1"]), junk_scalars)
    spec = varcheck.EvidenceSpec("numeric", "varcheck.claims.interpolation.operators:parity_property", "d")
    kwargs = {
        "id": draw(text),
        "label": draw(text),
        "title": draw(text),
        "statement": draw(text),
        "paper_ref": draw(text),
        "expected": draw(choice_or_junk(("holds", "refuted"))),
        "evidence": draw(
            st.one_of(st.just((spec,)), st.just(()), st.lists(junk_scalars, max_size=2).map(tuple), junk_scalars)
        ),
    }
    for optional in ("hypotheses", "depends_on", "constants", "tables"):
        if draw(st.booleans()):
            kwargs[optional] = draw(st.one_of(st.lists(text, max_size=2).map(tuple), junk_scalars))
    for optional in ("finding", "corrected", "repro"):
        if draw(st.booleans()):
            kwargs[optional] = draw(st.one_of(text, st.just("mod:fn")))
    return varcheck.Claim, (), kwargs


@entry("EvidenceSpec", ("kind", "function", "description"))
def _(draw):
    kwargs = {"kind": draw(choice_or_junk(("symbolic", "construction", "numeric", "certified"))),
              "function": draw(st.one_of(st.sampled_from(["m:f", "nocolon"]), st.text(max_size=10), junk_scalars)),
              "description": draw(st.one_of(st.text(max_size=10), junk_scalars))}
    return varcheck.EvidenceSpec, (), kwargs


@entry("Check", ("evidence", "profile", "seed", "caught_if", "predicate", "claim"))
def _(draw):
    reference = st.one_of(
        st.sampled_from(["m:f", "nocolon"]), st.just(lambda ctx: None), st.text(max_size=10), junk_scalars
    )
    kwargs = {}
    for name, strategy in (
        ("evidence", reference),
        ("claim", st.one_of(st.text(max_size=10), junk_scalars)),
        ("profile", choice_or_junk(("quick", "full"))),
        ("seed", st.one_of(st.integers(-2, 5), junk_scalars)),
        (
            "caught_if",
            st.one_of(st.just(("failed",)), st.just(()), st.lists(junk_scalars, max_size=2).map(tuple), junk_scalars),
        ),
        ("predicate", reference),
    ):
        if draw(st.booleans()):
            kwargs[name] = draw(strategy)
    return varcheck.Check, (), kwargs


@entry("Mutant", ("id", "claims", "description", "apply", "checks"))
def _(draw):
    check = varcheck.Check("m:f")
    kwargs = {
        "id": draw(st.one_of(st.sampled_from(["fuzz.mutant", "nodot"]), st.text(max_size=10), junk_scalars)),
        "claims": draw(
            st.one_of(
                st.just(("fuzz.claim",)), st.just(()), st.lists(junk_scalars, max_size=2).map(tuple), junk_scalars
            )
        ),
        "description": draw(st.one_of(st.text(max_size=10), junk_scalars)),
        "apply": draw(st.one_of(st.just(lambda patcher: None), junk_scalars)),
        "checks": draw(
            st.one_of(st.just((check,)), st.just(()), st.lists(junk_scalars, max_size=2).map(tuple), junk_scalars)
        ),
    }
    return varcheck.Mutant, (), kwargs


@entry("EvidenceResult", ("verdict", "detail", "observed", "bound", "counterexample", "kind", "seconds"))
def _(draw):
    kwargs = {"verdict": draw(choice_or_junk(("proved", "refuted", "undecided", "passed", "failed", "error"))),
              "detail": draw(st.one_of(st.text(max_size=10), junk_scalars))}
    for optional in ("observed", "bound", "kind", "seconds"):
        if draw(st.booleans()):
            kwargs[optional] = draw(junk_scalars)
    if draw(st.booleans()):
        kwargs["counterexample"] = draw(st.one_of(st.dictionaries(st.text(max_size=3), junk_scalars, max_size=2), junk))

    def build_and_serialise(**k):
        return varcheck.EvidenceResult(**k).to_dict()
    return build_and_serialise, (), kwargs


@entry("Context", ("profile", "seed"))
def _(draw):
    kwargs = {}
    if draw(st.booleans()):
        kwargs["profile"] = draw(choice_or_junk(("quick", "full")))
    if draw(st.booleans()):
        kwargs["seed"] = draw(sizes(-2, 10))
    return varcheck.Context, (), kwargs


#: Claims cheap enough to run inside the fuzz suite when an input happens to be valid.
CHEAP_CLAIMS = ("flowar.downsampling-separation", "interp.upsampling-repeats-tokens")


@entry("verify", ("ids", "id", "profile", "seed"))
def _(draw):
    ids = draw(
        st.one_of(
            st.lists(st.one_of(st.text(max_size=12), junk_scalars), min_size=1, max_size=3),
            st.lists(st.sampled_from(CHEAP_CLAIMS), min_size=1, max_size=2),
            st.sampled_from(CHEAP_CLAIMS),
            st.text(min_size=1, max_size=12),
            junk_scalars.filter(lambda v: v not in (None, (), [])),
        )
    )
    kwargs = {}
    if draw(st.booleans()):
        kwargs["profile"] = draw(st.one_of(st.just("quick"), st.text(max_size=6), junk_scalars))
    if draw(st.booleans()):
        kwargs["seed"] = draw(sizes(-2, 5))
    return varcheck.verify, (ids,), kwargs


def token_sequences():
    """(N, n, d) families: small valid grids of rationals, near-valid ones (repeats, NaN, ragged), or junk."""
    tok = st.fractions(0, 1, max_denominator=8)
    seq = st.integers(1, 3).flatmap(lambda d: st.lists(st.lists(tok, min_size=d, max_size=d).map(tuple),
                                                       min_size=2, max_size=3))
    return st.one_of(
        st.lists(seq, min_size=1, max_size=3),
        st.lists(st.lists(st.lists(rationals(), max_size=2), max_size=3), max_size=3),
        arrays(3),
        junk,
    )


@entry("contextual_mapping", ("sequences", "construction", "seed", "pyramid", "r_min", "r_max", "eps_tok", "projection",
                              "sequence", "token", "family", "vocabulary", "tokens"))
def _(draw):
    seqs = draw(
        st.one_of(
            token_sequences(), st.sampled_from([varcheck.GridVocabulary(2, 2, 1), varcheck.GridVocabulary(3, 2, 1)])
        )
    )
    kwargs = {}
    if draw(st.booleans()):
        kwargs["construction"] = draw(choice_or_junk(("paper", "tight")))
    for optional in ("seed", "r_min", "r_max", "eps_tok"):
        if draw(st.integers(0, 3)) == 0:
            kwargs[optional] = draw(sizes(-1, 3) if optional == "seed" else rationals())
    if draw(st.integers(0, 3)) == 0:
        kwargs["pyramid"] = draw(pyramids())
    if draw(st.integers(0, 3)) == 0:
        kwargs["projection"] = draw(st.one_of(st.lists(rationals(), max_size=3), junk))
    return varcheck.contextual_mapping, (seqs,), kwargs


@entry("ContextualMapping", ("construction", "family", "v", "c", "s", "u", "Y"))
def _(draw):
    from varcheck import TokenFamily

    fam = TokenFamily(varcheck.GridVocabulary(2, 2, 1))
    d = fam.d
    vec = st.one_of(st.lists(st.fractions(-2, 2, max_denominator=8), min_size=d, max_size=d).map(tuple),
                    st.lists(rationals(), max_size=4).map(tuple), junk)
    kwargs = {
        "construction": draw(choice_or_junk(("paper", "tight"))),
        "family": draw(st.one_of(st.just(fam), junk_scalars)),
        "v": draw(vec),
        "c": draw(rationals()),
        "s": draw(rationals()),
        "u": draw(vec),
        "Y": draw(rationals()),
    }

    def build(**k):
        cm = varcheck.ContextualMapping(**k)
        return cm.W_Q, cm.W_O, cm.R
    return build, (), kwargs


@entry("GridVocabulary", ("G", "n", "d", "sample", "seed"))
def _(draw):
    kwargs = {"G": draw(sizes(0, 4)), "n": draw(sizes(0, 4))}
    for optional in ("d", "sample", "seed"):
        if draw(st.booleans()):
            kwargs[optional] = draw(sizes(-1, 4))

    def build(**k):
        return len(varcheck.GridVocabulary(**k).sequences())
    return build, (), kwargs


@entry("TokenFamily", ("sequences", "pyramid", "r_min", "r_max", "eps_tok", "sequence", "token", "tokens"))
def _(draw):
    kwargs = {}
    for optional in ("r_min", "r_max", "eps_tok"):
        if draw(st.integers(0, 3)) == 0:
            kwargs[optional] = draw(rationals())
    if draw(st.integers(0, 3)) == 0:
        kwargs["pyramid"] = draw(pyramids())

    def build(seqs, **k):
        fam = varcheck.TokenFamily(seqs, **k)
        return fam.vocabulary, fam.n
    return build, (draw(token_sequences()),), kwargs


@entry("SelfAttention", ("w_q", "w_k", "w_v", "w_o", "mask", "dtype", "x"))
def _(draw):
    ws = [draw(st.one_of(arrays(2), weight_lists())) for _ in range(4)]
    kwargs = {}
    if draw(st.booleans()):
        kwargs["mask"] = draw(
            st.one_of(arrays(2).map(lambda a: a > 0.5 if isinstance(a, np.ndarray) else a), junk_scalars)
        )
    if draw(st.booleans()):
        kwargs["dtype"] = draw(st.one_of(st.sampled_from(["float64", "float32", "bfloat16"]), junk_scalars))
    x = draw(tensors(3))

    def build_and_run(*a, **k):
        return varcheck.SelfAttention(*a, **k)(x)
    return build_and_run, tuple(ws), kwargs


@entry("grid_size", ("eps", "L", "n", "d", "m", "alpha", "beta", "p", "per_entry"))
def _(draw):
    kwargs = {}
    for optional in ("m",):
        if draw(st.booleans()):
            kwargs[optional] = draw(sizes(0, 5))
    for optional in ("alpha", "beta", "p"):
        if draw(st.booleans()):
            kwargs[optional] = draw(st.one_of(st.sampled_from([1, 2, 3, float("inf"), Fraction(3, 2)]), rationals()))
    if draw(st.booleans()):
        kwargs["per_entry"] = draw(st.one_of(st.booleans(), junk_scalars))
    return varcheck.grid_size, (draw(rationals()), draw(rationals()), draw(sizes(0, 5)), draw(sizes(0, 3))), kwargs


@entry("partition_bound", ("L", "G", "n", "d", "m", "alpha", "beta", "p", "per_entry"))
def _(draw):
    kwargs = {}
    if draw(st.booleans()):
        kwargs["m"] = draw(sizes(0, 5))
    for optional in ("alpha", "beta", "p"):
        if draw(st.booleans()):
            kwargs[optional] = draw(st.one_of(st.sampled_from([1, 2, 3, float("inf"), Fraction(3, 2)]), rationals()))
    if draw(st.booleans()):
        kwargs["per_entry"] = draw(st.one_of(st.booleans(), junk_scalars))

    def evaluate(*a, **k):
        bound = varcheck.partition_bound(*a, **k)
        return bound.rational(), str(bound), bound <= 1
    return evaluate, (draw(rationals()), draw(sizes(0, 9)), draw(sizes(0, 5)), draw(sizes(0, 3))), kwargs


@entry("eta_from_budget", ("eps2", "M", "n", "d", "G", "p"))
def _(draw):
    kwargs = {"p": draw(st.one_of(st.sampled_from([1, 2, 3, Fraction(3, 2), float(
        "inf")]), rationals()))} if draw(st.booleans()) else {}
    return (
        varcheck.eta_from_budget,
        (draw(rationals()), draw(rationals()), draw(sizes(0, 5)), draw(sizes(0, 3)), draw(sizes(0, 9))),
        kwargs,
    )


@entry("grid_quantize", ("t", "G"))
def _(draw):
    return varcheck.grid_quantize, (draw(rationals()), draw(sizes(0, 9))), {}


@entry("relu_quantizer", ("G", "eta", "centre", "t"))
def _(draw):
    kwargs = {"centre": draw(st.one_of(st.booleans(), junk_scalars))} if draw(st.booleans()) else {}
    t = draw(rationals())

    def build_and_use(*a, **k):
        q = varcheck.relu_quantizer(*a, **k)
        return q.reference(t), q.lipschitz(), q.width(), q.bad_set_measure()
    return build_and_use, (draw(sizes(0, 9)), draw(rationals())), kwargs


@entry("ReluQuantizer", ("G", "eta", "centre"))
def _(draw):
    kwargs = {"centre": draw(st.one_of(st.booleans(), junk_scalars))} if draw(st.booleans()) else {}

    def build(*a, **k):
        q = varcheck.ReluQuantizer(*a, **k)
        return q.breakpoints(), q.weights()
    return build, (draw(sizes(0, 9)), draw(rationals())), kwargs


def keys_values():
    keys = st.one_of(st.lists(st.fractions(0, 1, max_denominator=16), min_size=0, max_size=4, unique=True),
                     st.lists(rationals(), max_size=4), junk)
    values = st.one_of(st.lists(st.fractions(-2, 2, max_denominator=16), max_size=4),
                       st.lists(st.lists(st.fractions(-2, 2, max_denominator=8), min_size=1, max_size=2), max_size=4),
                       st.lists(rationals(), max_size=4), junk)
    return keys, values


@entry("scalar_value_map", ("keys", "values", "key", "value"))
def _(draw):
    keys, values = keys_values()

    def build(*a):
        v = varcheck.scalar_value_map(*a)
        return v.weights(), v.lipschitz(), v.min_gap()
    return build, (draw(keys), draw(values)), {}


@entry("ScalarValueMap", ("keys", "values", "key", "value"))
def _(draw):
    keys, values = keys_values()
    return varcheck.ScalarValueMap, (draw(keys), draw(values)), {}


@entry("grid_value_map", ("G", "keys", "values", "theta", "key", "value", "x"))
def _(draw):
    keys = st.one_of(st.lists(st.lists(st.integers(-1, 3), min_size=1, max_size=2).map(tuple), max_size=4),
                     st.lists(junk_scalars, max_size=3), junk)
    values = st.one_of(
        st.lists(st.fractions(-2, 2, max_denominator=8), max_size=4), st.lists(junk_scalars, max_size=3), junk
    )
    kwargs = {"theta": draw(rationals())} if draw(st.booleans()) else {}
    x = draw(st.one_of(st.lists(st.fractions(0, 1, max_denominator=8), min_size=1, max_size=2), junk))

    def build_and_project(*a, **k):
        v = varcheck.grid_value_map(*a, **k)
        return v.weights(), v.lipschitz(), v.project(x)
    return build_and_project, (draw(sizes(0, 4)), draw(keys), draw(values)), kwargs


@entry("GridValueMap", ("G", "keys", "values", "theta", "key", "value"))
def _(draw):
    keys = st.one_of(st.lists(st.lists(st.integers(-1, 3), min_size=1, max_size=2).map(tuple), max_size=4), junk)
    values = st.one_of(st.lists(st.fractions(-2, 2, max_denominator=8), max_size=4), junk)
    return varcheck.GridValueMap, (draw(sizes(0, 4)), draw(keys), draw(values)), {}


@entry("FeedForward", ("w1", "b1", "w2", "b2", "residual", "x"))
def _(draw):
    ws = (draw(weight_lists()), draw(st.one_of(st.lists(rationals(), max_size=3), junk)), draw(weight_lists()),
          draw(st.one_of(st.lists(rationals(), max_size=3), junk)))
    kwargs = {"residual": draw(st.one_of(st.booleans(), junk_scalars))} if draw(st.booleans()) else {}
    x = draw(tensors(3))

    def build_and_run(*a, **k):
        return varcheck.FeedForward(*a, **k)(x)
    return build_and_run, ws, kwargs


def test_every_public_name_is_fuzzed_or_left_out_for_a_reason():
    covered = {name.split(".")[0] for name in ENTRY}
    missing = [n for n in varcheck.__all__ if n not in covered and n not in LEFT_OUT]
    assert not missing, f"public names without a fuzz strategy: {missing}"
    assert all(reason for reason in LEFT_OUT.values())


@pytest.mark.parametrize("name", list(ENTRY))
def test_entry_point_contract(name, fuzz_dir, examples):
    build, names = ENTRY[name]

    @_settings(examples(60))
    @given(data=st.data())
    def run(data):
        fn, args, kwargs = build(data.draw)
        check_call(name, fn, args, kwargs, names=names, workdir=fuzz_dir)

    run()


@given(G=st.integers(1, 12), k=st.integers(1, 40), centre=st.booleans(),
       xs=st.lists(st.fractions(-1, 2, max_denominator=200), max_size=30))
def test_quantizer_sweep_equals_term_by_term_evaluation(G, k, centre, xs):
    """The linear-time sweep that pieces() uses (added so that a G = 2¹⁶ quantizer's Lipschitz constant does not
    take O(G²)) agrees exactly with the network's term-by-term sum, at breakpoints and anywhere else."""
    q = varcheck.relu_quantizer(G, Fraction(1, G * k) * min(k, 1 + k % 3), centre=centre)
    points = sorted(set(xs) | set(q.breakpoints()) | {Fraction(0), Fraction(1)})
    assert q._values_increasing(points) == [q(x) for x in points]
