// presale's only script of its own: tell the server the browser's time
// zone at sign-in, so times show in local time until the user picks one.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Intl) return;
  document.querySelectorAll('input[name="time_zone"][data-browser-tz]').forEach(function (tz) {
    tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  });
});

// After an htmx action (clear, hold, mark held...) the part of the page it
// changed takes the focus, and what happened is read out: the server's
// confirmation goes into the live region, which is always on the page.
document.addEventListener("htmx:afterSettle", function (e) {
  var d = e.detail || {};
  if (!d.requestConfig || d.requestConfig.verb !== "post" || !d.xhr) return;
  var flash = new DOMParser().parseFromString(d.xhr.responseText, "text/html").querySelector('[data-testid="flash"]');
  var live = document.getElementById("announce");
  if (live && flash) {
    live.textContent = "";
    setTimeout(function () { live.textContent = flash.textContent.trim(); }, 50);
  }
  var sel = d.requestConfig.elt && d.requestConfig.elt.getAttribute("hx-target");
  var target = (sel && sel.charAt(0) === "#" && document.querySelector(sel)) || document.querySelector("main h1");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});

// A plain form with data-confirm asks before it is sent (htmx forms use
// hx-confirm). Without script the server still refuses nothing it would
// not take back: every such change offers Undo.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});

// When the browser's time zone is not the one presale shows times in, offer
// to switch, above the page; "Keep" is remembered for that browser zone.
// Once answered, or when there is nothing to ask, the offer leaves the page.
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.querySelector(".tz-bar");
  if (!bar) return;
  var offer = bar.querySelector("form.tz-offer");
  var browser = window.Intl ? Intl.DateTimeFormat().resolvedOptions().timeZone || "" : "";
  var saved = offer.getAttribute("data-zone");
  var kept = "";
  try { kept = localStorage.getItem("presale-keep-zone") || ""; } catch (e) {}
  if (!browser || browser === saved || kept === browser) { bar.remove(); return; }
  offer.querySelector('input[name="time_zone"]').value = browser;
  offer.querySelector('input[name="next"]').value = location.pathname + location.search;
  offer.querySelector(".tz-text").textContent = "Your device is set to " + browser + "; presale shows times in " + saved + ".";
  offer.querySelector("button[type=submit]").textContent = "Show times in " + browser;
  offer.querySelector("[data-keep-zone]").addEventListener("click", function () {
    try { localStorage.setItem("presale-keep-zone", browser); } catch (e) {}
    bar.remove();
    var box = document.getElementById("site-search");
    if (box) box.focus();
  });
  bar.hidden = false;
});

// The search box: "/" anywhere but in a field goes to it. In its results
// Down and Up move from hit to hit (Up from the first returns to the box),
// Enter opens the hit, Escape closes them and returns to the box; leaving
// the box and its results closes them too. The results are swapped in by
// htmx as one types, so the keys are read on the document.
function searchHits() {
  var r = document.getElementById("quick-results");
  return r && !r.hidden ? Array.prototype.slice.call(r.querySelectorAll("a[href]")) : [];
}
function closeSearch(focusBox) {
  var r = document.getElementById("quick-results");
  var box = document.getElementById("site-search");
  if (r) r.hidden = true;
  if (focusBox && box) box.focus();
}
document.addEventListener("keydown", function (e) {
  var box = document.getElementById("site-search");
  if (!box) return;
  var t = e.target;
  var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  var inResults = t && t.closest && t.closest("#quick-results");
  if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    box.focus();
    box.select();
  } else if (e.key === "Escape" && (t === box || inResults)) {
    e.preventDefault();
    closeSearch(true);
  } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && (t === box || inResults)) {
    var r = document.getElementById("quick-results");
    if (t === box && e.key === "ArrowDown" && r) r.hidden = false; // reopens after Escape
    var hits = searchHits();
    if (!hits.length) return;
    e.preventDefault();
    var i = hits.indexOf(t);
    if (e.key === "ArrowDown") hits[Math.min(i + 1, hits.length - 1)].focus();
    else if (i <= 0) box.focus();
    else hits[i - 1].focus();
  }
});
document.addEventListener("focusin", function (e) {
  var form = document.querySelector('[data-testid="search-box"]');
  if (form && !form.contains(e.target)) closeSearch(false);
});

// Enter in a form's account search lists what was typed at once; it does
// not send the form the search sits in (the form is sent on the keypress
// that follows, so that is held back too).
["keydown", "keypress"].forEach(function (type) {
  document.addEventListener(type, function (e) {
    var t = e.target;
    if (e.key !== "Enter" || !t || !t.matches || !t.matches('input[name="account_q"]')) return;
    e.preventDefault();
    if (type === "keydown") t.dispatchEvent(new Event("search"));
  });
});

// The account field's Find button sends the form back to search without
// script; here the search lists while typing, and Enter in another field
// must press the form's own button, not Find.
function dropAccountFind(root) {
  if (root.querySelectorAll) root.querySelectorAll("[data-account-find]").forEach(function (b) { b.remove(); });
}
document.addEventListener("DOMContentLoaded", function () { dropAccountFind(document); });
document.addEventListener("htmx:load", function (e) { dropAccountFind(e.detail.elt); });

// After a move on the board the page comes back at the card moved
// (#card-ID): its link takes the focus again, so a keyboard user carries on
// from the card rather than from the top of the page.
// (After "load": the browser's own move to the fragment comes first.)
window.addEventListener("load", function () {
  var card = /^#card-\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
  var link = card && card.querySelector("a");
  if (link) link.focus();
});

// The pipeline board: drag a card to another column to move the deal. The
// drop presses that stage's button in the card's "Move to…" menu, so a
// drag is the same request as the menu without script (and a stale board
// answers 409).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Sortable) return;
  document.querySelectorAll(".board .cards").forEach(function (list) {
    window.Sortable.create(list, {
      group: "board",
      forceFallback: true, // pointer events: mouse, touch and pen alike
      delay: 200, delayOnTouchOnly: true, // a finger scrolls the board; a held finger drags
      animation: 120,
      filter: "a, button, select, summary, input",
      preventOnFilter: false,
      onEnd: function (e) {
        if (e.from === e.to) return;
        var column = e.to.closest("[data-stage]");
        var button = column && e.item.querySelector('.move-to button[name="stage"][value="' + column.getAttribute("data-stage") + '"]');
        if (button) button.click();
      }
    });
  });
});
