/* Behaviour every page shares, bound here rather than in inline attributes (CSP forbids them):
   the language menu submits its form on change; a field marked data-select-on-focus selects
   its text when focused (a token to copy). */
(function () {
  "use strict";
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
