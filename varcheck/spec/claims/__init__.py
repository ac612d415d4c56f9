"""Claim declarations, one module per family of THEORY.md; :func:`varcheck.spec.registry.registry` loads them in order."""

CLAIM_MODULES = ("interpolation", "attention", "partition", "universality", "composition", "flowar", "hofar")
