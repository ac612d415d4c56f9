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
                      grid, ramp, widths, parameter count and its error ledger (ball upper bounds);
``claims``            the numeric constants declared by the registered claims themselves.

Values are exact where exact: rationals as ``p/q`` (TeX ``\\frac{p}{q}``), exact radicals in sympy form
(TeX from :func:`sympy.latex`), integers as integers; ball-arithmetic quantities (γ) are decimal strings
with an exponent (``3.6083e-18``, TeX ``3.6083 \\times 10^{-18}``) and are marked inexact. Macro names
are ``\\varcheck`` + the instance + the constant in CamelCase, letters only (digits and Greek letters are
spelled out), and expand inside ``\\ensuremath`` so they work in text and in math. A rational with more
than 12 digits also gets an ``…Approx`` macro with six significant digits.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import VarcheckError

__all__ = ["Constant", "INSTANCES", "instance_constants", "render_tex", "render_json", "macro_name", "tex_value"]


@dataclass(frozen=True)
class Constant:
    """One derived constant: its name, value (exact where possible), exactness, meaning and claim."""

    name: str
    value: object  # int, Fraction, tuple of those, a sympy expression (exact radical) or a decimal string
    exact: bool
    description: str
    claim: str = ""


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
    return r"\text{" + re.sub(r"([\\{}$&#%_^~])", r"\\\1", str(value)) + "}"


def _json_value(value):
    import sympy as sp

    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, sp.Basic):
        return str(value)
    return str(value)


def _approx(value):
    """A float approximation, or None (vectors, values beyond float range)."""
    import sympy as sp

    try:
        if isinstance(value, (int, Fraction)):
            x = float(Fraction(value))
        elif isinstance(value, sp.Basic):
            x = float(value.evalf(30))
        elif isinstance(value, str) and _DECIMAL.match(value):
            x = float(value)
        else:
            return None
    except (OverflowError, TypeError, ValueError):
        return None
    return x if math.isfinite(x) and (x != 0 or value in (0, Fraction(0))) else None


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
                 "min of the Keys kernel W_{-3/4} (torch), attained at |x| = 4/3", "interp.kernel-range"),
        Constant("kernel_min_a_1_2", keys_kernel(Fraction(4, 3), Fraction(-1, 2)), True,
                 "min of the Keys kernel W_{-1/2}, attained at |x| = 4/3", "interp.kernel-range"),
        Constant("kernel_argmin", Fraction(4, 3), True, "|x| where W_a attains its minimum 4a/27", "interp.kernel-range"),
    ]
    for a, tag in ((Fraction(-3, 4), "a_3_4"), (Fraction(-1, 2), "a_1_2")):
        value, *_ = ck.abs_tap_sum_maximum(a)
        out.append(Constant(f"bicubic_inf_norm_{tag}", ck.to_fraction(value), True,
                            f"bound on ‖U‖∞ of 1-D bicubic interpolation, a = {a} (attained at t = 1/2)", "interp.inf-norm"))
    out.append(Constant("bicubic_inf_norm_2d", out[-2].value ** 2, True, "bound on ‖U_h ⊗ U_w‖∞, a = −3/4", "interp.inf-norm"))
    sides = PRESETS["var256"]
    devs = {}
    for p, q in zip(sides, sides[1:]):
        diff = var_effective_map(p, q, exact=True) - interpolation_matrix_1d(p, q, "bicubic", exact=True)
        devs[(p, q)] = max(abs(Fraction(str(v))) for v in diff.entries())
    (p, q), worst = max(devs.items(), key=lambda kv: kv[1])
    out += [
        Constant("var_effective_map_max_deviation", worst, True,
                 f"max |E_k − D_k| over var256 scale pairs (VAR's bicubic→16→area vs direct bicubic), at {p}→{q}",
                 "interp.var-effective-map"),
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
        Constant("r_min", k["r_min"], True, "r_min (dyadic), every ‖x‖ > r_min", claim),
        Constant("r_max", k["r_max"], True, "r_max (dyadic), every ‖x‖ < r_max", claim),
        Constant("eps_tok", k["eps_tok"], True, "ε_tok (dyadic), distinct tokens are more than ε_tok apart", claim),
        Constant("projection", k["v"], True, "v, the rank-1 projection (W_K = W_V = v, W_Q = c·v)", claim),
        Constant("temperature", k["c"], True, "c, the attention temperature", claim),
        Constant("W_O_scale", k["W_O_scale"], True, "s, the output scale (W_O = s·uᵀ)", claim),
        Constant("Y", k["Y"], True, "Y = max |vᵀx| over the vocabulary", claim),
        Constant("r", k["r"], True, "r, output norm bound of the (r, γ)-contextual mapping", claim),
        Constant("score_bound", k["R"], True, "R = c·Y², every |logit| ≤ R", claim),
        Constant("max_logit", k["logit_range"], True, "largest |logit| on the instance", claim),
        Constant("gamma_formula", k["gamma_formula"], False, "THEORY.md A4's γ at this instance (ball midpoint)", claim),
        Constant("gamma_bound", k["gamma_bound"], False, "the proof's guarantee s(ln n)²e^{−2R}/(cY) (ball midpoint)", claim),
        Constant("gamma_actual", k["gamma_actual"], False, "certified minimum separation γ_actual (ball midpoint)", claim),
        Constant("mantissa_bits", budget["mantissa_bits_needed"], True, "mantissa bits a float run needs to resolve γ_actual", "attn.precision-budget"),
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
        Constant("eps_one", eps1, True, "ε₁, the partition budget", c1),
        Constant("eps_two", eps2, True, "ε₂, the bad-set budget", c4),
        Constant("lipschitz", L, True, "L, the target's Lipschitz constant (∞ → ∞)", c1),
        Constant("tokens", n, True, "n, input tokens", c1),
        Constant("dimension", d, True, "d, token dimension", c1),
        Constant("outputs", m, True, "m, output entries", c1),
        Constant("p", p, True, "p of the L_p distance", c1),
        Constant("grid", G, True, "G = ⌈m^{1/p}L(nd)^{1/α}/(2ε₁)⌉, the coarsest grid (unnormalised d_p)", c1),
        Constant("grid_per_entry", G_entry, True, "G for the per-entry distance d̄_p = m^{−1/p}d_p", c1),
        Constant("delta", Fraction(1, G), True, "δ = 1/G, the cell width", c1),
        Constant("sup_bound", _exact(M), True, "M = m^{1/p}L(nd)^{1/α}, bound on ‖f − g‖_p on the bad set", c4),
        Constant("ramp", eta, True, "η = min(η*, δ/2), η* = (ε₂/M)^p/(nd(G−1)) rounded down to 40 bits", c4),
        Constant("quantizer_lipschitz", lip, True, "Lip(Q_η) = δ/η (P5's blow-up)", "partition.lipschitz-blowup"),
        Constant("quantizer_width", width, True, "hidden ReLU units of the quantizer, 2(G−1)d (+2d residual)", "partition.relu-quantizer"),
        Constant("quantizer_parameters", params, True, "entries of W₁ (d × width), b₁, W₂ (width × d), b₂", "partition.relu-quantizer"),
        Constant("ledger_partition", _exact(term1), True, "ledger term ε₁: the P1 bound at G", c1),
        Constant("ledger_bad_set", _exact(term2), True, "ledger term ε₂: the P4 term M(nd(G−1)η)^{1/p} at η", c4),
        Constant("ledger_total", _exact(term1) + _exact(term2), True, "ε₁ + ε₂ bound on d_p(f, g) (P1 + P4)", c4),
    ]


def _sci(x: float) -> str:
    """Seven significant digits, rounded up (the values are upper bounds: the printed one stays one)."""
    text = f"{x:.6e}"
    while float(text) < x:
        exponent = int(text.split("e")[1])
        text = f"{float(text) + 10.0 ** (exponent - 6):.6e}"
    return text


def _word_to_image():
    from ..check.universality import T2_EPS, _t2
    from ..spec.registry import Context

    target, approx = _t2(Context("quick", 0))
    k, plan, cert = approx.constants, approx.plan, approx.certificate()
    claim = "ua.word-to-image"
    out = [
        Constant("eps", T2_EPS, True, f"ε, per-entry d̄₂ target for {target.name}", claim),
        Constant("lipschitz", Fraction(k["lipschitz"]), True, "L_f, the target's certified Lipschitz constant", claim),
        Constant("grid", k["G"], True, "G, the grid of the word quantizer", claim),
        Constant("delta", Fraction(k["delta"]), True, "δ = 1/G", claim),
        Constant("ramp", Fraction(k["eta"]), True, "η, the quantizer's ramp width", claim),
        Constant("sup_bound", _sci(k["M"]), False, "M, the sup bound of the error on the bad set (float upper bound)", claim),
    ]
    out += [Constant(f"width_{name}", value, True, f"hidden units of {name}", claim) for name, value in k["widths"].items()]
    out.append(Constant("parameters", k["parameter_count"], True, "parameters of the whole approximator", claim))
    out += [Constant(f"ledger_{name}", _sci(value), False, f"ledger term {name} of d̄₂ (ball upper bound, rounded up)", claim)
            for name, value in approx.ledger.items()]
    out.append(Constant("certified_bound", _sci(cert["lp_bound"]), False, "certified bound on d̄₂ (rounded up; ≤ ε)", claim))
    return out


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
            out.append(Constant(f"{claim.label} {name}", exact if exact.denominator != 1 else int(exact), True,
                                str(derivation or ""), claim.id))
    return out


#: Instance name → builder (deterministic, quick).
INSTANCES = {
    "interp": _interp,
    "pyramid": _pyramid,
    "attn-paper": _attn_paper,
    "attn-tight": _attn_tight,
    "partition": _partition,
    "word-to-image": _word_to_image,
    "claims": _claims,
}


def instance_constants(names=None) -> dict:
    """``{instance: [Constant, ...]}`` for the given instance names (default: every instance)."""
    names = list(INSTANCES) if names is None else list(names)
    for name in names:
        if name not in INSTANCES:
            raise VarcheckError(f"unknown instance {name!r}; known instances: {', '.join(INSTANCES)}.")
    return {name: INSTANCES[name]() for name in names}


def render_tex(constants: dict, header: str = "") -> str:
    """``\\newcommand`` definitions, one per constant (plus ``…Approx`` for long rationals)."""
    lines = ["% Constants derived by varcheck (`varcheck constants --format tex`); exact where exact.", header.rstrip()]
    seen = {}
    for instance, items in constants.items():
        lines.append(f"% --- instance {instance}")
        for c in items:
            macro = macro_name(instance, c.name)
            if macro in seen:
                raise VarcheckError(f"TeX macro {macro} is produced twice ({seen[macro]} and {instance}/{c.name}).")
            seen[macro] = f"{instance}/{c.name}"
            note = f"{c.description}" + (f" [{c.claim}]" if c.claim else "") + ("" if c.exact else " (inexact)")
            lines.append(f"% {note}")
            lines.append(f"\\newcommand{{{macro}}}{{\\ensuremath{{{tex_value(c.value)}}}}}")
            approx = _approx(c.value)
            if _digits(c.value) > 12 and approx is not None:
                lines.append(f"\\newcommand{{{macro}Approx}}{{\\ensuremath{{{tex_value(f'{approx:.6g}'.replace('e+', 'e'))}}}}}"
                             if "e" in f"{approx:.6g}" else
                             f"\\newcommand{{{macro}Approx}}{{\\ensuremath{{{approx:.6g}}}}}")
    return "\n".join(line for line in lines if line is not None and line != "") + "\n"


def render_json(constants: dict, meta: dict | None = None) -> str:
    """The constants as JSON: ``{"meta": …, "instances": {name: {constant: {value, exact, approx, tex, macro, …}}}}``."""
    doc = {"meta": meta or {}, "instances": {}}
    for instance, items in constants.items():
        doc["instances"][instance] = {
            c.name: {
                "value": _json_value(c.value),
                "exact": c.exact,
                "approx": _approx(c.value),
                "tex": tex_value(c.value),
                "macro": macro_name(instance, c.name),
                "description": c.description,
                "claim": c.claim or None,
            }
            for c in items
        }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
