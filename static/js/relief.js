/* Asking for relief: Continued Presence is requested by a federal agency only, so while it is
   chosen the other agencies cannot be picked. Without this script the server says so instead. */
(function () {
  "use strict";

  function update(select, kinds) {
    var continued = false;
    kinds.forEach(function (radio) {
      if (radio.checked && radio.value === "continued_presence") { continued = true; }
    });
    select.querySelectorAll('optgroup[data-federal="no"]').forEach(function (group) {
      group.disabled = continued;
    });
    var chosen = select.options[select.selectedIndex];
    if (continued && chosen && chosen.parentNode.getAttribute("data-federal") === "no") {
      select.value = "";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("[data-relief-agency]");
    var kinds = Array.prototype.slice.call(document.querySelectorAll("[data-relief-kind]"));
    if (!select || !kinds.length) { return; }
    kinds.forEach(function (radio) {
      radio.addEventListener("change", function () { update(select, kinds); });
    });
    update(select, kinds);
  });
})();
