// The search page. The index is a set of small scripts (ksctl's render/search.py): a word
// file per three first letters (which items' names, or notes, hold each word), a file per
// two first letters (the best hits of a two-letter query) and the items in numbered
// chunks. An item's number is its rank: programme areas and groups first, people last,
// then Swedish order. Matches in names come before matches in notes, an exact name first.
// Scripts, not fetched files, so that the site also works from a folder on disk.
// Without JavaScript the lists A–Ö stay.
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
  var CHUNK = 100;
  var loaded = {};
  var waiting = {};

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  // Each index file calls this when its script has run.
  window.ksctlSok = function (name, data) {
    loaded[name] = data;
    (waiting[name] || []).forEach(function (done) { done(); });
    delete waiting[name];
  };

  function load(names, done) {
    var left = names.filter(function (n, i) {
      return loaded[n] === undefined && names.indexOf(n) === i;
    });
    var count = left.length;
    if (!count) { done(); return; }
    left.forEach(function (name) {
      var first = !waiting[name];
      waiting[name] = (waiting[name] || []).concat(function () {
        count -= 1;
        if (!count) { done(); }
      });
      if (!first) { return; }
      var tag = document.createElement("script");
      tag.src = base + name + ".js";
      tag.onerror = function () { window.ksctlSok(name, null); };
      document.head.appendChild(tag);
    });
  }

  function ids(deltas) {
    var out = [];
    var at = 0;
    (deltas || []).forEach(function (d) { at += d; out.push(at); });
    return out;
  }

  // The ids whose names (and whose notes) hold a word starting with `word`.
  function sets(word) {
    var file = loaded[word.length >= 3 ? "w-" + word.slice(0, 3) : "t-" + word] || {};
    var names = {};
    var notes = {};
    ["names", "notes"].forEach(function (field) {
      Object.keys(file[field] || {}).forEach(function (w) {
        if (w.indexOf(word) !== 0) { return; }
        ids(file[field][w]).forEach(function (n) { (field === "names" ? names : notes)[n] = true; });
      });
    });
    return {names: names, notes: notes};
  }

  function href(target) {
    var at = target.indexOf("#");
    var path = at < 0 ? target : target.slice(0, at);
    return root + path + ".html" + (at < 0 ? "" : target.slice(at));
  }

  function show(hits, total) {
    list.textContent = "";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href(hit.item[2]);
      a.textContent = hit.item[0];
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + hit.kind + (hit.item[3] ? " · " + hit.item[3] : "");
      li.appendChild(kind);
      list.appendChild(li);
    });
    var text = total === 1 ? "1 träff" : total + " träffar";
    if (total > hits.length) { text += ", de " + hits.length + " första visas"; }
    status.textContent = text;
  }

  function startsOne(word, words) {
    return words.split(" ").some(function (w) { return w.indexOf(word) === 0; });
  }

  var asked = 0;
  function update() {
    var query = fold(input.value);
    var words = query.split(" ").filter(function (w) { return w.length >= 2; });
    var turn = ++asked;
    if (!words.length) {
      list.textContent = "";
      status.textContent = query ? "Skriv minst två bokstäver." : "";
      return;
    }
    var full = words.filter(function (w) { return w.length >= 3; });
    var short = words.filter(function (w) { return w.length < 3; });
    var files = full.map(function (w) { return "w-" + w.slice(0, 3); });
    files = files.concat(short.map(function (w) { return "t-" + w; }));
    load(files, function () {
      if (turn !== asked) { return; }
      var candidates;
      var named = {};
      var total;
      if (full.length) {
        var found = full.map(sets);
        candidates = Object.keys(found[0].names).concat(Object.keys(found[0].notes))
          .map(Number).filter(function (n) {
            return found.every(function (f) { return f.names[n] || f.notes[n]; });
          });
        candidates.forEach(function (n) {
          named[n] = found.every(function (f) { return f.names[n]; });
        });
      } else {
        var top = loaded["t-" + short[0]] || {top: [], named: 0, count: 0};
        candidates = ids(top.top);
        candidates.forEach(function (n, i) { named[n] = i < top.named; });
        total = top.count;
      }
      candidates = candidates.filter(function (n, i) { return candidates.indexOf(n) === i; });
      candidates.sort(function (a, b) { return (named[a] ? 0 : 1) - (named[b] ? 0 : 1) || a - b; });
      var chunks = candidates.slice(0, SHOWN).map(function (n) {
        return "i-" + Math.floor(n / CHUNK);
      });
      load(chunks, function () {
        if (turn !== asked) { return; }
        var hits = [];
        candidates.slice(0, SHOWN).forEach(function (n) {
          var chunk = loaded["i-" + Math.floor(n / CHUNK)];
          if (!chunk) { return; }
          var item = chunk.items[n % CHUNK];
          // A two-letter word beside the one that chose the hits is matched against the
          // names only.
          var checks = full.length ? short : short.slice(1);
          if (!checks.every(function (w) { return startsOne(w, item[4]); })) { return; }
          var name = fold(item[0]);
          var exact = name === query ? 0 : name.indexOf(query) === 0 ? 1 : 2;
          hits.push({
            item: item, kind: chunk.kinds[item[1]],
            rank: [named[n] ? 0 : 1, item[5], exact, n]
          });
        });
        hits.sort(function (a, b) {
          for (var i = 0; i < a.rank.length; i += 1) {
            if (a.rank[i] !== b.rank[i]) { return a.rank[i] - b.rank[i]; }
          }
          return 0;
        });
        var checked = full.length ? short.length : short.length > 1;
        var count = checked ? hits.length : total === undefined ? candidates.length : total;
        show(hits.slice(0, SHOWN), count);
      });
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
