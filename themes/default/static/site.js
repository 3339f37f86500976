/* site_builder default theme: progressive enhancement only. Every page works without it.
 *
 * - Copy buttons on code blocks, in the block's header row (never over the code). Shell
 *   sessions (console, shell-session) copy only the commands: prompts and output lines are
 *   left out, continuation lines kept.
 * - The light/dark toggle: the choice is kept in localStorage ("theme": "light" or "dark");
 *   the inline script in <head> applies it before the page paints.
 * - The table of contents is open beside the text on wide screens, folded on narrow ones.
 * - Keyboard access to code blocks and tables that scroll sideways.
 * - Search on /search/ with the Pagefind index published beside the site (same origin; no
 *   external requests). Without the index, the page says so and points at the archive.
 */
(function () {
  "use strict";

  var SESSION_LANGUAGES = ["console", "shell-session", "doscon", "pwsh-session", "ps1con", "psysh"];
  var announcer = null;

  function announce(message) {
    if (!announcer) {
      announcer = document.createElement("p");
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      document.body.appendChild(announcer);
    }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  /* The commands of a highlighted shell session, one per line, without prompts or output. */
  function sessionCommands(code) {
    var lines = code.querySelectorAll(".line");
    var commands = [];
    var prompted = false;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var prompt = line.querySelector(".gp");
      if (prompt && line.firstElementChild === prompt) {
        prompted = true;
        var text = "";
        var node = prompt.nextSibling;
        while (node) {
          if (!(node.nodeType === 1 && node.classList.contains("gp"))) {
            text += node.textContent;
          }
          node = node.nextSibling;
        }
        commands.push(text);
      } else if (line.querySelector(".go") || !line.textContent.trim()) {
        continue;
      } else if (prompted) {
        commands.push(line.textContent); /* continuation of the command above */
      }
    }
    return prompted ? commands.join("\n") : null;
  }

  function codeText(block) {
    var code = block.querySelector("pre code") || block.querySelector("pre");
    if (!code) { return ""; }
    if (SESSION_LANGUAGES.indexOf(block.getAttribute("data-lang") || "") >= 0) {
      var commands = sessionCommands(code);
      if (commands !== null) { return commands; }
    }
    return code.textContent.replace(/\n$/, "");
  }

  function writeClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll(".code-block");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      if (block.getAttribute("data-copy") === "false" || block.querySelector(".copy-button")) {
        continue;
      }
      var session = SESSION_LANGUAGES.indexOf(block.getAttribute("data-lang") || "") >= 0;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = session ? "Copy commands" : "Copy";
      button.setAttribute("data-label", button.textContent);
      button.addEventListener("click", onCopy);
      var title = block.querySelector(".code-title");
      if (!title) { /* markup from an older theme: give the block its header row */
        title = document.createElement("div");
        title.className = "code-title";
        block.insertBefore(title, block.firstChild);
      }
      title.appendChild(button);
    }
  }

  function onCopy(event) {
    var button = event.currentTarget;
    var block = button.closest(".code-block");
    var label = button.getAttribute("data-label");
    writeClipboard(codeText(block)).then(function () {
      button.textContent = "Copied";
      announce("Copied to the clipboard");
    }, function () {
      button.textContent = "Press Ctrl+C";
      announce("Copying failed; select the code and copy it by hand");
    });
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  /* Scrolling regions must be reachable by keyboard: make wide code and tables focusable. */
  function focusableScrollers() {
    var items = document.querySelectorAll(".code-block pre, .post-body table");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.scrollWidth > item.clientWidth + 1 && !item.hasAttribute("tabindex")) {
        item.setAttribute("tabindex", "0");
      }
    }
  }

  /* Only <mark> survives from a Pagefind excerpt; everything else becomes text. */
  function excerptNodes(html, target) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var nodes = template.content.childNodes;
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (node.nodeType === 1 && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    }
  }

  function setupSearch() {
    var form = document.querySelector("form[data-search]");
    if (!form) { return; }
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var archive = form.getAttribute("data-base") + "archive/";
    var engine = null;
    var unavailable = false;
    var latest = 0;

    function load() {
      if (engine || unavailable) { return Promise.resolve(engine); }
      return import(form.getAttribute("data-pagefind") + "pagefind.js").then(function (module) {
        return module.options({ baseUrl: form.getAttribute("data-base") }).then(function () {
          engine = module;
          return engine;
        });
      }).catch(function () {
        unavailable = true;
        status.textContent = "";
        var text = document.createTextNode(
          "The search index is not part of this copy of the site. Every post is listed in the ");
        var link = document.createElement("a");
        link.href = archive;
        link.textContent = "archive";
        status.append(text, link, document.createTextNode("."));
        return null;
      });
    }

    function show(query, search, results) {
      list.textContent = "";
      results.forEach(function (result) {
        var item = document.createElement("li");
        item.className = "search-result";
        var heading = document.createElement("h2");
        heading.className = "search-result-title";
        var link = document.createElement("a");
        link.href = result.url;
        link.textContent = (result.meta && result.meta.title) || result.url;
        heading.appendChild(link);
        var excerpt = document.createElement("p");
        excerpt.className = "search-excerpt";
        excerptNodes(result.excerpt || "", excerpt);
        item.append(heading, excerpt);
        list.appendChild(item);
      });
      var count = search.results.length;
      status.textContent = count === 0
        ? "No posts match “" + query + "”."
        : count + (count === 1 ? " post matches" : " posts match") + " “" + query + "”.";
    }

    function run(raw) {
      var query = raw.trim();
      var ticket = ++latest;
      var address = new URL(window.location.href);
      if (query) { address.searchParams.set("q", query); } else { address.searchParams.delete("q"); }
      window.history.replaceState(null, "", address);
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        return Promise.resolve();
      }
      return load().then(function (pagefind) {
        if (!pagefind || ticket !== latest) { return null; }
        return pagefind.debouncedSearch(query, {}, 200);
      }).then(function (search) {
        if (!search || ticket !== latest) { return null; }
        return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }))
          .then(function (results) {
            if (ticket === latest) { show(query, search, results); }
          });
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(input.value);
    });
    input.addEventListener("input", function () { run(input.value); });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) {
      input.value = initial;
      run(initial);
    }
  }

  var THEMES = ["light", "dark"];

  function storedTheme() {
    try { return window.localStorage.getItem("theme"); } catch (error) { return null; }
  }

  function currentTheme() {
    var chosen = document.documentElement.getAttribute("data-theme");
    if (THEMES.indexOf(chosen) >= 0) { return chosen; }
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) { return; }
    function show() {
      var dark = currentTheme() === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.title = dark ? "Switch to the light theme" : "Switch to the dark theme";
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      try { window.localStorage.setItem("theme", next); } catch (error) { /* private mode */ }
      show();
    });
    if (storedTheme() === null && window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", show);
    }
  }

  function openWideToc() {
    var toc = document.querySelector(".toc details");
    if (!toc || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 75rem)");
    function apply() { toc.open = wide.matches; }
    apply();
    wide.addEventListener("change", apply);
  }

  function start() {
    setupThemeToggle();
    openWideToc();
    addCopyButtons();
    focusableScrollers();
    setupSearch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
