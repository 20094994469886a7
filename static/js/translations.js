// Multilingual forms: hide the translation group of the language the text is written in (it is
// the text itself). Without JavaScript every group shows and the server ignores that one.
(function () {
  "use strict";
  document.querySelectorAll("fieldset[data-translations-of]").forEach(function (fieldset) {
    var form = fieldset.form || fieldset.closest("form");
    var select = form && form.elements[fieldset.dataset.translationsOf];
    if (!select) { return; }
    function sync() {
      fieldset.querySelectorAll("details[data-translation-language]").forEach(function (group) {
        group.hidden = group.dataset.translationLanguage === select.value;
      });
    }
    select.addEventListener("change", sync);
    sync();
  });
})();
