"""The base class of every vizkit widget: a thin layer of synced traits over a trace.

A widget subclass names its bundle (``_bundle = "kvcache"`` loads
``static/kvcache.js``), lists the traits that feed its simulation in
``_sim_params`` and implements ``_simulate()``. When one of those traits
changes (from Python or from the browser), the simulation re-runs; a
``ValueError`` lands in the ``error`` trait, which the widget shows in its
console line, and the last good trace stays on screen. Nothing raises into the
comm.

The browser engine asks ``{"type": "ping"}`` on start-up; the reply
``{"type": "pong"}`` tells it a live kernel is there to re-run simulations.
Without a kernel (the static book) the controls that need Python are marked
as such.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets

from vizkit._validate import nonneg_int

__all__ = ["VizWidget", "STATIC_DIR", "bundle_path"]

STATIC_DIR = Path(__file__).resolve().parent / "static"


def bundle_path(name: str) -> Path:
    """Where the bundled ESM of visualization ``name`` lives inside the package."""
    return STATIC_DIR / f"{name}.js"


class VizWidget(anywidget.AnyWidget):
    """Base class: playback traits, error reporting, kernel ping and re-simulation."""

    _bundle: ClassVar[str] = ""                   # file stem in static/, set by subclasses
    _sim_params: ClassVar[tuple[str, ...]] = ()   # traits whose change re-runs the simulation
    _repr_params: ClassVar[tuple[str, ...]] = ()  # traits shown by repr(), in order

    error = traitlets.Unicode("").tag(sync=True)        # last bad-input message; "" when fine
    frame = traitlets.Int(0).tag(sync=True)             # current frame; the browser writes it back
    playing = traitlets.Bool(True).tag(sync=True)       # animating (or will autoplay when visible)
    description = traitlets.Unicode("").tag(sync=True)  # what the simulation leaves out

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if cls.__dict__.get("_bundle"):
            # Set before AnyWidget.__init_subclass__, which turns a Path into file contents.
            cls._esm = bundle_path(cls._bundle)
        super().__init_subclass__(**kwargs)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_custom_msg)
        if self._sim_params:
            self.observe(self._on_sim_param, names=list(self._sim_params))

    # -- simulation -------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        """Frames in the current trace."""
        raise NotImplementedError

    def _simulate(self) -> Any:
        """Run the simulation from the current traits; raise ValueError on bad input."""
        raise NotImplementedError

    def _apply(self, result: Any) -> None:
        """Publish a good simulation result to the synced traits."""
        raise NotImplementedError

    def _resimulate(self) -> bool:
        """Re-run the simulation; on ``ValueError`` set ``error`` and keep the last good trace."""
        try:
            result = self._simulate()
        except ValueError as exc:
            self.error = str(exc)
            return False
        with self.hold_sync():
            self._apply(result)
            self.frame = min(self.frame, max(self.n_frames - 1, 0))
            self.error = ""
        return True

    def _on_sim_param(self, change: dict) -> None:
        self._resimulate()

    # -- messages ---------------------------------------------------------------------------
    def _on_custom_msg(self, widget: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            self.send({"type": "pong"})

    # -- playback, for prose cells ----------------------------------------------------------
    def play(self) -> None:
        """Start the animation (every view of this widget follows)."""
        self.playing = True

    def pause(self) -> None:
        """Stop the animation on the current frame."""
        self.playing = False

    def seek(self, frame: int) -> None:
        """Show ``frame`` (0-based); raises ``ValueError`` outside ``[0, n_frames - 1]``."""
        self.frame = nonneg_int("frame", frame, maximum=self.n_frames - 1)

    # -- display ----------------------------------------------------------------------------
    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._repr_params)
        return f"{type(self).__name__}({args})"
