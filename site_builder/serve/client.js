/* site_builder preview: the live-reload client. `build-site serve` inlines it into served HTML
   pages only; it is never written to output/. One tab per browser holds the event stream (a Web
   Lock elects it) and shares events with the others over a BroadcastChannel, so many open tabs
   never use up the browser's six connections per host. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__siteBuilderReload) return;
  window.__siteBuilderReload = true;
  var cfg = JSON.parse(me.getAttribute("data-config"));
  var generation = cfg.generation;
  var busy = false;
  var SCROLL_KEY = "site-builder:scroll";
  var EVENTS = ["hello", "reload", "css", "status"];

  function token() {
    return encodeURIComponent(cfg.session + "-" + generation);
  }

  function saveScroll() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({
        path: location.pathname, x: window.scrollX, y: window.scrollY, time: Date.now()
      }));
    } catch (e) { /* storage disabled: the browser's own restoration still applies */ }
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) { return; }
    if (!saved || saved.path !== location.pathname || Date.now() - saved.time > 60000) return;
    var put = function () { window.scrollTo(saved.x, saved.y); };
    put();
    if (document.readyState !== "complete") window.addEventListener("load", put, { once: true });
  }

  function reload(home) {
    if (busy) return;
    busy = true;
    if (cfg.status !== 200) { saveScroll(); location.reload(); return; }
    /* A page whose post was renamed or deleted goes home instead of showing a 404. */
    fetch(location.href, { method: "HEAD", cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          location.replace(home || cfg.home);
        } else {
          saveScroll();
          location.reload();
        }
      }, function () { busy = false; });
  }

  function setOverlay(html) {
    var old = document.getElementById("__sb-overlay");
    if (old) old.remove();
    if (html) document.body.insertAdjacentHTML("beforeend", html);
  }

  /* Events carry the site-wide overlay; this page's own (its source's problems first) comes
     from the server, escaped there like every overlay. */
  function showOverlay(data) {
    if (!data.overlay || !cfg.page) { setOverlay(data.overlay); return; }
    fetch(cfg.endpoint + "/overlay?page=" + encodeURIComponent(cfg.page), { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (mine) {
        if (generation !== data.generation) return;
        setOverlay(mine && mine.generation === data.generation ? mine.overlay : data.overlay);
      }, function () { if (generation === data.generation) setOverlay(data.overlay); });
  }

  function samePath(link, list) {
    try { return list.indexOf(decodeURIComponent(new URL(link.href).pathname)) >= 0; }
    catch (e) { return false; }
  }

  function swapStylesheets(list, gen) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet"]'));
    var hits = links.filter(function (link) { return samePath(link, list); });
    /* No direct match: the change is in an @import-ed sheet, so refresh them all. */
    (hits.length ? hits : links).forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("__sb", String(gen));
      var next = link.cloneNode(false);
      next.href = url.href;
      var drop = function () { link.remove(); };
      next.addEventListener("load", drop, { once: true });
      next.addEventListener("error", drop, { once: true });
      link.after(next);
    });
  }

  function apply(data, caughtUp) {
    if (!data || typeof data.generation !== "number") return;
    if (data.session !== cfg.session) { reload(data.home); return; }
    if (data.generation <= generation) return;
    if (data.since > generation) {
      if (caughtUp) reload(data.home); else catchUp();
      return;
    }
    var pages = data.pages;
    var mine = pages === null || data.assets || pages.indexOf(cfg.page) >= 0 ||
      (cfg.status !== 200 && pages.length > 0);
    generation = data.generation;
    document.documentElement.setAttribute("data-sb-generation", String(generation));
    if (mine) { reload(data.home); return; }
    showOverlay(data);
    if (data.css.length) swapStylesheets(data.css, data.generation);
  }

  function catchUp() {
    fetch(cfg.endpoint + "/state?since=" + token(), { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { apply(data, true); }, function () { /* server away */ });
  }

  var channel = null;
  try { channel = new BroadcastChannel("site-builder-reload"); } catch (e) { channel = null; }

  function connect() {
    var source = new EventSource(cfg.endpoint + "?since=" + token());
    EVENTS.forEach(function (name) {
      source.addEventListener(name, function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (channel) channel.postMessage(data);
        apply(data, false);
      });
    });
    window.addEventListener("pagehide", function () { source.close(); }, { once: true });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-sb-dismiss]")) setOverlay(null);
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) location.reload(); });
  document.documentElement.setAttribute("data-sb-generation", String(generation));
  restoreScroll();

  if (channel && navigator.locks && navigator.locks.request) {
    channel.onmessage = function (event) { apply(event.data, false); };
    navigator.locks.request("site-builder-reload", function () {
      connect();
      return new Promise(function () { /* held until this page goes away */ });
    });
    catchUp();
  } else {
    connect();
  }
})();
