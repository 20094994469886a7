/* Start ReDoc on the API reference page. ReDoc injects its styles at run time: it gives them
   this script's CSP nonce, so the page needs no 'unsafe-inline'. It uses the system fonts. */
(function () {
  "use strict";
  var nonce = document.currentScript && document.currentScript.nonce;
  var container = document.getElementById("redoc-container");
  var options = container.dataset.settings ? JSON.parse(container.dataset.settings) : {};
  if (nonce) options.nonce = nonce;
  options.theme = options.theme || {};
  options.theme.typography = options.theme.typography || {};
  options.theme.typography.fontFamily = options.theme.typography.fontFamily || "system-ui, sans-serif";
  options.theme.typography.headings = options.theme.typography.headings || { fontFamily: "system-ui, sans-serif" };
  window.Redoc.init(container.dataset.specUrl, options, container);
})();
