import { test } from "node:test";
import assert from "node:assert/strict";
import { Clock, SPEEDS } from "../engine/clock.js";

const clock = (opts = {}) => new Clock({ frames: 10, fps: 2, ...opts });

test("starts paused on frame 0 with a finished tween", () => {
  const c = clock();
  assert.equal(c.frame, 0);
  assert.equal(c.playing, false);
  assert.equal(c.tween, 1);
  assert.equal(c.tick(1000), false, "a paused clock does not move");
  assert.equal(c.frame, 0);
});

test("plays at fps × speed frames per second", () => {
  const c = clock();
  c.play();
  c.tick(250);
  assert.equal(c.frame, 0);
  assert.equal(c.tick(250), true, "0.5 s at 2 fps crosses into frame 1");
  assert.equal(c.frame, 1);
  c.setSpeed(4);
  c.tick(125); // 0.125 s × 2 fps × 4 = 1 frame
  assert.equal(c.frame, 2);
});

test("sub-frame tween runs from 0 to 1 within the frame and is 1 once paused", () => {
  const c = clock({ tweenSpan: 0.5 });
  c.play();
  c.tick(250);
  c.tick(250); // exactly at frame 1
  assert.equal(c.frame, 1);
  assert.equal(c.tween, 0);
  c.tick(50); // 0.1 of a frame = 0.2 of the tween span
  assert.ok(c.tween > 0 && c.tween < 0.5, `tween ${c.tween}`);
  assert.ok(c.animating);
  c.tick(200); // 0.5 of a frame: the tween is done
  assert.equal(c.tween, 1);
  c.tick(100);
  c.pause();
  assert.equal(c.tween, 1);
  assert.equal(c.frame, 1);
  assert.equal(c.t, 1, "pausing snaps to the whole frame");
});

test("reduced motion jumps: the tween is always finished", () => {
  const c = clock({ reducedMotion: true });
  c.play();
  c.tick(250);
  c.tick(270);
  assert.equal(c.frame, 1);
  assert.equal(c.tween, 1);
  assert.equal(c.animating, false);
});

test("step pauses and clamps without wrapping", () => {
  const c = clock();
  c.play();
  c.step(1);
  assert.equal(c.playing, false);
  assert.equal(c.frame, 1);
  c.step(-5);
  assert.equal(c.frame, 0);
  c.seek(9);
  c.step(1);
  assert.equal(c.frame, 9);
});

test("seek rounds and clamps, keeps playing, and shows the finished frame", () => {
  const c = clock();
  c.seek(3.6);
  assert.equal(c.frame, 4);
  c.seek(-2);
  assert.equal(c.frame, 0);
  c.seek(99);
  assert.equal(c.frame, 9);
  c.seek("nonsense");
  assert.equal(c.frame, 0);
  c.play();
  c.seek(5);
  assert.equal(c.playing, true);
  assert.equal(c.tween, 1);
  c.restart();
  assert.equal(c.frame, 0);
});

test("speed snaps to 0.25×–4×", () => {
  const c = clock();
  assert.deepEqual(SPEEDS, [0.25, 0.5, 1, 2, 4]);
  assert.equal(c.setSpeed(0.1), 0.25);
  assert.equal(c.setSpeed(100), 4);
  assert.equal(c.setSpeed(1.8), 2);
  assert.equal(c.setSpeed(NaN), 2, "a bad value leaves the speed alone");
});

test("looping wraps to frame 0 after holding the last frame", () => {
  const c = clock({ loop: true, hold: 1 });
  c.seek(9);
  c.play();
  c.tick(200);
  c.tick(200);
  assert.equal(c.frame, 9);
  c.tick(100);
  assert.equal(c.frame, 9, "the last frame is held for one extra period");
  for (let i = 0; i < 6; i++) c.tick(100); // 1.1 s in all: last frame + 1 held period are over
  assert.equal(c.playing, true);
  assert.equal(c.frame, 0);
});

test("without looping it stops on the last frame; play restarts from 0", () => {
  const c = clock({ loop: false, hold: 0 });
  c.seek(8);
  c.play();
  for (let i = 0; i < 20; i++) c.tick(100);
  assert.equal(c.playing, false);
  assert.equal(c.ended, true);
  assert.equal(c.frame, 9);
  c.play();
  assert.equal(c.frame, 0);
  assert.equal(c.playing, true);
});

test("a long gap (hidden tab) advances at most maxDtMs", () => {
  const c = clock({ maxDtMs: 250 });
  c.play();
  c.tick(60_000);
  assert.equal(c.frame, 0);
  assert.ok(c.t <= 0.5 + 1e-9);
});

test("setFrames clamps the current frame; one frame never plays", () => {
  const c = clock();
  c.seek(9);
  c.setFrames(4);
  assert.equal(c.frame, 3);
  c.setFrames(1);
  c.play();
  assert.equal(c.playing, false);
  assert.equal(c.tick(1000), false);
});

test("toggle flips play and pause", () => {
  const c = clock();
  c.toggle();
  assert.equal(c.playing, true);
  c.toggle();
  assert.equal(c.playing, false);
});
