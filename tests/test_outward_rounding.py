"""Every exported number is on its safe side: lower bounds rounded down, upper bounds up, in every format.

The exporters (``varcheck constants`` TeX/JSON, the ``explain`` text, the Markdown/HTML/JSON reports) are
parsed back and each printed value is compared, exactly, with the value it was rounded from: the rational,
the radical (decided by sympy), or the end of the certified arb ball. The case that rounding to
nearest gets wrong — a certified γ ≥ 4.20025…·10⁻¹⁰ printed as 4.2003·10⁻¹⁰ — is checked explicitly, and so is
the attn-tight instance's γ_actual = 3.60826…·10⁻¹⁸, which rounds to nearest as 3.6083·10⁻¹⁸.
"""

from __future__ import annotations

import io
import json
import math
import re
from contextlib import redirect_stdout
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varcheck.cli import main
from varcheck.errors import VarcheckError
from varcheck.exact import directed_rounding as R
from varcheck.report import constants as C

MACRO = re.compile(r"^\\newcommand\{(\\varcheck[A-Za-z]+)\}\{\\ensuremath\{(.*)\}\}$")


def _examples(request, quick: int, full: int) -> int:
    return full if request.config.getoption("--varcheck-profile") == "full" else quick


# --------------------------------------------------------------------------- parsing the formats back

def tex_number(text: str):
    """The exact rational a TeX value denotes (``\\frac``, integers, decimals, ``m \\times 10^{e}``), else None."""
    text = text.strip()
    m = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", text)
    if m:
        return Fraction(int(m.group(2)), int(m.group(3))) * (-1 if m.group(1) else 1)
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?) \\times 10\^\{(-?\d+)\}", text)
    if m:
        return Fraction(m.group(1)) * Fraction(10) ** int(m.group(2))
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return Fraction(text)
    return None


def _macros(tex: str) -> dict:
    out = {}
    for line in tex.splitlines():
        match = MACRO.match(line)
        if match:
            out[match.group(1)] = match.group(2)
    return out


def _exact_reference(value):
    """(kind, reference) of an exact constant: ('q', Fraction), ('sympy', expr) or ('other', value)."""
    if isinstance(value, bool) or isinstance(value, (tuple, list)):
        return "other", value
    if isinstance(value, (int, Fraction)):
        return "q", Fraction(value)
    if isinstance(value, sp.Basic):
        return ("q", Fraction(int(value.p), int(value.q))) if value.is_Rational else ("sympy", value)
    raise AssertionError(f"unexpected exact value {value!r}")


def _on_side(printed: Fraction, kind: str, ref, side: str, *, nearest_unit=None) -> bool:
    """Whether ``printed`` is on ``side``'s safe side of the reference (within half a unit when to nearest)."""
    if kind == "sympy":
        diff = sp.Rational(printed.numerator, printed.denominator) - ref
        if side == "lower":
            return bool(diff <= 0)
        if side == "upper":
            return bool(diff >= 0)
        return nearest_unit is None or bool(abs(diff) <= sp.Rational(nearest_unit) / 2)
    if side == "lower":
        return printed <= ref
    if side == "upper":
        return printed >= ref
    return nearest_unit is None or abs(printed - ref) <= Fraction(nearest_unit) / 2


def _float_ok(f: float, kind: str, ref, side: str) -> bool:
    q = Fraction(f)
    if side in ("lower", "upper"):
        if not _on_side(q, kind, ref, side):
            return False
        # and the closest such float: one step further inwards would cross the reference
        inner = math.nextafter(f, math.inf if side == "lower" else -math.inf)
        return not _on_side(Fraction(inner), kind, ref, side)
    ulp = Fraction(math.ulp(f))
    return _on_side(q, kind, ref, side, nearest_unit=ulp)


def _decimal_unit(text: str) -> Fraction:
    """One unit in the last printed place of a decimal text (``3.6082e-18`` → 10⁻²²)."""
    m = re.fullmatch(r"-?(\d+)(?:\.(\d+))?(?:e(-?\d+))?", text)
    assert m, text
    places = len(m.group(2) or "")
    return Fraction(10) ** (int(m.group(3) or 0) - places)


# --------------------------------------------------------------------------- every constant of every instance

@pytest.fixture(scope="module")
def exported():
    constants = C.instance_constants()
    return constants, C.render_tex(constants), json.loads(C.render_json(constants))


def _cases():
    return [(inst, c) for inst, items in C.instance_constants().items() for c in items]


@pytest.mark.claim("attn.contextual-mapping-tight")
@pytest.mark.claim("ua.word-to-image")
@pytest.mark.claim("partition.bad-set-accounting")
def test_every_exported_constant_is_on_its_safe_side_in_tex_and_json(exported):
    constants, tex, doc = exported
    macros = _macros(tex)
    checked = {"exact": 0, "inexact": 0, "approx": 0}
    for instance, items in constants.items():
        for c in items:
            entry = doc["instances"][instance][c.name]
            side = entry["side"]
            assert side == c.side and side in R.SIDES, (instance, c.name)
            body = macros[entry["macro"]]
            assert body == entry["tex"], (instance, c.name)
            if c.exact:
                kind, ref = _exact_reference(c.value)
                checked["exact"] += 1
                if kind == "q":  # printed exactly, in both formats
                    assert Fraction(str(entry["value"])) == ref and tex_number(body) == ref, (instance, c.name)
                elif kind == "sympy":
                    assert sp.sympify(entry["value"]) == ref and body == sp.latex(ref)
                if entry["approx"] is not None and kind != "other":
                    checked["approx"] += 1
                    assert _float_ok(entry["approx"], kind, ref, side), (instance, c.name, entry["approx"])
                approx_macro = macros.get(entry["macro"] + "Approx")
                if approx_macro is not None:
                    checked["approx"] += 1
                    printed = tex_number(approx_macro)
                    text = approx_macro.replace(" \\times 10^{", "e").rstrip("}")
                    assert printed is not None and _on_side(printed, kind, ref, side,
                                                            nearest_unit=_decimal_unit(text)), (instance, c.name)
            else:
                checked["inexact"] += 1
                assert side in ("lower", "upper", "estimate")
                printed_json, printed_tex = Fraction(entry["value"]), tex_number(body)
                assert printed_json == printed_tex, (instance, c.name)
                if isinstance(c.value, float):
                    ref = Fraction(c.value)
                    assert Fraction(entry["rational"]) == ref
                else:  # an arb ball: against the end the side names, and the exported ball encloses it
                    ref = R.ball_endpoint(c.value, side)
                    assert arb(entry["ball"]).contains(c.value), (instance, c.name)
                    end = c.value.lower() if side == "lower" else c.value.upper()
                    assert R.to_fraction(end) == ref
                assert _on_side(printed_json, "q", ref, side), (instance, c.name, entry["value"])
                if entry["approx"] is not None:
                    checked["approx"] += 1
                    assert _float_ok(entry["approx"], "q", ref, side), (instance, c.name)
    assert checked["exact"] > 50 and checked["inexact"] >= 12 and checked["approx"] > 40, checked


@pytest.mark.claim("attn.contextual-mapping-tight")
def test_attn_tight_gamma_is_rounded_down_from_the_certified_ball(exported):
    constants, tex, doc = exported
    gamma = next(c for c in constants["attn-tight"] if c.name == "gamma_actual").value
    assert gamma.lower() > arb("3.60826e-18") and gamma.upper() < arb("3.60827e-18")  # 3.60826…e−18
    entry = doc["instances"]["attn-tight"]["gamma_actual"]
    assert entry["value"] == "3.6082e-18" and entry["side"] == "lower"  # to nearest it read 3.6083e-18 > γ
    assert "\\newcommand{\\varcheckAttnTightGammaActual}{\\ensuremath{3.6082 \\times 10^{-18}}}" in tex
    assert entry["approx"] <= float(gamma.lower()) and "+/-" in entry["ball"]


@pytest.mark.claim("attn.contextual-mapping-tight")
def test_known_bad_case_prints_below_the_certified_lower_bound():
    gamma = arb("4.2002512345e-10", "1e-25")  # a certified γ ≥ 4.20025…e−10
    c = C.Constant("gamma_actual", gamma, False, "certified γ", "attn.contextual-mapping", "lower")
    doc = json.loads(C.render_json({"family": [c]}))
    assert doc["instances"]["family"]["gamma_actual"]["value"] == "4.2002e-10"
    assert "\\ensuremath{4.2002 \\times 10^{-10}}" in C.render_tex({"family": [c]})
    up = C.Constant("gamma_upper", gamma, False, "an upper bound", "", "upper")
    assert json.loads(C.render_json({"family": [up]}))["instances"]["family"]["gamma_upper"]["value"] == "4.2003e-10"
    # and the contextual mapping's own constants() (its γ's are lower bounds)
    from varcheck import GridVocabulary, contextual_mapping

    cm = contextual_mapping(GridVocabulary(G=3, n=2, d=1), construction="tight")
    assert cm.constants()["gamma_actual"] == "3.6082e-18"
    assert Fraction(cm.constants()["gamma_bound"]) <= R.to_fraction(cm.gamma_bound().lower())


def test_a_bound_without_a_direction_is_refused():
    no_side = C.Constant("gap", 0.25, False, "an inexact float without a side")
    for render in (C.render_tex, C.render_json):
        with pytest.raises(VarcheckError, match=r"constant demo/gap has no safe side declared"):
            render({"demo": [no_side]})
    exact_rational = C.Constant("ratio", Fraction(1, 3), True, "a rational: exact, but is it a bound?")
    with pytest.raises(VarcheckError, match="no safe side declared"):
        C.render_json({"demo": [exact_rational]})
    wrong = C.Constant("gap", arb(1) / 3, False, "a ball declared exact", "", "exact")
    with pytest.raises(VarcheckError, match="inexact, so its side must be"):
        C.render_tex({"demo": [wrong]})
    with pytest.raises(VarcheckError, match="side must be one of"):
        C.render_tex({"demo": [C.Constant("gap", 0.5, False, "typo", "", "below")]})
    # derived where it can be: integers and booleans are exactly what they say
    assert C.Constant("count", 7, True, "a count").side == "exact"
    assert C.Constant("flag", True, True, "a flag").side == "exact"
    assert C.Constant("sides", (2, 3), True, "sizes").side == "exact"


# --------------------------------------------------------------------------- Hypothesis over the formatter

_rationals = st.builds(lambda n, d, e: Fraction(n, d) * Fraction(10) ** e,
                       st.integers(-10**12, 10**12), st.integers(1, 10**12), st.integers(-400, 400))


@given(q=_rationals, digits=st.integers(1, 9), direction=st.sampled_from(R.DIRECTIONS))
def test_round_decimal_is_directed_and_tight(q, digits, direction):
    M, E = R.round_decimal(q, digits, direction)
    value, step = Fraction(M) * Fraction(10) ** E, Fraction(10) ** E
    text = R.format_decimal(q, digits, direction)
    assert Fraction(text) == value
    if q == 0:
        assert M == 0
        return
    assert 10 ** (digits - 1) <= abs(M) < 10**digits
    if direction == "down":
        assert value <= q < value + step
    elif direction == "up":
        assert value - step < q <= value
    else:
        assert abs(value - q) <= step / 2


def _ball(m, r, e):
    centre = arb(m) * arb(2) ** e  # rounded to the working precision: already a ball when m has > 53 bits
    return centre + arb(0, 1) * (arb(r) * arb(2) ** (e - 60)) if r else centre


_balls = st.builds(_ball, st.integers(-2**62, 2**62), st.integers(0, 2**20), st.integers(-60000, 60000))


@given(ball=_balls, side=st.sampled_from(("lower", "upper", "estimate")), digits=st.integers(1, 8))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_constants_exporters_round_any_ball_outward(ball, side, digits):
    """A random certified ball (exponents up to ±60000, beyond float range) through both exporters."""
    c = C.Constant("x", ball, False, "random ball", "", side)
    entry = json.loads(C.render_json({"h": [c]}))["instances"]["h"]["x"]
    macro = _macros(C.render_tex({"h": [c]}))["\\varcheckHX"]
    printed = Fraction(entry["value"])
    assert tex_number(macro) == printed and arb(entry["ball"]).contains(ball)
    if side == "lower":
        assert printed <= R.to_fraction(ball.lower())
    elif side == "upper":
        assert printed >= R.to_fraction(ball.upper())
    if entry["approx"] is not None and side != "estimate":
        assert _float_ok(entry["approx"], "q", R.ball_endpoint(ball, side), side)
    m, e = R.round_decimal(R.ball_endpoint(ball, side), digits, R.direction_of(side))
    shown = Fraction(R.format_bound(ball, side, digits))
    assert shown == Fraction(m) * Fraction(10) ** e


@given(ball=_balls.filter(lambda b: b > 0), side=st.sampled_from(("lower", "upper")), decimals=st.integers(0, 3))
def test_log10_bounds_are_outward_and_tight(ball, side, decimals):
    bound, step = R.log10_bound(ball, side, decimals), Fraction(1, 10**decimals)

    def power(x: Fraction):  # 10^x as a ball
        return arb(10) ** (arb(x.numerator) / x.denominator)

    if side == "lower":  # 10^bound ≤ lower end < 10^(bound + step), wherever ball arithmetic decides
        assert not power(bound) > ball.lower() and not power(bound + step) < ball.lower()
    else:
        assert not power(bound) < ball.upper() and not power(bound - step) > ball.upper()


# --------------------------------------------------------------------------- text output: explain

@pytest.mark.claim("attn.precision-budget")
def test_explain_frontier_table_rounds_logs_of_gamma_down(capsys):
    from varcheck.claims.attention.precision import frontier_rows
    from varcheck.theory.registry import Context

    assert main(["explain", "attn.precision-budget"]) == 0
    out = capsys.readouterr().out
    table = out.split("(computed now, quick profile):")[1].split("Evidence")[0].strip().splitlines()[1:]
    rows = frontier_rows(Context())
    assert len(table) == len(rows)
    for line, row in zip(table, rows):
        cells = re.split(r"\s{2,}", line.strip())
        max_logit, log_actual, log_formula = Fraction(cells[3]), Fraction(cells[4]), Fraction(cells[5])
        assert max_logit >= row["cm"].logit_range()  # compared with the cosine cap: rounded up
        for printed, step, ball in ((log_actual, Fraction(1, 10), row["cert"].gamma_actual),
                                    (log_formula, Fraction(1), row["cm"].gamma_formula())):
            def ten(x):
                return arb(10) ** (arb(x.numerator) / x.denominator)

            # 10^printed ≤ γ's lower end (a lower bound), and one printed step more would not be
            assert not ten(printed) > ball.lower() and not ten(printed + step) < ball.lower(), (line, ball)


@pytest.mark.claim("interp.inf-norm")
def test_explain_prints_declared_claim_constants_exactly(capsys):
    from varcheck.claims.catalog import registry

    claims = {c.name: c for c in C.instance_constants(["claims"])["claims"]}
    for claim in registry():
        if not claim.constants:
            continue
        assert main(["explain", claim.id]) == 0
        out = capsys.readouterr().out
        for name, value, *_ in claim.constants:
            line = next(text for text in out.splitlines() if text.startswith(f"  {name} = "))
            assert line.startswith(f"  {name} = {value}")
            exported = claims.get(f"{claim.label} {name}")
            if exported is not None:  # a number: exported exactly as declared
                assert Fraction(str(value).replace("−", "-")) == exported.value and exported.side == "exact"


# --------------------------------------------------------------------------- reports: no rounding is added

@pytest.mark.claim("interp.kernel-range")
@pytest.mark.claim("interp.inf-norm")
def test_reports_print_observed_and_bound_exactly_as_the_json_holds_them():
    from html import escape

    from varcheck.claims.runner import run_claims
    from varcheck.report.html import render_html
    from varcheck.report.json_report import build_report, dependencies
    from varcheck.report.markdown import md_cell, render_markdown
    from varcheck.theory.registry import Context

    results = run_claims(["interp.kernel-range", "interp.inf-norm"], Context("quick", 0))
    report = build_report(results, Context("quick", 0))
    md, html = render_markdown(report, dependencies(results)), render_html(report, dependencies(results))
    seen = 0
    for claim in report["claims"]:
        for e in claim["evidence"]:
            for key in ("observed", "bound"):
                value = e[key]
                if value is None:
                    continue
                seen += 1
                if isinstance(value, float):
                    assert float(repr(value)) == value  # JSON keeps every bit; so do the renderings below
                assert md_cell(value) in md and escape(str(value)) in html, (claim["id"], key, value)
    assert seen >= 6


def test_cli_constants_json_carries_side_and_exact_value_beside_rounded_ones():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["constants", "--instance", "word-to-image", "--format", "json"]) == 0
    doc = json.loads(out.getvalue())["instances"]["word-to-image"]
    bound = doc["certified_bound"]
    assert bound["side"] == "upper" and bound["exact"] is False
    assert Fraction(bound["value"]) >= Fraction(bound["rational"]) and Fraction(bound["value"]) <= Fraction(1, 100)
    for name, entry in doc.items():
        if name.startswith("ledger_"):
            assert entry["side"] == "upper" and Fraction(entry["value"]) >= Fraction(entry["rational"])
