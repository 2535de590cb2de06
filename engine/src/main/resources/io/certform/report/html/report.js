(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("inventory-data").textContent);
  var PAGE = data.page;
  var rows = data.rows, certs = data.certs, t = data.tables;
  // One row per binding: [provider, instance, group, domain, certificate, model, sync, verified]; the certificate's
  // algorithm, issuer, expiry and days left come from its entry in certs (aggregated once per certificate).
  var columns = [
    {name: "provider", get: function (r) { return t.providers[r[0]]; }},
    {name: "instance", get: function (r) { return t.instances[r[1]]; }},
    {name: "group", get: function (r) { return t.groups[r[2]]; }},
    {name: "domain", get: function (r) { return r[3]; }},
    {name: "certificate", get: function (r) { return certs[r[4]].key; }},
    {name: "algorithm", get: function (r) { return certs[r[4]].algorithm; }},
    {name: "issuer", get: function (r) { return certs[r[4]].issuer; }},
    {name: "expiry", get: function (r) { return certs[r[4]].expiry; }},
    {name: "days left", get: function (r) { return certs[r[4]].days; }, num: true},
    {name: "model", get: function (r) { return t.models[r[5]]; }},
    {name: "sync", get: function (r) { return t.syncs[r[6]]; }},
    {name: "last verified", get: function (r) { return r[7] || ""; }}
  ];
  var view = rows.slice(), sortColumn = -1, ascending = true, page = 0, filters = columns.map(function () { return ""; });
  var body = document.getElementById("inventory-body"), status = document.getElementById("inventory-status");
  var headers = document.querySelectorAll("#inventory thead tr.names th");

  function text(v) { return v === null || v === undefined ? "" : String(v); }
  function cls(s) { return s.replace(/ /g, "-"); }

  function render() {
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    if (page >= pages) { page = pages - 1; }
    var start = page * PAGE, end = Math.min(view.length, start + PAGE), html = [];
    for (var i = start; i < end; i++) {
      var r = view[i], c = certs[r[4]], cells = [];
      for (var k = 0; k < columns.length; k++) {
        var value = text(columns[k].get(r)), klass = "";
        if (k === 8) { klass = "num " + c.urgency; }
        if (k === 10) { klass = cls(value); }
        cells.push("<td" + (klass ? " class=\"" + klass + "\"" : "") + ">" + escape(value) + "</td>");
      }
      html.push("<tr>" + cells.join("") + "</tr>");
    }
    body.innerHTML = html.join("");
    status.textContent = (view.length === 0 ? "no bindings" : "bindings " + (start + 1) + "\u2013" + end + " of "
      + view.length) + (view.length !== rows.length ? " (filtered from " + rows.length + ")" : "")
      + ", page " + (page + 1) + " of " + pages;
    document.getElementById("inventory-prev").disabled = page === 0;
    document.getElementById("inventory-next").disabled = page >= pages - 1;
  }

  function escape(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function compare(column) {
    var get = columns[column].get, num = columns[column].num, sign = ascending ? 1 : -1;
    return function (a, b) {
      var x = get(a), y = get(b);
      if (num) { return sign * ((x === null ? -1e9 : x) - (y === null ? -1e9 : y)); }
      x = text(x); y = text(y);
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    };
  }

  function apply() {
    var active = [];
    filters.forEach(function (f, k) { if (f) { active.push([k, f.toLowerCase()]); } });
    view = active.length === 0 ? rows.slice() : rows.filter(function (r) {
      for (var i = 0; i < active.length; i++) {
        if (text(columns[active[i][0]].get(r)).toLowerCase().indexOf(active[i][1]) < 0) { return false; }
      }
      return true;
    });
    if (sortColumn >= 0) { view.sort(compare(sortColumn)); }
    render();
  }

  Array.prototype.forEach.call(headers, function (th, k) {
    th.querySelector("button").addEventListener("click", function () {
      ascending = sortColumn === k ? !ascending : true;
      sortColumn = k;
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      page = 0;
      apply();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#inventory tr.filters input"), function (input, k) {
    input.addEventListener("input", function () { filters[k] = input.value.trim(); page = 0; apply(); });
  });
  document.getElementById("inventory-prev").addEventListener("click", function () { page--; render(); });
  document.getElementById("inventory-next").addEventListener("click", function () { page++; render(); });
  render();
})();
