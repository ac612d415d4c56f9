"""Derived constants of Lipschitz partitioning (docs/theory.md §4, claims P1, P4, P5), exact and symbolic.

Conventions (docs/theory.md §0): the domain is D = [0,1]^{n×d} (N = nd entries, volume 1), outputs have m
entries, f is L-Lipschitz from ‖·‖_α to ‖·‖_β, the grid has width δ = 1/G, and f̄ = f(q(X) + δ/2).

* **P1.** Every entry of X lies within δ/2 of its cell centre, so ‖X − c‖_α ≤ N^{1/α}·δ/2 and
  ‖f(X) − f̄(X)‖_β ≤ L·N^{1/α}·δ/2. Converting the output norm, ‖y‖_p ≤ m^{max(0, 1/p − 1/β)}‖y‖_β, gives
  d_p(f, f̄) ≤ c_{β→p}·L·N^{1/α}·δ/2 =: K/G on a domain of volume 1. K/G ≤ ε₁ ⇔ G ≥ K/ε₁, so the
  coarsest admissible grid is G = ⌈K/ε₁⌉ (β = ∞: ⌈m^{1/p} L N^{1/α}/(2ε₁)⌉, docs/theory.md's formula). The
  per-entry distance d̄_p = m^{−1/p} d_p asks for d_p ≤ m^{1/p}ε₁, i.e. G = ⌈m^{−1/p}K/ε₁⌉ (β = ∞: m
  drops out).
* **P4.** The union of the bad slabs has measure μ(B) ≤ N(G−1)η; M·μ(B)^{1/p} ≤ ε₂ holds once
  η ≤ (ε₂/M)^p / (N(G−1)). For the partition network every output entry of g lies in the hull of f's
  values at cell centres, so |f_j − g_j| ≤ L·diam_α(D) = L·N^{1/α} and M = m^{1/p}·L·N^{1/α}.
* **P5.** Lip(Q_η) = δ/η = N(G−1)/G·(M/ε₂)^p → ∞ as ε₂ → 0.

Constants with radicals (m^{1/2}, N^{1/α}) are kept exact as :class:`PowerProduct` values Π bᵢ^{eᵢ}
(rational bᵢ > 0, rational eᵢ); comparing one with a rational r raises both sides to the common
denominator D of the exponents, where everything is rational. So every ceiling and every "≤ ε" below
is decided exactly, never in floating point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

import sympy as sp

from ..errors import VarcheckError, require_exponent, require_int, require_positive_rational

__all__ = [
    "INF",
    "PowerProduct",
    "parse_exponent",
    "norm_conversion_exponent",
    "cell_radius",
    "partition_bound",
    "grid_size",
    "bad_set_sup_bound",
    "eta_from_budget",
    "bad_set_term",
    "quantizer_lipschitz",
    "blowup_lipschitz",
    "symbols",
    "symbolic_partition_bound",
    "symbolic_grid_threshold",
    "symbolic_eta",
    "symbolic_blowup",
    "rational_lower_bound",
]

#: The exponent ∞ (sup norm, d_∞).
INF = math.inf
#: Largest numerator or denominator of a finite exponent α, β, p: the radicals m^{1/p}(nd)^{1/α} are compared
#: exactly by raising them to the common denominator of their exponents, which must stay small.
MAX_EXPONENT_PART = 16

#: Relative accuracy of the rational lower bound chosen for an irrational η* (only for non-integer p):
#: η = ⌊η*·2^k⌋/2^k with k = RATIONAL_BITS bits below the leading one, then proved ≤ η* exactly. Any k ≥ 1 is
#: sound (η ≤ η* is what the budget needs); 40 bits keeps η within 2⁻⁴⁰ relative of η*.
RATIONAL_BITS = 40


# --------------------------------------------------------------------------- exact radicals


@dataclass(frozen=True)
class PowerProduct:
    """An exact positive real Π bᵢ^{eᵢ} with rational bases bᵢ > 0 and rational exponents eᵢ."""

    factors: tuple  # ((Fraction base, Fraction exponent), ...)

    @classmethod
    def of(cls, value) -> "PowerProduct":
        value = Fraction(value)
        if value <= 0:
            raise VarcheckError(f"a PowerProduct needs a positive value, got {value}.")
        return cls(((value, Fraction(1)),))

    def __mul__(self, other) -> "PowerProduct":
        other = other if isinstance(other, PowerProduct) else PowerProduct.of(other)
        return PowerProduct(_merge(self.factors + other.factors))

    __rmul__ = __mul__

    def __truediv__(self, other) -> "PowerProduct":
        other = other if isinstance(other, PowerProduct) else PowerProduct.of(other)
        return self * other ** Fraction(-1)

    def __rtruediv__(self, other) -> "PowerProduct":
        return PowerProduct.of(other) / self

    def __pow__(self, exponent) -> "PowerProduct":
        if isinstance(exponent, bool) or not isinstance(exponent, Rational):
            raise VarcheckError(f"a PowerProduct exponent must be rational (int or Fraction), got {exponent!r}.")
        exponent = Fraction(exponent)
        return PowerProduct(_merge(tuple((b, e * exponent) for b, e in self.factors)))

    def _denominator(self) -> int:
        return math.lcm(1, *(e.denominator for _, e in self.factors))

    def power_D(self) -> tuple:
        """(D, x^D) with D the common denominator of the exponents, so that x^D is rational."""
        D = self._denominator()
        value = Fraction(1)
        for b, e in self.factors:
            k = e * D  # an integer
            value *= b ** int(k)
        return D, value

    def compare(self, r) -> int:
        """Sign of x − r for a rational r ≥ 0, decided exactly."""
        r = Fraction(r)
        if r <= 0:
            return 1
        D, xD = self.power_D()
        rD = r**D
        return (xD > rD) - (xD < rD)

    def __le__(self, r) -> bool:
        return self.compare(r) <= 0

    def __lt__(self, r) -> bool:
        return self.compare(r) < 0

    def __ge__(self, r) -> bool:
        return self.compare(r) >= 0

    def __gt__(self, r) -> bool:
        return self.compare(r) > 0

    def rational(self) -> Fraction | None:
        """The exact value when it is rational (x^D has an exact rational D-th root), else None."""
        D, xD = self.power_D()
        num, num_exact = sp.integer_nthroot(xD.numerator, D)
        den, den_exact = sp.integer_nthroot(xD.denominator, D)
        return Fraction(int(num), int(den)) if num_exact and den_exact else None

    def ceil(self) -> int:
        """⌈x⌉, exact: a float proposes it, exact comparisons correct it."""
        guess = max(1, math.ceil(float(self)))
        while guess > 1 and self <= guess - 1:
            guess -= 1
        while not self <= guess:
            guess += 1
        return guess

    def __float__(self) -> float:
        exact = self.rational()
        if exact is not None:
            return float(exact)  # correctly rounded
        return math.exp(sum(float(e) * math.log(b) for b, e in self.factors))

    def float_upper(self) -> float:
        """A float proved ≥ x (exact comparison of the float, a dyadic rational, with x)."""
        value = float(self)
        while not self <= Fraction(value):
            value = math.nextafter(value, math.inf)
        return value

    def to_sympy(self):
        out = sp.Integer(1)
        for b, e in self.factors:
            out *= sp.Rational(b.numerator, b.denominator) ** sp.Rational(e.numerator, e.denominator)
        return out

    def __str__(self) -> str:
        return str(self.to_sympy())


def _merge(factors) -> tuple:
    """Combine equal bases, drop trivial factors, split integer parts of the exponents into the coefficient."""
    by_base: dict = {}
    for b, e in factors:
        b, e = Fraction(b), Fraction(e)
        if b == 1 or e == 0:
            continue
        by_base[b] = by_base.get(b, Fraction(0)) + e
    coef = Fraction(1)
    out = []
    for b, e in sorted(by_base.items()):
        whole = math.floor(e)
        coef *= b**whole
        if e - whole != 0:
            out.append((b, e - whole))
    if coef != 1:
        out.insert(0, (coef, Fraction(1)))
    return tuple(out)


def rational_lower_bound(x: PowerProduct, bits: int = RATIONAL_BITS) -> Fraction:
    """A rational r with 0 < r ≤ x, equal to x when x is rational, else within 2^−bits relative."""
    exact = x.rational()
    if exact is not None:
        return exact
    scale = 2 ** (bits - math.floor(math.log2(float(x))))
    r = Fraction(math.floor(float(x) * scale), scale)
    while r <= 0 or not x >= r:
        r = r - Fraction(1, scale) if r > Fraction(1, scale) else r / 2
    return r


# --------------------------------------------------------------------------- argument parsing


def parse_exponent(name: str, value, *, minimum: int = 1):
    """A norm exponent: a rational ≥ ``minimum`` (Fraction) or ∞ (``math.inf``, ``"inf"``, ``sympy.oo``), with
    numerator and denominator at most :data:`MAX_EXPONENT_PART`."""
    exact = require_exponent(name, value, minimum=minimum)
    if exact != INF and max(exact.numerator, exact.denominator) > MAX_EXPONENT_PART:
        # exact radicals are compared by raising both sides to the common denominator of the exponents
        raise VarcheckError(f"{name} must be inf or a rational whose numerator and denominator are at most "
                            f"{MAX_EXPONENT_PART}, got {exact}.")
    return exact


def _inverse(exponent) -> Fraction:
    return Fraction(0) if exponent == INF else 1 / exponent


def norm_conversion_exponent(beta, p) -> Fraction:
    """e with ‖y‖_p ≤ m^e ‖y‖_β for y ∈ R^m: e = max(0, 1/p − 1/β) (Hölder; 1 when p ≥ β)."""
    return max(Fraction(0), _inverse(p) - _inverse(beta))


def _entries(n, d) -> int:
    return require_int("n", n, minimum=1) * require_int("d", d, minimum=1)


# --------------------------------------------------------------------------- P1


def cell_radius(G, n, d, *, alpha=INF) -> PowerProduct:
    """sup over a cell of ‖X − c‖_α = (nd)^{1/α}·δ/2 with δ = 1/G (the α-norm of a half cell diagonal)."""
    G = require_int("G", G, minimum=1)
    alpha = parse_exponent("alpha", alpha)
    N = _entries(n, d)
    return PowerProduct.of(Fraction(1, 2 * G)) * PowerProduct.of(N) ** _inverse(alpha)


def partition_bound(L, G, n, d, *, m=1, alpha=INF, beta=INF, p=INF, per_entry=False) -> PowerProduct:
    """The P1 bound on d_p(f, f̄) (p = ∞: sup_D ‖f − f̄‖_∞·…), exact.

    d_p(f, f̄) ≤ m^{max(0,1/p−1/β)}·L·(nd)^{1/α}·δ/2; with ``per_entry`` the bound on d̄_p = m^{−1/p}d_p.
    For p = β it is the pointwise bound sup ‖f − f̄‖_β ≤ L(nd)^{1/α}δ/2 itself.
    """
    L = require_positive_rational("L", L)
    m = require_int("m", m, minimum=1)
    beta, p = parse_exponent("beta", beta), parse_exponent("p", p)
    out = cell_radius(G, n, d, alpha=alpha) * L * PowerProduct.of(m) ** norm_conversion_exponent(beta, p)
    if per_entry:
        out = out * PowerProduct.of(m) ** (-_inverse(p))
    return out


def grid_size(eps, L, n, d, *, m=1, alpha=INF, beta=INF, p=INF, per_entry=False) -> int:
    """The coarsest grid G with partition_bound(L, G, …) ≤ eps: G = ⌈K/ε⌉ (K = bound·G), decided exactly.

    β = ∞, unnormalised: ⌈m^{1/p}·L·(nd)^{1/α}/(2ε)⌉ (docs/theory.md P1); per entry: ⌈L(nd)^{1/α}/(2ε)⌉.
    """
    eps = require_positive_rational("eps", eps)
    K = partition_bound(L, 1, n, d, m=m, alpha=alpha, beta=beta, p=p, per_entry=per_entry)
    return (K / eps).ceil()


# --------------------------------------------------------------------------- P4 / P5


def bad_set_sup_bound(L, n, d, *, m=1, alpha=INF, p=INF) -> PowerProduct:
    """M = m^{1/p}·L·(nd)^{1/α}: a bound on ‖f − g‖_p wherever g's entries lie in the hull of f's values.

    Each output entry of an L-Lipschitz (α → any β) f varies by at most L·diam_α([0,1]^{nd}) = L(nd)^{1/α},
    since |y_j| ≤ ‖y‖_β; an entry of g between two values of f_j is within that of f_j(X).
    """
    L = require_positive_rational("L", L)
    m = require_int("m", m, minimum=1)
    alpha, p = parse_exponent("alpha", alpha), parse_exponent("p", p)
    return L * PowerProduct.of(_entries(n, d)) ** _inverse(alpha) * PowerProduct.of(m) ** _inverse(p)


def _finite_p(p) -> Fraction:
    p = parse_exponent("p", p)
    if p == INF:
        raise VarcheckError("p must be finite (1 ≤ p < ∞) for the bad-set budget: μ(B)^{1/∞} = 1 for every η > 0, "
                            "so no ramp width makes the bad-set term small in d_∞.")
    return p


def eta_from_budget(eps2, M, n, d, G, *, p=1) -> Fraction:
    """The ramp width η: the largest rational η ≤ (ε₂/M)^p/(nd(G−1)) (exact when p is an integer), capped at δ/2.

    The cap keeps the ramps [gδ − η, gδ] disjoint and half of every cell good; any η ≤ δ would keep the
    slabs disjoint (so μ(B) = 1 − (1 − (G−1)η)^{nd} ≤ nd(G−1)η), the budget is met for every η ≤ η*.
    """
    eps2 = require_positive_rational("eps2", eps2)
    M = M if isinstance(M, PowerProduct) else PowerProduct.of(require_positive_rational("M", M))
    G = require_int("G", G, minimum=2)
    p = _finite_p(p)
    N = _entries(n, d)
    eta_star = (PowerProduct.of(eps2) / M) ** p / (N * (G - 1))
    return min(rational_lower_bound(eta_star), Fraction(1, 2 * G))


def bad_set_term(M, eta, n, d, G, *, p=1) -> PowerProduct:
    """M·(nd(G−1)η)^{1/p}: the P4 term with the union bound μ(B) ≤ nd(G−1)η."""
    M = M if isinstance(M, PowerProduct) else PowerProduct.of(require_positive_rational("M", M))
    eta = require_positive_rational("eta", eta)
    G = require_int("G", G, minimum=2)
    p = _finite_p(p)
    return M * PowerProduct.of(_entries(n, d) * (G - 1) * eta) ** (1 / Fraction(p))


def quantizer_lipschitz(G, eta) -> Fraction:
    """Lip(Q_η) = δ/η (one ramp of height δ over width η; disjoint ramps for η ≤ δ); 0 when G = 1."""
    G = require_int("G", G, minimum=1)
    eta = require_positive_rational("eta", eta)
    if eta > Fraction(1, G):
        raise VarcheckError(f"eta must satisfy 0 < eta ≤ δ = 1/{G} (disjoint ramps), got {eta}.")
    return Fraction(0) if G == 1 else Fraction(1, G) / eta


def blowup_lipschitz(eps1, eps2, L, n, d, *, m=1, alpha=INF, p=1) -> dict:
    """P1 grid for ε₁, P4 ramp width for ε₂, and the resulting Lip(Q_η) = δ/η, all exact."""
    G = max(2, grid_size(eps1, L, n, d, m=m, alpha=alpha, p=p))
    M = bad_set_sup_bound(L, n, d, m=m, alpha=alpha, p=p)
    eta = eta_from_budget(eps2, M, n, d, G, p=p)
    return {"G": G, "M": M, "eta": eta, "lipschitz": quantizer_lipschitz(G, eta)}


# --------------------------------------------------------------------------- symbolic forms


def symbols() -> dict:
    """The positive symbols of the derivations."""
    names = "L delta n d m alpha p epsilon_1 epsilon_2 G M eta"
    return dict(zip(names.split(), sp.symbols(names, positive=True)))


def symbolic_partition_bound(per_entry: bool = False):
    """β = ∞: m^{1/p}·L·(nd)^{1/α}·δ/2 (per entry: without m^{1/p})."""
    s = symbols()
    radius = s["delta"] / 2 * (s["n"] * s["d"]) ** (1 / s["alpha"])
    return s["L"] * radius * (1 if per_entry else s["m"] ** (1 / s["p"]))


def symbolic_grid_threshold(per_entry: bool = False):
    """(K, G*) with bound(δ = 1/G) = K/G and G* = K/ε₁ the real threshold (G ≥ G* ⇔ bound ≤ ε₁)."""
    s = symbols()
    bound = symbolic_partition_bound(per_entry).subs(s["delta"], 1 / s["G"])
    K = sp.expand(bound * s["G"])
    return K, K / s["epsilon_1"]


def symbolic_eta():
    """η* = (ε₂/M)^p/(nd(G−1)), the solution of M·(nd(G−1)η)^{1/p} = ε₂."""
    s = symbols()
    return (s["epsilon_2"] / s["M"]) ** s["p"] / (s["n"] * s["d"] * (s["G"] - 1))


def symbolic_blowup():
    """δ/η* with δ = 1/G: nd(G−1)/G·(M/ε₂)^p."""
    s = symbols()
    return sp.expand(sp.powsimp((1 / s["G"]) / symbolic_eta(), force=True))
