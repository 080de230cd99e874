// Animation clock: frames 0..n-1 with fractional time for sub-frame tweening.
// DOM-free: the engine feeds it elapsed milliseconds from requestAnimationFrame.
//
// Time `t` is measured in frames. `frame` = floor(t); the fractional part is
// how far the current frame's transition has run. While playing, t advances
// by fps × speed frames per second. Paused, stepped or seeked frames show
// their finished state (tween = 1); so does everything under reduced motion.

export const SPEEDS = [0.25, 0.5, 1, 2, 4];

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const easeInOut = (u) => (u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2);

export class Clock {
  constructor({ frames = 1, fps = 2, loop = true, tweenSpan = 0.75, hold = 1, maxDtMs = 250,
    reducedMotion = false } = {}) {
    this.frames = Math.max(1, Math.floor(frames));
    this.fps = fps;            // frames per second at 1×
    this.loop = loop;          // wrap to 0 at the end, or stop there
    this.tweenSpan = tweenSpan; // share of a frame's period its transition takes
    this.hold = hold;          // extra periods the last frame stays before wrapping or stopping
    this.maxDtMs = maxDtMs;    // a long gap (hidden tab) advances at most this much
    this.reducedMotion = reducedMotion;
    this.speed = 1;
    this.playing = false;
    this.ended = false;
    this.t = 0;
    this.fresh = false;        // true while the current frame was entered by playing
  }

  get last() { return this.frames - 1; }
  get frame() { return Math.min(Math.floor(this.t), this.last); }

  /** Eased progress of the current frame's transition, 0..1 (1 = finished). */
  get tween() {
    if (!this.playing || !this.fresh || this.reducedMotion) return 1;
    const u = (this.t - Math.floor(this.t)) / this.tweenSpan;
    return Math.floor(this.t) > this.last ? 1 : easeInOut(clamp(u, 0, 1));
  }

  /** True while a transition is still running (the view needs redrawing). */
  get animating() { return this.tween < 1; }

  play() {
    if (this.frames < 2) return;
    if (this.ended || (!this.loop && this.frame >= this.last)) this._jump(0);
    this.playing = true;
    this.ended = false;
  }

  pause() {
    this.playing = false;
    this._jump(this.frame);
  }

  toggle() { if (this.playing) this.pause(); else this.play(); }

  /** Step by `delta` frames (no wrapping); stepping pauses. */
  step(delta) {
    this.playing = false;
    this._jump(clamp(this.frame + Math.trunc(delta), 0, this.last));
  }

  /** Jump to frame `f` (clamped); keeps playing if it was. */
  seek(f) {
    const target = clamp(Math.round(Number(f) || 0), 0, this.last);
    this._jump(target);
    this.ended = false;
  }

  restart() { this.seek(0); }

  /** Set the speed multiplier; snaps to the nearest of SPEEDS (0.25×–4×). */
  setSpeed(s) {
    const x = Number(s);
    if (!Number.isFinite(x)) return this.speed;
    this.speed = SPEEDS.reduce((best, v) => (Math.abs(v - x) < Math.abs(best - x) ? v : best), 1);
    return this.speed;
  }

  setFrames(n) {
    this.frames = Math.max(1, Math.floor(Number(n) || 1));
    if (this.t > this.last) this._jump(this.last);
    if (this.frames < 2) this.playing = false;
  }

  /**
   * Advance by `dtMs` milliseconds of wall time. Returns true when the integer
   * frame changed.
   */
  tick(dtMs) {
    if (!this.playing || this.frames < 2) return false;
    const before = this.frame;
    const dt = clamp(Number(dtMs) || 0, 0, this.maxDtMs);
    this.t += (dt / 1000) * this.fps * this.speed;
    if (Math.floor(this.t) !== before) this.fresh = true;
    const end = this.last + 1 + this.hold;
    if (this.t >= end) {
      if (this.loop) {
        this.t = (this.t - end) % this.frames;
        this.fresh = true;
      } else {
        this.t = this.last;
        this.playing = false;
        this.ended = true;
      }
    }
    return this.frame !== before;
  }

  _jump(f) {
    this.t = f;
    this.fresh = false;
  }
}
