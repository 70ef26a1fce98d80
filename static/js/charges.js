/* Charges of a detention: "Add another charge" adds a block in place, "Remove this charge"
   marks one to leave out. Without this script both still work through the server. */
(function () {
  "use strict";

  function setUp(box) {
    var prefix = box.getAttribute("data-prefix");
    var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var max = box.querySelector("#id_" + prefix + "-MAX_NUM_FORMS");
    var list = box.querySelector("[data-charge-list]");
    var template = box.querySelector("template[data-charge-template]");
    var add = box.querySelector("[data-charge-add]");
    var status = box.querySelector("[data-charge-status]");
    if (!total || !list || !template || !add) {
      return;
    }
    // A plain button now, so Enter in a field saves the form rather than adding a block.
    add.type = "button";
    add.removeAttribute("name");
    add.addEventListener("click", function () {
      var count = parseInt(total.value, 10) || 0;
      if (max && count >= (parseInt(max.value, 10) || 0)) {
        if (status) { status.textContent = "No more charges can be added."; }
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(count)).replace(/__number__/g, String(count + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var block = holder.firstElementChild;
      list.appendChild(block);
      total.value = String(count + 1);
      var first = block.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
      if (status) { status.textContent = "Charge " + (count + 1) + " added."; }
    });
    box.addEventListener("change", function (event) {
      if (!event.target.matches("[data-charge-remove]")) {
        return;
      }
      var block = event.target.closest("[data-charge]");
      if (block) {
        block.classList.toggle("is-removed", event.target.checked);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-charges]").forEach(setUp);
  });
})();
