// Type-ahead pickers (salesops/core/pickers.py). HTMX fetches the results into
// [data-picker-results]; this file shows them, puts a chosen row's id into the hidden
// input and lets the keyboard move through them. Loaded as a file: the CSP allows no inline script.
(function () {
  "use strict";
  if (window.salesopsPicker) { return; }
  window.salesopsPicker = true;

  function parts(element) {
    var box = element.closest("[data-picker]");
    if (!box) { return null; }
    return {
      box: box,
      value: box.querySelector("[data-picker-value]"),
      input: box.querySelector("[data-picker-input]"),
      results: box.querySelector("[data-picker-results]")
    };
  }

  function show(p, open) {
    p.results.classList.toggle("d-none", !open);
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function choose(p, choice) {
    p.value.value = choice.getAttribute("data-value");
    p.input.value = choice.getAttribute("data-label");
    p.input.dataset.chosen = p.input.value;
    show(p, false);
    p.value.dispatchEvent(new Event("change", { bubbles: true }));
    p.input.focus();
  }

  // Results arrived: open the list.
  document.addEventListener("htmx:afterSwap", function (event) {
    var p = parts(event.target);
    if (p && event.target === p.results) { show(p, p.results.children.length > 0); }
  });

  // Typing something else drops the previous choice: the form must not keep a stale id.
  document.addEventListener("input", function (event) {
    var p = event.target.matches("[data-picker-input]") ? parts(event.target) : null;
    if (p && p.input.value !== p.input.dataset.chosen) { p.value.value = ""; }
  });

  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-picker-choice]");
    if (choice) {
      event.preventDefault();
      choose(parts(choice), choice);
      return;
    }
    document.querySelectorAll("[data-picker]").forEach(function (box) {
      if (!box.contains(event.target)) { show(parts(box), false); }
    });
  });

  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p || !p.results) { return; }
    var options = Array.prototype.slice.call(p.results.querySelectorAll("[data-picker-choice]"));
    var at = options.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      show(p, true);
      options[Math.min(at + 1, options.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? p.input : options[at - 1]).focus();
    } else if (event.key === "Escape") {
      show(p, false);
      p.input.focus();
    } else if (event.key === "Enter" && event.target === p.input) {
      // Enter in the box picks the only (or first) match instead of submitting the form.
      if (options.length && !p.results.classList.contains("d-none")) {
        event.preventDefault();
        choose(p, options[0]);
      }
    }
  });

  // A box filled when the page loaded (editing) counts as chosen.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker-input]").forEach(function (input) {
      input.dataset.chosen = input.value;
    });
  });
})();
