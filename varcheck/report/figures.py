"""Small figures for the HTML report, rendered with matplotlib (a dependency of varcheck) to base64 PNG.

The claim families declare the figures of their findings (varcheck.theory.reporting.Plot, gathered by
varcheck.claims.catalog.plots), each computed from varcheck's exact layer, not from the evidence text, so it shows
the mathematics a finding is about (``keys_kernel``: F1, claim I4; ``var_effective_map``: F8, claim I8); this
module renders them and adds ``outcomes``: claims per family and outcome in the run being reported.

:func:`figures` returns ``[]`` with a reason when matplotlib is not importable; the report then says
that figures were omitted. Rendering uses the Agg canvas directly (no pyplot state, no GUI backend).
"""

from __future__ import annotations

import base64
import io

from ..claims.catalog import plots

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
    out = [Figure(plot.name, plot.caption, _render(plot.draw)) for plot in plots()]
    if report.get("claims"):
        height = 1.0 + 0.35 * len({c["id"].split(".")[0] for c in report["claims"]})
        out.append(Figure("outcomes", "Claims per family, coloured by outcome.",
                          _render(_outcomes(report["claims"]), size=(6.0, height))))
    return out, ""
