"""Sweep constructions ``word_to_image`` (T2, docs/theory.md §6.2) and ``image_to_image`` (T1, §6.1).

Every measured number is read from what the library's builders return, never copied:

* ``word_to_image``: the target is ``smooth_field(seed, pyramid, d, channels)``. The ``size`` measure needs
  only :func:`varcheck.exact.word_to_image.plan_word_to_image` (``plan.G``, ``plan.parameter_count()``,
  ``plan.widths()``), so the size law can be followed to ε where no float64 network is built; the
  ``certificate`` measure builds the network with ``build_var_approximator`` and reads its certificate.
* ``image_to_image``: :func:`varcheck.exact.image_to_image.build_image_to_image` (the exact/ball T1 network,
  tight or paper contextual mapping) on VAR's bicubic resize from the first to the last scale followed by
  a seeded pixel-wise clip (the T1 instance of ``ua.image-to-image``, generalised to any pyramid), and
  :func:`~varcheck.exact.image_to_image.paper_requirement` for the bits the paper constants would need.

Memory estimates (bytes, before anything is built): T2 holds the float64 table (G^d·L·channels entries)
and the network's parameters; T1 holds one read-out ball per (cell, output position) at the read-out
precision and the step table placed between them (two dyadic endpoints and a rational jump per step).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

from ..errors import VarcheckError, approximate_count, power_text
from .constructions import Construction, Param, _register, parse_pyramid
from .contextual import BYTES_PER_TOKEN_SLOT, arb_workspace_bytes, ball_bytes

__all__ = ["WORD_TO_IMAGE", "IMAGE_TO_IMAGE", "T2_TABLE_COPIES", "T1_PARTITION_SHARE"]

#: float64 copies of the G^d·L·channels table alive at the peak of a T2 build (the target's output at the
#: cell centres, the module's buffer, and one temporary of the certificate's evaluation), plus the weights.
T2_TABLE_COPIES = 3
BYTES_PER_FLOAT64 = 8
#: Activations of the builder's chunked float64 evaluation (its Monte-Carlo check): 256 MiB chunks, a layer's input
#: and output alive together (peak-RSS increase measured 528 MB on var256, d = 2, ε = 0.01, G = 28).
T2_ACTIVATION_BYTES = 2 * 2**28
#: The share of ε that ``build_image_to_image`` gives the partition term (G = ⌈L_f/(2·ε·share)⌉ when G is not
#: given); used only to size the instance up front; tests/test_sweep.py checks it against the built G.
T1_PARTITION_SHARE = Fraction(3, 5)


def _exponent(p):
    return p if isinstance(p, int) else Fraction(p)


# --------------------------------------------------------------------------- T2 word-to-image


@lru_cache(maxsize=64)
def _t2_target(seed, pyramid, d, channels):
    from ..runtime import targets as T

    return T.smooth_field(seed=seed, pyramid=parse_pyramid(pyramid), d=d, channels=channels)


def _t2_plan(p):
    from ..exact.word_to_image import plan_word_to_image

    target = _t2_target(p["seed"], p["pyramid"], p["d"], p["channels"])
    return plan_word_to_image(d=p["d"], L=target.output_shape[0], channels=p["channels"], lipschitz=target.lipschitz,
                              eps=Fraction(p["eps"]), p=_exponent(p["p"]))


def _t2_builds(measures) -> bool:
    return set(measures) != {"size"}


def _t2_check(p, measures):
    pyr = parse_pyramid(p["pyramid"])
    if pyr.scales[0] != (1, 1):
        raise VarcheckError(f"word_to_image needs a pyramid starting at a 1×1 scale, got {p['pyramid']!r}.")
    plan = _t2_plan(p)
    if _t2_builds(measures):
        from ..runtime.approximator import MAX_TABLE_ENTRIES

        entries = plan.G**plan.d * plan.L * plan.channels
        if entries > MAX_TABLE_ENTRIES:
            raise VarcheckError(f"the word-to-image table would hold G^d·L·channels = {entries} entries (G = "
                                f"{plan.G}), above the builder's {MAX_TABLE_ENTRIES}; raise eps or measure 'size' "
                                "only.")


def _t2_memory(p, measures) -> int:
    plan = _t2_plan(p)
    if not _t2_builds(measures):
        return 1 << 20  # the plan: a handful of numbers
    cells = plan.G**plan.d
    floats = T2_TABLE_COPIES * cells * plan.L * plan.channels + cells * plan.d + plan.parameter_count()
    return BYTES_PER_FLOAT64 * floats + T2_ACTIVATION_BYTES


def _t2_work(p) -> float:
    plan = _t2_plan(p)
    return float(plan.G**plan.d * plan.L)


def _widths(widths: dict) -> str:
    from .constructions import canonical_json

    return canonical_json({k: int(v) for k, v in widths.items()})


def _t2_run(p, measures) -> dict:
    if not _t2_builds(measures):
        plan = _t2_plan(p)
        return {"G": plan.G, "L": plan.L, "parameter_count": int(plan.parameter_count()),
                "widths": _widths(plan.widths())}
    from ..runtime.approximator import build_var_approximator
    from .constructions import canonical_json

    target = _t2_target(p["seed"], p["pyramid"], p["d"], p["channels"])
    approx = build_var_approximator(target, parse_pyramid(p["pyramid"]), Fraction(p["eps"]), p=_exponent(p["p"]),
                                    setting="word_to_image", attention=p["attention"])
    plan = approx.plan
    out = {}
    if "size" in measures:
        out.update(G=plan.G, L=plan.L, parameter_count=int(plan.parameter_count()), widths=_widths(plan.widths()))
    if "certificate" in measures:
        cert = approx.certificate()
        out.update(certified=bool(cert["certified"]), lp_bound=float(cert["lp_bound"]),
                   lp_bound_unnormalised=float(cert["lp_bound_unnormalised"]),
                   sup_interior_bound=float(cert["sup_interior_bound"]), eta=str(plan.eta),
                   ledger=canonical_json({k: float(v) for k, v in approx.ledger.items() if _is_number(v)}))
    return out


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Fraction)) and not isinstance(v, bool)


_SIZE = (("G", int, "grid size"), ("L", int, "tokens of the pyramid"),
         ("parameter_count", int, "parameters, as the builder counts them"), ("widths", str, "layer widths (JSON)"))

WORD_TO_IMAGE = _register(
    Construction(
        name="word_to_image",
        summary="T2: the word-to-image approximator of smooth_field on a pyramid, certified per entry in d̄_p",
        params=(
            Param("pyramid", "pyramid", "var256", doc="a preset or square sides like '1-2-4' (first scale 1×1)"),
            Param("d", "int", 2, minimum=1, doc="word dimension"),
            Param("channels", "int", 1, minimum=1, doc="output channels"),
            Param("eps", "rational", doc="per-entry error ε in d̄_p"),
            Param("p", "exponent", 2, doc="the L_p exponent (finite, ≥ 1)"),
            Param(
                "attention",
                "choice",
                "identity",
                choices=("identity", "contextual"),
                doc="SA identity or contextual (F9)",
            ),
            Param("seed", "int", minimum=0, doc="target seed"),
        ),
        measures={
            "size": _SIZE,
            "certificate": (
                ("certified", bool, "the certified d̄_p ≤ ε"),
                ("lp_bound", float, "certified per-entry d̄_p"),
                ("lp_bound_unnormalised", float, "certified d_p"),
                ("sup_interior_bound", float, "sup error off the bad set"),
                ("eta", str, "ramp width η"),
                ("ledger", str, "the ledger terms (JSON)"),
            ),
        },
        default_measures=("size", "certificate"),
        check=_t2_check,
        memory_bytes=_t2_memory,
        work=_t2_work,
        run=_t2_run,
    )
)


# --------------------------------------------------------------------------- T1 image-to-image


@lru_cache(maxsize=64)
def _t1_target(seed, pyramid):
    from ..runtime import targets as T

    pyr = parse_pyramid(pyramid)
    first, last = pyr.scales[0], pyr.scales[-1]
    return T.compose(
        [T.resize(seed=seed, mode="bicubic", src=first, dst=last), T.clip_map(seed=seed, shape=last + (1,))]
    )


def _t1_grid(p) -> int:
    if p["grid"]:
        return p["grid"]
    lip = _t1_target(p["seed"], p["pyramid"]).lipschitz
    return max(1, math.ceil(lip / (2 * Fraction(p["eps"]) * T1_PARTITION_SHARE)))


def _t1_sizes(p):
    pyr = parse_pyramid(p["pyramid"])
    return pyr.sizes[0], pyr.length, pyr.sizes[-1]


def _t1_check(p, measures):
    from ..exact.image_to_image import MAX_CELLS

    pyr = parse_pyramid(p["pyramid"])
    if len(pyr.scales) < 2:
        raise VarcheckError(f"image_to_image needs a pyramid of at least two scales, got {p['pyramid']!r}.")
    n, _, _ = _t1_sizes(p)
    G = _t1_grid(p)
    if G.bit_length() * n > 64 or G**n > MAX_CELLS:
        raise VarcheckError(f"image_to_image on {p['pyramid']} with G = {approximate_count(G)} enumerates "
                            f"{power_text('G^n', G, n)} cells, above the builder's {MAX_CELLS}; raise eps or use a "
                            "smaller first scale.")


def _t1_bits(p) -> int:
    """Read-out precision: the builder's (A4-tight with projection (M, 1, G), M = G·L) or its paper cap."""
    from ..exact.contextual_mapping import GUARD_BITS
    from ..exact.image_to_image import MAX_PAPER_BITS

    if p["variant"] == "paper":
        return MAX_PAPER_BITS  # larger instances are refused before any read-out is computed
    _, L, _ = _t1_sizes(p)
    M = _t1_grid(p) * L
    c = (2 * math.log(L) + 3) / M + 2.0**-29
    Y = 2 * M - 1
    return math.ceil(c * Y * (M - 1) / math.log(2)) + math.ceil(math.log2(c * Y * Y + 1)) + GUARD_BITS + 1


def _t1_memory(p, measures) -> int:
    n, L, n_out = _t1_sizes(p)
    cells = _t1_grid(p) ** n
    bits = _t1_bits(p)
    per_readout = 4 * ball_bytes(bits)  # the ball, the step's two dyadic endpoints and jump, the table entry
    return cells * L * BYTES_PER_TOKEN_SLOT + cells * n_out * per_readout + arb_workspace_bytes(bits)


def _t1_work(p) -> float:
    n, L, n_out = _t1_sizes(p)
    cells = _t1_grid(p) ** n
    return float(cells * n_out * L * _t1_bits(p))


def _t1_run(p, measures) -> dict:
    from ..exact.image_to_image import build_image_to_image, paper_requirement

    pyr = parse_pyramid(p["pyramid"])
    net = build_image_to_image(_t1_target(p["seed"], p["pyramid"]), pyr, Fraction(p["eps"]), p=_exponent(p["p"]),
                               masked=p["masked"], G=p["grid"] or None, construction=p["variant"])
    out = {}
    constants = net.constants
    if "size" in measures:
        out.update(G=int(net.G), L=pyr.length, cells=int(constants["cells"]), parameter_count=int(constants[
            "parameter_count"]),
                   widths=_widths(constants["widths"]), precision_bits=int(net.precision))
    if "certificate" in measures:
        cert = net.certificate()
        out.update(certified=bool(cert["certified"]), lp_bound=float(cert["lp_bound"]),
                   sup_interior_bound=float(cert["sup_interior_bound"]))
    if "paper_bits" in measures:
        need = paper_requirement(pyr, int(constants["G"]), p["masked"])
        out.update(paper_bits=int(need["bits"]), paper_max_logit=float(need["max_logit"]))
    return out


IMAGE_TO_IMAGE = _register(Construction(
    name="image_to_image",
    summary="T1: the image-to-image approximator (bicubic resize then clip) over Q, certified per entry in d̄_p",
    params=(
        Param("pyramid", "pyramid", doc="sides like '1x2-2x4' or '2-4' (input = first scale, output = last)"),
        Param("eps", "rational", doc="per-entry error ε in d̄_p"),
        Param("grid", "int", 0, minimum=0, doc="grid size G to impose (0: the builder derives G from ε)"),
        Param("masked", "bool", True, doc="block-causal mask"),
        Param("variant", "choice", "tight", choices=("tight", "paper"), doc="contextual mapping constants"),
        Param("p", "exponent", 2, doc="the L_p exponent (finite, ≥ 1)"),
        Param("seed", "int", minimum=0, doc="target seed"),
    ),
    measures={
        "size": _SIZE + (("cells", int, "input grid cells G^n"), ("precision_bits", int, "bits of the ball read-outs")),
        "certificate": (("certified", bool, "the certified d̄_p ≤ ε"), ("lp_bound", float, "certified per-entry d̄_p"),
                        ("sup_interior_bound", float, "sup error off the bad set")),
        "paper_bits": (("paper_bits", int, "bits the paper construction (A4 constants) needs per read-out"),
                       ("paper_max_logit", float, "its largest |logit|")),
    },
    default_measures=("size", "certificate", "paper_bits"),
    check=_t1_check, memory_bytes=_t1_memory, work=_t1_work, run=_t1_run,
))
