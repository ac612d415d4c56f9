"""ReLU networks x ↦ A_k(ReLU(…ReLU(xA_1 + b_1)…)): the Jacobian is A_1D_1A_2…A_k with diagonal 0 ≤ D ≤ I, so
|J| ≤ |A_1|…|A_k| =: P entrywise and Lip ≤ ‖P‖ (∞: exact; 2: certified, also ≤ Π‖A_i‖₂).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ...errors import VarcheckError, require_int
from ...theory.partition import INF
from ..feedforward import ReluMLP
from .base import MAX_RELU_DEPTH, MAX_RELU_WEIGHTS, MAX_RELU_WIDTH, Target, _arb_relu, _fmt_norm, _nd, _seed, _shape
from .norms import _fmpq_mat, _operator_norm, _require_norm, _rows, spectral_norm_upper


class ReluNetwork(Target):
    """A ReLU MLP on the flattened input (row convention x ↦ xA + b), reshaped to output_shape."""

    def __init__(self, name, input_shape, output_shape, layers, norm=INF):
        self.mlp = ReluMLP(layers)
        p = _require_norm(norm, (INF, Fraction(2)))
        # row convention y = xP: as an operator on column vectors it is Pᵀ
        abs_product = None
        for w, _ in layers:
            a = _fmpq_mat([[abs(Fraction(v)) for v in r] for r in w])
            abs_product = a if abs_product is None else abs_product * a
        pt = [list(r) for r in zip(*_rows(abs_product))]
        lip = _operator_norm(pt, p)
        if p == Fraction(2):
            per_layer = Fraction(1)
            for w, _ in layers:
                per_layer *= spectral_norm_upper([list(r) for r in zip(*w)])
            lip = min(lip, per_layer)
        super().__init__(name, input_shape, output_shape, lip, (p, p))
        if self.mlp.d_in != self.input_size or self.mlp.d_out != self.output_size:
            raise VarcheckError("layers must map input_size to output_size entries.")

    def _forward(self, x):
        return self.mlp(x.reshape(x.shape[0], -1)).reshape((x.shape[0],) + self.output_shape)

    def _error(self, x, input_error):
        flat = x.reshape(x.shape[0], -1)
        e = None if input_error is None else input_error.reshape(x.shape[0], -1)
        return self.mlp.error_bound(flat, e).reshape((x.shape[0],) + self.output_shape)

    def _exact(self, x):
        return self.mlp.exact(x)

    def _ball(self, x):
        from flint import arb, fmpq

        for k, layer in enumerate(self.mlp.layers):
            x = [sum((xi * arb(fmpq(*_nd(layer.w_exact[i][j]))) for i, xi in enumerate(x)), arb(0))
                 + arb(fmpq(*_nd(layer.b_exact[j]))) for j in range(layer.n_out)]
            if k + 1 < len(self.mlp.layers):
                x = [_arb_relu(v) for v in x]
        return x


def _dyadic_weights(rng, n_in, n_out, scale_bits):
    """Integer numerators in −4..4 over 2^scale_bits (dyadic, so exactly representable in float64)."""
    return [[Fraction(int(v), 2**scale_bits) for v in row] for row in rng.integers(-4, 5, size=(n_in, n_out))]


def relu_network(
    *, seed: int, input_shape=(2, 2), output_shape=(2, 2), width: int = 8, depth: int = 2, norm=INF
) -> Target:
    """A random ReLU network with ``depth`` hidden layers of ``width`` units and dyadic rational weights.

    Weights are k/2^b with k ∈ −4..4 and 2^b ≥ 2·fan-in (outputs stay O(1) on [0,1]); biases k/8. The
    constant is ‖|A₁|⋯|A_k|‖ (∞ → ∞ exactly; 2 → 2 certified, also capped by Π‖A_i‖₂).
    """
    seed = _seed(seed)
    input_shape, output_shape = _shape("input_shape", input_shape), _shape("output_shape", output_shape)
    width = require_int("width", width, minimum=1, maximum=MAX_RELU_WIDTH)
    depth = require_int("depth", depth, minimum=0, maximum=MAX_RELU_DEPTH)
    p = _require_norm(norm, (INF, Fraction(2)))
    rng = np.random.default_rng([seed, 4])
    sizes = [math.prod(input_shape)] + [width] * depth + [math.prod(output_shape)]
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if weights > MAX_RELU_WEIGHTS:
        raise VarcheckError(f"the network (input_shape, width, depth, output_shape) would have {weights} weights, "
                            f"above the limit of {MAX_RELU_WEIGHTS}.")
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        bits = max(1, math.ceil(math.log2(2 * n_in)))
        w = _dyadic_weights(rng, n_in, n_out, bits)
        b = [Fraction(int(v), 8) for v in rng.integers(-2, 3, size=n_out)]
        layers.append((w, b))
    name = (f"relu_network(seed={seed},input_shape={'x'.join(map(str, input_shape))},"
            f"output_shape={'x'.join(map(str, output_shape))},width={width},depth={depth},"
            f"norm={_fmt_norm(p).replace('∞', 'inf')})")
    return ReluNetwork(name, input_shape, output_shape, layers, p)
