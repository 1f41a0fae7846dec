// Funnels: a panel of the dashboard (one funnel over the selected period and filters: each step a bar, with its
// conversion from step 1 and the drop-off from the step before) and their settings beside the goals (build one from
// the site's goals, remove one). Everything goes through /api/sites/{domain}/funnels; what the panel shows is kept
// in window.__dashboard.funnel.

const MAX_STEPS = 8;
const FIRST_STEPS = 3;

/** ctx: { send(method, path, body), el, site(), range() → [from, to], filters() → v2 filters or undefined, view, formError(form, message) } */
export function initFunnels(ctx) {
  const { el } = ctx;
  const $ = (id) => document.getElementById(id);
  const path = (rest = "") => `/api/sites/${encodeURIComponent(ctx.site())}/funnels${rest}`;
  let picked = null;

  // ---------- the dashboard panel ----------

  $("panels").after(el("section", { class: "panel funnel-panel", id: "panel-funnel", "aria-labelledby": "title-funnel" },
    el("div", { class: "panel-head" },
      el("h2", { id: "title-funnel" }, "Funnel"),
      el("label", { class: "field inline-field" }, el("span", { class: "sr" }, "Funnel"), el("select", { id: "funnel-pick" }))),
    el("div", { class: "panel-body", id: "body-funnel", "aria-live": "polite" })));
  $("funnel-pick").addEventListener("change", () => { picked = Number($("funnel-pick").value); load().catch((e) => message(e.message)); });

  function message(text) {
    $("body-funnel").replaceChildren(el("p", { class: "no-rows" }, text));
  }

  async function load() {
    const funnels = await ctx.send("GET", path());
    $("funnel-pick").replaceChildren(...funnels.map((f) => new Option(f.name, f.id)));
    $("funnel-pick").hidden = funnels.length === 0;
    if (!funnels.length) {
      ctx.view.funnel = null;
      message("No funnel yet: build one from your goals under Sites & keys → Funnels.");
      return;
    }
    if (!funnels.some((f) => f.id === picked)) picked = funnels[0].id;
    $("funnel-pick").value = String(picked);
    const [from, to] = ctx.range();
    const filters = ctx.filters();
    const report = await ctx.send("GET", path(`/${picked}?from=${from}&to=${to}${filters ? `&filters=${encodeURIComponent(JSON.stringify(filters))}` : ""}`));
    ctx.view.funnel = report;
    render(report);
  }

  function percent(v) { return `${v.toLocaleString(ctx.view.locale, { maximumFractionDigits: 2 })}%`; }

  function render(report) {
    const top = Math.max(1, report.steps[0]?.visitors ?? 0);
    $("body-funnel").replaceChildren(
      el("p", { class: "funnel-summary" }, `${report.entering_visitors.toLocaleString(ctx.view.locale)} of ${report.all_visitors.toLocaleString(ctx.view.locale)} visitors entered the funnel (${percent(report.entering_visitors_percentage)}).`),
      el("ol", { class: "funnel-steps" }, report.steps.map((s, i) => el("li", { class: "funnel-step", "data-step": String(i + 1) },
        el("div", { class: "funnel-label" }, el("b", {}, `${i + 1}. ${s.label}`),
          el("span", { class: "muted" }, i === 0 ? "" : ` · ${s.dropoff.toLocaleString(ctx.view.locale)} dropped off (${percent(s.dropoff_percentage)})`)),
        el("div", { class: "funnel-track" },
          el("span", { class: "funnel-bar", style: `width:${(100 * s.visitors) / top}%`, "aria-hidden": "true" }),
          el("span", { class: "funnel-figures" }, `${s.visitors.toLocaleString(ctx.view.locale)} visitors · ${percent(s.conversion_rate)}`))))));
  }

  // ---------- settings: build and remove funnels ----------

  $("goals-panel").after(el("section", { class: "panel", id: "funnels-panel", "aria-labelledby": "funnels-title", hidden: true },
    el("h2", { id: "funnels-title" }, "Funnels"),
    el("p", { class: "hint" }, "A funnel counts the visitors who complete its goals in this order within one visit (other pages may come between)."),
    el("ul", { class: "items", id: "funnels" }),
    el("form", { id: "add-funnel", class: "form", novalidate: true },
      el("label", { class: "field" }, el("span", {}, "Funnel name"), el("input", { name: "name", placeholder: "Signup flow", autocomplete: "off" })),
      el("div", { id: "funnel-steps" }),
      el("button", { type: "button", class: "button secondary small", id: "add-funnel-step" }, "+ Add step"),
      el("p", { class: "form-error", role: "alert", hidden: true }),
      el("button", { type: "submit", class: "button" }, "Create funnel"))));

  let goals = [];
  function stepSelect(n) {
    return el("label", { class: "field" }, el("span", {}, `Step ${n}`),
      el("select", { name: "step", "aria-label": `Step ${n}` }, new Option("(choose a goal)", ""), ...goals.map((g) => new Option(g.display_name, g.id))));
  }
  function resetSteps() {
    $("funnel-steps").replaceChildren(...Array.from({ length: FIRST_STEPS }, (_, i) => stepSelect(i + 1)));
    $("add-funnel-step").disabled = false;
  }
  $("add-funnel-step").addEventListener("click", () => {
    const count = $("funnel-steps").children.length;
    if (count < MAX_STEPS) $("funnel-steps").append(stepSelect(count + 1));
    $("add-funnel-step").disabled = count + 1 >= MAX_STEPS;
  });
  $("add-funnel").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    ctx.formError(f, null);
    const steps = [...f.querySelectorAll('select[name="step"]')].map((s) => s.value).filter(Boolean).map(Number);
    try {
      await ctx.send("POST", path(), { name: f.name.value.trim(), steps });
      f.name.value = "";
      await refreshSettings();
      await load();
    } catch (err) {
      ctx.formError(f, err.message);
    }
  });

  async function refreshSettings() {
    $("funnels-panel").hidden = !ctx.site();
    if (!ctx.site()) return;
    goals = await ctx.send("GET", `/api/sites/${encodeURIComponent(ctx.site())}/goals`);
    resetSteps();
    const funnels = await ctx.send("GET", path());
    $("funnels").replaceChildren(...(funnels.length ? funnels.map((f) => el("li", { class: "item", "data-funnel": f.id },
      el("span", { class: "item-main" }, el("b", {}, f.name)),
      el("span", { class: "item-meta" }, f.steps.map((s) => s.label).join(" → ")),
      el("button", { type: "button", class: "button secondary small", onclick: async () => {
        await ctx.send("DELETE", path(`/${f.id}`));
        await refreshSettings();
        await load();
      } }, "Remove"))) : [el("li", { class: "item muted" }, "No funnels yet.")]));
  }

  return { load, refreshSettings };
}
