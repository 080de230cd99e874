r"""P0.1 widget: reading :math:`\sum_i w_i x_i`, :math:`\lVert x\rVert_2`, :math:`w^\top x` and :math:`\partial`.

Each frame is one step of :func:`vizkit.foundations.notation.notation_tour`: the
subscript :math:`i` walks along the vectors, the term :math:`w_i x_i` is added to a
running total, then the squares :math:`x_i^2` build the norm, the transpose turns
the column :math:`w` into a row, and the partial derivatives
:math:`\partial (w^\top x)/\partial w_k` are measured one weight at a time.

Every *preset* (a named pair of operands) is simulated up front and shipped as
one *scenario*, so the static book switches between them with no kernel. The
traits ``x`` and ``w`` define one more scenario, ``"custom"`` ("your operands"),
and re-run the simulation in Python. The trait ``symbol`` is the highlighted
symbol; hovering a symbol in the browser, or choosing it in the *Symbol* menu,
sets it.

>>> n = NotationWidget()
>>> n
NotationWidget(scenario='mixed', x=(3.0, 1.0, 4.0, 1.0, 5.0), w=(0.5, -1.0, 0.25, 2.0, 0.1))
>>> [s["key"] for s in n.scenarios]
['mixed', 'mean', 'pick', 'custom']
>>> n.w = (1.0, 2.0)                 # bad input: reported, not raised
>>> n.error
'w must have length 5; got shape (2,)'
"""

from __future__ import annotations

from typing import Any

import traitlets

from vizkit._validate import one_of
from vizkit.foundations.notation import TOUR_STAGES, NotationTour, notation_tour

from .base import VizWidget

__all__ = ["NotationWidget", "PRESETS", "SYMBOLS", "MAX_ENTRIES", "LEAVES_OUT", "notation_scenario"]

#: Longest vectors the widget draws (one column per entry).
MAX_ENTRIES = 8

#: key -> (label, x, w): operand pairs simulated up front.
PRESETS = {
    "mixed": ("Mixed-sign weights", (3.0, 1.0, 4.0, 1.0, 5.0), (0.5, -1.0, 0.25, 2.0, 0.1)),
    "mean": ("Equal weights 1/n: the mean", (3.0, 1.0, 4.0, 1.0, 5.0), (0.2, 0.2, 0.2, 0.2, 0.2)),
    "pick": ("One-hot weights: pick x₃", (3.0, 1.0, 4.0, 1.0, 5.0), (0.0, 0.0, 1.0, 0.0, 0.0)),
}

#: The symbols a reader can hover or pick, in menu order ("" = follow the animation).
SYMBOLS = ("", "sum", "index", "weight", "value", "norm", "transpose", "partial")

LEAVES_OUT = (
    "Short vectors of at most eight entries with exact arithmetic; the partial derivatives are "
    "measured by central differences on a function that is linear in w, so they are exact up to "
    "rounding. Real models apply the same symbols to vectors of thousands of entries and to "
    "matrices (Part 0, chapter 4)."
)


def _operands(name: str, value: Any) -> tuple[float, ...]:
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numbers; got {value!r}") from None
    if not 1 <= len(out) <= MAX_ENTRIES:
        raise ValueError(f"{name} must have 1 to {MAX_ENTRIES} entries; got {len(out)}")
    return out


def notation_scenario(key: str, label: str, trace: NotationTour) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as binary buffers."""
    return {
        "key": key,
        "label": label,
        "n": int(trace.x.shape[0]),
        "n_frames": int(trace.n_frames),
        "dot": float(trace.dot),
        "l2": float(trace.l2),
        "stages": list(TOUR_STAGES),
        **trace.to_buffers(),
    }


class NotationWidget(VizWidget):
    """The notation tour: Σ as a loop, the norm, the transpose and the partial derivative.

    Parameters
    ----------
    x, w : the operands of "your operands" (equal lengths, 1 to ``MAX_ENTRIES`` entries).
    scenario : the scenario shown first: a key of ``PRESETS`` or ``"custom"``.
    symbol : the symbol highlighted first (one of ``SYMBOLS``; "" follows the animation).
    """

    _bundle = "notation"
    _sim_params = ("x", "w")
    _repr_params = ("scenario", "x", "w")

    x = traitlets.Tuple().tag(sync=True)                  # operand x of the custom scenario
    w = traitlets.Tuple().tag(sync=True)                  # operand w of the custom scenario
    scenario = traitlets.Unicode("mixed").tag(sync=True)  # shown scenario (JS switches it)
    scenarios = traitlets.List().tag(sync=True)           # one dict per scenario, arrays as bytes
    symbol = traitlets.Unicode("").tag(sync=True)         # highlighted symbol ("" = the animation's)

    def __init__(self, x=PRESETS["mixed"][1], w=PRESETS["mixed"][2], scenario="mixed", symbol="",
                 **kwargs: Any) -> None:
        super().__init__(x=_operands("x", x), w=_operands("w", w), scenario=scenario,
                         symbol=one_of("symbol", symbol, SYMBOLS), description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self._last_symbol = self.symbol
        self.observe(self._on_scenario, names=["scenario"])
        self.observe(self._on_symbol, names=["symbol"])

    # -- simulation -------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        out = [notation_scenario(key, label, notation_tour(x, w)) for key, (label, x, w) in PRESETS.items()]
        x = _operands("x", self.x)
        w = _operands("w", self.w)
        out.append(notation_scenario("custom", "Your operands", notation_tour(x, w)))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        self._n_frames = self._scenario_dict()["n_frames"]

    def _scenario_dict(self) -> dict[str, Any]:
        return next((s for s in self.scenarios if s["key"] == self.scenario), self.scenarios[0])

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate():
            self.scenario = "custom"          # show the operands the reader just typed
            self._n_frames = self._scenario_dict()["n_frames"]
            self.frame = min(self.frame, self._n_frames - 1)

    # -- the shown scenario and symbol --------------------------------------------------------
    def _keys(self) -> list[str]:
        return [s["key"] for s in self.scenarios]

    def _on_scenario(self, change: dict) -> None:
        try:
            one_of("scenario", change["new"], self._keys())
        except ValueError as exc:
            self.scenario = self._last_scenario   # keep showing the last good scenario
            self.error = str(exc)
            return
        self._last_scenario = change["new"]
        self._n_frames = self._scenario_dict()["n_frames"]
        self.frame = min(self.frame, self._n_frames - 1)
        if self.error.startswith("scenario "):
            self.error = ""

    def _on_symbol(self, change: dict) -> None:
        try:
            one_of("symbol", change["new"], SYMBOLS)
        except ValueError as exc:
            self.symbol = self._last_symbol
            self.error = str(exc)
            return
        self._last_symbol = change["new"]
        if self.error.startswith("symbol "):
            self.error = ""

    def trace(self, key: str | None = None) -> NotationTour:
        """The :class:`~vizkit.foundations.notation.NotationTour` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            return notation_tour(self.x, self.w)
        _, x, w = PRESETS[key]
        return notation_tour(x, w)
