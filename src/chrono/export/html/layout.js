// chrono's HTML timeline, part two of three (see time.js): the lanes, their marks packed in
// rows with their titles, the density strips, and drawing what is in view.

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
