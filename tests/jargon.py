"""Words of the project's own process that a reader's page must not carry (an issue tracker's numbers and
items, development rounds): generated pages speak of the mathematics and the code only."""

from __future__ import annotations

import re

JARGON = re.compile(r"\bissues?\b|\bissue #|\bround's\b|\b(this|first|previous|last) round\b|\bitem \d+\b", re.I)


def jargon_in(text: str) -> list:
    """Each jargon phrase of ``text`` with some context, for an assertion message."""
    return [text[max(m.start() - 40, 0):m.end() + 40] for m in JARGON.finditer(text)]
