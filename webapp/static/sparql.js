// The SPARQL editor: highlighting, examples, running a query and showing its answer. No dependencies.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("editor-data").textContent);
  var area = document.getElementById("query");
  var shade = document.getElementById("highlight");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var KEYWORDS = /^(SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|FROM|NAMED|PREFIX|BASE|OPTIONAL|FILTER|UNION|MINUS|GRAPH|BIND|VALUES|GROUP|BY|ORDER|HAVING|LIMIT|OFFSET|DISTINCT|REDUCED|AS|ASC|DESC|NOT|EXISTS|IN|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|LANGMATCHES|DATATYPE|BOUND|IRI|URI|BNODE|REGEX|CONTAINS|STRSTARTS|STRENDS|LCASE|UCASE|SUBSTR|CONCAT|COALESCE|IF|YEAR|a)$/i;
  var TOKENS = /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|(#[^\n]*)|([?$][\w]+)|([A-Za-z][\w-]*:[\w.-]*)|([A-Za-z_]+)/g;

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function highlight() {
    var text = area.value, last = 0, m;
    shade.textContent = "";
    TOKENS.lastIndex = 0;
    while ((m = TOKENS.exec(text)) !== null) {
      shade.appendChild(document.createTextNode(text.slice(last, m.index)));
      var cls = m[1] ? "str" : m[2] ? "iri" : m[3] ? "comment" : m[4] ? "var" : m[5] ? "pname" : KEYWORDS.test(m[6]) ? "kw" : "";
      shade.appendChild(cls ? span(cls, m[0]) : document.createTextNode(m[0]));
      last = m.index + m[0].length;
    }
    shade.appendChild(document.createTextNode(text.slice(last) + "\n"));
    shade.scrollTop = area.scrollTop;
    shade.scrollLeft = area.scrollLeft;
  }

  function isGraphQuery(text) {
    var body = text.replace(/#[^\n]*/g, "").replace(/<[^>]*>/g, " ");
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
    return m && /CONSTRUCT|DESCRIBE/i.test(m[1]);
  }

  function endpointUrl(params) {
    var q = new URLSearchParams(params);
    return "/sparql?" + q.toString();
  }

  function link(iri) {
    var a = document.createElement("a");
    a.href = iri.indexOf(data.base) === 0 ? "/id/" + iri.slice(data.base.length) : iri;
    a.textContent = iri;
    return a;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") td.appendChild(link(term.value));
    else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.appendChild(span("lang", " @" + term["xml:lang"]));
    }
    return td;
  }

  function showTable(json) {
    results.textContent = "";
    if ("boolean" in json) {
      results.appendChild(span("boolean", "ASK answer: " + json.boolean));
      return;
    }
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    json.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var body = table.createTBody();
    json.results.bindings.forEach(function (b) {
      var tr = body.insertRow();
      json.head.vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
    });
    results.appendChild(table);
    status.textContent = json.results.bindings.length + " rows";
  }

  function showDownloads(text, graph) {
    var names = graph ? ["turtle", "ntriples", "jsonld", "rdfxml"] : ["csv", "tsv", "json", "xml"];
    var box = document.getElementById("download-links");
    box.textContent = "";
    names.forEach(function (f) {
      var a = document.createElement("a");
      a.href = endpointUrl({ query: text, format: f });
      a.textContent = f.toUpperCase();
      a.setAttribute("download", "");
      box.appendChild(a);
      box.appendChild(document.createTextNode(" "));
    });
    document.getElementById("share").href = endpointUrl({ query: text });
    document.getElementById("downloads").hidden = false;
  }

  function run() {
    var text = area.value, graph = isGraphQuery(text);
    status.textContent = "running…";
    var started = performance.now();
    history.replaceState(null, "", endpointUrl({ query: text }));
    fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": graph ? "text/turtle" : "application/sparql-results+json" },
      body: new URLSearchParams({ query: text }).toString()
    }).then(function (r) {
      return r.text().then(function (body) {
        var ms = Math.round(performance.now() - started);
        if (!r.ok) { results.textContent = ""; results.appendChild(span("error", r.status + ": " + body)); status.textContent = ""; return; }
        if (graph) { results.textContent = ""; var pre = document.createElement("pre"); pre.textContent = body; results.appendChild(pre); status.textContent = ""; }
        else showTable(JSON.parse(body));
        if (r.headers.get("X-KG-Truncated")) status.textContent += " (cut at the row cap)";
        status.textContent += " · " + ms + " ms";
        showDownloads(text, graph);
      });
    }).catch(function (e) { status.textContent = "failed: " + e; });
  }

  document.getElementById("examples").addEventListener("change", function (e) {
    if (e.target.value === "") return;
    area.value = data.prefixes + "\n" + data.examples[+e.target.value].text;
    highlight();
  });
  area.addEventListener("input", highlight);
  area.addEventListener("scroll", highlight);
  area.addEventListener("keydown", function (e) { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  document.getElementById("run").addEventListener("click", run);
  highlight();
  if (new URLSearchParams(location.search).has("query")) run();
})();
