/* Who Claims What: tap-to-show details for map regions and glossary terms.
   A map region (an SVG link with an aria-label) and a glossary term (a link
   with a title) show their details on hover through the browser's own
   tooltip, which touch screens and the keyboard never show. This script:
   - on a tap, shows the details in a small box instead of following the
     link; a second tap on the same link follows it;
   - on keyboard focus, shows the same box; Enter follows the link as ever;
   - Escape, a tap elsewhere or moving focus away closes it.
   No framework, no third party; without it the links work as plain links. */
(function () {
  "use strict";
  var SELECTOR = ".wcw-map__svg a[aria-label], a.wcw-term[title]";
  var tip = null, shownFor = null, lastPointer = "";

  function detailsOf(el) {
    if (el.matches("a.wcw-term")) {
      return (el.textContent || "").trim() + ": " + (el.getAttribute("title") || "");
    }
    return el.getAttribute("aria-label") || "";
  }

  function box() {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "wcw-tip";
      tip.id = "wcw-tip";
      tip.setAttribute("aria-hidden", "true");  // the links already carry these words
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(el, byTouch) {
    var t = box(), r = el.getBoundingClientRect();
    t.textContent = detailsOf(el);
    if (byTouch) {
      var hint = document.createElement("span");
      hint.className = "wcw-tip__hint";
      hint.textContent = "Tap again to open.";
      t.appendChild(hint);
    }
    t.hidden = false;
    var x = window.scrollX + r.left + r.width / 2 - t.offsetWidth / 2;
    var maxX = window.scrollX + document.documentElement.clientWidth - t.offsetWidth - 8;
    t.style.left = Math.max(window.scrollX + 8, Math.min(x, maxX)) + "px";
    t.style.top = window.scrollY + r.bottom + 6 + "px";
    shownFor = el;
  }

  function hide() {
    if (tip) { tip.hidden = true; }
    shownFor = null;
  }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "";
  }, true);

  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest(SELECTOR) : null;
    var touch = lastPointer === "touch" || lastPointer === "pen";
    lastPointer = "";
    if (!el) { hide(); return; }
    if (!touch || shownFor === el) { hide(); return; }  // a mouse, Enter, or the second tap
    e.preventDefault();
    show(el, true);
  });

  document.addEventListener("focusin", function (e) {
    var el = e.target.closest ? e.target.closest(SELECTOR) : null;
    if (el && el.matches(":focus-visible")) { show(el, false); }
    else if (el !== shownFor) { hide(); }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && shownFor) { hide(); }
  });

  window.addEventListener("resize", hide);
})();
