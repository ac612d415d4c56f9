"""The claim dependency graph as inline SVG (no script, no external resource), read top to bottom.

Layers are dependency depths: a claim with no dependency is in layer 0, any other claim in the layer after its
deepest dependency, so every edge points down the page. A layer wider than :data:`MAX_WIDTH` pixels wraps onto
several rows, and the SVG scales down with its container (``max-width: 100%``), so the graph fits the report's
width. Within a layer, claims are ordered by the mean position of their dependencies (the barycentre heuristic,
which keeps most edges short), ties in registry order. Nodes are coloured by outcome when one is known (a refuted
paper statement has its own colour, :data:`REFUTED_FILL`), link to the claim's section of the report (``#id``),
and carry a ``<title>`` tooltip.
"""

from __future__ import annotations

from html import escape

__all__ = ["layers", "dependency_svg", "OUTCOME_FILL", "REFUTED_FILL", "MAX_WIDTH"]

#: Node fill and stroke by outcome; ``None`` is a claim without a result (a documentation graph).
OUTCOME_FILL = {
    "as_expected": ("#d4f7d4", "#2e7d32"),
    "unexpected": ("#ffd6d6", "#c62828"),
    "error": ("#ffe3bf", "#ef6c00"),
    None: ("#eef2f7", "#546e7a"),
}
#: Fill and stroke of a paper statement that the run refuted, as expected.
REFUTED_FILL = ("#ecdcff", "#6a1b9a")
#: Widest drawing, in pixels (the report's body is 80em ≈ 1280 px, less its margins).
MAX_WIDTH = 1180

_CHAR_W, _NODE_H, _ROW_GAP, _LAYER_GAP, _COL_GAP, _PAD = 7.4, 24, 12, 34, 16, 12


def layers(dependencies: dict) -> list:
    """Layers of node ids: depth 0 (no dependency) first; nodes only named as a dependency are included."""
    order = []
    for claim_id, deps in dependencies.items():
        for node in (claim_id, *deps):
            if node not in order:
                order.append(node)
    depth: dict = {}

    def depth_of(node, stack=()):
        if node in depth:
            return depth[node]
        if node in stack:  # a cycle would be a registry bug; draw it rather than recurse forever
            return 0
        deps = dependencies.get(node, ())
        depth[node] = 1 + max((depth_of(d, stack + (node,)) for d in deps), default=-1)
        return depth[node]

    for node in order:
        depth_of(node)
    columns = [[] for _ in range(1 + max(depth.values(), default=-1))]
    rank = {node: i for i, node in enumerate(order)}
    place: dict = {}
    for k, column in enumerate(columns):
        members = [n for n in order if depth[n] == k]

        def key(node):
            deps = [place[d] for d in dependencies.get(node, ()) if d in place]
            return (sum(deps) / len(deps) if deps else -1, rank[node])

        members.sort(key=key if k else (lambda n: rank[n]))
        for i, node in enumerate(members):
            place[node] = i
        column.extend(members)
    return columns


def _layout(columns) -> tuple:
    """``(positions, width, height, node width)``: every node's top-left corner, layers wrapped into rows."""
    node_w = max(len(n) for col in columns for n in col) * _CHAR_W + 2 * _PAD
    per_row = max(1, int((MAX_WIDTH - 2 * _PAD + _COL_GAP) // (node_w + _COL_GAP)))
    widest = min(per_row, max(len(c) for c in columns))
    width = 2 * _PAD + widest * node_w + (widest - 1) * _COL_GAP
    pos, y = {}, _PAD
    for column in columns:
        for start in range(0, len(column), per_row):
            row = column[start:start + per_row]
            x = (width - (len(row) * node_w + (len(row) - 1) * _COL_GAP)) / 2
            for node in row:
                pos[node] = (x, y)
                x += node_w + _COL_GAP
            y += _NODE_H + _ROW_GAP
        y += _LAYER_GAP - _ROW_GAP
    return pos, width, y - _LAYER_GAP + _PAD, node_w


def dependency_svg(dependencies: dict, outcomes: dict | None = None, *, link: bool = True, refuted=(),
                   anchors=None) -> str:
    """An ``<svg>`` element drawing ``dependencies`` (id → ids it depends on), edges pointing to dependents.

    ``refuted``: ids of paper statements the run refuted (drawn in :data:`REFUTED_FILL` when their outcome is as
    expected). ``anchors``: the ids that have a section to link to (default: the keys of ``dependencies``)."""
    outcomes = outcomes or {}
    refuted = set(refuted)
    anchors = set(dependencies) if anchors is None else set(anchors)
    columns = layers(dependencies)
    if not columns:
        return '<svg role="img" aria-label="no claims" width="0" height="0"></svg>'
    pos, width, height, node_w = _layout(columns)
    parts = [
        f'<svg class="depgraph" role="img" aria-label="claim dependency graph" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" style="max-width: 100%; height: auto" '
        'font-family="ui-monospace, monospace" font-size="12">',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
        "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#607d8b\"/></marker></defs>",
        "<g class=\"edges\" fill=\"none\" stroke=\"#90a4ae\" stroke-width=\"1.2\">",
    ]
    for claim_id, deps in dependencies.items():
        x2, y2 = pos[claim_id]
        for dep in deps:
            x1, y1 = pos[dep]
            sx, sy, ex, ey = x1 + node_w / 2, y1 + _NODE_H, x2 + node_w / 2, y2
            bend = max((ey - sy) / 2, _LAYER_GAP / 2)
            parts.append(f'<path d="M {sx:.1f} {sy:.1f} C {sx:.1f} {sy + bend:.1f}, {ex:.1f} {ey - bend:.1f}, '
                         f'{ex:.1f} {ey:.1f}" marker-end="url(#arrow)"><title>{escape(claim_id)} depends on '
                         f"{escape(dep)}</title></path>")
    parts.append("</g>")
    parts.append('<g class="nodes">')
    for node, (x0, y0) in pos.items():
        outcome = outcomes.get(node)
        paper_refuted = node in refuted and outcome == "as_expected"
        fill, stroke = REFUTED_FILL if paper_refuted else OUTCOME_FILL.get(outcome, OUTCOME_FILL[None])
        tip = escape(node) + (f": {escape(outcome)}" if outcome else "")
        tip += " (refutes the paper)" if paper_refuted else ""
        node_svg = (f'<g class="node{" refuted-paper" if paper_refuted else ""}" data-claim="{escape(node)}">'
                    f'<title>{tip}</title>'
                    f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{node_w:.1f}" height="{_NODE_H}" rx="5" fill="{fill}" '
                    f'stroke="{stroke}" stroke-width="{2 if paper_refuted else 1}"/>'
                    f'<text x="{x0 + node_w / 2:.1f}" y="{y0 + _NODE_H / 2 + 4:.1f}" text-anchor="middle" fill="#222">'
                    f'{escape(node)}</text></g>')
        if link and node in anchors:
            node_svg = f'<a href="#{escape(node)}">{node_svg}</a>'
        parts.append(node_svg)
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)
