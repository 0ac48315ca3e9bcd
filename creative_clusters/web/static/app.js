/* creative-clusters map page. Talks only to this server's /api. */
"use strict";
(function () {
  const $ = (s) => document.querySelector(s);
  const PALETTE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]; // ColorBrewer YlGnBu, colour-blind safe
  const CATEGORICAL = { "HH": "#d7191c", "HL": "#fdae61", "LH": "#abd9e9", "LL": "#2c7bb6", "cluster": "#253494", "not significant": "#eeeeee", "not a cluster": "#eeeeee" };
  const state = { level: "lad", subsector: "all", measure: "business_lq", place: null, view: "map" };
  let map = null, rows = [], meta = null, geo = null, sortKey = "value", sortDir = -1, hoverId = null;

  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    for (const k of ["level", "subsector", "measure", "place", "view"]) if (p.get(k)) state[k] = p.get(k);
    return p;
  }
  function writeHash() {
    const p = new URLSearchParams();
    for (const k of ["level", "subsector", "measure", "place", "view"]) if (state[k]) p.set(k, state[k]);
    if (map) { const c = map.getCenter(); p.set("z", map.getZoom().toFixed(2)); p.set("c", c.lng.toFixed(4) + "," + c.lat.toFixed(4)); }
    else { const old = new URLSearchParams(location.hash.slice(1)); for (const k of ["z", "c"]) if (old.get(k)) p.set(k, old.get(k)); }
    history.replaceState(null, "", "#" + p.toString());
  }
  async function getJSON(url) {
    const r = await fetch(url, { headers: { "Accept": "application/json" } });
    if (!r.ok) throw new Error(url + " → " + r.status);
    return r.json();
  }
  function fmt(v, kind) {
    if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
    if (typeof v === "string") return v;
    if (kind === "ratio") return v.toFixed(2);
    if (kind === "pct") return v.toFixed(1) + "%";
    return Math.round(v).toLocaleString("en-GB");
  }
  function quantileBreaks(values, k) {
    const v = values.filter((x) => typeof x === "number" && isFinite(x)).sort((a, b) => a - b);
    if (!v.length) return [];
    const b = [];
    for (let i = 1; i < k; i++) b.push(v[Math.min(v.length - 1, Math.floor((i * v.length) / k))]);
    return [...new Set(b)];
  }
  function measureInfo() { return (meta.measures.find((m) => m.id === state.measure) || meta.measures[0]); }

  function fillExpression(breaks, kind) {
    if (kind === "category") {
      const e = ["match", ["coalesce", ["get", "value"], "none"]];
      for (const [k, c] of Object.entries(CATEGORICAL)) e.push(k, c);
      e.push("#eeeeee");
      return e;
    }
    const e = ["case", ["!", ["has", "value"]], "#dddddd", ["==", ["get", "value"], null], "#dddddd", ["step", ["to-number", ["get", "value"]], PALETTE[0]]];
    const step = e[e.length - 1];
    breaks.forEach((b, i) => step.push(b, PALETTE[Math.min(i + 1, PALETTE.length - 1)]));
    return e;
  }
  function drawLegend(breaks, info) {
    const L = $("#legend");
    let html = "<strong>" + info.label + "</strong><br>";
    if (info.kind === "category") {
      const present = new Set(rows.map((r) => r.value));
      for (const [k, c] of Object.entries(CATEGORICAL)) if (present.has(k)) html += '<span class="sw" style="background:' + c + '"></span>' + k + "<br>";
    } else {
      const edges = [null, ...breaks, null];
      for (let i = 0; i < edges.length - 1; i++) {
        const lo = edges[i] === null ? "≤" : fmt(edges[i], info.kind) + " –";
        const hi = edges[i + 1] === null ? "" : " " + fmt(edges[i + 1], info.kind);
        html += '<span class="sw" style="background:' + PALETTE[Math.min(i, PALETTE.length - 1)] + '"></span>' + (edges[i] === null ? "< " + fmt(edges[1] ?? 0, info.kind) : lo + hi) + "<br>";
      }
      html += '<span class="sw" style="background:#dddddd"></span>no data / suppressed';
      html += '<br><span class="caveat">Quantile classes (skewed data)</span>';
    }
    html += '<br><span class="sw" style="border:2px solid #5e3c99;background:none"></span>corridor';
    html += '<br><span class="sw" style="border:2px solid #e66101;background:none"></span>microcluster (firms shown from zoom 8)';
    L.innerHTML = html;
  }
  function renderTable(info) {
    const head = $("#data-table thead"), body = $("#data-table tbody");
    $("#table-caption").textContent = info.label + " by " + $("#level").selectedOptions[0].textContent.toLowerCase() + " (" + rows.length + " places)";
    const cols = [["geo_name", "Place"], ["geo_code", "Code"], ["value", info.label], ["flag", "Flag"]];
    head.innerHTML = "<tr>" + cols.map(([k, l]) => '<th scope="col" aria-sort="' + (sortKey === k ? (sortDir > 0 ? "ascending" : "descending") : "none") + '"><button type="button" data-k="' + k + '">' + l + "</button></th>").join("") + "</tr>";
    const sorted = [...rows].sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      if (x === y) return 0; if (x === null || x === undefined) return 1; if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sortDir;
    });
    body.innerHTML = sorted.map((r) => '<tr data-code="' + r.geo_code + '"><td><a href="#" data-code="' + r.geo_code + '">' + escapeHtml(r.geo_name || r.geo_code) + "</a></td><td>" + r.geo_code + '</td><td class="num">' + fmt(r.value, info.kind) + "</td><td>" + (r.flag || "") + "</td></tr>").join("");
  }
  function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }

  async function loadData() {
    const info = measureInfo();
    const q = new URLSearchParams({ level: state.level, subsector: state.subsector, measure: state.measure });
    const res = await getJSON("/api/indicators?" + q);
    rows = res.rows;
    const byCode = new Map(rows.map((r) => [r.geo_code, r]));
    if (!geo || geo.level !== state.level) { geo = await getJSON("/api/geometry/" + state.level); geo.level = state.level; }
    for (const f of geo.features) {
      const r = byCode.get(f.properties.geo_code);
      f.properties.value = r ? r.value : null;
      f.properties.flag = r ? r.flag : "no data";
    }
    const breaks = info.kind === "category" ? [] : quantileBreaks(rows.map((r) => r.value), 5);
    if (map && map.getSource("places")) {
      map.getSource("places").setData(geo);
      map.setPaintProperty("places-fill", "fill-color", fillExpression(breaks, info.kind));
    }
    drawLegend(breaks, info);
    renderTable(info);
    $("#sources").textContent = (res.source || "") + " " + (res.caveats || []).join("; ") + " Contains public sector information licensed under the Open Government Licence v3.0.";
    writeHash();
  }

  function initMap() {
    if (typeof maplibregl === "undefined") {
      const e = $("#map-error"); e.hidden = false;
      e.textContent = "The map library is not installed (run scripts/setup.sh, which installs it from the npm registry). The table view still works.";
      return;
    }
    const p = new URLSearchParams(location.hash.slice(1));
    const c = (p.get("c") || "-2.5,53.5").split(",").map(Number);
    map = new maplibregl.Map({
      container: "map",
      style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": "#cfe3f0" } }] },
      center: c, zoom: Number(p.get("z") || 5), attributionControl: false, preserveDrawingBuffer: true,
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    map.on("load", async () => {
      map.addSource("places", { type: "geojson", data: { type: "FeatureCollection", features: [] }, promoteId: "geo_code" });
      map.addLayer({ id: "places-fill", type: "fill", source: "places", paint: { "fill-color": "#dddddd", "fill-opacity": 0.9 } });
      map.addLayer({ id: "places-line", type: "line", source: "places", paint: { "line-color": ["case", ["boolean", ["feature-state", "selected"], false], "#000", "#666"], "line-width": ["case", ["boolean", ["feature-state", "selected"], false], 3, 0.4] } });
      await loadData();
      await addOverlay("microclusters", "/api/microclusters", "#e66101");
      await addPoints("microcluster-firms", "/api/microclusters/firms", "#b35806");
      await addOverlay("corridors", "/api/corridors", "#5e3c99");
      if (state.place) selectPlace(state.place, false);
      map.on("mousemove", "places-fill", (ev) => {
        const f = ev.features[0]; const t = $("#tooltip");
        t.hidden = false; t.style.left = ev.point.x + 12 + "px"; t.style.top = ev.point.y + 12 + "px";
        t.textContent = f.properties.geo_name + ": " + fmt(f.properties.value === "null" ? null : f.properties.value, measureInfo().kind);
        map.getCanvas().style.cursor = "pointer";
      });
      map.on("mouseleave", "places-fill", () => { $("#tooltip").hidden = true; map.getCanvas().style.cursor = ""; });
      map.on("click", "places-fill", (ev) => selectPlace(ev.features[0].properties.geo_code, false));
      map.on("moveend", writeHash);
      document.body.dataset.mapReady = "true";
    });
  }
  async function addOverlay(id, url, color) {
    try {
      const fc = await getJSON(url);
      if (!fc.features || !fc.features.length) return;
      map.addSource(id, { type: "geojson", data: fc });
      map.addLayer({ id: id + "-line", type: "line", source: id, paint: { "line-color": color, "line-width": 2 } });
    } catch (e) { /* layer not loaded: nothing to show */ }
  }

  async function addPoints(id, url, color) {
    try {
      const fc = await getJSON(url);
      if (!fc.features || !fc.features.length) return;
      map.addSource(id, { type: "geojson", data: fc });
      map.addLayer({ id: id + "-circle", type: "circle", source: id, minzoom: 8,
        paint: { "circle-radius": 2.5, "circle-color": color, "circle-opacity": 0.7 } });
    } catch (e) { /* layer not loaded */ }
  }

  async function selectPlace(code, fly) {
    state.place = code; writeHash();
    const panel = $("#panel");
    panel.innerHTML = "<p>Loading…</p>";
    try {
      const p = await getJSON("/api/places/" + encodeURIComponent(code) + "/profile");
      panel.innerHTML = profileHtml(p);
      panel.focus();
      if (map && map.getSource("places")) {
        if (selectPlace.prev) map.setFeatureState({ source: "places", id: selectPlace.prev }, { selected: false });
        const fid = (p.place.data_codes && p.place.data_codes.length === 1) ? p.place.data_codes[0] : code;
        map.setFeatureState({ source: "places", id: fid }, { selected: true });
        selectPlace.prev = fid;
      }
    } catch (e) { panel.innerHTML = "<p>No profile for " + escapeHtml(code) + ": " + escapeHtml(e.message) + "</p>"; }
  }
  function profileHtml(p) {
    const pl = p.place; let h = "<h2>" + escapeHtml(pl.name) + '</h2><p class="caveat">' + pl.code + " · " + pl.geo_type + "</p>";
    const ce = p.creative_enterprises;
    if (ce && ce.covered) {
      h += "<h3>Creative enterprises</h3><p><strong>" + fmt(ce.total.value) + "</strong> (" + fmt(ce.share_of_england.value, "pct") + " of England)</p>";
      const max = Math.max(...ce.by_subsector.map((r) => r.enterprises || 0), 1);
      h += '<table><caption class="caveat">By sub-sector; rel. = share of place ÷ share of England</caption><tr><th>Sub-sector</th><th>Count</th><th>rel.</th></tr>';
      for (const r of ce.by_subsector) h += "<tr><td>" + escapeHtml(r.subsector) + '<br><span class="bar" style="width:' + Math.round(120 * (r.enterprises || 0) / max) + 'px"></span></td><td>' + fmt(r.enterprises) + "</td><td>" + fmt(r.relative_specialisation, "ratio") + "</td></tr>";
      h += '</table><p class="caveat">' + escapeHtml(ce.total.caveats.join("; ")) + "</p>";
    }
    if (p.creative_share_of_active) h += "<p>" + escapeHtml(p.creative_share_of_active.label) + ": <strong>" + fmt(p.creative_share_of_active.value, "pct") + '</strong></p><p class="caveat">' + escapeHtml(p.creative_share_of_active.caveats[0]) + "</p>";
    const cw = p.census_workforce;
    if (cw && cw.covered) h += "<h3>Workforce (Census 2021)</h3><p>" + fmt(cw.residents.value) + " residents in creative divisions (" + fmt(cw.share.value, "pct") + "; England and Wales " + fmt(cw.ew_share.value, "pct") + ')</p><p class="caveat">' + escapeHtml(cw.residents.caveats.join("; ")) + "</p>";
    if (p.benchmark && p.benchmark.length) {
      h += '<h3>Growth-potential benchmark</h3><table><caption class="caveat">Percentile (100 = best); "gap" = no data, never scored as zero</caption><tr><th>Indicator</th><th>All places</th><th>Peers</th></tr>';
      let dim = null;
      for (const b of p.benchmark) {
        if (b.dimension !== dim) { dim = b.dimension; h += '<tr><th colspan="3">' + escapeHtml(dim) + "</th></tr>"; }
        const pc = (x) => (x === null || x === undefined ? "gap" : Math.round(x));
        h += "<tr><td>" + escapeHtml(b.label) + "</td><td>" + pc(b.percentile) + "</td><td>" + pc(b.percentile_peers) + "</td></tr>";
      }
      h += "</table>";
    }
    if (p.business_demography && p.business_demography.length) {
      h += "<h3>Business demography (all industries)</h3><ul>" + p.business_demography.map((f) => "<li>" + escapeHtml(f.label) + ": " + fmt(f.value, f.unit.startsWith("%") ? "pct" : "") + "</li>").join("") + "</ul>";
    }
    if (p.deprivation && p.deprivation.length) h += "<h3>Deprivation</h3><ul>" + p.deprivation.map((f) => "<li>" + escapeHtml(f.label) + ": " + fmt(f.value) + " (" + escapeHtml(f.unit) + ")</li>").join("") + "</ul>";
    if (p.missing && p.missing.length) h += '<h3>Missing</h3><ul class="caveat">' + p.missing.map((m) => "<li>" + escapeHtml(m) + "</li>").join("") + "</ul>";
    h += '<p><a class="button" href="/api/places/' + encodeURIComponent(pl.code) + '/evidence.html" download>Download evidence pack</a></p>';
    h += '<p class="caveat">Sources: ' + escapeHtml((p.sources || []).map((s) => s.publisher + " " + s.title + " (" + s.vintage + ")").slice(0, 6).join("; ")) + ". Definitions " + escapeHtml(p.definitions_version) + ".</p>";
    return h;
  }

  // Search with keyboard navigation
  let results = [], active = -1, timer = null;
  function showResults() {
    const ul = $("#search-results");
    ul.innerHTML = results.map((r, i) => '<li role="option" id="opt-' + i + '" aria-selected="' + (i === active) + '" data-code="' + r.code + '">' + escapeHtml(r.name) + ' <span class="caveat">' + r.geo_type + "</span></li>").join("");
    ul.hidden = !results.length; $("#search-box").setAttribute("aria-expanded", String(!!results.length));
    $("#search").setAttribute("aria-activedescendant", active >= 0 ? "opt-" + active : "");
  }
  $("#search").addEventListener("input", (e) => {
    clearTimeout(timer);
    const q = e.target.value.trim();
    timer = setTimeout(async () => {
      if (!q) { results = []; showResults(); return; }
      results = (await getJSON("/api/places?q=" + encodeURIComponent(q) + "&limit=8")).results; active = results.length ? 0 : -1; showResults();
    }, 120);
  });
  $("#search").addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { active = Math.min(results.length - 1, active + 1); showResults(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(0, active - 1); showResults(); e.preventDefault(); }
    else if (e.key === "Enter" && active >= 0) { choose(results[active]); e.preventDefault(); }
    else if (e.key === "Escape") { results = []; showResults(); }
  });
  $("#search-results").addEventListener("click", (e) => { const li = e.target.closest("li"); if (li) choose(results.find((r) => r.code === li.dataset.code)); });
  function choose(r) { results = []; showResults(); $("#search").value = r.name; selectPlace(r.code, true); }

  $("#data-table").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-k]");
    if (b) { if (sortKey === b.dataset.k) sortDir = -sortDir; else { sortKey = b.dataset.k; sortDir = b.dataset.k === "value" ? -1 : 1; } renderTable(measureInfo()); return; }
    const a = e.target.closest("a[data-code]"); if (a) { e.preventDefault(); selectPlace(a.dataset.code, true); }
  });
  $("#toggle-view").addEventListener("click", () => { setView(state.view === "map" ? "table" : "map"); });
  function setView(v) {
    state.view = v; const isTable = v === "table";
    $("#table-wrap").hidden = !isTable; $("#map-wrap").hidden = isTable;
    $("#toggle-view").setAttribute("aria-pressed", String(isTable)); $("#toggle-view").textContent = isTable ? "Map view" : "Table view";
    if (!isTable && map) map.resize();
    writeHash();
  }
  $("#controls").addEventListener("submit", (e) => e.preventDefault());
  for (const id of ["level", "subsector", "measure"]) $("#" + id).addEventListener("change", (e) => { state[id] = e.target.value; loadData(); });

  (async function start() {
    readHash();
    meta = await getJSON("/api/meta");
    $("#subsector").innerHTML = meta.subsectors.map((s) => '<option value="' + s.id + '">' + escapeHtml(s.name) + "</option>").join("");
    $("#measure").innerHTML = meta.measures.map((m) => '<option value="' + m.id + '">' + escapeHtml(m.label) + "</option>").join("");
    $("#level").innerHTML = meta.levels.map((m) => '<option value="' + m.id + '">' + escapeHtml(m.label) + "</option>").join("");
    for (const id of ["level", "subsector", "measure"]) $("#" + id).value = state[id];
    setView(state.view);
    initMap();
    if (!map) await loadData();
  })();
})();
