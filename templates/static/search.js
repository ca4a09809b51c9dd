// The search page: looks up what the reader types in the index's shares (one small file
// per two-letter word start, loaded as a script so that the site also works from disk),
// and lists the hits ranked: names before notes, programme areas and groups before places,
// people last, an exact name first. Without JavaScript the lists A–Ö stay.
(function () {
  "use strict";
  var script = document.currentScript;
  var input = document.getElementById("sokfalt");
  var list = document.getElementById("traffar");
  var status = document.getElementById("antal");
  if (!script || !input || !list || !status) { return; }
  var base = script.getAttribute("data-index");
  var root = script.getAttribute("data-root") || "";
  var SHOWN = 100;
  var shares = {};
  var waiting = {};

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  // A share calls this when its script has loaded.
  window.ksctlSok = function (prefix, share) {
    shares[prefix] = share;
    (waiting[prefix] || []).forEach(function (done) { done(share); });
    delete waiting[prefix];
  };

  function load(prefix, done) {
    if (shares[prefix] !== undefined) { done(shares[prefix]); return; }
    if (waiting[prefix]) { waiting[prefix].push(done); return; }
    waiting[prefix] = [done];
    var tag = document.createElement("script");
    tag.src = base + encodeURIComponent(prefix) + ".js";
    tag.onerror = function () { window.ksctlSok(prefix, null); };
    document.head.appendChild(tag);
  }

  function startsAll(words, text) {
    var have = text.split(" ");
    return words.every(function (w) {
      return have.some(function (h) { return h.indexOf(w) === 0; });
    });
  }

  function href(target) {
    var at = target.indexOf("#");
    var path = at < 0 ? target : target.slice(0, at);
    return root + path + ".html" + (at < 0 ? "" : target.slice(at));
  }

  function show(hits, total) {
    list.textContent = "";
    hits.slice(0, SHOWN).forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href(hit.href);
      a.textContent = hit.text;
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + hit.kind + (hit.context ? " · " + hit.context : "");
      li.appendChild(kind);
      list.appendChild(li);
    });
    var text = total === 1 ? "1 träff" : total + " träffar";
    if (total > SHOWN) { text += ", de " + SHOWN + " första visas"; }
    status.textContent = text;
  }

  var asked = 0;
  function update() {
    var query = fold(input.value);
    var words = query.split(" ").filter(Boolean);
    var turn = ++asked;
    if (!words.length || words[0].length < 2) {
      list.textContent = "";
      status.textContent = words.length ? "Skriv minst två bokstäver." : "";
      return;
    }
    load(words[0].slice(0, 2), function (share) {
      if (turn !== asked) { return; }
      if (!share) { show([], 0); return; }
      var hits = [];
      share.items.forEach(function (item, n) {
        var inNames = startsAll(words, item[4]);
        if (!inNames && !startsAll(words, item[4] + " " + item[5])) { return; }
        var name = fold(item[0]);
        var exact = name === query ? 0 : name.indexOf(query) === 0 ? 1 : 2;
        hits.push({
          text: item[0], kind: share.kinds[item[1]], href: item[2], context: item[3],
          rank: [inNames ? 0 : 1, item[6], exact, n]
        });
      });
      hits.sort(function (a, b) {
        for (var i = 0; i < a.rank.length; i += 1) {
          if (a.rank[i] !== b.rank[i]) { return a.rank[i] - b.rank[i]; }
        }
        return 0;
      });
      show(hits, hits.length);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; }
  input.addEventListener("input", update);
  if (input.form) {
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
  }
  update();
}());
