/* Accessibility repairs of widgets Django's admin draws with its own scripts
   (loaded by agencies/templates/admin/base_site.html).

   - Autocomplete boxes (select2): the combobox is named by the chosen item only, so an empty
     one has no name at all (axe "aria-input-field-name"). It is named by its field's label too.
   - The search icon of the two-list chooser (filter_horizontal) carries an aria-label on a
     plain <span>, where ARIA does not allow one (axe "aria-prohibited-attr"): it becomes an image
     with that name.
   - The search box of a list is named "Search".

   Both widgets are drawn after the page loads, and again when an inline row is added, so the
   repairs run whenever the page changes. */
(function () {
  "use strict";

  function nameComboboxes(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.dataset.tfNamed) return;
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!label) return;
      if (!label.id) label.id = select.id + "-label";
      var rendered = box.getAttribute("aria-labelledby");
      box.setAttribute("aria-labelledby", rendered ? label.id + " " + rendered : label.id);
      // The text box inside it (the chosen item, or an empty placeholder) is named by the label.
      var text = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (text) text.setAttribute("aria-labelledby", label.id);
      box.dataset.tfNamed = "1";
    });
  }

  function fixSearchIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // A list's search box is labelled by a magnifier image only; where Django ties a help text to
  // it, axe finds no visible label ("label-title-only"). It is named "Search" outright.
  function nameSearchBox() {
    var box = document.getElementById("searchbar");
    if (box && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", "Search");
  }

  function repair() {
    nameComboboxes(document);
    fixSearchIcons(document);
    nameSearchBox();
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      repair();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", repair);
  window.addEventListener("load", repair);
})();
