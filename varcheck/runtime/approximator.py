"""``build_var_approximator``: build, run and certify a VAR approximator (THEORY.md §6) as a dense VarTransformer.

* word-to-image (§6.2, T2): the dense float64 network of varcheck.exact.word_to_image, certified term by term;
  its 2^d-cell fast path (``strategy="lookup"``) is the same function evaluated sparsely.
* image-to-image (§6.1, T1): ``construction="average"`` — the uniform-attention construction of
  varcheck.exact.context_code, a dense float64 network certified in float64 (finding F10); ``"tight"`` and
  ``"paper"`` — the contextual mappings of A4, whose read-outs need hundreds to millions of bits: built over Q and
  run in ball arithmetic (varcheck.exact.image_to_image); their float64 network is refused with the bits it needs.

Every built network is checked by Monte-Carlo against the target in the same run (each sampled entry error
below the certified sup bound of its region, and the sampled d̄_p printed beside the certified one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import torch

from ..errors import VarcheckError, require_choice, require_int
from ..exact.cell_value_map import MarginError
from ..exact.dense_ledger import THRESHOLD_BITS, upper_float
from ..exact.floating_point import FORMATS, round_up
from ..exact.word_to_image import BUDGET_SHARES, MAX_DENSE_PARAMETERS, plan_word_to_image
from ..spec.pyramid import Pyramid
from .var_transformer import DTYPES, VarTransformer
from .word_to_image import lookup_forward, word_attention_constants, word_to_image_network

__all__ = ["VarApproximator", "build_var_approximator", "MAX_TABLE_ENTRIES", "MONTE_CARLO_SAMPLES", "evaluate"]

#: The table holds G^d·L·channels float64 values; beyond this many (≈ 2 GB) the build is refused.
MAX_TABLE_ENTRIES = 2**28
SETTINGS = ("image_to_image", "word_to_image")
#: Words (or input maps) drawn by the Monte-Carlo check of a build.
MONTE_CARLO_SAMPLES = 32
#: Activations held at once by a chunked dense evaluation (bytes).
CHUNK_BYTES = 2**28


def evaluate(network: VarTransformer, x: torch.Tensor) -> torch.Tensor:
    """The dense forward of ``network`` on a batch, in chunks whose activations fit CHUNK_BYTES."""
    cfg = network.config
    widest = max((cfg.d_model,) + cfg.ff1 + cfg.ff2 + ((cfg.length,) if cfg.attention_rank else ()))
    per_input = cfg.length * (cfg.d_model + widest) * torch.finfo(DTYPES[cfg.dtype]).bits // 8
    chunk = max(1, CHUNK_BYTES // max(per_input, 1))
    with torch.no_grad():
        return torch.cat([network(x[i:i + chunk]) for i in range(0, x.shape[0], chunk)]) if x.shape[0] else network(x)


@dataclass
class VarApproximator:
    """A built approximator: the dense network, its plan (every constant), its ledger and certificate."""

    network: VarTransformer
    plan: object  # WordToImagePlan (T2) or ContextCodePlan (T1)
    setting: str
    target_name: str
    attention: str
    table: torch.Tensor | None = None  # word-to-image: (cells, positions, channels), read by the fast path
    extra: dict = field(default_factory=dict)

    runtime = "float64"

    @property
    def module(self) -> VarTransformer:
        """The dense network (kept under its old name)."""
        return self.network

    def __call__(self, x: torch.Tensor, *, strategy: str = "dense") -> torch.Tensor:
        """Evaluate: ``"dense"`` runs the VarTransformer (chunked); ``"lookup"`` the word-to-image fast path."""
        require_choice("strategy", strategy, ("dense", "lookup"))
        if strategy == "lookup":
            if self.setting != "word_to_image":
                raise VarcheckError("strategy 'lookup' exists for word-to-image only; use 'dense'.")
            with torch.no_grad():
                return lookup_forward(self.network, self.plan, self.table, x)
        return evaluate(self.network, self.network.check_input(x))

    # ------------------------------------------------------------------ constants, ledger, certificate
    @property
    def constants(self) -> dict:
        plan = self.plan
        const = {"G": plan.G, "delta": str(plan.delta), "eta": str(plan.eta), "lipschitz": str(plan.lipschitz),
                 "table_max": str(plan.table_max), "M": float(round_up(plan.M)), "widths": plan.widths(),
                 "parameter_count": plan.parameter_count(), "threshold_bits": THRESHOLD_BITS[plan.fmt],
                 "shift_S": str(plan.value_map.shift), "gate_B": str(plan.value_map.gate), "attention_leak": 0.0,
                 "format": plan.fmt}
        if self.attention == "contextual":
            c = word_attention_constants(plan)
            const.update({"attention_c": str(c["c"]), "attention_M": c["M"]})
        return const

    @property
    def ledger(self) -> dict:
        return self.plan.ledger()

    def certificate(self) -> dict:
        """Certified bounds in ball arithmetic: per-entry d̄_p (``lp_bound``), unnormalised d_p, and the sups."""
        from flint import arb

        from ..exact.ball_attention import arb_of

        plan = self.plan
        lp = plan.total_ball()
        m = plan.L * plan.channels
        p = plan.p
        lp_un = lp * (arb(m) ** (1 / arb_of(Fraction(p))) if p != math.inf else arb(1))
        r = plan.rounding()
        cell_sup = arb_of(plan.lipschitz * (plan.delta / 2 + plan.tau))
        interior = cell_sup + arb_of(plan.table_error) + arb_of(r["interior"])
        return {"lp_bound": upper_float(lp), "lp_bound_unnormalised": upper_float(lp_un),
                "sup_interior_bound": upper_float(interior), "bad_set_sup_bound": upper_float(cell_sup + arb_of(plan.M)),
                "p": str(p), "eps": str(plan.eps), "certified": bool(lp.upper() <= arb_of(plan.eps)),
                "format": plan.fmt}

    # ------------------------------------------------------------------ Monte-Carlo and the network's size
    def in_bad_set(self, x: torch.Tensor) -> torch.Tensor:
        """(B,) whether each word lies in the (enlarged) bad set B of the ledger (exact comparisons)."""
        plan = self.plan
        lo = [Fraction(t) - plan.eta - plan.perturbation for t in plan.thresholds]
        hi = [Fraction(t) + plan.perturbation for t in plan.thresholds]
        flags = []
        for row in x.reshape(x.shape[0], -1).tolist():
            q = [Fraction(v) for v in row]
            flags.append(any(a <= v < b for v in q for a, b in zip(lo, hi)))
        return torch.tensor(flags)

    def monte_carlo(self, target, samples: int = MONTE_CARLO_SAMPLES, *, seed: int = 0, strategy: str = "dense",
                    network=None) -> dict:
        """Draw ``samples`` inputs uniformly, compare with the target: the sampled d̄_p, the worst entry error, and
        whether every sampled entry stays below the certified sup bound of its region (interior / bad set)."""
        samples = require_int("samples", samples, minimum=1, maximum=2**20)
        gen = torch.Generator().manual_seed(seed)
        x = torch.rand(samples, *self.input_shape, dtype=torch.float64, generator=gen)
        net = network or self.network
        with torch.no_grad():
            if network is not None:
                y = evaluate(net, x.to(DTYPES[net.config.dtype])).to(torch.float64)
            else:
                y = self(x, strategy=strategy)
            f = target(x.reshape(samples, *target.input_shape)).reshape(y.shape)
        err = (y - f).abs()
        p = self.plan.p
        per_sample = err.reshape(samples, -1).max(dim=1).values
        sampled = float(err.max()) if p == math.inf else float((err**float(p)).mean() ** (1 / float(p)))
        cert = self.certificate()
        bad = self.in_bad_set(x)
        bounds = torch.where(bad, torch.tensor(cert["bad_set_sup_bound"]), torch.tensor(cert["sup_interior_bound"]))
        return {"samples": samples, "seed": seed, "sampled_lp": sampled, "max_entry_error": float(err.max()),
                "within_sup_bounds": bool((per_sample <= bounds).all()), "bad_set_samples": int(bad.sum()),
                "worst_ratio": float((per_sample / bounds).max()), "lp_bound": cert["lp_bound"], "strategy": strategy}

    @property
    def input_shape(self) -> tuple:
        cfg = self.network.config
        return (cfg.sizes[0], cfg.d_in)

    def summary(self) -> dict:
        """The dense network's size, honestly: widths, depth, every parameter (and how many are non-zero)."""
        cfg = self.network.config
        nonzero = sum(int((p != 0).sum()) for p in self.network.parameters())
        return {"d_model": cfg.d_model, "depth": cfg.depth, "ff1": list(cfg.ff1), "ff2": list(cfg.ff2),
                "attention_rank": cfg.attention_rank, "parameters": cfg.parameter_count(), "nonzero_parameters": nonzero,
                "macs_per_token": cfg.macs_per_token(), "tokens": cfg.length}

    def frontier(self, target, samples: int = 64, *, seed: int = 0) -> list:
        """For float64/float32/bfloat16/float16: does the construction certify ε in that format (re-planned for it),
        what binds where it does not and the smallest ε it certifies, and the measured error of THIS network cast."""
        return precision_frontier(self, target, samples, seed=seed)


def precision_frontier(approx, target, samples: int, *, seed: int = 0) -> list:
    """The dtype frontier (issue: which format still meets the certified ε); see :meth:`VarApproximator.frontier`.

    Each row: whether the construction re-planned for the format (its thresholds, ramp width and weights exact
    there) certifies ε, and if not what binds and the smallest ε it certifies; the measured d̄_p of that re-planned
    network (built and run in the format) where its weights are representable; and the measured d̄_p of the
    built float64 network cast to the format (None where a weight overflows it).
    """
    rows = []
    for name, fmt in FORMATS.items():
        row = {"format": name, "unit_roundoff": f"2^-{fmt.mantissa}"}
        status = _certify_in_format(approx, name)
        new_plan = status.pop("plan", None)
        row.update(status)
        if not row["certified"]:
            row["smallest_eps"] = _smallest_eps(approx, name)
        row["measured_lp_replanned"] = None
        if new_plan is not None:
            net = _network_for(approx, new_plan)
            row["measured_lp_replanned"] = approx.monte_carlo(target, samples, seed=seed, network=net)["sampled_lp"]
        cast = _cast(approx.network, name)
        finite = all(bool(torch.isfinite(v).all()) for v in cast.state_dict().values() if v.is_floating_point())
        row["measured_lp_of_cast"] = approx.monte_carlo(target, samples, seed=seed, network=cast)["sampled_lp"] if finite else None
        if not finite:
            row["cast_note"] = f"a weight of the float64 network overflows {name} (largest finite {float(fmt.max_finite):.6g})"
        rows.append(row)
    return rows


def _network_for(approx, plan) -> VarTransformer:
    """The dense network of a (finalized) plan of ``approx``'s construction, in the plan's format."""
    if approx.setting == "word_to_image":
        return word_to_image_network(plan, approx.table)
    from .image_to_image import context_code_network

    return context_code_network(plan, approx.table)


def _cast(network: VarTransformer, fmt: str) -> VarTransformer:
    from dataclasses import replace

    cast = VarTransformer(replace(network.config, dtype=fmt))
    cast.load_state_dict({k: v.to(DTYPES[fmt]) for k, v in network.state_dict().items()})
    return cast


def _finalize_in_format(approx, fmt: str, eps=None):
    plan = approx.plan
    new = plan.replan(fmt=fmt, eps=eps)
    u = FORMATS[fmt].u
    new.finalize(plan.table_max, plan.table_error + (u * plan.table_max if fmt != "float64" else 0))
    new.check_representable()
    return new


def _certify_in_format(approx, fmt: str) -> dict:
    try:
        new = _finalize_in_format(approx, fmt)
        led = new.ledger()
    except (MarginError, VarcheckError) as exc:
        return {"certified": False, "binding": str(exc)}
    ok = new.certified()
    out = {"certified": ok, "lp_bound": led["total"], "G": new.G, "eta": str(new.eta), "plan": new}
    if not ok:
        out["binding"] = f"ledger {led['total']:.4g} > ε; binding term {new.binding_term()}"
    return out


def _smallest_eps(approx, fmt: str):
    """The smallest ε = ε₀·2^{j/4} (j ≥ 0, ε ≤ 1) the construction certifies in ``fmt`` (with this table's bound)."""
    eps0 = Fraction(approx.plan.eps)
    for j in range(1, 80):
        eps = eps0 * Fraction(2) ** Fraction(j, 4) if j % 4 == 0 else Fraction(float(eps0) * 2 ** (j / 4)).limit_denominator(10**9)
        if eps > 1:
            return None
        try:
            if _finalize_in_format(approx, fmt, eps).certified():
                return float(eps)
        except (MarginError, VarcheckError):
            continue
    return None


# ============================================================================ word-to-image


def _word_to_image(target, pyramid, eps, p, attention, positional, mask, interpolation, monte_carlo):
    d = target.input_shape[1]
    L, C = target.output_shape
    plan = plan_word_to_image(d=d, L=L, channels=C, lipschitz=target.lipschitz, eps=eps, p=p, scales=pyramid.scales,
                              interpolation=interpolation, positional=positional, attention=attention == "contextual",
                              mask=mask)
    cells = plan.G**d
    if cells * L * C > MAX_TABLE_ENTRIES:
        raise VarcheckError(
            f"the word-to-image construction needs a table of G^d·L·channels = {plan.G}^{d}·{L}·{C} = {cells * L * C} "
            f"entries, above {MAX_TABLE_ENTRIES}; raise eps or lower d (G = ⌈L_f·(d/(d+p))^(1/p)/(2·ε·{BUDGET_SHARES[0]})⌉)."
        )
    if plan.parameter_count() > MAX_DENSE_PARAMETERS:
        raise VarcheckError(f"the dense network would hold {plan.parameter_count()} parameters, above {MAX_DENSE_PARAMETERS}; "
                            f"raise eps (G = {plan.G}).")
    idx = torch.arange(cells)
    digits = torch.stack([(idx // plan.G**i) % plan.G for i in range(d)], dim=1)
    centres = ((2 * digits + 1).to(torch.float64) / (2 * plan.G)).reshape(cells, 1, d)  # (2g+1)/(2G) rounded once
    with torch.no_grad():
        table = target(centres)
        table_error = Fraction(float(target.rounding_bound(centres).max()))
    # the centres themselves are rounded: |c̃ − c| ≤ u·|c|, moving f by ≤ L_f·u
    table_error += Fraction(plan.lipschitz) * FORMATS["float64"].u
    if not positional:
        table = table.mean(dim=1, keepdim=True)  # the best position-independent column
    table_max = Fraction(float(table.abs().max()))
    plan.finalize(table_max, table_error)
    try:
        plan.check_representable()
        plan.rounding()
    except MarginError as exc:
        raise VarcheckError(f"float64 cannot resolve this construction: {exc}.") from None
    network = word_to_image_network(plan, table.contiguous())
    approx = VarApproximator(network, plan, "word_to_image", target.name, attention, table.contiguous())
    if positional and not plan.certified():
        smallest = _smallest_eps(approx, "float64")
        raise VarcheckError(
            f"float64 cannot certify this instance: the ledger sums to {plan.ledger()['total']:.4g} > eps = {float(eps):.4g} "
            f"(binding term: {plan.binding_term()}; G = {plan.G}, η = {plan.eta}); the smallest ε that builds is "
            f"{'%.4g' % smallest if smallest else 'above 1'}."
        )
    if monte_carlo:
        mc = approx.monte_carlo(target, monte_carlo, seed=0)
        approx.extra["monte_carlo"] = mc
        if positional and not mc["within_sup_bounds"]:
            raise VarcheckError(f"internal: a Monte-Carlo sample exceeds its certified sup bound (ratio {mc['worst_ratio']:.4g}).")
    return approx


# ============================================================================ the builder


def build_var_approximator(target, pyramid, eps, *, p=2, setting="image_to_image", mask="block_causal",
                           interpolation=None, attention="contextual", construction=None, positional=True, G=None,
                           monte_carlo: int = MONTE_CARLO_SAMPLES):
    """Build a VAR approximator of ``target`` on ``pyramid`` with per-entry error ε in d̄_p (THEORY.md §0).

    Returns a :class:`VarApproximator` with ``.network`` (a dense :class:`VarTransformer`), ``.plan``,
    ``.constants``, ``.ledger`` and ``.certificate()`` — or, for image-to-image with ``construction`` "tight" or
    "paper", the exact/ball-runtime network (whose float64 network is refused: see its ``.float64_requirement``).
    ``positional=False`` drops the positional codes E (finding F4: the result cannot be accurate). ``monte_carlo``:
    inputs drawn to check the build against the target (0: none).
    """
    from ..check.partition import check_lipschitz
    from .targets import Target

    require_choice("setting", setting, SETTINGS)
    require_choice("mask", mask, ("block_causal", None))
    require_choice("attention", attention, ("contextual", "identity"))
    if not isinstance(target, Target):
        raise VarcheckError(f"target must be a varcheck Target, got {type(target).__name__}.")
    if not isinstance(pyramid, Pyramid):
        raise VarcheckError(f"pyramid must be a varcheck.Pyramid, got {type(pyramid).__name__}.")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, Fraction)) or not eps > 0 or eps != eps or eps == math.inf:
        raise VarcheckError(f"eps must be a finite number > 0, got {eps!r}.")
    if p != math.inf and (isinstance(p, bool) or not isinstance(p, (int, float, Fraction)) or not p >= 1):
        raise VarcheckError(f"p must be a number ≥ 1 (or math.inf), got {p!r}.")
    monte_carlo = require_int("monte_carlo", monte_carlo, minimum=0, maximum=2**16)
    if setting == "image_to_image":
        from .image_to_image import build_image_to_image_approximator

        return build_image_to_image_approximator(target, pyramid, eps, p=p, mask=mask, construction=construction or "average",
                                                 G=G, interpolation=interpolation, monte_carlo=monte_carlo)
    require_choice("construction", construction, (None, "average"))
    require_choice("interpolation", interpolation, (None, "var", "nearest", "bicubic"))
    if len(target.input_shape) != 2 or target.input_shape[0] != 1:
        raise VarcheckError(f"a word-to-image target takes input shape (1, d), got {target.input_shape}.")
    if target.output_shape[0] != pyramid.length:
        raise VarcheckError(
            f"the target outputs {target.output_shape[0]} tokens but the pyramid has L = {pyramid.length}; they must match."
        )
    if pyramid.scales[0] != (1, 1):
        raise VarcheckError(f"word-to-image needs a pyramid starting at a 1×1 scale, got {pyramid.scales[0]}.")
    if G is not None:
        raise VarcheckError("G is chosen from eps for word-to-image; pass G only with setting='image_to_image'.")
    check_lipschitz(target, pairs=64, seed=0)
    return _word_to_image(target, pyramid, Fraction(eps), p, attention, positional, mask, interpolation or "var", monte_carlo)
