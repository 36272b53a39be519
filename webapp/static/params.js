// Saved query forms: an IRI parameter becomes a picker. The reader types a name in any language or script,
// chooses among the suggestions of /search (labels, the alias that matched, the kind), and sees the label;
// the IRI travels in a hidden field, so it stays in the URL. A typed IRI is kept as it is; a name typed
// without choosing is sent as it is and the server takes its best match. Keyboard: arrows, Enter, Escape.
(function () {
  "use strict";
  var IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

  function short(iri) {
    return iri.replace(/^.*[#\/]/, "");
  }

  function picker(field, n) {
    var hidden = field, text = document.createElement("input"), list = document.createElement("ul");
    var chosen = field.getAttribute("data-label") || "", active = -1, hits = [], timer = null, asked = "";
    text.type = "text";
    text.className = "picker-text";
    text.value = chosen || field.value;
    text.placeholder = field.placeholder;
    text.autocomplete = "off";
    text.setAttribute("role", "combobox");
    text.setAttribute("aria-autocomplete", "list");
    text.setAttribute("aria-expanded", "false");
    text.setAttribute("aria-controls", "picker-list-" + n);
    text.setAttribute("aria-label", field.parentNode.firstChild.textContent.trim());
    list.id = "picker-list-" + n;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    hidden.type = "hidden";
    var box = document.createElement("span");
    box.className = "picker";
    hidden.parentNode.insertBefore(box, hidden);
    box.appendChild(text);
    box.appendChild(list);
    box.appendChild(hidden);

    function close() {
      list.hidden = true;
      active = -1;
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
    }

    function choose(i) {
      var hit = hits[i];
      hidden.value = hit.iri;
      text.value = chosen = hit.label;
      text.title = hit.iri;
      close();
    }

    function highlight(i) {
      var items = list.children;
      if (!items.length) return;
      active = (i + items.length) % items.length;
      for (var k = 0; k < items.length; k++) items[k].setAttribute("aria-selected", k === active ? "true" : "false");
      text.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({block: "nearest"});
    }

    function show(found) {
      hits = found;
      list.textContent = "";
      found.forEach(function (hit, i) {
        var li = document.createElement("li"), name = document.createElement("span"), more = document.createElement("small");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-iri", hit.iri);
        name.textContent = hit.label;
        li.appendChild(name);
        var notes = [];
        if (hit.matched && hit.matched !== hit.label) notes.push(hit.matched);
        var kinds = hit.types.filter(function (t) { return t.indexOf("labour-kg/ontology#") >= 0; }).map(short);
        if (kinds.length) notes.push(kinds.join(", "));
        more.textContent = notes.join(" · ");
        li.appendChild(more);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = "nothing found";
        list.appendChild(none);
        hits = [];
      }
      list.hidden = false;
      text.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask(words) {
      var url = "/search?format=json&q=" + encodeURIComponent(words);
      var cls = hidden.getAttribute("data-class");
      if (cls) url += "&type=" + encodeURIComponent(cls);
      asked = words;
      fetch(url).then(function (r) { return r.json(); }).then(function (found) {
        if (asked === words && text.value.trim() === words) show(found);
      });
    }

    text.addEventListener("input", function () {
      clearTimeout(timer);
      var words = text.value.trim();
      if (words === chosen) return;
      hidden.value = IRI.test(words) ? words : "";
      text.title = "";
      if (!words || IRI.test(words)) { close(); return; }
      timer = setTimeout(function () { ask(words); }, 150);
    });
    text.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden && text.value.trim()) { ask(text.value.trim()); return; }
        e.preventDefault();
        highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter" && !list.hidden && hits.length) {
        e.preventDefault();
        choose(active >= 0 ? active : 0);
      } else if (e.key === "Escape") {
        close();
      }
    });
    text.addEventListener("blur", close);
    hidden.form.addEventListener("submit", function () {
      var words = text.value.trim();
      if (!hidden.value && words) hidden.value = words;  // a name not chosen: the server takes its best match
    });
  }

  document.querySelectorAll("form.params input[data-type=iri]").forEach(picker);
})();
