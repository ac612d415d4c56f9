"""varcheck: the universal-approximation theory of Visual AutoRegressive transformers, made executable.

Public API (re-exported from the layer modules; see docs/index.md)::

    import varcheck
    varcheck.Pyramid.preset("var256").length                        # 680
    U = varcheck.interpolation_matrix((10, 10), (13, 13), "bicubic")  # float64, 169 × 100
    varcheck.registry().get("interp.kernel-range").statement
    results = varcheck.verify(["interp.kernel-range"])              # run a claim's evidence
"""

from .errors import VarcheckError
from .exact.contextual_mapping import ContextualMapping, contextual_mapping
from .exact.interpolation import MODES, interpolate_direct, interpolation_matrix, interpolation_matrix_1d, keys_kernel
from .exact.pyramid_maps import (
    phi_up,
    pyramid_upsample,
    pyramid_upsampling_matrix,
    var_effective_map,
    var_effective_map_2d,
)

# partition (docs/theory.md §4, claims P1–P5)
from .exact.quantizer import ReluQuantizer, grid_quantize, relu_quantizer
from .exact.token_family import GridVocabulary, TokenFamily
from .exact.value_mapping import GridValueMap, ScalarValueMap, grid_value_map, scalar_value_map
from .provenance import VERSION as __version__
from .theory.model_class import VarConfig
from .theory.mutants import Check, Mutant
from .theory.partition import eta_from_budget, grid_size, partition_bound
from .theory.pyramid import PRESETS, Pyramid
from .theory.registry import Claim, Context, EvidenceResult, EvidenceSpec

__all__ = [
    "__version__",
    "VarcheckError",
    "Pyramid",
    "PRESETS",
    "MODES",
    "interpolation_matrix",
    "interpolation_matrix_1d",
    "interpolate_direct",
    "keys_kernel",
    "phi_up",
    "pyramid_upsample",
    "pyramid_upsampling_matrix",
    "var_effective_map",
    "var_effective_map_2d",
    "Interpolation",
    "registry",
    "Claim",
    "EvidenceSpec",
    "EvidenceResult",
    "Context",
    "Mutant",
    "Check",
    "verify",
    "contextual_mapping",
    "ContextualMapping",
    "GridVocabulary",
    "TokenFamily",
    "SelfAttention",
    # partition
    "grid_size",
    "partition_bound",
    "eta_from_budget",
    "grid_quantize",
    "relu_quantizer",
    "ReluQuantizer",
    "scalar_value_map",
    "ScalarValueMap",
    "grid_value_map",
    "GridValueMap",
    "FeedForward",
    # the main theorem (docs/theory.md §6): the approximators as dense VAR transformers
    "build_var_approximator",
    "build_flowar_approximator",
    "VarConfig",
    "VarTransformer",
    "load",
]


def registry():
    """The registry of every claim varcheck knows: its families', then those of ``VARCHECK_CLAIM_MODULES``."""
    from .claims.catalog import registry as catalog_registry

    return catalog_registry()


def verify(ids=None, *, profile: str = "quick", seed: int = 0):
    """Run the evidence of the given claims (a claim id, a list of ids, or None for every claim) and return their
    results."""
    from .claims.runner import run_claims

    ctx = Context(profile, seed)
    if isinstance(ids, str):
        ids = [ids]
    elif ids is not None:
        if not isinstance(ids, (list, tuple)) or not ids or not all(isinstance(i, str) for i in ids):
            raise VarcheckError("ids must be a claim id, a non-empty list of claim ids (strings), or None for every "
                                f"claim; got {type(ids).__name__} {ids!r:.80}.")
    return run_claims(ids, ctx)


def __getattr__(name):
    # torch is imported only when the runtime is asked for (the spec and exact layers do not need it).
    if name == "Interpolation":
        from .runtime.interpolation import Interpolation

        return Interpolation
    if name == "build_var_approximator":
        from .runtime.approximator import build_var_approximator

        return build_var_approximator
    if name == "load":
        from .runtime.export import load

        return load
    if name == "VarTransformer":
        from .runtime.var_transformer import VarTransformer

        return VarTransformer
    if name == "build_flowar_approximator":
        from .runtime.flowar_network import build_flowar_approximator

        return build_flowar_approximator
    if name == "SelfAttention":
        from .runtime.attention import SelfAttention

        return SelfAttention
    if name == "FeedForward":
        from .runtime.feedforward import FeedForward

        return FeedForward
    raise AttributeError(f"module 'varcheck' has no attribute {name!r}")
