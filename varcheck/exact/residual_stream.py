"""The residual stream of a dense VAR transformer: named blocks of channels (docs/theory.md §3.1, §6).

A construction lays out what each token carries (its input value, the positional code E, the quantizer's
steps, the table slots, the output) as consecutive blocks; every layer of the construction then reads and
writes channels by name. The layout is pure bookkeeping — no weights — and it is what the layer table of a
built network reports.
"""

from __future__ import annotations

from ..errors import VarcheckError

__all__ = ["StreamLayout"]


class StreamLayout:
    """Consecutive named channel blocks; ``layout["step"]`` is the block's first channel, ``len(layout)`` the width."""

    def __init__(self, blocks=()):
        self._start, self._width, self._order = {}, {}, []
        for name, width in blocks:
            self.add(name, width)

    def add(self, name: str, width: int) -> int:
        if name in self._start:
            raise VarcheckError(f"internal: stream block {name!r} declared twice")
        if isinstance(width, bool) or not isinstance(width, int) or width < 0:
            raise VarcheckError(f"internal: stream block {name!r} needs a width ≥ 0, got {width!r}")
        self._start[name], self._width[name] = len(self), width
        self._order.append(name)
        return self._start[name]

    def __len__(self) -> int:
        return sum(self._width.values())

    def __getitem__(self, name: str) -> int:
        return self._start[name]

    def __contains__(self, name: str) -> bool:
        return name in self._start

    def width(self, name: str) -> int:
        return self._width[name]

    def index(self, name: str, j: int = 0) -> int:
        """Channel j of block ``name``."""
        if not 0 <= j < self._width[name]:
            raise VarcheckError(f"internal: channel {j} outside block {name!r} of width {self._width[name]}")
        return self._start[name] + j

    def blocks(self) -> list:
        """(name, first channel, width) in order."""
        return [(n, self._start[n], self._width[n]) for n in self._order]

    def to_dict(self) -> dict:
        return {n: [self._start[n], self._width[n]] for n in self._order}
