// Analytics Grid tracker. Readable source: the gateway minifies it before serving.
// ES5 on purpose: it must run on old browsers and minify without a transpiler.
// A drop-in for Plausible's script: same tag attributes, window.plausible(name, options) with its queue, same body keys.
(function () {
  'use strict';

  var win = window, doc = document, loc = location;
  // A deferred classic script still has currentScript; the fallback covers async injection.
  var me = doc.currentScript || doc.querySelector('script[data-domain]');
  var src = me.src;
  var attr = function (name) { return me.getAttribute('data-' + name); };
  var flag = function (name) { return attr(name) !== null && attr(name) !== 'false'; };

  var domain = attr('domain') || loc.hostname;
  var api = attr('api') || new URL(src).origin + '/api/event';
  // The site's setting on the server decides about the cookie (see send); data-cookieless only forbids it here too.
  var cookieless = flag('cookieless');
  // Plausible's script variants name their features in the file name: script.hash.js, script.manual.js, ...
  var hashMode = flag('hash') || /\.hash\./.test(src);
  var manual = flag('manual') || /\.manual\./.test(src);

  var visitorId;   // resolved lazily so an ignored visitor never gets a cookie
  var stored;      // the id is in the cookie already
  var lastPage;    // path (plus hash in hash mode) of the last pageview: dedupes SPA events
  var pageUrl;     // href of the last pageview: engagement belongs to that page, not the new one
  var engaged = 0; // engaged milliseconds not yet reported
  var since = 0;   // start of the current engaged stretch, 0 while hidden or unfocused

  // Optional parts (tracker/*.js, in Plausible's variants) are inserted at the marker below and wrap this hook:
  // it may add props, and returns true to skip the event.
  var extend = function () {};
  /* @parts */

  function ignored() {
    try {
      // Plausible's opt-out flag is honoured too, so owners who excluded themselves stay excluded.
      return (localStorage.ag_ignore || localStorage.plausible_ignore) === 'true';
    } catch (e) { /* storage may be blocked */ }
  }

  function visitor() {
    var match = doc.cookie.match(/(?:^|; )_ag_vid=([^;]+)/);
    if (match) {
      stored = 1;
      return match[1];
    }
    var bytes = crypto.getRandomValues(new Uint8Array(8)), id = '';
    for (var i = 0; i < 8; i++) id += (bytes[i] | 256).toString(16).slice(1);
    return id;
  }

  function send(name, opts) {
    opts = opts || {};
    var callback = opts.callback, props = {}, i;
    for (i in opts.props) props[i] = opts.props[i];
    if (ignored() || extend(props, loc.pathname + (hashMode ? loc.hash : ''))) {
      if (name === 'pageview') pageUrl = 0; // no engagement for a page that was not counted
      return callback && callback();
    }
    // Plausible's compact keys, so one ingestion endpoint serves both trackers.
    var body = {
      n: name,
      u: name === 'engagement' ? pageUrl : opts.u || loc.href,
      d: domain,
      r: doc.referrer || null,
      w: screen.width
    };
    if (hashMode) body.h = 1;
    for (i in props) { body.p = JSON.stringify(props); break; }
    if (opts.revenue) body.$ = opts.revenue;
    if (opts.interactive === false) body.i = false;
    if (name === 'engagement') body.e = opts.e;
    if (!cookieless) body.vid = visitorId = visitorId || visitor();
    // text/plain keeps the request "simple": no CORS preflight; keepalive lets it outlive the page.
    fetch(api, { method: 'POST', body: JSON.stringify(body), keepalive: true, headers: { 'Content-Type': 'text/plain' } })
      .then(function (response) {
        // The server answers X-Visitor-Cookie only for a site that uses cookies: only then is the id kept.
        if (!stored && response.headers.get('X-Visitor-Cookie')) {
          stored = 1;
          doc.cookie = '_ag_vid=' + visitorId + '; Max-Age=63072000; Path=/; SameSite=Lax' + (loc.protocol === 'https:' ? '; Secure' : '');
        }
        if (callback) callback({ status: response.status });
      }, function (error) { if (callback) callback({ error: error }); });
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
    if (engaged > 0 && pageUrl) send('engagement', { e: engaged }); // never interactive: the server knows
    engaged = 0;
  }

  // Every event goes through here; a pageview (automatic or plausible('pageview')) also restarts the engagement clock.
  function track(name, opts) {
    if (name === 'pageview') {
      flushEngagement();
      pageUrl = (opts && opts.u) || loc.href;
      tick();
    }
    send(name, opts);
  }

  function pageview() {
    var page = loc.pathname + (hashMode ? loc.hash : '');
    // Prerendered pages wait until shown; unchanged paths (replaceState, query tweaks) are no new page.
    if (manual || doc.visibilityState === 'prerender' || page === lastPage) return;
    lastPage = page;
    track('pageview');
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

  // Our own API: analytics('event', name, options).
  function analytics(command, name, opts) {
    if (command === 'event') track(name, opts);
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

  // Calls made before the script loaded wait in the stubs' queues (Plausible's snippet and ours); replay them in order.
  var ours = (win.analytics && win.analytics.q) || [], theirs = (win.plausible && win.plausible.q) || [];
  win.analytics = analytics;
  win.plausible = track;
  pageview();
  ours.forEach(function (args) { analytics.apply(null, args); });
  theirs.forEach(function (args) { track.apply(null, args); });
})();
