// chrono's HTML timeline. The events come from the page's own list (#events): one <li> per
// event, with data-s and data-e (first instant, first instant after, in ms since 1970 UTC),
// data-k (bar, or a band or point its instants do not tell; else a band with a data-e, a
// point without), data-q (the edges an approximate date fades: ~ both, [ the start, ] the
// end; ? uncertain: dashed) and data-l (its lanes, by index into
// the lane checkboxes). The timeline's data-from and data-to are the period asked for
// (--on, --from, --to): the first view. Only what is in view gets DOM nodes; text from the log is
// only ever set with textContent or setAttribute, and the details panel shows a copy of the
// event's own list entry.
//
// The script is this file, layout.js and timeline.js, in that order, inside one function
// (see chrono.export.html_page): they share one scope. This part holds the constants, the
// helpers, the display zone and the time scale: the view, its ticks and their labels.

const doc = document;

const MINUTE = 6e4, HOUR = 36e5, DAY = 864e5, YEAR = 365.2425 * DAY, MONTH = YEAR / 12;
const FIRST = -62135596800000, LAST = 253402300800000; // years 1 to 9999
const ROW = 22, PAD = 6, LANE_CAP = 400, DENSE = 34, LABEL = 220, MIN_LABEL = 40, CHAR = 6.6, COLORS = 8;
const SETTLE = 400; // ms without a change of view before the status says what is in view
const MIN_SPAN = HOUR, STEP_PX = 70;
const FADE_START = 1, DASHED = 2, FADE_END = 4; // the bits of Q, from data-q
const SHAPES = ['point', 'band', 'bar'];
const SEARCHED = ['Actors', 'Place', 'Tags']; // with the title and the summary
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
// Tick steps, finest last: [unit, count, approximate length].
const STEPS = [['y', 1000], ['y', 500], ['y', 100], ['y', 50], ['y', 10], ['y', 5], ['y', 2],
  ['y', 1], ['mo', 6], ['mo', 3], ['mo', 1], ['d', 7], ['d', 2], ['d', 1], ['h', 12],
  ['h', 6], ['h', 3], ['h', 1], ['mi', 30], ['mi', 15], ['mi', 5]].map(function (s) {
  const unit = { y: YEAR, mo: MONTH, d: DAY, h: HOUR, mi: MINUTE }[s[0]];
  return [s[0], s[1], unit * s[1]];
});

function el(tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
function fold(text) { return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }

// --- The display zone: wall-clock fields of an instant, for ticks and labels. ---
function zone(name, fixed) {
  let format = null;
  try {
    if (name) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    }
  } catch (e) { format = null; }
  const cache = new Map();
  function offset(t) {
    if (!format || t < FIRST || t >= LAST) return fixed;
    const key = Math.floor(t / (15 * MINUTE));
    let found = cache.get(key);
    if (found === undefined) {
      const at = key * 15 * MINUTE, f = {};
      for (const part of format.formatToParts(at)) f[part.type] = part.value;
      found = utc(+f.year, +f.month - 1, +f.day, +f.hour % 24, +f.minute) - at;
      if (cache.size > 5000) cache.clear();
      cache.set(key, found);
    }
    return found;
  }
  return {
    wall: function (t) { return t + offset(t); },
    instant: function (w) { return w - offset(w - offset(w)); },
  };
}
function utc(y, mo, d, h, mi) {
  const date = new Date(0);
  date.setUTCFullYear(y, mo, d);
  date.setUTCHours(h || 0, mi || 0, 0, 0);
  return date.getTime();
}
function fields(w) {
  const d = new Date(w);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth(), d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes() };
}
function two(n) { return (n < 10 ? '0' : '') + n; }

// --- The view: its first instant and its length. ---
function extent() {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!shown(i)) continue;
    lo = Math.min(lo, S[i]);
    hi = Math.max(hi, E[i]);
  }
  if (lo > hi) {
    for (let i = 0; i < n; i++) { lo = Math.min(lo, S[i]); hi = Math.max(hi, E[i]); }
  }
  return lo > hi ? [0, DAY] : [lo, hi];
}
function setView(start, length) {
  span = clamp(length, MIN_SPAN, maxSpan);
  const [lo, hi] = extent();
  const middle = clamp(start + span / 2, lo - span / 2, hi + span / 2);
  t0 = clamp(middle - span / 2, FIRST, LAST - span);
  schedule(true);
}
// The first event a little in from the left, the last with room for its title after it.
function margins() { return [0.02, W > 600 ? Math.min(0.2, 160 / W) : 0.05]; }
// The first view (0, Reset): the period asked for, an open end from the events; with
// none asked, or a search, every event shown.
function fit() {
  if (query || (askedFrom === null && askedTo === null)) { fitTo(extent()); return; }
  const [lo, hi] = extent(), [left, right] = margins();
  const a = askedFrom === null ? lo : askedFrom, b = askedTo === null ? hi : askedTo;
  const l = askedFrom === null ? left : 0, r = askedTo === null ? right : 0;
  const length = Math.max(b - a, MIN_SPAN) / (1 - l - r);
  setView(a - length * l, length);
}
function fitTo(range) {
  const [left, right] = margins(), length = Math.max(range[1] - range[0], DAY) / (1 - left - right);
  setView(range[0] - length * left, length);
}
function zoomAt(factor, px) {
  const at = t0 + (px / W) * span, length = clamp(span * factor, MIN_SPAN, maxSpan);
  setView(at - (px / W) * length, length);
}
function pan(px) { setView(t0 + (px / W) * span, span); }
function focusX() {
  const active = doc.activeElement;
  if (active && active.classList.contains('m') && tl.contains(active)) {
    const i = +active.dataset.i;
    return clamp(((S[i] + E[i]) / 2 - t0) / span * W, 0, W);
  }
  return W / 2;
}

// --- The axis: ticks that suit the zoom, in the display zone. ---
function drawAxis() {
  const sc = W / span;
  let k = 0;
  while (k < STEPS.length - 1 && STEPS[k + 1][2] * sc >= STEP_PX) k++;
  const minor = STEPS[k];
  // Above years, their decade ("2020s") or century ("1900s"); above centuries, nothing.
  const major = minor[0] === 'y' ? (minor[1] < 10 ? ['y', 10] : minor[1] === 10 ? ['y', 100] : null)
    : minor[0] === 'mo' ? ['y', 1] : minor[0] === 'd' ? ['mo', 1] : ['d', 1];
  const minors = ticks(minor), majors = major ? ticks(major) : [];
  const labels = [], lines = [];
  majors.forEach(function (tick, j) {
    const next = majors[j + 1];
    let x = tick.x;
    if (x < 0) { x = 0; if (next && next.x < 140) return; }
    labels.push(tickEl('mj', x, majorLabel(major, tick.f)));
  });
  for (const tick of minors) {
    if (tick.x >= 0) labels.push(tickEl('mn', tick.x, minorLabel(minor, tick.f)));
    const line = el('i', major && isMajor(major, tick.f) ? 'mj' : '');
    line.style.left = tick.x + 'px';
    lines.push(line);
  }
  if (askedFrom !== null && askedFrom > t0) {
    labels.push(outside('lo', 0, (askedFrom - t0) * sc));
    lines.push(outside('lo', 0, (askedFrom - t0) * sc));
  }
  if (askedTo !== null && askedTo < t0 + span) {
    const x = Math.max(0, (askedTo - t0) * sc);
    labels.push(outside('hi', x, W - x));
    lines.push(outside('hi', x, W - x));
  }
  axis.replaceChildren.apply(axis, labels);
  grid.replaceChildren.apply(grid, lines);
}
function outside(side, x, w) {
  const node = el('b', 'out ' + side);
  node.style.left = x + 'px';
  node.style.width = Math.min(w, W) + 'px';
  return node;
}
function tickEl(kind, x, text) {
  const node = el('span', kind, text);
  node.style.left = x + 'px';
  return node;
}
function ticks(step) {
  const unit = step[0], count = step[1], sc = W / span, out = [];
  const f = fields(wallclock.wall(t0));
  let w;
  if (unit === 'y') w = utc(Math.floor(f.y / count) * count, 0, 1);
  else if (unit === 'mo') w = utc(f.y, Math.floor(f.mo / count) * count, 1);
  else if (unit === 'd') w = utc(f.y, f.mo, count === 7 ? 1 : f.d);
  else if (unit === 'h') w = utc(f.y, f.mo, f.d, Math.floor(f.h / count) * count);
  else w = utc(f.y, f.mo, f.d, f.h, Math.floor(f.mi / count) * count);
  for (let guard = 0; guard < 400; guard++) {
    const g = fields(w), t = wallclock.instant(w);
    if (t > t0 + span) break;
    if (!(unit === 'd' && count === 7 && g.d > 22)) out.push({ x: (t - t0) * sc, f: g });
    if (unit === 'y') w = utc(g.y + count, 0, 1);
    else if (unit === 'mo') w = utc(g.y, g.mo + count, 1);
    else if (unit === 'd') w = count === 7 ? (g.d >= 22 ? utc(g.y, g.mo + 1, 1) : utc(g.y, g.mo, g.d + 7)) : utc(g.y, g.mo, g.d + count);
    else if (unit === 'h') w = utc(g.y, g.mo, g.d, g.h + count);
    else w = utc(g.y, g.mo, g.d, g.h, g.mi + count);
  }
  return out;
}
function isMajor(step, f) {
  if (step[0] === 'y') return f.y % step[1] === 0 && f.mo === 0 && f.d === 1 && f.h === 0 && f.mi === 0;
  if (step[0] === 'mo') return f.d === 1 && f.h === 0 && f.mi === 0;
  return f.h === 0 && f.mi === 0;
}
function minorLabel(step, f) {
  if (step[0] === 'y') return String(f.y);
  if (step[0] === 'mo') return MONTHS[f.mo];
  if (step[0] === 'd') return f.d + ' ' + MONTHS[f.mo];
  return two(f.h) + ':' + two(f.mi);
}
function majorLabel(step, f) {
  if (step[0] === 'y') return step[1] >= 10 ? f.y + 's' : String(f.y);
  if (step[0] === 'mo') return LONG[f.mo] + ' ' + f.y;
  return f.d + ' ' + MONTHS[f.mo] + ' ' + f.y;
}

// The range shown, as wide as the view asks: a year, a month, a day, a minute.
function label(t, length) {
  const f = fields(wallclock.wall(t));
  const day = f.d + ' ' + MONTHS[f.mo] + ' ' + f.y;
  if (length > 3 * YEAR) return String(f.y);
  if (length > 60 * DAY) return MONTHS[f.mo] + ' ' + f.y;
  return length > 3 * DAY ? day : day + ' ' + two(f.h) + ':' + two(f.mi);
}
