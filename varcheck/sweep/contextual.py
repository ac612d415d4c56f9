"""Sweep construction ``contextual_mapping``: the rank-1 contextual mapping on a grid vocabulary
(docs/theory.md §3.3 A4, A4-tight, A6), the object behind finding F6.

A point is ``GridVocabulary(G, n, d)`` (every sequence of n tokens (1, g/G, t), or ``sample`` of them)
under ``variant`` = ``paper`` (A4's constants) or ``tight`` (the explicit integer projection, c = q/M). The
measures reuse the library's own functions: :func:`varcheck.contextual_mapping`, ``certify`` (the
cancellation-free difference certificate by default, or the direct ball evaluation), ``precision_budget``
(bits needed and float64/float32/bfloat16 feasibility, as ``varcheck explain attn.precision-budget``),
``gamma_formula`` (docs/theory.md's γ at the instance constants) and, for ``float_runs``, the torch runs of A6.

The memory estimate is computed before anything is built, from closed-form upper bounds on the
constants: every token has ‖x‖ ≥ 1 (the constant coordinate) and ‖x‖² ≤ 1 + d((G−1)/G)² + (n−1)²;
distinct tokens are ≥ 1/G apart; the tight projection's values lie in [M, 2M−1] with M = n·G^d and
c = q/M; the paper temperature is A4's, and |vᵀx| ≤ ‖x‖ since ‖v‖ ≤ 1. These bound the logit spread and
so the working precision of the direct method (whose read-out cache holds N·n balls at that many bits).
"""

from __future__ import annotations

import math

from .constructions import Construction, Param, _register

__all__ = ["CONTEXTUAL_MAPPING", "working_precision_upper", "ball_bytes", "arb_workspace_bytes", "BYTES_PER_TOKEN_SLOT",
           "ARB_OBJECT_BYTES", "ARB_EXP_WORKSPACE", "ARB_FIXED_BYTES"]

#: Memory per (sequence, position) slot of a family and its certificate: the token tuple and its d + 2
#: Fractions, the visible-set frozenset of the groups, the cached read-out and its key. Measured as the
#: peak-RSS increase of a fresh process divided by the slots: 2.3–2.7 kB on G = 4, n = 4 / G = 8, n = 3 /
#: G = 2, n = 8 (d = 1); 4 kB bounds them with room for d ≤ 3.
BYTES_PER_TOKEN_SLOT = 4096
#: An arb ball object beyond its mantissa limbs (python-flint object header, midpoint and radius structs).
ARB_OBJECT_BYTES = 128
#: arb's exp/log at p bits needs workspace of about this many times one ball's p/8 bytes (peak-RSS increase
#: of one exp and one log, measured 67× at 10⁶ bits and 54× at 4·10⁶ bits; 64 with the per-ball term below).
ARB_EXP_WORKSPACE = 64
#: Fixed memory of arb's first high-precision evaluations (cached constants, thread-local pools): measured
#: 2.6 MB at 10⁴ bits and up to 10 MB for a whole small direct certificate; 16 MiB bounds both.
ARB_FIXED_BYTES = 16 * 2**20


def _delta(n: int) -> float:
    return 2 * math.log(n) + 3


def _constants_upper(G: int, n: int, d: int):
    """(|V| upper, r_min lower, r_max upper, ε_tok lower) of the grid vocabulary, from the closed forms."""
    V = n * G**d
    r_min = 1 - 2.0**-29  # dyadic below √1
    r_max = math.sqrt(1 + d * ((G - 1) / G) ** 2 + (n - 1) ** 2) + 2.0**-29
    eps_tok = (1 / G if G >= 2 else 1.0) - 2.0**-29
    return V, r_min, r_max, eps_tok


def working_precision_upper(variant: str, G: int, n: int, d: int) -> int:
    """An upper estimate of ``ContextualMapping.working_precision()`` (bits of the direct method)."""
    from ..exact.contextual_mapping import GUARD_BITS

    if variant == "tight":
        M = n * G**d
        q = math.floor(_delta(n)) + 1
        c, Y, width = q / M, 2 * M - 1, M - 1
        spread, R = c * Y * width, c * Y * Y
    else:
        V, r_min, r_max, eps_tok = _constants_upper(G, n, d)
        c = _delta(n) * math.pi * d * (V + 1) ** 4 / (8 * r_min * eps_tok) + 1
        spread, R = 2 * c * r_max**2, c * r_max**2
    return math.ceil(spread / math.log(2)) + math.ceil(math.log2(R + 1)) + GUARD_BITS + 1


def _sequences(p) -> int:
    return p["sample"] or p["G"] ** (p["n"] * p["d"])


def _check(p, measures):
    from ..exact.token_family import GridVocabulary

    GridVocabulary(p["G"], p["n"], p["d"], sample=p["sample"] or None, seed=p["seed"])  # raises for > 4096 sequences


def _memory(p, measures) -> int:
    from ..exact.contextual_mapping import DIFFERENCE_PRECISION

    slots = _sequences(p) * p["n"]
    bits = DIFFERENCE_PRECISION if p["method"] == "difference" else working_precision_upper(p[
        "variant"], p["G"], p["n"], p["d"])
    return slots * (BYTES_PER_TOKEN_SLOT + ball_bytes(bits)) + arb_workspace_bytes(bits)


def ball_bytes(bits: int) -> int:
    """Memory of one arb ball at ``bits`` bits of precision."""
    return ARB_OBJECT_BYTES + bits // 8 + 8


def arb_workspace_bytes(bits: int) -> int:
    """Transient memory of one exp/log at ``bits`` bits, plus arb's fixed memory (see the constants above)."""
    return ARB_FIXED_BYTES + ARB_EXP_WORKSPACE * (bits // 8 + 8)


def _work(p) -> float:
    """Same-token pairs the difference certificate visits: |V| tokens × C(visible sets per token, 2)."""
    sets = min(_sequences(p), p["G"] ** ((p["n"] - 1) * p["d"]))
    return p["n"] * p["G"] ** p["d"] * sets * (sets - 1) / 2 + _sequences(p)


def _log10(ball):
    if ball is None or not ball > 0:
        return None
    from flint import arb

    return float((arb(ball.mid()).log() / arb(10).log()).mid())


def _run(p, measures) -> dict:
    from ..exact.contextual_mapping import contextual_mapping, delta_ball
    from ..exact.token_family import GridVocabulary

    grid = GridVocabulary(p["G"], p["n"], p["d"], sample=p["sample"] or None, seed=p["seed"])
    cm = contextual_mapping(grid, construction=p["variant"], seed=p["seed"])
    out = {}
    if "constants" in measures:
        out.update(vocabulary_size=cm.vocabulary_size, sequences=cm.family.N, c=float(cm.c), c_exact=str(cm.c),
                   M_projection=int(cm.v[0]) if p["variant"] == "tight" else None, r_min=float(cm.r_min),
                   r_max=float(cm.r_max), eps_tok=float(cm.eps_tok), delta=float(delta_ball(cm.n).mid()))
    cert = budget = None
    if {"gamma", "bits", "feasibility"} & set(measures):
        cert = cm.certify(method=p["method"])
        budget = cm.precision_budget(cert.gamma_actual) if cert.gamma_actual is not None else None
    if "gamma" in measures:
        out.update(certified=bool(cert.certified), log10_gamma_actual=_log10(cert.gamma_actual),
                   log10_gamma_bound=_log10(cert.gamma_bound), log10_gamma_formula=_log10(cm.gamma_formula()),
                   pairs_checked=cert.pairs_checked, certificate_bits=cert.precision)
    if "bits" in measures:
        out.update(bits_needed=budget["mantissa_bits_needed"] if budget else None,
                   working_precision_direct=cm.working_precision())
    if "logits" in measures:
        out.update(max_abs_logit=float(cm.logit_range()), logit_spread=float(cm.logit_spread()),
                   fits_cosine_cap=bool(cm.logit_range() <= _cosine_cap()))
    if "feasibility" in measures:
        for fmt in ("float64", "float32", "bfloat16"):
            out[f"feasible_{fmt}"] = bool(budget["feasible"][fmt]) if budget else None
        out["log2_smallest_weight"] = budget["log2_smallest_weight"] if budget else None
    if "float_runs" in measures:
        import torch

        from ..claims.attention.precision import float_run_separates
        from ..runtime.attention import contextual_mapping_outputs

        for fmt in ("float64", "float32", "bfloat16"):
            run = contextual_mapping_outputs(cm, fmt).to(torch.float64).numpy()
            out[f"separates_{fmt}"] = bool(float_run_separates(cm, run))
    return out


def _cosine_cap():
    from ..exact.contextual_mapping import COSINE_LOGIT_CAP

    return COSINE_LOGIT_CAP


CONTEXTUAL_MAPPING = _register(Construction(
    name="contextual_mapping",
    summary="the rank-1 contextual mapping (A4 / A4-tight) on GridVocabulary(G, n, d), certified in ball arithmetic",
    params=(
        Param("variant", "choice", "tight", choices=("tight", "paper"), doc="paper = A4's constants, tight = A4-tight"),
        Param("G", "int", minimum=1, doc="grid size: token digits g ∈ {0..G−1}"),
        Param("n", "int", minimum=2, doc="sequence length"),
        Param("d", "int", 1, minimum=1, doc="token dimension (digits per token)"),
        Param("sample", "int", 0, minimum=0, doc="draw this many sequences instead of all G^(n·d) (0: all)"),
        Param("method", "choice", "difference", choices=("difference", "direct"),
              doc="certificate: cancellation-free difference (128 bits) or direct ball evaluation"),
        Param("seed", "int", minimum=0, doc="projection search (paper) and sampling seed"),
    ),
    measures={
        "constants": (("vocabulary_size", int, "|V|"), ("sequences", int, "N sequences certified"),
                      ("c", float, "temperature"), ("c_exact", str, "temperature, exact rational"),
                      ("M_projection", int, "tight: the projection's first value M = n·G^d"),
                      ("r_min", float, "r_min"), ("r_max", float, "r_max"), ("eps_tok", float, "ε_tok"),
                      ("delta", float, "Δ = 2 ln n + 3")),
        "gamma": (("certified", bool, "the (r, γ) certificate holds"),
                  ("log10_gamma_actual", float, "log10 of the certified minimum separation"),
                  ("log10_gamma_bound", float, "log10 of the proof's guarantee s(ln n)²e^{−2R}/(cY)"),
                  ("log10_gamma_formula", float, "log10 of docs/theory.md A4's γ at the instance constants"),
                  ("pairs_checked", int, "same-token pairs "
                                         "certified"), ("certificate_bits", int, "arb precision used")),
        "bits": (("bits_needed", int, "mantissa bits a float run needs to resolve γ_actual (A6)"),
                 ("working_precision_direct", int, "bits of the direct ball evaluation")),
        "logits": (("max_abs_logit", float, "largest "
                                            "|logit|"), ("logit_spread", float, "largest score spread in a row"),
                   ("fits_cosine_cap", bool, "|logit| ≤ 100 (VAR's cosine attention)")),
        "feasibility": (("feasible_float64", bool, "budget: float64 resolves γ"), ("feasible_float32", bool, "float32"),
                        ("feasible_bfloat16", bool, "bfloat16"), ("log2_smallest_weight", float,
                                                                  "log2 of the smallest softmax weight")),
        "float_runs": (("separates_float64", bool, "a torch float64 run separates every required pair"),
                       ("separates_float32", bool, "float32 run"), ("separates_bfloat16", bool, "bfloat16 run")),
    },
    default_measures=("constants", "gamma", "bits", "logits", "feasibility"),
    check=_check, memory_bytes=_memory, work=_work, run=_run,
))

