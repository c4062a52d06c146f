// Reload the preview when the server says the edition changed (templates or config
// were edited).  Polls a tiny endpoint; no connection is held open.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="digest-version"]');
  var current = meta ? meta.content : "";
  function check() {
    fetch("/version", { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (version) {
        if (version && version !== current) { window.location.reload(); }
      })
      .catch(function () { /* the server is restarting: try again later */ })
      .finally(function () { window.setTimeout(check, 1000); });
  }
  window.setTimeout(check, 1000);
})();
