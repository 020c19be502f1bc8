/* dxplan site: the filters of the category and department pages and the search page.
   No request leaves the page: the search index is the JSON in <script id="search-index">.
   Without JavaScript every page shows everything, and the search page lists every action. */
(function () {
  "use strict";

  function filters() {
    var form = document.getElementById("filters");
    if (!form) return;
    form.hidden = false;
    var state = form.querySelector("#filter-state");
    var year = form.querySelector("#filter-year");
    var count = document.getElementById("filter-count");
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-states]"));
    function apply() {
      var s = state.value, y = year.value, shown = 0;
      rows.forEach(function (row) {
        var tokens = row.getAttribute("data-states").split(" ");
        var ok = tokens.some(function (tok) {
          var parts = tok.split(":");
          return (!y || parts[0] === y) && (!s || parts[1] === s);
        }) || (!s && !y);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = count.getAttribute("data-template").replace("{shown}", shown).replace("{total}", rows.length);
    }
    state.addEventListener("change", apply);
    year.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }

  /* Japanese has no spaces between words: every run of CJK characters is indexed as its
     overlapping character pairs (and a lone character as itself), other text by words. */
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
  function tokenize(text) {
    var out = [];
    (text || "").split(/[\s\u3000、。・,.;:()（）「」『』【】［］\[\]\/／]+/).forEach(function (word) {
      if (!word) return;
      var run = "";
      function flush() {
        if (!run) return;
        if (run.length === 1) out.push(run);
        for (var i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
        run = "";
      }
      var other = "";
      for (var i = 0; i < word.length; i++) {
        var ch = word[i];
        if (CJK.test(ch)) {
          if (other) { out.push(other); other = ""; }
          run += ch;
        } else {
          flush();
          other += ch;
        }
      }
      flush();
      if (other) out.push(other);
    });
    return out;
  }

  function search() {
    var data = document.getElementById("search-index");
    var form = document.getElementById("search-form");
    if (!data || !form || typeof MiniSearch === "undefined") return;
    var docs = JSON.parse(data.textContent);
    var index = new MiniSearch({
      fields: ["title", "text"], storeFields: ["title", "url", "meta"],
      tokenize: tokenize, processTerm: function (term) { return term.toLowerCase(); },
      searchOptions: { combineWith: "AND", boost: { title: 3 }, prefix: function (term) { return term.length > 2 && !CJK.test(term); } }
    });
    index.addAll(docs);
    form.hidden = false;
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var all = document.getElementById("all-actions");
    function run() {
      var q = input.value.trim();
      list.textContent = "";
      if (!q) {
        status.textContent = "";
        all.hidden = false;
        return;
      }
      all.hidden = true;
      var found = index.search(q);
      found.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        a.textContent = r.title;
        li.appendChild(a);
        if (r.meta) {
          var p = document.createElement("span");
          p.className = "muted";
          p.textContent = " " + r.meta;
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      status.textContent = status.getAttribute("data-template").replace("{n}", found.length);
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", run);
    var given = new URLSearchParams(window.location.search).get("q");
    if (given) { input.value = given; }
    run();
  }

  document.addEventListener("DOMContentLoaded", function () { filters(); search(); });
})();
