/* dialoogkit studio: small helpers around htmx. Texts come from data attributes on <body>, which
   the server fills from the message table, so nothing here is in one language. */
(function () {
  "use strict";

  function text(name) {
    return document.body.getAttribute("data-text-" + name) || "";
  }

  function status(message, kind) {
    var box = document.getElementById("save-status");
    if (!box) { return; }
    box.textContent = message;
    box.className = kind || "";
  }

  // A field is invalid while its error box holds a message; screen readers hear the message
  // through aria-describedby.
  function markInvalid(root) {
    var fields = (root || document).querySelectorAll("[aria-describedby]");
    fields.forEach(function (field) {
      var ids = field.getAttribute("aria-describedby").split(/\s+/);
      var bad = ids.some(function (id) {
        var box = document.getElementById(id);
        return box && box.classList.contains("field-error") && box.querySelector("p.err");
      });
      if (bad) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
    });
  }

  function focusMarked() {
    var target = document.querySelector("[data-autofocus]");
    if (target) {
      target.removeAttribute("data-autofocus");
      target.focus();
    }
  }

  function focusHash() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    markInvalid();
    var current = document.querySelector(".lessons [aria-current=page]");
    if (current) { current.scrollIntoView({ block: "nearest" }); }
    if (location.hash) { focusHash(); } else { focusMarked(); }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-focus-link]");
    if (!link) { return; }
    var url = new URL(link.href, location.href);
    if (url.pathname === location.pathname && url.search === location.search && url.hash) {
      var target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.closest("[data-autosave]")) { status(text("saving")); }
  });

  // A part swapped in out of band may hold the element that had the focus (a button of the
  // lesson list): give the focus back to the element with the same id.
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    markInvalid();
    if (document.querySelector("[data-autofocus]")) {
      focusMarked();
    } else if (focusedId && (!document.activeElement || document.activeElement === document.body)) {
      var again = document.getElementById(focusedId);
      if (again) { again.focus(); }
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    status(text("failed").replace("{status}", code), "conflict");
  });

  document.addEventListener("htmx:sendError", function () {
    status(text("offline"), "conflict");
  });
})();
