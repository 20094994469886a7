/* Form helpers (profile, expert search, need form): skill autocomplete, "add a row" for formsets,
   communes following the province. No dependencies. */
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, wait);
    };
  }

  function setupAutocomplete(input, url) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    var wrap = input.closest(".autocomplete");
    var row = input.closest("[data-row]");
    var hidden = row ? row.querySelector("input[data-skill-id]") : null;
    var list = wrap ? wrap.querySelector(".suggestions") : null;
    if (!list) return;
    // The ARIA combobox pattern (WAI-ARIA APG, "list autocomplete"): the input owns the list
    // through aria-controls, says whether it is open, and names the highlighted option through
    // aria-activedescendant while focus stays in the input.
    if (!list.id) list.id = (input.id || "skill") + "-suggestions";
    var label = wrap.querySelector("label");
    if (label) {
      if (!label.id) label.id = list.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1;

    function close() {
      list.hidden = true; list.innerHTML = ""; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(li) {
      input.value = li.textContent;
      if (hidden) hidden.value = li.dataset.id;
      close();
    }
    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }
    var search = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          input.removeAttribute("aria-activedescendant");
          data.results.forEach(function (item, i) {
            var li = document.createElement("li");
            li.id = list.id + "-" + i;
            li.setAttribute("role", "option");
            li.setAttribute("aria-selected", "false");
            li.dataset.id = item.id;
            li.textContent = item.label;  // textContent: labels are never parsed as HTML
            li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
            list.appendChild(li);
          });
          list.hidden = data.results.length === 0;
          input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
          active = -1;
        })
        .catch(close);
    }, 200);

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";  // typed text no longer matches the chosen skill
      search();
    });
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("li");
      if (e.key === "Escape" && !list.hidden) { e.preventDefault(); close(); return; }
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1 < items.length ? active + 1 : 0); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active > 0 ? active - 1 : items.length - 1); }
      else if (e.key === "Home" && e.altKey) { e.preventDefault(); highlight(0); }
      else if (e.key === "End" && e.altKey) { e.preventDefault(); highlight(items.length - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active]); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function setupAll(root) {
    var form = document.querySelector("[data-skill-search-url]");
    if (!form) return;
    var url = form.dataset.skillSearchUrl;
    root.querySelectorAll("input[data-skill-autocomplete]").forEach(function (input) { setupAutocomplete(input, url); });
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var name = button.dataset.addRow;
    var template = document.querySelector('template[data-empty-row="' + name + '"]');
    var container = document.querySelector('[data-rows="' + name + '"]');
    var total = document.querySelector('input[name="' + name + '-TOTAL_FORMS"]');
    var max = document.querySelector('input[name="' + name + '-MAX_NUM_FORMS"]');
    if (!template || !container || !total) return;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      container.appendChild(row);
      total.value = String(index + 1);
      setupAll(row);
      var first = row.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    });
  });

  setupAll(document);

  // Origin: the commune list follows the chosen province (1,503 communes are too many at once).
  var province = document.querySelector("select[data-communes-url]");
  var commune = document.getElementById("id_origin_commune");
  if (province && commune) {
    province.addEventListener("change", function () {
      var blank = commune.options.length ? commune.options[0].cloneNode(true) : new Option("---------", "");
      commune.innerHTML = "";
      commune.appendChild(blank);
      if (!province.value) return;
      fetch(province.dataset.communesUrl + "?province=" + encodeURIComponent(province.value), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          data.results.forEach(function (item) { commune.appendChild(new Option(item.label, item.id)); });
        });
    });
  }
})();
