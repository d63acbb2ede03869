// Draws an emotion timeline on a canvas: each class's probability over time as steps
// over its segments (gaps where there is no speech), and below them a band with each
// segment's label. Segments: objects as `seraug analyze --format json` writes them.
"use strict";

const CLASS_COLOURS = ["#c53030", "#805ad5", "#d69e2e", "#2b6cb0", "#718096", "#38a169", "#dd6b20", "#319795"];

function classColour(classes, name) {
  return CLASS_COLOURS[classes.indexOf(name) % CLASS_COLOURS.length];
}

// Seconds as m:ss (or h:mm:ss) for the axis.
function clockText(seconds) {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const pad = (v) => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

// A tick step (seconds) that gives about eight ticks over `span`.
function tickStep(span) {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => span / s <= 8) || 7200;
}

function drawTimeline(canvas, classes, segments, endSeconds) {
  const g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height;
  const left = 44, right = 12, top = 12, band = 26, bottom = 26;
  const plotH = H - top - bottom - band - 8;
  g.clearRect(0, 0, W, H);
  g.font = "12px system-ui, sans-serif";
  const end = Math.max(endSeconds || 0, ...segments.map((s) => s.end), 1);
  const x = (t) => left + (t / end) * (W - left - right);
  const y = (p) => top + (1 - p) * plotH;
  // Axes and grid.
  g.strokeStyle = "#d5dbe1";
  g.fillStyle = "#5b6670";
  g.lineWidth = 1;
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    g.beginPath(); g.moveTo(left, y(p)); g.lineTo(W - right, y(p)); g.stroke();
    g.fillText(p.toFixed(2), 6, y(p) + 4);
  }
  const step = tickStep(end);
  for (let t = 0; t <= end + 1e-9; t += step) {
    g.beginPath(); g.moveTo(x(t), top); g.lineTo(x(t), H - bottom); g.stroke();
    const label = clockText(t);
    if (x(t) + g.measureText(label).width / 2 <= W) g.fillText(label, x(t) - g.measureText(label).width / 2, H - 8);
  }
  // Probability steps, one path per class, broken between segments that do not touch.
  for (const name of classes) {
    g.strokeStyle = classColour(classes, name);
    g.lineWidth = 2;
    g.beginPath();
    let lastEnd = -1;
    for (const s of segments) {
      const p = s.probabilities[name];
      if (s.start > lastEnd + 0.05) g.moveTo(x(s.start), y(p)); else g.lineTo(x(s.start), y(p));
      g.lineTo(x(s.end), y(p));
      lastEnd = s.end;
    }
    g.stroke();
  }
  // The label band.
  const bandTop = top + plotH + 6;
  for (const s of segments) {
    g.fillStyle = classColour(classes, s.label);
    g.fillRect(x(s.start), bandTop, Math.max(1, x(s.end) - x(s.start)), band);
    if (x(s.end) - x(s.start) > 60) {
      g.fillStyle = "#fff";
      g.fillText(s.label, x(s.start) + 4, bandTop + 17);
    }
  }
}
