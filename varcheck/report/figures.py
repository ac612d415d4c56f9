"""Small figures for the HTML report, rendered with matplotlib (a dependency of varcheck) to base64 PNG.

Each figure is computed from varcheck's exact layer, not from the evidence text, so it shows the
mathematics a finding is about:

* ``keys_kernel``: W_a for torch's a = −3/4 and a = −1/2 against the band [0, 1] the paper claims
  (finding F1, claim I4): both dip below 0, to 4a/27 at |x| = 4/3;
* ``var_effective_map``: max |E_k − D_k| for each var256 scale pair (finding F8, claim I8);
* ``outcomes``: claims per family and outcome in the run being reported.

:func:`figures` returns ``[]`` with a reason when matplotlib is not importable; the report then says
that figures were omitted. Rendering uses the Agg canvas directly (no pyplot state, no GUI backend).
"""

from __future__ import annotations

import base64
import io
from fractions import Fraction

__all__ = ["Figure", "figures", "matplotlib_available"]

_COLOURS = {"as_expected": "#2e7d32", "unexpected": "#c62828", "error": "#ef6c00"}


class Figure:
    """A rendered figure: a stable name, a caption, and the PNG bytes."""

    def __init__(self, name: str, caption: str, png: bytes):
        self.name, self.caption, self.png = name, caption, png

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    except Exception:  # absent or broken: the report omits figures and says why
        return False
    return True


def _render(draw, size=(6.0, 3.2)) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    draw(ax)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _keys_kernel(ax) -> None:
    from ..exact.interpolation import keys_kernel

    xs = [Fraction(i, 100) for i in range(-250, 251)]
    ax.axhspan(0, 1, color="#e3f2fd", label="[0, 1] (paper's claim)")
    for a, colour in ((Fraction(-3, 4), "#1565c0"), (Fraction(-1, 2), "#6a1b9a")):
        ax.plot([float(x) for x in xs], [float(keys_kernel(x, a)) for x in xs], color=colour, label=f"W_a, a = {a}")
        for x in (Fraction(-4, 3), Fraction(4, 3)):
            ax.plot([float(x)], [float(keys_kernel(x, a))], "o", color=colour, markersize=4)
    ax.axhline(0, color="#555", linewidth=0.6)
    ax.annotate("min 4a/27 at |x| = 4/3", xy=(4 / 3, -1 / 9), xytext=(1.55, 0.35),
                arrowprops={"arrowstyle": "->", "color": "#555"}, fontsize=8)
    ax.set_xlabel("x")
    ax.set_title("Keys kernel W_a (F1, claim I4: refuted)", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")


def _var_effective_map(ax) -> None:
    from ..exact.interpolation import interpolation_matrix_1d
    from ..exact.pyramid_maps import var_effective_map
    from ..spec.pyramid import PRESETS

    sides = PRESETS["var256"]
    labels, values = [], []
    for p, q in zip(sides, sides[1:]):
        diff = var_effective_map(p, q, exact=True) - interpolation_matrix_1d(p, q, "bicubic", exact=True)
        labels.append(f"{p}→{q}")
        values.append(max(abs(float(Fraction(str(v)))) for v in diff.entries()))
    ax.bar(labels, values, color="#00838f")
    ax.set_ylabel("max |E_k − D_k|")
    ax.set_title("VAR's next-scale map vs direct bicubic (F8, claim I8)", fontsize=10)
    ax.tick_params(axis="x", labelsize=8)


def _outcomes(claims):
    families = []
    for c in claims:
        family = c["id"].split(".")[0]
        if family not in families:
            families.append(family)

    def draw(ax):
        left = [0] * len(families)
        for outcome, colour in _COLOURS.items():
            counts = [sum(1 for c in claims if c["id"].split(".")[0] == f and c["outcome"] == outcome)
                      for f in families]
            ax.barh(families, counts, left=left, color=colour, label=outcome)
            left = [a + b for a, b in zip(left, counts)]
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("claims")
        ax.invert_yaxis()
        ax.set_title("Outcome of each claim family in this run", fontsize=10)
        ax.legend(fontsize=7, loc="lower right")

    return draw


def figures(report: dict) -> tuple:
    """``(figures, note)``: the report's figures, or ``([], reason)`` when matplotlib is unavailable."""
    if not matplotlib_available():
        return [], "Figures omitted: matplotlib is not installed (pip install matplotlib adds them)."
    out = [
        Figure("keys_kernel", "The Keys cubic kernel dips below 0 (to −1/9 for torch's a = −3/4): finding F1.",
               _render(_keys_kernel)),
        Figure("var_effective_map", "Largest entry of E_k − D_k per var256 scale pair (exact over Q): finding F8.",
               _render(_var_effective_map)),
    ]
    if report.get("claims"):
        height = 1.0 + 0.35 * len({c["id"].split(".")[0] for c in report["claims"]})
        out.append(Figure("outcomes", "Claims per family, coloured by outcome.",
                          _render(_outcomes(report["claims"]), size=(6.0, height))))
    return out, ""
