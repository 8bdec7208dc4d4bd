// @ts-check
// The timeline page's script: plain browser JavaScript, type-checked by tsc with JSDoc types
// (src/cli/timeline-page.tsconfig.json: the DOM library, for this file only, so that DOM
// types do not leak into the rest of src). renderTimeline() in timeline.ts inlines it into
// the page as it is written; this file is never imported.
//
// It reads the model embedded in the page (#timeline-data, see TimelineModel in
// timeline.ts), indexes it by time, draws only what is in view on a <canvas>, and hit-tests
// the mouse for tooltips. Layout, top to bottom: the time axis, the tester/network lane, then
// one lane per peer, each with a role band, the RPC anchor line, a marker row (commit, apply,
// snapshot) and a row of log ticks.
/**
 * The embedded model: TimelineModel in timeline.ts, which is the authority on its shape.
 * @typedef {{ test: string, seed: string, peers: number, failure: string, lanes: number, start: number, end: number }} Meta
 * @typedef {{ v: 1, meta: Meta, topics: string[], t: number[], p: number[], k: number[], m: string[],
 *   bands: number[], rpcs: number[], shades: number[], marks: number[], violations: number[] }} Model
 * A leg of an RPC arrow: x0, y0, x1, y1, kind (0 request, 1 reply, 2 failed, 3 pending).
 * @typedef {[number, number, number, number, number]} Leg
 * What the mouse is over.
 * @typedef {{ type: "mark" | "violation" | "rpc" | "shade" | "band", i: number, leg?: number }} Hit
 * @typedef {{ colour: string, width: number, dash: number[] | null, alpha: number, lines: Leg[], curves: Leg[], heads: Leg[], crosses: number[] }} Stroke
 */

(function () {
  "use strict";
  /**
   * An element the page itself puts there (renderTimeline writes them all).
   * @template {HTMLElement} E
   * @param {string} id
   * @param {new () => E} type
   * @returns {E}
   */
  function byId(id, type) {
    var el = document.getElementById(id);
    if (!(el instanceof type)) throw new Error("timeline page: no #" + id);
    return el;
  }
  /** @param {HTMLCanvasElement} c */
  function context2d(c) {
    var g = c.getContext("2d");
    if (g === null) throw new Error("timeline page: no 2d canvas context");
    return g;
  }
  /** @type {Model} */
  var D = JSON.parse(byId("timeline-data", HTMLScriptElement).textContent || "null");
  var T = D.t, P = D.p, K = D.k, M = D.m, TOPICS = D.topics, META = D.meta;
  var NL = META.lanes;
  /** @type {Record<string, number>} */
  var TOPIC = {};
  TOPICS.forEach(function (name, i) { TOPIC[name] = i; });

  // ---- layout --------------------------------------------------------------------------
  var AXIS_H = 26, TESTER_H = 54, LANE_H = 74, GUTTER = 86, RIGHT = 12;
  var BAND_Y = 5, BAND_H = 17, ANCHOR_Y = 36, COMMIT_Y = 50, APPLY_Y = 59, LOG_Y0 = 65, LOG_Y1 = 71;
  var HEIGHT = AXIS_H + TESTER_H + (NL - 1) * LANE_H + 6;
  /** @param {number} l */
  function laneTop(l) { return l === 0 ? AXIS_H : AXIS_H + TESTER_H + (l - 1) * LANE_H; }
  /** @param {number} l */
  function laneH(l) { return l === 0 ? TESTER_H : LANE_H; }
  /** @param {number} l */
  function anchorY(l) { return l === 0 ? AXIS_H + TESTER_H / 2 : laneTop(l) + ANCHOR_Y; }
  /** @param {number} y */
  function laneAt(y) {
    if (y < AXIS_H) return -1;
    if (y < AXIS_H + TESTER_H) return 0;
    var l = 1 + Math.floor((y - AXIS_H - TESTER_H) / LANE_H);
    return l < NL ? l : -1;
  }
  /** @type {string[]} */
  var laneNames = [];
  for (var l = 0; l < NL; l++) laneNames.push(l === 0 ? "tester" : "peer " + (l - 1));

  // ---- derived arrays, built once ------------------------------------------------------
  var NB = D.bands.length / 5, NR = D.rpcs.length / 8, NS = D.shades.length / 4, NM = D.marks.length / 3;
  // RPCs: times of each leg, the span used by the time index.
  var rFrom = new Int16Array(NR), rTo = new Int16Array(NR), rTopic = new Int16Array(NR), rStatus = new Int8Array(NR);
  var rSend = new Int32Array(NR), rDeliver = new Int32Array(NR), rEnd = new Int32Array(NR), rId = new Float64Array(NR);
  var rT0 = new Float64Array(NR), rT1 = new Float64Array(NR);
  for (var i = 0; i < NR; i++) {
    var o = i * 8;
    rFrom[i] = D.rpcs[o]; rTo[i] = D.rpcs[o + 1]; rTopic[i] = D.rpcs[o + 2];
    rSend[i] = D.rpcs[o + 3]; rDeliver[i] = D.rpcs[o + 4]; rEnd[i] = D.rpcs[o + 5];
    rStatus[i] = D.rpcs[o + 6]; rId[i] = D.rpcs[o + 7];
    rT0[i] = T[rSend[i]];
    rT1[i] = rEnd[i] >= 0 ? T[rEnd[i]] : rDeliver[i] >= 0 ? T[rDeliver[i]] : META.end;
  }
  var mEv = new Int32Array(NM), mKind = new Int8Array(NM), mVal = new Float64Array(NM), mT = new Float64Array(NM), mLane = new Int16Array(NM);
  for (var j = 0; j < NM; j++) {
    mEv[j] = D.marks[j * 3]; mKind[j] = D.marks[j * 3 + 1]; mVal[j] = D.marks[j * 3 + 2];
    mT[j] = T[mEv[j]]; mLane[j] = P[mEv[j]] + 1;
  }
  // Mark in timeline.ts.
  var MK = { other: 0, commit: 1, apply: 2, snapshot: 3, applySnapshot: 4, check: 5, log: 6, violation: 7, restart: 8 };
  // Bands per lane, in time order.
  /** @type {number[][]} */
  var bandsByLane = [];
  for (var l2 = 0; l2 < NL; l2++) bandsByLane.push([]);
  for (var b = 0; b < NB; b++) bandsByLane[D.bands[b * 5]].push(b);

  // A time index over [t0, t1] spans: fixed-width buckets hold the items that overlap them;
  // items spanning too many buckets go to a short list that is always scanned.
  /**
   * @param {number} n
   * @param {Float64Array} t0s
   * @param {Float64Array} t1s
   * @param {number} lo
   * @param {number} hi
   */
  function timeIndex(n, t0s, t1s, lo, hi) {
    var nb = Math.max(1, Math.min(8192, Math.ceil(n / 8)));
    var width = Math.max((hi - lo) / nb, 1e-6), MAXSPAN = 32;
    var counts = new Int32Array(nb + 1);
    /** @type {number[]} */
    var longItems = [];
    /** @param {number} t */
    function bucket(t) { var x = Math.floor((t - lo) / width); return x < 0 ? 0 : x >= nb ? nb - 1 : x; }
    for (var i = 0; i < n; i++) {
      var a = bucket(t0s[i]), z = bucket(t1s[i]);
      if (z - a > MAXSPAN) continue;
      for (var q = a; q <= z; q++) counts[q + 1]++;
    }
    for (var q2 = 0; q2 < nb; q2++) counts[q2 + 1] += counts[q2];
    var fill = counts.slice(0, nb), items = new Int32Array(counts[nb]);
    for (var i2 = 0; i2 < n; i2++) {
      var a2 = bucket(t0s[i2]), z2 = bucket(t1s[i2]);
      if (z2 - a2 > MAXSPAN) { longItems.push(i2); continue; }
      for (var q3 = a2; q3 <= z2; q3++) items[fill[q3]++] = i2;
    }
    var seen = new Uint32Array(n), stamp = 0;
    return {
      /**
       * Calls fn(i) once for every item that may overlap [from, to] (callers check exactly).
       * @param {number} from
       * @param {number} to
       * @param {(i: number) => void} fn
       */
      query: function (from, to, fn) {
      stamp++;
      var a = bucket(from), z = bucket(to);
      for (var q = a; q <= z; q++) {
        for (var k = counts[q], e = counts[q + 1]; k < e; k++) {
          var it = items[k];
          if (seen[it] !== stamp) { seen[it] = stamp; fn(it); }
        }
      }
      for (var k2 = 0; k2 < longItems.length; k2++) {
        var it2 = longItems[k2];
        if (t1s[it2] >= from && t0s[it2] <= to) fn(it2);
      }
      },
    };
  }
  var rpcIndex = timeIndex(NR, rT0, rT1, META.start, META.end);

  /**
   * First index in a sorted array with value >= x.
   * @param {ArrayLike<number>} arr
   * @param {number} x
   */
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---- colours -------------------------------------------------------------------------
  // Terms: golden-angle hues (consecutive terms far apart on the wheel) and three lightness
  // levels by term % 3. Hue alone comes back within 33° every 5 terms (T1 and T6 were both
  // pink); with the lightness cycle, no two terms within 20 of each other share a colour.
  /** @param {number} term */
  function termHue(term) { return (200 + term * 137.508) % 360; }
  /** Lightness of a leader band, and whether white text reads on it. @param {number} term */
  function termShade(term) {
    var h = termHue(term), l = [40, 30, 50][((term % 3) + 3) % 3];
    return { h: h, l: l, ink: luminance(h, 62, l) > 0.3 ? "#1d2330" : "#fff" };
  }
  /**
   * Relative luminance of an HSL colour (0 black .. 1 white).
   * @param {number} h @param {number} s @param {number} l
   */
  function luminance(h, s, l) {
    s /= 100; l /= 100;
    /** @param {number} n */
    function ch(n) {
      var k = (n + h / 30) % 12, c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * ch(0) + 0.7152 * ch(8) + 0.0722 * ch(4);
  }
  /** @type {Record<number, string>} */
  var RPC_COLOUR = {};
  RPC_COLOUR[TOPIC.vote] = "#8e44ad";
  RPC_COLOUR[TOPIC.append] = "#2e7dd1";
  RPC_COLOUR[TOPIC.snapshot] = "#e07b00";
  /** @param {number} topic */
  function rpcColour(topic) { return RPC_COLOUR[topic] || "#667085"; }
  var RED = "#d92d20";

  // ---- view state ----------------------------------------------------------------------
  var plot = byId("plot", HTMLCanvasElement), overlay = byId("overlay", HTMLCanvasElement);
  var ctx = context2d(plot), octx = context2d(overlay);
  var tooltip = byId("tooltip", HTMLElement), view = byId("view", HTMLElement);
  var rangeLabel = byId("range", HTMLElement);
  var W = 800, DPR = 1;
  var v = { t0: META.start, scale: 1 };
  /** @type {Record<string, boolean>} */
  var filters = { vote: true, append: true, snapshot: true, replies: true, log: true };
  /** @type {Hit | null} */
  var hover = null;
  var drawPending = false;
  /**
   * What the last frame drew, for tests: counts, and every text label with its box (kind,
   * text, x0, x1, y), so that a test can check that labels neither overlap nor run off the plot.
   * @type {{ frames: number, arrows: number, marks: number, bands: number, labels: Array<[string, string, number, number, number]> }}
   */
  var stats = { frames: 0, arrows: 0, marks: 0, bands: 0, labels: [] };

  function plotW() { return Math.max(50, W - GUTTER - RIGHT); }
  /** @param {number} t */
  function x(t) { return GUTTER + (t - v.t0) * v.scale; }
  /** @param {number} px */
  function tAt(px) { return v.t0 + (px - GUTTER) / v.scale; }
  function viewEnd() { return tAt(GUTTER + plotW()); }
  function span() { return Math.max(META.end - META.start, 1); }
  function clampView() {
    var minScale = plotW() / (span() * 4), maxScale = 400;
    if (v.scale < minScale) v.scale = minScale;
    if (v.scale > maxScale) v.scale = maxScale;
    var w = plotW() / v.scale, pad = span() * 0.5;
    if (v.t0 < META.start - pad - w / 2) v.t0 = META.start - pad - w / 2;
    if (v.t0 > META.end + pad - w / 2) v.t0 = META.end + pad - w / 2;
  }
  /** @param {number} t0 @param {number} t1 */
  function zoomTo(t0, t1) {
    if (!(t1 > t0)) { t1 = t0 + 1; }
    v.scale = plotW() / (t1 - t0);
    v.t0 = t0;
    clampView();
    requestDraw();
  }
  function fit() {
    var pad = span() * 0.015;
    zoomTo(META.start - pad, META.end + pad);
  }
  /** @param {number} px @param {number} factor */
  function zoomAt(px, factor) {
    var t = tAt(px);
    v.scale *= factor;
    clampView();
    v.t0 = t - (px - GUTTER) / v.scale;
    clampView();
    requestDraw();
  }
  /** @param {number} dpx */
  function pan(dpx) { v.t0 -= dpx / v.scale; clampView(); requestDraw(); }

  function resize() {
    DPR = window.devicePixelRatio || 1;
    W = Math.max(320, view.clientWidth);
    var keep = hasSized ? [v.t0, viewEnd()] : null;
    [plot, overlay].forEach(function (c) {
      c.width = Math.round(W * DPR); c.height = Math.round(HEIGHT * DPR);
      c.style.width = W + "px"; c.style.height = HEIGHT + "px";
    });
    if (keep) zoomTo(keep[0], keep[1]); else fit();
    hasSized = true;
    placeLaneLabels();
  }
  var hasSized = false;

  function placeLaneLabels() {
    var box = byId("lane-labels", HTMLElement);
    box.textContent = "";
    for (var l = 0; l < NL; l++) {
      var div = document.createElement("div");
      div.className = "lane-label";
      div.setAttribute("data-lane", String(l));
      div.style.top = (l === 0 ? laneTop(0) + 8 : laneTop(l) + ANCHOR_Y - 9) + "px";
      div.textContent = laneNames[l];
      var small = document.createElement("small");
      small.textContent = l === 0 ? "& network" : "";
      if (l === 0) div.appendChild(small);
      box.appendChild(div);
    }
  }

  function requestDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(function () { drawPending = false; draw(); drawOverlay(); updateRange(); });
  }

  // ---- time formatting -----------------------------------------------------------------
  /** @param {number} minMs */
  function niceStep(minMs) {
    var p = Math.pow(10, Math.floor(Math.log10(minMs)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= minMs) return steps[i] * p;
    return 10 * p;
  }
  /** @param {number} t @param {number} step */
  function fmtTick(t, step) {
    if (step >= 1000) return trimZeros((t / 1000).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9)))) + " s";
    if (Math.abs(t) < 1000) return trimZeros(t.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)))) + " ms";
    return trimZeros((t / 1000).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9)))) + " s";
  }
  /** @param {string} s */
  function trimZeros(s) { return s.indexOf(".") >= 0 ? s.replace(/0+$/, "").replace(/\.$/, "") : s; }
  /** @param {number} t */
  function fmtT(t) { return (Math.round(t * 1000) / 1000) + " ms"; }
  /** @param {number} d */
  function fmtDur(d) { return d >= 1000 ? trimZeros((d / 1000).toFixed(3)) + " s" : (Math.round(d * 1000) / 1000) + " ms"; }
  function updateRange() {
    rangeLabel.textContent = "view " + fmtDur(Math.max(0, v.t0)) + " – " + fmtDur(Math.max(0, viewEnd())) + "  (" + fmtDur(viewEnd() - v.t0) + " wide)";
  }

  // ---- patterns ------------------------------------------------------------------------
  /** @param {string} colour @param {string} bg */
  function hatch(colour, bg) {
    var c = document.createElement("canvas"); c.width = 8; c.height = 8;
    var g = context2d(c);
    g.fillStyle = bg; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = colour; g.lineWidth = 2;
    g.beginPath(); g.moveTo(-2, 10); g.lineTo(10, -2); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    return ctx.createPattern(c, "repeat") || colour;
  }
  /** @type {CanvasPattern | string} */
  var DISC_PATTERN = "";
  /** @type {CanvasPattern | string} */
  var CRASH_PATTERN = "";

  // ---- drawing -------------------------------------------------------------------------
  /** @param {number} i */
  function rpcVisible(i) {
    var tp = rTopic[i];
    if (tp === TOPIC.vote) return filters.vote;
    if (tp === TOPIC.append) return filters.append;
    return filters.snapshot;
  }
  // The geometry of an RPC: up to two legs, each [x0, y0, x1, y1, kind] where kind is
  // 0 request, 1 reply, 2 failed (ends halfway with an ×), 3 pending. A request that never
  // arrived is a short stub a third of the way towards its target: an unreachable peer makes
  // the caller wait up to 7 s, and lines that long would hide everything else (the tooltip
  // gives the time of the failure).
  /** @param {number} x0 @param {number} t1 */
  function stubX(x0, t1) { return Math.min(x(t1), x0 + 16); }
  /** @param {number} i */
  function legs(i) {
    /** @type {Leg[]} */
    var out = [];
    var a = rFrom[i], bl = rTo[i], ya = anchorY(a), yb = anchorY(bl), ymid = clearOfBands((ya + yb) / 2);
    var ts = T[rSend[i]], st = rStatus[i];
    if (rDeliver[i] >= 0) {
      var td = T[rDeliver[i]];
      out.push([x(ts), ya, x(td), yb, 0]);
      if (st === 0) { if (filters.replies) out.push([x(td), yb, x(T[rEnd[i]]), ya, 1]); }
      else if (st === 1) out.push([x(td), yb, x(T[rEnd[i]]), ymid, 2]);
    } else {
      // A stub goes a little way down, or along the anchor line when its target is above: an ×
      // further up would sit on the lane's own band or its labels.
      var xs = x(ts), ystub = ya + Math.max(0, Math.min(10, (yb - ya) / 3));
      if (st === 1) out.push([xs, ya, stubX(xs, T[rEnd[i]]), ystub, 2]);
      else out.push([xs, ya, xs + 16, ystub, 3]);
    }
    return out;
  }

  /**
   * A y moved out of any lane's band row and the row of crashed/disconnected labels under it,
   * to just below the anchor line: where an × or a failed leg may end without covering a label.
   * @param {number} y
   */
  function clearOfBands(y) {
    var l = laneAt(y);
    if (l <= 0) return y;
    var top = laneTop(l) + BAND_Y - 5, bottom = laneTop(l) + ANCHOR_Y + 4;
    return y >= top && y <= bottom ? bottom : y;
  }

  /**
   * Where a crash that covers the start of [s0, s1] on a lane ends, in px (-1e9 if none does).
   * @param {number} lane @param {number} s0 @param {number} s1
   */
  function crashEndAt(lane, s0, s1) {
    for (var c = 0; c < NS; c++) {
      var co = c * 4;
      if (D.shades[co] === lane && D.shades[co + 3] === 1 && D.shades[co + 1] <= s0 + 1e-9 && D.shades[co + 2] > s0) return x(Math.min(D.shades[co + 2], s1));
    }
    return -1e9;
  }

  function draw() {
    stats.frames++;
    stats.labels = [];
    if (DISC_PATTERN === "") { DISC_PATTERN = hatch("rgba(247,144,9,0.42)", "rgba(247,144,9,0.07)"); CRASH_PATTERN = hatch("rgba(52,64,84,0.5)", "rgba(52,64,84,0.12)"); }
    ctx.setTransform(DPR, 0, 0, DPR, 0, 0);
    ctx.clearRect(0, 0, W, HEIGHT);
    var t0 = v.t0, t1 = viewEnd(), pw = plotW();

    // Lane backgrounds and separators.
    for (var l = 0; l < NL; l++) {
      ctx.fillStyle = l === 0 ? "#fafbfc" : (l % 2 ? "#ffffff" : "#fbfcfe");
      ctx.fillRect(0, laneTop(l), W, laneH(l));
      ctx.fillStyle = "#eaecf0";
      ctx.fillRect(0, laneTop(l) + laneH(l) - 1, W, 1);
    }
    ctx.fillStyle = "#eaecf0"; ctx.fillRect(GUTTER - 1, AXIS_H, 1, HEIGHT - AXIS_H);

    ctx.save();
    ctx.beginPath(); ctx.rect(GUTTER, 0, pw, HEIGHT); ctx.clip();

    // Grid lines and axis ticks.
    var step = niceStep(90 / v.scale);
    ctx.fillStyle = "#f0f1f4";
    for (var gt = Math.ceil(t0 / step) * step; gt <= t1; gt += step) ctx.fillRect(Math.round(x(gt)), AXIS_H, 1, HEIGHT - AXIS_H);
    // Anchor lines.
    ctx.fillStyle = "#e4e7ec";
    for (var la = 1; la < NL; la++) ctx.fillRect(GUTTER, anchorY(la), pw, 1);

    // Shaded periods: disconnected, then crashed on top. Their labels share one row per lane,
    // just below the band, on a white pill, left to right without overlapping: a crash
    // disconnects the peer too, so where both start together only "crashed" is written, and
    // "disconnected" only where the peer is disconnected but alive.
    /** @type {Array<[string, number, number, number]>} */
    var shadeLabels = [];
    for (var pass = 0; pass < 2; pass++) {
      for (var s = 0; s < NS; s++) {
        var so = s * 4;
        if (D.shades[so + 3] !== pass) continue;
        var s0 = D.shades[so + 1], s1 = D.shades[so + 2];
        if (s1 < t0 || s0 > t1) continue;
        var sl = D.shades[so], sx0 = Math.max(x(s0), GUTTER - 2), sx1 = Math.min(x(s1), W);
        ctx.fillStyle = pass === 0 ? DISC_PATTERN : CRASH_PATTERN;
        ctx.fillRect(sx0, laneTop(sl) + 1, Math.max(1, sx1 - sx0), laneH(sl) - 2);
        // Where a disconnected period is covered by a crash, its label goes after the crash.
        var lx0 = Math.max(sx0, GUTTER), lx1 = Math.min(sx1, GUTTER + pw);
        if (pass === 0) lx0 = Math.max(lx0, crashEndAt(sl, s0, s1));
        shadeLabels.push([pass === 0 ? "disconnected" : "crashed", sl, lx0, lx1]);
      }
    }
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    shadeLabels.sort(function (a, b) { return a[1] - b[1] || a[2] - b[2]; });
    var lastEnd = -1e9, lastLane = -1;
    shadeLabels.forEach(function (lb) {
      var text = lb[0], w = ctx.measureText(text).width, lx = lb[2] + 5;
      if (lb[1] !== lastLane) { lastLane = lb[1]; lastEnd = -1e9; }
      if (lx < lastEnd + 6) lx = lastEnd + 6;
      if (lx + w + 4 > lb[3]) return; // no room left in its own period
      var ly = laneTop(lb[1]) + BAND_Y + BAND_H + 7;
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      roundRect(lx - 3, ly - 7, w + 6, 14, 3); ctx.fill();
      ctx.fillStyle = text === "crashed" ? "#1d2939" : "#b54708";
      ctx.fillText(text, lx, ly);
      lastEnd = lx + w;
      stats.labels.push(["shade", text, lx - 3, lx + w + 3, ly]);
    });

    // Role bands (their labels are drawn after the arrows, to stay readable).
    stats.bands = 0;
    /** @type {Array<[string, number, number, string, string]>} */
    var bandLabels = [];
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (var lb = 1; lb < NL; lb++) {
      var list = bandsByLane[lb], y = laneTop(lb) + BAND_Y;
      for (var q = 0; q < list.length; q++) {
        var bo = list[q] * 5, b0 = D.bands[bo + 1], b1 = D.bands[bo + 2];
        if (b1 < t0 || b0 > t1) continue;
        stats.bands++;
        var term = D.bands[bo + 3], role = D.bands[bo + 4], sh = termShade(term), h = sh.h;
        var bx0 = x(b0), bx1 = x(b1), bw = Math.max(1, bx1 - bx0);
        var fill = role === 2 ? "hsl(" + h + ",62%," + sh.l + "%)" : role === 1 ? "hsla(" + h + ",62%," + (sh.l + 10) + "%,0.45)" : "hsla(" + h + ",55%," + (sh.l + 15) + "%,0.22)";
        ctx.fillStyle = fill;
        ctx.fillRect(bx0, y, bw, BAND_H);
        if (role === 1 && bw > 3) { ctx.strokeStyle = "hsl(" + h + ",62%,40%)"; ctx.setLineDash([3, 2]); ctx.lineWidth = 1; ctx.strokeRect(bx0 + 0.5, y + 0.5, bw - 1, BAND_H - 1); ctx.setLineDash([]); }
        if (role !== 2 && bw > 2) { ctx.fillStyle = "hsla(" + h + ",55%,40%,0.55)"; ctx.fillRect(bx0, y, 1, BAND_H); }
        // The label goes in the band's visible part (a band running past either edge keeps
        // its whole label on screen), shortened to "T3" when the full one does not fit.
        var vx0 = Math.max(bx0, GUTTER), vx1 = Math.min(bx1, GUTTER + pw), vw = vx1 - vx0;
        var label = role === 2 ? "T" + term + " leader" : role === 1 ? "T" + term + " candidate" : "T" + term;
        var tw = ctx.measureText(label).width;
        if (vw < tw + 8) { label = "T" + term; tw = ctx.measureText(label).width; }
        if (vw >= tw + 8) {
          var lx = vx0 + 4;
          if (lx + tw > vx1 - 3) lx = vx1 - 3 - tw;
          bandLabels.push([label, lx, y + BAND_H / 2 + 0.5, role === 2 ? sh.ink : "hsl(" + h + ",50%,26%)", role === 2 ? fill : "rgba(255,255,255,0.7)"]);
        }
      }
    }

    drawArrows(t0, t1);
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    // On a patch of the band's own colour, so that arrows and × marks do not run through them.
    bandLabels.forEach(function (b) {
      var w = ctx.measureText(b[0]).width;
      stats.labels.push(["band", b[0], b[1] - 2, b[1] + w + 2, b[2]]);
      ctx.fillStyle = b[4]; ctx.fillRect(b[1] - 2, b[2] - 6.5, w + 4, 13);
      ctx.fillStyle = b[3]; ctx.fillText(b[0], b[1], b[2]);
    });
    drawMarks(t0, t1);
    drawViolations(t0, t1);
    ctx.restore();
    drawAxis(t0, t1, step);
  }

  /** @param {number} t0 @param {number} t1 */
  function drawArrows(t0, t1) {
    // Gather segments per style, then stroke each style once.
    /** @type {Record<string, Stroke>} */
    var styles = {};
    /** @param {string} key @param {string} colour @param {number} width @param {number[] | null} dash @param {number} alpha */
    function seg(key, colour, width, dash, alpha) {
      var st = styles[key];
      if (!st) st = styles[key] = { colour: colour, width: width, dash: dash, alpha: alpha, lines: [], curves: [], heads: [], crosses: [] };
      return st;
    }
    var count = 0, lastX0 = new Float64Array(NL * NL * 8).fill(-1e9), lastX1 = new Float64Array(NL * NL * 8);
    /** @type {number[]} */
    var visible = [];
    rpcIndex.query(t0, t1, function (i) { if (rT1[i] >= t0 && rT0[i] <= t1 && rpcVisible(i)) visible.push(i); });
    // Level of detail by density (arrows per pixel of width): sparse views get everything;
    // dense ones fade the requests and drop replies, arrowheads and crosses.
    var density = visible.length / plotW(), dense = density > 0.6;
    var fade = dense ? Math.max(0.07, Math.min(0.6, 0.35 / density)) : 0.85;
    var heads = density < 3;
    for (var n = 0; n < visible.length; n++) {
      var i = visible[n], L = legs(i);
      // Level of detail: skip a request leg that would land on the same pixels as the last one
      // drawn for the same lanes and topic.
      var dedupe = (rFrom[i] * NL + rTo[i]) * 8 + (rStatus[i] === 1 ? 4 : 0) + (rTopic[i] === TOPIC.vote ? 1 : rTopic[i] === TOPIC.append ? 2 : 3);
      var px0 = Math.round(L[0][0]), px1 = Math.round(L[0][2]);
      if (lastX0[dedupe] === px0 && lastX1[dedupe] === px1) continue;
      lastX0[dedupe] = px0; lastX1[dedupe] = px1;
      count++;
      var colour = rpcColour(rTopic[i]);
      for (var g = 0; g < L.length; g++) {
        var lg = L[g], kind = lg[4], st;
        if (dense && kind === 1) continue;
        if (kind === 0) st = seg("q" + rTopic[i], colour, dense ? 1 : 1.3, null, fade);
        else if (kind === 1) st = seg("r" + rTopic[i], colour, 1, null, 0.4);
        else if (kind === 2) st = seg("fail", RED, 1.2, dense ? null : [4, 3], dense ? Math.min(1, fade * 2) : 0.85);
        else st = seg("pending", "#98a2b3", 1, [2, 3], 0.8);
        if (kind === 1) st.curves.push(lg); else st.lines.push(lg);
        if (kind === 2 && !dense) st.crosses.push(lg[2], lg[3]);
        else if (heads && (kind === 0 || kind === 1) && Math.abs(lg[3] - lg[1]) + Math.abs(lg[2] - lg[0]) > 14) st.heads.push(lg);
      }
    }
    stats.arrows = count;
    Object.keys(styles).forEach(function (key) {
      var st = styles[key];
      ctx.globalAlpha = st.alpha;
      ctx.strokeStyle = st.colour; ctx.fillStyle = st.colour; ctx.lineWidth = st.width;
      ctx.setLineDash(st.dash || []);
      ctx.beginPath();
      for (var a = 0; a < st.lines.length; a++) { var s = st.lines[a]; ctx.moveTo(s[0], s[1]); ctx.lineTo(s[2], s[3]); }
      for (var c = 0; c < st.curves.length; c++) { var cv = st.curves[c], cp = curveControl(cv); ctx.moveTo(cv[0], cv[1]); ctx.quadraticCurveTo(cp[0], cp[1], cv[2], cv[3]); }
      ctx.stroke();
      ctx.setLineDash([]);
      if (st.heads.length) {
        ctx.beginPath();
        for (var hI = 0; hI < st.heads.length; hI++) arrowHead(st.heads[hI]);
        ctx.fill();
      }
      if (st.crosses.length) {
        ctx.globalAlpha = 1; ctx.lineWidth = 1.8; ctx.beginPath();
        for (var cI = 0; cI < st.crosses.length; cI += 2) { var cx = st.crosses[cI], cy = st.crosses[cI + 1]; ctx.moveTo(cx - 3.5, cy - 3.5); ctx.lineTo(cx + 3.5, cy + 3.5); ctx.moveTo(cx + 3.5, cy - 3.5); ctx.lineTo(cx - 3.5, cy + 3.5); }
        ctx.stroke();
      }
    });
    ctx.globalAlpha = 1;
  }
  // Replies bow to the right so that a reply at the same instant as its request stays visible.
  /** @param {Leg} s */
  function curveControl(s) {
    var mx = (s[0] + s[2]) / 2, my = (s[1] + s[3]) / 2, dx = s[2] - s[0], dy = s[3] - s[1];
    var len = Math.sqrt(dx * dx + dy * dy) || 1, bow = Math.min(14, 4 + len * 0.12);
    var nx = -dy / len, ny = dx / len;
    if (nx < 0) { nx = -nx; ny = -ny; }
    return [mx + nx * bow, my + ny * bow];
  }
  /** @param {Leg} s */
  function arrowHead(s) {
    var ex = s[2], ey = s[3], sx = s[0], sy = s[1];
    if (s[4] === 1) { var cp = curveControl(s); sx = cp[0]; sy = cp[1]; }
    var dx = ex - sx, dy = ey - sy, len = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / len, uy = dy / len;
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - ux * 7 - uy * 3, ey - uy * 7 + ux * 3);
    ctx.lineTo(ex - ux * 7 + uy * 3, ey - uy * 7 - ux * 3);
    ctx.closePath();
  }

  /** Where a marker is drawn. @param {number} j */
  function markY(j) {
    var l = mLane[j], kind = mKind[j];
    if (kind === MK.restart) return laneTop(l) + BAND_Y + BAND_H / 2;
    if (l === 0) return kind === MK.check ? laneTop(0) + 15 : kind === MK.log ? laneTop(0) + TESTER_H - 7 : laneTop(0) + 36;
    if (kind === MK.commit) return laneTop(l) + COMMIT_Y;
    if (kind === MK.log) return laneTop(l) + (LOG_Y0 + LOG_Y1) / 2;
    if (kind === MK.violation) return laneTop(l) + ANCHOR_Y;
    return laneTop(l) + APPLY_Y;
  }

  /**
   * Text that fits in `room` px at the current font, cut with "…" if need be ("" if not even that fits).
   * @param {string} text @param {number} room
   */
  function fitText(text, room) {
    if (ctx.measureText(text).width <= room) return text;
    var lo = 0, hi = text.length;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (ctx.measureText(text.slice(0, mid) + "…").width <= room) lo = mid; else hi = mid - 1; }
    return lo >= 4 ? text.slice(0, lo) + "…" : "";
  }

  /** @param {number} t0 @param {number} t1 */
  function drawMarks(t0, t1) {
    var pad = 2 / v.scale, a = lowerBound(mT, t0 - pad), z = lowerBound(mT, t1 + pad);
    var KINDS = 16, right = GUTTER + plotW();
    var lastPx = new Float64Array(NL * KINDS).fill(-1e9), lastLabel = new Float64Array(NL * KINDS).fill(-1e9);
    var count = 0, compact = (z - a) / plotW() > 1.5 * (NL - 1);
    ctx.textBaseline = "middle";
    ctx.font = "10px system-ui, sans-serif";
    for (var j = a; j < z; j++) {
      var kind = mKind[j];
      if (kind === MK.violation) continue; // drawn by drawViolations
      if (kind === MK.log && !filters.log) continue;
      var l = mLane[j], px = x(mT[j]), key = l * KINDS + kind, rx = Math.round(px);
      if (lastPx[key] === rx && kind !== MK.check) continue;
      lastPx[key] = rx;
      count++;
      var y = markY(j);
      if (compact && l > 0 && kind !== MK.restart) {
        // Many markers per pixel: short ticks in the marker's colour.
        ctx.fillStyle = kind === MK.commit ? "#12a150" : kind === MK.apply ? "#2e7dd1" : kind === MK.log ? "#b8c0cc" : kind === MK.other ? "#667085" : "#9b51e0";
        ctx.fillRect(rx, y - 3, 1, 6);
        continue;
      }
      switch (kind) {
        case MK.commit:
          ctx.fillStyle = "#12a150";
          ctx.beginPath(); ctx.moveTo(px, y - 4.5); ctx.lineTo(px + 4.5, y + 3.5); ctx.lineTo(px - 4.5, y + 3.5); ctx.closePath(); ctx.fill();
          if (px - lastLabel[key] > 6) {
            // Label the index only where the next commit on the lane leaves room for it.
            var txt = String(mVal[j]), tw = ctx.measureText(txt).width, room = true;
            for (var j2 = j + 1; j2 < z; j2++) {
              if (x(mT[j2]) > px + tw + 12) break;
              if (mLane[j2] === l && mKind[j2] === MK.commit) { room = false; break; }
            }
            if (room) { ctx.fillStyle = "#0b7a3b"; ctx.fillText(txt, px + 6, y); lastLabel[key] = px + 6 + tw; }
          }
          break;
        case MK.apply:
          ctx.fillStyle = "#2e7dd1";
          ctx.beginPath(); ctx.arc(px, y, 3, 0, 6.2832); ctx.fill();
          break;
        case MK.snapshot: case MK.applySnapshot:
          ctx.fillStyle = "#9b51e0"; ctx.strokeStyle = "#9b51e0"; ctx.lineWidth = 1.3;
          ctx.beginPath(); ctx.moveTo(px, y - 5); ctx.lineTo(px + 5, y); ctx.lineTo(px, y + 5); ctx.lineTo(px - 5, y); ctx.closePath();
          if (kind === MK.snapshot) ctx.fill(); else { ctx.fillStyle = "#fff"; ctx.fill(); ctx.stroke(); }
          break;
        case MK.check:
          ctx.fillStyle = "#12a150"; ctx.fillRect(px, y - 8, 1.2, 26);
          if (px > lastLabel[key]) {
            ctx.font = "600 12px system-ui, sans-serif"; ctx.fillText("✓", px - 3.5, y - 1);
            ctx.font = "10px system-ui, sans-serif"; ctx.fillStyle = "#0b7a3b";
            var lbl = fitText(mVal[j] >= 0 ? "leader " + mVal[j] : "check", right - px - 8);
            if (lbl !== "") {
              ctx.fillText(lbl, px + 6, y);
              stats.labels.push(["check", lbl, px + 6, px + 6 + ctx.measureText(lbl).width, y]);
            }
            lastLabel[key] = px + 14 + ctx.measureText(lbl).width;
          }
          break;
        case MK.log:
          ctx.fillStyle = "#98a2b3"; ctx.fillRect(px - 0.5, y - 3, 1, 7);
          break;
        case MK.restart:
          // A crash and a restart at the same instant (MIT's start1 crashes a live peer first):
          // no crashed period to shade, so a dark bar across the lane and a ↻ on the band.
          ctx.fillStyle = "#1d2939"; ctx.fillRect(px - 1, laneTop(l) + 2, 2, LANE_H - 4);
          ctx.font = "600 11px system-ui, sans-serif";
          // Its label goes left of the bar, at the end of the old incarnation's band: the new
          // band starts here and has its own label at its start.
          var rl = "↻ restart", rw = ctx.measureText(rl).width, rx0 = px - 3 - rw - 6 < GUTTER ? px + 3 : px - 3 - rw - 6;
          ctx.fillStyle = "#1d2939"; roundRect(rx0, y - 7, rw + 6, 14, 3); ctx.fill();
          ctx.fillStyle = "#fff"; ctx.fillText(rl, rx0 + 3, y);
          stats.labels.push(["restart", rl, rx0, rx0 + rw + 6, y]);
          ctx.font = "10px system-ui, sans-serif";
          break;
        default:
          if (l === 0) {
            ctx.fillStyle = "#667085"; ctx.fillRect(px - 0.5, y - 7, 1, 14);
            if (px - lastLabel[key] > 8) {
              // Cut to the room left before the right edge, rather than clipped mid-letter.
              var text = fitText(M[mEv[j]].length > 48 ? M[mEv[j]].slice(0, 47) + "…" : M[mEv[j]], right - px - 6);
              if (text !== "") {
                ctx.fillText(text, px + 4, y);
                lastLabel[key] = px + 12 + ctx.measureText(text).width;
              }
            }
          } else { ctx.fillStyle = "#667085"; ctx.fillRect(px - 2, y - 2, 4, 4); }
      }
    }
    stats.marks = count;
  }

  /**
   * The violation: a red line across the lanes and a flag in the tester lane with the whole
   * message, to the right of the line or, where that has no room, to its left; only a message
   * wider than the plot itself is cut (the header and the tooltip have it in full).
   * @param {number} t0 @param {number} t1
   */
  function drawViolations(t0, t1) {
    var left = GUTTER + 2, right = GUTTER + plotW() - 2;
    for (var n = 0; n < D.violations.length; n++) {
      var e = D.violations[n], t = T[e];
      if (t < t0 - 1e3 / v.scale || t > t1 + 1e3 / v.scale) continue;
      var px = Math.round(x(t)) + 0.5;
      ctx.strokeStyle = RED; ctx.lineWidth = 2; ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(px, AXIS_H); ctx.lineTo(px, HEIGHT); ctx.stroke();
      ctx.font = "600 11px system-ui, sans-serif"; ctx.textBaseline = "middle";
      var text = fitText("✖ " + M[e], right - left - 10);
      var fw = ctx.measureText(text).width + 10, bx = px + 6;
      if (bx + fw > right) bx = px - 6 - fw;
      if (bx < left) bx = Math.max(left, Math.min(right - fw, px - fw / 2));
      ctx.fillStyle = RED; roundRect(bx, laneTop(0) + 24, fw, 18, 4); ctx.fill();
      ctx.fillStyle = "#fff"; ctx.fillText(text, bx + 5, laneTop(0) + 33);
      stats.labels.push(["violation", text, bx, bx + fw, laneTop(0) + 33]);
    }
  }
  /** @param {number} x0 @param {number} y0 @param {number} w @param {number} h @param {number} r */
  function roundRect(x0, y0, w, h, r) {
    ctx.beginPath(); ctx.moveTo(x0 + r, y0); ctx.lineTo(x0 + w - r, y0); ctx.quadraticCurveTo(x0 + w, y0, x0 + w, y0 + r);
    ctx.lineTo(x0 + w, y0 + h - r); ctx.quadraticCurveTo(x0 + w, y0 + h, x0 + w - r, y0 + h); ctx.lineTo(x0 + r, y0 + h);
    ctx.quadraticCurveTo(x0, y0 + h, x0, y0 + h - r); ctx.lineTo(x0, y0 + r); ctx.quadraticCurveTo(x0, y0, x0 + r, y0); ctx.closePath();
  }

  /** @param {number} t0 @param {number} t1 @param {number} step */
  function drawAxis(t0, t1, step) {
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, AXIS_H);
    ctx.fillStyle = "#d0d5dd"; ctx.fillRect(0, AXIS_H - 1, W, 1);
    ctx.save(); ctx.beginPath(); ctx.rect(GUTTER - 30, 0, plotW() + 30 + RIGHT, AXIS_H); ctx.clip();
    ctx.font = "11px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.fillStyle = "#475467";
    for (var t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      var px = Math.round(x(t));
      ctx.fillRect(px, AXIS_H - 6, 1, 5);
      var label = fmtTick(t, step), tw = ctx.measureText(label).width;
      ctx.fillText(label, px - tw / 2, AXIS_H / 2 - 2);
    }
    ctx.restore();
    ctx.fillStyle = "#98a2b3"; ctx.font = "10px system-ui, sans-serif";
    ctx.fillText("virtual time", 8, AXIS_H / 2 - 2);
  }

  // ---- hit-testing and the tooltip -------------------------------------------------------
  /** @param {number} px @param {number} py @param {number} x0 @param {number} y0 @param {number} x1 @param {number} y1 */
  function distToSeg(px, py, x0, y0, x1, y1) {
    var dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    var u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
    var ex = x0 + u * dx - px, ey = y0 + u * dy - py;
    return Math.sqrt(ex * ex + ey * ey);
  }
  /** @param {number} px @param {number} py @param {Leg} s */
  function distToLeg(px, py, s) {
    if (s[4] !== 1) return distToSeg(px, py, s[0], s[1], s[2], s[3]);
    var cp = curveControl(s), mx = (s[0] + 2 * cp[0] + s[2]) / 4, my = (s[1] + 2 * cp[1] + s[3]) / 4;
    return Math.min(distToSeg(px, py, s[0], s[1], mx, my), distToSeg(px, py, mx, my, s[2], s[3]));
  }

  // The item under (px, py) in canvas coordinates, or null: markers first, then violations,
  // RPC arrows, shaded periods and bands.
  /** @param {number} px @param {number} py @returns {Hit | null} */
  function hitTest(px, py) {
    if (px < GUTTER || px > GUTTER + plotW()) return null;
    var lane = laneAt(py), tol = 7 / v.scale, t = tAt(px);
    /** @type {Hit | null} */
    var best = null, bestD = 7;
    if (lane >= 0) {
      var a = lowerBound(mT, t - tol), z = lowerBound(mT, t + tol);
      for (var j = a; j < z; j++) {
        if (mLane[j] !== lane || mKind[j] === MK.violation) continue;
        if (mKind[j] === MK.log && !filters.log) continue;
        var dx = x(mT[j]) - px, dy = markY(j) - py, d = Math.sqrt(dx * dx + dy * dy);
        if (mKind[j] === MK.check && Math.abs(dx) < 4 && Math.abs(dy) < 14) d = Math.min(d, 3);
        if (lane === 0 && mKind[j] === MK.other && Math.abs(dx) < 4 && Math.abs(dy) < 8) d = Math.min(d, 3);
        if (d < bestD) { bestD = d; best = { type: "mark", i: j }; }
      }
      if (best) return best;
    }
    for (var n = 0; n < D.violations.length; n++) {
      if (Math.abs(x(T[D.violations[n]]) - px) <= 4 && py >= AXIS_H) return { type: "violation", i: n };
    }
    bestD = 5;
    var wide = 20 / v.scale; // reply curves bow up to 14 px sideways
    rpcIndex.query(t - wide, t + wide, function (i) {
      if (!rpcVisible(i)) return;
      var L = legs(i);
      for (var g = 0; g < L.length; g++) {
        var d = distToLeg(px, py, L[g]);
        if (d < bestD) { bestD = d; best = { type: "rpc", i: i, leg: g }; }
      }
    });
    if (best) return best;
    if (lane < 0) return null;
    for (var s = 0; s < NS; s++) {
      var so = s * 4;
      if (D.shades[so] === lane && D.shades[so + 1] <= t && t <= D.shades[so + 2]) {
        // Crashed wins over disconnected when both cover the point.
        if (!best || D.shades[so + 3] === 1) best = { type: "shade", i: s };
      }
    }
    var y0 = laneTop(lane) + BAND_Y;
    if (lane > 0 && py >= y0 - 1 && py <= y0 + BAND_H + 1) {
      var list = bandsByLane[lane];
      for (var q = 0; q < list.length; q++) {
        var bo = list[q] * 5;
        if (D.bands[bo + 1] <= t && t <= D.bands[bo + 2]) return { type: "band", i: list[q] };
      }
    }
    return best;
  }

  var MARK_NAMES = ["event", "commit", "apply", "tester snapshot", "apply snapshot", "tester check", "log", "violation", "crash and restart"];
  /** @param {number} peer */
  function who(peer) { return peer < 0 ? "tester" : "peer " + peer; }
  /** @param {Hit} h @returns {{ title: string, lines: Array<[string, boolean]> }} */
  function describe(h) {
    /** @type {Array<[string, boolean]>} */
    var lines = [];
    var title = "";
    if (h.type === "mark") {
      var e = mEv[h.i];
      title = MARK_NAMES[mKind[h.i]] + (mKind[h.i] === MK.commit || mKind[h.i] === MK.apply ? " " + mVal[h.i] : "") + " · " + who(P[e]);
      lines.push(["t = " + fmtT(T[e]) + "   [" + TOPICS[K[e]] + "]", true]);
      lines.push([M[e], false]);
    } else if (h.type === "violation") {
      var ev = D.violations[h.i];
      title = "VIOLATION at " + fmtT(T[ev]);
      lines.push([M[ev], false]);
      if (META.failure && META.failure !== M[ev]) lines.push([META.failure, true]);
    } else if (h.type === "rpc") {
      var i = h.i, method = M[rSend[i]].split(" ")[2] || TOPICS[rTopic[i]];
      title = "RPC #" + rId[i] + " " + method + "   " + who(rFrom[i] - 1) + " → " + who(rTo[i] - 1);
      var ts = T[rSend[i]];
      lines.push(["sent       " + fmtT(ts), true]);
      if (rDeliver[i] >= 0) lines.push(["delivered  " + fmtT(T[rDeliver[i]]) + "  (+" + fmtDur(T[rDeliver[i]] - ts) + ")", true]);
      if (rStatus[i] === 0) lines.push(["replied    " + fmtT(T[rEnd[i]]) + "  (round trip " + fmtDur(T[rEnd[i]] - ts) + ")", true]);
      else if (rStatus[i] === 1) lines.push(["FAILED     " + fmtT(T[rEnd[i]]) + "  after " + fmtDur(T[rEnd[i]] - ts), true]);
      else lines.push(["no answer before the run ended", true]);
      lines.push([M[rSend[i]], false]);
      if (rDeliver[i] >= 0) lines.push([M[rDeliver[i]], false]);
      if (rEnd[i] >= 0) lines.push([M[rEnd[i]], false]);
    } else if (h.type === "shade") {
      var so = h.i * 4;
      title = (D.shades[so + 3] === 1 ? "crashed" : "disconnected") + " · " + laneNames[D.shades[so]];
      lines.push([fmtT(D.shades[so + 1]) + " – " + fmtT(D.shades[so + 2]) + "  (" + fmtDur(D.shades[so + 2] - D.shades[so + 1]) + ")", true]);
    } else if (h.type === "band") {
      var bo = h.i * 5, role = ["follower", "candidate", "leader"][D.bands[bo + 4]];
      title = laneNames[D.bands[bo]] + " · term " + D.bands[bo + 3] + " · " + role;
      lines.push([fmtT(D.bands[bo + 1]) + " – " + fmtT(D.bands[bo + 2]) + "  (" + fmtDur(D.bands[bo + 2] - D.bands[bo + 1]) + ")", true]);
    }
    return { title: title, lines: lines };
  }

  /** @param {Hit} h @param {number} clientX @param {number} clientY */
  function showTooltip(h, clientX, clientY) {
    var d = describe(h);
    tooltip.textContent = "";
    var tt = document.createElement("div"); tt.className = "tt-title"; tt.textContent = d.title; tooltip.appendChild(tt);
    d.lines.forEach(function (ln) {
      var div = document.createElement("div");
      div.className = ln[1] ? "tt-line tt-dim" : "tt-line";
      div.textContent = ln[0];
      tooltip.appendChild(div);
    });
    tooltip.hidden = false;
    var r = view.getBoundingClientRect();
    var left = clientX - r.left + 14, top = clientY - r.top + 16;
    var tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
    if (left + tw > r.width - 4) left = Math.max(4, clientX - r.left - tw - 14);
    if (top + th > HEIGHT + 120) top = Math.max(4, clientY - r.top - th - 12);
    tooltip.style.left = left + "px"; tooltip.style.top = top + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }

  function drawOverlay() {
    octx.setTransform(DPR, 0, 0, DPR, 0, 0);
    octx.clearRect(0, 0, W, HEIGHT);
    if (!hover) return;
    octx.save(); octx.beginPath(); octx.rect(GUTTER, 0, plotW(), HEIGHT); octx.clip();
    octx.strokeStyle = "#101828"; octx.lineWidth = 2.5;
    if (hover.type === "mark") {
      octx.beginPath(); octx.arc(x(mT[hover.i]), markY(hover.i), 7, 0, 6.2832); octx.stroke();
    } else if (hover.type === "rpc") {
      var L = legs(hover.i);
      octx.strokeStyle = rStatus[hover.i] === 1 ? RED : rpcColour(rTopic[hover.i]);
      octx.lineWidth = 3;
      octx.beginPath();
      L.forEach(function (s) {
        octx.moveTo(s[0], s[1]);
        if (s[4] === 1) { var cp = curveControl(s); octx.quadraticCurveTo(cp[0], cp[1], s[2], s[3]); } else octx.lineTo(s[2], s[3]);
      });
      octx.stroke();
      octx.fillStyle = "#101828";
      L.forEach(function (s) { octx.beginPath(); octx.arc(s[0], s[1], 3, 0, 6.2832); octx.fill(); });
    } else if (hover.type === "band") {
      var bo = hover.i * 5, l = D.bands[bo];
      octx.strokeRect(x(D.bands[bo + 1]), laneTop(l) + BAND_Y - 1, x(D.bands[bo + 2]) - x(D.bands[bo + 1]), BAND_H + 2);
    } else if (hover.type === "shade") {
      var so = hover.i * 4, sl = D.shades[so];
      octx.strokeRect(x(D.shades[so + 1]), laneTop(sl) + 1, x(D.shades[so + 2]) - x(D.shades[so + 1]), laneH(sl) - 2);
    } else if (hover.type === "violation") {
      octx.strokeStyle = RED; octx.lineWidth = 4;
      var vx = x(T[D.violations[hover.i]]);
      octx.beginPath(); octx.moveTo(vx, AXIS_H); octx.lineTo(vx, HEIGHT); octx.stroke();
    }
    octx.restore();
  }

  // ---- input ---------------------------------------------------------------------------
  /** @type {{ x: number, t0: number, moved: boolean } | null} */
  var drag = null;
  /** @param {MouseEvent} e */
  function localXY(e) { var r = plot.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  /** @param {MouseEvent} e */
  function updateHover(e) {
    var p = localXY(e), h = hitTest(p[0], p[1]);
    var same = h && hover && h.type === hover.type && h.i === hover.i;
    hover = h;
    if (h) showTooltip(h, e.clientX, e.clientY); else hideTooltip();
    if (!same) drawOverlay();
  }
  plot.addEventListener("mousedown", function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, t0: v.t0, moved: false };
    plot.classList.add("dragging");
    e.preventDefault();
  });
  window.addEventListener("mousemove", function (e) {
    if (drag) {
      var dx = e.clientX - drag.x;
      if (Math.abs(dx) > 2) drag.moved = true;
      v.t0 = drag.t0 - dx / v.scale; clampView(); requestDraw();
      hover = null; hideTooltip();
      return;
    }
    if (e.target === plot) updateHover(e);
    else if (hover) { hover = null; hideTooltip(); drawOverlay(); }
  });
  window.addEventListener("mouseup", function () { drag = null; plot.classList.remove("dragging"); });
  plot.addEventListener("mouseleave", function () { if (!drag) { hover = null; hideTooltip(); drawOverlay(); } });
  plot.addEventListener("wheel", function (e) {
    e.preventDefault();
    var unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    var dx = e.deltaX * unit, dy = e.deltaY * unit;
    if (e.shiftKey && dx === 0) { dx = dy; dy = 0; }
    if (Math.abs(dx) > Math.abs(dy)) pan(-dx);
    else zoomAt(localXY(e)[0], Math.exp(-dy * 0.0015));
    hover = null; hideTooltip();
  }, { passive: false });
  plot.addEventListener("dblclick", function (e) { zoomAt(localXY(e)[0], e.shiftKey ? 0.5 : 2); });
  function centreX() { return GUTTER + plotW() / 2; }
  byId("fit", HTMLElement).addEventListener("click", fit);
  byId("zoom-in", HTMLElement).addEventListener("click", function () { zoomAt(centreX(), 2); });
  byId("zoom-out", HTMLElement).addEventListener("click", function () { zoomAt(centreX(), 0.5); });
  function gotoViolation() {
    if (!D.violations.length) return;
    var t = T[D.violations[0]], w = Math.min(span(), 2000);
    zoomTo(t - w * 0.8, t + w * 0.2);
  }
  var gv = document.getElementById("goto-violation");
  if (gv) gv.addEventListener("click", gotoViolation);
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("change", function () { filters[box.getAttribute("data-filter")] = box.checked; hover = null; hideTooltip(); requestDraw(); });
  });
  window.addEventListener("keydown", function (e) {
    if (e.target instanceof HTMLInputElement && e.target.type !== "checkbox") return;
    if (e.key === "f" || e.key === "F" || e.key === "0") fit();
    else if (e.key === "+" || e.key === "=") zoomAt(centreX(), 1.5);
    else if (e.key === "-" || e.key === "_") zoomAt(centreX(), 1 / 1.5);
    else if (e.key === "ArrowLeft") pan(plotW() / 4);
    else if (e.key === "ArrowRight") pan(-plotW() / 4);
    else if (e.key === "v" || e.key === "V") gotoViolation();
    else return;
    e.preventDefault();
  });
  window.addEventListener("resize", resize);

  resize();
  draw(); drawOverlay(); updateRange();

  // ---- for tests and the curious -------------------------------------------------------
  // Locates an event on screen (client coordinates): the marker, RPC endpoint or lane anchor.
  /** Locates an event on screen (client coordinates): the marker, RPC endpoint or lane anchor. @param {number} e */
  function locate(e) {
    var r = plot.getBoundingClientRect(), px = x(T[e]), py = anchorY(P[e] + 1);
    var j = lowerBound(mT, T[e]);
    for (; j < NM && mT[j] === T[e]; j++) if (mEv[j] === e) { py = markY(j); break; }
    return { x: r.left + px, y: r.top + py };
  }
  /** @type {Window & { __timeline?: unknown }} */ (window).__timeline = {
    ready: true,
    lanes: laneNames.slice(),
    events: T.length,
    rpcs: NR,
    marks: NM,
    bands: NB,
    violations: D.violations.map(function (e) { return { t: T[e], peer: P[e], msg: M[e] }; }),
    failure: META.failure,
    stats: stats,
    view: function () { return { t0: v.t0, t1: viewEnd() }; },
    fit: fit,
    zoomTo: zoomTo,
    redraw: function () { draw(); drawOverlay(); return { frames: stats.frames, arrows: stats.arrows, marks: stats.marks, bands: stats.bands, labels: stats.labels.slice() }; },
    plot: function () { return { left: GUTTER, right: GUTTER + plotW() }; },
    /** A leader band's colour for a term: hue in degrees and lightness in %. @param {number} term */
    termColour: function (term) { var sh = termShade(term); return { h: sh.h, l: sh.l }; },
    locate: locate,
    /** @param {number} clientX @param {number} clientY */
    hitTest: function (clientX, clientY) { var r = plot.getBoundingClientRect(); var h = hitTest(clientX - r.left, clientY - r.top); return h ? describe(h) : null; },
  };
})();
