"""The word-to-image approximator (docs/theory.md §6.2, T2): the builder of the dense float64 VarTransformer.

:func:`build_word_to_image` plans the construction of varcheck.exact.word_to_image for a target, refuses a table or
a network beyond the stated sizes, tabulates the target at the cell centres, finalizes and certifies the plan and
checks the network by Monte-Carlo against the target (the tail it shares with the image-to-image builder,
varcheck.runtime.dense_approximator). The network itself is emitted by varcheck.runtime.word_to_image_network.
"""

from __future__ import annotations

from ..errors import VarcheckError, power_text
from ..exact.word_to_image import BUDGET_SHARES, MAX_DENSE_PARAMETERS, plan_word_to_image
from .dense_approximator import VarApproximator, cell_centres, finalize_plan, require_certified_and_sampled, tabulate
from .word_to_image_network import lookup_forward, word_attention_constants, word_to_image_network

__all__ = ["build_word_to_image", "MAX_TABLE_ENTRIES", "word_to_image_network", "lookup_forward",
           "word_attention_constants"]

#: The table holds G^d·L·channels float64 values; beyond this many (≈ 2 GB) the build is refused.
MAX_TABLE_ENTRIES = 2**28


def build_word_to_image(target, pyramid, eps, p, attention, positional, mask, interpolation, monte_carlo):
    """T2 for a checked ``target`` on ``pyramid`` (see varcheck.runtime.approximator.build_var_approximator, which
    validates the arguments): the certified dense network, or a VarcheckError naming what does not fit."""
    d = target.input_shape[1]
    L, C = target.output_shape
    plan = plan_word_to_image(d=d, L=L, channels=C, lipschitz=target.lipschitz, eps=eps, p=p, scales=pyramid.scales,
                              interpolation=interpolation, positional=positional, attention=attention == "contextual",
                              mask=mask)
    if plan.G.bit_length() * d > 64 or plan.G**d * L * C > MAX_TABLE_ENTRIES:
        raise VarcheckError(
            "the word-to-image construction needs a table of G^d·L·channels entries with "
            f"{power_text('G^d', plan.G, d)}, L = {L} and {C} channels, above {MAX_TABLE_ENTRIES}; raise eps or "
            f"lower d (G = ⌈L_f·(d/(d+p))^(1/p)/(2·ε·{BUDGET_SHARES[0]})⌉)."
        )
    if plan.parameter_count() > MAX_DENSE_PARAMETERS:
        raise VarcheckError(f"the dense network would hold {plan.parameter_count()} parameters, above "
                            f"{MAX_DENSE_PARAMETERS}; raise eps (G = {plan.G}).")
    table, table_error = tabulate(target, cell_centres(plan.G, d, (1, d)), plan.lipschitz)
    if not positional:
        table = table.mean(dim=1, keepdim=True)  # the best position-independent column
    finalize_plan(plan, table, table_error)
    network = word_to_image_network(plan, table.contiguous())
    approx = VarApproximator(network, plan, "word_to_image", target.name, attention, table.contiguous())
    return require_certified_and_sampled(approx, eps, target, monte_carlo, certify=positional)
