"""Audit of a reported table of SEM fit indices: does each printed value follow from the rest.

From chi2, df and N (and, for the incremental indices, the baseline model's chi2 and df) the
indices chi2/df, RMSEA with its 90% interval, CFI, TLI, NFI, IFI, RFI and PNFI are recomputed;
GFI, AGFI and PGFI are checked against each other, which needs only df and the number of
observed variables. Everything printed is rounded, so the recomputation is an interval: each
function is evaluated over every corner of the box spanned by its inputs' rounding intervals
(all the formulas are monotone in each input), and a printed value is flagged only when its own
rounding interval does not meet that range. A flag therefore means "inconsistent beyond
rounding", never "differs in the last digit".

The audit works on any fit table (:class:`FitTable`); the thesis's tables are one use.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from scipy import optimize, stats

__all__ = [
    "FitTable",
    "Printed",
    "agfi_from_gfi",
    "audit",
    "baseline_chi2_from_ecvi",
    "baseline_chi2_from_nfi",
    "cfi",
    "df_implied_by_ratio",
    "ifi",
    "nfi",
    "pgfi_from_gfi",
    "pnfi",
    "rfi",
    "rmsea",
    "rmsea_ci",
    "tli",
]


@dataclass(frozen=True)
class Printed:
    """A printed number and its rounding half-width (0 for an exact count such as df or N)."""

    value: float
    half_width: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Printed:
        """Read ``'0.933'`` as 0.933 +/- 0.0005 and ``'390'`` as exact."""
        text = text.strip()
        decimals = len(text.partition(".")[2])
        return cls(float(text), 0.5 * 10.0**-decimals if decimals else 0.0)

    @classmethod
    def of(cls, item: str | Printed) -> Printed:
        """``item`` itself if already :class:`Printed`, else parsed from its printed text."""
        return item if isinstance(item, Printed) else cls.parse(item)

    @property
    def low(self) -> float:
        """Lower end of the rounding interval."""
        return self.value - self.half_width

    @property
    def high(self) -> float:
        """Upper end of the rounding interval."""
        return self.value + self.half_width


@dataclass(frozen=True)
class FitTable:
    """A reported fit table.

    Parameters
    ----------
    chi2, df, n : str or Printed
        The model's chi-square, degrees of freedom and sample size as printed (a
        :class:`Printed` where a value is derived, with its own uncertainty).
    baseline_chi2, baseline_df : str, Printed or None
        The baseline (independence) model; ``None`` when not reported.
    n_observed : int or None
        Number of observed variables (needed for GFI/AGFI/PGFI).
    reported : mapping of str to str
        Printed indices by name: ``chi2_df``, ``rmsea``, ``rmsea_ci_low``, ``rmsea_ci_high``,
        ``cfi``, ``tli``, ``nfi``, ``ifi``, ``rfi``, ``pnfi``, ``gfi``, ``agfi``, ``pgfi``,
        ``ncp`` (chi2 - df) and ``ecvi`` ((chi2 + 2q) / (N - 1), q free parameters).
    rmsea_n_minus_one : bool
        RMSEA's sample-size term: N - 1 (AMOS, EQS) or N (lavaan's default).
    """

    chi2: str | Printed
    df: str | Printed
    n: str | Printed
    baseline_chi2: str | Printed | None = None
    baseline_df: str | Printed | None = None
    n_observed: int | None = None
    reported: Mapping[str, str] = field(default_factory=dict)
    rmsea_n_minus_one: bool = True


# --- the formulas (plain floats) --------------------------------------------------------------


def rmsea(chi2: float, df: float, n_eff: float) -> float:
    """RMSEA = sqrt(max(chi2 - df, 0) / (df * n_eff)); ``n_eff`` is N - 1 or N."""
    return math.sqrt(max(chi2 - df, 0.0) / (df * n_eff))


def _ncp_bound(chi2: float, df: float, prob: float) -> float:
    """The noncentrality lambda with P(X <= chi2 | df, lambda) = prob (0 if none is positive)."""
    if stats.chi2.cdf(chi2, df) < prob:
        return 0.0

    def gap(lam: float) -> float:
        return float(stats.ncx2.cdf(chi2, df, lam)) - prob

    upper = max(10.0, 2.0 * chi2)
    while gap(upper) > 0:
        upper *= 2.0
    return float(optimize.brentq(gap, 1e-9, upper, xtol=1e-10))


def rmsea_ci(chi2: float, df: float, n_eff: float, level: float = 0.90) -> tuple[float, float]:
    """Confidence interval of RMSEA by inverting the noncentral chi-square (Browne-Cudeck)."""
    tail = (1.0 - level) / 2.0
    lam_low = _ncp_bound(chi2, df, 1.0 - tail)
    lam_high = _ncp_bound(chi2, df, tail)
    return math.sqrt(lam_low / (df * n_eff)), math.sqrt(lam_high / (df * n_eff))


def cfi(chi2: float, df: float, b_chi2: float, b_df: float) -> float:
    """Comparative fit index."""
    denom = max(chi2 - df, b_chi2 - b_df, 0.0)
    return 1.0 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0


def tli(chi2: float, df: float, b_chi2: float, b_df: float) -> float:
    """Tucker-Lewis index (NNFI)."""
    return (b_chi2 / b_df - chi2 / df) / (b_chi2 / b_df - 1.0)


def nfi(chi2: float, b_chi2: float) -> float:
    """Bentler-Bonett normed fit index."""
    return 1.0 - chi2 / b_chi2


def ifi(chi2: float, df: float, b_chi2: float) -> float:
    """Bollen's incremental fit index."""
    return (b_chi2 - chi2) / (b_chi2 - df)


def rfi(chi2: float, df: float, b_chi2: float, b_df: float) -> float:
    """Bollen's relative fit index."""
    return 1.0 - (chi2 / df) / (b_chi2 / b_df)


def pnfi(chi2: float, df: float, b_chi2: float, b_df: float) -> float:
    """Parsimony-adjusted NFI = NFI * df / baseline df."""
    return nfi(chi2, b_chi2) * df / b_df


def _moments(n_observed: int) -> float:
    return n_observed * (n_observed + 1) / 2.0


def agfi_from_gfi(gfi: float, df: float, n_observed: int) -> float:
    """AGFI = 1 - (p(p+1)/2 / df)(1 - GFI)."""
    return 1.0 - _moments(n_observed) / df * (1.0 - gfi)


def pgfi_from_gfi(gfi: float, df: float, n_observed: int) -> float:
    """PGFI = GFI * df / (p(p+1)/2)."""
    return gfi * df / _moments(n_observed)


def df_implied_by_ratio(chi2: float, ratio: float) -> float:
    """The df a printed chi2/df ratio would need (chi2 / ratio)."""
    return chi2 / ratio


def baseline_chi2_from_ecvi(ecvi: str, n: int, n_observed: int) -> Printed:
    """Independence-model chi2 from its printed ECVI (AMOS: (chi2 + 2p) / (N - 1), p variances).

    The result carries the ECVI's rounding, scaled by N - 1.
    """
    printed = Printed.parse(ecvi)
    return Printed(printed.value * (n - 1) - 2.0 * n_observed, printed.half_width * (n - 1))


def baseline_chi2_from_nfi(chi2: str, nfi_printed: str) -> Printed:
    """Baseline chi2 implied by a printed NFI (chi2 / (1 - NFI)), with its rounding range."""
    c, f = Printed.parse(chi2), Printed.parse(nfi_printed)
    low, high = c.low / (1.0 - f.low), c.high / (1.0 - f.high)
    return Printed((low + high) / 2.0, (high - low) / 2.0)


# --- interval evaluation ----------------------------------------------------------------------


def _range(func: Callable[..., float], args: list[Printed]) -> tuple[float, float, float]:
    """Centre value and min/max of ``func`` over the corners of the inputs' rounding box."""
    centre = func(*[a.value for a in args])
    corners = [func(*c) for c in itertools.product(*[(a.low, a.high) for a in args])]
    everything = [*corners, centre]
    return centre, min(everything), max(everything)


@dataclass(frozen=True)
class _Check:
    index: str
    basis: str
    func: Callable[..., float]
    inputs: tuple[str, ...]


def _checks(table: FitTable) -> list[_Check]:
    n_eff = "n_eff"
    out = [
        _Check("chi2_df", "chi2 / df", lambda c, d: c / d, ("chi2", "df")),
        _Check("ncp", "chi2 - df", lambda c, d: c - d, ("chi2", "df")),
        _Check("rmsea", "chi2, df, N", rmsea, ("chi2", "df", n_eff)),
        _Check("rmsea_ci_low", "chi2, df, N", lambda c, d, n: rmsea_ci(c, d, n)[0], ("chi2", "df", n_eff)),
        _Check("rmsea_ci_high", "chi2, df, N", lambda c, d, n: rmsea_ci(c, d, n)[1], ("chi2", "df", n_eff)),
    ]
    if table.baseline_chi2 is not None and table.baseline_df is not None:
        base = ("chi2", "df", "b_chi2", "b_df")
        out += [
            _Check("cfi", "chi2, df, baseline", cfi, base),
            _Check("tli", "chi2, df, baseline", tli, base),
            _Check("nfi", "chi2, baseline", nfi, ("chi2", "b_chi2")),
            _Check("ifi", "chi2, df, baseline", ifi, ("chi2", "df", "b_chi2")),
            _Check("rfi", "chi2, df, baseline", rfi, base),
            _Check("pnfi", "chi2, df, baseline", pnfi, base),
        ]
    if table.n_observed is not None:
        p = table.n_observed

        def gfi_from_agfi(a: float, d: float) -> float:
            return 1.0 - (1.0 - a) * d / _moments(p)

        out += [
            _Check(
                "ecvi",
                "chi2, df, N, p",
                lambda c, d, n: (c + 2.0 * (_moments(p) - d)) / (n - 1.0),
                ("chi2", "df", "n"),
            ),
            _Check("agfi", "printed GFI, df, p", lambda g, d: agfi_from_gfi(g, d, p), ("gfi", "df")),
            _Check("pgfi", "printed GFI, df, p", lambda g, d: pgfi_from_gfi(g, d, p), ("gfi", "df")),
            _Check(
                "pgfi",
                "printed AGFI, df, p",
                lambda a, d: pgfi_from_gfi(gfi_from_agfi(a, d), d, p),
                ("agfi", "df"),
            ),
        ]
    return out


def audit(table: FitTable) -> pd.DataFrame:
    """Recompute every index the table allows and flag printed values inconsistent beyond rounding.

    Returns
    -------
    pandas.DataFrame
        One row per check: ``index``, ``basis`` (what it is recomputed from), ``printed``,
        ``recomputed`` (from the printed inputs), ``low`` and ``high`` (its range over the
        inputs' rounding), and ``consistent``. Indices the table does not print are skipped.
    """
    values: dict[str, Printed] = {
        "chi2": Printed.of(table.chi2),
        "df": Printed.of(table.df),
    }
    n = Printed.of(table.n)
    values["n"] = n
    values["n_eff"] = Printed(n.value - (1.0 if table.rmsea_n_minus_one else 0.0))
    if table.baseline_chi2 is not None and table.baseline_df is not None:
        values["b_chi2"] = Printed.of(table.baseline_chi2)
        values["b_df"] = Printed.of(table.baseline_df)
    for name, text in table.reported.items():
        values[name] = Printed.parse(text)
    rows = []
    for check in _checks(table):
        if check.index not in table.reported or not all(k in values for k in check.inputs):
            continue
        printed = values[check.index]
        centre, low, high = _range(check.func, [values[k] for k in check.inputs])
        eps = 1e-9
        consistent = printed.high + eps >= low and printed.low - eps <= high
        rows.append(
            {
                "index": check.index,
                "basis": check.basis,
                "printed": printed.value,
                "recomputed": centre,
                "low": low,
                "high": high,
                "consistent": bool(consistent),
            }
        )
    return pd.DataFrame(
        rows, columns=["index", "basis", "printed", "recomputed", "low", "high", "consistent"]
    )
