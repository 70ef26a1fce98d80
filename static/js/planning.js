/* "Add agencies" (templates/cases/operations/participant_form.html): the search box
   filters the list of agencies as you type; ticked agencies always stay in view. */
(function () {
  "use strict";

  function filterList(input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) {
      return;
    }
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    list.querySelectorAll("[data-filter-text]").forEach(function (row) {
      var text = row.getAttribute("data-filter-text");
      var ticked = row.querySelector("input[type=checkbox]:checked");
      var match = ticked || words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    var count = document.querySelector("[data-filter-count]");
    if (count) {
      var ticked = list.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = shown + (shown === 1 ? " agency" : " agencies") + " shown, " + ticked + " ticked";
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-filter-list]")) {
      filterList(event.target);
    }
  });
  document.addEventListener("change", function (event) {
    // Choosing a role or a staff count ticks the agency: one click fewer.
    var row = event.target.closest(".tf-agency-row");
    if (row && !event.target.matches("input[type=checkbox]")) {
      var box = row.querySelector("input[type=checkbox]");
      if (box && !box.checked && event.target.value !== "") {
        box.checked = true;
      }
    }
    var input = document.querySelector("[data-filter-list]");
    if (input && row) {
      filterList(input);
    }
  });
  // Enter in the search box filters; it does not send the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-filter-list]")) {
      event.preventDefault();
    }
  });
})();
