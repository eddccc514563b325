// Hyosan replay viewer: plain JS, no build step, no network beyond the files beside this page.
// Data (see hyosan/viewer/export.py): data/meta.json, data/level_K.bin (uint8 cell kinds),
// data/timeseries.json, data/events.json, data/agents.json (column-oriented) and the run's
// frame chunks data/frames/chunk_*.bin.gz (gzip; decompressed here, layout in record/format.py).
(() => {
  'use strict';

  // ------------------------------------------------------------------ vocabulary and colours
  const ESCAPED = 6;
  const STATE_COLORS = ['#4f8ff7', '#f5a524', '#e0312b', '#b26cf0', '#6b6f78', '#4a3b36', '#3fc46a'];
  const STATE_LABELS = ['susceptible', 'infected', 'zombie', 'carrier', 'dead', 'destroyed', 'escaped'];
  // cell kinds: wall floor door stairs exit window ground obstacle void
  const KIND_COLORS = ['#34373f', '#d8d2c3', '#8b5a2b', '#9fb2c8', '#8ddc8d', '#a8d4f0', '#aab88f',
    '#857b6d', null];
  // door states: open closed locked barricaded broken
  const DOOR_COLORS = ['#c9a36b', '#8b5a2b', '#4b2e14', '#e0662b', '#8f8f8f'];
  const NOTABLE = new Set(['intervention', 'place_fell', 'door_broken', 'hide', 'barricade']);

  const $ = (id) => document.getElementById(id);
  const hexPix = (hex) => {
    // a CSS colour as a little-endian RGBA pixel for Uint32Array views of ImageData
    const v = parseInt(hex.slice(1), 16);
    return ((255 << 24) | ((v & 255) << 16) | (((v >> 8) & 255) << 8) | (v >> 16)) >>> 0;
  };
  const STATE_PIX = STATE_COLORS.map(hexPix);
  const DOOR_PIX = DOOR_COLORS.map(hexPix);

  // ------------------------------------------------------------------ state of the page
  const V = {
    meta: null, ts: null, ev: null, ag: null, levels: [], nFrames: 0, nAgents: 0,
    frame: 0, playing: false, fps: 10, acc: 0, lastT: null, drawn: 0, dirty: true,
    mode: 'all', scale: 4, tx: 0, ty: 0, grade: true, followId: -1, selectedId: -1,
    chunks: new Map(), shownCounts: null, eventIdx: -2, named: [], panels: [], byLevel: [],
  };

  // ------------------------------------------------------------------ loading
  async function fetchOk(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r;
  }
  const getJSON = async (url) => (await fetchOk(url)).json();
  const getBytes = async (url) => (await fetchOk(url)).arrayBuffer();

  async function gunzip(buf) {
    const head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
    if (head[0] !== 0x1f || head[1] !== 0x8b) return buf; // a host already decoded it
    const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  function chunkOf(f) {
    const ch = V.meta.frames.chunks;
    let lo = 0, hi = ch.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ch[mid].first <= f) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  async function loadChunk(k) {
    const info = V.meta.frames.chunks[k];
    const buf = await gunzip(await getBytes(`data/frames/${info.file}`));
    const c = info.count, n = V.nAgents, nd = V.meta.frames.n_doors;
    if (buf.byteLength < c * (6 * n + nd)) throw new Error(`chunk ${info.file} is truncated`);
    const level = new Uint8Array(buf, 0, c * n);
    const state = new Uint8Array(buf, c * n, c * n);
    const row = new Int16Array(buf, 2 * c * n, c * n);
    const col = new Int16Array(buf, 4 * c * n, c * n);
    const doors = new Uint8Array(buf, 6 * c * n, c * nd);
    for (let f = 1; f < c; f++) { // rows/cols after the first frame are differences
      const a = f * n, b = a - n;
      for (let i = 0; i < n; i++) { row[a + i] += row[b + i]; col[a + i] += col[b + i]; }
    }
    return { first: info.first, count: c, level, state, row, col, doors };
  }

  function ensureChunk(k) {
    const nChunks = V.meta.frames.chunks.length;
    if (k < 0 || k >= nChunks) return Promise.resolve(null);
    let e = V.chunks.get(k);
    if (!e) {
      e = { data: null, promise: null };
      e.promise = loadChunk(k).then((d) => { e.data = d; return d; }, (err) => {
        V.chunks.delete(k); throw err;
      });
      V.chunks.set(k, e);
      // keep memory bounded: drop the chunks farthest from the one in view
      const cur = chunkOf(V.frame);
      while (V.chunks.size > 6) {
        let far = -1, dist = -1;
        for (const key of V.chunks.keys()) {
          const d = Math.abs(key - cur);
          if (d > dist && key !== k) { far = key; dist = d; }
        }
        V.chunks.delete(far);
      }
    }
    return e.promise;
  }
  const chunkData = (k) => { const e = V.chunks.get(k); return e ? e.data : null; };

  // ------------------------------------------------------------------ lookups
  function lastLE(arr, x) { // index of the last element <= x (arr ascending), -1 if none
    let lo = 0, hi = arr.length - 1, ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] <= x) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }
  const frameTick = (f) => V.meta.frames.ticks[f];
  const frameForTick = (tick) => Math.max(0, lastLE(V.meta.frames.ticks, tick));
  function clock(timeS) {
    const s = Math.floor(((V.meta.summary.start_clock_s || 0) + timeS) % 86400);
    const p = (x) => String(x).padStart(2, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
  }
  const minutes = (timeS) => `${(timeS / 60).toFixed(1)} min`;
  function agentLabel(id) {
    if (id < 0 || id === null || id === undefined) return '—';
    const name = V.ag.name ? V.ag.name[id] : '';
    return name ? `${name} (#${id})` : `#${id}`;
  }
  function roleName(r) {
    return typeof r === 'number' ? (V.meta.role_names[r] || String(r)) : String(r ?? '?');
  }
  function stateName(s) {
    return typeof s === 'number' ? (STATE_LABELS[s] || String(s)) : String(s ?? '?');
  }

  // counts at the current frame: the time-series row of that tick (else the last before it)
  function countsAt(f) {
    const i = lastLE(V.ts.tick, frameTick(f));
    const out = {};
    for (const name of V.meta.state_names) out[name] = i >= 0 && V.ts[name] ? V.ts[name][i] : 0;
    return out;
  }

  // ------------------------------------------------------------------ world and layout
  // Each level keeps its static picture (cell kinds) as a cached pixel buffer; every frame copies
  // the part in view into the level's offscreen canvas, writes doors and agents over it, and the
  // map draws panels of those canvases scaled: a memcpy and a drawImage per panel, whatever the
  // number of agents. A town too large to show at full size gets a shrunk copy (the inset).
  // cell kind -> which wins when many cells shrink into one pixel (as report/canvas.py pool_kinds)
  const KIND_PRIORITY = [8, 2, 7, 6, 5, 4, 1, 3, 0];

  // levels named as the report names them (report/data.py level_label): 1F is the ground floor
  function storeyLabel(m) {
    if (String(m.name || '').endsWith('rooftop')) return 'rooftop';
    return `${Number(m.floor || 0) + 1}F`;
  }
  function levelLabel(m) {
    if (m.building && m.index > 0) return `${m.building} ${storeyLabel(m)}`;
    if (m.building) return `${m.building} 1F`;
    return String(m.name || `level ${m.index}`);
  }

  function buildLevel(lv, grid) {
    const h = lv.height, w = lv.width;
    const layer = document.createElement('canvas');
    layer.width = w; layer.height = h;
    const lctx = layer.getContext('2d');
    const limg = lctx.createImageData(w, h);
    const bgpix = new Uint32Array(h * w);
    const kindPix = KIND_COLORS.map((c) => (c ? hexPix(c) : 0));
    for (let i = 0; i < h * w; i++) bgpix[i] = kindPix[grid[i]] ?? 0;
    return { index: lv.index, name: levelLabel(lv), h, w, grid, bgpix, layer, lctx, limg,
      lpix: new Uint32Array(limg.data.buffer), visible: true, need: null, shrunk: null };
  }

  // a copy of level lv shrunk by `down` (block max of kind priority), for the inset
  function shrink(lv, down) {
    if (lv.shrunk && lv.shrunk.down === down) return lv.shrunk;
    const h = Math.ceil(lv.h / down), w = Math.ceil(lv.w / down);
    const pr = new Uint8Array(h * w);
    for (let r = 0; r < lv.h; r++) {
      const o = (r / down | 0) * w, g = r * lv.w;
      for (let c = 0; c < lv.w; c++) {
        const p = KIND_PRIORITY[lv.grid[g + c]] ?? 0, k = o + (c / down | 0);
        if (p > pr[k]) pr[k] = p;
      }
    }
    const kindPix = KIND_COLORS.map((c) => (c ? hexPix(c) : 0));
    const byPrio = new Uint32Array(9);
    KIND_PRIORITY.forEach((p, kind) => { byPrio[p] = kindPix[kind]; });
    const bgpix = new Uint32Array(h * w);
    for (let i = 0; i < h * w; i++) bgpix[i] = byPrio[pr[i]];
    const layer = document.createElement('canvas');
    layer.width = w; layer.height = h;
    const lctx = layer.getContext('2d');
    const limg = lctx.createImageData(w, h);
    lv.shrunk = { down, h, w, bgpix, layer, lctx, limg, lpix: new Uint32Array(limg.data.buffer) };
    return lv.shrunk;
  }

  // The building's storeys, top storey first, and the crop of level 0 that is its 1F (as
  // report/animation.py building_levels): the "all" view draws these large, the town as an inset.
  function buildingPlan() {
    const L = V.meta.world.levels;
    const ups = L.filter((m) => m.index > 0 && m.building)
      .sort((a, b) => Number(b.floor ?? b.index) - Number(a.floor ?? a.index)).map((m) => m.index);
    if (L.length && L[0].building) return { storeys: [...ups, 0], crop: null };
    if (!ups.length) return { storeys: [], crop: null };
    const low = L[ups[ups.length - 1]], g = L[0];
    const [or, oc] = (low.origin || [0, 0]).map(Number);
    const r0 = Math.max(0, Math.min(g.height - 1, or)), c0 = Math.max(0, Math.min(g.width - 1, oc));
    return { storeys: ups, crop: { r0, c0, rows: Math.min(low.height, g.height - r0),
      cols: Math.min(low.width, g.width - c0), label: `${low.building} 1F` } };
  }

  const fullPanel = (lv, label) => ({ level: lv.index, r0: 0, c0: 0, rows: lv.h, cols: lv.w,
    k: 1, inset: false, label: label ?? lv.name, x: 0, y: 0 });

  // main panels row-major in `ncols` columns, `gap` layout units apart; returns their extent
  function gridPlace(panels, ncols, gap) {
    let y = 0, w = 0;
    for (let i = 0; i < panels.length; i += ncols) {
      let x = 0, rowH = 0;
      for (const p of panels.slice(i, i + ncols)) {
        p.x = x; p.y = y; x += p.cols * p.k + gap; rowH = Math.max(rowH, p.rows * p.k);
      }
      w = Math.max(w, x - gap); y += rowH + gap;
    }
    return { w, h: y - gap };
  }

  // The "all" view: the building's storeys large (a grid with the column count and an inset
  // placement, right or below, that give them the largest scale on this canvas), the whole town
  // shrunk beside them with the building outlined, at most about a third of the storeys' extent.
  function layoutAll(W, H) {
    const plan = buildingPlan();
    const lv0 = V.levels[0];
    let main;
    if (plan.storeys.length) {
      main = plan.storeys.map((k) => fullPanel(V.levels[k]));
      if (plan.crop) main.push({ ...fullPanel(lv0, plan.crop.label), ...plan.crop });
    } else main = V.levels.map((lv) => fullPanel(lv));
    // no inset where the ground level is little more than the building's 1F (no town around it)
    const town = plan.crop && plan.crop.rows * plan.crop.cols < 0.9 * lv0.h * lv0.w;
    let best = null, gap = 6;
    for (let iter = 0; iter < 3; iter++) {
      best = null;
      for (let ncols = 1; ncols <= main.length; ncols++) {
        for (const where of town ? ['right', 'below'] : ['none']) {
          const ext = gridPlace(main, ncols, gap);
          let tw = ext.w, th = ext.h, inset = null;
          if (where !== 'none') {
            const k = where === 'right' ? Math.min(1, 0.34 * ext.w / lv0.w, ext.h / lv0.h)
              : Math.min(1, ext.w / lv0.w, 0.34 * ext.h / lv0.h);
            inset = { ...fullPanel(lv0), k, inset: true, outline: plan.crop };
            if (where === 'right') {
              inset.x = ext.w + gap; inset.y = Math.max(0, ext.h - lv0.h * k); // bottom, clear of the zoom box
              tw = inset.x + lv0.w * k; th = Math.max(ext.h, lv0.h * k);
            } else {
              inset.x = 0; inset.y = ext.h + gap;
              tw = Math.max(ext.w, lv0.w * k); th = inset.y + lv0.h * k;
            }
          }
          const s = Math.min(W / tw, H / th);
          if (!best || s > best.s * 1.001) {
            best = { s, ncols, inset, main: main.map((p) => ({ ...p })) };
          }
        }
      }
      gap = Math.max(2, 22 / best.s); // room for a label above each panel at the fitted scale
    }
    const panels = best.main;
    if (best.inset) {
      best.inset.down = Math.max(1, Math.floor(1 / (best.inset.k * best.s)));
      best.inset.label = lv0.name;
      best.inset.hint = ' · double-click to open';
      panels.push(best.inset);
    }
    return panels;
  }

  function layout() {
    for (const lv of V.levels) { lv.visible = false; lv.need = null; lv.shrunkOn = false; }
    V.panels = V.mode === 'all' ? layoutAll(cssW(), cssH() - 18)
      : V.levels.filter((lv) => Number(V.mode) === lv.index).map((lv) => fullPanel(lv));
    V.byLevel = V.levels.map(() => []);
    for (const p of V.panels) {
      const lv = V.levels[p.level];
      lv.visible = true;
      if (p.inset) { lv.shrunkOn = true; p.src = shrink(lv, p.down); }
      else { // the rows of the level some panel shows (only those are redrawn each frame)
        const n = lv.need;
        lv.need = n ? { r0: Math.min(n.r0, p.r0), r1: Math.max(n.r1, p.r0 + p.rows),
          c0: Math.min(n.c0, p.c0), c1: Math.max(n.c1, p.c0 + p.cols) }
          : { r0: p.r0, r1: p.r0 + p.rows, c0: p.c0, c1: p.c0 + p.cols };
      }
      V.byLevel[p.level].push(p);
    }
    for (const list of V.byLevel) list.sort((a, b) => a.inset - b.inset); // the large view wins
  }

  // the panel that shows cell (r, c) of level L, or null
  function panelOf(L, r, c) {
    for (const p of V.byLevel[L] || []) {
      if (r >= p.r0 && r < p.r0 + p.rows && c >= p.c0 && c < p.c0 + p.cols) return p;
    }
    return null;
  }
  const layoutX = (p, c) => p.x + (c - p.c0 + 0.5) * p.k; // cell centre in layout units
  const layoutY = (p, r) => p.y + (r - p.r0 + 0.5) * p.k;

  function bounds() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const p of V.panels) {
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
      x1 = Math.max(x1, p.x + p.cols * p.k); y1 = Math.max(y1, p.y + p.rows * p.k);
    }
    return { x0, y0, x1, y1 };
  }

  const map = $('map');
  const mctx = map.getContext('2d');
  const cssW = () => map.clientWidth || 1;
  const cssH = () => map.clientHeight || 1;

  function fit() {
    const b = bounds();
    const W = cssW(), H = cssH() - 18; // room for level labels
    V.scale = Math.max(0.2, Math.min(W / (b.x1 - b.x0), H / (b.y1 - b.y0)) * 0.96);
    V.tx = (W - (b.x1 - b.x0) * V.scale) / 2 - b.x0 * V.scale;
    V.ty = 18 + (H - (b.y1 - b.y0) * V.scale) / 2 - b.y0 * V.scale;
    V.dirty = true;
  }

  function setMode(mode, refit = true) {
    V.mode = String(mode);
    $('level').value = V.mode;
    layout();
    if (refit) fit();
    V.dirty = true;
  }

  function zoomAt(factor, sx, sy) {
    const s = Math.max(0.2, Math.min(80, V.scale * factor));
    V.tx = sx - (sx - V.tx) * (s / V.scale);
    V.ty = sy - (sy - V.ty) * (s / V.scale);
    V.scale = s;
    V.dirty = true;
  }

  function resize() {
    const dpr = window.devicePixelRatio || 1;
    for (const [cv, w, h] of [[map, cssW(), cssH()], [curves, curves.clientWidth, curves.clientHeight]]) {
      cv.width = Math.max(1, Math.round(w * dpr));
      cv.height = Math.max(1, Math.round(h * dpr));
    }
    drawCurvesBase();
    if (V.mode === 'all' && V.levels.length) { layout(); if (V.followId < 0) fit(); }
    V.dirty = true;
  }

  // ------------------------------------------------------------------ drawing the map
  function agentPos(d, j, i) { // (level, row, col, state) of agent i in frame j of chunk d
    const o = j * V.nAgents + i;
    return [d.level[o], d.row[o], d.col[o], d.state[o]];
  }

  function renderLayers(d, j) {
    const n = V.nAgents, off = j * n;
    for (const lv of V.levels) {
      if (lv.need) lv.lpix.set(lv.bgpix.subarray(lv.need.r0 * lv.w, lv.need.r1 * lv.w), lv.need.r0 * lv.w);
      if (lv.shrunkOn) lv.shrunk.lpix.set(lv.shrunk.bgpix);
    }
    const dl = V.meta.doors, nd = V.meta.frames.n_doors;
    for (let k = 0; k < nd; k++) {
      const lv = V.levels[dl.level[k]];
      if (lv && lv.need) lv.lpix[dl.row[k] * lv.w + dl.col[k]] = DOOR_PIX[d.doors[j * nd + k]] || 0;
    }
    // bodies first, then the living, the zombies on top (report/canvas.py DRAW_ORDER)
    for (let pass = 0; pass < 3; pass++) {
      for (let i = 0; i < n; i++) {
        const s = d.state[off + i];
        if (s === ESCAPED || pass !== (s === 4 || s === 5 ? 0 : s === 2 ? 2 : 1)) continue;
        const lv = V.levels[d.level[off + i]];
        if (!lv || !lv.visible) continue;
        const r = d.row[off + i], c = d.col[off + i];
        if (r < 0 || c < 0 || r >= lv.h || c >= lv.w) continue;
        const pix = STATE_PIX[s] || 0;
        if (lv.need) lv.lpix[r * lv.w + c] = pix;
        if (lv.shrunkOn) { // in the inset the zombies are 2 x 2 dots, so they stand out
          const sh = lv.shrunk, rr = r / sh.down | 0, cc = c / sh.down | 0;
          sh.lpix[rr * sh.w + cc] = pix;
          if (pass === 2) {
            const r1 = Math.min(rr + 1, sh.h - 1), c1 = Math.min(cc + 1, sh.w - 1);
            sh.lpix[rr * sh.w + c1] = pix; sh.lpix[r1 * sh.w + cc] = pix; sh.lpix[r1 * sh.w + c1] = pix;
          }
        }
      }
    }
    for (const lv of V.levels) {
      const q = lv.need;
      if (q) lv.lctx.putImageData(lv.limg, 0, 0, q.c0, q.r0, q.c1 - q.c0, q.r1 - q.r0);
      if (lv.shrunkOn) lv.shrunk.lctx.putImageData(lv.shrunk.limg, 0, 0);
    }
  }

  function followCentre(d, j) {
    if (V.followId < 0) return;
    const [L, r, c] = agentPos(d, j, V.followId);
    if (V.mode !== 'all' && Number(V.mode) !== L && V.levels[L]) setMode(L, false);
    let p = panelOf(L, r, c);
    // out in the town, only the shrunk inset shows them: follow on that level at full size
    if (p && p.inset) { setMode(L, false); p = panelOf(L, r, c); }
    if (!p) return;
    V.tx = cssW() / 2 - layoutX(p, c) * V.scale;
    V.ty = cssH() / 2 - layoutY(p, r) * V.scale;
  }

  function screenOf(d, j, i) { // screen position of agent i, or null if no panel shows it
    const [L, r, c] = agentPos(d, j, i);
    const p = panelOf(L, r, c);
    if (!p) return null;
    return [layoutX(p, c) * V.scale + V.tx, layoutY(p, r) * V.scale + V.ty, L];
  }

  // a panel's rectangle on screen (CSS px)
  const panelRect = (p) => ({ x: p.x * V.scale + V.tx, y: p.y * V.scale + V.ty,
    w: p.cols * p.k * V.scale, h: p.rows * p.k * V.scale });

  function draw() {
    const k = chunkOf(V.frame), d = chunkData(k);
    if (!d) return false;
    const j = V.frame - d.first;
    followCentre(d, j);
    renderLayers(d, j);
    const dpr = window.devicePixelRatio || 1;
    mctx.setTransform(1, 0, 0, 1, 0, 0);
    mctx.fillStyle = '#0d0e11';
    mctx.fillRect(0, 0, map.width, map.height);
    mctx.setTransform(dpr * V.scale, 0, 0, dpr * V.scale, dpr * V.tx, dpr * V.ty);
    mctx.imageSmoothingEnabled = false;
    for (const p of V.panels) {
      if (p.inset) {
        const sh = p.src, f = sh.down * p.k;
        mctx.drawImage(sh.layer, 0, 0, sh.w, sh.h, p.x, p.y, sh.w * f, sh.h * f);
      } else {
        mctx.drawImage(V.levels[p.level].layer, p.c0, p.r0, p.cols, p.rows, p.x, p.y, p.cols, p.rows);
      }
    }
    mctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const c0 = V.shownCounts;
    if (V.grade && c0.zombie > 0) { // darker and bluer as the zombies' share of the living rises
      const c = V.shownCounts;
      const living = c.susceptible + c.infected + c.zombie + c.carrier;
      const share = living > 0 ? c.zombie / living : 0;
      mctx.globalCompositeOperation = 'multiply';
      mctx.fillStyle = `rgb(${255 - 150 * share},${255 - 120 * share},${255 - 50 * share})`;
      mctx.fillRect(0, 0, cssW(), cssH());
      mctx.globalCompositeOperation = 'source-over';
    }
    drawLabels();
    for (const [id, colour] of [[V.selectedId, '#ffffff'], [V.followId, '#f2c14e']]) {
      if (id < 0) continue;
      const p = screenOf(d, j, id);
      if (!p) continue;
      mctx.strokeStyle = colour;
      mctx.lineWidth = 2;
      mctx.beginPath();
      mctx.arc(p[0], p[1], Math.max(6, V.scale * 1.2), 0, 2 * Math.PI);
      mctx.stroke();
    }
    V.drawn += 1;
    V.dirty = false;
    drawCursor();
    return true;
  }

  function drawLabels() {
    mctx.font = '600 13px system-ui, sans-serif';
    mctx.textBaseline = 'bottom';
    for (const p of V.panels) {
      const q = panelRect(p);
      mctx.fillStyle = '#f2c14e';
      const long = p.hint ? p.label + p.hint : p.label;
      mctx.fillText(mctx.measureText(long).width <= cssW() - q.x - 4 ? long : p.label, q.x, q.y - 3);
      if (p.outline) { // where the building stands in the town
        const o = p.outline, s = p.k * V.scale;
        mctx.strokeStyle = '#f2c14e';
        mctx.lineWidth = 2;
        mctx.strokeRect(q.x + o.c0 * s - 2, q.y + o.r0 * s - 2, o.cols * s + 4, o.rows * s + 4);
      }
    }
    mctx.font = '11px system-ui, sans-serif';
    mctx.textBaseline = 'middle';
    mctx.textAlign = 'center';
    mctx.fillStyle = 'rgba(20,20,24,0.75)';
    for (const pl of V.meta.world.places) {
      if (pl.kind === 'street') continue;
      const r = pl.centroid[0], c = pl.centroid[1];
      const p = panelOf(pl.level, Math.floor(r), Math.floor(c));
      if (!p || p.inset || V.scale * p.k < 7) continue;
      mctx.fillText(pl.name, layoutX(p, c) * V.scale + V.tx, layoutY(p, r) * V.scale + V.ty);
    }
    mctx.textAlign = 'start';
  }

  // ------------------------------------------------------------------ curves under the map
  const curves = $('curves');
  const cctx = curves.getContext('2d');
  const curveBase = document.createElement('canvas');
  const CURVES = [['susceptible', 0], ['infected', 1], ['zombie', 2], ['escaped', 6]];
  const PAD = { l: 44, r: 10, t: 8, b: 16 };

  function tickRange() {
    const t = V.ts.tick;
    const f = V.meta.frames.ticks;
    const lo = Math.min(t.length ? t[0] : 0, f.length ? f[0] : 0);
    const hi = Math.max(t.length ? t[t.length - 1] : 1, f.length ? f[f.length - 1] : 1);
    return [lo, Math.max(hi, lo + 1)];
  }
  const tickX = (tick, W) => {
    const [lo, hi] = tickRange();
    return PAD.l + (tick - lo) / (hi - lo) * (W - PAD.l - PAD.r);
  };

  function drawCurvesBase() {
    if (!V.ts) return;
    const dpr = window.devicePixelRatio || 1;
    const W = curves.clientWidth, H = curves.clientHeight;
    curveBase.width = curves.width; curveBase.height = curves.height;
    const g = curveBase.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    let ymax = 1;
    for (const [name] of CURVES) for (const v of (V.ts[name] || [])) ymax = Math.max(ymax, v);
    const y = (v) => H - PAD.b - v / ymax * (H - PAD.t - PAD.b);
    g.strokeStyle = '#2c3038'; g.fillStyle = '#8a8f99'; g.font = '10px system-ui, sans-serif';
    g.lineWidth = 1;
    for (const v of [0, ymax / 2, ymax]) {
      g.beginPath(); g.moveTo(PAD.l, y(v)); g.lineTo(W - PAD.r, y(v)); g.stroke();
      g.fillText(String(Math.round(v)), 4, y(v) + 3);
    }
    for (const e of responseEvents()) { // response events as dashed lines
      const x = tickX(e.tick, W);
      g.setLineDash([3, 3]); g.strokeStyle = '#f2c14e88';
      g.beginPath(); g.moveTo(x, PAD.t); g.lineTo(x, H - PAD.b); g.stroke();
      g.setLineDash([]);
      g.fillStyle = '#f2c14e'; g.fillText(e.detail || e.kind, x + 3, PAD.t + 8);
    }
    const t = V.ts.tick;
    const step = Math.max(1, Math.floor(t.length / (W * 2)));
    for (const [name, s] of CURVES) {
      const col = V.ts[name];
      if (!col) continue;
      g.strokeStyle = STATE_COLORS[s]; g.lineWidth = 1.6;
      g.beginPath();
      for (let i = 0; i < t.length; i += step) {
        const px = tickX(t[i], W), py = y(col[i]);
        if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
      }
      g.stroke();
    }
    let lx = PAD.l + 6;
    for (const [name, s] of CURVES) {
      g.fillStyle = STATE_COLORS[s]; g.fillText(name, lx, H - 3); lx += g.measureText(name).width + 12;
    }
  }

  function drawCursor() {
    const dpr = window.devicePixelRatio || 1;
    const W = curves.clientWidth, H = curves.clientHeight;
    cctx.setTransform(1, 0, 0, 1, 0, 0);
    cctx.clearRect(0, 0, curves.width, curves.height);
    cctx.drawImage(curveBase, 0, 0);
    cctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const x = tickX(frameTick(V.frame), W);
    cctx.strokeStyle = '#ffffff'; cctx.lineWidth = 1;
    cctx.beginPath(); cctx.moveTo(x, PAD.t); cctx.lineTo(x, H - PAD.b); cctx.stroke();
  }

  // ------------------------------------------------------------------ events
  function eventAt(i) {
    const e = {};
    for (const k of Object.keys(V.ev)) e[k] = V.ev[k][i];
    e.i = i;
    return e;
  }
  let responseCache = null;
  function responseEvents() {
    if (!responseCache) {
      responseCache = [];
      const kinds = V.ev.kind || [];
      for (let i = 0; i < kinds.length; i++) if (kinds[i] === 'intervention') responseCache.push(eventAt(i));
    }
    return responseCache;
  }
  function describe(e) {
    const a = agentLabel(e.agent), o = agentLabel(e.other), at = e.place ? ` in ${e.place}` : '';
    switch (e.kind) {
      case 'bite': return `${a} bit ${o}${at}`;
      case 'kill': return `${a} destroyed ${o}${at}`;
      case 'turn': return `${a} turned${at}`;
      case 'carrier': return `${a} proved immune (carrier)`;
      case 'escape': return `${a} escaped${e.detail ? ` (${e.detail})` : ''}`;
      case 'death': return `${a} died${e.detail ? ` (${e.detail})` : ''}`;
      case 'rise': return `${a} rose as a zombie`;
      case 'place_fell': return `${e.place} fell to the zombies`;
      case 'intervention': return `response: ${e.detail}${at}`;
      default: return `${e.kind}: ${a}${at}${e.detail ? ` (${e.detail})` : ''}`;
    }
  }
  let filtered = null;
  function filteredEvents() {
    if (filtered) return filtered;
    const all = $('event-filter').value === 'all';
    const named = V.ag.name || [];
    const n = (V.ev.kind || []).length;
    filtered = [];
    for (let i = 0; i < n; i++) {
      const a = V.ev.agent[i], o = V.ev.other[i];
      if (all || NOTABLE.has(V.ev.kind[i]) || (a >= 0 && named[a]) || (o >= 0 && named[o])) filtered.push(i);
    }
    return filtered;
  }
  function renderEvents(force) {
    const list = filteredEvents();
    const tick = frameTick(V.frame);
    // index of the last listed event at or before this tick
    let lo = 0, hi = list.length - 1, cur = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (V.ev.tick[list[mid]] <= tick) { cur = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (!force && cur === V.eventIdx) return;
    V.eventIdx = cur;
    const ol = $('events');
    ol.textContent = '';
    const from = Math.max(0, cur - 60), to = Math.min(list.length, cur + 40);
    let nowEl = null;
    for (let p = from; p < to; p++) {
      const e = eventAt(list[p]);
      const li = document.createElement('li');
      li.className = p < cur ? 'past' : (p === cur ? 'past now' : '');
      li.dataset.tick = e.tick;
      const t = document.createElement('span');
      t.className = 't'; t.textContent = clock(e.time_s);
      li.append(t, describe(e));
      li.addEventListener('click', () => { seek(frameForTick(e.tick)); });
      ol.append(li);
      if (p === cur) nowEl = li;
    }
    if (nowEl) ol.scrollTop = Math.max(0, nowEl.offsetTop - ol.offsetTop - ol.clientHeight / 2);
  }

  // ------------------------------------------------------------------ agent panel
  function agentAtScreen(sx, sy) {
    const d = chunkData(chunkOf(V.frame));
    if (!d) return -1;
    const j = V.frame - d.first, off = j * V.nAgents;
    let best = -1, bestD = Math.max(6, V.scale * 1.5) ** 2;
    for (let i = 0; i < V.nAgents; i++) {
      if (d.state[off + i] === ESCAPED) continue;
      const r = d.row[off + i], c = d.col[off + i];
      const p = panelOf(d.level[off + i], r, c);
      if (!p) continue;
      const x = layoutX(p, c) * V.scale + V.tx, y = layoutY(p, r) * V.scale + V.ty;
      const dd = (x - sx) ** 2 + (y - sy) ** 2;
      if (dd < bestD) { bestD = dd; best = i; }
    }
    return best;
  }

  function showAgent() {
    const box = $('agent-info');
    const id = V.selectedId;
    if (id < 0) { box.className = 'hint'; box.textContent = 'Click a person on the map.'; return; }
    const d = chunkData(chunkOf(V.frame));
    box.className = '';
    box.textContent = '';
    const col = (k) => (V.ag[k] ? V.ag[k][id] : undefined);
    const rows = [['who', agentLabel(id)], ['role', roleName(col('role'))]];
    if (d) {
      const [L, r, c, s] = agentPos(d, V.frame - d.first, id);
      rows.push(['now', stateName(s)], ['where', `${V.levels[L] ? V.levels[L].name : L} (${r}, ${c})`]);
    }
    const when = (x) => (x === null || x === undefined ? '—' : `${clock(x)} (${minutes(x)})`);
    rows.push(['started in', col('start_place') || '—'], ['group', col('group') ?? '—'],
      ['bitten', when(col('bitten_at_s'))], ['bitten by', agentLabel(col('bitten_by'))],
      ['turned', when(col('turned_at_s'))], ['ended', when(col('ended_at_s'))],
      ['fate', stateName(col('final_state'))]);
    const dl = document.createElement('dl');
    for (const [k, v] of rows) {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = String(v);
      dl.append(dt, dd);
    }
    const btn = document.createElement('button');
    btn.textContent = V.followId === id ? 'following' : 'follow';
    btn.addEventListener('click', () => follow(id));
    const hist = document.createElement('ol');
    hist.className = 'history';
    const n = (V.ev.kind || []).length;
    for (let i = 0; i < n; i++) {
      if (V.ev.agent[i] !== id && V.ev.other[i] !== id) continue;
      const e = eventAt(i);
      const li = document.createElement('li');
      li.textContent = `${clock(e.time_s)}  ${describe(e)}`;
      li.addEventListener('click', () => seek(frameForTick(e.tick)));
      hist.append(li);
    }
    const h = document.createElement('div'); h.className = 'hint'; h.textContent = 'history';
    box.append(dl, btn, h, hist);
  }

  // ------------------------------------------------------------------ frame changes
  function showCounts() {
    V.shownCounts = countsAt(V.frame);
    const box = $('counts');
    for (const name of V.meta.state_names) box.querySelector(`[data-count="${name}"] b`).textContent =
      String(V.shownCounts[name]);
    const t = V.meta.frames.time_s[V.frame];
    $('clock').textContent = `${clock(t)}  (${minutes(t)})`;
    $('frame-label').textContent = `frame ${V.frame + 1}/${V.nFrames} · tick ${frameTick(V.frame)}`;
  }

  function setFrame(f) {
    V.frame = Math.max(0, Math.min(V.nFrames - 1, f));
    $('scrub').value = String(V.frame);
    showCounts();
    renderEvents(false);
    if (V.selectedId >= 0) showAgent();
    V.dirty = true;
    ensureChunk(chunkOf(V.frame) + 1).catch(report); // prefetch the next chunk
  }

  let seekSerial = 0;
  async function seek(f) {
    const serial = ++seekSerial;
    f = Math.max(0, Math.min(V.nFrames - 1, Math.round(f)));
    $('loading').classList.add('on');
    try {
      await ensureChunk(chunkOf(f));
    } finally {
      if (serial === seekSerial) $('loading').classList.remove('on');
    }
    if (serial === seekSerial) { setFrame(f); draw(); }
    return api.state();
  }

  function follow(id) {
    V.followId = Number.isInteger(id) ? id : -1;
    const named = V.ag.name && V.followId >= 0 ? V.ag.name[V.followId] : '';
    $('follow').value = named ? String(V.followId) : '';
    if (V.followId >= 0 && V.scale < 6) zoomAt(8 / V.scale, cssW() / 2, cssH() / 2);
    if (V.selectedId >= 0) showAgent();
    V.dirty = true;
  }

  function setPlaying(on) {
    V.playing = on && V.frame < V.nFrames - 1;
    V.lastT = null; V.acc = 0;
    $('play').textContent = V.playing ? 'pause' : 'play';
  }

  function loop(now) {
    requestAnimationFrame(loop);
    if (V.playing) {
      if (V.fps === 'max') V.acc = 1;
      else { if (V.lastT !== null) V.acc += (now - V.lastT) / 1000 * V.fps; V.lastT = now; }
      const steps = Math.floor(V.acc);
      if (steps > 0) {
        const target = Math.min(V.nFrames - 1, V.frame + steps);
        const k = chunkOf(target);
        if (chunkData(k)) {
          V.acc -= steps;
          setFrame(target);
          if (V.frame >= V.nFrames - 1) setPlaying(false);
        } else {
          V.acc = Math.min(V.acc, 1); // wait for the chunk rather than skip ahead
          ensureChunk(k).catch(report);
        }
      }
    }
    if (V.dirty) draw();
  }

  function report(err) {
    console.error(err);
    $('loading').textContent = `error: ${err.message || err}`;
    $('loading').classList.add('on');
  }

  // ------------------------------------------------------------------ controls
  function wire() {
    $('play').addEventListener('click', () => setPlaying(!V.playing));
    $('step-back').addEventListener('click', () => seek(V.frame - 1));
    $('step-fwd').addEventListener('click', () => seek(V.frame + 1));
    $('speed').addEventListener('change', (e) => {
      V.fps = e.target.value === 'max' ? 'max' : Number(e.target.value);
      V.lastT = null; V.acc = 0;
    });
    $('level').addEventListener('change', (e) => setMode(e.target.value));
    $('follow').addEventListener('change', (e) => follow(e.target.value === '' ? -1 : Number(e.target.value)));
    $('grade').addEventListener('change', (e) => { V.grade = e.target.checked; V.dirty = true; });
    $('scrub').addEventListener('input', (e) => seek(Number(e.target.value)));
    $('event-filter').addEventListener('change', () => { filtered = null; renderEvents(true); });
    $('zoom-in').addEventListener('click', () => zoomAt(1.4, cssW() / 2, cssH() / 2));
    $('zoom-out').addEventListener('click', () => zoomAt(1 / 1.4, cssW() / 2, cssH() / 2));
    $('fit').addEventListener('click', () => { follow(-1); fit(); });
    curves.addEventListener('click', (e) => {
      const [lo, hi] = tickRange();
      const r = curves.getBoundingClientRect();
      const frac = (e.clientX - r.left - PAD.l) / (r.width - PAD.l - PAD.r);
      seek(frameForTick(lo + Math.max(0, Math.min(1, frac)) * (hi - lo)));
    });
    map.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = map.getBoundingClientRect();
      zoomAt(Math.pow(1.0015, -e.deltaY), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    let drag = null;
    map.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, tx: V.tx, ty: V.ty, moved: false };
      map.setPointerCapture(e.pointerId);
    });
    map.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 16) return;
      if (!drag.moved && V.followId >= 0) follow(-1); // panning by hand ends following
      drag.moved = true;
      V.tx = drag.tx + dx; V.ty = drag.ty + dy; V.dirty = true;
    });
    map.addEventListener('pointerup', (e) => {
      if (drag && !drag.moved) {
        const r = map.getBoundingClientRect();
        V.selectedId = agentAtScreen(e.clientX - r.left, e.clientY - r.top);
        showAgent();
        V.dirty = true;
      }
      drag = null;
    });
    map.addEventListener('dblclick', (e) => { // the town inset opens the town at that spot
      const r = map.getBoundingClientRect();
      const sx = e.clientX - r.left, sy = e.clientY - r.top;
      const p = V.panels.find((q) => {
        const b = panelRect(q);
        return q.inset && sx >= b.x && sx < b.x + b.w && sy >= b.y && sy < b.y + b.h;
      });
      if (!p) return;
      const row = p.r0 + ((sy - V.ty) / V.scale - p.y) / p.k;
      const col = p.c0 + ((sx - V.tx) / V.scale - p.x) / p.k;
      follow(-1);
      setMode(p.level, false);
      V.scale = Math.max(V.scale, 6);
      V.tx = cssW() / 2 - col * V.scale;
      V.ty = cssH() / 2 - row * V.scale;
      V.dirty = true;
    });
    window.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLSelectElement || e.target instanceof HTMLInputElement) return;
      if (e.key === ' ') { e.preventDefault(); setPlaying(!V.playing); }
      else if (e.key === 'ArrowRight') seek(V.frame + 1);
      else if (e.key === 'ArrowLeft') seek(V.frame - 1);
      else if (e.key === '+' || e.key === '=') zoomAt(1.4, cssW() / 2, cssH() / 2);
      else if (e.key === '-') zoomAt(1 / 1.4, cssW() / 2, cssH() / 2);
      else if (e.key === '0') { follow(-1); fit(); }
    });
    new ResizeObserver(() => { resize(); }).observe(map);
  }

  function fillControls() {
    const lsel = $('level');
    const all = document.createElement('option');
    all.value = 'all'; all.textContent = 'all side by side';
    lsel.append(all);
    for (const lv of V.levels) {
      const o = document.createElement('option');
      o.value = String(lv.index); o.textContent = lv.name;
      lsel.append(o);
    }
    const fsel = $('follow');
    const names = V.ag.name || [];
    for (let i = 0; i < names.length; i++) {
      if (!names[i]) continue;
      V.named.push(i);
      const o = document.createElement('option');
      o.value = String(i); o.textContent = names[i];
      fsel.append(o);
    }
    const box = $('counts');
    V.meta.state_names.forEach((name, s) => {
      const span = document.createElement('span');
      span.className = 'c'; span.dataset.count = name;
      const dot = document.createElement('i');
      dot.className = 'dot'; dot.style.background = STATE_COLORS[s];
      span.append(dot, `${name} `, document.createElement('b'));
      box.append(span);
    });
    const scrub = $('scrub');
    scrub.max = String(V.nFrames - 1);
    const marks = $('marks');
    const [lo, hi] = [frameTick(0), frameTick(V.nFrames - 1)];
    for (const e of responseEvents()) {
      const m = document.createElement('div');
      m.className = 'mark';
      m.style.left = `${hi > lo ? (e.tick - lo) / (hi - lo) * 100 : 0}%`;
      m.title = `${clock(e.time_s)} ${describe(e)}`;
      m.addEventListener('click', () => seek(frameForTick(e.tick)));
      marks.append(m);
    }
  }

  async function init() {
    const [meta, ts, ev, ag] = await Promise.all([getJSON('data/meta.json'),
      getJSON('data/timeseries.json'), getJSON('data/events.json'), getJSON('data/agents.json')]);
    V.meta = meta; V.ts = ts; V.ev = ev; V.ag = ag;
    V.nFrames = meta.frames.n_frames; V.nAgents = meta.frames.n_agents;
    if (V.nFrames < 1) throw new Error('this run recorded no frames');
    $('run-name').textContent = `${meta.summary.scenario || meta.run_name} · seed ${meta.summary.seed ?? '?'}`;
    const grids = await Promise.all(meta.world.levels.map((lv) => getBytes(`data/level_${lv.index}.bin`)));
    V.levels = meta.world.levels.map((lv, i) => buildLevel(lv, new Uint8Array(grids[i])));
    fillControls();
    wire();
    setMode('all', false);
    resize();
    fit();
    await ensureChunk(0);
    setFrame(0);
    draw();
    requestAnimationFrame(loop);
  }

  // ------------------------------------------------------------------ test and scripting hook
  const api = {
    ready: null,
    seek,
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    setSpeed: (fps) => { V.fps = fps === 'max' ? 'max' : Number(fps); $('speed').value = String(fps); V.lastT = null; V.acc = 0; },
    setLevel: (mode) => setMode(mode),
    setGrade: (on) => { V.grade = !!on; $('grade').checked = V.grade; V.dirty = true; },
    follow: (idOrName) => {
      const id = typeof idOrName === 'string' ? (V.ag.name || []).indexOf(idOrName) : idOrName;
      follow(id);
      draw();
    },
    select: (id) => { V.selectedId = id; showAgent(); V.dirty = true; },
    state: () => {
      const d = chunkData(chunkOf(V.frame));
      let followed = null;
      if (V.followId >= 0 && d) {
        const j = V.frame - d.first;
        const [L, r, c, s] = agentPos(d, j, V.followId);
        const p = screenOf(d, j, V.followId);
        followed = { id: V.followId, name: V.ag.name ? V.ag.name[V.followId] : '', level: L,
          row: r, col: c, state: s,
          inView: !!p && p[0] >= 0 && p[1] >= 0 && p[0] <= cssW() && p[1] <= cssH() };
      }
      return { frame: V.frame, tick: frameTick(V.frame), nFrames: V.nFrames, mode: V.mode,
        counts: { ...V.shownCounts }, followed, playing: V.playing, drawn: V.drawn,
        grade: V.grade, selected: V.selectedId,
        view: { scale: V.scale, tx: V.tx, ty: V.ty, width: cssW(), height: cssH(),
          panels: V.panels.map((p) => ({ level: p.level, label: p.label, inset: p.inset,
            r0: p.r0, c0: p.c0, rows: p.rows, cols: p.cols, ...panelRect(p) })) } };
    },
  };
  api.ready = init().then(() => api.state(), (err) => { report(err); throw err; });
  window.hyosanViewer = api;
})();
