"""The claim dependency graph as inline SVG (no script, no external resource), layered by dependency depth.

A claim with no dependency sits in column 0; any other claim in the column after its deepest dependency.
Within a column, claims are ordered by the mean row of their dependencies (the barycentre heuristic,
which keeps most edges short and uncrossed), ties in registry order. Nodes are coloured by outcome when
one is known, link to the claim's section of the report (``#id``), and carry a ``<title>`` tooltip.
"""

from __future__ import annotations

from html import escape

__all__ = ["layers", "dependency_svg", "OUTCOME_FILL"]

#: Node fill and stroke by outcome; ``None`` is a claim without a result (a documentation graph).
OUTCOME_FILL = {
    "as_expected": ("#d4f7d4", "#2e7d32"),
    "unexpected": ("#ffd6d6", "#c62828"),
    "error": ("#ffe3bf", "#ef6c00"),
    None: ("#eef2f7", "#546e7a"),
}

_CHAR_W, _ROW_H, _NODE_H, _COL_GAP, _PAD = 7.4, 34, 24, 64, 12


def layers(dependencies: dict) -> list:
    """Columns of node ids: depth 0 (no dependency) first; nodes only named as a dependency are included."""
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
    row: dict = {}
    for k, column in enumerate(columns):
        members = [n for n in order if depth[n] == k]

        def key(node):
            deps = [row[d] for d in dependencies.get(node, ()) if d in row]
            return (sum(deps) / len(deps) if deps else -1, rank[node])

        members.sort(key=key if k else (lambda n: rank[n]))
        for i, node in enumerate(members):
            row[node] = i
        column.extend(members)
    return columns


def dependency_svg(dependencies: dict, outcomes: dict | None = None, *, link: bool = True) -> str:
    """An ``<svg>`` element drawing ``dependencies`` (id → ids it depends on), edges pointing to dependents."""
    outcomes = outcomes or {}
    columns = layers(dependencies)
    if not columns:
        return '<svg role="img" aria-label="no claims" width="0" height="0"></svg>'
    widths = [max(len(n) for n in col) * _CHAR_W + 2 * _PAD for col in columns]
    xs, x = [], _PAD
    for w in widths:
        xs.append(x)
        x += w + _COL_GAP
    width = x - _COL_GAP + _PAD
    height = max(len(c) for c in columns) * _ROW_H + 2 * _PAD
    pos = {}
    for k, column in enumerate(columns):
        for i, node in enumerate(column):
            pos[node] = (xs[k], _PAD + i * _ROW_H, widths[k])
    parts = [
        f'<svg class="depgraph" role="img" aria-label="claim dependency graph" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="ui-monospace, monospace" font-size="12">',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
        "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#607d8b\"/></marker></defs>",
        "<g class=\"edges\" fill=\"none\" stroke=\"#90a4ae\" stroke-width=\"1.2\">",
    ]
    for claim_id, deps in dependencies.items():
        x2, y2, _ = pos[claim_id]
        for dep in deps:
            x1, y1, w1 = pos[dep]
            sx, sy, ex, ey = x1 + w1, y1 + _NODE_H / 2, x2, y2 + _NODE_H / 2
            mid = (sx + ex) / 2
            parts.append(f'<path d="M {sx:.1f} {sy:.1f} C {mid:.1f} {sy:.1f}, {mid:.1f} {ey:.1f}, {ex:.1f} {ey:.1f}" '
                         f'marker-end="url(#arrow)"><title>{escape(claim_id)} depends on {escape(dep)}</title></path>')
    parts.append("</g>")
    parts.append('<g class="nodes">')
    for node, (x0, y0, w) in pos.items():
        outcome = outcomes.get(node)
        fill, stroke = OUTCOME_FILL.get(outcome, OUTCOME_FILL[None])
        tip = escape(node) + (f": {escape(outcome)}" if outcome else "")
        node_svg = (f'<g class="node" data-claim="{escape(node)}"><title>{tip}</title><rect x="{x0:.1f}" y="{y0:.1f}" '
                    f'width="{w:.1f}" height="{_NODE_H}" rx="5" fill="{fill}" stroke="{stroke}"/><text '
                    f'x="{x0 + _PAD:.1f}" y="{y0 + _NODE_H / 2 + 4:.1f}" fill="#222">{escape(node)}</text></g>')
        if link and node in dependencies:
            node_svg = f'<a href="#{escape(node)}">{node_svg}</a>'
        parts.append(node_svg)
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)
