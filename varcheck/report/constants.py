"""Every derived constant of varcheck's default instances, for papers: TeX macros or JSON.

    varcheck constants --format tex                     # \\newcommand{\\varcheckAttnTightTemperature}{...}
    varcheck constants --instance attn-tight --format json

An **instance** is a named, deterministic builder returning :class:`Constant` objects computed by
varcheck's exact layer (not copied from prose). The default instances are the quick-profile instances
of the registered claims:

``interp``            the Keys kernel minima (I4), the bicubic ∞-norm bounds (I3), VAR's effective-map
                      deviation (I8) and the torch-nearest mismatch count (I9);
``pyramid``           the token counts L of the presets (THEORY.md §1);
``attn-paper``        A4's paper construction on the quick pooled family (seed 0), with its certificate;
``attn-tight``        the tight construction on the grid vocabulary G = 3, n = 2, d = 1 (A4-tight, A6);
``partition``         the P1/P4/P5 pipeline on THEORY's var256 example (ε₁ = ε₂ = 3/1000, L = 4,
                      n = 680, d = 2, m = 1360, p = 2): grid, ramp width, Lipschitz blow-up, widths,
                      parameter counts and the ledger terms ε₁ + ε₂;
``word-to-image``     T2's approximator on var256 (d = 2, two channels, ε = 10⁻² per entry in d̄₂, seed 0):
                      grid, ramp, widths, parameter count and its error ledger (upper bounds);
``hofar``             HOFAR (docs/hofar.md): FlowAR's grid steps, the inexact-head factors, and at data spread
                      s = 1/2 the certified rate constants K_k, C_k and the order-k errors with their bounds (k ≤ 3);
``claims``            the numeric constants declared by the registered claims themselves.

Every constant declares its **side** (:data:`varcheck.exact.directed_rounding.SIDES`): ``lower`` (a lower
bound, so every printed approximation is rounded down), ``upper`` (rounded up), ``exact`` (a value that
bounds nothing; approximations to nearest) or ``estimate`` (no guarantee; to nearest). It is derived for
integers and booleans and for the numbers the claims declare (exactly what is written); every other
constant states it, and rendering refuses a constant without one rather than guess a direction.

Values are exact where exact: rationals as ``p/q`` (TeX ``\\frac{p}{q}``), exact radicals in sympy form
(TeX from :func:`sympy.latex`), integers as integers. Inexact values are kept as what was certified — an
arb ball, or a float that is itself the bound — and printed with five significant digits on their safe
side (γ, a lower bound, from the ball's lower end rounded down: ``3.6082e-18``, TeX
``3.6082 \\times 10^{-18}``); the JSON carries the ball (``"ball"``, arb's own enclosure) or the float's
exact rational (``"rational"``) beside it, and ``"approx"`` is the float64 on the safe side. Macro names
are ``\\varcheck`` + the instance + the constant in CamelCase, letters only (digits and Greek letters are
spelled out), and expand inside ``\\ensuremath`` so they work in text and in math. A rational with more
than 12 digits also gets an ``…Approx`` macro with six significant digits, rounded on its side.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import VarcheckError
from ..exact.directed_rounding import (
    ball_endpoint,
    ball_string,
    direction_of,
    float_toward,
    format_bound,
    format_decimal,
    require_side,
)

__all__ = ["Constant", "INSTANCES", "instance_constants", "render_tex", "render_json", "macro_name", "tex_value",
           "printed_value", "safe_approx"]

#: Significant digits of an inexact constant's printed value (and six for the ``…Approx`` macros).
DIGITS = 5
APPROX_DIGITS = 6
_SIDE_NOTE = {"lower": "lower bound, rounded down", "upper": "upper bound, rounded up",
              "exact": "exact", "estimate": "estimate, rounded to nearest"}


@dataclass(frozen=True)
class Constant:
    """One derived constant: its name, value (exact where possible), exactness, meaning, claim and side.

    ``side`` (``lower``/``upper``/``exact``/``estimate``) says which rounding keeps the constant true; it is
    derived for integers and booleans (exact) and must be given otherwise — :func:`render_tex` and
    :func:`render_json` refuse a constant without it. An inexact ``value`` is what was certified: an arb
    ball (printed from the end ``side`` names) or a float that is itself the bound.
    """

    name: str
    value: object  # int, Fraction, tuple of those, a sympy expression (exact radical), an arb ball or a float bound
    exact: bool
    description: str
    claim: str = ""
    side: str | None = None

    def __post_init__(self):
        if self.side is None and self.exact and _integral(self.value):
            object.__setattr__(self, "side", "exact")  # an integer (a count, a size) is exactly what it says


def _integral(value) -> bool:
    if isinstance(value, (tuple, list)):
        return bool(value) and all(_integral(v) for v in value)
    return isinstance(value, (bool, int))


def _is_ball(value) -> bool:
    return type(value).__name__ == "arb" and type(value).__module__.startswith("flint")


def _side(instance: str, c: Constant) -> str:
    """The constant's declared side, or raise: a bound without a direction is refused, never guessed."""
    side = require_side(c.side, f"constant {instance}/{c.name}")
    if not c.exact and side == "exact":
        raise VarcheckError(f"constant {instance}/{c.name} is inexact, so its side must be 'lower', 'upper' or "
                            "'estimate', not 'exact'.")
    if not c.exact and not (_is_ball(c.value) or isinstance(c.value, (float, int, Fraction))):
        raise VarcheckError(f"constant {instance}/{c.name} is inexact, so its value must be an arb ball or a float "
                            f"bound, got {type(c.value).__name__}.")
    return side


def printed_value(c: Constant, instance: str = "") -> object:
    """The value as exported: the exact value itself, or an inexact one as a decimal string on its safe side."""
    side = _side(instance, c)
    return c.value if c.exact else format_bound(c.value, side, DIGITS)


# =========================================================================== formatting

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "η": "eta", "ρ": "rho",
          "σ": "sigma", "τ": "tau", "κ": "kappa", "μ": "mu", "π": "pi", "φ": "phi", "Φ": "Phi", "Δ": "Delta"}
_DIGITS = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")
_SUBSCRIPTS = {chr(0x2080 + i): str(i) for i in range(10)}


def _camel(text: str) -> str:
    """Letters-only CamelCase: words split on anything else, digits spelled out, Greek transliterated."""
    text = "".join(_GREEK.get(ch, _SUBSCRIPTS.get(ch, ch)) for ch in str(text))
    out = []
    for word in re.findall(r"[A-Za-z]+|[0-9]", text):
        if word.isdigit():
            out.append(_DIGITS[int(word)])
        elif word.isupper() and len(word) > 1:
            out.append(word.capitalize())
        else:
            out.append(word[0].upper() + word[1:])
    return "".join(out)


def macro_name(instance: str, name: str) -> str:
    """``\\varcheck`` + CamelCase(instance) + CamelCase(name), letters only."""
    return "\\varcheck" + _camel(instance) + _camel(name)


def _frac_tex(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    sign = "-" if q < 0 else ""
    return f"{sign}\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


_DECIMAL = re.compile(r"^\s*(-?\d+(?:\.\d+)?)e([+-]?\d+)\s*$")
_PLAIN_DECIMAL = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


def tex_value(value) -> str:
    """TeX math for a constant's value."""
    import sympy as sp

    if isinstance(value, bool):
        return r"\mathrm{true}" if value else r"\mathrm{false}"
    if isinstance(value, (int, Fraction)):
        return _frac_tex(Fraction(value))
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(tex_value(v) for v in value) + ")"
    if isinstance(value, sp.Basic):
        return sp.latex(value)
    match = _DECIMAL.match(str(value))
    if match:
        mantissa, exponent = match.groups()
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    if _PLAIN_DECIMAL.match(str(value)):
        return str(value).strip()
    return r"\text{" + re.sub(r"([\\{}$&#%_^~])", r"\\\1", str(value)) + "}"


def _json_value(value):
    import sympy as sp

    if _is_ball(value):
        return ball_string(value)
    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, sp.Basic):
        return str(value)
    return str(value)


def _sympy_ball(expr):
    """An arb ball enclosing an exact sympy real: evalf's 60 correct digits, widened by 10⁻⁵⁰ relative."""
    from flint import arb

    text = str(expr.evalf(60))
    mid = arb(text)
    return arb(mid, abs(mid) * arb("1e-50") + arb("1e-300000"))


def _safe_end(value, side):
    """The exact rational an approximation of ``value`` starts from (the ball's safe end), or None."""
    import sympy as sp

    if isinstance(value, bool) or isinstance(value, (tuple, list)):
        return None
    if isinstance(value, (int, Fraction, float)):
        return Fraction(value)
    if isinstance(value, sp.Basic):
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        if not value.is_real or not value.is_number:
            return None
        return ball_endpoint(_sympy_ball(value), side)
    if _is_ball(value):
        return ball_endpoint(value, side)
    return None


def safe_approx(c: Constant, instance: str = ""):
    """A float64 approximation on the constant's safe side (None for vectors, booleans, values beyond float range)."""
    side = _side(instance, c)
    q = _safe_end(c.value, side)
    return None if q is None else float_toward(q, direction_of(side))


def _digits(value) -> int:
    if isinstance(value, Fraction):
        return len(str(abs(value.numerator))) + len(str(value.denominator))
    if isinstance(value, int) and not isinstance(value, bool):
        return len(str(abs(value)))
    return 0


# =========================================================================== instances


def _interp():
    from ..exact.interpolation import floor_nearest_index, interpolation_matrix_1d, keys_kernel, torch_nearest_index
    from ..exact.pyramid_maps import var_effective_map
    from ..spec import cubic_kernel as ck
    from ..spec.pyramid import PRESETS

    out = [
        Constant("kernel_min_a_3_4", keys_kernel(Fraction(4, 3), Fraction(-3, 4)), True,
                 "min of the Keys kernel W_{-3/4} (torch), attained at |x| = 4/3", "interp.kernel-range", "exact"),
        Constant("kernel_min_a_1_2", keys_kernel(Fraction(4, 3), Fraction(-1, 2)), True,
                 "min of the Keys kernel W_{-1/2}, attained at |x| = 4/3", "interp.kernel-range", "exact"),
        Constant("kernel_argmin", Fraction(4, 3), True, "|x| where W_a attains its minimum 4a/27", "interp.kernel-range",
                 "exact"),
    ]
    for a, tag in ((Fraction(-3, 4), "a_3_4"), (Fraction(-1, 2), "a_1_2")):
        value, *_ = ck.abs_tap_sum_maximum(a)
        out.append(Constant(f"bicubic_inf_norm_{tag}", ck.to_fraction(value), True,
                            f"bound on ‖U‖∞ of 1-D bicubic interpolation, a = {a} (attained at t = 1/2)", "interp.inf-norm",
                            "upper"))
    out.append(Constant("bicubic_inf_norm_2d", out[-2].value ** 2, True, "bound on ‖U_h ⊗ U_w‖∞, a = −3/4", "interp.inf-norm",
                        "upper"))
    sides = PRESETS["var256"]
    devs = {}
    for p, q in zip(sides, sides[1:]):
        diff = var_effective_map(p, q, exact=True) - interpolation_matrix_1d(p, q, "bicubic", exact=True)
        devs[(p, q)] = max(abs(Fraction(str(v))) for v in diff.entries())
    (p, q), worst = max(devs.items(), key=lambda kv: kv[1])
    out += [
        Constant("var_effective_map_max_deviation", worst, True,
                 f"max |E_k − D_k| over var256 scale pairs (VAR's bicubic→16→area vs direct bicubic), at {p}→{q}",
                 "interp.var-effective-map", "exact"),
        Constant("var_effective_map_worst_from", p, True, "source side of the worst var256 pair", "interp.var-effective-map"),
        Constant("var_effective_map_worst_to", q, True, "target side of the worst var256 pair", "interp.var-effective-map"),
    ]
    pairs = {(h, hp) for h in range(1, 65) for hp in range(1, 65) for i in range(hp)
             if torch_nearest_index(i, h, hp) != floor_nearest_index(i, h, hp)}
    out.append(Constant("nearest_mismatch_pairs", len(pairs), True,
                        "size pairs h, h' ≤ 64 where torch's nearest differs from ⌊i·h/h'⌋", "interp.torch-nearest-floor"))
    return out


def _pyramid():
    from ..spec.pyramid import PRESETS, Pyramid

    out = []
    for name in PRESETS:
        pyr = Pyramid.preset(name)
        out.append(Constant(f"{name}_tokens", pyr.length, True, f"L, tokens of the {name} pyramid (sides {', '.join(map(str, PRESETS[name]))})"))
        out.append(Constant(f"{name}_scales", len(pyr), True, f"K, scales of the {name} pyramid"))
    return out


def _attention(cm, claim: str, what: str):
    k = cm.constants()
    budget = cm.precision_budget(cm.gamma_actual)
    d = cm.d
    return [
        Constant("tokens", k["n"], True, f"n, tokens per sequence ({what})", claim),
        Constant("dimension", k["d"], True, "d, token dimension", claim),
        Constant("vocabulary", k["vocabulary_size"], True, "|V|, distinct tokens", claim),
        Constant("r_min", k["r_min"], True, "r_min (dyadic), every ‖x‖ > r_min", claim, "lower"),
        Constant("r_max", k["r_max"], True, "r_max (dyadic), every ‖x‖ < r_max", claim, "upper"),
        Constant("eps_tok", k["eps_tok"], True, "ε_tok (dyadic), distinct tokens are more than ε_tok apart", claim, "lower"),
        Constant("projection", k["v"], True, "v, the rank-1 projection (W_K = W_V = v, W_Q = c·v)", claim, "exact"),
        Constant("temperature", k["c"], True, "c, the attention temperature", claim, "exact"),
        Constant("W_O_scale", k["W_O_scale"], True, "s, the output scale (W_O = s·uᵀ)", claim, "exact"),
        Constant("Y", k["Y"], True, "Y = max |vᵀx| over the vocabulary", claim, "exact"),
        Constant("r", k["r"], True, "r, output norm bound of the (r, γ)-contextual mapping", claim, "upper"),
        Constant("score_bound", k["R"], True, "R = c·Y², every |logit| ≤ R", claim, "upper"),
        Constant("max_logit", k["logit_range"], True, "largest |logit| on the instance", claim, "exact"),
        # the three γ are lower bounds on an output separation: printed from the ball's lower end, rounded down
        Constant("gamma_formula", cm.gamma_formula(), False, "THEORY.md A4's γ at this instance (lower bound)", claim, "lower"),
        Constant("gamma_bound", cm.gamma_bound(), False, "the proof's guarantee s(ln n)²e^{−2R}/(cY) (lower bound)", claim,
                 "lower"),
        Constant("gamma_actual", cm.gamma_actual, False, "certified minimum separation γ_actual (lower bound)", claim, "lower"),
        # computed from log2 of γ_actual's midpoint (a float): an estimate of the bits, not a bound
        Constant("mantissa_bits", budget["mantissa_bits_needed"], True, "mantissa bits a float run needs to resolve γ_actual",
                 "attn.precision-budget", "estimate"),
        Constant("fits_cosine_cap", budget["fits_cosine_cap"], True, "every |logit| ≤ 100 (VAR's cosine-attention cap)", "attn.precision-budget"),
        Constant("float64_feasible", budget["feasible"]["float64"], True, "float64 resolves γ_actual and the smallest softmax weight", "attn.precision-budget"),
        Constant("rank", 1, True, "rank s of W_Q W_Kᵀ (single head)", claim),
        Constant("parameters", 4 * d, True, "entries of W_Q, W_K, W_V (d × 1) and W_O (1 × d)", claim),
    ]


def _attn_paper():
    from ..check.attention import quick_paper_instance
    from ..exact.contextual_mapping import contextual_mapping
    from ..spec.registry import Context

    cm = contextual_mapping(quick_paper_instance(Context("quick", 0)), construction="paper", seed=0)
    return _attention(cm, "attn.contextual-mapping", "A4 quick pooled family, seed 0")


def _attn_tight():
    from ..exact.contextual_mapping import contextual_mapping
    from ..exact.token_family import GridVocabulary

    cm = contextual_mapping(GridVocabulary(G=3, n=2, d=1), construction="tight")
    return _attention(cm, "attn.contextual-mapping-tight", "GridVocabulary(G=3, n=2, d=1)")


#: THEORY.md §4's worked example (claim P1's evidence): ε₁, ε₂, L, n, d, m, p (α = β = ∞).
PARTITION_INSTANCE = (Fraction(3, 1000), Fraction(3, 1000), 4, 680, 2, 1360, 2)


def _exact(pp):
    """A PowerProduct as a Fraction when rational, else a sympy radical (both exact)."""
    q = pp.rational()
    return q if q is not None else pp.to_sympy()


def _partition():
    from ..spec import partition as sp_part

    eps1, eps2, L, n, d, m, p = PARTITION_INSTANCE
    G = sp_part.grid_size(eps1, L, n, d, m=m, p=p)
    G_entry = sp_part.grid_size(eps1, L, n, d, m=m, p=p, per_entry=True)
    M = sp_part.bad_set_sup_bound(L, n, d, m=m, p=p)
    eta = sp_part.eta_from_budget(eps2, M, n, d, G, p=p)
    lip = sp_part.quantizer_lipschitz(G, eta)
    term1 = sp_part.partition_bound(L, G, n, d, m=m, p=p)
    term2 = sp_part.bad_set_term(M, eta, n, d, G, p=p)
    width = 2 * (G - 1) * d
    params = d * width + width + width * d + d
    c1, c4 = "partition.lipschitz-grid", "partition.bad-set-accounting"
    return [
        Constant("eps_one", eps1, True, "ε₁, the partition budget", c1, "exact"),
        Constant("eps_two", eps2, True, "ε₂, the bad-set budget", c4, "exact"),
        Constant("lipschitz", L, True, "L, the target's Lipschitz constant (∞ → ∞)", c1),
        Constant("tokens", n, True, "n, input tokens", c1),
        Constant("dimension", d, True, "d, token dimension", c1),
        Constant("outputs", m, True, "m, output entries", c1),
        Constant("p", p, True, "p of the L_p distance", c1),
        Constant("grid", G, True, "G = ⌈m^{1/p}L(nd)^{1/α}/(2ε₁)⌉, the coarsest grid (unnormalised d_p)", c1),
        Constant("grid_per_entry", G_entry, True, "G for the per-entry distance d̄_p = m^{−1/p}d_p", c1),
        Constant("delta", Fraction(1, G), True, "δ = 1/G, the cell width", c1, "exact"),
        Constant("sup_bound", _exact(M), True, "M = m^{1/p}L(nd)^{1/α}, bound on ‖f − g‖_p on the bad set", c4, "upper"),
        Constant("ramp", eta, True, "η = min(η*, δ/2), η* = (ε₂/M)^p/(nd(G−1)) rounded down to 40 bits", c4, "exact"),
        Constant("quantizer_lipschitz", lip, True, "Lip(Q_η) = δ/η (P5's blow-up)", "partition.lipschitz-blowup", "exact"),
        Constant("quantizer_width", width, True, "hidden ReLU units of the quantizer, 2(G−1)d (+2d residual)", "partition.relu-quantizer"),
        Constant("quantizer_parameters", params, True, "entries of W₁ (d × width), b₁, W₂ (width × d), b₂", "partition.relu-quantizer"),
        Constant("ledger_partition", _exact(term1), True, "ledger term ε₁: the P1 bound at G", c1, "upper"),
        Constant("ledger_bad_set", _exact(term2), True, "ledger term ε₂: the P4 term M(nd(G−1)η)^{1/p} at η", c4, "upper"),
        Constant("ledger_total", _exact(term1) + _exact(term2), True, "ε₁ + ε₂ bound on d_p(f, g) (P1 + P4)", c4, "upper"),
    ]


def _word_to_image():
    from ..check.universality import T2_EPS, _t2
    from ..spec.registry import Context

    target, approx = _t2(Context("quick", 0))
    k, cert = approx.constants, approx.certificate()
    claim = "ua.word-to-image"
    out = [
        Constant("eps", T2_EPS, True, f"ε, per-entry d̄₂ target for {target.name}", claim, "exact"),
        Constant("lipschitz", Fraction(k["lipschitz"]), True, "L_f, the target's certified Lipschitz constant", claim, "upper"),
        Constant("grid", k["G"], True, "G, the grid of the word quantizer", claim),
        Constant("delta", Fraction(k["delta"]), True, "δ = 1/G", claim, "exact"),
        Constant("ramp", Fraction(k["eta"]), True, "η, the quantizer's ramp width", claim, "exact"),
        # floats the construction computed as upper bounds: exported as those floats, rounded up
        Constant("sup_bound", float(k["M"]), False, "M, the sup bound of the error on the bad set (float upper bound)", claim,
                 "upper"),
    ]
    out += [Constant(f"width_{name}", value, True, f"hidden units of {name}", claim) for name, value in k["widths"].items()]
    out.append(Constant("parameters", k["parameter_count"], True, "parameters of the whole approximator", claim))
    out += [Constant(f"ledger_{name}", float(value), False, f"ledger term {name} of d̄₂ (upper bound)", claim, "upper")
            for name, value in approx.ledger.items()]
    # float(ball.upper()) may land one ulp below the ball's upper end: the next float up is above it
    out.append(Constant("certified_bound", math.nextafter(float(cert["lp_bound"]), math.inf), False,
                        "certified bound on d̄₂ (upper bound; ≤ ε)", claim, "upper"))
    return out


def _hofar():
    from ..check.hofar import report_constants

    return [Constant(*row) for row in report_constants()]


def _claims():
    from ..spec.registry import registry

    out = []
    for claim in registry():
        for item in claim.constants:
            name, value, derivation = (tuple(item) + (None, None, None))[:3]
            try:
                exact = Fraction(str(value).replace("−", "-").strip())
            except (ValueError, ZeroDivisionError):
                continue  # a formula, not a number: `varcheck explain` shows it
            # a number the registry declares is exactly what is written there
            out.append(Constant(f"{claim.label} {name}", exact if exact.denominator != 1 else int(exact), True,
                                str(derivation or ""), claim.id, "exact"))
    return out


#: Instance name → builder (deterministic, quick).
INSTANCES = {
    "interp": _interp,
    "pyramid": _pyramid,
    "attn-paper": _attn_paper,
    "attn-tight": _attn_tight,
    "partition": _partition,
    "word-to-image": _word_to_image,
    "hofar": _hofar,
    "claims": _claims,
}


def instance_constants(names=None) -> dict:
    """``{instance: [Constant, ...]}`` for the given instance names (default: every instance)."""
    names = list(INSTANCES) if names is None else list(names)
    for name in names:
        if name not in INSTANCES:
            raise VarcheckError(f"unknown instance {name!r}; known instances: {', '.join(INSTANCES)}.")
    return {name: INSTANCES[name]() for name in names}


def _approx_macro(c: Constant, side: str):
    """The six-digit TeX approximation of a long exact rational, rounded on the constant's side (else None)."""
    if not c.exact or _digits(c.value) <= 12:
        return None
    q = _safe_end(c.value, side)
    return None if q is None else format_decimal(q, APPROX_DIGITS, direction_of(side))


def render_tex(constants: dict, header: str = "") -> str:
    """``\\newcommand`` definitions, one per constant (plus ``…Approx`` for long rationals).

    Inexact constants and the ``…Approx`` macros are rounded on each constant's safe side; a constant
    without a side raises :class:`VarcheckError`.
    """
    lines = ["% Constants derived by varcheck (`varcheck constants --format tex`); exact where exact, every",
             "% rounded value on its safe side (lower bounds rounded down, upper bounds up).", header.rstrip()]
    seen = {}
    for instance, items in constants.items():
        lines.append(f"% --- instance {instance}")
        for c in items:
            side = _side(instance, c)
            macro = macro_name(instance, c.name)
            if macro in seen:
                raise VarcheckError(f"TeX macro {macro} is produced twice ({seen[macro]} and {instance}/{c.name}).")
            seen[macro] = f"{instance}/{c.name}"
            note = f"{c.description}" + (f" [{c.claim}]" if c.claim else "")
            note += "" if c.exact else f" (inexact: {_SIDE_NOTE[side]})"
            lines.append(f"% {note}")
            lines.append(f"\\newcommand{{{macro}}}{{\\ensuremath{{{tex_value(printed_value(c, instance))}}}}}")
            approx = _approx_macro(c, side)
            if approx is not None:
                lines.append(f"% {macro}Approx: six digits, {_SIDE_NOTE[side] if side != 'exact' else 'rounded to nearest'}")
                lines.append(f"\\newcommand{{{macro}Approx}}{{\\ensuremath{{{tex_value(approx)}}}}}")
    return "\n".join(line for line in lines if line is not None and line != "") + "\n"


def _json_entry(instance: str, c: Constant) -> dict:
    side = _side(instance, c)
    shown = printed_value(c, instance)
    entry = {
        "value": _json_value(shown),
        "exact": c.exact,
        "side": side,
        "approx": safe_approx(c, instance),
        "tex": tex_value(shown),
        "macro": macro_name(instance, c.name),
        "description": c.description,
        "claim": c.claim or None,
    }
    if not c.exact:  # what the printed value was rounded from, exactly
        if _is_ball(c.value):
            entry["ball"] = ball_string(c.value)
        else:
            entry["rational"] = str(Fraction(c.value))
    return entry


def render_json(constants: dict, meta: dict | None = None) -> str:
    """The constants as JSON: ``{"meta": …, "instances": {name: {constant: {value, exact, side, approx, tex, macro, …}}}}``.

    An inexact constant also carries ``"ball"`` (arb's decimal enclosure of the certified ball) or
    ``"rational"`` (the exact value of the float bound) beside its rounded ``"value"``.
    """
    doc = {"meta": meta or {}, "instances": {}}
    for instance, items in constants.items():
        doc["instances"][instance] = {c.name: _json_entry(instance, c) for c in items}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
