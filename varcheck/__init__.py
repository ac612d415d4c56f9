"""varcheck: the universal-approximation theory of Visual AutoRegressive transformers, made executable.

Public API (re-exported from the layer modules; see docs/index.md)::

    import varcheck
    varcheck.Pyramid.preset("var256").length                        # 680
    U = varcheck.interpolation_matrix((10, 10), (13, 13), "bicubic")  # float64, 169 × 100
    varcheck.registry().get("interp.kernel-range").statement
    results = varcheck.verify(["interp.kernel-range"])              # run a claim's evidence
"""

from .errors import VarcheckError
from .exact.interpolation import MODES, interpolate_direct, interpolation_matrix, interpolation_matrix_1d, keys_kernel
from .exact.pyramid_maps import phi_up, pyramid_upsample, pyramid_upsampling_matrix, var_effective_map, var_effective_map_2d
from .spec.pyramid import PRESETS, Pyramid
from .spec.registry import Claim, Context, EvidenceResult, EvidenceSpec, registry
from .exact.contextual_mapping import ContextualMapping, contextual_mapping
from .exact.token_family import GridVocabulary, TokenFamily
# partition (THEORY.md §4, claims P1–P5)
from .exact.quantizer import ReluQuantizer, grid_quantize, relu_quantizer
from .exact.value_mapping import GridValueMap, ScalarValueMap, grid_value_map, scalar_value_map
from .spec.partition import eta_from_budget, grid_size, partition_bound

__version__ = "0.1.0"

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
    # the main theorem (THEORY.md §6)
    "build_var_approximator",
    "load",
]


def verify(ids=None, *, profile: str = "quick", seed: int = 0):
    """Run the evidence of the given claims (default all) and return their results."""
    from .report.runner import run_claims

    return run_claims(ids, Context(profile, seed))


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
    if name == "SelfAttention":
        from .runtime.attention import SelfAttention

        return SelfAttention
    if name == "FeedForward":
        from .runtime.feedforward import FeedForward

        return FeedForward
    raise AttributeError(f"module 'varcheck' has no attribute {name!r}")
