/* Who Claims What: filters over listed claims, a "Copy link" button beside each
   "#" permalink, and old who-claims-what/#claim-ID anchors sent to the card's
   page. Progressive: without this script the lists are all there and the
   permalinks still work. No framework, no third party. */
(function () {
  "use strict";
  var script = document.currentScript && document.currentScript.src;

  function words(value) { return " " + (value || "") + " "; }

  function filters(form) {
    var lists = [].slice.call(document.querySelectorAll("[data-wcw-list]"));
    var items = [].slice.call(document.querySelectorAll("[data-wcw-list] .wcw-item"));
    var count = form.querySelector("output");
    function apply() {
      var want = [].filter.call(form.elements, function (el) { return el.name && el.value; });
      var shown = 0;
      items.forEach(function (item) {
        var keep = want.every(function (el) {
          return words(item.getAttribute("data-" + el.name)).indexOf(words(el.value)) >= 0;
        });
        item.hidden = !keep;
        if (keep) { shown += 1; }
      });
      lists.forEach(function (list) {
        var empty = !list.querySelector(".wcw-item:not([hidden])");
        list.hidden = empty;
        var heading = list.previousElementSibling;
        if (heading && /^H[2-4]$/.test(heading.tagName)) { heading.hidden = empty; }
      });
      count.textContent = want.length ? shown + " of " + items.length + " shown" : "";
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
  }

  function copyButton(link) {
    var button = document.createElement("button");
    var name = link.getAttribute("aria-label") || "";
    button.type = "button";
    button.className = "wcw-copy";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", name.replace(/^Permanent link/, "Copy link"));
    var status = document.createElement("span");
    status.className = "wcw-copy__status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () { status.textContent = "Link copied"; },
        function () { status.textContent = "Could not copy: " + link.href; }
      );
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    });
    link.after(button, status);
  }

  function land() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var target = document.getElementById(id);
    if (target) {
      var closed = target.closest("details:not([open])");
      if (closed) { closed.open = true; target.scrollIntoView(); }
      return;
    }
    if (id.indexOf("claim-") !== 0 || !script || !window.fetch) { return; }
    fetch(new URL("claim-pages.json", script)).then(function (r) { return r.json(); })
      .then(function (moved) {
        var page = moved[id.slice(6)];
        if (page) { location.replace(new URL("../" + page + "#" + id, script).href); }
      }).catch(function () {});
  }

  [].forEach.call(document.querySelectorAll("form[data-wcw-filters]"), filters);
  if (navigator.clipboard) {
    [].forEach.call(document.querySelectorAll("a.wcw-permalink"), copyButton);
  }
  window.addEventListener("hashchange", land);
  land();
})();
