"""Finite families of token sequences and their separation constants (docs/theory.md §3.2).

Sequences X^{(1)}, …, X^{(N)} ∈ R^{n×d} are tokenwise (r_min, r_max, ε_tok)-separated when every token
has r_min < ‖x‖ < r_max and distinct tokens are more than ε_tok apart. Tokens are held exactly (a
float64 entry is the rational it denotes). Norms are irrational in general, so the constants derived
from an instance are dyadic rationals strictly inside: the largest k/2^B below min ‖x‖ and min
‖x − x'‖, the smallest above max ‖x‖, decided exactly on squares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import combinations, product
from numbers import Rational

import numpy as np

from ..errors import VarcheckError, require_int
from ..theory.pyramid import Pyramid

__all__ = ["TokenFamily", "GridVocabulary", "DYADIC_BITS", "MAX_GRID_SEQUENCES",
           "dyadic_below_sqrt", "dyadic_above_sqrt"]

#: Fractional bits of the dyadic bounds on norms and distances (they lose less than 2⁻³⁰).
DYADIC_BITS = 30
#: A grid vocabulary is enumerated sequence by sequence; beyond this many sequences it is refused.
MAX_GRID_SEQUENCES = 4096
#: Bounds of a grid vocabulary, refused up front: G, n, d, and the tokens of all its sequences together.
MAX_GRID_G = 2**16
MAX_GRID_N = 2**14
MAX_GRID_D = 64
MAX_GRID_TOKENS = 2**20


def dyadic_below_sqrt(q: Fraction, bits: int = DYADIC_BITS) -> Fraction:
    """The largest k/2^bits strictly below √q (q > 0)."""
    scale = 4**bits
    k = math.isqrt(q.numerator * scale // q.denominator)
    while Fraction(k * k, scale) >= q:
        k -= 1
    return Fraction(k, 2**bits)


def dyadic_above_sqrt(q: Fraction, bits: int = DYADIC_BITS) -> Fraction:
    """The smallest k/2^bits strictly above √q."""
    scale = 4**bits
    k = math.isqrt(q.numerator * scale // q.denominator)
    while Fraction(k * k, scale) <= q:
        k += 1
    return Fraction(k, 2**bits)


def _sqrt_text(q: Fraction, side: str) -> str:
    """√q in six digits on ``side``'s safe side, at any magnitude (a float √ overflows beyond 10³⁰⁸)."""
    from flint import arb, fmpq

    from .directed_rounding import format_bound

    return format_bound(arb(fmpq(q.numerator, q.denominator)).sqrt(), side, 6)


def _sq(x) -> Fraction:
    return sum(t * t for t in x)


def _exact(value, where: str) -> Fraction:
    if isinstance(value, bool):
        raise VarcheckError(f"{where} must be a real number, got {value!r}.")
    if isinstance(value, Rational):
        return Fraction(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise VarcheckError(f"{where} must be a real number, got {value!r}.") from None
    if not math.isfinite(f):
        raise VarcheckError(f"sequences must hold finite values only; {where} is {f!r}.")
    return Fraction(f)


@dataclass(frozen=True)
class GridVocabulary:
    """All sequences of n tokens x_t = (1, g_1/G, …, g_d/G, t), g ∈ {0..G−1}^d, t = 0..n−1.

    The constant coordinate keeps tokens away from 0 (r_min > 0) and the position t makes the tokens of
    a sequence distinct (the A4 hypothesis that up-sampling alone breaks, F3). The family has G^{nd}
    sequences and a vocabulary of n·G^d tokens.
    """

    G: int
    n: int
    d: int = 1
    sample: int | None = None  # draw this many distinct sequences (seeded) instead of enumerating all
    seed: int = 0

    def __post_init__(self):
        require_int("G", self.G, minimum=1, maximum=MAX_GRID_G)
        require_int("n", self.n, minimum=2, maximum=MAX_GRID_N)
        require_int("d", self.d, minimum=1, maximum=MAX_GRID_D)
        require_int("seed", self.seed, minimum=0)
        # G^(n·d) exactly when it can be below the limits, else None ("at least 2⁶⁴": more than any limit)
        nd = self.n * self.d
        count = 1 if self.G == 1 else self.G**nd if nd * (self.G.bit_length() - 1) < 64 else None
        if self.sample is not None:
            require_int("sample", self.sample, minimum=1, maximum=MAX_GRID_SEQUENCES if count is None
                        else min(count, MAX_GRID_SEQUENCES))
        elif count is None or count > MAX_GRID_SEQUENCES:
            raise VarcheckError(
                f"GridVocabulary(G={self.G}, n={self.n}, d={self.d}) has G^(n·d) = {self.G}^{self.n * self.d} "
                f"sequences; at most {MAX_GRID_SEQUENCES} are enumerated (choose G^(n·d) ≤ {MAX_GRID_SEQUENCES}, or "
                "pass sample=N)."
            )
        sequences = self.sample if self.sample is not None else count
        if sequences * self.n > MAX_GRID_TOKENS:
            raise VarcheckError(f"GridVocabulary(G={self.G}, n={self.n}, d={self.d}) would hold {sequences} sequences "
                                f"of n = {self.n} tokens, above the limit of {MAX_GRID_TOKENS} tokens in all (lower n "
                                "or sample).")

    def token(self, digits, t) -> tuple:
        return (Fraction(1),) + tuple(Fraction(g, self.G) for g in digits) + (Fraction(t),)

    def sequences(self) -> list:
        if self.sample is None:
            cells = list(product(range(self.G), repeat=self.d))
            return [tuple(self.token(c, t) for t, c in enumerate(seq)) for seq in product(cells, repeat=self.n)]
        rng = np.random.default_rng(self.seed)
        drawn: dict = {}
        while len(drawn) < self.sample:
            digits = tuple(map(tuple, rng.integers(0, self.G, size=(self.n, self.d)).tolist()))
            drawn.setdefault(digits, None)
        return [tuple(self.token(c, t) for t, c in enumerate(seq)) for seq in drawn]


class TokenFamily:
    """A validated finite family of sequences, with its vocabulary and separation constants.

    With a ``pyramid``, query t sees only the tokens of levels ≤ ℓ(t) (block-causal mask, A5): the
    "sequence" of a query is its visible prefix, and n is the largest visible count.
    """

    def __init__(self, sequences, *, pyramid: Pyramid | None = None, r_min=None, r_max=None, eps_tok=None):
        if isinstance(sequences, GridVocabulary):
            seqs = sequences.sequences()
            self.grid = sequences
        else:
            seqs = self._parse(sequences)
            self.grid = None
        self.sequences = seqs
        self.N, self.n_tokens, self.d = len(seqs), len(seqs[0]), len(seqs[0][0])
        self.pyramid = pyramid
        if pyramid is not None:
            if not isinstance(pyramid, Pyramid):
                raise VarcheckError(f"pyramid must be a varcheck.Pyramid, got {type(pyramid).__name__}.")
            if pyramid.length != self.n_tokens:
                raise VarcheckError(
                    f"with a pyramid the sequences must have its length L = {pyramid.length} tokens, got "
                    f"{self.n_tokens}."
                )
        for i, seq in enumerate(seqs):
            if len(set(seq)) != len(seq):
                raise VarcheckError(
                    f"sequence {i} repeats a token; the contextual-mapping hypothesis (A4) needs distinct tokens "
                    "inside a sequence (append positional codes)."
                )
        if any(_sq(x) == 0 for x in self.vocabulary):
            raise VarcheckError("a token is 0, so r_min ≤ 0; tokenwise separation needs r_min > 0 (shift tokens away "
                                "from 0).")
        self.r_min, self.r_max, self.eps_tok = self._constants(r_min, r_max, eps_tok)

    @staticmethod
    def _parse(sequences) -> list:
        if isinstance(sequences, np.ndarray) and sequences.dtype.kind not in "fiu":
            raise VarcheckError(f"sequences must be a real array of shape (N, n, d), got dtype {sequences.dtype}.")
        try:
            arr = np.asarray(sequences, dtype=object)
        except (TypeError, ValueError):
            raise VarcheckError("sequences must be an array of shape (N, n, d) or a GridVocabulary.") from None
        if arr.ndim != 3 or 0 in arr.shape:
            raise VarcheckError(f"sequences must have shape (N, n, d) with N, n, d ≥ 1, got shape {arr.shape}.")
        if arr.shape[1] < 2:
            raise VarcheckError(
                "sequences must have n ≥ 2 tokens: with n = 1 Lemma 1's bound (ln n)² e^{−2R} is 0 and separates "
                "nothing."
            )
        return [
            tuple(tuple(_exact(arr[i, k, j], f"sequences[{i}, {k}, "
                                             f"{j}]") for j in range(arr.shape[2])) for k in range(arr.shape[1]))
            for i in range(arr.shape[0])
        ]

    @cached_property
    def vocabulary(self) -> tuple:
        """The distinct tokens V, sorted."""
        return tuple(sorted({x for seq in self.sequences for x in seq}))

    @property
    def n(self) -> int:
        """The sequence length entering the constants: the largest number of keys a query sees."""
        if self.pyramid is None:
            return self.n_tokens
        return max(end for _, end in self.pyramid.ranges)

    def visible(self, i: int, k: int) -> tuple:
        """The tokens query k of sequence i attends to."""
        seq = self.sequences[i]
        if self.pyramid is None:
            return seq
        end = self.pyramid.ranges[int(self.pyramid.levels[k])][1]
        return seq[:end]

    def _constants(self, r_min, r_max, eps_tok):
        norms = [_sq(x) for x in self.vocabulary]
        dists = [_sq(tuple(a - b for a, b in zip(x, y))) for x, y in combinations(self.vocabulary, 2)]
        lo, hi = min(norms), max(norms)
        dmin = min(dists) if dists else None
        derived = (dyadic_below_sqrt(lo), dyadic_above_sqrt(hi), dyadic_below_sqrt(dmin) if dmin else Fraction(1))
        out = []
        for name, given, default in zip(("r_min", "r_max", "eps_tok"), (r_min, r_max, eps_tok), derived):
            out.append(default if given is None else _exact(given, name))
        rmin, rmax, eps = out
        if rmin <= 0 or eps <= 0:
            raise VarcheckError(f"r_min and eps_tok must be > 0, got r_min = {rmin}, eps_tok = {eps}.")
        if not (rmin * rmin < lo and hi < rmax * rmax):
            raise VarcheckError(
                f"the family is not tokenwise separated with r_min = {rmin}, r_max = {rmax}: token norms range over "
                f"[{_sqrt_text(lo, 'lower')}, {_sqrt_text(hi, 'upper')}] and must lie strictly between them."
            )
        if dmin is not None and not eps * eps < dmin:
            raise VarcheckError(
                f"the family is not tokenwise separated with eps_tok = {eps}: two distinct tokens are only "
                f"{_sqrt_text(dmin, 'upper')} apart (they must be more than eps_tok apart)."
            )
        return rmin, rmax, eps
