// The import view: upload a Plausible CSV export or an events.csv (/api/sites/{site}/imports) and follow each job's
// progress until it is done. The jobs shown are kept in window.__dashboard.imports.

const $ = (id) => document.getElementById(id);

export function initImports({ send, el, view, site, changed }) {
  const panel = $("imports"), toggle = $("imports-toggle"), form = $("import-form");
  const error = form.querySelector(".form-error");
  view.imports = [];
  let polling = null;

  function showError(message) {
    error.hidden = !message;
    error.textContent = message || "";
  }

  async function refresh() {
    if (!site()) return;
    for (const span of panel.querySelectorAll(".current-site")) span.textContent = site();
    view.imports = await send("GET", `/api/sites/${encodeURIComponent(site())}/imports`);
    render();
    const running = view.imports.some((j) => j.status === "running");
    if (running && !polling) polling = setTimeout(async () => { polling = null; await refresh(); if (!view.imports.some((j) => j.status === "running")) changed(); }, 1000);
  }

  function render() {
    $("import-jobs").replaceChildren(...[...view.imports].reverse().map((j) => el("li", { class: "import-job", "data-import": j.id, "data-status": j.status },
      el("div", {},
        el("b", {}, j.file_name), ` — ${j.source === "plausible_csv" ? "Plausible export" : "events.csv"}, `,
        el("span", { class: "import-status" }, j.status),
        j.start_date ? ` · ${j.start_date} to ${j.end_date}` : null),
      el("progress", { max: String(Math.max(j.rows_total, 1)), value: String(j.rows_done), "aria-label": `${j.file_name}: ${j.rows_done} of ${j.rows_total} rows` }),
      el("span", { class: "import-counts" }, `${j.rows_done} of ${j.rows_total} rows imported${j.rows_skipped ? `, ${j.rows_skipped} skipped` : ""}`),
      j.problems.length ? el("details", {}, el("summary", {}, `${j.problems.length} ${j.problems.length === 1 ? "problem" : "problems"}`),
        el("ul", {}, j.problems.map((p) => el("li", {}, p)))) : null,
      j.source === "plausible_csv" && j.status !== "running"
        ? el("button", { type: "button", class: "button secondary small", "aria-label": `Delete import ${j.file_name}`, onclick: () => remove(j) }, "Delete")
        : null)));
  }

  async function remove(job) {
    try {
      await send("DELETE", `/api/sites/${encodeURIComponent(site())}/imports/${job.id}`);
      await refresh();
      changed();
    } catch (e) { showError(e.message); }
  }

  toggle.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) refresh().catch((e) => showError(e.message));
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("import-file").files[0];
    if (!file) { showError("Choose a file to import."); return; }
    const body = new FormData();
    body.append("file", file);
    try {
      const job = await send("POST", `/api/sites/${encodeURIComponent(site())}/imports`, body);
      showError(null);
      form.reset();
      await refresh();
      if (job.status !== "running") changed();
    } catch (err) { showError(err.message); }
  });

  return { refresh, hide: () => { toggle.hidden = true; } };
}
