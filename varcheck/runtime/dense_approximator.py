"""A built dense approximator (THEORY.md §6): the VarTransformer, its plan, ledger and certificate, its evaluation
strategies, the Monte-Carlo check against the target, and the precision frontier per float format.

The builders (varcheck.runtime.approximator for word-to-image, varcheck.runtime.image_to_image for T1) return a
:class:`VarApproximator`; the networks themselves are emitted by varcheck.runtime.word_to_image and
varcheck.runtime.context_code.
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
from .context_code import context_code_network
from .var_transformer import DTYPES, VarTransformer
from .word_to_image import lookup_forward, word_attention_constants, word_to_image_network

__all__ = ["VarApproximator", "evaluate", "precision_frontier", "MONTE_CARLO_SAMPLES", "CHUNK_BYTES", "require_certified_and_sampled"]

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
    """The dtype frontier (which format still meets the certified ε); see :meth:`VarApproximator.frontier`.

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


def require_certified_and_sampled(approx, eps, target, monte_carlo: int, *, certify: bool = True):
    """Refuse a float64 build whose ledger exceeds ε (naming the binding term and the smallest ε that builds), then
    run ``monte_carlo`` samples of the built network against ``target`` (kept in ``approx.extra``); a sample above its
    certified sup bound is an internal error. ``certify=False``: a build with no ledger to meet (no positional codes)."""
    plan = approx.plan
    if certify and not plan.certified():
        smallest = _smallest_eps(approx, "float64")
        eta = f", η = {plan.eta}" if getattr(plan, "eta", None) is not None else ""
        raise VarcheckError(
            f"float64 cannot certify this instance: the ledger sums to {plan.ledger()['total']:.4g} > eps = {float(eps):.4g} "
            f"(binding term: {plan.binding_term()}; G = {plan.G}{eta}); the smallest ε that builds is "
            f"{'%.4g' % smallest if smallest else 'above 1'}."
        )
    if monte_carlo:
        mc = approx.monte_carlo(target, monte_carlo, seed=0)
        approx.extra["monte_carlo"] = mc
        if certify and not mc["within_sup_bounds"]:
            raise VarcheckError(f"internal: a Monte-Carlo sample exceeds its certified sup bound (ratio {mc['worst_ratio']:.4g}).")
    return approx
