/* creative-clusters map page. Talks only to this server's /api; renders what it returns, computes no statistic. */
"use strict";
(function () {
  const $ = (s) => document.querySelector(s);
  // LQs and per-cent changes: the fixed diverging classes (edges, colours, the class about the centre and its
  // label) come from the server (/api/meta `map_classes`, /api/indicators `classes`; workflows.cluster_maps
  // LQ_CLASS_EDGES / LQ_CLASS_COLOURS, the exported LQ maps' classes), each place's class with its value.
  // places without a value: the package's one no-data style (/api/meta `no_data`: fill, hatch colour, matplotlib
  // hatch, legend label; workflows.cluster_maps NO_DATA, hatched grey as on the exported and pack maps)
  function noData() { return meta.no_data; }
  // the hatch as a tile that repeats seamlessly: a one-pixel diagonal for "/" (and one for "\\"), the tile
  // smaller (the lines closer) the more the hatch repeats them, as matplotlib's density
  let hatchTile = null;
  function noDataTile() {
    if (hatchTile) return hatchTile;
    const nd = noData(), n = Math.max(1, nd.hatch.length), size = Math.max(4, Math.round(32 / n));
    const c = document.createElement("canvas"); c.width = size; c.height = size;
    const x = c.getContext("2d"); x.fillStyle = nd.fill; x.fillRect(0, 0, size, size);
    x.fillStyle = nd.hatch_colour;
    for (let i = 0; i < size; i++) {
      if (nd.hatch.includes("/")) x.fillRect(i, size - 1 - i, 1, 1);
      if (nd.hatch.includes("\\")) x.fillRect(i, i, 1, 1);
    }
    hatchTile = c; return c;
  }
  // microcluster outlines and firm points: near-black on a white casing, distinct from every fill colour
  const MICRO_COLOUR = "#111111";
  // the dotted outline of places flagged as small counts
  const SMALL_COLOUR = "#111111";
  // categories (trajectory, hotspot and cluster classes): their values, colours and legend labels come from the
  // server too (/api/meta `category_classes`, /api/indicators `classes`; workflows.cluster_maps CATEGORY_CLASSES,
  // the exported maps' palette), each place's class with its value.
  // the LQ help text for an LQ scale (default: the LQ against England); its reference and the grey class
  // around 1 as the server's scale has them
  function lqHelp(scale) {
    const s = scale || (meta && meta.map_classes && meta.map_classes.ratio);
    const ref = (s && s.reference) || "the reference area";  // every LQ scale of /api/meta names its reference
    const near = s ? " Values near 1 (" + fmt(s.edges[s.middle - 1], "ratio") + "–" + fmt(s.edges[s.middle], "ratio") + ") are shown grey." : "";
    return "Location quotient (LQ): how concentrated creative businesses are here compared with " + ref + ". " +
      "1 = the same share as " + ref + "; 1.2 = a 20% larger share; 0.8 = a 20% smaller share." + near;
  }
  const DEFAULTS = { level: "lad", subsector: "all", measure: "business_lq", view: "map" };
  const state = { ...DEFAULTS, year: null, since: null, place: null };
  const EMPTY = { type: "FeatureCollection", features: [] };
  let microRun = null;  // the current microcluster run's provenance (GET /api/microclusters "run")
  let map = null, meta = null, rows = [], byCode = new Map(), geo = null, geoDetail = null, labels = [], sortKey = "value",
    sortDir = -1, compareWith = null, lastProfile = null, lastRes = null, popup = null, firmsTimer = null, hotspots = null;
  const cache = new Map();

  async function getJSON(url, { keep = true } = {}) {
    if (keep && cache.has(url)) return cache.get(url);
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    if (!r.ok) {
      let msg = "HTTP " + r.status;
      try { const j = await r.json(); msg = typeof j.detail === "string" ? j.detail : (j.detail || []).map((d) => d.msg).join("; "); } catch (e) { /* not JSON */ }
      throw new Error(msg);
    }
    const j = await r.json();
    if (keep) cache.set(url, j);
    return j;
  }
  // caveats as one sentence: each without its own final full stop, joined by "; ", a capital first and one
  // full stop at the end (the server's caveats are clauses, starting in lower case)
  function sentences(list) {
    const text = (list || []).map((c) => String(c).trim().replace(/\.+$/, "")).filter((c) => c).join("; ");
    return text ? text.charAt(0).toUpperCase() + text.slice(1) + "." : "";
  }
  // a source's title with its vintage in brackets, unless the title already gives it
  function sourceText(s) { return s.publisher + " " + s.title + (s.vintage && !String(s.title).includes(s.vintage) ? " (" + s.vintage + ")" : ""); }
  const PLURAL = { lad: "local authorities", cauth: "combined authorities", rgn: "regions", ttwa: "travel-to-work areas" };
  function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
  function fmt(v, kind) {
    if (v === null || v === undefined || v === "" || Number.isNaN(v)) return "n/a";
    if (typeof v === "string") return v;
    if (kind === "ratio") return v.toFixed(2);
    if (kind === "pct") return v.toFixed(1) + "%";
    if (kind === "change") return (v > 0 ? "+" : "") + v.toFixed(1) + "%";
    return Math.round(v).toLocaleString("en-GB");
  }
  // a notice: its text, a Reload button if asked, and a Dismiss button; `cause` names the settings it is about
  // (e.g. ["level", "measure"]): when one of them changes the notice goes (none: it stays until dismissed)
  let noticeCause = null;
  function notice(html, withReload, cause) {
    const n = $("#notice"); n.hidden = false; n.textContent = html;
    if (withReload) { const b = document.createElement("button"); b.type = "button"; b.textContent = "Reload"; b.addEventListener("click", () => location.reload()); n.appendChild(b); }
    const d = document.createElement("button"); d.type = "button"; d.className = "dismiss"; d.textContent = "Dismiss";
    d.setAttribute("aria-label", "Dismiss this notice"); d.addEventListener("click", clearNotice); n.appendChild(d);
    noticeCause = cause ? Object.fromEntries(cause.map((k) => [k, state[k]])) : null;
  }
  function clearNotice() { const n = $("#notice"); n.hidden = true; n.textContent = ""; noticeCause = null; }
  // called after a setting changes: a notice about settings that are no longer those it was about goes
  function clearStaleNotice() { if (noticeCause && Object.keys(noticeCause).some((k) => state[k] !== noticeCause[k])) clearNotice(); }
  function measureInfo() { return meta.measures.find((m) => m.id === state.measure) || meta.measures[0]; }
  // the series measures (every UK local authority, every year) have their own years and no sub-sectors
  function isSeries() { return measureInfo().years === "series"; }
  // a measure's own year list when the server gives one (trajectory classes need years of growth before them)
  function yearsOf(m) { return (m && m.year_list ? m.year_list : m && m.years === "series" ? meta.series_years : meta.years) || []; }
  function measureOk(m, level) { return !m || !m.levels || m.levels.includes(level); }
  // measures not computed at the chosen level are not offered (their reason as a tooltip)
  function syncMeasures() {
    for (const o of $("#measure").options) {
      const m = meta.measures.find((x) => x.id === o.value), ok = measureOk(m, state.level);
      o.disabled = !ok; o.title = ok ? "" : (m.levels_note || "");
    }
  }
  // at a level the measure is not computed for, the map falls back to the default measure and says why
  function fitMeasureToLevel() {
    const m = measureInfo(); if (measureOk(m, state.level)) return;
    const fallback = meta.measures.find((x) => x.id === DEFAULTS.measure && measureOk(x, state.level)) || meta.measures.find((x) => measureOk(x, state.level));
    state.measure = fallback.id; $("#measure").value = fallback.id;
    notice((m.levels_note || m.label + " is not available at this level.") + " The map shows " + fallback.label + " instead.", false, ["level", "measure"]);
  }
  function yearsFor() { return yearsOf(measureInfo()); }
  function syncTime() {
    const years = yearsFor();
    if (state.year !== null && !years.includes(state.year)) state.year = null;
    const y = state.year || years[years.length - 1];
    $("#year-box").hidden = years.length < 2;
    $("#year").max = Math.max(0, years.length - 1); $("#year").value = Math.max(0, years.indexOf(y)); $("#year-out").textContent = y || "";
    $("#year").setAttribute("aria-valuetext", String(y || "")); $("#year-first").textContent = years.length ? years[0] : ""; $("#year-last").textContent = years.length ? years[years.length - 1] : "";
    const growth = state.measure === "series_growth", starts = years.filter((x) => x < y);
    if (state.since !== null && (!growth || !starts.includes(state.since))) state.since = null;
    $("#since-box").hidden = !growth || !starts.length;
    $("#since").innerHTML = '<option value="">default window</option>' + starts.map((x) => '<option value="' + x + '">' + x + "</option>").join("");
    $("#since").value = state.since === null ? "" : String(state.since);
    if (isSeries()) { state.subsector = "all"; $("#subsector").value = "all"; }
    $("#subsector").disabled = isSeries();
    $("#subsector").title = isSeries() ? "The annual series counts all creative industries together: no sub-sectors" : "";
  }

  // ---------------------------------------------------------------- URL state
  function applyHash() {
    const p = new URLSearchParams(location.hash.slice(1)); const bad = [];
    const valid = { level: meta.levels.map((x) => x.id), subsector: meta.subsectors.map((x) => x.id),
      measure: meta.measures.map((x) => x.id), view: ["map", "table"] };
    for (const k of Object.keys(valid)) { const v = p.get(k); if (v === null) continue; if (valid[k].includes(v)) state[k] = v; else bad.push(k + "=" + v.slice(0, 30)); }
    const y = p.get("year"); if (y !== null) { if (yearsFor().includes(Number(y))) state.year = Number(y); else bad.push("year=" + y.slice(0, 10)); }
    const sn = p.get("since"); if (sn !== null) { if (state.measure === "series_growth" && yearsFor().includes(Number(sn))) state.since = Number(sn); else bad.push("since=" + sn.slice(0, 10)); }
    const pl = p.get("place"); if (pl !== null) { if (/^[A-Za-z0-9_-]{1,20}$/.test(pl)) state.place = pl; else bad.push("place"); }
    const gr = p.get("group"); let groupLink = null;
    if (gr !== null) { const codes = gr.split(",").filter((c) => GROUP_CODE.test(c)); if (codes.length) groupLink = { codes: [...new Set(codes)].slice(0, 200), name: (p.get("gname") || "").slice(0, 80) }; if (codes.length !== gr.split(",").length) bad.push("group"); }
    const z = p.get("z"), c = p.get("c");
    if (z !== null && !(Number(z) >= 0 && Number(z) <= 18)) bad.push("z=" + z.slice(0, 10));
    if (c !== null && !/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(c)) bad.push("c");
    if (bad.length) notice("Some settings in this link were not recognised (" + bad.join(", ") + "); the map shows the defaults for them instead.", false, ["level", "subsector", "measure", "year", "since"]);
    return { z: bad.some((b) => b.startsWith("z=")) ? null : z, c: bad.includes("c") ? null : c, group: groupLink };
  }
  function writeHash() {
    const p = new URLSearchParams();
    for (const k of ["level", "subsector", "measure", "year", "since", "place", "view"]) if (state[k] !== null && state[k] !== undefined) p.set(k, state[k]);
    if (group.members.length) { p.set("group", group.members.map((m) => m.code).join(",")); if (group.name.trim()) p.set("gname", group.name.trim()); }
    if (map) { const c = map.getCenter(); p.set("z", map.getZoom().toFixed(2)); p.set("c", c.lng.toFixed(4) + "," + c.lat.toFixed(4)); }
    history.replaceState(null, "", "#" + p.toString());
  }
  function query(extra) {
    const q = new URLSearchParams({ level: state.level, subsector: state.subsector, measure: state.measure, ...extra });
    if (state.year && yearsOf(meta.measures.find((x) => x.id === q.get("measure"))).includes(state.year)) q.set("year", state.year);
    if (state.since && q.get("measure") === "series_growth") q.set("since", state.since);
    return q;
  }

  // ---------------------------------------------------------------- colours and legend
  function fillExpression() {
    // each place's class comes with the data; the page only picks the class's colour
    const colours = mapClasses().colours; if (!colours.length) return noData().fill;  // every scheme's, from the server
    const e = ["match", ["to-number", ["get", "cls"], -1]];
    colours.forEach((c, i) => e.push(i, c));
    e.push(noData().fill); return e;
  }
  // the classes the server sent with the values: `quantiles` (workflows.cluster_maps.class_breaks, the rule of
  // the exported maps; class i runs from above breaks[i-1], from `lowest` for the first, up to breaks[i]) or
  // `diverging` (LQs and per-cent changes: fixed edges and colours, the same every year) or `categories`
  // (class i is the value values[i], in colours[i], labelled labels[i])
  function mapClasses() { return (lastRes && lastRes.classes) || { scheme: "quantiles", breaks: [], lowest: null, colours: [] }; }
  // the sub-sector the map shows (as the indicators answer names it), or null for all creative industries
  function mapSubsector() { const s = lastRes && lastRes.subsector; return s && s !== "all" ? subsectorName(s) : null; }
  // the measure's label with the map's sub-sector: "Creative enterprises (count), Music, performing and visual arts"
  function mapLabel(info) { const s = mapSubsector(); return info.label + (s ? ", " + s : ""); }
  // a place flagged as a small count in the indicators answer (its LQ or count uncertain)
  function isSmall(r) { return !!r && r.flag === "small count"; }
  function smallText(info) { return info.kind === "ratio" ? "small count; LQ uncertain" : "small count; uncertain"; }
  // the line under the header: what the map shows (measure, sub-sector, year, against what)
  function drawSubtitle(info) {
    if (!lastRes) return;
    const period = lastRes.since ? lastRes.since + "–" + lastRes.year : String(lastRes.year || "");
    const lvl = $("#level").selectedOptions[0] ? $("#level").selectedOptions[0].textContent.toLowerCase() : state.level;
    const ref = mapClasses().reference;
    $("#subtitle").textContent = "The map shows " + (lastRes.label || info.label) + " for " + (mapSubsector() || "all creative industries") +
      " by " + lvl + (period ? ", " + period : "") + (info.kind === "ratio" && ref ? ", against " + ref : "") + ".";
  }
  function drawLegend(info) {
    const period = lastRes && lastRes.since ? lastRes.since + "–" + lastRes.year : lastRes ? String(lastRes.year) : "";
    let html = "<strong>" + escapeHtml(mapLabel(info)) + (period ? " (" + escapeHtml(period) + ")" : "") + "</strong><br>";
    const q = mapClasses();
    if (q.scheme === "categories") {
      const present = new Set(rows.map((r) => r.class));
      q.colours.forEach((c, i) => { if (present.has(i)) html += '<span class="sw" style="background:' + c + '"></span>' + escapeHtml(q.labels[i]) + "<br>"; });
    } else if (q.scheme !== "diverging") {
      q.breaks.forEach((hi, i) => {
        const lo = i === 0 ? q.lowest : q.breaks[i - 1];
        html += '<span class="sw" style="background:' + q.colours[i] + '"></span>' + (lo === hi ? fmt(hi, info.kind) : fmt(lo, info.kind) + " to " + fmt(hi, info.kind)) + "<br>";
      });
      html += '<span class="caveat">Quantile classes (skewed data)</span><br>';
    } else {
      const edges = q.edges;
      q.colours.forEach((c, i) => {
        const lo = i === 0 ? null : edges[i - 1], hi = i < edges.length ? edges[i] : null;
        const text = lo === null ? "below " + fmt(hi, info.kind) : hi === null ? fmt(lo, info.kind) + " and above" : fmt(lo, info.kind) + " to " + fmt(hi, info.kind);
        html += '<span class="sw" style="background:' + c + '"></span>' + text + (i === q.middle && q.middle_label ? " (" + escapeHtml(q.middle_label) + ")" : "") + "<br>";
      });
      html += '<span class="caveat">' + escapeHtml(q.note || "") + "</span><br>";
    }
    const nd = noData();
    html += '<span class="sw nodata" style="background-color:' + nd.fill + ";background-image:url(" + noDataTile().toDataURL() + ')"></span>' + escapeHtml(nd.label);
    // places the indicators answer flags as small counts: paler, with a dotted outline
    if (rows.some(isSmall)) html += '<br><span class="small-sw" style="display:inline-block;width:16px;height:12px;margin-right:4px;vertical-align:middle;background:#bbb;opacity:.6;border:2px dotted ' + SMALL_COLOUR + '"></span>' + escapeHtml(smallText(info)) + " (paler, dotted outline)";
    const co = meta.cluster_outline, hot = $("#lyr-hotspots");
    if (hot.checked && !hot.disabled) html += '<br><span class="sw outline" style="background:transparent;border:2px solid ' + co.colour + '"></span>' + escapeHtml(co.label);
    if (info.years_note) html += '<br><span class="caveat years-note">' + escapeHtml(info.years_note) + "</span>";
    if (info.kind === "ratio") html += '<p class="help">' + escapeHtml(lqHelp(q.scheme === "diverging" ? q : null)) + "</p>";
    $("#legend").innerHTML = html;
  }

  // ---------------------------------------------------------------- data
  // Only the newest request is drawn: each call takes a number, and an answer that arrives after a
  // later call started is dropped (slider moves send one request per step, answered in any order).
  let loadSeq = 0, lastGood = null;
  // while the newest request is pending: the map and table marked busy, and a short line saying what loads
  function setBusy(on) {
    for (const id of ["#map-wrap", "#table-wrap"]) $(id).setAttribute("aria-busy", String(on));
    const b = $("#busy"); b.hidden = !on;
    b.textContent = on ? "Loading " + measureInfo().label + (state.subsector !== "all" && !isSeries() ? " for " + subsectorName(state.subsector) : "") + " by " + ($("#level").selectedOptions[0] ? $("#level").selectedOptions[0].textContent.toLowerCase() : state.level) + "…" : "";
  }
  async function loadData() {
    const seq = ++loadSeq;
    setBusy(true);
    try { await loadDataFor(seq); } finally { if (seq === loadSeq) setBusy(false); }
  }
  async function loadDataFor(seq) {
    const info = measureInfo(), level = state.level;
    let res, g = null, lab = null;
    try {
      res = await getJSON("/api/indicators?" + query());
      if (seq !== loadSeq) return;
      if (!geo || geo.level !== level) {
        g = await getJSON("/api/geometry/" + level + "?detail=low");
        lab = (await getJSON("/api/labels/" + level)).labels;
      }
    } catch (e) {
      if (seq !== loadSeq) return;
      // the controls go back to what the map shows, so the two never disagree
      if (lastGood) { Object.assign(state, lastGood); for (const id of ["level", "subsector", "measure"]) $("#" + id).value = state[id]; syncTime(); }
      showMapError("Could not load the map data: " + e.message + (lastGood ? " The map still shows the previous choice." : ""));
      return;
    }
    if (seq !== loadSeq) return;
    $("#map-error").hidden = true; lastRes = res;
    lastGood = { level: state.level, subsector: state.subsector, measure: state.measure, year: state.year, since: state.since };
    rows = res.rows; byCode = new Map(rows.map((r) => [r.geo_code, r]));
    if (g) {
      geoDetail = null; geo = g; geo.level = level; labels = lab; hotspots = null;
      if (map && map.getZoom() >= 8) await loadDetail();
      if (seq !== loadSeq) return;
    }
    setPlaces();
    drawLegend(info); renderTable(info); drawLabels(); refreshHotspots(); drawSubtitle(info);
    $("#csv-link").href = "/api/indicators?" + query({ format: "csv" });
    $("#sources").textContent = (res.source ? String(res.source).replace(/\.+$/, "") + ". " : "") + sentences(res.caveats) +
      " Contains public sector information licensed under the Open Government Licence v3.0.";
    writeHash();
  }
  function currentGeo() { return geoDetail && geoDetail.level === state.level ? geoDetail : geo; }
  function setPlaces() {
    const g = currentGeo();
    for (const f of g.features) { const r = byCode.get(f.properties.geo_code); f.properties.value = r ? r.value : null; f.properties.cls = r && typeof r.class === "number" ? r.class : -1; f.properties.hot = hotspots && hotspots.get(f.properties.geo_code) ? 1 : 0; f.properties.small = isSmall(r) ? 1 : 0; }
    if (map && map.getSource("places")) {
      map.getSource("places").setData(g);
      map.setPaintProperty("places-fill", "fill-color", fillExpression());
    }
  }
  async function loadDetail() {
    if (geoDetail && geoDetail.level === state.level) return;
    const d = await getJSON("/api/geometry/" + state.level + "?detail=high"); d.level = state.level; geoDetail = d; setPlaces();
  }
  function showMapError(text) { const e = $("#map-error"); e.hidden = false; e.textContent = text; }

  async function refreshHotspots() {
    const hm = meta.measures.find((x) => x.id === "hotspot_class");
    const on = $("#lyr-hotspots").checked, ok = !!hm && measureOk(hm, state.level);
    $("#lyr-hotspots").disabled = !ok;
    $("#lyr-hotspots").parentElement.title = ok ? "" : (hm && hm.levels_note) || "Hotspots are not available at this level";
    if (!map || !map.getLayer("hotspots-line")) return;
    if (on && ok && !hotspots) {
      try {
        const res = await getJSON("/api/indicators?" + query({ measure: "hotspot_class" }));
        // the places the hot-spot detector flags (each row's `outlined`, as the exported maps outline them)
        hotspots = new Map(res.rows.map((r) => [r.geo_code, r.outlined === true])); setPlaces();
      } catch (e) { showMapError("Hotspots not available: " + e.message); }
    }
    map.setLayoutProperty("hotspots-line", "visibility", on && ok ? "visible" : "none");
    drawLegend(measureInfo());  // the outline's legend entry follows the layer
  }

  function renderTable(info) {
    const head = $("#data-table thead"), body = $("#data-table tbody");
    const period = lastRes && lastRes.since ? lastRes.since + "–" + lastRes.year : lastRes ? String(lastRes.year) : "";
    $("#table-caption").textContent = mapLabel(info) + " by " + $("#level").selectedOptions[0].textContent.toLowerCase() + (period ? ", " + period : "") + " (" + rows.length + " places)";
    const cols = [["geo_name", "Place"], ["geo_code", "Code"], ["value", info.label], ["flag", "Flag"]];
    head.innerHTML = "<tr>" + cols.map(([k, l]) => '<th scope="col" aria-sort="' + (sortKey === k ? (sortDir > 0 ? "ascending" : "descending") : "none") + '"><button type="button" data-k="' + k + '">' + escapeHtml(l) + "</button></th>").join("") + "</tr>";
    const sorted = [...rows].sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      if (x === y) return 0; if (x === null || x === undefined) return 1; if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sortDir;
    });
    body.innerHTML = sorted.map((r) => '<tr data-code="' + escapeHtml(r.geo_code) + '"><td><a href="#" data-code="' + escapeHtml(r.geo_code) + '">' + escapeHtml(r.geo_name || r.geo_code) + "</a></td><td>" + escapeHtml(r.geo_code) + '</td><td class="num">' + fmt(r.value, info.kind) + "</td><td>" + escapeHtml([r.flag, r.value === null ? r.note : null].filter(Boolean).join("; ")) + "</td></tr>").join("");
  }

  // ---------------------------------------------------------------- labels (offline: DOM text, no glyph server)
  function drawLabels() {
    const box = $("#labels"); box.textContent = "";
    if (!map || !$("#lyr-labels").checked || state.view !== "map") return;
    const z = map.getZoom(); if (state.level !== "rgn" && state.level !== "cauth" && z < 6) return;
    const w = box.clientWidth, h = box.clientHeight, taken = [];
    let n = 0;
    for (const l of labels) {
      const p = map.project([l.lon, l.lat]); if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) continue;
      const half = Math.min(90, l.name.length * 3.6), r = [p.x - half, p.y - 8, p.x + half, p.y + 8];
      if (taken.some((t) => r[0] < t[2] && r[2] > t[0] && r[1] < t[3] && r[3] > t[1])) continue;
      taken.push(r);
      const s = document.createElement("span"); s.textContent = l.name; s.style.left = p.x + "px"; s.style.top = p.y + "px"; box.appendChild(s);
      if (++n > 150) break;
    }
  }

  // ---------------------------------------------------------------- map
  function initMap(view) {
    if (typeof maplibregl === "undefined") { showMapError("The map library is not installed (run scripts/setup.sh, which installs it from the npm registry). The table view still works."); return; }
    const c = (view.c || "-2.5,53.5").split(",").map(Number);
    map = new maplibregl.Map({
      container: "map", center: c, zoom: view.z !== null && view.z !== undefined ? Number(view.z) : 5, attributionControl: false, preserveDrawingBuffer: true,
      style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": "#dfe9f2" } }] },
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    map.on("load", async () => {
      map.addSource("places", { type: "geojson", data: EMPTY, promoteId: "geo_code" });
      map.addLayer({ id: "places-fill", type: "fill", source: "places", paint: { "fill-color": noData().fill, "fill-opacity": ["case", ["==", ["get", "small"], 1], 0.45, 0.85] } });
      // places without a class: hatched as the server's no-data style says (a pattern over the fill colour)
      const tile = noDataTile();
      map.addImage("no-data", tile.getContext("2d").getImageData(0, 0, tile.width, tile.height));
      map.addLayer({ id: "places-nodata", type: "fill", source: "places", filter: ["<", ["to-number", ["get", "cls"], -1], 0], paint: { "fill-pattern": "no-data", "fill-opacity": 0.85 } });
      map.addLayer({ id: "places-line", type: "line", source: "places", paint: { "line-color": ["case", ["boolean", ["feature-state", "selected"], false], "#000", "#ffffff"], "line-width": ["case", ["boolean", ["feature-state", "selected"], false], 3, 0.6] } });
      map.addLayer({ id: "places-small", type: "line", source: "places", filter: ["==", ["get", "small"], 1], paint: { "line-color": SMALL_COLOUR, "line-width": 1.5, "line-dasharray": [1, 1.5] } });
      map.addLayer({ id: "hotspots-line", type: "line", source: "places", filter: ["==", ["get", "hot"], 1], layout: { visibility: "none" }, paint: { "line-color": meta.cluster_outline.colour, "line-width": 2.5 } });
      await loadData();
      await addOverlay("corridors", "/api/corridors", "#1a7837", [3, 2]);
      await addOverlay("micro", "/api/microclusters", MICRO_COLOUR, null, true);
      map.addSource("firms", { type: "geojson", data: EMPTY });
      map.addLayer({ id: "firms-circle", type: "circle", source: "firms", minzoom: 9, paint: { "circle-radius": 3, "circle-color": MICRO_COLOUR, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
      if (state.place) selectPlace(state.place, false);
      map.on("mousemove", "places-fill", (ev) => {
        const f = ev.features[0], t = $("#tooltip");
        t.hidden = false; t.style.left = ev.point.x + 12 + "px"; t.style.top = ev.point.y + 12 + "px";
        const r = byCode.get(f.properties.geo_code);
        const info = measureInfo(), sub = mapSubsector();
        t.textContent = f.properties.geo_name + (sub ? " (" + sub + ")" : "") + ": " + fmt(r ? r.value : null, info.kind) + (isSmall(r) ? " (" + smallText(info) + ")" : "")
          + (r && r.value === null && r.note ? " (" + r.note + ")" : "");  // why there is no value (a published 0)
        map.getCanvas().style.cursor = "pointer";
      });
      map.on("mouseleave", "places-fill", hideTooltip);
      map.on("click", onMapClick);
      map.on("move", drawLabels);
      map.on("moveend", () => { writeHash(); drawLabels(); if (map.getZoom() >= 8) loadDetail(); scheduleFirms(); });
      applyLayerSwitches();
      window.creativeClustersMap = map;  // for the browser tests
      document.body.dataset.mapReady = "true";
    });
  }
  function hideTooltip() { $("#tooltip").hidden = true; if (map) map.getCanvas().style.cursor = ""; }
  async function addOverlay(id, url, colour, dash, casing) {
    let fc;
    try { fc = await getJSON(url); } catch (e) { showMapError("The " + id + " layer could not be loaded: " + e.message); return; }
    map.addSource(id, { type: "geojson", data: fc });
    map.addLayer({ id: id + "-fill", type: "fill", source: id, paint: { "fill-color": colour, "fill-opacity": 0.12 } });
    if (casing) map.addLayer({ id: id + "-casing", type: "line", source: id, paint: { "line-color": "#ffffff", "line-width": 5 } });
    map.addLayer({ id: id + "-line", type: "line", source: id, paint: { "line-color": colour, "line-width": 2.5, ...(dash ? { "line-dasharray": dash } : {}) } });
    if (fc.note) $("#lyr-" + (id === "micro" ? "micro" : id)).parentElement.title = fc.note;
    if (id === "micro" && fc.run) {  // the run's provenance, as the packs and the catalogue give it
      microRun = fc.run;
      $("#lyr-micro").parentElement.title = fc.run.note;
      const firmsLabel = $("#lyr-firms").parentElement;  // "Premises (zoom 9+)" for a run on trading addresses
      firmsLabel.lastChild.textContent = " " + capitalise(fc.run.one === "premises" ? "premises" : "firms") + " (zoom 9+)";
    }
  }
  function capitalise(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
  // the line under a microcluster's or firm's popup: its firm file, its addresses, and SYNTHETIC when it is
  function runLine() {
    if (!microRun) return "";
    return '<p class="caveat run">' + (microRun.synthetic ? "<strong>SYNTHETIC</strong> · " : "") + "From "
      + escapeHtml(microRun.firm_file) + (microRun.firm_file_date ? " (" + escapeHtml(microRun.firm_file_date) + ")" : "")
      + ": " + escapeHtml(microRun.points) + "; " + escapeHtml(microRun.scope) + " coverage, "
      + fmt(microRun.n_lads) + (microRun.n_lads === 1 ? " local authority" : " local authorities") + "</p>";
  }
  function scheduleFirms() {
    clearTimeout(firmsTimer);
    firmsTimer = setTimeout(async () => {
      if (!map.getSource("firms")) return;
      if (!$("#lyr-firms").checked || map.getZoom() < 9) { map.getSource("firms").setData(EMPTY); return; }
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(4)).join(",");
      try { map.getSource("firms").setData(await getJSON("/api/microclusters/firms?bbox=" + bbox, { keep: false })); }
      catch (e) { showMapError("Firm points not available: " + e.message); }
    }, 250);
  }
  // a sub-sector's id (as the layers carry it) in words, from /api/meta
  function subsectorName(id) { const s = meta.subsectors.find((x) => x.id === id); return s ? s.name : id; }
  // "it_software (38%); film_tv (18%)" → names in place of the ids
  function subsectorIdsToNames(text) { return String(text).replace(/[a-z][a-z_]*[a-z]/g, (w) => subsectorName(w)); }
  // [property, label, how to show it]; the values are the layer's own, only formatted here
  const POPUP_FIELDS = {
    "micro-fill": { title: "Microcluster", fields: [["microcluster_id", "Identifier"], ["n_firms", "Firms"], ["dominant_subsector", "Dominant sub-sector", subsectorName],
      ["dominant_share_pct", "Share of its firms in that sub-sector", (v) => fmt(v, "pct")], ["stability", "Stability (0–1)", (v) => fmt(v, "ratio")], ["lad23_name", "Local authority"]] },
    "corridors-fill": { title: "Creative corridor", fields: [["member_names", "Members"], ["n_members", "Places", (v) => fmt(v)],
      ["total_creative_businesses", "Creative enterprises", (v) => fmt(v)], ["dominant_subsectors", "Main sub-sectors", subsectorIdsToNames]] },
    "firms-circle": { title: "Firm", fields: [["microcluster_id", "Microcluster"], ["subsector", "Sub-sector", subsectorName]] },
  };
  function popupHtml(f) {
    const spec = POPUP_FIELDS[f.layer.id];
    const premises = microRun && microRun.one === "premises";  // a run on trading addresses counts premises
    const title = premises && spec.title === "Firm" ? "Premises" : spec.title;
    let html = "<strong>" + escapeHtml(title) + "</strong><dl>";
    for (const [k, label, show] of spec.fields) {
      const v = f.properties[k]; if (v === undefined || v === null || v === "None" || v === "") continue;
      const shown = premises && k === "n_firms" ? "Premises" : label;
      html += "<dt>" + escapeHtml(shown) + "</dt><dd>" + escapeHtml(show ? show(v) : typeof v === "number" ? fmt(v) : v) + "</dd>";
    }
    return html + "</dl>" + (f.layer.id === "micro-fill" || f.layer.id === "firms-circle" ? runLine() : "");
  }
  // a click selects the place under it (its profile opens) and, over a corridor, microcluster or firm, also shows that in a popup
  function onMapClick(ev) {
    const ids = Object.keys(POPUP_FIELDS).filter((l) => map.getLayer(l) && map.getLayoutProperty(l, "visibility") !== "none");
    const hit = ids.length ? map.queryRenderedFeatures(ev.point, { layers: ids }) : [];
    if (popup) { popup.remove(); popup = null; }
    if (hit.length) popup = new maplibregl.Popup({ closeButton: true, maxWidth: "280px" }).setLngLat(ev.lngLat).setHTML(popupHtml(hit[0])).addTo(map);
    const p = map.getLayer("places-fill") ? map.queryRenderedFeatures(ev.point, { layers: ["places-fill"] }) : [];
    if (p.length) selectPlace(p[0].properties.geo_code, false);
  }
  function applyLayerSwitches() {
    if (!map) return;
    const vis = (on) => (on ? "visible" : "none");
    const set = (layer, on) => { if (map.getLayer(layer)) map.setLayoutProperty(layer, "visibility", vis(on)); };
    set("places-fill", $("#lyr-fill").checked); set("places-nodata", $("#lyr-fill").checked); set("places-small", $("#lyr-fill").checked);
    for (const l of ["corridors-fill", "corridors-line"]) set(l, $("#lyr-corridors").checked);
    for (const l of ["micro-fill", "micro-casing", "micro-line"]) set(l, $("#lyr-micro").checked);
    set("firms-circle", $("#lyr-firms").checked);
    drawLabels(); refreshHotspots(); scheduleFirms();
  }
  function flyTo(codes) {
    const set = new Set(codes); let b = null;
    for (const f of currentGeo().features) {
      if (!set.has(f.properties.geo_code)) continue;
      const walk = (c) => { if (typeof c[0] === "number") { b = b ? [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])] : [c[0], c[1], c[0], c[1]]; } else c.forEach(walk); };
      walk(f.geometry.coordinates);
    }
    if (b && map) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, maxZoom: 10, duration: 600 });
  }

  // ---------------------------------------------------------------- profile panel
  // outline the places shown in the panel (a place, or a group's members) and fly to them
  function highlight(codes, fly) {
    if (!map || !map.getSource("places")) return;
    if (highlight.prev) for (const id of highlight.prev) map.setFeatureState({ source: "places", id }, { selected: false });
    const ids = codes.filter((c) => byCode.has(c) || currentGeo().features.some((f) => f.properties.geo_code === c));
    for (const id of ids) map.setFeatureState({ source: "places", id }, { selected: true });
    highlight.prev = ids;
    if (fly) flyTo(codes);
  }
  // Only the newest request for the panel (a place's or a group's profile) renders it and moves the map: each
  // takes a number, and an answer that arrives after a later request started is dropped (as loadData's loadSeq)
  let panelSeq = 0;
  async function selectPlace(code, fly) {
    state.place = code; writeHash();
    const panel = $("#panel"), seq = ++panelSeq;
    panel.innerHTML = '<p role="status">Loading…</p>';
    let p;
    try { p = await getJSON("/api/places/" + encodeURIComponent(code) + "/profile"); }
    catch (e) { if (seq === panelSeq) panel.innerHTML = '<p class="error">No profile for ' + escapeHtml(code) + ": " + escapeHtml(e.message) + "</p>"; return; }
    if (seq !== panelSeq) return;
    highlight([p.place.code, ...(p.place.data_codes || [])], fly);
    shownGroup = null;
    if (compareWith && compareWith.place.code !== p.place.code) panel.innerHTML = compareHtml(compareWith, p);
    else panel.innerHTML = profileHtml(p);
    lastProfile = p;
    panel.focus({ preventScroll: true });
  }
  // the profile's business LQ (workflows.placestats) or, when it has none, the profile's reason (never the
  // benchmark's figure, which comes from another table); the percentile is the benchmark's own
  function lqOf(p) {
    const b = (p.benchmark || []).find((x) => x.label === "Creative business location quotient") || {};
    const f = p.business_lq || {};
    const value = typeof f.value === "number" ? f.value : null;
    return { value, note: value === null ? p.business_lq_note || "no business location quotient in the profile" : null,
      percentile: b.percentile ?? null, percentileUk: b.percentile_uk ?? null };
  }
  // the benchmark's LQ percentiles, each with its base: "98 within Wales; 78 across the UK" (an English place's
  // first is among England's places, on its LQ against England); null when the benchmark has neither
  function lqPercentileText(p) {
    const lq = lqOf(p);
    const nation = (p.statistics && p.statistics.place && p.statistics.place.nation) || (p.trajectory && p.trajectory.nation_name) || "its nation";
    const parts = [];
    if (lq.percentile !== null) parts.push(fmt(lq.percentile) + " within " + nation);
    if (lq.percentileUk !== null) parts.push(fmt(lq.percentileUk) + " across the UK");
    return parts.length ? parts.join("; ") : null;
  }
  // "0.89", or "n/a (why)" when the profile has no LQ
  function lqText(lq) { return lq.value !== null ? fmt(lq.value, "ratio") : "n/a (" + lq.note + ")"; }
  // an LQ's 95% interval as the API gives its bounds, written as the CLI does: " (95% interval 0.85–0.93)";
  // only an upper bound (a published 0): " (95% interval up to 3.26)"; no bounds: ""
  function intervalText(lo, hi) {
    const ok = (x) => typeof x === "number";
    if (ok(lo) && ok(hi)) return " (95% interval " + fmt(lo, "ratio") + "–" + fmt(hi, "ratio") + ")";
    if (ok(hi)) return " (95% interval up to " + fmt(hi, "ratio") + ")";
    return "";
  }
  // the profile's business LQ interval (statistics layer's figure)
  function lqInterval(p) { const f = p.statistics && p.statistics.figures && p.statistics.figures.business_lq; return f ? intervalText(f.lower, f.upper) : ""; }
  // the census a workforce section comes from, as the profile names it from the warehouse catalogue
  function censusLabel(...profiles) { const cw = profiles.map((p) => p && p.census_workforce).find((c) => c && c.label); return cw ? cw.label : "census"; }
  function profileHtml(p) {
    const pl = p.place; const info = measureInfo();
    // a user's group has an internal code (custom:…): only its kind is shown
    let h = "<h2>" + escapeHtml(pl.name) + '</h2><p class="caveat">' + (pl.geo_type === "custom" ? "" : escapeHtml(pl.code) + " · ") + escapeHtml(pl.type_label || pl.geo_type) + "</p>";
    // a group's entries taken as their local authorities (a county, a region), or a group that is one place
    if (pl.group_note) h += '<p class="caveat group-note">' + escapeHtml(pl.group_note) + "</p>";
    const onMap = byCode.get(pl.code) || (pl.data_codes && pl.data_codes.length === 1 ? byCode.get(pl.data_codes[0]) : null);
    if (onMap && (info.id !== "business_lq" || mapSubsector())) h += '<p class="on-map">' + escapeHtml(mapLabel(info)) + " on the map: <strong>" + fmt(onMap.value, info.kind) + "</strong>" + (isSmall(onMap) ? ' <span class="caveat">(' + escapeHtml(smallText(info)) + ")</span>" : "") + "</p>";
    const lq = lqOf(p);
    if (lq.value !== null) h += '<p class="lq">Creative business location quotient: <strong>' + fmt(lq.value, "ratio") + "</strong>" + escapeHtml(lqInterval(p)) + '</p><p class="help">' + escapeHtml(lqHelp()) + "</p>";
    // outside England: the LQ against the UK from the annual series, with the note saying why none against England
    else if (p.business_lq_series && typeof p.business_lq_series.value === "number") h += '<p class="lq-series">Creative business location quotient against the UK (' + escapeHtml(p.business_lq_series.vintage) + "): <strong>" + fmt(p.business_lq_series.value, "ratio") + '</strong> <span class="caveat">(' + escapeHtml(lq.note) + ")</span></p>";
    else h += '<p class="lq-na">Creative business location quotient: <strong>n/a</strong> <span class="caveat">(' + escapeHtml(lq.note) + ")</span></p>";
    const ce = p.creative_enterprises;
    if (ce && ce.covered) {
      h += "<h3>Creative enterprises</h3><p><strong>" + fmt(ce.total.value) + "</strong> (" + fmt(ce.share_of_england.value, "pct") + " of England)</p>";
      const max = Math.max(...ce.by_subsector.map((r) => r.enterprises || 0), 1);
      h += '<table class="subsectors"><caption class="caveat">By sub-sector; LQ = the sub-sector\'s share of the place\'s enterprises ÷ its share in England (1 = the same), with its 95% interval; "small count": too few enterprises for a firm LQ</caption><tr><th scope="col">Sub-sector</th><th scope="col">Count</th><th scope="col">LQ (95% interval)</th></tr>';
      for (const r of ce.by_subsector) {
        const small = (r.flags || []).includes("small-count");
        h += "<tr" + (small ? ' class="small-count"' : "") + "><td>" + escapeHtml(r.subsector) + '<br><span class="bar" style="width:' + Math.round(120 * (r.enterprises || 0) / max) + 'px"></span></td><td>' + fmt(r.enterprises) + "</td><td>" + fmt(r.business_lq, "ratio") + escapeHtml(intervalText(r.lq_lower, r.lq_upper)) +
          (small ? '<br><span class="caveat">small count: ' + fmt(r.enterprises) + " enterprises; LQ uncertain</span>" : "") + "</td></tr>";
      }
      h += '</table><p class="caveat">' + escapeHtml(sentences(ce.total.caveats)) + "</p>";
    }
    h += trajectoryHtml(p.trajectory, pl, ce);
    if (p.creative_share_of_active) h += "<p>" + escapeHtml(p.creative_share_of_active.label) + ": <strong>" + fmt(p.creative_share_of_active.value, "pct") + '</strong></p><p class="caveat">' + escapeHtml(p.creative_share_of_active.caveats[0]) + "</p>";
    const cw = p.census_workforce;
    if (cw && cw.covered) h += "<h3>Workforce (" + escapeHtml(censusLabel(p)) + ")</h3><p>" + fmt(cw.residents.value) + " residents in creative divisions (" + fmt(cw.share.value, "pct") + "; England and Wales " + fmt(cw.ew_share.value, "pct") + ')</p><p class="caveat">' + escapeHtml(cw.residents.caveats.join("; ")) + "</p>";
    h += "<h3>Growth-potential benchmark</h3>";
    if (p.benchmark && p.benchmark.length) {
      // outside England the third column is the percentile across the UK ("–": the indicator's data do not reach all four nations)
      const uk = p.benchmark.some((b) => b.percentile_uk !== null && b.percentile_uk !== undefined);
      h += '<table><caption class="caveat">Percentile (100 = best); "gap" = no data, never scored as zero' + (uk ? '; "–" = not ranked across the UK' : "") + ". " + escapeHtml(p.benchmark_note || "") + '</caption><tr><th scope="col">Indicator</th><th scope="col">' + (uk ? "Within its nation" : "All places") + '</th><th scope="col">' + (uk ? "Across the UK" : "Peers") + "</th></tr>";
      let dim = null; const pc = (x) => (x === null || x === undefined ? "gap" : Math.round(x));
      const third = (b) => (uk ? (b.percentile_uk === null || b.percentile_uk === undefined ? "–" : Math.round(b.percentile_uk)) : pc(b.percentile_peers));
      for (const b of p.benchmark) {
        if (b.dimension !== dim) { dim = b.dimension; h += '<tr><th colspan="3" scope="rowgroup">' + escapeHtml(dim) + "</th></tr>"; }
        h += "<tr><td>" + escapeHtml(b.label) + "</td><td>" + pc(b.percentile) + "</td><td>" + third(b) + "</td></tr>";
      }
      h += "</table>";
    } else h += '<p class="caveat">' + escapeHtml(p.benchmark_note || "Not available.") + "</p>";
    if (p.business_demography && p.business_demography.length) h += "<h3>Business demography (all industries)</h3><ul>" + p.business_demography.map((f) => "<li>" + escapeHtml(f.label) + ": " + fmt(f.value, f.unit.startsWith("%") ? "pct" : "") + "</li>").join("") + "</ul>";
    if (p.deprivation && p.deprivation.length) h += "<h3>Deprivation</h3><ul>" + p.deprivation.map((f) => "<li>" + escapeHtml(f.label) + ": " + deprivationValue(f) + "</li>").join("") + "</ul>";
    h += anchorsHtml(p.anchors);
    h += missingHtml(p);
    // a user's group downloads its pack from /api/groups (its code is not a place the server can look up)
    const packAttr = pl.geo_type === "custom" ? 'data-group-pack="1"' : 'data-pack="' + escapeHtml(pl.code) + '"';
    h += '<p><label for="pack-format">Evidence pack as </label><select id="pack-format">' + PACK_FORMATS.map(([v, t]) => '<option value="' + v + '">' + escapeHtml(t) + "</option>").join("") + "</select> <button type=\"button\" class=\"button\" " + packAttr + '>Download evidence pack</button><button type="button" class="button" data-compare="1">Compare with another place</button>' + groupButtonHtml(pl) + "</p>" + packFocusHtml(p) + '<p id="pack-status" role="status"></p>';
    h += '<p class="caveat">Sources: ' + escapeHtml((p.sources || []).map(sourceText).join("; ")) + ". Definitions " + escapeHtml(p.definitions_version) + ".</p>";
    return h;
  }
  // the evidence pack's formats (GET /api/places/{code}/evidence.{html,pdf,docx,xlsx}), built by the CLI's workflow
  const PACK_FORMATS = [["html", "Web page (HTML)"], ["pdf", "PDF"], ["docx", "Word (DOCX)"], ["xlsx", "Excel (XLSX)"]];
  // what the profile lacks, from its typed records (workflows.gaps): not applicable here apart from not imported,
  // each in plain words with the dataset's catalogue title; the import command only inside a closed <details>
  const MISSING_GROUPS = [
    ["not_applicable", "Not applicable here", "Not published for this kind of area or nation; there is nothing to import."],
    ["not_imported", "Not imported", "Published, but not in this warehouse; whoever runs this tool can add it."],
    ["unavailable", "Not available", "In the warehouse, but without a figure for this place."],
  ];
  function missingItemHtml(m) {
    let li = '<li><strong class="missing-topic">' + escapeHtml(m.topic) + '</strong>: <span class="missing-reason">' + escapeHtml(m.reason) + "</span>";
    if (m.detail && m.status !== "unavailable") li += '<span class="caveat"> (' + escapeHtml(m.detail) + ")</span>";
    if (m.dataset_title) li += '<br><span class="caveat missing-source">Source: ' + escapeHtml(m.dataset_title) + "</span>";
    const more = [];
    if (m.fix) more.push('<p class="caveat">To import it, whoever runs this tool types:</p><pre class="missing-fix"><code>' + escapeHtml(m.fix) + "</code></pre>");
    else if (m.detail && m.status === "unavailable") more.push('<p class="caveat">' + escapeHtml(m.detail) + "</p>");
    if (m.dataset) more.push('<p class="caveat">Dataset id: <code>' + escapeHtml(m.dataset) + "</code></p>");
    if (more.length) li += '<details class="missing-more"><summary>' + (m.fix ? "How to add it" : "Details") + "</summary>" + more.join("") + "</details>";
    return li + "</li>";
  }
  function missingHtml(p) {
    const items = p.missing_items || [];
    let h = "";
    for (const [status, title, help] of MISSING_GROUPS) {
      const mine = items.filter((m) => m.status === status || (status === "unavailable" && !MISSING_GROUPS.some((g) => g[0] === m.status)));
      if (mine.length) h += '<section class="missing" data-status="' + status + '"><h3>' + title + '</h3><p class="caveat">' + help + '</p><ul>' + mine.map(missingItemHtml).join("") + "</ul></section>";
    }
    return h;
  }
  // a deprivation figure with its unit: "rank 56 of 296", "18.2%"; other units after the value
  function deprivationValue(f) {
    const unit = String(f.unit || ""), of = unit.match(/^rank of (\d+)$/);
    if (of) return "rank " + fmt(f.value) + " of " + of[1];
    if (unit === "%") return fmt(f.value, "pct");
    return fmt(f.value) + (unit ? " " + escapeHtml(unit) : "");
  }
  // cultural anchors in the place, as the profile lists them (higher-education providers, museums)
  function anchorsHtml(a) {
    if (!a) return "";
    const parts = [];
    for (const k of ["hei", "museums"]) {
      const x = a[k]; if (!x) continue;
      let li = "<li>" + escapeHtml(x.label) + ": <strong>" + fmt(x.count) + "</strong>";
      if (x.names && x.names.length) li += '<details><summary>Names</summary><p class="caveat">' + escapeHtml(x.names.join("; ")) + "</p></details>";
      if (x.nearest_outside && x.nearest_outside.length) li += '<p class="caveat">Nearest outside: ' + escapeHtml(x.nearest_outside.map((n) => n.name + " (" + n.km.toFixed(1) + " km" + (n.creative_specialist ? ", creative specialist" : "") + ")").join("; ")) + "</p>";
      parts.push(li + "</li>");
    }
    return parts.length ? '<h3>Anchors</h3><ul class="anchors">' + parts.join("") + "</ul>" : "";
  }
  // the place's annual series as the profile gives it: an SVG line (drawing only) and the trajectory layer's windows
  function sparkline(series) {
    const pts = series.filter((r) => typeof r.value === "number");
    if (pts.length < 2) return "";
    // the scale's top is at least 1 (an all-zero series draws flat at the bottom); its label is the series' own highest value
    const top = Math.max(...pts.map((r) => r.value)), W = 280, H = 70, max = Math.max(top, 1), n = series.length - 1;
    const xy = (r) => [4 + (W - 8) * series.indexOf(r) / n, H - 4 - (H - 14) * r.value / max];
    const line = pts.map((r) => xy(r).map((v) => v.toFixed(1)).join(",")).join(" ");
    const marks = pts.filter((r) => (r.flags || []).includes("outlier")).map((r) => { const [x, y] = xy(r); return '<circle cx="' + x.toFixed(1) + '" cy="' + y.toFixed(1) + '" r="3.5" class="outlier"><title>' + escapeHtml(r.period + ": " + (r.note || "outlier")) + "</title></circle>"; }).join("");
    return '<svg class="spark" viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="Creative enterprises ' + escapeHtml(series[0].period + "–" + series[n].period) + ', line chart; the table below has the figures"><polyline points="' + line + '" fill="none" stroke="#0b5394" stroke-width="2"/>' + marks +
      '<text x="4" y="10" class="axis">' + fmt(top) + '</text><text x="4" y="' + (H - 1) + '" class="axis">' + escapeHtml(series[0].period) + '</text><text x="' + (W - 4) + '" y="' + (H - 1) + '" text-anchor="end" class="axis">' + escapeHtml(series[n].period) + "</text></svg>";
  }
  function rankText(t, last, pl) {
    if (!last.rank_nation && !last.rank_uk) return "";
    const among = PLURAL[t.level || (pl && pl.geo_type)] || "places of its level", base = t.rank_base || "the UK";
    const inNation = last.rank_nation ? "rank " + last.rank_nation + " among " + among + " in " + t.nation_name : "";
    // the rank base can be the nation itself (England's combined authorities): say it once
    if (base === t.nation_name || base === "the " + t.nation_name || !last.rank_uk) return " (" + escapeHtml(inNation || "rank " + last.rank_uk + " among " + among + " in " + base) + ")";
    return " (" + escapeHtml((inNation ? inNation + "; " : "") + "rank " + last.rank_uk + " in " + base) + ")";
  }
  function trajectoryHtml(t, pl, ce) {
    if (!t || !t.series || !t.series.length) return "";
    const last = t.series[t.series.length - 1];
    let h = "<h3>Creative enterprises over time</h3><p><strong>" + fmt(last.value) + "</strong> in " + escapeHtml(last.period) + rankText(t, last, pl) + "</p>";
    if (ce && ce.covered && ce.total && String(ce.total.vintage) === String(last.period) && ce.total.value !== last.value)
      h += '<p class="caveat">The annual series (' + fmt(last.value) + ") and the SIC-level table above (" + fmt(ce.total.value) + ") are separate ONS extracts for " + escapeHtml(last.period) + ", each rounded to 5; both are as published, so their totals can differ slightly.</p>";
    h += sparkline(t.series);
    if (t.windows && t.windows.length) {
      // each column as [heading, cell, has a value]; a column no window has a value for is left out
      const none = (x) => x === null || x === undefined;
      const cols = [
        ["Change", (w) => fmt(w.change_pct, "change"), (w) => !none(w.change_pct)],
        ["a year", (w) => fmt(w.cagr_pct, "change"), (w) => !none(w.cagr_pct)],
        ["vs nation", (w) => (none(w.relative_to_nation_pp) ? "n/a" : (w.relative_to_nation_pp > 0 ? "+" : "") + w.relative_to_nation_pp.toFixed(1)), (w) => !none(w.relative_to_nation_pp)],
        ["Rank in " + (t.rank_base || "the UK"), (w) => (w.rank_uk_start || "n/a") + " → " + (w.rank_uk_end || "n/a"), (w) => !!(w.rank_uk_start || w.rank_uk_end)],
      ].filter((c) => t.windows.some(c[2]));
      if (cols.length) {
        h += '<table class="windows"><caption class="caveat">Change and compound growth a year; "vs nation" in points a year against ' + escapeHtml(t.nation_name) + '</caption><tr><th scope="col">Window</th>' + cols.map((c) => '<th scope="col">' + escapeHtml(c[0]) + "</th>").join("") + "</tr>";
        for (const w of t.windows) h += "<tr><td>" + escapeHtml(w.label) + "</td>" + cols.map((c) => "<td>" + escapeHtml(c[1](w)) + "</td>").join("") + "</tr>";
        h += "</table>";
      }
      const s = t.windows.find((w) => w.sentence); if (s) h += "<p>" + escapeHtml(s.sentence) + "</p>";
    }
    if (t.trajectory) h += "<p>Trajectory (" + escapeHtml(t.trajectory_year) + "): <strong>" + escapeHtml(t.trajectory) + '</strong></p><p class="caveat">' + escapeHtml(t.trajectory_reason || "") + "</p>";
    const odd = t.series.filter((r) => r.note);
    if (odd.length) h += '<ul class="caveat">' + odd.map((r) => "<li>" + escapeHtml(r.period + ": " + r.note) + "</li>").join("") + "</ul>";
    if (t.members && t.members.length > 1) h += '<p class="caveat">Sum of ' + t.members.length + " local authorities: " + escapeHtml((t.member_names || t.members).join(", ")) + "</p>";
    h += '<p class="caveat">' + escapeHtml((t.source && (t.source.title + " (" + t.source.publisher + ")")) || "") + "; rounded to 5.</p>";
    return h;
  }
  // the last year of the place's annual series, and the last year that has an LQ against the UK (as the profile gives them)
  function seriesLast(p) { const s = (p.trajectory && p.trajectory.series) || []; return s.length ? s[s.length - 1] : null; }
  function seriesLastLq(p) { const s = ((p.trajectory && p.trajectory.series) || []).filter((r) => typeof r.lq === "number"); return s.length ? s[s.length - 1] : null; }
  function compareHtml(a, b) {
    // a figure the SIC-level counts do not publish for the place says so, rather than "n/a"
    const sic = (f) => (p) => (p.creative_enterprises && p.creative_enterprises.covered === false
      ? "not published for " + ((p.trajectory && p.trajectory.nation_name) || "this place") + " (England only)" : f(p));
    const val = (p, f) => { try { return f(p); } catch (e) { return null; } };
    const rowsC = [
      ["Creative enterprises (SIC-level counts, England)", sic((p) => fmt(p.creative_enterprises.total.value) + " (" + p.creative_enterprises.total.vintage + ")")],
      ["Creative enterprises (annual series, UK)", (p) => { const r = seriesLast(p); return r ? fmt(r.value) + " (" + r.period + ")" : null; }],
      ["Share of England's creative enterprises", sic((p) => fmt(p.creative_enterprises.share_of_england.value, "pct"))],
      ["Creative share of active enterprises", (p) => fmt(p.creative_share_of_active.value, "pct")],
      ["Creative business location quotient (against England)", sic((p) => lqText(lqOf(p)))],
      ["Location quotient against the UK (annual series)", (p) => { const r = seriesLastLq(p); return r ? fmt(r.lq, "ratio") + " (" + r.period + ")" : null; }],
      ["LQ percentile (benchmark; 100 = highest)", lqPercentileText],
      ["Residents in creative divisions (" + censusLabel(a, b) + ")", (p) => fmt(p.census_workforce.residents.value)],
      ["Their share of residents in employment", (p) => fmt(p.census_workforce.share.value, "pct")],
    ];
    let h = "<h2>Compare places</h2><table class=\"compare\"><tr><th scope=\"col\">Figure</th><th scope=\"col\">" + escapeHtml(a.place.name) + '</th><th scope="col">' + escapeHtml(b.place.name) + "</th></tr>";
    for (const [label, f] of rowsC) h += "<tr><th scope=\"row\">" + escapeHtml(label) + "</th><td>" + escapeHtml(val(a, f) ?? "n/a") + "</td><td>" + escapeHtml(val(b, f) ?? "n/a") + "</td></tr>";
    h += '</table><p class="help">' + escapeHtml(lqHelp()) + ' The row "Location quotient against the UK (annual series)" compares with the UK instead: 1 = the same share as the UK.</p><p><button type="button" class="button" data-stop-compare="1">Stop comparing</button></p>';
    return h;
  }
  // the sub-sector a pack focuses on: the map's, unless all or a measure of the annual series (no sub-sectors)
  function packFocus() { return state.subsector !== "all" && !isSeries() ? state.subsector : null; }
  // p: the profile shown (a place's or a group's); where it says the SIC-level counts do not cover it
  // (creative_enterprises.covered false: outside England, or a group with members outside it), a sub-sector focus
  // cannot be measured there and the line says so, naming a group's members outside England
  function packFocusHtml(p) {
    const f = packFocus();
    if (f && p && p.creative_enterprises && p.creative_enterprises.covered === false) {
      const group = p.place && p.place.geo_type === "custom";
      const sp = (p.statistics && p.statistics.place) || {}; const codes = sp.members || [];
      const outside = codes.map((c, i) => [c, (sp.member_names || [])[i] || c]).filter(([c]) => c[0] !== "E").map(([, n]) => n);
      const where = group ? p.place.name : ((p.trajectory && p.trajectory.nation_name) || "this place");
      const which = group && outside.length && outside.length < codes.length ? " (" + outside.join(", ") + (outside.length === 1 ? " is" : " are") + " outside it)" : "";
      return '<p class="caveat" id="pack-focus">The pack cannot measure ' + escapeHtml(subsectorName(f)) + " in " + escapeHtml(where) +
        ": the sub-sector counts cover England only" + escapeHtml(which) + ".</p>";
    }
    return '<p class="caveat" id="pack-focus">' + (f ? "The pack focuses on " + escapeHtml(subsectorName(f)) + ", the sub-sector chosen above the map."
      : "The pack covers all creative industries; choose a sub-sector above the map to focus it on one.") + "</p>";
  }
  // code: a place's code, or null for the user's group (GET /api/groups/evidence.{fmt}?places=&name=)
  async function downloadPack(code) {
    const st = $("#pack-status");
    const sel = $("#pack-format"); const ext = sel ? sel.value : "html";
    st.className = ""; st.textContent = "Building the evidence pack (up to a minute the first time)…";
    try {
      // the map's sub-sector focuses the pack (evidence --subsector), as the line under the button says
      const focus = packFocus() ? "subsector=" + encodeURIComponent(state.subsector) : "";
      const url = code === null ? "/api/groups/evidence." + ext + "?" + groupQuery(shownGroup) + (focus ? "&" + focus : "")
        : "/api/places/" + encodeURIComponent(code) + "/evidence." + ext + (focus ? "?" + focus : "");
      const r = await fetch(url);
      if (!r.ok) { let msg = "HTTP " + r.status; try { msg = (await r.json()).detail; } catch (e) { /* not JSON */ } throw new Error(msg); }
      const blob = await r.blob();
      // the name as written (RFC 6266 filename*, "Môn a Gwynedd"), else the ASCII one
      const cd = r.headers.get("content-disposition") || "";
      const star = cd.match(/filename\*=UTF-8''([^;]+)/i); const m = cd.match(/filename="([^"]+)"/);
      const name = star ? decodeURIComponent(star[1]) : m ? m[1] : (code || "group") + "." + ext;
      const a = document.createElement("a"); a.href = URL.createObjectURL(blob); a.download = name; document.body.appendChild(a); a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
      st.textContent = "Downloaded " + name + ".";
    } catch (e) { st.className = "error"; st.textContent = "The evidence pack could not be built: " + e.message; }
  }
  $("#panel").addEventListener("click", (e) => {
    const t = e.target.closest("button"); if (!t) return;
    if (t.dataset.pack) downloadPack(t.dataset.pack);
    else if (t.dataset.groupPack) downloadPack(null);
    else if (t.dataset.groupToggle) { toggleMember(t.dataset.groupToggle, t.dataset.groupName); t.outerHTML = groupButtonHtml(lastProfile.place); }
    else if (t.dataset.compare) {
      compareWith = lastProfile; const s = $("#pack-status"); s.className = ""; s.textContent = "Now pick a second place on the map, in the table or with the search box.";
      $("#search").value = ""; results = []; showResults(); $("#search").focus();
    }
    else if (t.dataset.stopCompare) { compareWith = null; if (lastProfile) $("#panel").innerHTML = profileHtml(lastProfile); }
  });

  // ---------------------------------------------------------------- a user's group of local authorities
  // Members are picked in the panel ("Add to a group"); the server resolves, profiles and builds the pack of the
  // group (/api/groups/profile and /api/groups/evidence.{fmt}, as `profile --name NAME --places A,B`), so the page
  // sums and averages nothing. The group lives in the link (#group=E06000034,E06000033&gname=Thames Estuary).
  const group = { members: [], name: "" };  // members: [{ code, name }], in the order added
  let shownGroup = null;  // the group whose profile the panel shows: { codes, name }
  const GROUP_CODE = /^[EWSN]\d{8}$/;
  function inGroup(code) { return group.members.some((m) => m.code === code); }
  function groupQuery(g) {
    const q = new URLSearchParams({ places: g.codes.join(",") });
    if (g.name) q.set("name", g.name);
    return q.toString();
  }
  // the panel's button for a local authority: add it to the group, or take it out (other kinds of place: none)
  function groupButtonHtml(pl) {
    if (!pl || pl.geo_type !== "lad") return "";
    const on = inGroup(pl.code);
    return '<button type="button" class="button" data-group-toggle="' + escapeHtml(pl.code) + '" data-group-name="' + escapeHtml(pl.name) +
      '" aria-pressed="' + on + '">' + (on ? "Remove from the group" : "Add to a group") + "</button>";
  }
  function toggleMember(code, name) {
    if (inGroup(code)) group.members = group.members.filter((m) => m.code !== code);
    else group.members.push({ code, name });
    renderGroup(); writeHash();
    $("#group-status").textContent = (inGroup(code) ? "Added " : "Removed ") + name + (inGroup(code) ? " to" : " from") + " the group.";
  }
  function renderGroup() {
    const tray = $("#group-tray"), n = group.members.length;
    tray.hidden = n === 0;
    $("#group-members").innerHTML = group.members.map((m) => "<li>" + escapeHtml(m.name) + ' <span class="caveat">' + escapeHtml(m.code) +
      '</span><button type="button" data-group-remove="' + escapeHtml(m.code) + '" aria-label="Remove ' + escapeHtml(m.name) + ' from the group">Remove</button></li>').join("");
    if ($("#group-name").value !== group.name) $("#group-name").value = group.name;
    $("#group-show").disabled = n < 2;
    $("#group-show").title = n < 2 ? "A group needs at least two local authorities" : "";
  }
  async function showGroup() {
    const g = { codes: group.members.map((m) => m.code), name: group.name.trim() };
    const panel = $("#panel"), seq = ++panelSeq;
    panel.innerHTML = '<p role="status">Loading the group\u2019s profile…</p>';
    let p;
    try { p = await getJSON("/api/groups/profile?" + groupQuery(g)); }
    catch (e) { if (seq === panelSeq) panel.innerHTML = '<p class="error">No profile for this group: ' + escapeHtml(e.message) + "</p>"; return; }
    if (seq !== panelSeq) return;  // a place or another group was chosen meanwhile
    shownGroup = g; compareWith = null; lastProfile = p;
    highlight([...(p.place.data_codes || [])], true);
    panel.innerHTML = profileHtml(p);
    panel.focus({ preventScroll: true });
  }
  // restore the group a link names: each member's name from the search endpoint (an unknown code is reported)
  async function restoreGroup(codes, name) {
    group.name = name || "";
    const found = await Promise.all(codes.map(async (c) => {
      try { const r = (await getJSON("/api/places?q=" + encodeURIComponent(c) + "&limit=1")).results[0]; return r && r.code === c ? { code: c, name: r.name } : null; }
      catch (e) { return null; }
    }));
    const bad = codes.filter((c, i) => !found[i]);
    group.members = found.filter(Boolean);
    if (bad.length) notice("The group in this link names codes that are not local authorities here (" + bad.map(escapeHtml).join(", ") + "); they were left out.");
    renderGroup();
  }
  $("#group-members").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-group-remove]"); if (!b) return;
    const m = group.members.find((x) => x.code === b.dataset.groupRemove);
    toggleMember(m.code, m.name);
    const t = $("#panel [data-group-toggle]"); if (t && lastProfile) t.outerHTML = groupButtonHtml(lastProfile.place);
  });
  $("#group-name").addEventListener("input", (e) => { group.name = e.target.value; writeHash(); });
  $("#group-show").addEventListener("click", showGroup);
  $("#group-clear").addEventListener("click", () => {
    group.members = []; group.name = ""; renderGroup(); writeHash();
    const t = $("#panel [data-group-toggle]"); if (t && lastProfile) t.outerHTML = groupButtonHtml(lastProfile.place);
  });

  // ---------------------------------------------------------------- search: debounced, cached, keyboard
  let results = [], active = -1, timer = null;
  function showResults(none) {
    // an emptied list (a place chosen, Escape) has no active option: aria-activedescendant pointed at a gone one
    if (active >= results.length) active = -1;
    const ul = $("#search-results");
    ul.innerHTML = results.map((r, i) => '<li role="option" id="opt-' + i + '" aria-selected="' + (i === active) + '" data-code="' + escapeHtml(r.code) + '">' + escapeHtml(r.name) + ' <span class="caveat">' + escapeHtml(r.type_label) + (r.year ? ", " + escapeHtml(r.year) : "") + "</span></li>").join("");
    ul.hidden = !results.length; $("#search").setAttribute("aria-expanded", String(!!results.length));
    $("#search-status").textContent = none ? none : results.length ? results.length + (results.length === 1 ? " place" : " places") + " found; use the arrow keys and Enter to choose." : "";
    if (active >= 0) $("#search").setAttribute("aria-activedescendant", "opt-" + active); else $("#search").removeAttribute("aria-activedescendant");
  }
  $("#search").addEventListener("input", (e) => {
    clearTimeout(timer);
    const q = e.target.value.trim();
    timer = setTimeout(async () => {
      if (!/[\p{L}\p{N}]/u.test(q)) { results = []; showResults(); return; }
      let failed = null;
      try { results = (await getJSON("/api/places?q=" + encodeURIComponent(q) + "&limit=8")).results; } catch (err) { results = []; failed = err.message; }
      if ($("#search").value.trim() !== q) return;  // typed on meanwhile
      active = results.length ? 0 : -1;
      showResults(results.length ? null : failed ? "Search failed: " + failed
        : "No places found for \u201c" + q + "\u201d. Try a local authority, combined authority, region or town name, or an ONS code (e.g. E08000019).");
    }, 200);
  });
  $("#search").addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { active = Math.min(results.length - 1, active + 1); showResults(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(0, active - 1); showResults(); e.preventDefault(); }
    else if (e.key === "Enter") { e.preventDefault(); if (active >= 0 && results[active]) choose(results[active]); }
    else if (e.key === "Escape") { results = []; showResults(); }
  });
  $("#search-results").addEventListener("click", (e) => { const li = e.target.closest("li"); if (li) choose(results.find((r) => r.code === li.dataset.code)); });
  function choose(r) { results = []; showResults(); $("#search").value = r.name; selectPlace(r.code, true); }

  // ---------------------------------------------------------------- controls
  $("#controls").addEventListener("submit", (e) => e.preventDefault());
  $("#data-table").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-k]");
    if (b) { if (sortKey === b.dataset.k) sortDir = -sortDir; else { sortKey = b.dataset.k; sortDir = b.dataset.k === "value" ? -1 : 1; } renderTable(measureInfo()); $('#data-table button[data-k="' + b.dataset.k + '"]').focus(); return; }
    const a = e.target.closest("a[data-code]"); if (a) { e.preventDefault(); selectPlace(a.dataset.code, true); }
  });
  $("#toggle-view").addEventListener("click", () => setView(state.view === "map" ? "table" : "map"));
  function setView(v) {
    state.view = v; const isTable = v === "table";
    $("#table-wrap").hidden = !isTable; $("#map-wrap").hidden = isTable;
    $("#toggle-view").setAttribute("aria-pressed", String(isTable)); $("#toggle-view").textContent = isTable ? "Map view" : "Table view";
    if (!isTable && map) { map.resize(); drawLabels(); }
    writeHash();
  }
  for (const id of ["level", "subsector", "measure"]) $("#" + id).addEventListener("change", (e) => {
    state[id] = e.target.value; hideTooltip(); if (id !== "level") hotspots = null; clearStaleNotice();
    if (id === "level") { syncMeasures(); fitMeasureToLevel(); }
    syncTime(); loadData();
    const pf = $("#pack-focus"); if (pf) pf.outerHTML = packFocusHtml(lastProfile);  // the pack follows the sub-sector chosen
  });
  $("#year").addEventListener("input", (e) => { state.year = yearsFor()[Number(e.target.value)]; $("#year-out").textContent = state.year; e.target.setAttribute("aria-valuetext", String(state.year)); });
  $("#year").addEventListener("change", () => { hotspots = null; clearStaleNotice(); syncTime(); loadData(); });
  $("#since").addEventListener("change", (e) => { state.since = e.target.value ? Number(e.target.value) : null; clearStaleNotice(); loadData(); });
  // the skip link moves the focus to the panel; following its href would change the link (#panel) and, through
  // the hashchange handler, put every setting back to its default
  $("a.skip").addEventListener("click", (e) => { e.preventDefault(); const p = $("#panel"); p.focus({ preventScroll: true }); p.scrollIntoView({ block: "nearest" }); });
  for (const id of ["lyr-fill", "lyr-labels", "lyr-hotspots", "lyr-corridors", "lyr-micro", "lyr-firms"]) $("#" + id).addEventListener("change", applyLayerSwitches);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && popup) { popup.remove(); popup = null; } });

  // a link opened in a tab that already shows the page (only the part after # changed): apply it as at start;
  // settings the link leaves out go back to their defaults, the place shown stays unless the link names another
  window.addEventListener("hashchange", () => {
    if (!meta) return;
    const before = state.place;
    Object.assign(state, DEFAULTS, { year: null, since: null }); clearStaleNotice();
    const view = applyHash();
    if (view.group) restoreGroup(view.group.codes, view.group.name);
    for (const id of ["level", "subsector", "measure"]) $("#" + id).value = state[id];
    syncMeasures(); fitMeasureToLevel(); syncTime(); hotspots = null; hideTooltip();
    if (map && view.c) map.jumpTo({ center: view.c.split(",").map(Number), zoom: view.z !== null && view.z !== undefined ? Number(view.z) : map.getZoom() });
    setView(state.view);
    loadData().then(() => { if (state.place && state.place !== before) selectPlace(state.place, !view.c); });
  });

  async function watchVersion() {
    try {
      const v = await getJSON("/api/version", { keep: false });
      if (v.version !== meta.version) { notice("The data behind this map has changed (a new import or microclusters run).", true); return; }
    } catch (e) { /* server restarting: try again later */ }
    setTimeout(watchVersion, 15000);
  }

  (async function start() {
    try { meta = await getJSON("/api/meta"); }
    catch (e) { showMapError("The server did not answer (" + e.message + "). Is `creative-clusters serve` running?"); return; }
    $("#subsector").innerHTML = meta.subsectors.map((s) => '<option value="' + escapeHtml(s.id) + '">' + escapeHtml(s.name) + "</option>").join("");
    // offer only measures the warehouse has years for (a warehouse without the series has no series measures)
    meta.measures = meta.measures.filter((m) => yearsOf(m).length > 0);
    if (!meta.measures.length) { showMapError("The warehouse has no creative business counts yet: run `creative-clusters data import DIR`."); return; }
    if (!meta.measures.some((m) => m.id === state.measure)) state.measure = meta.measures[0].id;
    $("#measure").innerHTML = meta.measures.map((m) => '<option value="' + escapeHtml(m.id) + '">' + escapeHtml(m.label) + "</option>").join("");
    $("#level").innerHTML = meta.levels.map((m) => '<option value="' + escapeHtml(m.id) + '">' + escapeHtml(m.label) + "</option>").join("");
    const view = applyHash();
    if (view.group) restoreGroup(view.group.codes, view.group.name);
    for (const id of ["level", "subsector", "measure"]) $("#" + id).value = state[id];
    syncMeasures(); fitMeasureToLevel();
    syncTime();
    setView(state.view);
    if (window.matchMedia("(max-width: 820px)").matches) { $("#layers").open = false; $("#legend-box").open = false; }
    initMap(view);
    if (!map) await loadData();
    setTimeout(watchVersion, 15000);
  })();
})();
