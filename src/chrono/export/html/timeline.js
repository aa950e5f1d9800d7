// chrono's HTML timeline. The events come from the page's own list (#events): one <li> per
// event, with data-s and data-e (first instant, first instant after, in ms since 1970 UTC),
// data-k (bar, or a band or point its instants do not tell; else a band with a data-e, a
// point without), data-q (the edges an approximate date fades: ~ both, [ the start, ] the
// end; ? uncertain: dashed) and data-l (its lanes, by index into
// the lane checkboxes). The timeline's data-from and data-to are the period asked for
// (--on, --from, --to): the first view. Only what is in view gets DOM nodes; text from the log is
// only ever set with textContent or setAttribute, and the details panel shows a copy of the
// event's own list entry.
(function () {
  'use strict';
  const doc = document;
  doc.documentElement.classList.add('js');
  doc.addEventListener('DOMContentLoaded', function () {
    try {
      start();
      doc.documentElement.classList.add('ready');
    } catch (error) {
      doc.documentElement.classList.remove('js'); // the list stays readable
      throw error;
    }
  });

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

  function start() {
    const app = doc.getElementById('app');
    const items = Array.from(doc.querySelectorAll('#events ol > li'));
    const n = items.length;
    if (!n) { // no events: the list says so, and there is no time to draw
      doc.documentElement.classList.remove('js');
      return;
    }
    const S = new Float64Array(n), E = new Float64Array(n), K = new Uint8Array(n), Q = new Uint8Array(n);
    const lanesOf = new Array(n);
    const boxes = Array.from(app.querySelectorAll('details.lanes input[type=checkbox]'));
    const laneNames = boxes.map(function (b) { return b.parentNode.querySelector('.ln').textContent; });
    const laneEvents = laneNames.map(function () { return []; });
    for (let i = 0; i < n; i++) {
      const li = items[i], q = li.getAttribute('data-q') || '', e = li.getAttribute('data-e'), l = li.getAttribute('data-l');
      S[i] = +li.getAttribute('data-s');
      E[i] = e ? +e : S[i];
      K[i] = Math.max(0, SHAPES.indexOf(li.getAttribute('data-k') || (e ? 'band' : 'point')));
      Q[i] = (/[~[]/.test(q) ? FADE_START : 0) | (/[~\]]/.test(q) ? FADE_END : 0)
        | (q.indexOf('?') >= 0 ? DASHED : 0);
      lanesOf[i] = l ? l.split(' ').map(Number) : [0];
      for (const l of lanesOf[i]) if (laneEvents[l]) laneEvents[l].push(i);
    }
    const lanes = laneEvents.map(function (list) {
      list.sort(function (a, b) { return S[a] - S[b] || a - b; });
      const starts = new Float64Array(list.length);
      let longest = 0;
      list.forEach(function (i, k) { starts[k] = S[i]; longest = Math.max(longest, E[i] - S[i]); });
      return { events: Int32Array.from(list), starts: starts, longest: longest };
    });
    const on = boxes.map(function (b) { return b.checked; });
    const match = new Uint8Array(n).fill(1), hits = new Int32Array(lanes.length);
    const words = new Array(n);
    const titles = new Array(n), whens = new Array(n), widths = new Float32Array(n).fill(-1);
    const wallclock = zone(app.dataset.tz, (+app.dataset.offset || 0) * MINUTE);

    const tl = doc.getElementById('tl');
    const axis = tl.querySelector('.axis'), grid = tl.querySelector('.grid');
    const scroller = tl.querySelector('.scroll'), inner = tl.querySelector('.inner');
    const panel = doc.querySelector('#panel .body'), hint = panel.firstElementChild;
    const countEl = doc.getElementById('count'), rangeEl = doc.getElementById('range');
    const search = doc.getElementById('q');
    let labelWidth = 180, W = 800;
    let t0 = 0, span = DAY, maxSpan = DAY;
    let layout = [], laneEls = new Map(), selected = -1, linked = -1;
    let needLayout = true, frame = 0;
    const conn = el('div', 'conn');
    const below = el('button', 'below');
    below.type = 'button';
    below.hidden = true;
    tl.append(below);
    const askedFrom = tl.hasAttribute('data-from') ? +tl.dataset.from : null;
    const askedTo = tl.hasAttribute('data-to') ? +tl.dataset.to : null;
    let counted = '', seen = '', settle = 0, query = '', before = null;

    function title(i) {
      if (titles[i] === undefined) titles[i] = items[i].firstElementChild.textContent;
      return titles[i];
    }
    function when(i) {
      if (whens[i] === undefined) whens[i] = items[i].children[1].textContent;
      return whens[i];
    }
    function width(i) {
      // Estimated from the length (measuring every title costs more than drawing them):
      // a little wide for most titles, and a wider one ends in an ellipsis.
      if (widths[i] < 0) widths[i] = Math.min(LABEL, Math.ceil(title(i).length * CHAR) + 4);
      return widths[i];
    }
    function haystack(i) {
      if (words[i] === undefined) {
        const li = items[i], parts = [title(i)], summary = li.querySelector('p');
        if (summary) parts.push(summary.textContent);
        for (const dt of li.querySelectorAll('dt')) {
          if (SEARCHED.indexOf(dt.textContent) >= 0) parts.push(dt.nextElementSibling.textContent);
        }
        words[i] = fold(parts.join(' '));
      }
      return words[i];
    }

    // --- What is shown: search words and lanes. ---
    function shown(i) {
      if (!match[i]) return false;
      for (const l of lanesOf[i]) if (on[l]) return true;
      return false;
    }
    function refilter() {
      const terms = fold(search.value).split(/\s+/).filter(Boolean);
      let count = 0;
      const sections = new Map();
      hits.fill(0);
      for (let i = 0; i < n; i++) {
        match[i] = terms.every(function (w) { return haystack(i).indexOf(w) >= 0; }) ? 1 : 0;
        if (match[i]) for (const l of lanesOf[i]) hits[l]++;
        const visible = shown(i);
        if (visible) count++;
        if (items[i].hidden === visible) items[i].hidden = !visible; // what print shows
        const section = items[i].parentNode.parentNode;
        sections.set(section, (sections.get(section) || false) || visible);
      }
      sections.forEach(function (visible, section) { if (section.hidden === visible) section.hidden = !visible; });
      const all = n.toLocaleString('en') + (n === 1 ? ' event shown' : ' events shown');
      counted = count === n ? (n === 1 ? all : 'All ' + all) : count.toLocaleString('en') + ' of ' + all;
      if (selected >= 0 && !shown(selected)) select(-1);
      const asked = terms.join(' ');
      if (asked !== query) { // a new search: the view fits what matches; cleared, it goes back
        if (!query) before = [t0, span];
        query = asked;
        if (!asked) { if (before) setView(before[0], before[1]); before = null; } else if (count) fitTo(extent());
      }
      status();
      schedule(true);
    }
    // The live count: what the filters show, then (once the view settles) what is in view.
    function status() {
      clearTimeout(settle);
      seen = t0 + ' ' + span;
      let inView = 0, total = 0;
      const t1 = t0 + span;
      for (let i = 0; i < n; i++) {
        if (!shown(i)) continue;
        total++;
        if (S[i] < t1 && (E[i] > t0 || S[i] >= t0)) inView++;
      }
      const part = !total ? '' : inView === total ? (total === 1 ? ' · in view' : ' · all in view')
        : ' · ' + inView.toLocaleString('en') + ' in view';
      if (countEl.textContent !== counted + part) countEl.textContent = counted + part;
    }

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

    // --- Layout: for each lane, the marks in view packed in rows, or a density strip. ---
    function lanePlan(l, rows) {
      const lane = lanes[l], sc = W / span, slack = 10 / sc, t1 = t0 + span;
      const visible = [];
      let k = lowerBound(lane.starts, t0 - lane.longest - slack);
      for (; k < lane.events.length; k++) {
        const i = lane.events[k];
        if (S[i] > t1 + slack) break;
        if (match[i] && Math.max(E[i], S[i]) >= t0 - slack) visible.push(i);
      }
      if (visible.length > LANE_CAP) return { l: l, dense: visible, h: DENSE + 4 };
      const placed = pack(visible, rows);
      const over = placed.more.reduce(function (sum, group) { return sum + group.events.length; }, 0);
      if (over * 4 > visible.length) return { l: l, dense: visible, h: DENSE + 4 }; // too crowded
      const used = placed.rows + (placed.more.length ? 1 : 0);
      return { l: l, marks: placed.marks, more: placed.more, h: Math.max(1, used) * ROW + PAD };
    }
    // Marks in rows, each with its title: in the first row where the whole title fits, else
    // in the row where the title before it, cut short, keeps the most room (at least
    // MIN_LABEL); a mark with no such row goes into a "+N" button below the rows. No mark is
    // drawn without its title.
    function pack(visible, rows) {
      const sc = W / span, ends = [], last = [], marks = [], over = [];
      for (const i of visible) {
        let a = (S[i] - t0) * sc, b = (E[i] - t0) * sc;
        if (K[i] === 0) { a -= 9; b = a + 18; } else if (b - a < 3) { const m = (a + b) / 2; a = m - 1.5; b = m + 1.5; }
        const m = { i: i, row: 0, a: a, b: b, lx: -1, lim: undefined };
        const lx = labelAt(m), end = lx < b ? b : lx + width(i);
        let row = -1, room = 0;
        for (let r = 0; r < rows; r++) {
          if (r >= ends.length || ends[r] <= a - 4) { row = r; room = Infinity; break; }
          const prev = last[r], free = a - 4 - Math.max(prev.b, prev.lx + MIN_LABEL);
          if (prev.lx >= prev.b && free >= 0 && (row < 0 || free > room)) { row = r; room = free; }
        }
        if (row < 0) { over.push(m); continue; }
        if (room !== Infinity) last[row].lim = a - 4;
        m.row = row;
        ends[row] = end;
        last[row] = m;
        marks.push(m);
      }
      return { rows: ends.length, marks: marks, more: gather(over, ends.length) };
    }
    function labelAt(m) {
      const lw = width(m.i), va = Math.max(m.a, 0), vb = Math.min(m.b, W);
      m.lx = K[m.i] !== 0 && vb - va >= lw + 12 ? va + 6 : m.b + 4;
      return m.lx;
    }
    function gather(over, row) {
      const groups = [];
      for (const m of over) {
        const group = groups[groups.length - 1];
        if (group && m.a - group.a < 44) { group.b = Math.max(group.b, m.b); group.events.push(m.i); } else groups.push({ a: m.a, b: m.b, row: row, events: [m.i] });
      }
      return groups;
    }
    function lowerBound(array, value) {
      let lo = 0, hi = array.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (array[mid] < value) lo = mid + 1; else hi = mid; }
      return lo;
    }
    function relayout() {
      layout = [];
      let top = 0, count = 0;
      for (let l = 0; l < lanes.length; l++) if (on[l] && hits[l]) count++;
      const room = Math.max(340, window.innerHeight - 220) - 52;
      const rows = clamp(Math.floor(room / ROW / Math.max(1, count)) - 1, 5, 24);
      for (let l = 0; l < lanes.length; l++) {
        if (!on[l] || !hits[l]) continue; // hidden, or nothing in it matches the search
        const plan = lanePlan(l, rows);
        plan.top = top;
        plan.alt = layout.length % 2 === 1;
        top += plan.h;
        layout.push(plan);
      }
      inner.style.height = top + 'px';
      tl.style.height = clamp(top + 48, 200, Math.max(340, window.innerHeight - 220)) + 'px';
    }

    // --- Drawing: DOM nodes only for the lanes and marks in view, reused by key. ---
    function schedule(full) {
      if (full) needLayout = true;
      if (!frame) frame = requestAnimationFrame(paint);
    }
    function paint() {
      frame = 0;
      W = Math.max(50, scroller.clientWidth - labelWidth);
      if (needLayout) { relayout(); drawAxis(); needLayout = false; }
      drawLanes();
      drawLink();
      drawBelow();
      tl.dataset.start = String(Math.round(t0));
      tl.dataset.end = String(Math.round(t0 + span));
      rangeEl.textContent = label(t0, span) + ' – ' + label(t0 + span, span);
      if (seen !== t0 + ' ' + span) { clearTimeout(settle); settle = setTimeout(status, SETTLE); }
    }
    // How many lanes lie below the frame, as a button that scrolls to them.
    function drawBelow() {
      const bottom = scroller.scrollTop + scroller.clientHeight;
      let count = 0;
      for (const plan of layout) if (plan.top + plan.h / 2 > bottom) count++;
      below.hidden = !count;
      if (!count) return;
      const text = count + (count === 1 ? ' more lane ↓' : ' more lanes ↓');
      if (below.textContent !== text) {
        below.textContent = text;
        below.setAttribute('aria-label', count + (count === 1 ? ' more lane' : ' more lanes') + ' below; press to scroll down');
      }
    }
    function label(t, length) {
      const f = fields(wallclock.wall(t));
      const day = f.d + ' ' + MONTHS[f.mo] + ' ' + f.y;
      if (length > 3 * YEAR) return String(f.y);
      if (length > 60 * DAY) return MONTHS[f.mo] + ' ' + f.y;
      return length > 3 * DAY ? day : day + ' ' + two(f.h) + ':' + two(f.mi);
    }
    function drawLanes() {
      const top = scroller.scrollTop - 300, bottom = scroller.scrollTop + scroller.clientHeight + 300;
      const keep = new Set();
      for (const plan of layout) {
        if (plan.top + plan.h < top || plan.top > bottom) continue;
        keep.add(plan.l);
        drawLane(plan);
      }
      laneEls.forEach(function (node, l) {
        if (!keep.has(l)) { rescueFocus(node.root); node.root.remove(); laneEls.delete(l); }
      });
      let cursor = inner.firstChild;
      for (const plan of layout) {
        const node = laneEls.get(plan.l);
        if (!node) continue;
        if (node.root === cursor) cursor = cursor.nextSibling; else inner.insertBefore(node.root, cursor);
      }
      if (!layout.length) {
        const note = inner.querySelector('.empty') || inner.appendChild(el('p', 'empty'));
        note.textContent = 'No event matches; clear the search or choose lanes.';
      } else {
        const note = inner.querySelector('.empty');
        if (note) note.remove();
      }
    }
    function drawLane(plan) {
      let node = laneEls.get(plan.l);
      if (!node) {
        const root = el('div', 'lane c' + (plan.l % COLORS));
        const name = el('div', 'ln', laneNames[plan.l]);
        name.setAttribute('title', laneNames[plan.l] + ' (' + lanes[plan.l].events.length + ')');
        const marks = el('div', 'lm');
        root.append(name, marks);
        node = { root: root, marks: marks, pool: new Map(), dense: null };
        laneEls.set(plan.l, node);
      }
      node.root.style.top = plan.top + 'px';
      node.root.style.height = plan.h + 'px';
      node.root.classList.toggle('alt', plan.alt);
      if (plan.dense) {
        node.pool.forEach(function (b) { rescueFocus(b); b.remove(); });
        node.pool.clear();
        drawDense(node, plan);
        return;
      }
      if (node.dense) { rescueFocus(node.dense); node.dense.remove(); node.dense = null; }
      const wanted = new Map();
      for (const m of plan.marks) wanted.set(m.i, m);
      node.pool.forEach(function (b, i) { if (!wanted.has(i)) { rescueFocus(b); b.remove(); node.pool.delete(i); } });
      node.marks.querySelectorAll('.more').forEach(function (b) { rescueFocus(b); b.remove(); });
      let cursor = node.marks.firstChild;
      for (const m of plan.marks) {
        let b = node.pool.get(m.i);
        if (!b) { b = markEl(m.i, plan.l); node.pool.set(m.i, b); }
        place(b, m);
        if (b === cursor) cursor = cursor.nextSibling; else node.marks.insertBefore(b, cursor);
      }
      for (const group of plan.more) node.marks.append(moreEl(group, plan.l));
    }
    function moreEl(group, l) {
      const b = el('button', 'more', '+' + group.events.length);
      b.type = 'button';
      b.dataset.from = String(Math.min.apply(null, group.events.map(function (i) { return S[i]; })));
      b.dataset.to = String(Math.max.apply(null, group.events.map(function (i) { return E[i]; })));
      b.setAttribute('aria-label', group.events.length + ' more events in ' + laneNames[l] + ' around '
        + when(group.events[0]) + '; press Enter to zoom in on them');
      b.style.left = Math.max(0, group.a) + 'px';
      b.style.top = (PAD / 2 + group.row * ROW) + 'px';
      return b;
    }
    function markEl(i, l) {
      const b = el('button', 'm ' + SHAPES[K[i]] + (Q[i] & (FADE_START | FADE_END) ? ' ap' : '') + (Q[i] & DASHED ? ' un' : ''));
      b.type = 'button';
      b.dataset.i = String(i);
      const lane = lanesOf[i].length > 1 ? ' (' + laneNames[l] + ', one of ' + lanesOf[i].length + ' lanes)' : '';
      b.setAttribute('aria-label', when(i) + ': ' + title(i) + lane);
      b.setAttribute('title', when(i) + ' — ' + title(i));
      b.setAttribute('aria-controls', 'panel');
      b.append(el('span', 'g'), el('span', 't', title(i)));
      if (i === selected) b.classList.add('sel');
      if (i === linked) b.classList.add('lk');
      return b;
    }
    function place(b, m) {
      const i = m.i, g = b.firstChild, t = b.lastChild;
      const a = Math.max(m.a, -40), z = Math.min(m.b, W + 40), left = K[i] === 0 ? m.a : a;
      const room = Math.min(LABEL, width(i), m.lim === undefined ? LABEL : m.lim - m.lx);
      t.hidden = room <= 0;
      if (!t.hidden) {
        t.style.left = (m.lx - left) + 'px';
        t.style.maxWidth = room + 'px';
      }
      b.style.left = left + 'px';
      b.style.top = (PAD / 2 + m.row * ROW) + 'px';
      b.style.width = Math.max(K[i] === 0 ? 18 : 3, (t.hidden ? z : Math.max(z, m.lx + room)) - left) + 'px';
      if (K[i] !== 0) {
        g.style.width = (z - a) + 'px';
        b.classList.toggle('fl', (Q[i] & FADE_START) !== 0 && m.a >= -40);
        b.classList.toggle('fr', (Q[i] & FADE_END) !== 0 && m.b <= W + 40);
      }
    }
    function drawDense(node, plan) {
      if (!node.dense) {
        const button = el('button', 'dense');
        button.type = 'button';
        button.append(el('canvas'));
        node.marks.append(button);
        node.dense = button;
      }
      const button = node.dense, canvas = button.firstChild, sc = W / span, ratio = window.devicePixelRatio || 1;
      button.setAttribute('aria-label', laneNames[plan.l] + ': ' + plan.dense.length.toLocaleString('en')
        + ' events in view, too many to show one by one; press Enter to zoom in');
      const cells = new Uint32Array(Math.ceil(W / 3) + 1);
      for (const i of plan.dense) {
        const a = clamp(Math.floor((S[i] - t0) * sc / 3), 0, cells.length - 1);
        const b = clamp(Math.floor((E[i] - t0) * sc / 3), a, cells.length - 1);
        for (let c = a; c <= b; c++) cells[c]++;
      }
      let most = 1;
      for (const c of cells) most = Math.max(most, c);
      canvas.width = Math.round(W * ratio);
      canvas.height = Math.round(DENSE * ratio);
      const ctx = canvas.getContext('2d');
      ctx.scale(ratio, ratio);
      ctx.fillStyle = getComputedStyle(node.root).getPropertyValue('--c') || '#888';
      for (let c = 0; c < cells.length; c++) {
        if (!cells[c]) continue;
        const h = 3 + (DENSE - 7) * Math.log1p(cells[c]) / Math.log1p(most);
        ctx.fillRect(c * 3, DENSE - 2 - h, 2.5, h);
      }
    }
    function rescueFocus(node) {
      if (node.contains(doc.activeElement)) tl.focus({ preventScroll: true });
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

    // --- Selection, the details panel, and the copies of an event in other lanes. ---
    function select(i) {
      selected = i;
      inner.querySelectorAll('.m.sel').forEach(function (b) { b.classList.remove('sel'); });
      if (i < 0) {
        panel.replaceChildren(hint);
      } else {
        inner.querySelectorAll('.m[data-i="' + i + '"]').forEach(function (b) { b.classList.add('sel'); });
        const copy = Array.from(items[i].children).map(function (child) { return child.cloneNode(true); });
        panel.replaceChildren.apply(panel, copy);
      }
      drawLink();
    }
    function setLinked(i) {
      if (i === linked) return;
      inner.querySelectorAll('.m.lk').forEach(function (b) { b.classList.remove('lk'); });
      linked = i;
      if (i >= 0 && lanesOf[i].length > 1) {
        inner.querySelectorAll('.m[data-i="' + i + '"]').forEach(function (b) { b.classList.add('lk'); });
      }
      drawLink();
    }
    function drawLink() {
      const i = linked >= 0 ? linked : selected;
      const ys = [];
      if (i >= 0 && lanesOf[i].length > 1) {
        for (const plan of layout) {
          if (lanesOf[i].indexOf(plan.l) < 0) continue;
          const m = plan.marks && plan.marks.find(function (x) { return x.i === i; });
          ys.push(plan.top + (m ? PAD / 2 + m.row * ROW + 9 : plan.h / 2));
        }
      }
      if (ys.length < 2) { conn.remove(); return; }
      const x = labelWidth + (((K[i] === 0 ? S[i] : Math.max(S[i], t0)) - t0) / span) * W;
      conn.style.left = (x - 1) + 'px';
      conn.style.top = Math.min.apply(null, ys) + 'px';
      conn.style.height = (Math.max.apply(null, ys) - Math.min.apply(null, ys)) + 'px';
      if (!conn.parentNode) inner.append(conn);
    }

    // --- Input: pointer, wheel, keys, controls. ---
    function markOf(target) {
      const b = target.closest && target.closest('.m');
      return b && inner.contains(b) ? +b.dataset.i : -1;
    }
    let drag = null, suppressClick = false;
    const pointers = new Map();
    scroller.addEventListener('pointerdown', function (e) {
      if (e.button !== 0 || e.target.closest('.ln')) return;
      pointers.set(e.pointerId, e.clientX);
      drag = { x: e.clientX, y: e.clientY, t0: t0, top: scroller.scrollTop, moved: false, id: e.pointerId,
        pinch: pointers.size === 2 ? { d: Math.abs(Array.from(pointers.values()).reduce(function (a, b) { return a - b; })), span: span } : null };
    });
    scroller.addEventListener('pointermove', function (e) {
      if (!drag) return;
      pointers.set(e.pointerId, e.clientX);
      if (drag.pinch && pointers.size === 2) {
        const xs = Array.from(pointers.values()), d = Math.max(10, Math.abs(xs[0] - xs[1]));
        const mid = (xs[0] + xs[1]) / 2 - tl.getBoundingClientRect().left - labelWidth;
        zoomAt(drag.pinch.span * drag.pinch.d / d / span, mid);
        drag.moved = true;
        return;
      }
      if (e.pointerId !== drag.id) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!drag.moved) { drag.moved = true; tl.classList.add('dragging'); scroller.setPointerCapture(e.pointerId); }
      setView(drag.t0 - (dx / W) * span, span);
      scroller.scrollTop = drag.top - dy;
    });
    function endDrag(e) {
      pointers.delete(e.pointerId);
      if (!drag) return;
      if (drag.moved) suppressClick = true;
      if (!pointers.size) { drag = null; tl.classList.remove('dragging'); }
    }
    scroller.addEventListener('pointerup', endDrag);
    scroller.addEventListener('pointercancel', endDrag);
    inner.addEventListener('click', function (e) {
      if (suppressClick) { suppressClick = false; return; }
      const more = e.target.closest('.more');
      if (more) {
        const from = +more.dataset.from, to = +more.dataset.to, length = Math.max(to - from, MIN_SPAN) * 1.6;
        setView((from + to) / 2 - length / 2, Math.min(length, span / 2));
        return;
      }
      const dense = e.target.closest('.dense');
      if (dense) {
        const rect = dense.getBoundingClientRect();
        zoomAt(0.25, e.detail ? e.clientX - rect.left : W / 2);
        return;
      }
      const i = markOf(e.target);
      if (i >= 0) select(i);
    });
    scroller.addEventListener('click', function () { suppressClick = false; });
    tl.addEventListener('wheel', function (e) {
      const rect = tl.getBoundingClientRect(), px = e.clientX - rect.left - labelWidth;
      if (px < 0 && !e.ctrlKey) return; // over the lane names: scroll the lanes
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      const dx = e.deltaX * unit, dy = e.deltaY * unit;
      if (!e.ctrlKey && (e.shiftKey || Math.abs(dx) > Math.abs(dy))) { pan(e.shiftKey ? dy || dx : dx); return; }
      zoomAt(Math.exp(clamp(dy, -300, 300) * (e.ctrlKey ? 0.01 : 0.0022)), clamp(px, 0, W));
    }, { passive: false });
    scroller.addEventListener('scroll', function () { schedule(false); });
    below.addEventListener('click', function () {
      scroller.scrollBy({ top: Math.max(ROW, scroller.clientHeight - ROW * 2) });
    });
    inner.addEventListener('mouseover', function (e) { setLinked(markOf(e.target)); });
    inner.addEventListener('mouseleave', function () { setLinked(markOf(doc.activeElement)); });
    inner.addEventListener('focusin', function (e) { setLinked(markOf(e.target)); });
    inner.addEventListener('focusout', function () { setLinked(-1); });
    doc.addEventListener('keydown', function (e) {
      const target = e.target;
      if (e.altKey || e.metaKey || e.ctrlKey) return;
      if (target === search) {
        if (e.key === 'Escape' && search.value) { search.value = ''; refilter(); }
        return;
      }
      if (target.closest && target.closest('input, select, textarea, details.lanes')) return;
      const key = e.key;
      if (key === '+' || key === '=') zoomAt(0.5, focusX());
      else if (key === '-' || key === '_' || key === '−') zoomAt(2, focusX());
      else if (key === '0') fit();
      else if (key === 'ArrowLeft') pan(-W / (e.shiftKey ? 2 : 8));
      else if (key === 'ArrowRight') pan(W / (e.shiftKey ? 2 : 8));
      else if (key === 'ArrowUp' && tl.contains(target)) scroller.scrollTop -= ROW * 2;
      else if (key === 'ArrowDown' && tl.contains(target)) scroller.scrollTop += ROW * 2;
      else if (key === 'Home') setView(extent()[0] - span * margins()[0], span);
      else if (key === 'End') setView(extent()[1] - span * (1 - margins()[1]), span);
      else if (key === 'Escape' && selected >= 0) select(-1);
      else return;
      e.preventDefault();
    });
    app.querySelector('.zoom').addEventListener('click', function (e) {
      const b = e.target.closest('button');
      if (!b) return;
      if (b.dataset.zoom === 'in') zoomAt(0.5, W / 2);
      else if (b.dataset.zoom === 'out') zoomAt(2, W / 2);
      else fit();
    });
    let typing = 0;
    search.addEventListener('input', function () { clearTimeout(typing); typing = setTimeout(refilter, 120); });
    const laneBox = app.querySelector('details.lanes');
    laneBox.addEventListener('change', function (e) {
      const box = e.target;
      if (box.type !== 'checkbox') return;
      on[+box.value] = box.checked;
      refilter();
    });
    laneBox.addEventListener('click', function (e) {
      const b = e.target.closest('button[data-all]');
      if (!b) return;
      boxes.forEach(function (box, l) { box.checked = on[l] = b.dataset.all === '1'; });
      refilter();
    });
    new ResizeObserver(function () { setSizes(); schedule(true); }).observe(tl);

    function setSizes() {
      labelWidth = laneNames.length > 1 ? (tl.clientWidth < 640 ? 110 : 180) : 90;
      tl.style.setProperty('--lw', labelWidth + 'px');
      W = Math.max(50, scroller.clientWidth - labelWidth);
    }
    app.hidden = false;
    setSizes();
    const [lo, hi] = extent();
    const asked = (askedTo === null ? hi : askedTo) - (askedFrom === null ? lo : askedFrom);
    maxSpan = clamp(Math.max((hi - lo) * 4, asked * 2, 10 * DAY), DAY, LAST - FIRST);
    refilter();
    fit();
    status();
    let hash = location.hash.slice(1);
    try { hash = decodeURIComponent(hash); } catch (e) { /* a malformed address: taken as written */ }
    const linkedItem = hash ? doc.getElementById(hash) : null;
    if (linkedItem && items.indexOf(linkedItem) >= 0) select(items.indexOf(linkedItem));
  }
})();
