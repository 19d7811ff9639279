/* Who Claims What: the site search in the header, over Pagefind's index.
   The index (pagefind/, written after the build by generator/build/search.py)
   is fetched only when a reader opens the search: the words typed, then the
   few pages shown. Each result links to the place on its page that matched
   best: the element with an id that holds the hit that weighs most (a
   person's entry on /people/, a region's row on /regions/, a card), or the
   page itself when that is its title. The pages weight a name's other
   spellings (content's aliases), so "Zaporozhye" finds Zaporizhzhia first.
   Keyboard: "/" opens the search; Arrow Down and Up move between the box and
   the results; Enter in the box opens the first result; Escape closes.
   No framework, no third party. */
(function () {
  "use strict";
  var root = document.querySelector("[data-wcw-search]");
  if (!root) return;
  var script = document.currentScript;
  // This script is assets/wcw-search.js; the index is pagefind/ beside assets/.
  var ROOT = new URL("../", script ? script.src : location.href).href;
  var INDEX = ROOT + "pagefind/pagefind.js";
  // The index is written in parts (generator/build/search.py): the
  // first loads the search; this file lists the others, merged into it.
  var PARTS = ROOT + "pagefind/wcw-parts.json";
  var SHOWN = 8;        // results loaded and listed
  // A page listing fifty cards that each repeat a name must not outrank the
  // name's own record (Pagefind's default saturation, 1.4, let it at 10,000
  // claims); fewer repeats count before a term is saturated.
  var RANKING = { termSaturation: 0.5 };
  var EXCERPT = 24;     // words around the hit
  var toggle = root.querySelector(".wcw-search__toggle");
  var panel = document.getElementById("wcw-search-panel");
  var input = document.getElementById("wcw-search-input");
  var status = document.getElementById("wcw-search-status");
  var list = document.getElementById("wcw-search-results");
  var engine = null, latest = 0;

  function load() {
    if (!engine) {
      engine = import(INDEX).then(function (pagefind) {
        var listed = fetch(PARTS).then(function (r) { return r.json(); });
        // In the page, not in Pagefind's web worker: the worker is a second
        // copy of the search code (41 kB more per reader), and a query over
        // this index takes milliseconds.
        return pagefind.options({ ranking: RANKING, noWorker: true })
          .then(function () { return Promise.all([pagefind.init(), listed]); })
          .then(function (done) {
            return Promise.all(done[1].parts.map(function (part) {
              return pagefind.mergeIndex(ROOT + "pagefind/" + part, { ranking: RANKING });
            }));
          })
          .then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function say(text) { status.textContent = text; }

  /* The page's best hit: the matched word with the highest score (its
     weight counts: a heading, an alias). */
  function bestHit(page) {
    var best = null;
    (page.weighted_locations || []).forEach(function (w) {
      if (!best || w.balanced_score > best.balanced_score) best = w;
    });
    return best ? best.location : 0;
  }

  /* The last element with an id that starts at or before the hit; of several
     starting at the same word (a section and its heading), the outermost,
     which comes first. */
  function anchorOf(page, at) {
    var found = null;
    (page.anchors || []).forEach(function (a) {
      if (a.location <= at && (!found || a.location > found.location)) found = a;
    });
    return found;
  }

  function headingOf(page, at) {
    var found = null;
    (page.anchors || []).forEach(function (a) {
      if (/^h[1-6]$/i.test(a.element) && a.text && a.location <= at
          && (!found || a.location > found.location)) found = a;
    });
    return found;
  }

  /* Where a result sends the reader, and what it is called. A name's record
     (generator/build/search_copy.py) carries its place (meta.url, root-relative
     like Pagefind's URLs) and the title of its page. */
  function target(page) {
    var meta = page.meta || {};
    if (meta.url) {
      return { url: new URL(meta.url.replace(/^\//, ""), ROOT).href, title: meta.title, where: meta.where || "",
               also: meta.also ? "Also written " + meta.also : "" };
    }
    var at = bestHit(page), anchor = anchorOf(page, at), heading = headingOf(page, at);
    var title = meta.title || page.url;
    var onTitle = !anchor || anchor.element.toLowerCase() === "h1";
    var url = new URL(page.url, location.href).href.split("#")[0];
    // An entry with a heading of its own (a source) is called by it; a card or
    // a row by its page, under the heading it sits in.
    var entry = !onTitle && heading && heading.location === anchor.location
      && heading.element.toLowerCase() !== "h1";
    var section = !onTitle && heading && heading.element.toLowerCase() !== "h1" ? heading.text.trim() : "";
    return {
      url: onTitle ? url : url + "#" + encodeURIComponent(anchor.id),
      title: entry ? section : title,
      where: entry ? title : section,
      from: onTitle ? 0 : anchor.location,
      at: at
    };
  }

  function samePage(a, b) { return a.split("#")[0] === b.split("#")[0]; }

  /* Words around the hit, the matched ones marked; built as text nodes, so
     nothing in the page's text is read as HTML. */
  function excerpt(page, t) {
    var words = page.content.split(/[\r\n\s]+/g), marked = {};
    (page.locations || []).forEach(function (l) { marked[l] = true; });
    var start = Math.max(t.from, t.at - Math.floor(EXCERPT / 3));
    var end = Math.min(words.length, start + EXCERPT);
    var span = document.createElement("span");
    span.className = "wcw-search__excerpt";
    if (start > 0) span.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      if (marked[i]) {
        var mark = document.createElement("mark");
        mark.textContent = words[i];
        span.appendChild(mark);
      } else {
        span.appendChild(document.createTextNode(words[i]));
      }
      span.appendChild(document.createTextNode(i + 1 < end ? " " : ""));
    }
    if (end < words.length) span.appendChild(document.createTextNode(" …"));
    return span;
  }

  function part(cls, text) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }

  function show(pages, total, query) {
    list.textContent = "";
    var shown = [];
    pages.forEach(function (page) {
      var t = target(page);
      // A name's record stands for its page: the page is not listed again.
      if (shown.some(function (url) { return samePage(url, t.url); })) return;
      shown.push(t.url);
      var li = document.createElement("li"), a = document.createElement("a");
      a.className = "wcw-search__hit";
      a.href = t.url;
      a.appendChild(part("wcw-search__title", t.title));
      if (t.where && t.where !== t.title) a.appendChild(part("wcw-search__where", t.where));
      if (t.also !== undefined) {
        if (t.also) a.appendChild(part("wcw-search__excerpt", t.also));
      } else {
        a.appendChild(excerpt(page, t));
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    var q = "\u201c" + query + "\u201d";
    if (!total) say("No page matches " + q + ".");
    else if (total > pages.length) say("The first " + pages.length + " of " + total + " pages that match " + q + ":");
    else say(total === 1 ? "One page matches " + q + ":" : total + " pages match " + q + ":");
  }

  function run() {
    var query = input.value.trim(), ticket = ++latest;
    if (!query) { list.textContent = ""; say(""); return; }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 120);
    }).then(function (found) {
      if (!found || ticket !== latest) return null;  // a later query took over
      return Promise.all(found.results.slice(0, SHOWN).map(function (r) { return r.data(); }))
        .then(function (pages) { if (ticket === latest) show(pages, found.results.length, query); });
    }).catch(function () {
      if (ticket !== latest) return;
      list.textContent = "";
      say(location.protocol === "file:"
        ? "Search works when the site is served (make serve), not opened as a file."
        : "Search could not load; reload the page to try again.");
    });
  }

  function open() {
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    input.focus();
    input.select();
    load().catch(function () {});
  }

  function close(refocus) {
    if (panel.hidden) return;
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  toggle.addEventListener("click", function () {
    if (panel.hidden) open(); else close(true);
  });
  input.addEventListener("input", run);
  // A result on the page being read only scrolls: close the panel to show it.
  list.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) close(false);
  });
  panel.addEventListener("keydown", function (e) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (e.key === "Escape") { e.preventDefault(); close(true); return; }
    if (e.key === "ArrowDown" && all.length) {
      e.preventDefault();
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" && i >= 0) {
      e.preventDefault();
      if (i === 0) input.focus(); else all[i - 1].focus();
    } else if (e.key === "Enter" && e.target === input) {
      e.preventDefault();
      if (all.length) all[0].click();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var el = document.activeElement;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    e.preventDefault();
    open();
  });
  document.addEventListener("click", function (e) {
    if (!root.contains(e.target)) close(false);
  });
  root.addEventListener("focusout", function (e) {
    if (e.relatedTarget && !root.contains(e.relatedTarget)) close(false);
  });
})();
