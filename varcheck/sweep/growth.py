"""Growth laws fitted to a sweep's table (least squares, numpy), set beside docs/theory.md's derived laws.

Each law names the rows it uses, a regressor x and a response y (both computed from measured
columns), a grouping, and docs/theory.md's derived slope where docs/theory.md derives one:

* ``tight-gamma``: −ln γ_actual against M·Δ (M = n·G^d, Δ = 2 ln n + 3); docs/theory.md §6.1: γ ≈ e^{−8M(2 ln n + 3)},
slope 8.
* ``tight-logit``: max |logit| against M·Δ; docs/theory.md §6.1: largest logit ≈ 4M(2 ln n + 3), slope 4.
* ``tight-bits``: bits needed against M·Δ/ln 2; with γ ≈ e^{−8MΔ}, bits ≈ log2(r/γ): slope 8.
* ``tight-bits-n-log2G``: bits needed against n·log2 G, a conjectured law; docs/theory.md derives none,
  so only its R² is reported (against ``tight-bits``'s, on the same rows).
* ``gamma-vs-spread``: −ln γ_actual against the largest logit spread within a row (max − min score of one
  query), per variant; docs/theory.md derives none: Lemma 1's guarantee decays like e^{−2R} with R the largest logit,
  while a separation can be no smaller than the smallest softmax weight e^{−spread} allows.
* ``paper-gamma``: −ln γ_actual against −ln γ_formula (docs/theory.md §3.3 A4's γ at the instance constants);
  slope 1 if the formula were the actual separation (it is a lower bound: slope ≤ 1 expected).
* ``t2-params``: ln(parameter count) against ln(1/ε) per (pyramid, d, channels); docs/theory.md §4 P1 gives
  G ∝ 1/ε and the lookup has L·G^d units: slope d.
* ``t1-params``: the same for image-to-image per (pyramid, mask, variant); FF₂ has one step per cell
  and output position, G^n cells: slope n (n = tokens of the first scale).

Both size laws are asymptotic (layers whose size does not grow with G dominate at large ε), so their
slope is fitted on the half of each group's points with the smallest ε (at least ``MIN_POINTS``).

A fitted slope within ``AGREEMENT_TOLERANCE`` (relative) of docs/theory.md's is reported as agreeing; otherwise
as a mismatch, which is a finding to write down, never a reason to change the law or the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["GrowthFit", "LAWS", "fit_growth_laws", "AGREEMENT_TOLERANCE", "MIN_POINTS"]

#: Relative distance |a − a_THEORY|/a_THEORY under which a fitted slope is said to agree (a reporting threshold).
AGREEMENT_TOLERANCE = 0.15
#: A group is fitted only with at least this many distinct regressor values (two points always fit a line).
MIN_POINTS = 3
LN10 = math.log(10)


@dataclass
class GrowthFit:
    """One fitted law on one group of rows: y ≈ slope·x + intercept."""

    law: str
    title: str
    group: str
    points: int
    slope: float
    intercept: float
    r2: float
    theory_slope: float | None
    theory: str

    @property
    def verdict(self) -> str:
        if self.theory_slope is None:
            return "no derived law"
        rel = abs(self.slope - self.theory_slope) / abs(self.theory_slope)
        return "agrees" if rel <= AGREEMENT_TOLERANCE else f"MISMATCH (×{self.slope / self.theory_slope:.3g})"

    def as_dict(self) -> dict:
        return {"law": self.law, "title": self.title, "group": self.group, "points": self.points, "slope": self.slope,
                "intercept": self.intercept, "r2": self.r2, "theory_slope": self.theory_slope, "theory": self.theory,
                "verdict": self.verdict}


def _ok(row, construction, **eq):
    return (row.get("construction") == construction and row.get("status") == "ok"
            and all(row.get(k) == v for k, v in eq.items()))


def _need(*values):
    return None if any(v is None for v in values) else values


def first_scale_tokens(pyramid: str) -> int:
    from .points import parse_pyramid

    return parse_pyramid(pyramid).sizes[0]


@dataclass(frozen=True)
class Law:
    id: str
    title: str
    theory: str
    select: object  # row → bool
    xy: object  # row → (x, y) or None
    group: object = staticmethod(lambda row: "all")
    theory_slope: object = None  # float, or group-row → float
    asymptotic: bool = False  # fit only the half of the points with the largest x (at least MIN_POINTS)


def _cm_xy(yfun, scale=1.0):
    def xy(row):
        v = _need(row.get("M_projection"), row.get("delta"))
        y = yfun(row)
        return None if v is None or y is None else (v[0] * v[1] / scale, y)
    return xy


def _neg_ln_gamma(row):
    v = row.get("log10_gamma_actual")
    return None if v is None else -v * LN10


def _loglog_params(row):
    v = _need(row.get("eps"), row.get("parameter_count"))
    return None if v is None or v[1] <= 0 else (math.log(1 / v[0]), math.log(v[1]))


LAWS = (
    Law("tight-gamma", "tight: −ln γ_actual vs M·(2 ln n + 3)", "the reconstructed estimate γ ≈ e^{−8M(2 ln n + 3)} "
                                                                "(docs/theory.md §3.3, A4-tight-γ; slope 8)",
        lambda r: _ok(r, "contextual_mapping", variant="tight"), _cm_xy(_neg_ln_gamma), theory_slope=8.0),
    Law("tight-logit", "tight: max |logit| vs M·(2 ln n + 3)", "docs/theory.md §6.1: largest logit ≈ 4M(2 ln n + 3) "
                                                               "(slope 4)",
        lambda r: _ok(r, "contextual_mapping", variant="tight"), _cm_xy(lambda r: r.get(
            "max_abs_logit")), theory_slope=4.0),
    Law("tight-bits", "tight: bits needed vs M·(2 ln n + 3)/ln 2", "bits ≈ log2(r/γ) with the reconstructed "
                                                                   "estimate's γ (docs/theory.md §3.3; slope 8)",
        lambda r: _ok(r, "contextual_mapping", variant="tight"), _cm_xy(lambda r: r.get("bits_needed"), math.log(2)),
        theory_slope=8.0),
    Law("tight-bits-n-log2G", "tight: bits needed vs n·log2 G (a conjectured law)", "none derived",
        lambda r: _ok(r, "contextual_mapping", variant="tight"),
        lambda r: None if r.get("bits_needed") is None else (r["n"] * math.log2(r["G"]), r["bits_needed"])),
    Law("gamma-vs-spread", "−ln γ_actual vs the logit spread of a "
                           "row", "none derived (Lemma 1 bounds with e^{−2R}, R the largest logit)",
        lambda r: r.get("construction") == "contextual_mapping" and r.get("status") == "ok",
        lambda r: None if _need(r.get("log10_gamma_actual"), r.get("logit_spread")) is None
        else (r["logit_spread"], -r["log10_gamma_actual"] * LN10), group=lambda r: f"variant={r['variant']}"),
    Law("paper-gamma", "paper: −ln γ_actual vs −ln γ_formula",
        "docs/theory.md §3.3 A4: γ = γ_formula would give slope 1 (γ_formula is a lower bound)",
        lambda r: _ok(r, "contextual_mapping", variant="paper"),
        lambda r: None if _need(r.get("log10_gamma_actual"), r.get("log10_gamma_formula")) is None
        else (-r["log10_gamma_formula"] * LN10, -r["log10_gamma_actual"] * LN10), theory_slope=1.0),
    Law("t2-params", "T2: ln(parameters) vs ln(1/ε)", "docs/theory.md §4 P1: G ∝ 1/ε, L·G^d lookup units (slope d)",
        lambda r: _ok(r, "word_to_image"), _loglog_params,
        group=lambda r: f"pyramid={r['pyramid']}, d={r['d']}, channels={r['channels']}",
        theory_slope=lambda r: float(r["d"]), asymptotic=True),
    Law("t1-params", "T1: ln(parameters) vs ln(1/ε)", "docs/theory.md §4 P1: G ∝ 1/ε, one FF₂ step per cell G^n (slope "
                                                      "n)",
        lambda r: _ok(r, "image_to_image"), _loglog_params,
        group=lambda r: f"pyramid={r['pyramid']}, masked={r['masked']}, variant={r['variant']}",
        theory_slope=lambda r: float(first_scale_tokens(r["pyramid"])), asymptotic=True),
)


def _fit(xs, ys):
    x, y = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    A = np.stack([x, np.ones_like(x)], axis=1)
    (slope, intercept), *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - (slope * x + intercept)
    total = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((resid**2).sum()) / total if total > 0 else 1.0
    return float(slope), float(intercept), r2


def fit_growth_laws(rows, laws=LAWS) -> list:
    """Fit every law on every group with at least MIN_POINTS distinct regressor values."""
    fits = []
    for law in laws:
        groups: dict = {}
        for row in rows:
            if not law.select(row):
                continue
            xy = law.xy(row)
            if xy is None or not all(math.isfinite(v) for v in xy):
                continue
            groups.setdefault(law.group(row), []).append((xy, row))
        for group, items in sorted(groups.items()):
            if law.asymptotic:  # the growth exponent of an asymptotic law: the smallest-ε half of the points
                items = sorted(items, key=lambda item: -item[0][0])[:max(MIN_POINTS, math.ceil(len(items) / 2))]
            xs = [x for (x, _), _ in items]
            if len(set(xs)) < MIN_POINTS:
                continue
            slope, intercept, r2 = _fit(xs, [y for (_, y), _ in items])
            theory = law.theory_slope(items[0][1]) if callable(law.theory_slope) else law.theory_slope
            fits.append(GrowthFit(law.id, law.title, group, len(items), slope, intercept, r2, theory, law.theory))
    return fits
