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
  document.addEventListener("DOMContentLoaded", function () { enhanceSelects(document); });
  document.body.addEventListener("htmx:afterSwap", function (e) { enhanceSelects(e.target); });
})();
