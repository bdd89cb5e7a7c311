/* dialoogkit studio, the editor page. Texts: none.

   The skip link ("Naar de inhoud") leads past the list of lessons to the part being edited, so the
   next Tab reaches its first field. Without this script the link still leads to <main>.

   The deep check. A page or an answer built on the quick check (loading and card fitting) holds
   <div id="deep-check" data-version="…" hx-get="/check">, which asks for the whole check of that
   version (canvases, guide) and swaps its problems in. Its answer completes only the page or the
   answer that brought it, never a newer one:
   - every answer that shows problems brings a new #deep-check (an empty one when its check was
     whole), so an answer meant for a #deep-check that is no longer on the page, or for another
     version than the page now holds, is dropped (the studio itself answers 204 for a version
     that is no longer the file's);
   - it is sent only while no other request of the editor is under way, and its answer is swapped
     in only while none is (a change, a tab, a button started meanwhile); else it is asked again
     once that request is answered, if its #deep-check is still the page's (the change changed
     nothing). So an answer of the check never lands between a change and its answer.
   It swaps problem boxes, the list of problems and the counts in the lesson list (and the canvas
   or guide preview), never a field: what is being typed and the focus stay. */
(function () {
  "use strict";

  function content() {
    return document.getElementById("pane-title") || document.getElementById("pane");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.skip");
    var target = link && content();
    if (!target) { return; }
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  });

  // ---- the deep check ----------------------------------------------------------------------

  var busy = [];              // the editor's other requests under way
  var held = null;            // the #deep-check to ask (again) once the editor is idle
  var sends = new WeakMap();  // #deep-check → how htmx sends its request (past the hold below)

  function isCheck(elt) {
    return Boolean(elt && elt.id === "deep-check");
  }

  // Whether the deep check of ``elt`` still completes what the page shows.
  function current(elt) {
    var version = document.querySelector("#editor-state input[name=version]");
    return elt === document.getElementById("deep-check") && Boolean(version) &&
      version.value === elt.getAttribute("data-version");
  }

  // The editor's own requests count, not the progress of a build (it shows no problem).
  function counts(elt) {
    return Boolean(elt && elt.closest && elt.closest("#editor") && !elt.closest("#build"));
  }

  function askWhenIdle() {
    if (busy.length || !held) { return; }
    var elt = held;
    held = null;
    if (current(elt) && sends.has(elt)) { sends.get(elt)(true); }
  }

  // The answer of a deep check, just before htmx swaps it in: dropped when its #deep-check has
  // left the page or the page holds another version, and held back (asked again) while another
  // request is under way, whose answer may replace it. The element may have left the page, so
  // this listens on the element itself (an event there no longer reaches the document).
  function keepNewer(event) {
    var elt = event.currentTarget;
    if (!current(elt)) {
      event.detail.shouldSwap = false;
    } else if (busy.length) {
      event.detail.shouldSwap = false;
      held = elt;
    }
  }

  // htmx asks before it sends: hold the deep check back while the editor is busy.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!isCheck(elt)) { return; }
    sends.set(elt, event.detail.issueRequest);
    if (busy.length || !current(elt)) {
      event.preventDefault();
      if (current(elt)) { held = elt; }
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!xhr) { return; }
    if (isCheck(elt)) {
      elt.addEventListener("htmx:beforeSwap", keepNewer);
      return;
    }
    if (!counts(elt)) { return; }
    busy.push(xhr);
    xhr.addEventListener("loadend", function () {  // after htmx has swapped its answer in
      busy = busy.filter(function (other) { return other !== xhr; });
      askWhenIdle();
    });
  });
})();
