// Saved query forms: IRI parameters suggest entities by name as you type (from /search). No dependencies.
(function () {
  "use strict";
  document.querySelectorAll("form.params input[data-type=iri]").forEach(function (input, i) {
    var list = document.createElement("datalist");
    list.id = "iri-suggestions-" + i;
    input.setAttribute("list", list.id);
    input.parentNode.appendChild(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || /^[a-z]+:\/\//i.test(text)) return;
      timer = setTimeout(function () {
        fetch("/search?format=json&q=" + encodeURIComponent(text)).then(function (r) { return r.json(); }).then(function (hits) {
          list.textContent = "";
          hits.forEach(function (h) {
            var option = document.createElement("option");
            option.value = h.iri;
            option.label = h.label;
            list.appendChild(option);
          });
        });
      }, 200);
    });
  });
})();
