"""The realisability atlas: figures, growth laws and one self-contained HTML page from a sweep's table.

    varcheck atlas DIR [--report PATH]

Figures (matplotlib Agg, inline PNG as in the verification report), each drawn only when the table has
its rows:

* ``bits_vs_G``: mantissa bits a floating-point run needs to resolve γ_actual (A6), against G, for both
  contextual-mapping constructions, with the mantissa widths of float64 (53), float32 (24) and bfloat16 (8);
* ``gamma_vs_n``: −log10 γ_actual against n (log scale), with docs/theory.md's laws at the same instances
  (A4's γ formula for the paper construction, §6.1's e^{−8M(2 ln n + 3)} for the tight one), dashed;
* ``params_vs_inv_eps``: parameter count against 1/ε for T1 and T2 (log–log), each series with docs/theory.md's
  growth exponent (ε^{−d} for T2, ε^{−n} for T1) drawn through its smallest-ε point; ε where the builder
  refused (e.g. float64 cannot be certified) marked on the axis;
* ``certified_eps``: the certified per-entry bound d̄_p against the requested ε (the diagonal is the budget);
* ``t1_bits``: T1's read-out precision (tight) against what the paper constants would need.

The growth laws of :mod:`varcheck.sweep.growth` are fitted to the same rows and tabulated beside
docs/theory.md's derived slopes; ``DIR/growth_laws.json`` keeps them.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path

from ..errors import VarcheckError
from .figures import Figure, _render, matplotlib_available
from .html import _CSS, _table, _text

__all__ = ["atlas_figures", "render_atlas", "write_atlas", "cmd_atlas", "FLOAT_MANTISSA_BITS"]

_MARKERS = "osD^v<>ph*"
_COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f",
            "#5d4037", "#ad1457", "#455a64", "#9e9d24")


def _float_mantissa_bits() -> dict:
    from ..exact.contextual_mapping import FLOAT_FORMATS

    return {name: bits for name, (bits, _) in FLOAT_FORMATS.items()}


#: Mantissa bits (with the implicit one) of the formats drawn as lines on ``bits_vs_G``.
FLOAT_MANTISSA_BITS = _float_mantissa_bits()


def _ok(rows, construction):
    return [r for r in rows if r.get("construction") == construction and r.get("status") == "ok"]


def _series(rows, key, x, y):
    """{label: sorted [(x, y)]} of the rows with both values, one series per ``key(row)``."""
    out: dict = {}
    for r in rows:
        if r.get(x) is None or r.get(y) is None:
            continue
        out.setdefault(key(r), []).append((r[x], r[y]))
    return {k: sorted(set(v)) for k, v in sorted(out.items())}


def _style(i):
    return {"color": _COLOURS[i % len(_COLOURS)], "marker": _MARKERS[i % len(_MARKERS)], "markersize": 4}


def _bits_vs_G(rows):
    series = _series(_ok(rows, "contextual_mapping"), lambda r: f"{r['variant']}, n = {r['n']}, d = {r['d']}", "G",
                     "bits_needed")
    if not series:
        return None

    def draw(ax):
        for i, (label, pts) in enumerate(series.items()):
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label,
                    linestyle="-" if label.startswith("tight") else "--", **_style(i))
        for name, bits in FLOAT_MANTISSA_BITS.items():
            ax.axhline(bits, color="#777", linewidth=0.8, linestyle=":")
            ax.annotate(f"{name} ({bits} bits)", xy=(1.0, bits), xycoords=("axes fraction", "data"), ha="right",
                        va="bottom", fontsize=7, color="#555")
        ax.set_yscale("log")
        ax.set_xlabel("G (grid size of the vocabulary)")
        ax.set_ylabel("mantissa bits needed")
        ax.set_title("Bits a float run needs to resolve γ (A6 / F6)", fontsize=10)
        ax.legend(fontsize=6, ncol=2)

    return Figure("bits_vs_G", "Mantissa bits needed to resolve the certified γ_actual, per construction: a format is "
                  "only usable below its line (and only where its exponent range holds the smallest softmax weight).",
                  _render(draw, size=(6.4, 3.8)))


def _gamma_vs_n(rows):
    cm = _ok(rows, "contextual_mapping")
    series = _series(cm, lambda r: f"{r['variant']}, G = {r['G']}, d = {r['d']}", "n", "log10_gamma_actual")
    series = {k: v for k, v in series.items() if len(v) >= 2}  # a curve in n needs two sequence lengths
    if not series:
        return None
    theory: dict = {}
    for r in cm:
        label = f"{r['variant']}, G = {r['G']}, d = {r['d']}"
        if r["variant"] == "paper" and r.get("log10_gamma_formula") is not None:
            theory.setdefault(label, set()).add((r["n"], r["log10_gamma_formula"]))
        elif r["variant"] == "tight" and r.get("M_projection") and r.get("delta"):
            theory.setdefault(label, set()).add((r["n"], -8 * r["M_projection"] * r["delta"] / math.log(10)))

    def draw(ax):
        for i, (label, pts) in enumerate(series.items()):
            style = _style(i)
            ax.plot([p[0] for p in pts], [-p[1] for p in pts], label=f"{label} (certified)", **style)
            if label in theory:
                tp = sorted(theory[label])
                ax.plot([p[0] for p in tp], [-p[1] for p in tp], linestyle="--", color=style["color"], linewidth=0.9,
                        label=f"{label} (theory)")
        ax.set_yscale("log")
        ax.set_xlabel("n (sequence length)")
        ax.set_ylabel("−log10 γ")
        ax.set_title("Separation γ of the contextual mapping vs n", fontsize=10)
        ax.legend(fontsize=6, ncol=2)

    return Figure("gamma_vs_n", "−log10 of the certified γ_actual (solid) and docs/theory.md's γ at the same instances "
                                "(dashed: A4's formula for the paper construction, §6.1's e^{−8M(2 ln n + 3)} for the "
                                "tight one).",
                  _render(draw, size=(6.4, 3.8)))


def _params_vs_inv_eps(rows):
    def key(r):
        if r["construction"] == "word_to_image":
            return f"T2 {r['pyramid']}, d = {r['d']}"
        return f"T1 {r['pyramid']} ({r['variant']})"

    ok = _ok(rows, "word_to_image") + _ok(rows, "image_to_image")
    series = _series(ok, key, "eps", "parameter_count")
    if not series:
        return None
    from ..sweep.growth import first_scale_tokens

    exponents = {key(r): (r["d"] if r["construction"] == "word_to_image" else first_scale_tokens(r["pyramid"]))
                 for r in ok}
    refused = [r for r in rows if r.get("construction") in ("word_to_image", "image_to_image")
               and r.get("status") == "refused" and r.get("eps")]

    def draw(ax):
        for i, (label, pts) in enumerate(series.items()):
            style = _style(i)
            xs, ys = [1 / p[0] for p in pts], [p[1] for p in pts]
            ax.plot(xs, ys, label=label, **style)
            k = exponents[label]
            x0, y0 = max(xs), ys[xs.index(max(xs))]
            line = [min(xs), x0]
            ax.plot(line, [y0 * (x / x0) ** k for x in line], linestyle="--", color=style["color"], linewidth=0.9,
                    label=f"theory slope {k}")
        if refused:
            ax.plot([1 / r["eps"] for r in refused], [min(p[1] for s in series.values() for p in s) / 2] * len(refused),
                    "x", color="#c62828", label="builder refused", markersize=5)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("1/ε (per-entry accuracy)")
        ax.set_ylabel("parameters")
        ax.set_title("Network size vs accuracy (T1, T2)", fontsize=10)
        ax.legend(fontsize=6, ncol=2)

    return Figure("params_vs_inv_eps", "Parameter count against 1/ε (log–log); dashed: docs/theory.md's growth "
                                       "exponent (P1: G "
                                       "∝ 1/ε, so ε^{−d} lookup cells for T2 and ε^{−n} input cells for T1) through "
                                       "each series' smallest ε. The paper states no explicit size (only O(ε)), so "
                                       "docs/theory.md's derived law is the bound drawn.",
                  _render(draw, size=(6.4, 3.8)))


def _certified_eps(rows):
    ok = [r for r in _ok(rows, "word_to_image") + _ok(rows, "image_to_image") if r.get("lp_bound") is not None]
    if not ok:
        return None
    series = _series(ok, lambda r: f"{'T2' if r['construction'] == 'word_to_image' else 'T1'} {r['pyramid']}"
                     + (f", d = {r['d']}" if r["construction"] == "word_to_image" else ""), "eps", "lp_bound")

    def draw(ax):
        for i, (label, pts) in enumerate(series.items()):
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label, **_style(i))
        xs = [r["eps"] for r in ok]
        ax.plot([min(xs), max(xs)], [min(xs), max(xs)], color="#777", linestyle=":", label="d̄_p = ε")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("requested ε")
        ax.set_ylabel("certified d̄_p")
        ax.set_title("Certified per-entry error vs the requested ε", fontsize=10)
        ax.legend(fontsize=6)

    return Figure("certified_eps", "The certified per-entry bound d̄_p of every built network against the ε it was "
                                   "built for; every point lies on or below the diagonal when the build "
                                   "certified.", _render(draw, size=(6.0, 3.6)))


def _t1_bits(rows):
    ok = _ok(rows, "image_to_image")
    tight = _series(ok, lambda r: f"{r['variant']} read-outs, {r['pyramid']}", "G", "precision_bits")
    paper = _series(ok, lambda r: f"paper constants would need, {r['pyramid']}", "G", "paper_bits")
    if not tight and not paper:
        return None

    def draw(ax):
        for i, (label, pts) in enumerate({**tight, **paper}.items()):
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label,
                    linestyle="--" if label.startswith("paper") else "-", **_style(i))
        ax.set_yscale("log")
        ax.set_xlabel("G")
        ax.set_ylabel("bits per read-out")
        ax.set_title("T1 read-out precision: built vs paper constants", fontsize=10)
        ax.legend(fontsize=6)

    return Figure("t1_bits", "Bits of the T1 network's ball read-outs (built) and what the paper's A4 constants would "
                  "need on the same token family (paper_requirement).", _render(draw, size=(6.0, 3.6)))


def atlas_figures(rows) -> tuple:
    """``(figures, note)`` for a table's rows; ``([], reason)`` without matplotlib."""
    if not matplotlib_available():
        return [], "Figures omitted: matplotlib is not installed (pip install matplotlib adds them)."
    figs = [f for f in (_bits_vs_G(rows), _gamma_vs_n(rows), _params_vs_inv_eps(rows), _certified_eps(rows),
                        _t1_bits(rows)) if f is not None]
    return figs, "" if figs else "No figure: the table has no measured row of the constructions drawn here."


def _fmt(v, digits=4):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    return escape(str(v))


def render_atlas(rows, provenance: dict, fits=None) -> str:
    """The atlas page (self-contained HTML) of a table's rows and provenance."""
    from ..sweep.growth import fit_growth_laws

    fits = fit_growth_laws(rows) if fits is None else fits
    figs, note = atlas_figures(rows)
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>varcheck realisability atlas: {escape(str(provenance.get('spec')))}</title>",
             f"<style>\n{_CSS}\n</style>", "</head>", "<body>",
             f"<h1>varcheck realisability atlas — sweep <code>{escape(str(provenance.get('spec')))}</code></h1>",
             '<nav><a href="#studies">Studies</a><a href="#figures">Figures</a><a href="#growth-laws">Growth laws</a>'
             '<a href="#refused">Refused points</a><a href="#provenance">Provenance</a></nav>',
             f"<p>varcheck {_text(provenance.get('varcheck_version'))} · git {_text(provenance.get('git_revision'))} · "
             f"seed {_text(provenance.get('seed'))} · {len(rows)} rows · executor "
             f"{_text(provenance.get('executor'))}</p>",
             '<h2 id="studies">Studies</h2>']
    studies: dict = {}
    for r in rows:
        s = studies.setdefault(r["study"], {"construction": r["construction"],
                                            "ok": 0, "refused": 0, "other": 0, "seconds": 0.0})
        s[r["status"] if r["status"] in ("ok", "refused") else "other"] += 1
        s["seconds"] += r.get("seconds") or 0.0
    lines += _table(("study", "construction", "measured", "refused", "failed or pending", "point seconds"),
                    [(f"<code>{escape(k)}</code>", escape(v["construction"]), v["ok"], v["refused"], v["other"],
                      f"{v['seconds']:.1f}") for k, v in studies.items()])
    lines.append('<h2 id="figures">Figures</h2>')
    if note:
        lines.append(f"<p>{escape(note)}</p>")
    for fig in figs:
        lines.append(f'<figure id="figure-{escape(fig.name)}"><img alt="{escape(fig.caption)}" src="{fig.data_uri()}">'
                     f"<figcaption>{escape(fig.caption)}</figcaption></figure>")
    lines += ['<h2 id="growth-laws">Growth laws</h2>',
              "<p>Least-squares fits y ≈ slope·x + intercept on the measured rows, beside docs/theory.md's derived "
              "slope. A "
              "mismatch is a finding about the construction or about docs/theory.md's constants, not a failed run.</p>"]
    lines += _table(("law", "group", "points", "fitted slope", "intercept", "R²", "theory slope",
                     "docs/theory.md's law", "verdict"),
                    [(f"<code>{escape(f.law)}</code> {escape(f.title)}", escape(f.group), f.points, _fmt(f.slope),
                      _fmt(f.intercept), f"{f.r2:.4f}", _fmt(f.theory_slope), escape(f.theory), escape(f.verdict))
                     for f in fits])
    refused = [r for r in rows if r.get("status") == "refused"]
    lines.append('<h2 id="refused">Refused points</h2>')
    if refused:
        lines.append("<p>Instances a construction refused (a result: e.g. float64 cannot certify below some ε).</p>")
        lines += _table(("study", "point", "reason"), [(f"<code>{escape(r['study'])}</code>",
                                                        f"<code>{escape(r['point_hash'][:12])}</code>", _text(r.get(
                                                            "message")))
                                                       for r in refused])
    else:
        lines.append("<p>None.</p>")
    lines.append('<h2 id="provenance">Provenance</h2>')
    prov_rows = [(escape(k), _text(v)) for k, v in provenance.items() if k not in ("versions", "columns")]
    prov_rows += [(escape(k), _text(v)) for k, v in (provenance.get("versions") or {}).items()]
    lines += _table(("key", "value"), prov_rows)
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)


def write_atlas(directory, report=None) -> Path:
    """Read ``directory``'s table, write the atlas page (``report`` or DIR/atlas.html) and DIR/growth_laws.json."""
    from ..sweep.growth import fit_growth_laws
    from ..sweep.store import atomic_write_text
    from ..sweep.table import read_results

    directory = Path(directory)
    if not directory.is_dir():
        raise VarcheckError(f"DIR {directory} is not a directory; pass the --out of `varcheck sweep`.")
    path = Path(report) if report is not None else directory / "atlas.html"
    if path.suffix != ".html":
        raise VarcheckError(f"--report must name an .html file, got {str(path)!r}.")
    if not path.parent.is_dir():
        raise VarcheckError(f"--report directory {str(path.parent)!r} does not exist; create it first.")
    rows, provenance = read_results(directory)
    fits = fit_growth_laws(rows)
    atomic_write_text(directory / "growth_laws.json", json.dumps([f.as_dict() for f in fits], indent=1) + "\n")
    atomic_write_text(path, render_atlas(rows, provenance, fits))
    return path


def cmd_atlas(args) -> int:
    """The ``varcheck atlas`` command."""
    path = write_atlas(args.directory, args.report)
    print(f"atlas written to {path} (growth laws in {Path(args.directory) / 'growth_laws.json'})")
    return 0
