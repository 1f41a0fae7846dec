// Saved segments (/api/sites/{site}/segments): list, apply as a filter chip ["is", "segment", [id]], save the current
// filters under a name, delete. What the menu shows is kept in window.__dashboard.segments.

const $ = (id) => document.getElementById(id);

export function initSegments({ send, el, view, site, filters, apply, readOnly }) {
  const toggle = $("segments-toggle"), menu = $("segments-menu"), error = $("segment-error");
  view.segments = [];

  function showError(message) {
    error.hidden = !message;
    error.textContent = message || "";
  }

  async function refresh() {
    if (!site() || readOnly) { view.segments = []; render(); return; }
    try {
      view.segments = await send("GET", `/api/sites/${encodeURIComponent(site())}/segments`);
    } catch (e) {
      view.segments = [];
      showError(e.message);
    }
    render();
  }

  function render() {
    $("segments").replaceChildren(...(view.segments.length
      ? view.segments.map((s) => el("li", { "data-segment": s.id },
        el("button", { type: "button", class: "link", title: `Filter by the segment ${s.name}`, onclick: () => { close(); apply(s); } }, s.name),
        el("button", { type: "button", class: "button secondary small", "aria-label": `Delete segment ${s.name}`, onclick: () => remove(s) }, "Delete")))
      : [el("li", { class: "hint" }, "No saved segments yet.")]));
  }

  async function remove(segment) {
    try {
      await send("DELETE", `/api/sites/${encodeURIComponent(site())}/segments/${segment.id}`);
      showError(null);
      await refresh();
    } catch (e) { showError(e.message); }
  }

  function close() {
    menu.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
  }

  toggle.hidden = readOnly;
  toggle.addEventListener("click", () => {
    const open = menu.hidden;
    menu.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) { showError(null); refresh(); $("segment-name").focus(); }
  });

  $("save-segment").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = $("segment-name").value.trim();
    // A segment may not use other segments: the chips of segments are not saved into a new one.
    const saved = filters().filter((f) => f[1] !== "segment");
    if (!name) { showError("Name the segment."); return; }
    if (!saved.length) { showError("Add a filter first: a segment saves the current filters."); return; }
    try {
      const segment = await send("POST", `/api/sites/${encodeURIComponent(site())}/segments`, { name, type: "site", segment_data: { filters: saved } });
      $("segment-name").value = "";
      showError(null);
      await refresh();
      view.savedSegment = segment;
      close();
    } catch (err) { showError(err.message); }
  });

  return { refresh, name: (id) => view.segments.find((s) => String(s.id) === String(id))?.name };
}
