// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Searchable selects: <select data-tom-select> (multi or single). Options may come from a
  // JSON endpoint given in data-tom-select-url, returning [{value, text}, …].
  function enhanceSelects(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-tom-select]").forEach(function (el) {
      if (el.tomselect) return;
      var url = el.dataset.tomSelectUrl;
      var options = { plugins: el.multiple ? ["remove_button"] : [], maxOptions: 200 };
      // Tom Select's own texts are English; base.html carries the translated ones.
      var noResults = document.body.dataset.textNoResults;
      if (noResults) {
        options.render = {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = noResults;
            return div;
          },
        };
      }
      if (url) {
        options.valueField = "value";
        options.labelField = "text";
        options.searchField = ["text"];
        options.load = function (query, callback) {
          fetch(url + (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query), {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          })
            .then(function (r) { return r.json(); })
            .then(function (data) { callback(data.items || data); })
            .catch(function () { callback(); });
        };
      }
      new TomSelect(el, options);
    });
  }
  // Copy buttons: <button data-copy-target="#input-id" data-copied-label="Copied">.
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-copy-target]") : null;
    if (!button) return;
    var field = document.querySelector(button.dataset.copyTarget);
    if (!field) return;
    field.focus();
    field.select();
    var done = function () {
      var label = button.dataset.copiedLabel;
      if (label) button.textContent = label;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });
  // Destructive buttons ask first: <button data-confirm="Really?">.
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    var message = button && button.dataset ? button.dataset.confirm : null;
    if (message && !window.confirm(message)) e.preventDefault();
  }, true);
  // Logging out removes the pages kept for use without network (the counter's cache):
  // <form data-clear-offline="talentflow-counter-">.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var prefix = form.dataset ? form.dataset.clearOffline : null;
    if (!prefix || !window.caches || form.dataset.cleared) return;
    e.preventDefault();
    var send = function () { form.dataset.cleared = "1"; form.submit(); };
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(prefix) === 0; })
        .map(function (n) { return caches.delete(n); }));
    }).then(send, send);
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("[data-select-on-focus]")) e.target.select();
  });
  document.addEventListener("DOMContentLoaded", function () { enhanceSelects(document); });
  document.body.addEventListener("htmx:afterSwap", function (e) { enhanceSelects(e.target); });
})();
