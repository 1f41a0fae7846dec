// Sites & keys: what a site owner manages, through the same public API as everything else (/api/sites incl. revenue_rates, /api/keys,
// /api/sites/{domain}/shared-links, /goals, /props, /mp-secrets; funnels in funnels.js). Each form shows the API's own problem detail when it refuses.

const TIMEZONES = (() => {
  try { return Intl.supportedValuesOf("timeZone"); } catch { return ["Etc/UTC"]; }
})();
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "Etc/UTC";

function fillZones(select, selected) {
  const zones = TIMEZONES.includes(selected) ? TIMEZONES : [selected, ...TIMEZONES];
  select.replaceChildren(...["Etc/UTC", ...zones.filter((z) => z !== "Etc/UTC")].map((z) => new Option(z, z, false, z === selected)));
}

function hostnames(text) { return text.split(/[\s,]+/).map((h) => h.trim()).filter(Boolean); }

/** "JPYEUR 0.0062" per line as the API's revenue_rates object; the API checks the codes and the sign, this only the form. */
function rateTable(text) {
  const rates = {};
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [pair, value, ...rest] = line.split(/[\s=:]+/);
    const rate = Number(value?.replace(",", "."));
    if (!value || rest.length || !Number.isFinite(rate)) throw new Error(`"${line}": write a rate as two currency codes and a number, e.g. USDEUR 0.92.`);
    rates[pair] = rate;
  }
  return rates;
}

/** "plan=pro, method=card" as a goal's custom_props object (undefined when empty); the API checks the sizes. */
function goalProps(text) {
  const pairs = text.split(",").map((p) => p.trim()).filter(Boolean);
  if (!pairs.length) return undefined;
  return Object.fromEntries(pairs.map((pair) => {
    const at = pair.indexOf("=");
    if (at < 0) throw new Error(`"${pair}": write a custom property as key=value.`);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  }));
}

function rateLines(rates) { return Object.entries(rates ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([pair, rate]) => `${pair} ${rate}`).join("\n"); }

export function formError(form, message) {
  const box = form.querySelector(".form-error");
  box.hidden = !message;
  box.textContent = message || "";
}

async function submitting(form, action) {
  formError(form, null);
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try { await action(); } catch (e) { formError(form, e.message); } finally { button.disabled = false; }
}

/** ctx: { send(method, path, body), el, site(), selectSite(domain), sitesChanged(selected), dateTime(iso), goalsChanged() } */
export function initManage(ctx) {
  const $ = (id) => document.getElementById(id);
  const panel = $("manage"), toggle = $("manage-toggle");
  fillZones($("add-timezone"), BROWSER_ZONE);

  let settingsLoads = 0;
  const show = (open) => {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Close" : "Sites & keys";
    if (open) refresh();
  };
  toggle.addEventListener("click", () => show(panel.hidden));

  $("add-site").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    submitting(f, async () => {
      const site = await ctx.send("POST", "/api/sites", {
        domain: f.domain.value.trim(), timezone: f.timezone.value, cookieless: f.cookieless.checked,
        respect_dnt: f.respect_dnt.checked, allowed_hostnames: hostnames(f.allowed_hostnames.value),
        locale: f.locale.value.trim(), ga4_measurement_id: f.ga4_measurement_id.value.trim(),
      });
      f.reset();
      fillZones($("add-timezone"), BROWSER_ZONE);
      show(false);
      await ctx.sitesChanged(site.domain);
    });
  });

  $("site-settings").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target, ok = f.querySelector(".form-ok");
    ok.hidden = true;
    submitting(f, async () => {
      await ctx.send("PATCH", `/api/sites/${encodeURIComponent(ctx.site())}`, {
        timezone: f.timezone.value, cookieless: f.cookieless.checked, respect_dnt: f.respect_dnt.checked,
        allowed_hostnames: hostnames(f.allowed_hostnames.value),
        locale: f.locale.value.trim(), ga4_measurement_id: f.ga4_measurement_id.value.trim(),
        revenue_rates: rateTable(f.revenue_rates.value),
      });
      ok.hidden = false;
      ok.textContent = "Saved.";
      await ctx.sitesChanged(ctx.site());
    });
  });

  const del = $("delete-site");
  del.confirm.addEventListener("input", () => { del.querySelector("button").disabled = del.confirm.value.trim() !== ctx.site(); });
  del.addEventListener("submit", (e) => {
    e.preventDefault();
    if (del.confirm.value.trim() !== ctx.site()) return;
    submitting(del, async () => {
      await ctx.send("DELETE", `/api/sites/${encodeURIComponent(ctx.site())}`);
      del.reset();
      show(false);
      await ctx.sitesChanged(null);
    });
  });

  const createdShares = new Map();
  $("add-share").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    submitting(f, async () => {
      const created = await ctx.send("POST", `/api/sites/${encodeURIComponent(ctx.site())}/shared-links`, { name: f.name.value.trim() || undefined });
      // Only the answer that creates a link carries its URL (the server keeps the slug's hash): kept for this page's life.
      createdShares.set(created.id, created.path);
      f.reset();
      await refreshShares();
    });
  });

  $("add-goal").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    submitting(f, async () => {
      const page = f.kind.value === "page";
      const target = f.target.value.trim();
      await ctx.send("POST", `/api/sites/${encodeURIComponent(ctx.site())}/goals`, {
        event_name: page ? undefined : target,
        page_path: page ? target : undefined,
        display_name: f.display_name.value.trim() || undefined,
        scroll_threshold: f.scroll_threshold.value.trim() || undefined,
        currency: f.currency.value.trim() || undefined,
        custom_props: goalProps(f.custom_props.value),
      });
      f.reset();
      await refreshGoals();
    });
  });

  $("add-prop").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    submitting(f, async () => {
      await ctx.send("PUT", `/api/sites/${encodeURIComponent(ctx.site())}/props`, { property: f.property.value });
      f.reset();
      await refreshProps();
      await ctx.sitesChanged(ctx.site());
    });
  });

  $("add-mp-secret").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    submitting(f, async () => {
      const created = await ctx.send("POST", `/api/sites/${encodeURIComponent(ctx.site())}/mp-secrets`, { name: f.name.value.trim() });
      f.reset();
      const secret = $("new-mp-secret");
      secret.hidden = false;
      secret.querySelector("code").textContent = created.api_secret;
      await refreshMpSecrets();
    });
  });

  $("add-key").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    submitting(f, async () => {
      const created = await ctx.send("POST", "/api/keys", {
        name: f.name.value.trim(),
        sites: [f.scope.value === "*" ? "*" : ctx.site()],
        permissions: [...f.querySelectorAll('input[name="permissions"]:checked')].map((c) => c.value),
      });
      f.name.value = "";
      const secret = $("new-key");
      secret.hidden = false;
      secret.querySelector("code").textContent = created.key;
      await refreshKeys();
    });
  });

  async function refresh() {
    const site = ctx.site();
    for (const span of document.querySelectorAll(".current-site")) span.textContent = site;
    $("settings-panel").hidden = $("shares-panel").hidden = $("goals-panel").hidden = $("props-panel").hidden = $("mp-panel").hidden = !site;
    $("new-key").hidden = $("new-mp-secret").hidden = true;
    const scope = $("add-key").querySelector('input[value="current"]');
    scope.disabled = !site;
    if (!site) $("add-key").querySelector('input[value="*"]').checked = true;
    if (site) {
      // The form stays disabled until this site's values are in it: what someone typed before they arrived would be
      // overwritten, and another site's values saved. Only the latest load fills it; after a failed one it stays disabled.
      const f = $("site-settings"), load = ++settingsLoads;
      const disable = (on) => { for (const c of f.elements) c.disabled = on; };
      f.setAttribute("aria-busy", "true");
      disable(true);
      try {
        const settings = await ctx.send("GET", `/api/sites/${encodeURIComponent(site)}`);
        if (load === settingsLoads) {
          fillZones($("settings-timezone"), settings.timezone);
          f.cookieless.checked = settings.cookieless;
          f.respect_dnt.checked = settings.respect_dnt;
          f.allowed_hostnames.value = settings.allowed_hostnames.join(", ");
          f.locale.value = settings.locale ?? "";
          f.ga4_measurement_id.value = settings.ga4_measurement_id ?? "";
          f.revenue_rates.value = rateLines(settings.revenue_rates);
          f.querySelector(".form-ok").hidden = true;
          disable(false);
        }
      } catch (e) {
        if (load === settingsLoads) formError(f, e.message);
      } finally {
        if (load === settingsLoads) f.removeAttribute("aria-busy");
      }
      await refreshShares();
      await refreshGoals();
      await refreshProps();
      await refreshMpSecrets();
    }
    await refreshKeys();
  }

  async function refreshProps() {
    const site = ctx.site();
    const { allowed } = await ctx.send("GET", `/api/sites/${encodeURIComponent(site)}/props`);
    $("props").replaceChildren(...(allowed.length ? allowed.map((p) => ctx.el("li", { class: "item", "data-prop": p },
      ctx.el("span", { class: "item-main" }, ctx.el("b", {}, p)),
      ctx.el("button", { type: "button", class: "button secondary small", onclick: async () => {
        await ctx.send("DELETE", `/api/sites/${encodeURIComponent(site)}/props/${encodeURIComponent(p)}`);
        await refreshProps();
        await ctx.sitesChanged(site);
      } }, "Remove"))) : [ctx.el("li", { class: "item muted" }, "No list: every property key is offered.")]));
  }

  async function refreshMpSecrets() {
    const site = ctx.site();
    const secrets = await ctx.send("GET", `/api/sites/${encodeURIComponent(site)}/mp-secrets`);
    $("mp-secrets").replaceChildren(...(secrets.length ? secrets.map((s) => ctx.el("li", { class: `item${s.revoked ? " revoked" : ""}`, "data-secret": s.id },
      ctx.el("span", { class: "item-main" }, ctx.el("b", {}, s.name), " ", ctx.el("code", {}, `${s.prefix}…`)),
      ctx.el("span", { class: "item-meta" }, `created ${ctx.dateTime(s.created_at)}${s.revoked ? " · revoked" : ""}`),
      s.revoked ? null : ctx.el("button", { type: "button", class: "button secondary small", onclick: async () => {
        await ctx.send("DELETE", `/api/sites/${encodeURIComponent(site)}/mp-secrets/${encodeURIComponent(s.id)}`);
        await refreshMpSecrets();
      } }, "Revoke"))) : [ctx.el("li", { class: "item muted" }, "No API secrets.")]));
  }

  async function refreshShares() {
    const site = ctx.site();
    const links = await ctx.send("GET", `/api/sites/${encodeURIComponent(site)}/shared-links`);
    $("shares").replaceChildren(...(links.length ? links.map((l) => ctx.el("li", { class: "item", "data-id": l.id },
      ctx.el("span", { class: "item-main" }, ctx.el("b", {}, l.name), " ", createdShares.has(l.id)
        ? ctx.el("a", { href: createdShares.get(l.id), target: "_blank", rel: "noopener" }, `${location.origin}${createdShares.get(l.id)}`)
        : ctx.el("span", { class: "muted" }, "(the URL is shown only when the link is created)")),
      ctx.el("span", { class: "item-meta" }, `created ${ctx.dateTime(l.created_at)}`),
      ctx.el("button", { type: "button", class: "button secondary small", onclick: async () => {
        await ctx.send("DELETE", `/api/sites/${encodeURIComponent(site)}/shared-links/${encodeURIComponent(l.id)}`);
        await refreshShares();
      } }, "Revoke"))) : [ctx.el("li", { class: "item muted" }, "No share links.")]));
  }

  async function refreshGoals() {
    const site = ctx.site();
    const goals = await ctx.send("GET", `/api/sites/${encodeURIComponent(site)}/goals`);
    const what = (g) => g.goal_type === "event"
      ? `custom event ${g.event_name}${Object.keys(g.custom_props).length ? ` with ${Object.entries(g.custom_props).map(([k, v]) => `${k}=${v}`).join(", ")}` : ""}${g.currency ? ` · revenue in ${g.currency}` : ""}`
      : `visit ${g.page_path}${g.scroll_threshold > -1 ? ` scrolled to ${g.scroll_threshold}%` : ""}`;
    $("goals").replaceChildren(...(goals.length ? goals.map((g) => ctx.el("li", { class: "item", "data-goal": g.id },
      ctx.el("span", { class: "item-main" }, ctx.el("b", {}, g.display_name)),
      ctx.el("span", { class: "item-meta" }, what(g)),
      ctx.el("button", { type: "button", class: "button secondary small", onclick: async () => {
        await ctx.send("DELETE", `/api/sites/${encodeURIComponent(site)}/goals/${g.id}`);
        await refreshGoals();
      } }, "Remove"))) : [ctx.el("li", { class: "item muted" }, "No goals yet.")]));
    // Funnels are built from goals, and a removed goal takes its funnels along.
    await ctx.goalsChanged();
  }

  async function refreshKeys() {
    let keys;
    try { keys = await ctx.send("GET", "/api/keys"); } catch (e) { $("keys").replaceChildren(ctx.el("li", { class: "item muted" }, e.message)); return; }
    $("keys").replaceChildren(...(keys.length ? keys.map((k) => ctx.el("li", { class: `item${k.revoked ? " revoked" : ""}`, "data-key": k.id },
      ctx.el("span", { class: "item-main" }, ctx.el("b", {}, k.name), " ", ctx.el("code", {}, `${k.prefix}…`)),
      ctx.el("span", { class: "item-meta" }, `${k.sites.join(", ")} · ${k.permissions.join(", ")} · ${k.revoked ? "revoked" :
        k.last_used_at ? `last used ${ctx.dateTime(k.last_used_at)}` : "never used"}`),
      k.revoked ? null : ctx.el("button", { type: "button", class: "button secondary small", onclick: async () => {
        await ctx.send("DELETE", `/api/keys/${encodeURIComponent(k.id)}`);
        await refreshKeys();
      } }, "Revoke"))) : [ctx.el("li", { class: "item muted" }, "No API keys yet.")]));
  }

  return { show, refresh };
}
