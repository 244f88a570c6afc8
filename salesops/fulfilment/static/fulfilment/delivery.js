// Delivery forms: a field marked data-show-when="<name>=<value>" shows only while the form's field
// <name> holds that value (the outbound's vehicle and driver, for the company's own car). Loaded as a
// file (the CSP allows no inline script); without it every field shows.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (input) {
      var rule = input.getAttribute("data-show-when").split("=");
      var source = form.elements[rule[0]];
      var box = input.closest(".mb-3") || input;
      box.hidden = Boolean(source) && source.value !== rule[1];
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) { return; }
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
