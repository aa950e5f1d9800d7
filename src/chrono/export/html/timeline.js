// chrono's HTML timeline, part three of three (see time.js): reading the list, the state,
// what is shown, the selection, and the input.

// --- The state, shared by the three parts: the events as read from the list (#events),
// the page's nodes, and the view. Set once by start(), but for the view. ---
let app, items, n, S, E, K, Q, lanesOf, boxes, laneNames, lanes, on, match, hits;
let words, titles, whens, widths, wallclock, askedFrom, askedTo;
let tl, axis, grid, scroller, inner, panel, hint, countEl, rangeEl, search, conn, below;
let labelWidth = 180, W = 800;
let t0 = 0, span = DAY, maxSpan = DAY;
let layout = [], laneEls = new Map(), selected = -1, linked = -1;
let needLayout = true, frame = 0;
let counted = '', seen = '', settle = 0, query = '', before = null;

function start() {
  app = doc.getElementById('app');
  items = Array.from(doc.querySelectorAll('#events ol > li'));
  n = items.length;
  if (!n) { // no events: the list says so, and there is no time to draw
    doc.documentElement.classList.remove('js');
    return;
  }
  S = new Float64Array(n); E = new Float64Array(n); K = new Uint8Array(n); Q = new Uint8Array(n);
  lanesOf = new Array(n);
  boxes = Array.from(app.querySelectorAll('details.lanes input[type=checkbox]'));
  laneNames = boxes.map(function (b) { return b.parentNode.querySelector('.ln').textContent; });
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
  lanes = laneEvents.map(function (list) {
    list.sort(function (a, b) { return S[a] - S[b] || a - b; });
    const starts = new Float64Array(list.length);
    let longest = 0;
    list.forEach(function (i, k) { starts[k] = S[i]; longest = Math.max(longest, E[i] - S[i]); });
    return { events: Int32Array.from(list), starts: starts, longest: longest };
  });
  on = boxes.map(function (b) { return b.checked; });
  match = new Uint8Array(n).fill(1); hits = new Int32Array(lanes.length);
  words = new Array(n);
  titles = new Array(n); whens = new Array(n); widths = new Float32Array(n).fill(-1);
  wallclock = zone(app.dataset.tz, (+app.dataset.offset || 0) * MINUTE);

  tl = doc.getElementById('tl');
  axis = tl.querySelector('.axis'); grid = tl.querySelector('.grid');
  scroller = tl.querySelector('.scroll'); inner = tl.querySelector('.inner');
  panel = doc.querySelector('#panel .body'); hint = panel.firstElementChild;
  countEl = doc.getElementById('count'); rangeEl = doc.getElementById('range');
  search = doc.getElementById('q');
  conn = el('div', 'conn');
  below = el('button', 'below');
  below.type = 'button';
  below.hidden = true;
  tl.append(below);
  askedFrom = tl.hasAttribute('data-from') ? +tl.dataset.from : null;
  askedTo = tl.hasAttribute('data-to') ? +tl.dataset.to : null;

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
// The search text of every event, built a slice at a time once the page is drawn and
// idle, so that the first search of a large page need not build it all first.
function warmSearch(from) {
  const until = Math.min(n, from + 2000);
  for (let i = from; i < until; i++) haystack(i);
  if (until < n) (window.requestIdleCallback || setTimeout)(function () { warmSearch(until); });
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

doc.documentElement.classList.add('js');
doc.addEventListener('DOMContentLoaded', function () {
  try {
    start();
    doc.documentElement.classList.add('ready');
    setTimeout(function () { warmSearch(0); }, 0);
  } catch (error) {
    doc.documentElement.classList.remove('js'); // the list stays readable
    throw error;
  }
});
