"""The built networks, their honest size, next to what docs/theory.md's constructions and the paper state
(docs/networks.md).

One row per default instance of the main theorem: the dense VarTransformer's residual width, depth, hidden widths,
parameters (every entry of every dense weight) and non-zero parameters, multiply-adds per token, its certified
per-entry error — and, beside it, the size of docs/theory.md's construction at the same grid (§6.2's (cell, position)
lookup for T2; §6.1's contextual mapping for T1, whose read-outs need the bits shown) and the paper's (which
states none: the result is O(ε)).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from ..claims.catalog import network_builders
from ..exact.directed_rounding import format_bound
from .markdown import GENERATED_HEADER, md_cell

__all__ = ["network_rows", "render_networks_doc", "networks_markdown_table", "NETWORK_HEADER"]

NETWORK_HEADER = ("network", "setting", "d_model", "depth", "hidden widths", "parameters", "non-zero", "MACs / token",
                  "certified d̄₂ ≤ (ε)", "docs/theory.md's construction at the same G", "paper")


@lru_cache(maxsize=1)
def network_rows() -> tuple:
    """The rows of the table, one per network the claim families declare (builds the default instances: seconds)."""
    return tuple(_row(build()) for build in network_builders())


def _row(row) -> dict:
    approx, eps = row.approximator, row.eps
    s = approx.summary()
    return {"network": row.network, "setting": row.setting, "d_model": s["d_model"], "depth": s["depth"],
            "hidden widths": " · ".join(map(str, s["ff1"] + s["ff2"])) + f" (+ attention rank {s['attention_rank']})",
            "parameters": s["parameters"], "non-zero": s["nonzero_parameters"], "MACs / token": s["macs_per_token"],
            "certified d̄₂ ≤ (ε)": f"{format_bound(approx.certificate()['lp_bound'], 'upper', 4)} ({Fraction(eps)})",
            "docs/theory.md's construction at the same G": row.theory, "paper": "none stated (O(ε))"}


def networks_markdown_table() -> list:
    lines = ["| " + " | ".join(NETWORK_HEADER) + " |", "|" + "---|" * len(NETWORK_HEADER)]
    for row in network_rows():
        lines.append("| " + " | ".join(md_cell(str(row[h])) for h in NETWORK_HEADER) + " |")
    return lines


def render_networks_doc() -> str:
    return "\n".join([
        GENERATED_HEADER.format(source="the default instances of the main theorem (varcheck.report.networks)"), "",
        "# The built networks", "",
        "Every approximator varcheck builds is a dense VAR transformer of the paper's model class (plain `nn.Linear`, "
        "ReLU, one single-head attention layer, `F.interpolate`; docs/export.md). Its size is stated honestly: "
        "**parameters** counts every entry of every dense weight and bias (most are zero), **MACs / token** the "
        "multiply-adds one token costs through the dense layers. docs/theory.md's constructions at the same grid and "
        "the "
        "paper's statement are given beside it.", "", *networks_markdown_table(), "",
        "The word-to-image networks' cost is dominated by FF₂'s cell layer (G^d·P units reading the whole stream) and "
        "its table slots; any dense token-wise layer that stores the G^d·L·C table values must multiply every token by "
        "at least that many weights, while the 2^d-cell fast path (`strategy=\"lookup\"`, proven equal up to the "
        "accounted rounding) touches 2^d table rows per token. `python -m varcheck.bench --rows w2i-dense-forward` "
        "measures both (docs/performance.md).", ""])
