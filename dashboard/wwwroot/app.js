// Analytics Grid dashboard: plain ES module over the public API (/api/sites, /api/v2/query, /api/v1/realtime/visitors).
// Everything the page shows is also kept in window.__dashboard so tests (and curious people) can read it.

import { initManage, formError } from "./manage.js";
import { initFunnels } from "./funnels.js";
import { initSegments } from "./segments.js";
import { initImports } from "./imports.js";

const $ = (id) => document.getElementById(id);

const METRICS = {
  visitors: { label: "Unique visitors", short: "Visitors", format: (v) => integer(v) },
  visits: { label: "Total visits", short: "Visits", format: (v) => integer(v) },
  pageviews: { label: "Total pageviews", short: "Pageviews", format: (v) => integer(v) },
  views_per_visit: { label: "Views per visit", short: "Views / visit", format: (v) => decimal(v) },
  bounce_rate: { label: "Bounce rate", short: "Bounce rate", format: (v) => `${Math.round(v)}%`, lowerIsBetter: true },
  visit_duration: { label: "Visit duration", short: "Visit duration", format: (v) => duration(v) },
  events: { label: "Events", short: "Events", format: (v) => integer(v) },
  conversion_rate: { label: "Conversion rate", short: "CR", format: (v) => `${v.toLocaleString(view.locale, { maximumFractionDigits: 1 })}%` },
  // Engagement (from the tracker's engagement events) and exits; null where a page has none.
  time_on_page: { label: "Time on page", short: "Time", format: (v) => v == null ? "–" : duration(v) },
  scroll_depth: { label: "Scroll depth", short: "Scroll", format: (v) => v == null ? "–" : `${Math.round(v)}%` },
  exit_rate: { label: "Exit rate", short: "Exit rate", format: (v) => v == null ? "–" : `${v.toLocaleString(view.locale, { maximumFractionDigits: 1 })}%` },
};
// Revenue columns (Goals panel, when a goal has a currency): the API's {short, long, value, currency}, or null.
const REVENUE = {
  total_revenue: { label: "Revenue", short: "Revenue", format: (v) => v ? v.short : "–", title: (v) => v?.long },
  average_revenue: { label: "Average revenue", short: "Average", format: (v) => v ? v.short : "–", title: (v) => v?.long },
};
const column = (m) => METRICS[m] ?? REVENUE[m];
const INTEGER_METRICS = ["visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration"];
const CARD_METRICS = ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"];

const DIMENSIONS = {
  "event:page": "Page",
  "visit:entry_page": "Entry page",
  "visit:exit_page": "Exit page",
  "visit:source": "Source",
  "visit:referrer": "Referrer",
  "visit:utm_source": "UTM source",
  "visit:utm_medium": "UTM medium",
  "visit:utm_campaign": "UTM campaign",
  "visit:country": "Country",
  "visit:device": "Device",
  "visit:browser": "Browser",
  "visit:os": "Operating system",
  "visit:screen": "Screen size",
  "event:goal": "Goal",
  "event:hostname": "Hostname",
  "visit:channel": "Channel",
  "visit:utm_content": "UTM content",
  "visit:utm_term": "UTM term",
  "visit:browser_version": "Browser version",
  "visit:os_version": "OS version",
  "visit:region": "Region",
  "visit:city": "City",
};
const PROPS = "event:props:";
/** A dimension's name for people: "Browser", or "Property plan" for event:props:plan. */
function dimensionLabel(d) { return d.startsWith(PROPS) ? `Property ${d.slice(PROPS.length)}` : DIMENSIONS[d] ?? d; }
function isDimension(d) { return typeof d === "string" && (Boolean(DIMENSIONS[d]) || (d.startsWith(PROPS) && d.length > PROPS.length)); }

// The filter menu's operators: what the chip says, and the API's operator (contains ignores case, as Plausible's dashboard).
const OPERATORS = { is: "is", is_not: "is not", contains: "contains", matches: "matches" };

// Breakdown panels: each tab is one dimension with the metrics it shows (first one sizes the bars and sorts).
const PANELS = [
  { id: "pages", title: "Pages", tabs: [
    { label: "Top pages", dimension: "event:page", metrics: ["visitors", "pageviews"] },
    { label: "Entry pages", dimension: "visit:entry_page", metrics: ["visitors", "visits"] },
    { label: "Exit pages", dimension: "visit:exit_page", metrics: ["visitors", "visits", "exit_rate"] },
    { label: "Engagement", dimension: "event:page", metrics: ["visitors", "time_on_page", "scroll_depth"] },
  ] },
  { id: "sources", title: "Sources", tabs: [
    { label: "Sources", dimension: "visit:source", metrics: ["visitors", "visits"] },
    { label: "Referrers", dimension: "visit:referrer", metrics: ["visitors", "visits"] },
    { label: "UTM source", dimension: "visit:utm_source", metrics: ["visitors", "visits"] },
    { label: "UTM medium", dimension: "visit:utm_medium", metrics: ["visitors", "visits"] },
    { label: "UTM campaign", dimension: "visit:utm_campaign", metrics: ["visitors", "visits"] },
  ] },
  { id: "locations", title: "Locations", tabs: [
    { label: "Countries", dimension: "visit:country", metrics: ["visitors", "visits"] },
  ] },
  { id: "devices", title: "Devices", tabs: [
    { label: "Devices", dimension: "visit:device", metrics: ["visitors", "visits"] },
    { label: "Browsers", dimension: "visit:browser", metrics: ["visitors", "visits"] },
    { label: "Operating systems", dimension: "visit:os", metrics: ["visitors", "visits"] },
    { label: "Screen sizes", dimension: "visit:screen", metrics: ["visitors", "visits"] },
  ] },
  { id: "goals", title: "Goals & custom events", tabs: [
    { label: "Goals", dimension: "event:goal", metrics: ["visitors", "events", "conversion_rate"], revenue: true },
  ] },
  // The key is picked in the panel (state.prop); its values are a breakdown on event:props:<key>.
  { id: "props", title: "Properties", props: true, tabs: [
    { label: "Properties", dimension: null, metrics: ["visitors", "events"] },
  ] },
];
const ROWS = 10;
const PATH_DIMENSIONS = ["event:page", "visit:entry_page", "visit:exit_page"];

const PERIOD_LABELS = { day: "Today", yesterday: "Yesterday", "7d": "Last 7 days", "30d": "Last 30 days", month: "This month", custom: "Custom range" };

// include.comparisons modes, as the legend and the cards name them.
const COMPARISONS = { previous_period: "Previous period", year_over_year: "Year over year", custom: "Custom comparison", off: "No comparison" };
const SEGMENT = "segment";

// ---------- state in the URL ----------

/** Each filter is one "f" parameter holding [operator, dimension, [values]] as JSON; malformed ones are dropped. */
function readFilters(p) {
  const filters = p.getAll("f").map((text) => {
    try {
      const [op, dimension, values] = JSON.parse(text);
      if (op === "is" && dimension === SEGMENT && Array.isArray(values) && values.length === 1 && /^\d+$/.test(String(values[0]))) {
        return { op, dimension, values: [String(values[0])] };
      }
      return OPERATORS[op] && isDimension(dimension) && Array.isArray(values) && values.length && values.every((v) => typeof v === "string")
        ? { op, dimension, values } : null;
    } catch { return null; }
  }).filter(Boolean);
  // Links from before several filters: filter=<dimension>&value=<v>…
  const legacy = p.get("filter"), values = p.getAll("value");
  if (isDimension(legacy) && values.length) filters.push({ op: "is", dimension: legacy, values });
  return filters;
}

function readState() {
  const p = new URLSearchParams(location.search);
  return {
    site: p.get("site") || "",
    period: PERIOD_LABELS[p.get("period")] ? p.get("period") : "30d",
    from: p.get("from") || "",
    to: p.get("to") || "",
    metric: METRICS[p.get("metric")] ? p.get("metric") : "visitors",
    filters: readFilters(p),
    prop: p.get("prop") || "",
    comparison: COMPARISONS[p.get("comparison")] ? p.get("comparison") : "previous_period",
    compareFrom: p.get("compare_from") || "",
    compareTo: p.get("compare_to") || "",
    imported: p.get("imported") !== "false",
    tabs: Object.fromEntries(PANELS.map((panel) => [panel.id, Number(p.get(`tab_${panel.id}`)) || 0])),
  };
}

function writeState(push = true) {
  const p = new URLSearchParams();
  if (state.site) p.set("site", state.site);
  p.set("period", state.period);
  if (state.period === "custom") { p.set("from", state.from); p.set("to", state.to); }
  if (state.metric !== "visitors") p.set("metric", state.metric);
  for (const f of state.filters) p.append("f", JSON.stringify([f.op, f.dimension, f.values]));
  if (state.prop) p.set("prop", state.prop);
  if (state.comparison !== "previous_period") p.set("comparison", state.comparison);
  if (state.comparison === "custom") { p.set("compare_from", state.compareFrom); p.set("compare_to", state.compareTo); }
  if (!state.imported) p.set("imported", "false");
  for (const panel of PANELS) if (state.tabs[panel.id]) p.set(`tab_${panel.id}`, state.tabs[panel.id]);
  const url = `${location.pathname}?${p}`;
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}

let state = readState();
const view = { sites: [], timezone: "Etc/UTC", locale: undefined, allowedProps: [], cards: {}, chart: null, panels: {}, empty: null, ready: false, loads: 0, error: null };
window.__dashboard = view;

// ---------- formatting ----------

// Numbers and dates in the site's locale when it names one; otherwise numbers in the reader's conventions and dates
// and times as ISO (yyyy-mm-dd hh:mm, sv-SE's short format), unambiguous in every locale.
function integer(v) { return Math.round(v).toLocaleString(view.locale); }
function decimal(v) { return (Math.round(v * 100) / 100).toLocaleString(view.locale, { maximumFractionDigits: 2 }); }
function dateTime(iso) {
  return new Intl.DateTimeFormat(view.locale ?? "sv-SE", { timeZone: view.timezone, dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
}
function duration(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60), rest = s % 60;
  if (m < 60) return rest ? `${m}m ${rest}s` : `${m}m`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
function change(current, previous) {
  if (previous === undefined || previous === null) return null;
  if (previous === 0) return current === 0 ? 0 : null;
  return Math.round(((current - previous) / previous) * 100);
}

// ---------- dates (in the site's time zone) ----------

function todayIn(timezone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return parts; // en-CA formats as yyyy-mm-dd
}
/** "yyyy-mm-dd hh" now in the zone, comparable with the API's hourly labels. */
function nowHourIn(timezone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}`;
}
function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function daysBetween(from, to) { return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000); }

/** The selected range and the previous one of equal length, as explicit [from, to] dates. */
function ranges() {
  const today = todayIn(view.timezone);
  let from, to;
  switch (state.period) {
    case "day": from = to = today; break;
    case "yesterday": from = to = addDays(today, -1); break;
    case "7d": from = addDays(today, -6); to = today; break;
    case "30d": from = addDays(today, -29); to = today; break;
    case "month": from = `${today.slice(0, 8)}01`; to = today; break;
    default: from = state.from || today; to = state.to || today;
  }
  const length = daysBetween(from, to) + 1;
  return { current: [from, to], previous: [addDays(from, -length), addDays(from, -1)], hourly: from === to, length };
}

// ---------- API ----------

class ApiError extends Error {}

// /share/{slug}: a public read-only view of one site; the slug is the credential (no login, no cookie).
const shareSlug = location.pathname.startsWith("/share/") ? decodeURIComponent(location.pathname.slice("/share/".length).split("/")[0]) : null;

function cookie(name) {
  const match = document.cookie.split("; ").find(c => c.startsWith(name + "="));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

// The session cookie authorizes reads; state-changing calls also carry the CSRF token the server put in XSRF-TOKEN.
function requestOptions(method, body) {
  const headers = {};
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (shareSlug) headers["X-Analytics-Share"] = shareSlug;
  else if (method !== "GET") headers["X-XSRF-TOKEN"] = cookie("XSRF-TOKEN") || "";
  return { method, headers, body: body === undefined || form ? body : JSON.stringify(body) };
}

async function send(method, path, body) {
  let response;
  try {
    response = await fetch(path, requestOptions(method, body));
  } catch (e) {
    throw new ApiError(`The server could not be reached (${e.message}).`);
  }
  if (response.status === 401 && !shareSlug) {
    location.assign(`/login?ReturnUrl=${encodeURIComponent(location.pathname)}`);
  }
  if (response.status === 401 && shareSlug) {
    throw new ApiError("This share link is not valid: it was revoked or mistyped. Ask the site's owner for a new one.");
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch { /* not JSON */ }
    throw new ApiError(detail);
  }
  return response.status === 204 ? null : response.json();
}

function api(path, body) { return send(body === undefined ? "GET" : "POST", path, body); }

/** Every query includes imported data while the box is ticked (include.imports; the API says when it cannot). */
function query(extra) {
  const include = state.imported ? { ...extra.include, imports: true } : extra.include;
  return api("/api/v2/query", { site_id: state.site, ...extra, include });
}

/** include.comparisons for the selected mode, or nothing. */
function comparisonInclude() {
  if (state.comparison === "off") return undefined;
  return state.comparison === "custom" ? { mode: "custom", date_range: [state.compareFrom, state.compareTo] } : { mode: state.comparison };
}

/** Every filter narrows every query: cards, chart and panels alike. */
function filtersFor() {
  return state.filters.length
    ? state.filters.map((f) => f.dimension === SEGMENT ? [f.op, f.dimension, f.values.map(Number)]
      : f.op === "contains" ? [f.op, f.dimension, f.values, { case_sensitive: false }] : [f.op, f.dimension, f.values])
    : undefined;
}

/**
 * A time series with every bucket of its range (meta.time_labels), empty ones as zeros. Rows are taken in order per
 * label: on a fall-back day two UTC hours carry the same local label and stay two points.
 */
function filled(result, metrics) {
  const rows = new Map();
  for (const row of result.results) {
    const label = row.dimensions[0];
    if (!rows.has(label)) rows.set(label, []);
    rows.get(label).push(row.metrics);
  }
  return result.meta.time_labels.map((label) => rows.get(label)?.shift() ?? metrics.map(() => 0));
}

// ---------- rendering helpers ----------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    // Through CSSOM, which the page's Content-Security-Policy allows (a style attribute would need 'unsafe-inline').
    else if (k === "style") node.style.cssText = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** The Goals tab without rows: it lists configured goals only, so say where they are made (the owner's view only). */
function noGoalRows() {
  const owner = !shareSlug;
  return el("p", { class: "no-rows" }, "No goal completions in this period. Goals count the custom events and pages configured for the site.",
    owner ? " " : null,
    owner ? el("button", { type: "button", class: "link", id: "add-goal-link", onclick: openGoalSettings }, "Add a goal") : null);
}

function openGoalSettings() {
  if ($("manage").hidden) $("manage-toggle").click();
  $("goals-panel").scrollIntoView({ block: "start" });
  $("add-goal").querySelector('input[name="target"]').focus();
}

function showError(message) {
  view.error = message;
  $("error").hidden = !message;
  $("error").textContent = message ? `Could not load the dashboard: ${message}` : "";
}

// The server's rule (CsvWriter.Escape): a cell starting with = + - @, tab or CR gets a leading apostrophe, so no
// spreadsheet reads it as a formula; then a cell with a comma, quote or line break is quoted, quotes doubled.
function csvCell(s) {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
function downloadCsv(name, header, rows) {
  const cell = (v) => csvCell(String(v ?? ""));
  const text = [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  return text;
}
function csvName(what) {
  const { current } = ranges();
  return `${state.site}_${what}_${current[0]}_${current[1]}.csv`.replace(/[^\w.\-]+/g, "-");
}

// Arrow keys / Home / End move between tabs (WAI-ARIA tabs pattern); activation is automatic.
function tablist(container, labels, selected, onSelect, disabled = () => false) {
  container.replaceChildren(...labels.map((label, i) => el("button", {
    type: "button", role: "tab", class: "tab", "aria-selected": String(i === selected), tabindex: i === selected ? "0" : "-1",
    disabled: disabled(i), "data-index": i, onclick: () => onSelect(i),
  }, label)));
  container.onkeydown = (e) => {
    const tabs = [...container.querySelectorAll('[role="tab"]:not([disabled])')];
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    tab.focus();
    tab.click();
  };
}

// ---------- cards ----------

function renderCards(current, previous, changes) {
  view.cards = {};
  const compared = COMPARISONS[state.comparison].toLowerCase();
  $("cards").replaceChildren(...CARD_METRICS.map((metric) => {
    const info = METRICS[metric];
    const value = current[metric] ?? 0, before = previous?.[metric] ?? 0;
    if (!previous) {
      view.cards[metric] = { value, previous: null, change: null, text: info.format(value) };
      return el("div", { class: "card", "data-metric": metric },
        el("span", { class: "card-label" }, info.label), el("b", { class: "card-value" }, info.format(value)));
    }
    // The API's change (percent; points for bounce rate); from nothing it is "new", not the API's 100 %.
    const pct = before === 0 || changes?.[metric] === undefined || changes[metric] === null ? change(value, before) : Math.round(changes[metric]);
    const good = pct === null || pct === 0 ? "flat" : (pct > 0) !== !!info.lowerIsBetter ? "up" : "down";
    const text = pct === null ? "↑ new" : pct === 0 ? "no change" : `${pct > 0 ? "↑" : "↓"} ${Math.abs(pct)}%`;
    view.cards[metric] = { value, previous: before, change: pct, text: info.format(value) };
    return el("div", { class: "card", "data-metric": metric },
      el("span", { class: "card-label" }, info.label),
      el("b", { class: "card-value" }, info.format(value)),
      el("span", { class: `card-change ${good}`, title: `${COMPARISONS[state.comparison]}: ${info.format(before)}` },
        text, pct !== null && pct !== 0 ? el("span", { class: "sr" }, ` versus the ${compared}`) : null));
  }));
}

// ---------- chart ----------

let plot = null;

function chartMetrics() { return CARD_METRICS; }

function renderChartTabs() {
  const metrics = chartMetrics();
  if (!metrics.includes(state.metric)) state.metric = metrics[0];
  tablist($("chart-tabs"), metrics.map((m) => METRICS[m].short), metrics.indexOf(state.metric), (i) => {
    state.metric = metrics[i];
    writeState(false);
    renderChartTabs();
    drawChart();
  });
}

function drawChart() {
  const data = view.chart;
  const box = $("chart");
  if (!data) return;
  const index = data.metrics.indexOf(state.metric);
  const xs = data.labels.map((l) => Date.parse(l.length > 10 ? `${l.replace(" ", "T")}Z` : `${l}T00:00:00Z`) / 1000);
  const current = data.current.map((row) => row[index]);
  const previous = data.compared ? data.previous.map((row) => row[index]) : xs.map(() => null);
  data.metric = state.metric;
  data.points = data.labels.map((label, i) => ({ label, value: current[i], previous: previous[i] ?? null }));
  box.dataset.previous = JSON.stringify(data.points.map((p) => p.previous));
  box.dataset.metric = state.metric;
  box.dataset.points = JSON.stringify(data.points.map((p) => [p.label, p.value]));
  box.setAttribute("aria-label", `${METRICS[state.metric].label} per ${data.hourly ? "hour" : "day"}: ` +
    data.points.filter((p) => p.value).map((p) => `${p.label} ${METRICS[state.metric].format(p.value)}`).join(", ") || "no data");

  if (typeof uPlot === "undefined") { box.textContent = "The chart library did not load."; return; }
  const format = METRICS[state.metric].format;
  const width = Math.max(box.clientWidth, 280);
  const opts = {
    width, height: width < 500 ? 200 : 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"), // labels are already site-local
    cursor: { points: { size: 7 } },
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { stroke: "#57606a", grid: { show: false }, ticks: { stroke: "#d0d7de" },
        // ISO-style ticks (24-hour clock, month-day), not the library's US "11/23" and "3pm".
        values: (u, vals) => vals.map((v) => new Date(v * 1000).toISOString().slice(data.hourly ? 11 : 5, data.hourly ? 16 : 10)) },
      { stroke: "#57606a", grid: { stroke: "#eaeef2" }, ticks: { show: false }, size: 56, values: (u, vals) => vals.map((v) => format(v)),
        // Counts have no fractional ticks (a "1.5 visitors" gridline would print as a second "2").
        incrs: INTEGER_METRICS.includes(state.metric) ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6] : undefined },
    ],
    series: [
      {},
      { label: COMPARISONS[state.comparison], stroke: "#8c959f", dash: [5, 5], width: 1.5, points: { show: false }, show: Boolean(data.compared) },
      { label: "This period", stroke: "#4f46e5", width: 2.5, fill: "rgba(79,70,229,0.10)", points: { show: xs.length <= 31, size: 5 } },
    ],
  };
  if (plot) plot.destroy();
  box.replaceChildren();
  // Today's hours still to come have no value yet: a gap, not a fall to zero after the current hour.
  const now = nowHourIn(view.timezone);
  const plotted = data.hourly && state.period === "day" ? current.map((v, i) => data.labels[i].slice(0, 13) > now ? null : v) : current;
  plot = new uPlot(opts, [xs, previous, plotted], box);
  view.chart.plot = plot;
}

// ---------- breakdown panels ----------

function buildPanels() {
  $("panels").replaceChildren(...PANELS.map((panel) => el("section", { class: "panel", id: `panel-${panel.id}`, "aria-labelledby": `title-${panel.id}` },
    el("div", { class: "panel-head" },
      el("h2", { id: `title-${panel.id}` }, panel.title),
      panel.tabs.length > 1 ? el("div", { class: "tabs", role: "tablist", "aria-label": `${panel.title} breakdown`, id: `tabs-${panel.id}` }) : null,
      el("button", { type: "button", class: "csv", "data-csv": panel.id }, "Export CSV")),
    panel.props ? propPicker() : null,
    el("p", { class: "panel-note", id: `note-${panel.id}`, hidden: true }),
    el("div", { class: "panel-body", id: `body-${panel.id}`, role: "tabpanel", "aria-labelledby": `title-${panel.id}` }))));
}

// ---------- properties ----------

/** Keys already looked at on a site (this browser), offered in the picker. */
function knownProps() {
  try { return JSON.parse(localStorage.getItem(`props:${state.site}`) || "[]"); } catch { return []; }
}
function rememberProp(key) {
  const keys = [key, ...knownProps().filter((k) => k !== key)].slice(0, 20);
  try { localStorage.setItem(`props:${state.site}`, JSON.stringify(keys)); } catch { /* storage off: the URL still holds it */ }
}
/** Keys the tracker sets itself, offered whatever the site's allowed list (as Plausible does). */
const INTERNAL_PROPS = ["url", "path", "search_query"];
/** With an allowed list (Sites & keys → Properties), only its keys and the internal ones are offered. */
function propOffered(key) { return !view.allowedProps.length || view.allowedProps.includes(key) || INTERNAL_PROPS.includes(key); }
function renderPropKeys() {
  const keys = view.allowedProps.length
    ? [...view.allowedProps, ...INTERNAL_PROPS]
    : [...new Set([state.prop, ...knownProps(), ...state.filters.filter((f) => f.dimension.startsWith(PROPS)).map((f) => f.dimension.slice(PROPS.length))])].filter(Boolean);
  $("prop-keys").replaceChildren(...keys.map((k) => el("option", { value: k })));
  // A refresh while someone types a key keeps what they typed.
  const input = $("prop-key");
  if (document.activeElement !== input) input.value = state.prop;
}
function propPicker() {
  return el("form", { class: "prop-picker", id: "prop-form", "aria-label": "Property key",
    onsubmit: (e) => {
      e.preventDefault();
      state.prop = $("prop-key").value.trim();
      if (state.prop) rememberProp(state.prop);
      writeState();
      renderPropKeys();
      loadPanel(PANELS.find((p) => p.props)).catch((err) => showError(err.message));
    } },
    el("label", { class: "field" }, el("span", {}, "Property key"),
      el("input", { id: "prop-key", name: "prop", list: "prop-keys", placeholder: "e.g. plan", autocomplete: "off", maxlength: "300" })),
    el("datalist", { id: "prop-keys" }),
    el("button", { type: "submit", class: "button small" }, "Show values"));
}

function renderPanelTabs(panel) {
  const container = $(`tabs-${panel.id}`);
  if (!container) return;
  tablist(container, panel.tabs.map((t) => t.label), state.tabs[panel.id], (i) => {
    state.tabs[panel.id] = i;
    writeState(false);
    renderPanelTabs(panel);
    loadPanel(panel).catch((e) => showError(e.message));
  });
}

function panelTab(panel) {
  const tab = panel.tabs[state.tabs[panel.id]] ?? panel.tabs[0];
  return panel.props ? { ...tab, dimension: state.prop ? `${PROPS}${state.prop}` : null } : tab;
}

async function loadPanel(panel, { current } = { current: ranges().current }) {
  const tab = panelTab(panel);
  const body = $(`body-${panel.id}`);
  const note = $(`note-${panel.id}`);
  if (!tab.dimension) {
    view.panels[panel.id] = { dimension: null, metrics: tab.metrics, rows: [], total: 0 };
    note.hidden = true;
    body.replaceChildren(el("p", { class: "no-rows" }, "Pick a custom property's key (as the tracker sends it in props) to see its values."));
    return;
  }
  if (panel.props && !propOffered(state.prop)) {
    view.panels[panel.id] = { dimension: null, metrics: tab.metrics, rows: [], total: 0 };
    note.hidden = true;
    body.replaceChildren(el("p", { class: "no-rows" }, `"${state.prop}" is not among this site's allowed properties (Sites & keys → Properties).`));
    return;
  }
  body.setAttribute("aria-busy", "true");
  let result;
  try {
    result = await query({ metrics: tab.metrics, date_range: current, dimensions: [tab.dimension], filters: filtersFor(), pagination: { limit: ROWS } });
  } finally {
    body.removeAttribute("aria-busy");
  }
  const rows = result.results.map((r) => ({ value: r.dimensions[0], metrics: r.metrics }));
  const { metrics, warning } = tab.revenue ? await withRevenue(tab, rows, current) : { metrics: tab.metrics };
  view.panels[panel.id] = { dimension: tab.dimension, metrics, rows, total: result.meta?.total_rows ?? rows.length };

  const noGeo = tab.dimension === "visit:country" && rows.length > 0 && rows.every((r) => r.value === "(unknown)");
  const said = noGeo ? "Countries need a GeoIP country database (a MaxMind .mmdb file): set Analytics:GeoIp:DatabasePath." : warning ?? "";
  note.hidden = !said;
  note.textContent = said;

  const max = Math.max(1, ...rows.map((r) => r.metrics[0]));
  if (!rows.length) {
    body.replaceChildren(tab.dimension === "event:goal" ? noGoalRows() : el("p", { class: "no-rows" }, "Nothing recorded in this period."));
    return;
  }
  const label = dimensionLabel(tab.dimension);
  const path = PATH_DIMENSIONS.includes(tab.dimension);
  const active = (value) => state.filters.some((f) => f.op === "is" && f.dimension === tab.dimension && f.values.includes(value));
  body.replaceChildren(el("table", { class: metrics.length > 3 ? "rows wide" : "rows" },
    el("caption", { class: "sr" }, `${panel.props ? label : tab.label}, top ${rows.length} of ${view.panels[panel.id].total}`),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, panel.props ? state.prop : DIMENSIONS[tab.dimension]), ...metrics.map((m) => el("th", { scope: "col", class: "num" }, column(m).short)))),
    el("tbody", {}, rows.map((r) => el("tr", { class: active(r.value) ? "active" : null, "data-value": r.value },
      el("th", { scope: "row", class: "label" },
        el("span", { class: "bar", style: `width:${(100 * r.metrics[0]) / max}%`, "aria-hidden": "true" }),
        // Paths are cut at the start ("…/docs/setup"), where long ones differ least; the full value is in the title.
        el("button", { type: "button", class: path ? "row-button path" : "row-button",
          title: `Filter by ${label.toLowerCase()} ${r.value}`,
          "aria-pressed": String(active(r.value)), onclick: () => applyFilter(tab.dimension, r.value) },
          path ? el("bdi", { dir: "ltr" }, r.value || "(none)") : r.value || "(none)")),
      ...r.metrics.map((v, i) => el("td", { class: "num", title: column(metrics[i]).title?.(v) }, column(metrics[i]).format(v))))))));
}

/**
 * Revenue of the rows' goals, asked apart (only revenue goals have it, in their currency, and imported data has none):
 * when a row has some, its two columns join the tab's metrics and each row's values; otherwise the tab's metrics. The
 * warning is the API's when an amount had no exchange rate (so the owner knows to add one in the site's settings).
 */
async function withRevenue(tab, rows, current) {
  if (!rows.length) return { metrics: tab.metrics };
  const names = Object.keys(REVENUE);
  const result = await api("/api/v2/query", { site_id: state.site, metrics: names, date_range: current, dimensions: [tab.dimension],
    filters: [...(filtersFor() ?? []), ["is", tab.dimension, rows.map((r) => r.value)]] });
  const unconverted = result.meta?.metric_warnings?.total_revenue;
  const warning = unconverted?.code === "no_exchange_rate" ? unconverted.warning : undefined;
  const revenue = new Map(result.results.filter((r) => r.metrics.some(Boolean)).map((r) => [r.dimensions[0], r.metrics]));
  if (!revenue.size) return { metrics: tab.metrics, warning };
  for (const row of rows) row.metrics = [...row.metrics, ...(revenue.get(row.value) ?? names.map(() => null))];
  return { metrics: [...tab.metrics, ...names], warning };
}

// ---------- filters ----------

/** A row's value as an "is" filter; it replaces the "is" filter on that dimension, others stay. */
function applyFilter(dimension, value) {
  const same = (f) => f.op === "is" && f.dimension === dimension;
  if (state.filters.some((f) => same(f) && f.values.length === 1 && f.values[0] === value)) return; // clicking the active row again keeps it
  state.filters = [...state.filters.filter((f) => !same(f)), { op: "is", dimension, values: [value] }];
  writeState();
  load();
}

function addFilter(op, dimension, value) {
  state.filters = [...state.filters, { op, dimension, values: [value] }];
  writeState();
  load();
}

function removeFilter(index) {
  state.filters = state.filters.filter((_, i) => i !== index);
  writeState();
  load();
}

function filterText(f) { return f.dimension === SEGMENT ? "Segment " : `${dimensionLabel(f.dimension)} ${OPERATORS[f.op]} `; }
function chipValues(f) { return f.dimension === SEGMENT ? f.values.map((id) => segments.name(id) ?? `#${id}`) : f.values.map((v) => v || "(none)"); }

/** A saved segment as a chip; it replaces the segment chip there was. */
function applySegment(segment) {
  state.filters = [...state.filters.filter((f) => f.dimension !== SEGMENT), { op: "is", dimension: SEGMENT, values: [String(segment.id)] }];
  writeState();
  load();
}

function renderFilters() {
  $("chips").replaceChildren(...state.filters.map((f, i) => el("li", { class: "chip", "data-dimension": f.dimension, "data-op": f.op, "data-value": f.values.join("|") },
    el("span", {}, filterText(f), el("b", {}, chipValues(f).join(" or "))),
    el("button", { type: "button", class: "chip-remove", "aria-label": `Remove filter ${filterText(f)}${chipValues(f).join(" or ")}`, onclick: () => removeFilter(i) }, "×"))));
  $("filters-label").hidden = state.filters.length === 0;
  const dimensions = [...Object.keys(DIMENSIONS), ...(state.prop ? [`${PROPS}${state.prop}`] : [])];
  const selected = $("filter-dimension").value;
  $("filter-dimension").replaceChildren(...dimensions.map((d) => new Option(dimensionLabel(d), d)));
  if (dimensions.includes(selected)) $("filter-dimension").value = selected;
}

function wireFilterMenu() {
  $("filter-toggle").addEventListener("click", () => {
    const open = $("filter-menu").hidden;
    $("filter-menu").hidden = !open;
    $("filter-toggle").setAttribute("aria-expanded", String(open));
    if (open) $("filter-value").focus();
  });
  $("filter-menu").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("filter-value").value;
    const op = $("filter-op").value;
    if (!value.trim()) { $("filter-error").hidden = false; $("filter-error").textContent = "Type a value to filter by."; return; }
    $("filter-error").hidden = true;
    $("filter-value").value = "";
    $("filter-menu").hidden = true;
    $("filter-toggle").setAttribute("aria-expanded", "false");
    addFilter(op, $("filter-dimension").value, op === "matches" ? value : value.trim());
  });
}

// ---------- loading ----------

let generation = 0;

async function load() {
  const mine = ++generation;
  showError(null);
  syncControls();
  renderFilters();
  renderPropKeys();
  renderChartTabs();
  if (!state.site) {
    $("cards").replaceChildren(el("p", { class: "first-site" }, shareSlug ? "This share link shows no site." : "No site yet: add your first one with the form above."));
    $("empty").hidden = true;
    if (!shareSlug) manage.show(true);
    view.ready = true;
    document.body.dataset.ready = "no-site";
    return;
  }
  view.ready = false;
  try {
    const site = await api(`/api/sites/${encodeURIComponent(state.site)}`);
    view.timezone = site.timezone || "Etc/UTC";
    view.locale = site.locale ?? undefined;
    view.allowedProps = site.custom_properties ?? [];
    renderPropKeys();
    const r = ranges();
    const seriesMetrics = chartMetrics();
    const time = r.hourly ? "time:hour" : "time:day";
    const comparisons = comparisonInclude();
    const [all, totals, series] = await Promise.all([
      query({ metrics: ["visitors"], date_range: "all" }),
      query({ metrics: CARD_METRICS, date_range: r.current, filters: filtersFor(), include: { comparisons } }),
      query({ metrics: seriesMetrics, date_range: r.current, dimensions: [time], filters: filtersFor(), include: { time_labels: true, comparisons } }),
    ]);
    // The comparison line: every bucket of the compared range (its rows only come with buckets that have data here).
    const compared = series.query.comparison_date_range;
    const seriesBefore = compared
      ? await query({ metrics: seriesMetrics, date_range: compared.map((d) => d.slice(0, 10)), dimensions: [time], filters: filtersFor(), include: { time_labels: true } })
      : null;
    if (mine !== generation) return;
    const echo = totals.query;
    const span = (range) => r.hourly ? range[0].slice(0, 10) : `${range[0].slice(0, 10)} to ${range[1].slice(0, 10)}`;
    $("range-note").textContent = `${PERIOD_LABELS[state.period]}: ${span(echo.date_range)} (${view.timezone})` +
      (echo.comparison_date_range ? `, compared with ${span(echo.comparison_date_range)} (${COMPARISONS[state.comparison].toLowerCase()}).` : ".");
    view.comparison = echo.comparison_date_range ?? null;
    const warning = totals.meta.imports_warning || series.meta.imports_warning;
    view.importsIncluded = Boolean(totals.meta.imports_included);
    $("imports-note").hidden = !warning;
    $("imports-note").textContent = warning || "";

    // Imported history counts as data: a site whose numbers are all imported needs no "paste the script" banner.
    const empty = (all.results[0]?.metrics[0] ?? 0) === 0 && !totals.meta.imports_included;
    view.empty = empty;
    $("empty").hidden = !empty;
    $("empty-site").textContent = state.site;
    $("snippet").textContent = `<script defer data-domain="${state.site}" src="${location.origin}/js/script.js"></script>`;
    if (empty) waitForFirstPageview(state.site);

    const row = totals.results[0];
    const asObject = (values) => Object.fromEntries(CARD_METRICS.map((m, i) => [m, values?.[i] ?? 0]));
    renderCards(asObject(row?.metrics), comparisons ? asObject(row?.comparison?.metrics) : null, row?.comparison ? asObject(row.comparison.change) : null);

    view.chart = {
      hourly: r.hourly, metrics: seriesMetrics, compared: Boolean(seriesBefore),
      labels: series.meta.time_labels,
      current: filled(series, seriesMetrics),
      previous: seriesBefore ? filled(seriesBefore, seriesMetrics) : [],
    };
    $("legend-prev").textContent = COMPARISONS[state.comparison];
    $("legend-prev").hidden = $("legend-prev-swatch").hidden = !seriesBefore;
    drawChart();

    await Promise.all([...PANELS.map((panel) => { renderPanelTabs(panel); return loadPanel(panel, r); }), funnels.load()]);
    if (mine !== generation) return;
    view.loads++;
    view.ready = true;
    document.body.dataset.ready = String(view.loads);
  } catch (e) {
    if (mine !== generation) return;
    showError(e instanceof ApiError ? e.message : `Unexpected error: ${e.message}`);
    view.ready = true;
    document.body.dataset.ready = "error";
  }
}

// After a site is added: poll until its first pageview counts, then say so and load the numbers.
let waiting = null; // { site }: the one poll running; a newer one (another site) replaces it
function waitForFirstPageview(site) {
  if (waiting?.site === site || shareSlug) return;
  const mine = { site };
  waiting = mine;
  const box = $("waiting");
  box.classList.remove("ok");
  box.replaceChildren(el("span", { class: "spinner", "aria-hidden": "true" }), " Waiting for the first pageview…");
  const poll = async () => {
    if (waiting !== mine) return;
    if (state.site !== site) { waiting = null; return; }
    try {
      await refreshDrops();
      const all = await query({ metrics: ["visitors"], date_range: "all" });
      if (waiting === mine && (all.results[0]?.metrics[0] ?? 0) > 0) {
        waiting = null;
        box.classList.add("ok");
        box.replaceChildren(el("span", { class: "tick", "aria-hidden": "true" }, "✓"), " First pageview received: this site is counted.");
        view.firstPageview = true;
        setTimeout(() => { if (state.site === site) { load(); refreshLive(); } }, 2500);
        return;
      }
    } catch { /* keep waiting; the next poll retries */ }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}

const DROP_REASONS = {
  bot: "as bot (a crawler or headless browser's user agent)", unknown_site: "for an unregistered domain",
  hostname_not_allowed: "from a hostname not in the allowed list", referrer_spam: "as referrer spam",
  do_not_track: "for Do Not Track", invalid_event_name: "for an invalid event name", invalid_url: "for an invalid URL",
};

/** "3 beacons dropped as bot in the last hour": why visits may be missing. */
async function refreshDrops() {
  if (!state.site || shareSlug) return;
  try {
    const drops = await api(`/api/sites/${encodeURIComponent(state.site)}/drops`);
    view.drops = drops;
    const parts = Object.entries(drops.reasons).map(([reason, n]) => `${integer(n)} ${n === 1 ? "beacon" : "beacons"} dropped ${DROP_REASONS[reason] ?? reason}`);
    $("drops").hidden = parts.length === 0;
    $("drops").textContent = parts.length ? `${parts.join("; ")} in the last hour.` : "";
  } catch { $("drops").hidden = true; }
}

async function refreshLive() {
  if (!state.site) return;
  refreshDrops();
  try {
    const n = await api(`/api/v1/realtime/visitors?site_id=${encodeURIComponent(state.site)}`);
    view.live = n;
    $("live").textContent = integer(n);
    $("live-label").textContent = n === 1 ? "current visitor" : "current visitors";
  } catch {
    $("live").textContent = "–";
  }
}

function syncControls() {
  $("comparison").value = state.comparison;
  $("compare-custom").hidden = state.comparison !== "custom";
  $("compare-from").value = state.compareFrom;
  $("compare-to").value = state.compareTo;
  $("with-imported").checked = state.imported;
  $("site").value = state.site;
  $("period").value = state.period;
  $("custom").hidden = state.period !== "custom";
  if (state.period === "custom") {
    $("from").value = state.from;
    $("to").value = state.to;
  }
}

function wireControls() {
  $("site").addEventListener("change", () => {
    state.site = $("site").value; state.filters = []; state.prop = ""; writeState(); load(); refreshLive(); segments.refresh();
    // An open Sites & keys panel shows the newly chosen site's settings (its form would otherwise save the last site's values to it).
    if (!$("manage").hidden) manage.refresh();
  });
  $("comparison").addEventListener("change", () => {
    state.comparison = $("comparison").value;
    if (state.comparison === "custom") {
      const r = ranges();
      state.compareFrom = state.compareFrom || r.previous[0];
      state.compareTo = state.compareTo || r.previous[1];
      syncControls();
      $("compare-from").focus();
      return;
    }
    writeState();
    load();
  });
  $("compare-apply").addEventListener("click", () => {
    const from = $("compare-from").value, to = $("compare-to").value;
    if (!from || !to || from > to) { showError("Pick a comparison start on or before its end."); return; }
    Object.assign(state, { comparison: "custom", compareFrom: from, compareTo: to });
    writeState();
    load();
  });
  $("with-imported").addEventListener("change", () => { state.imported = $("with-imported").checked; writeState(); load(); });
  $("period").addEventListener("change", () => {
    state.period = $("period").value;
    if (state.period === "custom") {
      const r = ranges();
      state.from = state.from || addDays(r.current[1], -6);
      state.to = state.to || todayIn(view.timezone);
      syncControls();
      $("from").focus();
      return;
    }
    writeState();
    load();
  });
  $("controls").addEventListener("submit", (e) => {
    e.preventDefault();
    const from = $("from").value, to = $("to").value;
    if (!from || !to || from > to) { showError("Pick a start date on or before the end date."); return; }
    Object.assign(state, { period: "custom", from, to });
    writeState();
    load();
  });
  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-csv]");
    if (!button) return;
    const which = button.dataset.csv;
    if (which === "chart") {
      const c = view.chart;
      if (!c) return;
      view.lastCsv = downloadCsv(csvName("timeseries"), ["time", ...c.metrics, ...c.metrics.map((m) => `previous_${m}`)],
        c.labels.map((label, i) => [label, ...c.current[i], ...(c.previous[i] ?? [])]));
      return;
    }
    const p = view.panels[which];
    if (!p) return;
    if (!p?.dimension) return;
    // A revenue cell is written as its amount.
    view.lastCsv = downloadCsv(csvName(p.dimension.replaceAll(":", "_")), [p.dimension.split(":").at(-1), ...p.metrics],
      p.rows.map((r) => [r.value, ...r.metrics.map((v) => v !== null && typeof v === "object" ? v.value : v)]));
  });
  $("logout").hidden = Boolean(shareSlug);
  $("logout").addEventListener("click", async () => {
    await fetch("/logout", requestOptions("POST"));
    location.assign("/login");
  });
  $("copy-snippet").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText($("snippet").textContent); $("copy-snippet").textContent = "Copied"; } catch { /* clipboard blocked: the text is selectable */ }
  });
  window.addEventListener("popstate", () => { state = readState(); load(); });
  let width = window.innerWidth;
  window.addEventListener("resize", () => { if (Math.abs(window.innerWidth - width) > 20) { width = window.innerWidth; drawChart(); } });
}

const funnels = initFunnels({ send, el, view, formError, site: () => state.site, range: () => ranges().current, filters: filtersFor });

const segments = initSegments({
  send, el, view, site: () => state.site, filters: () => filtersFor() ?? [], apply: applySegment, readOnly: Boolean(shareSlug),
});

const imports = initImports({ send, el, view, site: () => state.site, changed: () => load() });

const manage = initManage({
  send, el, dateTime,
  site: () => state.site,
  goalsChanged: () => funnels.refreshSettings(),
  sitesChanged: async (selected) => {
    await loadSites(selected ?? undefined);
    await load();
    refreshLive();
  },
});

async function loadSites(selected) {
  view.sites = await api("/api/sites");
  $("site").replaceChildren(...view.sites.map((s) => new Option(s, s)));
  const before = state.site;
  if (selected !== undefined) state.site = selected;
  if (!view.sites.includes(state.site)) state.site = view.sites[0] ?? "";
  // A filter belongs to the site it was set on.
  if (state.site !== before) { state.filters = []; state.prop = ""; }
  writeState(false);
}

async function start() {
  buildPanels();
  wireControls();
  wireFilterMenu();
  if (shareSlug) {
    // A public view: say so, and offer nothing that needs the owner's login.
    $("manage-toggle").hidden = true;
    imports.hide();
    $("share-note").hidden = false;
    $("foot").hidden = true;
  }
  try {
    await loadSites();
  } catch (e) {
    showError(e.message);
    view.ready = true;
    return;
  }
  await segments.refresh();
  await load();
  await refreshLive();
  setInterval(refreshLive, 15000);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
