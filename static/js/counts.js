// A count's sentence fields show only after a guilty plea or a conviction at trial
// (without scripts they always show; the server refuses a sentence on any other disposition).
(function () {
  "use strict";
  var disposition = document.getElementById("id_disposition");
  var sentence = document.querySelector("[data-sentence-fields]");
  if (!disposition || !sentence) return;
  var CONVICTIONS = ["pleaded_guilty", "convicted"];
  function update() {
    // A sentence refused by the server stays in view with its error.
    var refused = sentence.querySelector(".usa-error-message");
    sentence.hidden = !refused && CONVICTIONS.indexOf(disposition.value) === -1;
  }
  disposition.addEventListener("change", update);
  update();
})();
