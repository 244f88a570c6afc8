// salesops front-end glue. Loaded as a file: the CSP allows no inline script.
(function () {
  "use strict";
  // Confirm dangerous actions: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // Charts: <div class="chart-box" data-chart='{"...echarts option..."}'>; echarts loaded by the page.
  function drawCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.dataset.drawn) { return; }
      box.dataset.drawn = "1";
      var chart = window.echarts.init(box);
      chart.setOption(JSON.parse(box.getAttribute("data-chart")));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
})();
