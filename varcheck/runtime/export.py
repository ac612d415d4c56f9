"""Writing a built approximator to a directory and loading it back (``varcheck build`` / ``varcheck.load``).

Layout of DIR: ``weights.safetensors`` (every float64 tensor of the module, word-to-image) or
``weights_exact.json`` (exact rational weights, image-to-image, whose runtime is ball arithmetic),
``config.json`` (what is needed to rebuild the module around the weights), ``constants.json``,
``ledger.json`` and ``certificate.json``. Loading rebuilds the module from config + weights only, so its
outputs are bit-identical to the built one. A non-empty DIR is never overwritten unless ``force``.
"""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import torch

from ..errors import VarcheckError

__all__ = ["save", "load", "FORMAT_VERSION"]

FORMAT_VERSION = 1


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


def _prepare(out_dir, force: bool) -> Path:
    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise VarcheckError(f"--out {str(path)!r} exists and is not a directory.")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise VarcheckError(f"--out {str(path)!r} is not empty; choose another directory or pass --force to overwrite.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise VarcheckError(f"the parent directory of --out {str(path)!r} does not exist; create it first.")
    path.mkdir(exist_ok=True)
    if not os.access(path, os.W_OK):
        raise VarcheckError(f"--out {str(path)!r} is not writable.")
    return path


def _write_json(path: Path, name: str, data) -> None:
    (path / name).write_text(json.dumps(_jsonable(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def save(approx, out_dir, *, force: bool = False) -> Path:
    """Write a built approximator (word-to-image or image-to-image) to ``out_dir``."""
    from safetensors.torch import save_file

    path = _prepare(out_dir, force)
    cert = approx.certificate()
    if getattr(approx, "runtime", "float64") == "ball":
        config = {"format": FORMAT_VERSION, "setting": "image_to_image", "pyramid": [list(s) for s in approx.pyramid.scales],
                  "G": approx.G, "eta": approx.eta, "masked": approx.masked, "eps": approx.eps, "p": str(approx.p),
                  "lipschitz": approx.lipschitz, "precision": approx.precision}
        weights = {"v": approx.cm.v, "c": approx.cm.c, "P": approx.P, "cells": approx.cells,
                   "table": [[t, i, v] for (t, i), v in approx.table.items()],
                   "steps": {str(t): {"first": first, "plan": plan} for t, (first, plan) in approx.steps.items()}}
        _write_json(path, "weights_exact.json", weights)
        ledger = approx.ledger
    else:
        m = approx.module
        config = {"format": FORMAT_VERSION, "setting": "word_to_image", "d": m.d, "L": m.L, "G": m.G,
                  "eta": approx.plan.eta, "positional": m.positional, "attention": approx.attention,
                  "target": approx.target_name}
        tensors = {name: buf.detach().clone().contiguous() for name, buf in m.named_buffers(remove_duplicate=False)}
        save_file(tensors, str(path / "weights.safetensors"))
        ledger = approx.ledger
    _write_json(path, "config.json", config)
    _write_json(path, "constants.json", approx.constants)
    _write_json(path, "ledger.json", ledger)
    _write_json(path, "certificate.json", cert)
    return path


def load(directory):
    """Restore the module written by :func:`save` (word-to-image: a torch module; image-to-image: the ball runtime)."""
    path = Path(directory)
    config_file = path / "config.json"
    if not config_file.is_file():
        raise VarcheckError(f"{str(path)!r} holds no config.json; it is not a directory written by `varcheck build`.")
    config = json.loads(config_file.read_text(encoding="utf-8"))
    if config.get("format") != FORMAT_VERSION:
        raise VarcheckError(f"{str(path)!r} has format {config.get('format')!r}; this varcheck reads format {FORMAT_VERSION}.")
    if config["setting"] == "word_to_image":
        from safetensors.torch import load_file

        from .attention import SelfAttention
        from .word_to_image import WordToImageModule

        tensors = load_file(str(path / "weights.safetensors"))
        attention = None
        if any(k.startswith("attention.") for k in tensors):
            attention = SelfAttention(tensors["attention.w_q"], tensors["attention.w_k"], tensors["attention.w_v"],
                                      tensors["attention.w_o"])
        module = WordToImageModule(d=config["d"], L=config["L"], G=config["G"], eta=Fraction(config["eta"]),
                                   table=tensors["table"], positional=config["positional"], attention=attention)
        module.load_state_dict({k: v for k, v in tensors.items()}, strict=False)
        return module
    return _load_exact(path, config)


def _load_exact(path: Path, config):
    from ..exact.image_to_image import ImageToImage
    from ..spec.pyramid import Pyramid

    w = json.loads((path / "weights_exact.json").read_text(encoding="utf-8"))
    F = Fraction

    class _CM:  # the two numbers the ball runtime reads from the contextual mapping
        v = tuple(F(x) for x in w["v"])
        c = F(w["c"])

    steps = {int(t): (F(s["first"]), [(F(b), F(wd), F(dv)) for b, wd, dv in s["plan"]]) for t, s in w["steps"].items()}
    table = {(int(t), int(i)): F(v) for t, i, v in w["table"]}
    p = config["p"]
    return ImageToImage(Pyramid([tuple(s) for s in config["pyramid"]]), config["G"], F(config["eta"]), config["masked"], _CM(),
                        [[F(x) for x in row] for row in w["P"]], [tuple(c) for c in w["cells"]], table, steps,
                        config["precision"], F(config["lipschitz"]), F(config["eps"]), float(p) if p == "inf" else F(p))
