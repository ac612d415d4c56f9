"""Every derived constant of varcheck's default instances, for papers: TeX macros or JSON.

    varcheck constants --format tex                     # \\newcommand{\\varcheckAttnTightTemperature}{...}
    varcheck constants --instance attn-tight --format json

An **instance** is a named, deterministic builder returning :class:`~varcheck.theory.reporting.Constant` objects
computed by varcheck's exact layer (not copied from prose); each claim family declares its own (``CONSTANTS`` of its
package, gathered by varcheck.claims.catalog), and this module adds ``claims``. The default instances are the
quick-profile instances of the registered claims:

``interp``            the Keys kernel minima (I4), the bicubic ∞-norm bounds (I3), VAR's effective-map
                      deviation (I8) and the torch-nearest mismatch count (I9);
``pyramid``           the token counts L of the presets (docs/theory.md §1);
``attn-paper``        A4's paper construction on the quick pooled family (seed 0), with its certificate;
``attn-tight``        the tight construction on the grid vocabulary G = 3, n = 2, d = 1 (A4-tight, A6);
``partition``         the P1/P4/P5 pipeline on docs/theory.md's var256 example (ε₁ = ε₂ = 3/1000, L = 4,
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
import re
from fractions import Fraction

from ..claims.catalog import constant_instances, registry
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
from ..theory.reporting import Constant

__all__ = ["Constant", "INSTANCES", "instance_constants", "render_tex", "render_json", "macro_name", "tex_value",
           "printed_value", "safe_approx"]

#: Significant digits of an inexact constant's printed value (and six for the ``…Approx`` macros).
DIGITS = 5
APPROX_DIGITS = 6
_SIDE_NOTE = {"lower": "lower bound, rounded down", "upper": "upper bound, rounded up",
              "exact": "exact", "estimate": "estimate, rounded to nearest"}


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


def _claims():
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


#: Instance name → builder (deterministic, quick): every family's, then the claims' own constants.
INSTANCES = {**constant_instances(), "claims": _claims}


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
                lines.append(f"% {macro}Approx: six digits, "
                             f"{_SIDE_NOTE[side] if side != 'exact' else 'rounded to nearest'}")
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
    """The constants as JSON: ``{"meta": …, "instances": {name: {constant: {value, exact, side, approx, tex, macro,
    …}}}}``.

    An inexact constant also carries ``"ball"`` (arb's decimal enclosure of the certified ball) or
    ``"rational"`` (the exact value of the float bound) beside its rounded ``"value"``.
    """
    doc = {"meta": meta or {}, "instances": {}}
    for instance, items in constants.items():
        doc["instances"][instance] = {c.name: _json_entry(instance, c) for c in items}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
