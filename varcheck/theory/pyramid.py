"""The token pyramid (docs/theory.md §1): scales, prefix lengths, levels and the block-causal mask."""

from __future__ import annotations

from functools import cached_property
from itertools import islice

import numpy as np

from ..errors import VarcheckError, require_choice

__all__ = ["Pyramid", "PRESETS", "MAX_SCALES", "MAX_SIDE", "MAX_TOKENS", "MAX_MASK_TOKENS"]

#: Square presets of docs/theory.md §1 (sides of each scale) and docs/var-facts.md §1.
PRESETS = {
    "var256": (1, 2, 3, 4, 5, 6, 8, 10, 13, 16),
    "var512": (1, 2, 3, 4, 6, 9, 13, 18, 24, 32),
    "var1024": (1, 2, 3, 4, 5, 7, 9, 12, 16, 21, 27, 36, 48, 64),
    "flowar": (1, 2, 4, 8, 16),
}
#: Bounds of a pyramid, refused up front (VAR's largest preset, var1024, has 14 scales, side 64, L = 9451):
#: scales, side of a scale, tokens L, and L for the L×L block-causal mask (2²⁸ booleans, 256 MiB).
MAX_SCALES = 256
MAX_SIDE = 4096
MAX_TOKENS = 2**20
MAX_MASK_TOKENS = 2**14


class Pyramid:
    """Scales (h_k, w_k), k = 1..K, non-decreasing in both sides.

    ``scales`` is a sequence of ints (square scales) or of (h, w) pairs. Tokens are numbered
    0..L−1 scale after scale, each scale flattened row-major.
    """

    def __init__(self, scales, *, name: str | None = None):
        try:
            if isinstance(scales, (str, bytes)):
                raise TypeError
            items = list(islice(iter(scales), MAX_SCALES + 1))  # an endless iterable is not read to the end
        except TypeError:
            raise VarcheckError(f"scales must be a sequence of sides or (h, w) pairs, got {scales!r}.") from None
        if len(items) > MAX_SCALES:
            raise VarcheckError(f"scales must hold at most {MAX_SCALES} scales, got more.")
        if not items:
            raise VarcheckError("scales must hold at least one scale.")
        parsed = []
        for k, item in enumerate(items):
            pair = (item, item) if isinstance(item, (int, np.integer)) and not isinstance(item, bool) else item
            try:
                h, w = pair
            except (TypeError, ValueError):
                raise VarcheckError(f"scales[{k}] must be a positive int or an (h, w) pair of positive ints, got "
                                    f"{item!r}.") from None
            for side in (h, w):
                if isinstance(side, bool) or not isinstance(side, (int, np.integer)) or side < 1:
                    raise VarcheckError(f"scales[{k}] must be a positive int or an (h, w) pair of positive ints, got "
                                        f"{item!r}.")
                if side > MAX_SIDE:
                    raise VarcheckError(f"scales[{k}] has a side {side} above the limit of {MAX_SIDE}.")
            parsed.append((int(h), int(w)))
        for k in range(1, len(parsed)):
            if parsed[k][0] < parsed[k - 1][0] or parsed[k][1] < parsed[k - 1][1]:
                raise VarcheckError(
                    f"scales must be non-decreasing in both sides; scale {k} {parsed[k]} follows {parsed[k - 1]}."
                )
        if sum(h * w for h, w in parsed) > MAX_TOKENS:
            raise VarcheckError(f"scales hold {sum(h * w for h, w in parsed)} tokens in all, above the limit of "
                                f"{MAX_TOKENS}.")
        if name is not None and not isinstance(name, str):
            raise VarcheckError(f"name must be a string or None, got {type(name).__name__}.")
        self._scales = tuple(parsed)
        self.name = name

    @classmethod
    def parse(cls, text: str, *, argument: str = "pyramid") -> "Pyramid":
        """A pyramid from its text: a preset name, sides ``"1-2-4"`` (``"1x2-2x4"`` for h×w scales), or ``"[1,2,4]"``.

        ``label`` writes the same text back, so that ``Pyramid.parse(p.label)`` equals ``p``."""
        if not isinstance(text, str):
            raise VarcheckError(f"{argument} must be a string, got {type(text).__name__}.")
        if text in PRESETS:
            return cls.preset(text)
        body = text.strip()
        parts = body[1:-1].split(",") if body.startswith("[") and body.endswith("]") else body.split("-")
        scales = []
        for part in parts:
            try:
                sides = [int(s) for s in part.strip().split("x")]
            except ValueError:
                sides = []
            if len(sides) not in (1, 2):
                raise VarcheckError(f"{argument} must be a preset ({', '.join(PRESETS)}) or sides like '1-2-4', "
                                    f"'1x2-2x4' or '[1,2,4]', got {text!r}.")
            scales.append(sides[0] if len(sides) == 1 else tuple(sides))
        return cls(scales)

    @property
    def label(self) -> str:
        """The text ``Pyramid.parse`` reads back: the preset name, or the scales ``h`` / ``hxw`` joined by ``-``."""
        if self.name:
            return self.name
        return "-".join(str(h) if h == w else f"{h}x{w}" for h, w in self._scales)

    @classmethod
    def preset(cls, name: str) -> "Pyramid":
        """One of the presets ``var256``, ``var512``, ``var1024``, ``flowar``."""
        require_choice("name", name, tuple(PRESETS))
        return cls(PRESETS[name], name=name)

    @property
    def scales(self) -> tuple:
        """The (h_k, w_k) pairs."""
        return self._scales

    @property
    def sizes(self) -> tuple:
        """Token counts n_k = h_k·w_k."""
        return tuple(h * w for h, w in self._scales)

    @property
    def length(self) -> int:
        """L = n_1 + … + n_K."""
        return sum(self.sizes)

    @cached_property
    def ranges(self) -> tuple:
        """[begin, end) token range of every scale: (L_{k−1}, L_k)."""
        out, begin = [], 0
        for n in self.sizes:
            out.append((begin, begin + n))
            begin += n
        return tuple(out)

    @cached_property
    def levels(self) -> np.ndarray:
        """Level ℓ(t) (0-based scale index) of every token."""
        return np.repeat(np.arange(len(self._scales)), self.sizes)

    def block_causal_mask(self) -> np.ndarray:
        """Boolean L×L: entry (i, j) is True when query i may attend to key j, i.e. ℓ(i) ≥ ℓ(j)."""
        if self.length > MAX_MASK_TOKENS:
            raise VarcheckError(f"the block-causal mask of this pyramid would be {self.length} × {self.length}; masks "
                                f"are built for L ≤ {MAX_MASK_TOKENS} tokens (the scales hold too many).")
        lv = self.levels
        return lv[:, None] >= lv[None, :]

    def __len__(self):
        return len(self._scales)

    def __eq__(self, other):
        return isinstance(other, Pyramid) and other._scales == self._scales

    def __hash__(self):
        return hash(self._scales)

    def __repr__(self):
        if self.name:
            return f"Pyramid.preset({self.name!r})"
        sides = [h if h == w else (h, w) for h, w in self._scales]
        return f"Pyramid({sides!r})"
