// Analytics Grid tracker. Readable source: the gateway minifies it before serving.
// ES5 on purpose: it must run on old browsers and minify without a transpiler.
(function () {
  'use strict';

  var win = window, doc = document, loc = location, nav = navigator;
  // A deferred classic script still has currentScript; the fallback covers async injection.
  var me = doc.currentScript || doc.querySelector('script[data-domain]');
  var attr = function (name) { return me.getAttribute('data-' + name); };

  var domain = attr('domain') || loc.hostname;
  var api = attr('api') || new URL(me.src).origin + '/api/event';
  var cookieless = attr('cookieless') === 'true';
  var hashMode = attr('hash') !== null && attr('hash') !== 'false';

  var visitorId;   // resolved lazily so an ignored visitor never gets a cookie
  var lastPage;    // path (plus hash in hash mode) of the last pageview: dedupes SPA events
  var pageUrl;     // href of the last pageview: engagement belongs to that page, not the new one
  var engaged = 0; // engaged milliseconds not yet reported
  var since = 0;   // start of the current engaged stretch, 0 while hidden or unfocused

  function ignored() {
    try { return localStorage.ag_ignore === 'true'; } catch (e) { return false; } // storage may be blocked
  }

  function visitor() {
    var match = doc.cookie.match(/(?:^|; )_ag_vid=([^;]+)/);
    if (match) return match[1];
    var bytes = crypto.getRandomValues(new Uint8Array(8)), id = '';
    for (var i = 0; i < 8; i++) id += (bytes[i] | 256).toString(16).slice(1);
    doc.cookie = '_ag_vid=' + id + '; Max-Age=63072000; Path=/; SameSite=Lax' +
      (loc.protocol === 'https:' ? '; Secure' : '');
    return id;
  }

  function send(name, opts) {
    opts = opts || {};
    if (!ignored()) {
      // Plausible's compact keys, so one ingestion endpoint serves both trackers.
      var body = {
        n: name,
        u: name === 'engagement' ? pageUrl : loc.href,
        d: domain,
        r: doc.referrer || null,
        w: screen.width
      };
      if (hashMode) body.h = 1;
      if (opts.props) body.p = JSON.stringify(opts.props);
      if (opts.revenue) body.$ = opts.revenue;
      if (opts.interactive === false) body.i = false;
      if (name === 'engagement') body.e = opts.e;
      if (!cookieless) body.v = visitorId = visitorId || visitor();
      var json = JSON.stringify(body);
      // text/plain keeps the request "simple": no CORS preflight. sendBeacon survives unload;
      // it returns false when its queue is full, then fetch with keepalive takes over.
      if (!(nav.sendBeacon && nav.sendBeacon(api, new Blob([json], { type: 'text/plain' })))) {
        fetch(api, { method: 'POST', body: json, keepalive: true, headers: { 'Content-Type': 'text/plain' } });
      }
    }
    if (opts.callback) opts.callback();
  }

  // Engagement: time the page is both visible and focused.
  function tick(event) {
    var now = Date.now();
    if (since) engaged += now - since;
    // During a blur event hasFocus() may still say true, so trust the event.
    since = doc.visibilityState === 'visible' && doc.hasFocus() && !(event && event.type === 'blur') ? now : 0;
  }

  function flushEngagement() {
    tick();
    if (engaged > 0 && pageUrl) {
      send('engagement', { e: engaged, interactive: false });
      engaged = 0;
    }
  }

  function pageview() {
    var page = loc.pathname + (hashMode ? loc.hash : '');
    // Prerendered pages wait until shown; unchanged paths (replaceState, query tweaks) are no new page.
    if (doc.visibilityState === 'prerender' || page === lastPage) return;
    if (lastPage !== undefined) flushEngagement();
    lastPage = page;
    pageUrl = loc.href;
    tick();
    send('pageview');
  }

  function onVisibility() {
    if (doc.visibilityState === 'hidden') flushEngagement();
    else tick();
    pageview(); // no-op unless this is the end of prerendering
  }

  // Outbound links and downloads: only observe, never preventDefault, so navigation is untouched.
  function onClick(event) {
    if (event.type === 'auxclick' && event.button !== 1) return;
    var link = event.target.closest && event.target.closest('a[href]');
    if (!link) return;
    var url = new URL(link.href);
    if (!/^https?:$/.test(url.protocol)) return;
    if (/\.(pdf|xlsx?|docx?|txt|rtf|csv|exe|key|pps|pptx?|7z|pkg|rar|gz|zip|avi|mov|mp4|mpe?g|wmv|midi?|mp3|wav|wma|dmg|iso|msi)$/i.test(url.pathname)) {
      // Drop the query: download links often carry signed tokens.
      send('File Download', { props: { url: url.origin + url.pathname } });
    } else if (url.hostname !== loc.hostname) {
      send('Outbound Link: Click', { props: { url: link.href } });
    }
  }

  function analytics(command, name, opts) {
    if (command === 'event') send(name, opts);
  }

  // SPA navigation: wrap the history API; pageview() itself skips unchanged paths.
  ['pushState', 'replaceState'].forEach(function (method) {
    var original = history[method];
    history[method] = function () {
      var result = original.apply(this, arguments);
      pageview();
      return result;
    };
  });
  win.addEventListener('popstate', pageview);
  if (hashMode) win.addEventListener('hashchange', pageview);

  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('focus', tick);
  win.addEventListener('blur', tick);
  // Unload fires pagehide then visibilitychange: stop the clock so the page reports once.
  win.addEventListener('pagehide', function () { flushEngagement(); since = 0; });
  doc.addEventListener('click', onClick);
  doc.addEventListener('auxclick', onClick);

  var queue = (win.analytics && win.analytics.q) || [];
  win.analytics = analytics;
  pageview();
  for (var i = 0; i < queue.length; i++) analytics.apply(null, queue[i]);
})();
