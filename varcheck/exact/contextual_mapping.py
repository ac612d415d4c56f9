"""The rank-1 contextual-mapping construction (docs/theory.md A4, Kajitsuka & Sato Thm 2) and its tight
variant (A4-tight), with every constant derived and the separation certified in ball arithmetic.

Weights (row convention, v ∈ Q^d a column): W_Q = c·v, W_K = v, W_V = v, W_O = s·uᵀ with u = e_1.
For a query x_k the scores are a_l = c·y_k·y_l with y = vᵀx, and the output is x_k + s·ρ_k·u with the
read-out ρ_k = Σ_l softmax(a)_l y_l = boltz(a)/(c y_k) (A1).

``paper``: v from the projection lemma on V ∪ {0} (A3), c the proof's temperature rounded up to a dyadic
rational, s = ε_tok/(4 r_max). ``tight``: the same lemma's v (or, for a :class:`GridVocabulary`, the
explicit projection y = M + Σ_i g_i G^{i} + t·G^d with M = n·G^d, whose values are the integers
M..2M−1), the smallest temperature whose score gaps exceed Δ = 2 ln n + 3 *on the instance*, and
s = ε_tok/(4Y), Y = max |vᵀx| (the residual argument needs s·Y ≤ ε_tok/4).

Certified guarantee, for either construction (steps of ``varcheck.theory.boltzmann``): same query token
and different visible sets ⇒ outputs more than γ_bound = s (ln n)² e^{−2R}/(c Y) apart, R = c Y²;
different query tokens ⇒ at least ε_tok − 2sY ≥ ε_tok/2 apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational

from ..errors import VarcheckError, require_choice
from .ball_attention import arb_of, ball_softmax_readout, working_precision
from .directed_rounding import format_bound
from .floating_point import FORMATS
from .projection import find_projection
from .token_family import DYADIC_BITS, TokenFamily

__all__ = ["ContextualMapping", "contextual_mapping", "Certificate", "FLOAT_FORMATS",
           "COSINE_LOGIT_CAP", "dyadic_at_least"]

CONSTRUCTIONS = ("paper", "tight")
#: (mantissa bits incl. the implicit one, log2 of the smallest positive subnormal) of the formats a contextual
#: mapping's float run is predicted for (from varcheck.exact.floating_point.FORMATS).
FLOAT_FORMATS = {name: (FORMATS[name].mantissa, FORMATS[name].subnormal_exponent)
                 for name in ("float64", "float32", "bfloat16")}
#: VAR's default cosine attention caps every logit at |logit| ≤ 100 (docs/var-facts.md §4).
COSINE_LOGIT_CAP = 100
#: Guard bits added to the working precision beyond what the logit spread consumes.
GUARD_BITS = 64
#: Working precision of the cancellation-free difference certificate (doubled while a ball contains 0).
DIFFERENCE_PRECISION = 128
#: A certification that cannot separate the balls doubles its precision at most this many times.
MAX_PRECISION_DOUBLINGS = 3


def _rational(x) -> bool:
    return isinstance(x, Rational) and not isinstance(x, bool)


def _dot(u, w):
    return sum((a * b for a, b in zip(u, w)), Fraction(0))


def dyadic_at_least(ball) -> Fraction:
    """The smallest k/2^DYADIC_BITS that is ≥ every point of an arb ball."""
    upper = ball.upper()
    k = int((upper * 2**DYADIC_BITS).ceil().unique_fmpz())
    q = Fraction(k, 2**DYADIC_BITS)
    if not arb_of(q) >= upper:  # pragma: no cover - ceil of an upper bound is above it
        raise VarcheckError("internal: dyadic rounding below the ball")
    return q


def delta_ball(n: int):
    """Δ = 2 ln n + 3 as an arb ball."""
    from flint import arb

    return 2 * arb(n).log() + 3


@dataclass
class Certificate:
    """What :meth:`ContextualMapping.certify` established, with the precision it used."""

    certified: bool
    gamma_actual: object  # arb ball: min output distance over same-token pairs with different visible sets
    gamma_bound: object  # arb ball: the proof's guarantee for this instance
    cross_token_lower: Fraction  # exact lower bound on the distance of outputs of different query tokens
    max_norm_sq: object  # arb ball: largest ‖output‖²
    r: Fraction
    pairs_checked: int
    precision: int
    detail: str = ""


@dataclass
class ContextualMapping:
    """A built contextual mapping: exact weights, derived constants, and ball/float evaluation."""

    construction: str
    family: TokenFamily
    v: tuple
    c: Fraction
    s: Fraction
    u: tuple
    Y: Fraction  # max |vᵀx| over the vocabulary
    projection_draws: int = 0
    _readouts: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        # the constructor is public (the type is exported); contextual_mapping() is the way to build one
        require_choice("construction", self.construction, CONSTRUCTIONS)
        if not isinstance(self.family, TokenFamily):
            raise VarcheckError(f"family must be a varcheck.TokenFamily, got {type(self.family).__name__}.")
        for name in ("v", "u"):
            value = getattr(self, name)
            if not isinstance(value, tuple) or len(value) != self.family.d or not all(_rational(t) for t in value):
                raise VarcheckError(f"{name} must be a tuple of {self.family.d} exact rationals (the token dimension).")
        for name in ("c", "s", "Y"):
            if not _rational(getattr(self, name)):
                raise VarcheckError(f"{name} must be an exact rational (Fraction or int), got {getattr(self, name)!r}.")

    def y(self, x) -> Fraction:
        """The projection vᵀx of a token (exact, cached per token)."""
        cache = self.__dict__.setdefault("_y_cache", {})
        if x not in cache:
            cache[x] = _dot(self.v, x)
        return cache[x]

    # ---------------------------------------------------------------- weights and constants
    @property
    def d(self) -> int:
        return self.family.d

    @property
    def W_Q(self):
        return [[self.c * x] for x in self.v]

    @property
    def W_K(self):
        return [[x] for x in self.v]

    @property
    def W_V(self):
        return [[x] for x in self.v]

    @property
    def W_O(self):
        return [[self.s * x for x in self.u]]

    @property
    def r_min(self):
        return self.family.r_min

    @property
    def r_max(self):
        return self.family.r_max

    @property
    def eps_tok(self):
        return self.family.eps_tok

    @property
    def vocabulary_size(self) -> int:
        return len(self.family.vocabulary)

    @property
    def n(self) -> int:
        return self.family.n

    @property
    def r(self) -> Fraction:
        """Output norm bound r = r_max + s·Y (= r_max + ε_tok/4 for the paper scale with ‖v‖ ≤ 1)."""
        return self.r_max + self.s * self.Y

    @property
    def R(self) -> Fraction:
        """Score bound R = c·Y² (every |logit| ≤ R)."""
        return self.c * self.Y * self.Y

    def logit_range(self) -> Fraction:
        """The largest |logit| that occurs on the instance (exact)."""
        best = Fraction(0)
        for i, seq in enumerate(self.family.sequences):
            for k, xk in enumerate(seq):
                yk = abs(self.y(xk))
                best = max(best, self.c * yk * max(abs(self.y(x)) for x in self.family.visible(i, k)))
        return best

    def logit_spread(self) -> Fraction:
        """The largest max − min score within one query's row (exact): how small softmax weights get."""
        spread = Fraction(0)
        for i, seq in enumerate(self.family.sequences):
            for k, xk in enumerate(seq):
                ys = [self.y(x) for x in self.family.visible(i, k)]
                spread = max(spread, abs(self.c * self.y(xk)) * (max(ys) - min(ys)))
        return spread

    def temperature_formula(self):
        """A4's temperature (2 ln n + 3)πd(|V|+1)⁴/(8 r_min ε_tok) at this instance (arb ball)."""
        from flint import arb

        return (delta_ball(self.n) * arb.pi() * self.d * arb(self.vocabulary_size + 1) ** 4
                / (8 * arb_of(self.r_min) * arb_of(self.eps_tok)))

    def gamma_formula(self):
        """docs/theory.md A4's γ at this instance's r_min, r_max, ε_tok, |V|, n, d (arb ball)."""
        from flint import arb

        n, d, V = self.n, self.d, self.vocabulary_size
        ln = arb(n).log()
        rmin, rmax, eps = arb_of(self.r_min), arb_of(self.r_max), arb_of(self.eps_tok)
        big = arb(V + 1) ** 4 * (2 * ln + 3) * arb.pi() * d
        return 2 * ln**2 * eps**2 * rmin / (rmax**2 * big) * (-(big * rmax**2) / (4 * eps * rmin)).exp()

    def gamma_bound(self):
        """The proof's guarantee at the constructed c, s, Y: s (ln n)² e^{−2cY²}/(cY) (arb ball)."""
        from flint import arb

        ln = arb(self.n).log()
        return arb_of(self.s) * ln**2 * (-2 * arb_of(self.R)).exp() / arb_of(self.c * self.Y)

    def score_gap(self) -> Fraction:
        """min over queries x_k and distinct keys of c·|y_k|·|y_l − y_l'| on the instance (exact)."""
        ys = sorted({_dot(self.v, x) for x in self.family.vocabulary})
        min_abs = min(abs(y) for y in ys)
        min_diff = min((b - a for a, b in zip(ys, ys[1:])), default=None)
        return self.c * min_abs * min_diff if min_diff is not None else Fraction(0)

    def working_precision(self) -> int:
        """Bits for the naive ball evaluation: the logit spread (in bits) plus the read-out scale and guard bits."""
        spread_bits = math.ceil(float(self.logit_spread()) / math.log(2))
        return spread_bits + max(0, math.ceil(math.log2(float(self.c * self.Y * self.Y) + 1))) + GUARD_BITS

    @property
    def certificate(self) -> Certificate:
        """The difference certificate of this instance (computed once)."""
        if "_certificate" not in self.__dict__:
            self.__dict__["_certificate"] = self.certify(method="difference")
        return self.__dict__["_certificate"]

    @property
    def gamma_actual(self):
        """The certified minimum separation of the outputs that must be separated (arb ball)."""
        return self.certificate.gamma_actual

    @property
    def bits_needed(self) -> int:
        """Mantissa bits a floating-point run needs to resolve γ_actual (see :meth:`precision_budget`)."""
        return self.precision_budget(self.gamma_actual)["mantissa_bits_needed"]

    def constants(self) -> dict:
        """Every derived constant, exact where rational (Fractions), arb balls as strings otherwise."""
        return {
            "construction": self.construction, "n": self.n, "d": self.d, "vocabulary_size": self.vocabulary_size,
            "r_min": self.r_min, "r_max": self.r_max, "eps_tok": self.eps_tok, "v": self.v, "c": self.c,
            "W_O_scale": self.s, "Y": self.Y, "r": self.r, "R": self.R, "logit_range": self.logit_range(),
            # each γ is a lower bound on a separation of outputs: rounded down from the ball's lower end
            "gamma_formula": _fmt_ball(self.gamma_formula(), "lower"), "gamma_bound": _fmt_ball(self.gamma_bound(),
                "lower"),
            "gamma_actual": _fmt_ball(self.gamma_actual, "lower"), "bits_needed": self.bits_needed,
            "working_precision_direct": self.working_precision(),
        }

    # ---------------------------------------------------------------- evaluation
    def readout(self, i: int, k: int, precision: int):
        """ρ for query k of sequence i, as an arb ball at ``precision`` bits (cached per token and visible set)."""
        xk = self.family.sequences[i][k]
        keys = self.family.visible(i, k)
        key = (xk, frozenset(keys), precision)
        if key not in self._readouts:
            with working_precision(precision):
                yk = self.y(xk)
                ys = [self.y(x) for x in keys]
                self._readouts[key] = ball_softmax_readout([self.c * yk * y for y in ys], [[y] for y in ys])[0]
        return self._readouts[key]

    def outputs_ball(self, i: int, precision: int | None = None):
        """The outputs of sequence i (n × d arb balls)."""
        precision = precision or self.working_precision()
        seq = self.family.sequences[i]
        with working_precision(precision):
            return [[arb_of(x) + arb_of(self.s * uj) * self.readout(i, k, precision) for x, uj in zip(xk, self.u)]
                    for k, xk in enumerate(seq)]

    # ---------------------------------------------------------------- certificate
    def certify(self, precision: int | None = None, *, method: str = "direct") -> Certificate:
        """Certify the contextual-mapping property on every pair of the instance, in ball arithmetic.

        Same query token, different visible sets: every pair of read-outs must differ (their difference
        ball excludes 0); the minimum s·|Δρ| is γ_actual, which must exceed γ_bound. Different query
        tokens: exact lower bound ε_tok − 2sY. Every output norm² must be below r².

        ``method="direct"`` evaluates each read-out at a precision chosen from the instance's logit spread
        (the naive layer: it needs as many bits as γ is small). ``method="difference"`` evaluates
        ρ(S) − ρ(T) = Σ_{m∈S, m'∈T} w_m w_m' (y_m − y_m') / (W_S W_T) with the S∩T × S∩T block, which
        cancels exactly, left out; no large common mass cancels, so ``DIFFERENCE_PRECISION`` bits suffice
        (doubled while a ball still contains 0).
        """
        require_choice("method", method, ("direct", "difference"))
        if precision is None:
            precision = self.working_precision() if method == "direct" else DIFFERENCE_PRECISION
        for _ in range(MAX_PRECISION_DOUBLINGS + 1):
            cert = self._certify_at(precision, method)
            if cert.certified or cert.detail.startswith("violated"):
                return cert
            precision *= 2
        return cert

    def readout_groups(self) -> dict:
        """{query token: {visible token set: (i, k), one sequence position that reads it}}: the read-outs a
        certification evaluates, grouped by query token."""
        groups: dict = {}
        for i, seq in enumerate(self.family.sequences):
            for k, xk in enumerate(seq):
                groups.setdefault(xk, {}).setdefault(frozenset(self.family.visible(i, k)), (i, k))
        return groups

    def clear_readouts(self) -> None:
        """Forget the cached read-out balls (the next certification evaluates them again)."""
        self._readouts.clear()

    def readout_difference(self, token, S, T, precision: int):
        """ρ(S) − ρ(T) for query ``token`` and visible token sets S, T, by the cancellation-free formula."""
        from flint import arb

        with working_precision(precision):
            yk = self.y(token)
            ys = {x: self.y(x) for x in S | T}
            shift = max(self.c * yk * y for y in ys.values())
            w = {x: arb_of(self.c * yk * y - shift).exp() for x, y in ys.items()}
            yb = {x: arb_of(y) for x, y in ys.items()}

            def sums(P):
                return sum((w[x] for x in P), arb(0)), sum((w[x] * yb[x] for x in P), arb(0))

            C, A, B = S & T, S - T, T - S
            (wc, wyc), (wa, wya), (wb, wyb) = sums(C), sums(A), sums(B)
            term = lambda p, q: p[1] * q[0] - p[0] * q[1]  # noqa: E731  Σ_{P×Q} w w' (y − y')
            numerator = term((wc, wyc), (wb, wyb)) + term((wa, wya), (wc, wyc)) + term((wa, wya), (wb, wyb))
            return numerator / ((wc + wa) * (wc + wb))

    def _same_token_gaps(self, precision: int, method: str):
        """Yield (token, |ρ(S) − ρ(T)| ball) for the pairs to separate: adjacent sorted read-outs (direct) or all pairs
        (difference)."""
        for token, sets in self.readout_groups().items():
            if method == "direct":
                # sort by exact midpoints (arb points compare exactly; floats would merge values closer than 2⁻⁵²)
                balls = sorted((self.readout(i, k, precision) for i, k in sets.values()), key=lambda b: b.mid())
                for a, b in zip(balls, balls[1:]):
                    yield token, b - a
            else:
                keys = list(sets)
                for a in range(len(keys)):
                    for b in range(a + 1, len(keys)):
                        diff = self.readout_difference(token, keys[a], keys[b], precision)
                        yield token, diff if diff.mid() > 0 else -diff

    def _certify_at(self, precision: int, method: str) -> Certificate:
        from flint import arb

        if not arb_of(self.score_gap()) > delta_ball(self.n):
            # Lemma 1's hypothesis fails: no γ is guaranteed, whatever the read-outs do
            return Certificate(False, None, None, self.eps_tok - 2 * self.s * self.Y, None, self.r, 0, precision,
                               f"violated: score gaps {float(self.score_gap()):.4g} do not exceed 2 ln n + 3 = "
                               f"{float(delta_ball(self.n).mid()):.4f} (temperature too low)")
        norm_precision = min(precision, DIFFERENCE_PRECISION) if method == "difference" else precision
        with working_precision(precision):
            s = arb_of(self.s)
            gamma_actual, pairs, overlap = None, 0, None
            for token, delta in self._same_token_gaps(precision, method):
                pairs += 1
                gap = s * delta
                if not gap > 0:
                    overlap = token
                if gamma_actual is None or gap.mid() < gamma_actual.mid():
                    gamma_actual = gap
            bound = self.gamma_bound()
            cross = self.eps_tok - 2 * self.s * self.Y
            max_norm_sq = None
            for i, seq in enumerate(self.family.sequences):
                for k, xk in enumerate(seq):
                    rho = self.readout(i, k, norm_precision)
                    q = [arb_of(x) + arb_of(self.s * uj) * rho for x, uj in zip(xk, self.u)]
                    nsq = sum((t * t for t in q), arb(0))
                    if max_norm_sq is None or nsq.mid() > max_norm_sq.mid():
                        max_norm_sq = nsq
            norms_ok = bool(max_norm_sq < arb_of(self.r * self.r))
            if overlap is not None:
                return Certificate(False, gamma_actual, bound, cross, max_norm_sq, self.r, pairs, precision,
                                   f"undecided at {precision} bits ({method}): read-out balls overlap for token "
                                   f"{overlap}")
            sep_ok = gamma_actual is None or bool(gamma_actual > bound)
            cross_ok = cross > 0
            ok = sep_ok and norms_ok and cross_ok
            detail = (
                f"{pairs} same-token pairs separated (γ_actual {_fmt_ball(gamma_actual)} > γ_bound "
                f"{_fmt_ball(bound, 'lower')}), different tokens ≥ {format_bound(cross, 'lower')}, max ‖output‖² "
                f"{_fmt_ball(max_norm_sq, 'upper')} < r² = {format_bound(self.r ** 2, 'upper', 6)} [{method}, "
                f"{precision} bits]"
                if ok else
                f"violated: separation {'ok' if sep_ok else 'FAILS'} (γ_actual {_fmt_ball(gamma_actual)}, γ_bound "
                f"{_fmt_ball(bound, 'lower')}), norms {'ok' if norms_ok else 'FAIL'} (max ‖q‖² "
                f"{_fmt_ball(max_norm_sq, 'upper')} vs r² {format_bound(self.r ** 2, 'upper', 6)}), cross-token bound "
                f"{format_bound(cross, 'lower')}"
            )
            return Certificate(ok, gamma_actual, bound, cross, max_norm_sq, self.r, pairs, precision, detail)

    # ---------------------------------------------------------------- precision budget (A6)
    def precision_budget(self, gamma_actual=None) -> dict:
        """Mantissa bits and exponent range needed to resolve γ_actual; feasibility per float format and cosine cap."""
        gamma = gamma_actual if gamma_actual is not None else self.certify().gamma_actual
        log2_gamma = _log2_ball(gamma) if gamma is not None else None
        mantissa = math.ceil(math.log2(float(self.r)) - log2_gamma) + 1 if log2_gamma is not None else 1
        min_weight_log2 = -float(self.logit_spread()) / math.log(2)
        formats = {
            name: bool(mantissa <= bits and min_weight_log2 >= emin) for name, (bits, emin) in FLOAT_FORMATS.items()
        }
        max_logit = self.logit_range()
        return {
            "max_abs_logit": max_logit,
            "logit_spread": self.logit_spread(),
            "log2_gamma_actual": log2_gamma,
            "mantissa_bits_needed": mantissa,
            "log2_smallest_weight": min_weight_log2,
            "feasible": formats,
            "fits_cosine_cap": bool(max_logit <= COSINE_LOGIT_CAP),
        }


def _log2_ball(ball) -> float:
    """log2 of a positive arb ball's midpoint, robust to exponents beyond float range."""
    from flint import arb

    return float((arb(ball.mid()).log() / arb(2).log()).mid())


def _fmt_ball(ball, side: str = "lower") -> str:
    """A positive ball in five significant digits on ``side``'s safe side (``lower``: from the lower end, rounded
    down — a γ printed to nearest could exceed the certified γ); a ball that is not positive as arb's enclosure."""
    if ball is None:
        return "n/a"
    if not ball > 0:
        return ball.str(5, radius=True)
    return format_bound(ball, side, 5)


def contextual_mapping(sequences, *, construction: str = "paper", seed: int = 0, pyramid=None,
                       r_min=None, r_max=None, eps_tok=None, projection=None) -> ContextualMapping:
    """Build the rank-1 contextual mapping for a finite family of sequences.

    ``sequences``: an (N, n, d) array (floats are taken as the rationals they denote) or a
    :class:`GridVocabulary`. ``pyramid``: apply the block-causal mask of that pyramid (A5). ``r_min``,
    ``r_max``, ``eps_tok``: separation constants to use (checked against the family); by default the
    tightest dyadic ones of the instance. ``seed`` drives the projection search (A3). ``projection``: an
    explicit exact projection vector for the tight construction (it must map distinct tokens to distinct
    non-zero values; the temperature is then derived from the instance's gaps).
    """
    require_choice("construction", construction, CONSTRUCTIONS)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise VarcheckError(f"seed must be a non-negative integer, got {seed!r}.")
    family = TokenFamily(sequences, pyramid=pyramid, r_min=r_min, r_max=r_max, eps_tok=eps_tok)
    V, d, n = family.vocabulary, family.d, family.n
    u = (Fraction(1),) + (Fraction(0),) * (d - 1)
    draws = 0
    if projection is not None:
        if construction != "tight":
            raise VarcheckError("projection applies only to construction='tight'.")
        v = tuple(Fraction(t) for t in projection)
        ys = [_dot(v, x) for x in V]
        if len(v) != d or 0 in ys or len(set(ys)) != len(ys):
            raise VarcheckError(f"projection must have {d} entries and map the {len(V)} tokens to distinct non-zero "
                                "values.")
    elif construction == "tight" and family.grid is not None:
        g = family.grid
        M = g.n * g.G**g.d
        v = (Fraction(M),) + tuple(Fraction(g.G * g.G**i) for i in range(g.d)) + (Fraction(g.G**g.d),)
    else:
        v, draws, _ = find_projection(list(V) + [(Fraction(0),) * d], seed)
    Y = max(abs(_dot(v, x)) for x in V)
    if construction == "paper":
        c = dyadic_at_least(
            ContextualMapping(construction, family, v, Fraction(1), Fraction(0), u, Y).temperature_formula()
        )
        s = family.eps_tok / (4 * family.r_max)
    else:
        probe = ContextualMapping(construction, family, v, Fraction(1), Fraction(0), u, Y)
        unit_gap = probe.score_gap()  # c = 1
        if family.grid is not None and projection is None:
            # integer projection: gaps are c·y_k·|Δy| ≥ c·M; c = q/M with q the least integer above Δ
            q = math.floor(float(delta_ball(n).upper())) + 1
            c = Fraction(q, v[0])
            if not arb_of(Fraction(q)) > delta_ball(n):  # pragma: no cover
                raise VarcheckError("internal: q not above Δ")
        else:
            c = dyadic_at_least(delta_ball(n) / arb_of(unit_gap)) + Fraction(1, 2**DYADIC_BITS)
        s = family.eps_tok / (4 * Y)
    cm = ContextualMapping(construction, family, v, c, s, u, Y, draws)
    if not arb_of(cm.score_gap()) > delta_ball(n):
        raise VarcheckError("internal: constructed temperature does not separate the score gaps by more than 2 ln n + "
                            "3")
    return cm
