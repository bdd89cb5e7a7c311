/* dialoogkit studio, the editor page: the skip link ("Naar de inhoud") leads past the list of
   lessons to the part being edited, so the next Tab reaches its first field. Without this
   script the link still leads to <main>. Texts: none. */
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
})();
