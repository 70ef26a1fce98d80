/* The quick contact's service toggles: "Accepted" also marks the service offered, and
   "Offered" turned off clears "Accepted". The server reads accepted as offered anyway,
   so the form records the same without this script. */
(function () {
  "use strict";

  function pair(input, attribute) {
    var service = input.getAttribute(attribute === "data-offered" ? "data-accepted" : "data-offered");
    return document.querySelector("input[" + attribute + "='" + service + "']");
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.hasAttribute("data-accepted") && input.checked) {
      var offered = pair(input, "data-offered");
      if (offered) {
        offered.checked = true;
      }
    } else if (input.hasAttribute("data-offered") && !input.checked) {
      var accepted = pair(input, "data-accepted");
      if (accepted) {
        accepted.checked = false;
      }
    }
  });
})();
