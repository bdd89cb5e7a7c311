/* dialoogkit studio: small helpers around htmx. Texts come from data attributes on <body>, which
   the server fills from the message table, so nothing here is in one language.

   Nothing typed is lost. Every change to a field of a form that saves itself (data-autosave, or
   data-keep for the "after the session" form) is kept in this browser (localStorage, one entry per
   deck, page part and field, with the version of the file it was typed on) until the studio
   answers that it saved it. When a request cannot reach the studio, a calm line says so and the
   studio is asked now and then whether it is back; then the kept changes are sent again. When
   the file changed meanwhile (the studio answers 409) or a kept text belongs to another page, it
   is offered for copying. A page that loads with kept text typed on its own version of the file
   puts it back into its fields and saves it. A form marked data-warn-unsaved asks before the page
   is left while one of its fields holds text that is not saved yet. */
(function () {
  "use strict";

  var PREFIX = "dialoogkit-kept|";
  var TRACKED = "form[data-autosave], form[data-keep]";
  var away = false;         // a request could not reach the studio, and it has not answered since
  var resending = false;    // kept changes were sent again after the studio came back
  var retry = null;
  var delay = 1000;
  var warning = false;
  var saved = {};           // storage key → the value the studio last saved for that field

  function text(name) {
    return document.body.getAttribute("data-text-" + name) || "";
  }

  function status(message, kind) {
    var box = document.getElementById("save-status") || document.getElementById("results-status");
    if (!box) { return; }
    box.textContent = message;
    box.className = kind || "";
  }

  // The line under the top bar: away (calm), back, or lost (a new address).
  function connection(kind, message) {
    var line = document.getElementById("connection");
    if (!line) { return; }
    line.textContent = message || "";
    line.className = "connection" + (kind ? " " + kind : "");
    line.hidden = !message;
  }

  // ---- kept changes ----------------------------------------------------------------------

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function trackedForm(elt) {
    if (!elt || !elt.closest) { return null; }
    var form = elt.closest(TRACKED);
    if (!form) {
      var owner = elt.closest("[data-autosave-for]");
      form = owner ? document.getElementById(owner.getAttribute("data-autosave-for")) : null;
    }
    if (form && !document.body.contains(form) && form.id) {
      form = document.getElementById(form.id) || form;  // the page part was swapped: its new copy
    }
    return form;
  }

  // The deck, file version and page part a form's changes belong to: the editor's state, or the
  // form's own hidden fields.
  function formState(form) {
    var editor = form.closest("#editor");
    var holder = editor ? document.getElementById("editor-state") : form;
    if (!holder) { return null; }
    var value = function (name) {
      var field = holder.querySelector("[name='" + name + "']");
      return field ? field.value : "";
    };
    if (!value("deck")) { return null; }
    return { deck: value("deck"), version: value("version"),
             scope: editor ? "edit:" + value("view") + ":" + value("lesson") : form.id };
  }

  function keptKind(field) {
    return Boolean(field && ["INPUT", "TEXTAREA", "SELECT"].indexOf(field.tagName) >= 0 && field.name &&
      !field.disabled && ["file", "hidden", "submit", "button", "reset", "image"].indexOf(field.type) < 0);
  }

  function isChoice(field) {
    return field.type === "checkbox" || field.type === "radio";
  }

  function fieldName(field) {
    return isChoice(field) ? field.name + "=" + field.value : field.name;
  }

  function fieldValue(field) {
    return isChoice(field) ? (field.checked ? "1" : "") : field.value;
  }

  function isText(field) {
    return !isChoice(field) && field.tagName !== "SELECT";
  }

  function findField(form, name) {
    var fields = form.elements;
    for (var i = 0; i < fields.length; i++) {
      if (keptKind(fields[i]) && fieldName(fields[i]) === name) { return fields[i]; }
    }
    return null;
  }

  function labelOf(field) {
    var label = field.id ? document.querySelector("label[for='" + CSS.escape(field.id) + "']") : null;
    if (!label) { label = field.closest("label"); }
    if (!label) {
      var group = field.closest("fieldset");
      label = group ? group.querySelector("legend") : null;
    }
    return label ? label.textContent.replace(/\s+/g, " ").trim() : text("kept-field").replace("{name}", field.name);
  }

  function read(key) {
    var store = storage();
    try { return store ? JSON.parse(store.getItem(key) || "null") : null; } catch (error) { return null; }
  }

  function write(key, entry) {
    var store = storage();
    try { if (store) { store.setItem(key, JSON.stringify(entry)); } } catch (error) { /* full: the field still holds it */ }
  }

  function forget(key) {
    var store = storage();
    if (store) { store.removeItem(key); }
  }

  function entries(deck) {
    var store = storage();
    var found = [];
    if (!store) { return found; }
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var entry = read(key);
        if (entry && entry.deck === deck) { found.push({ key: key, entry: entry }); }
      }
    }
    return found;
  }

  // What the file holds for a field: what the studio last saved from it, else what the page
  // was given.
  function savedValue(key, field) {
    if (Object.prototype.hasOwnProperty.call(saved, key)) { return saved[key]; }
    if (isChoice(field)) { return field.defaultChecked ? "1" : ""; }
    if (field.tagName === "SELECT") {
      var chosen = Array.prototype.find.call(field.options, function (option) { return option.defaultSelected; });
      return chosen ? chosen.value : (field.options[0] ? field.options[0].value : "");
    }
    return field.defaultValue;
  }

  function keep(field) {
    var form = trackedForm(field);
    var state = form && formState(form);
    if (!state || !keptKind(field)) { return; }
    var name = fieldName(field);
    var key = PREFIX + state.deck + "|" + state.scope + "|" + name;
    if (fieldValue(field) === savedValue(key, field)) {  // as in the file: nothing to keep
      forget(key);
      return;
    }
    var old = read(key);
    write(key, { deck: state.deck, scope: state.scope, name: name, value: fieldValue(field),
                 version: old && old.version ? old.version : state.version, label: labelOf(field),
                 text: isText(field), page: location.pathname + location.search });
  }

  function snapshot(form) {
    var sent = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (keptKind(field)) { sent[fieldName(field)] = fieldValue(field); }
    });
    return sent;
  }

  // After the studio saved what a form sent: forget what was saved; what was typed since now
  // stands on the version just saved.
  function settle(form, sent) {
    var state = formState(form);
    if (!state || !sent) { return; }
    Object.keys(sent).forEach(function (name) {
      saved[PREFIX + state.deck + "|" + state.scope + "|" + name] = sent[name];
    });
    entries(state.deck).forEach(function (item) {
      if (item.entry.scope !== state.scope || !Object.prototype.hasOwnProperty.call(sent, item.entry.name)) { return; }
      if (sent[item.entry.name] === item.entry.value) {
        forget(item.key);
        withdraw(item.key);
      } else {
        item.entry.version = state.version;
        write(item.key, item.entry);
      }
    });
  }

  function pendingForms() {
    return Array.prototype.filter.call(document.querySelectorAll(TRACKED), function (form) {
      var state = formState(form);
      return state && entries(state.deck).some(function (item) {
        var field = item.entry.scope === state.scope ? findField(form, item.entry.name) : null;
        return field && fieldValue(field) === item.entry.value;
      });
    });
  }

  function onLeave(event) {
    event.preventDefault();
    event.returnValue = "";
    return "";
  }

  // Ask before leaving only while a field of a data-warn-unsaved form holds unsaved text.
  function updateLeaving() {
    var unsaved = pendingForms().some(function (form) { return form.hasAttribute("data-warn-unsaved"); });
    if (unsaved && !warning) {
      window.addEventListener("beforeunload", onLeave);
    } else if (!unsaved && warning) {
      window.removeEventListener("beforeunload", onLeave);
    }
    warning = unsaved;
  }

  // ---- the panel with kept text ----------------------------------------------------------

  function offer(items) {
    var panel = document.getElementById("kept");
    if (!panel) { return; }
    var list = panel.querySelector(".kept-list");
    items.forEach(function (item) {
      if (!item.entry.text) { forget(item.key); return; }  // a choice is no text to copy
      var shown = Array.prototype.find.call(list.querySelectorAll(".kept-item"), function (node) {
        return node.getAttribute("data-key") === item.key;
      });
      if (shown) {
        shown.querySelector("textarea").value = item.entry.value;
        shown.setAttribute("data-reason", item.reason);
        return;
      }
      list.appendChild(keptItem(item, list.querySelectorAll(".kept-item").length + 1));
    });
    arrange(panel);
  }

  // A kept text that is saved after all leaves the panel.
  function withdraw(key) {
    var panel = document.getElementById("kept");
    if (!panel) { return; }
    Array.prototype.forEach.call(panel.querySelectorAll(".kept-item"), function (node) {
      if (node.getAttribute("data-key") === key) { node.remove(); }
    });
    arrange(panel);
  }

  function keptItem(item, number) {
    var node = document.createElement("div");
    node.className = "kept-item";
    node.setAttribute("data-key", item.key);
    node.setAttribute("data-reason", item.reason);
    var id = "kept-" + number + "-" + Math.random().toString(36).slice(2, 8);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = item.entry.label;
    var area = document.createElement("textarea");
    area.id = id;
    area.readOnly = true;
    area.rows = Math.min(6, Math.max(2, item.entry.value.split("\n").length));
    area.value = item.entry.value;
    var tools = document.createElement("div");
    tools.className = "kept-tools";
    var copy = button(text("kept-copy"), "secondary", function () { copyText(area, copy); });
    tools.appendChild(copy);
    if (item.reason === "elsewhere" && item.entry.page) {
      var link = document.createElement("a");
      link.href = item.entry.page;
      link.textContent = text("kept-go");
      tools.appendChild(link);
    }
    tools.appendChild(button(text("kept-discard"), "quiet", function () {
      forget(item.key);
      var panel = document.getElementById("kept");
      node.remove();
      arrange(panel);
      updateLeaving();
    }));
    node.appendChild(label);
    node.appendChild(area);
    node.appendChild(tools);
    return node;
  }

  function button(label, kind, action) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = kind;
    node.textContent = label;
    node.addEventListener("click", action);
    return node;
  }

  // The panel's explanations: one for text the file's changes kept out, one for another page's.
  function arrange(panel) {
    var list = panel.querySelector(".kept-list");
    ["changed", "elsewhere"].forEach(function (reason) {
      var intro = list.querySelector("p.kept-intro[data-reason='" + reason + "']");
      var any = list.querySelector(".kept-item[data-reason='" + reason + "']");
      if (any && !intro) {
        intro = document.createElement("p");
        intro.className = "kept-intro";
        intro.setAttribute("data-reason", reason);
        intro.textContent = text("kept-" + reason);
        list.insertBefore(intro, list.firstChild);
      } else if (!any && intro) {
        intro.remove();
      }
    });
    panel.hidden = !list.querySelector(".kept-item");
  }

  function copyText(area, control) {
    var done = function () { control.textContent = text("kept-copied"); };
    var fallback = function () {
      area.focus();
      area.select();
      try { if (document.execCommand("copy")) { done(); } } catch (error) { /* selected: Ctrl-C copies it */ }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  // The kept changes of a form the studio refused because its file changed.
  function offerRefused(form) {
    var state = formState(form);
    if (!state) { return; }
    offer(entries(state.deck).filter(function (item) {
      return item.entry.scope === state.scope;
    }).map(function (item) { return { key: item.key, entry: item.entry, reason: "changed" }; }));
  }

  // A page opens: put back what was typed on this version of the file and save it; offer for
  // copying what was typed here on an older version, and point to the page of what was typed
  // elsewhere on this version (nothing was saved since, so it is not in the file). Text typed
  // elsewhere on an older version waits for its own page: it may have been saved as the page
  // was left, and there the field tells.
  function restore() {
    var forms = Array.prototype.slice.call(document.querySelectorAll(TRACKED));
    var states = forms.map(formState);
    var decks = {};
    states.forEach(function (state) { if (state) { decks[state.deck] = state.version; } });
    var touched = [];
    var offered = [];
    Object.keys(decks).forEach(function (deck) {
      entries(deck).forEach(function (item) {
        var entry = item.entry;
        var at = -1;
        var field = null;
        forms.some(function (form, index) {
          var state = states[index];
          if (!state || state.deck !== deck || state.scope !== entry.scope) { return false; }
          at = index;
          field = findField(form, entry.name);
          return field !== null;
        });
        if (field && fieldValue(field) === entry.value) {
          forget(item.key);
        } else if (field && entry.version === states[at].version) {
          if (isChoice(field)) { field.checked = entry.value === "1"; } else { field.value = entry.value; }
          if (touched.indexOf(forms[at]) < 0) { touched.push(forms[at]); }
        } else if (at >= 0) {
          offered.push({ key: item.key, entry: entry, reason: "changed" });
        } else if (entry.version === decks[deck]) {
          offered.push({ key: item.key, entry: entry, reason: "elsewhere" });
        }
      });
    });
    offer(offered);
    touched.forEach(function (form) { htmx.trigger(form, "change"); });
    updateLeaving();
  }

  // ---- away and back ---------------------------------------------------------------------

  function goneAway() {
    status(text("waiting"));
    if (away) { return; }
    away = true;
    resending = false;
    delay = 1000;
    connection("", text("away"));
    schedule();
  }

  function schedule() {
    clearTimeout(retry);
    retry = setTimeout(probe, delay);
    delay = Math.min(delay * 1.5, 5000);
  }

  function probe() {
    if (!away) { return; }
    fetch("/static/favicon.svg?alive=" + Date.now(), { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          cameBack();
        } else if (response.status === 403) {  // another token: only the new address opens it
          away = false;
          connection("lost", text("new-address"));
        } else {
          schedule();
        }
      }, schedule);
  }

  function cameBack() {
    if (!away) { return; }
    away = false;
    clearTimeout(retry);
    var forms = pendingForms();
    resending = forms.length > 0;
    connection("back", text("back"));
    if (!resending) { status(""); }
    forms.forEach(function (form) { htmx.trigger(form, "change"); });
  }

  // ---- fields and focus --------------------------------------------------------------------

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
    setTimeout(restore, 0);  // after htmx has set up the forms
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

  function edited(event) {
    var field = event.target;
    if (!keptKind(field) || !trackedForm(field)) { return; }
    keep(field);
    if (!away && !resending) { connection("", ""); }  // "back again" stays until the next edit
    resending = false;
    updateLeaving();
  }

  document.addEventListener("input", edited);
  document.addEventListener("change", edited);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.closest("[data-autosave]")) { status(text("saving")); }
    var form = trackedForm(elt);
    if (form && event.detail.xhr) {  // the element may be swapped away before the answer: note its form
      event.detail.xhr.keptForm = form;
      event.detail.xhr.keptSent = snapshot(form);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var code = xhr ? xhr.status : 0;
    if (!code) { return; }  // not reached: htmx:sendError
    if (away && code === 403) {  // it answers, but not to this tab's address any more
      away = false;
      clearTimeout(retry);
      connection("lost", text("new-address"));
    } else if (away) {
      cameBack();
    }
    var form = xhr.keptForm ? trackedForm(xhr.keptForm) : null;
    if (form && code >= 200 && code < 300) {
      settle(form, xhr.keptSent);
      if (resending && !pendingForms().length) {
        resending = false;
        connection("back", text("back-saved"));
      }
    } else if (form && code === 409) {
      offerRefused(form);
    }
    updateLeaving();
  });

  // A part swapped in out of band may hold the element that had the focus (a button of the
  // lesson list): give the focus back to the element with the same id.
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body ? active.id : null;
  });

  // Mark in the same task as the swap, so no one ever reads a field whose error box is already
  // empty while aria-invalid still says otherwise; settling marks once more for late parts.
  document.addEventListener("htmx:afterSwap", function () { markInvalid(); });
  document.addEventListener("htmx:oobAfterSwap", function () { markInvalid(); });

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

  document.addEventListener("htmx:sendError", goneAway);
})();
