"""Target names: every target's ``.name`` rebuilds it (``blur(seed=3,side=4)``, ``a(...) >> b(...)``).
"""

from __future__ import annotations

from fractions import Fraction

from ...errors import VarcheckError, closest, require_rational_text, shown
from ...theory.partition import INF
from .base import Target
from .composition import compose, image_pipeline
from .fields import smooth_field
from .linear_maps import blur, resize
from .pixelwise import clip_map, gamma_map, tanh_map
from .relu_networks import relu_network

TARGET_FACTORIES = {
    "relu_network": relu_network,
    "blur": blur,
    "resize": resize,
    "tanh_map": tanh_map,
    "clip_map": clip_map,
    "gamma_map": gamma_map,
    "image_pipeline": image_pipeline,
    "smooth_field": smooth_field,
}


_SHAPE_KEYS = ("input_shape", "output_shape", "shape", "src", "dst")


def _split_arguments(text: str) -> list:
    """``key=value`` items split at the commas outside brackets (``pyramid=[1,2],shape=(2,2,1)``)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise VarcheckError(f"name arguments {text!r} have unbalanced brackets.")
    items.append(text[start:])
    return [item for item in items if item.strip()]


def _parse_value(key, text):
    if text == "inf":
        return INF
    if key == "pyramid":
        return text
    if key in _SHAPE_KEYS:
        inner = text[1:-1] if text[:1] + text[-1:] in ("()", "[]") else None
        parts = inner.split(",") if inner is not None else text.split("x")
        if not (parts and all(p.strip().isdigit() for p in parts)):
            raise VarcheckError(f"name argument {key} must be sizes like 2x2x1 or (2,2,1), got {text!r}.")
        return tuple(int(p) for p in parts)
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return Fraction(require_rational_text(key, text))  # "1e999999999" stays text: a 10⁹-digit number is no argument
    except (ValueError, ZeroDivisionError):  # "0/0" too: the factory then refuses the text
        return text


def _did_you_mean(name: str, choices) -> str:
    match = closest(name, choices)
    return f" (did you mean {match!r}?)" if match else ""


def _check_keywords(head: str, kwargs: dict) -> None:
    """Refuse an argument the factory does not take, naming the closest one it does."""
    import inspect

    accepted = [p.name for p in inspect.signature(TARGET_FACTORIES[head]).parameters.values()
                if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)]
    for key in kwargs:
        if key not in accepted:
            raise VarcheckError(f"{head} takes no argument {shown(key)}{_did_you_mean(key, accepted)}; its arguments "
                                f"are {', '.join(accepted)}.")


def target_from_name(name: str) -> Target:
    """Rebuild a target from its ``.name`` (e.g. ``blur(seed=3,side=4)`` or ``a(...) >> b(...)``)."""
    if not isinstance(name, str) or not name.strip():
        raise VarcheckError(f"name must be a target name like 'blur(seed=0)', got {name!r}.")
    parts = []
    for piece in name.split(">>"):
        piece = piece.strip()
        head, sep, rest = piece.partition("(")
        head = head.strip()
        if head not in TARGET_FACTORIES:
            hint = _did_you_mean(head, TARGET_FACTORIES)
            raise VarcheckError(f"unknown target {shown(head)} in {shown(piece)}{hint}; the targets are "
                                f"{', '.join(TARGET_FACTORIES)}.")
        if not sep or not rest.endswith(")"):
            raise VarcheckError(f"name must be factory(key=value,...) like 'blur(seed=0)', got {shown(piece)}.")
        kwargs = {}
        for item in _split_arguments(rest[:-1]):
            key, eq, value = item.partition("=")
            if not eq:
                raise VarcheckError(f"name argument {item!r} of {head} must be key=value.")
            if key.strip() in kwargs:
                raise VarcheckError(f"name argument {key.strip()!r} of {head} is given twice.")
            kwargs[key.strip()] = _parse_value(key.strip(), value.strip())
        if "signed" in kwargs:
            kwargs["signed"] = bool(kwargs["signed"])
        _check_keywords(head, kwargs)
        try:
            parts.append(TARGET_FACTORIES[head](**kwargs))
        except TypeError as exc:
            raise VarcheckError(f"bad arguments for {head}: {exc}.") from None
    return compose(*parts)
