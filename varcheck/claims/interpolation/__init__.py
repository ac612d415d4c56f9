"""The interpolation family (docs/theory.md §1–2, claims I1–I9 and F3): one module per piece of the mathematics.

=================  =====================================================================
``operators``      I1 matrix form, I1-torch parity with F.interpolate, I2 partition of unity
``kernel``         I3 ∞-norm, I4 kernel range (refuted, F1), I5 integer offsets (F2)
``injectivity``    I6 injective up-sampling, I7 separation transfer
``var_maps``       I8 VAR's effective map (F8), F3 repeated tokens; the pyramids' constants
``nearest``        I9 torch's nearest index (refuted)
=================  =====================================================================
"""

from .. import family_claims
from . import injectivity, kernel, nearest, operators, var_maps

CLAIMS = family_claims(
    (operators, kernel, injectivity, var_maps, nearest),
    ("interp.matrix-form", "interp.torch-parity", "interp.partition-of-unity", "interp.inf-norm", "interp.kernel-range",
     "interp.integer-offset-is-nearest", "interp.upsampling-injective", "interp.separation-transfer",
     "interp.var-effective-map", "interp.upsampling-repeats-tokens", "interp.torch-nearest-floor"),
)
MUTANTS = operators.MUTANTS + kernel.MUTANTS
FINDINGS = kernel.FINDINGS + var_maps.FINDINGS


def interpolation_constants() -> list:
    """The ``interp`` instance: kernel minima (I4), ∞-norm bounds (I3), effective-map deviation (I8), I9's count."""
    return kernel.kernel_constants() + var_maps.effective_map_constants() + nearest.nearest_constants()


CONSTANTS = {"interp": interpolation_constants, "pyramid": var_maps.pyramid_constants}
PLOTS = (kernel.KERNEL_PLOT, var_maps.EFFECTIVE_MAP_PLOT)
NETWORKS = ()
