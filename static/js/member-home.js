/* The member's home: tell the server which suggested needs were shown (the funnel's "viewed"
   step), once, by posting the page's hidden form; a GET never writes. No dependencies. */
(function () {
  "use strict";
  var form = document.getElementById("suggestions-seen");
  if (!form || !window.fetch) return;
  fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" }).catch(function () {});
})();
