// Drag and drop onto the upload form's file field. Without this script the plain file input
// works as it is; with it, a file dropped on the zone is put into that same input.
(function () {
  "use strict";
  function setUp(zone) {
    var input = zone.querySelector('input[type="file"]');
    var hint = zone.querySelector("[data-dropzone-hint]");
    var chosen = zone.querySelector("[data-dropzone-chosen]");
    if (!input) { return; }
    if (hint) { hint.hidden = false; }
    function show() {
      if (chosen) { chosen.textContent = input.files.length ? input.files[0].name : ""; }
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dropzone--over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dropzone--over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) {
        input.files = files;
        show();
      }
    });
    input.addEventListener("change", show);
  }
  document.querySelectorAll("[data-dropzone]").forEach(setUp);
})();
