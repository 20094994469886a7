/* Narrow provinces to the chosen region and communes to the chosen province. The server checks again. */
(function () {
  "use strict";
  function narrow(parent, child, attr) {
    if (!parent || !child) return;
    var apply = function () {
      var value = parent.value;
      Array.prototype.forEach.call(child.options, function (option) {
        var owner = option.getAttribute(attr);
        option.hidden = Boolean(owner && value && owner !== value);
      });
      var selected = child.options[child.selectedIndex];
      if (selected && selected.hidden) child.value = "";
    };
    parent.addEventListener("change", function () { apply(); child.dispatchEvent(new Event("change")); });
    apply();
  }
  // Any select that names the select narrowing it (portal.forms.ProvinceSelect(parent=…)).
  document.querySelectorAll("select[data-narrowed-by]").forEach(function (child) {
    narrow(document.getElementById(child.getAttribute("data-narrowed-by")), child, child.getAttribute("data-narrowed-attr"));
  });
  narrow(document.getElementById("id_region"), document.getElementById("id_province"), "data-region");
  narrow(document.getElementById("id_province"), document.getElementById("id_commune"), "data-province");
})();
