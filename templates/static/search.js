// Filters the list on the search page as the user types; without JavaScript the whole
// list stays visible. Works offline: the list itself is the index.
(function () {
  "use strict";
  var input = document.getElementById("sokfalt");
  var list = document.getElementById("traffar");
  var status = document.getElementById("antal");
  if (!input || !list || !status) { return; }
  var items = Array.prototype.slice.call(list.getElementsByTagName("li"));
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function update() {
    var words = fold(input.value).split(" ").filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var key = li.getAttribute("data-key") || "";
      var match = words.every(function (w) { return key.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    status.textContent = shown + (shown === 1 ? " träff" : " träffar");
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; }
  input.addEventListener("input", update);
  update();
}());
