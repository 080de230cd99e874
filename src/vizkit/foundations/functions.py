r"""Function families (P0.2): value and slope of the curves every later chapter uses.

========== ========================================= =========================================
family     :math:`f(x)`                              slope :math:`f'(x)`
========== ========================================= =========================================
linear     :math:`w x + b`                           :math:`w`
polynomial :math:`\sum_k c_k x^k`                    :math:`\sum_k k\,c_k x^{k-1}`
exp        :math:`a\,e^{k x}`                        :math:`a k\,e^{k x}`
log        :math:`a \ln x` (defined for x > 0)       :math:`a / x`
sigmoid    :math:`\sigma(w x + b) = 1/(1+e^{-(wx+b)})` :math:`w\,\sigma(1-\sigma)`
relu       :math:`\max(0, w x + b)`                  :math:`w\,[w x + b > 0]`
========== ========================================= =========================================

Outside its domain (``log`` at :math:`x \le 0`) a family returns NaN and the
trace's ``defined`` mask is 0 there. ReLU's slope at its kink is taken as 0.

>>> y, dy = evaluate("sigmoid", [0.0])
>>> float(y[0]), float(dy[0])
(0.5, 0.25)
>>> t = curve_trace("linear", param="w", param_values=[0.5, 1.0, 2.0], n_points=5)
>>> t.value.shape
(3, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import one_of, positive_int
from vizkit.foundations._checks import array, vector
from vizkit.foundations._trace import Trace

__all__ = ["FAMILIES", "DEFAULT_PARAMS", "evaluate", "CurveTrace", "curve_trace"]

#: Parameters of each family and their defaults.
DEFAULT_PARAMS: dict[str, dict[str, object]] = {
    "linear": {"w": 1.0, "b": 0.0},
    "polynomial": {"coeffs": (0.0, 0.0, 1.0)},   # c_0 + c_1 x + c_2 x^2 + ...
    "exp": {"a": 1.0, "k": 1.0},
    "log": {"a": 1.0},
    "sigmoid": {"w": 1.0, "b": 0.0},
    "relu": {"w": 1.0, "b": 0.0},
}
FAMILIES = tuple(DEFAULT_PARAMS)


def _params(family: str, overrides: dict) -> dict:
    params = dict(DEFAULT_PARAMS[family])
    for key, value in overrides.items():
        if key not in params:
            raise ValueError(f"param must be one of {', '.join(params)} for family {family!r}; got {key!r}")
        if key == "coeffs":
            params[key] = tuple(vector("coeffs", value))
        else:
            params[key] = float(array(key, value, ndim=0))
    return params


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))                      # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def evaluate(family: str, x, **params) -> tuple[np.ndarray, np.ndarray]:
    """``(f(x), f'(x))`` of ``family`` at every point of ``x`` (see the module table).

    Raises ``ValueError`` for an unknown family or parameter.

    >>> evaluate("polynomial", [2.0], coeffs=(1.0, 0.0, 3.0))   # 1 + 3x^2 and 6x at x = 2
    (array([13.]), array([12.]))
    """
    family = one_of("family", family, FAMILIES)
    x = array("x", x)
    p = _params(family, params)
    if family == "linear":
        return p["w"] * x + p["b"], np.full_like(x, p["w"])
    if family == "polynomial":
        c = np.asarray(p["coeffs"])
        y = np.polynomial.polynomial.polyval(x, c)
        dy = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(c)) if c.size > 1 \
            else np.zeros_like(x)
        return y, dy
    if family == "exp":
        e = np.exp(np.clip(p["k"] * x, -700.0, 700.0))
        return p["a"] * e, p["a"] * p["k"] * e
    if family == "log":
        ok = x > 0
        safe = np.where(ok, x, 1.0)
        return np.where(ok, p["a"] * np.log(safe), np.nan), np.where(ok, p["a"] / safe, np.nan)
    z = p["w"] * x + p["b"]
    if family == "sigmoid":
        s = _sigmoid(z)
        return s, p["w"] * s * (1.0 - s)
    return np.maximum(z, 0.0), np.where(z > 0, p["w"], 0.0)   # relu


@dataclass(frozen=True)
class CurveTrace(Trace):
    """One frame per value of the swept parameter; ``x`` is shared by every frame."""

    STATIC = ("x",)
    x: np.ndarray            # (n_points,) sample points
    param_value: np.ndarray  # (F,) the swept parameter at each frame
    value: np.ndarray        # (F, n_points) f(x)
    slope: np.ndarray        # (F, n_points) f'(x)
    defined: np.ndarray      # (F, n_points) int32: 1 where f is defined (log needs x > 0)


def curve_trace(family: str, *, param: str | None = None, param_values=(1.0,), x_min: float = -4.0,
                x_max: float = 4.0, n_points: int = 161, **params) -> CurveTrace:
    """Sweep one parameter of ``family`` across frames so the curve morphs.

    ``param=None`` gives a single frame with ``params``. For ``polynomial`` the
    swept parameter is the leading coefficient.

    Raises ``ValueError`` if ``x_max <= x_min``, ``n_points < 2`` or a name is unknown.

    >>> t = curve_trace("relu", param="b", param_values=[-1.0, 0.0, 1.0], n_points=3, x_min=-1, x_max=1)
    >>> t.value.tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 2.0]]
    """
    family = one_of("family", family, FAMILIES)
    lo, hi = float(array("x_min", x_min, ndim=0)), float(array("x_max", x_max, ndim=0))
    if hi <= lo:
        raise ValueError(f"x_max must be > x_min ({lo}); got {hi}")
    n = positive_int("n_points", n_points, maximum=100_000)
    if n < 2:
        raise ValueError(f"n_points must be an integer >= 2; got {n}")
    x = np.linspace(lo, hi, n)
    sweep = vector("param_values", param_values) if param is not None else np.array([np.nan])
    if param is not None:
        allowed = [k for k in DEFAULT_PARAMS[family]]
        param = one_of("param", param, allowed)
    ys, dys = [], []
    for v in sweep:
        p = dict(params)
        if param == "coeffs":
            c = list(p.get("coeffs", DEFAULT_PARAMS["polynomial"]["coeffs"]))
            c[-1] = v
            p["coeffs"] = c
        elif param is not None:
            p[param] = v
        y, dy = evaluate(family, x, **p)
        ys.append(y)
        dys.append(dy)
    value = np.stack(ys)
    return CurveTrace(x=x, param_value=sweep, value=value, slope=np.stack(dys),
                      defined=np.isfinite(value).astype(np.int32))
