"""The shape of a VAR transformer of the paper's model class (docs/theory.md §3.1, §6): :class:`VarConfig`.

Pure data (no torch): scales, widths, depth, attention rank, mask, interpolation layer and output. A
construction plans its network as a config; ``varcheck.runtime.var_transformer.VarTransformer`` builds the torch
module from it, and ``config.json`` of an exported model is exactly :meth:`VarConfig.to_json`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..errors import VarcheckError

__all__ = ["VarConfig", "INTERPOLATIONS", "OUTPUTS", "MASKS", "CONFIG_FORMAT", "DTYPE_NAMES", "MAX_WIDTH"]

#: Interpolation layers: VAR's (bicubic up to the last scale, area down) or a Φ_up chain in one mode.
INTERPOLATIONS = ("var", "bicubic", "bilinear", "nearest")
OUTPUTS = ("pyramid", "last_scale")
MASKS = ("block_causal", None)
#: Version of the config schema written to config.json.
CONFIG_FORMAT = 2
#: Formats a network may be declared in (their torch dtypes: varcheck.runtime.var_transformer.DTYPES).
DTYPE_NAMES = ("float64", "float32", "bfloat16", "float16")
#: Largest residual-stream width and hidden width a config may declare (a config is read from disk).
MAX_WIDTH = 2**24


def _positive(name, value, maximum=MAX_WIDTH):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise VarcheckError(f"config field {name} must be an integer in [1, {maximum}], got {value!r}.")
    return value


@dataclass(frozen=True)
class VarConfig:
    """The shape of a :class:`VarTransformer`: every width, the depth, the scales and the mask."""

    scales: tuple  # ((h_1, w_1), …, (h_K, w_K)), non-decreasing
    d_in: int  # channels of the input map (a word: d)
    d_pos: int  # width of the positional code E
    d_model: int  # residual stream width
    d_out: int  # output channels
    ff1: tuple = ()  # hidden widths of FF₁'s residual layers, in order
    ff2: tuple = ()  # hidden widths of FF₂'s residual layers
    attention_rank: int = 1  # rank s of W_Q, W_K, W_V (0: no attention layer, SA = identity)
    mask: str | None = "block_causal"
    interpolation: str = "var"
    output: str = "pyramid"  # "pyramid": every token; "last_scale": the last scale's tokens only
    dtype: str = "float64"
    meta: dict = field(default_factory=dict, compare=False)  # free-form provenance (setting, target), not shapes

    def __post_init__(self):
        try:
            scales = tuple((int(h), int(w)) for h, w in self.scales)
        except (TypeError, ValueError):
            raise VarcheckError(f"config field scales must be a list of [h, w] pairs, got {self.scales!r}.") from None
        if not scales or any(h < 1 or w < 1 or h > 4096 or w > 4096 for h, w in scales):
            raise VarcheckError("config field scales must be a non-empty list of sides in [1, 4096], got "
                                f"{self.scales!r}.")
        if any(b[0] < a[0] or b[1] < a[1] for a, b in zip(scales, scales[1:])):
            raise VarcheckError(f"config field scales must be non-decreasing, got {list(map(list, scales))}.")
        object.__setattr__(self, "scales", scales)
        for name in ("d_in", "d_pos", "d_model", "d_out"):
            _positive(name, getattr(self, name))
        for name in ("ff1", "ff2"):
            widths = tuple(getattr(self, name))
            for w in widths:
                _positive(f"{name} width", w)
            object.__setattr__(self, name, widths)
        r = self.attention_rank
        if isinstance(r, bool) or not isinstance(r, int) or not 0 <= r <= self.d_model:
            raise VarcheckError(f"config field attention_rank must be an integer in [0, d_model = {self.d_model}], got "
                                f"{r!r}.")
        if self.mask not in MASKS:
            raise VarcheckError(f"config field mask must be 'block_causal' or null, got {self.mask!r}.")
        if self.interpolation not in INTERPOLATIONS:
            raise VarcheckError(f"config field interpolation must be one of {', '.join(INTERPOLATIONS)}, got "
                                f"{self.interpolation!r}.")
        if self.output not in OUTPUTS:
            raise VarcheckError(f"config field output must be one of {', '.join(OUTPUTS)}, got {self.output!r}.")
        if self.dtype not in DTYPE_NAMES:
            raise VarcheckError(f"config field dtype must be one of {', '.join(DTYPE_NAMES)}, got {self.dtype!r}.")
        if self.length > 2**20:
            raise VarcheckError(f"config field scales holds {self.length} tokens, above the limit 2^20.")

    # ------------------------------------------------------------------ derived shapes
    @property
    def sizes(self) -> tuple:
        return tuple(h * w for h, w in self.scales)

    @property
    def length(self) -> int:
        return sum(self.sizes)

    @property
    def levels(self) -> tuple:
        return tuple(k for k, n in enumerate(self.sizes) for _ in range(n))

    @property
    def depth(self) -> int:
        """Residual layers: FF₁'s, the attention layer (if any), FF₂'s."""
        return len(self.ff1) + (1 if self.attention_rank else 0) + len(self.ff2)

    def tensor_shapes(self) -> dict:
        """Every tensor of the state dict with its shape (what model.safetensors must hold)."""
        D = self.d_model
        shapes = {"position_code": (self.length, self.d_pos), "embed.weight": (D, self.d_in + self.d_pos),
                  "head.weight": (self.d_out, D)}
        for part in ("ff1", "ff2"):
            for i, w in enumerate(getattr(self, part)):
                shapes.update({f"{part}.{i}.fc1.weight": (w, D), f"{part}.{i}.fc1.bias": (w,),
                               f"{part}.{i}.fc2.weight": (D, w), f"{part}.{i}.fc2.bias": (D,)})
        if self.attention_rank:
            s = self.attention_rank
            shapes.update({"attention.w_q.weight": (s, D), "attention.w_k.weight": (s, D),
                           "attention.w_v.weight": (s, D),
                           "attention.w_o.weight": (D, s)})
            if self.mask is not None:
                shapes["attention.mask"] = (self.length, self.length)
        return shapes

    def parameter_count(self) -> int:
        """Every weight and bias entry (zeros included: the network is dense); buffers (E, mask) excluded."""
        return sum(_numel(s) for name, s in self.tensor_shapes().items() if name not in (
            "position_code", "attention.mask"))

    def macs_per_token(self) -> int:
        """Multiply-accumulates of one token through the dense layers (attention: its projections and one row)."""
        D, L = self.d_model, self.length
        macs = D * (self.d_in + self.d_pos) + self.d_out * D + sum(2 * D * w for w in self.ff1 + self.ff2)
        if self.attention_rank:
            macs += 4 * D * self.attention_rank + 2 * L * self.attention_rank
        return macs

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        d = asdict(self)
        d["scales"] = [list(s) for s in self.scales]
        d["ff1"], d["ff2"] = list(self.ff1), list(self.ff2)
        return {"format": CONFIG_FORMAT, **d}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data) -> "VarConfig":
        if not isinstance(data, dict):
            raise VarcheckError(f"config must be a JSON object, got {type(data).__name__}.")
        if data.get("format") != CONFIG_FORMAT:
            raise VarcheckError(f"config field format must be {CONFIG_FORMAT} (this varcheck's schema), got "
                                f"{data.get('format')!r}.")
        names = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - names - {"format"})
        if unknown:
            raise VarcheckError(f"config has unknown field(s) {', '.join(map(repr, unknown))}; allowed: "
                                f"{', '.join(sorted(names))}.")
        missing = sorted(n for n in ("scales", "d_in", "d_pos", "d_model", "d_out") if n not in data)
        if missing:
            raise VarcheckError(f"config lacks the field(s) {', '.join(missing)}.")
        kwargs = {k: v for k, v in data.items() if k != "format"}
        if not isinstance(kwargs.get("meta", {}), dict):
            raise VarcheckError("config field meta must be a JSON object.")
        for name in ("ff1", "ff2", "scales"):
            if name in kwargs and not isinstance(kwargs[name], (list, tuple)):
                raise VarcheckError(f"config field {name} must be a list, got {kwargs[name]!r}.")
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> "VarConfig":
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise VarcheckError(f"config.json is not valid JSON ({exc.msg} at line {exc.lineno}).") from None
        return cls.from_dict(data)


def _numel(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n
