"""Writing a built approximator to a directory and loading it back (``varcheck build`` / ``varcheck.load``).

A dense network (word-to-image T2, image-to-image T1 "average") is written as

* ``config.json`` — its :class:`VarConfig` (scales, widths, depth, mask, interpolation layer): enough, with
* ``model.safetensors`` — every tensor of its state dict (weights, biases, the positional code E, the mask),

to rebuild and run it with a dozen lines of plain torch and no varcheck (docs/export.md); ``varcheck.load``
rebuilds the :class:`VarTransformer` and its outputs are bit-identical to the built one. Beside them:
``constants.json``, ``ledger.json``, ``certificate.json`` and ``network.json`` (size, layer table, Monte-Carlo
check); optionally ``model.pt2`` (``torch.export`` of the network: bit for bit in torch) and ``model.onnx``
(when ``onnx`` is installed: the network with its interpolation layer as one float64 matrix, so that ONNX Runtime,
which has no float64 ``Resize`` or ``AveragePool`` kernel, runs it; equal to the module up to float64 rounding,
bounded in docs/export.md).
The exact/ball-runtime T1 constructions (tight, paper) are written as ``weights_exact.json``.

Files are written with the user's umask, and a non-empty directory is never overwritten unless ``force``.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import torch

from ..errors import VarcheckError, require_output_directory
from ..theory.model_class import VarConfig
from .var_transformer import DTYPES, VarTransformer

__all__ = ["save", "load", "FORMAT_VERSION", "export_program", "export_onnx", "load_network", "EXPORTS",
           "InterpolationAsMatrix"]

#: Version of the directory layout (config.json carries VarConfig's own schema version too).
FORMAT_VERSION = 2
#: Optional program exports of ``varcheck build --export``.
EXPORTS = ("torch-export", "onnx")


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


def _write_bytes(path: Path, data: bytes) -> None:
    """Write through open() so the file gets the user's umask (safetensors' own writer creates 0600 files)."""
    with open(path, "wb") as fh:
        fh.write(data)


def _write_json(path: Path, name: str, data) -> None:
    _write_bytes(path / name, (json.dumps(_jsonable(data), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


class InterpolationAsMatrix(torch.nn.Module):
    """The network with its interpolation layer computed as its matrix U (L × n₁, per channel): the ONNX program.

    U is the layer's exact map (:func:`varcheck.exact.pyramid_maps.interpolation_layer_matrix`, torch semantics)
    rounded once to float64 (then to the network's dtype). ONNX Runtime has no float64 ``Resize`` or ``AveragePool``
    kernel; as a ``MatMul`` the layer runs in float64 there, with every other node the network's own."""

    def __init__(self, network: VarTransformer):
        super().__init__()
        from ..exact.pyramid_maps import interpolation_layer_matrix

        self.network = network
        cfg = network.config
        U = torch.from_numpy(interpolation_layer_matrix(cfg.scales, cfg.interpolation)).to(DTYPES[cfg.dtype])
        self.register_buffer("U", U)

    def forward(self, x):
        return self.network.after_interpolation(torch.matmul(self.U, x))


def _example(network: VarTransformer, batch: int = 2) -> torch.Tensor:
    cfg = network.config
    generator = torch.Generator().manual_seed(0)
    return torch.rand(batch, cfg.sizes[0], cfg.d_in, dtype=DTYPES[cfg.dtype], generator=generator)


def _batch_dim():
    from torch.export import Dim

    return ({0: Dim("batch", min=1, max=2**16)},)


def export_program(network: VarTransformer, path) -> Path:
    """``torch.export`` the network itself (batch dimension dynamic) and save it as a .pt2 program: its input
    shape checks are the program's guards and its finiteness check a runtime assertion."""
    from torch.export import export
    from torch.export import save as save_program

    save_program(export(network, (_example(network),), dynamic_shapes=_batch_dim()), str(path))
    return Path(path)


def export_onnx(network: VarTransformer, path) -> Path:
    """ONNX export (torch's torch.export-based exporter; the optional ``onnx`` extra: onnx, onnxscript, onnxruntime)
    of :class:`InterpolationAsMatrix`: a float64 program (for a float64 network) that ONNX Runtime's CPU provider runs.
    Not bit for bit: ONNX Runtime's MatMul and Softmax round in their own order; off the quantizer's bad set its
    outputs and the module's are both within the ledger's rounding term of the same table value (docs/export.md)."""
    import warnings

    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError:
        raise VarcheckError("ONNX export needs the optional packages onnx, onnxscript and onnxruntime: "
                            "pip install 'varcheck[onnx]'.") from None

    with warnings.catch_warnings():  # the exporter's own deprecation chatter (torch internals), not varcheck's
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(InterpolationAsMatrix(network).eval(), (_example(network),), str(path), input_names=["x"],
                          output_names=["y"], dynamic_shapes=_batch_dim(), dynamo=True, verbose=False)
    return Path(path)


def save(approx, out_dir, *, force: bool = False, exports=()) -> Path:
    """Write a built approximator to ``out_dir`` (see the module docstring); ``exports`` ⊆ EXPORTS."""
    from safetensors.torch import save as safetensors_bytes

    exports = tuple(exports)
    for e in exports:
        if e not in EXPORTS:
            raise VarcheckError(f"exports must be among {', '.join(EXPORTS)}, got {e!r}.")
    path = require_output_directory(out_dir, force)
    cert = approx.certificate()
    if getattr(approx, "runtime", "float64") == "ball":
        if exports:
            raise VarcheckError(f"the {approx.constants.get('construction', 'exact')} construction runs in ball "
                                "arithmetic and has no float program to export; build with construction='average'.")
        config = {"format": FORMAT_VERSION, "setting": "image_to_image", "runtime": "ball",
                  "pyramid": [list(s) for s in approx.pyramid.scales], "G": approx.G, "eta": approx.eta,
                  "masked": approx.masked, "eps": approx.eps, "p": str(approx.p), "lipschitz": approx.lipschitz,
                  "precision": approx.precision}
        weights = {"v": approx.cm.v, "c": approx.cm.c, "P": approx.P, "cells": approx.cells,
                   "table": [[t, i, v] for (t, i), v in approx.table.items()],
                   "steps": {str(t): {"first": first, "plan": plan} for t, (first, plan) in approx.steps.items()}}
        _write_json(path, "weights_exact.json", weights)
        _write_json(path, "config.json", config)
    else:
        net = approx.network
        tensors = {k: v.detach().contiguous() for k, v in net.state_dict().items()}
        _write_bytes(path / "model.safetensors", safetensors_bytes(tensors, metadata={"format": str(FORMAT_VERSION)}))
        _write_bytes(path / "config.json", net.config.to_json().encode("utf-8"))
        network = {"summary": approx.summary(), "layers": [list(r) for r in net.layer_table()],
                   "monte_carlo": approx.extra.get("monte_carlo"), "target": approx.target_name}
        _write_json(path, "network.json", network)
        if "torch-export" in exports:
            export_program(net, path / "model.pt2")
        if "onnx" in exports:
            export_onnx(net, path / "model.onnx")
    _write_json(path, "constants.json", approx.constants)
    _write_json(path, "ledger.json", approx.ledger)
    _write_json(path, "certificate.json", cert)
    return path


def _read_json(path: Path, name: str):
    file = path / name
    if not file.is_file():
        raise VarcheckError(f"{str(path)!r} holds no {name}; it is not a directory written by `varcheck build`.")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VarcheckError(f"{str(file)!r} is not valid JSON ({getattr(exc, 'msg', exc)}); the directory is "
                            "corrupted.") from None


def load_network(directory) -> VarTransformer:
    """The dense network of a directory written by :func:`save` (config.json + model.safetensors), checked."""
    path = Path(directory)
    config = VarConfig.from_dict(_read_json(path, "config.json"))
    file = path / "model.safetensors"
    if not file.is_file():
        raise VarcheckError(f"{str(path)!r} holds no model.safetensors; it is not a directory written by "
                            "`varcheck build`.")
    from safetensors import SafetensorError
    from safetensors.torch import load as safetensors_load

    try:
        tensors = safetensors_load(file.read_bytes())
    except (SafetensorError, ValueError, OSError, RuntimeError) as exc:
        raise VarcheckError(f"{str(file)!r} is not a readable safetensors file "
                            f"({' '.join(str(exc).split())[:120]}).") from None
    expected = config.tensor_shapes()
    missing, unknown = sorted(set(expected) - set(tensors)), sorted(set(tensors) - set(expected))
    if missing or unknown:
        raise VarcheckError(f"model.safetensors does not match config.json: missing {missing or 'none'}, "
                            f"unexpected {unknown or 'none'}.")
    dtype = DTYPES[config.dtype]
    for name, shape in expected.items():
        t = tensors[name]
        want = torch.bool if name == "attention.mask" else dtype
        if tuple(t.shape) != tuple(shape) or t.dtype != want:
            raise VarcheckError(f"model.safetensors tensor {name!r} has shape {tuple(t.shape)} and dtype {t.dtype}; "
                                f"config.json implies {tuple(shape)} and {want}.")
        if t.dtype != torch.bool and not bool(torch.isfinite(t).all()):
            raise VarcheckError(f"model.safetensors tensor {name!r} holds non-finite values.")
    net = VarTransformer(config)
    net.load_state_dict(tensors)
    return net


def load(directory):
    """Restore what :func:`save` wrote: the dense :class:`VarTransformer`, or the ball runtime of an exact T1 build."""
    path = Path(directory)
    if not path.is_dir():
        raise VarcheckError(f"{str(path)!r} is not a directory.")
    config = _read_json(path, "config.json")
    if isinstance(config, dict) and config.get("runtime") == "ball":
        if config.get("format") != FORMAT_VERSION:
            raise VarcheckError(f"{str(path)!r} has format {config.get('format')!r}; this varcheck reads format "
                                f"{FORMAT_VERSION}.")
        return _load_exact(path, config)
    return load_network(path)


def _load_exact(path: Path, config):
    from ..exact.image_to_image import ImageToImage
    from ..theory.pyramid import Pyramid

    w = _read_json(path, "weights_exact.json")
    F = Fraction
    try:
        class _CM:  # the two numbers the ball runtime reads from the contextual mapping
            v = tuple(F(x) for x in w["v"])
            c = F(w["c"])

        steps = {int(t): (F(s["first"]), [(F(b), F(wd), F(dv)) for b, wd, dv in s["plan"]])
                 for t, s in w["steps"].items()}
        table = {(int(t), int(i)): F(v) for t, i, v in w["table"]}
        p = config["p"]
        return ImageToImage(Pyramid([tuple(s) for s in config["pyramid"]]), config["G"], F(config["eta"]),
                            config["masked"], _CM(), [[F(x) for x in row] for row in w["P"]],
                            [tuple(c) for c in w["cells"]], table, steps, config["precision"], F(config["lipschitz"]),
                            F(config["eps"]), float(p) if p == "inf" else F(p))
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise VarcheckError(f"{str(path)!r}: weights_exact.json or config.json is malformed "
                            f"({type(exc).__name__}: {exc}).") from None
