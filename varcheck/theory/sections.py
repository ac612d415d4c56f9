"""The sections of the theory document (docs/theory.md): their numbers, titles, claim families and labels — the
blueprint of the argument that docs/theory-map.md draws."""

__all__ = ["THEORY_SECTIONS"]

#: docs/theory.md's sections, each with its labels and their short titles (the blueprint of the argument).
THEORY_SECTIONS = (
    ("§1", "The token pyramid", ("interp",), ()),
    ("§2", "Interpolation", ("interp",), (
        ("I1", "matrix form, Kronecker structure"), ("I2", "partition of unity"), ("I3", "∞-norm bounds"),
        ("I4", "kernel range (paper statement)"), ("I5", "integer-offset form is nearest copying"),
        ("I6", "injectivity of up-sampling"), ("I7", "separation transfer"), ("I8", "VAR's effective map"),
        ("I9", "torch's nearest is not ⌊i·h/h'⌋"))),
    ("§3", "Attention and contextual mapping", ("attn",), (
        ("A1", "rank-1 Boltzmann identity"), ("A2", "Boltzmann separation"), ("A3", "projection lemma"),
        ("A4", "contextual mapping"), ("A4-tight", "instance constants, integer projection"),
        ("A5", "masked (block-causal) variant"), ("A6", "precision and architecture budget"))),
    ("§4", "Lipschitz partitioning, quantization, value mapping", ("partition",), (
        ("P1", "Lipschitz partitioning and its grid"), ("P2", "ReLU quantizer"), ("P3", "value mapping"),
        ("P4", "bad-set accounting"), ("P5", "Lipschitz blow-up"))),
    ("§5", "Composition (the perturbation lemmas)", ("compose", "composition"), (
        ("C1", "sup-norm two-layer perturbation"), ("C2", "K layers"), ("C3", "naive L_p composition (refuted)"),
        ("C4", "L_p composition with a density bound"))),
    ("§6", "The main theorem", ("ua", "universality", "flowar"), (
        ("T1", "image-to-image"), ("T2", "word-to-image"), ("T3", "FlowAR (Corollary 7.2)"),
        ("T3-robust", "FlowAR with an inexact velocity head"))),
    ("§6.4", "HOFAR (Corollary 7.3; docs/theory.md §6.4, docs/hofar.md)", ("hofar",), (
        ("H1", "HOFAR is FlowAR on the straight path (trivial)"), ("H1-robust", "inexact higher-order heads"),
        ("H2", "order-k rate on curved trajectories"), ("H3", "conditional higher-order targets (refuted)"))),
)
