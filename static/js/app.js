/* Page behaviour for the case tracker. No inline script anywhere: a strict
   Content-Security-Policy applies, so everything lives in static files. */
(function () {
  "use strict";

  // Take keyboard and screen-reader users straight to the list of form errors.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector(".tf-error-summary");
    if (summary) {
      summary.focus();
    }
  }

  // <button data-fill-target="id_field" data-fill-value="..."> fills a field
  // (used by "choose this person" in the contact form's person search).
  function onClick(event) {
    var button = event.target.closest("[data-fill-target]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var field = document.getElementById(button.getAttribute("data-fill-target"));
    if (field) {
      field.value = button.getAttribute("data-fill-value");
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var label = document.getElementById(button.getAttribute("data-fill-label-target") || "");
    if (label) {
      label.textContent = button.getAttribute("data-fill-label") || "";
    }
    var reveal = document.getElementById(button.getAttribute("data-reveal") || "");
    if (reveal) {
      reveal.hidden = false;
    }
    var hide = document.getElementById(button.getAttribute("data-hide") || "");
    if (hide) {
      hide.hidden = true;
    }
    var focus = document.getElementById(button.getAttribute("data-focus") || "");
    if (focus) {
      focus.focus();
    }
  }

  // List filters sit folded on a phone and open beside the list on a desktop.
  function openFiltersOnWideScreens() {
    if (window.matchMedia && window.matchMedia("(min-width: 64em)").matches) {
      document.querySelectorAll("details.tf-filters").forEach(function (d) { d.open = true; });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    openFiltersOnWideScreens();
  });
  document.addEventListener("click", onClick);
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
