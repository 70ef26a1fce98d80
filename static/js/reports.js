/* Report pages: draw the charts, copy the press-release paragraph, print.
   Chart data comes from <script type="application/json"> blocks (json_script), so
   no inline script is needed and the Content-Security-Policy can forbid it.
   A hidden (suppressed) count arrives as null and is left out of the chart. */
(function () {
  "use strict";

  // Colours with enough contrast on white, from the USWDS palette.
  var COLOURS = ["#005ea2", "#c05600", "#00a91c", "#8168b3", "#b50909", "#3d4551", "#e5a000", "#0d7ea2"];

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function draw(canvas) {
    var spec = readData(canvas.getAttribute("data-chart"));
    if (!spec || typeof window.Chart === "undefined") { return; }
    var stacked = spec.key === "operations";
    var datasets = spec.datasets.map(function (d, i) {
      return { label: d.label, data: d.data, backgroundColor: COLOURS[i % COLOURS.length],
               borderColor: COLOURS[i % COLOURS.length], borderWidth: 1 };
    });
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      ticks: { precision: spec.percent ? undefined : 0,
               callback: function (v) { return spec.percent ? v + "%" : v; } },
      max: spec.percent ? 100 : undefined
    };
    var labelAxis = { stacked: stacked, ticks: { autoSkip: false } };
    var chart = new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: { filter: function (item) { return item.raw !== null; } }
        }
      }
    });
    canvas.setAttribute("data-rendered", "true");
    canvas.chartInstance = chart;
  }

  function sizeFor(canvas) {
    // Horizontal bar charts grow with their number of bars so labels stay readable.
    var spec = readData(canvas.getAttribute("data-chart"));
    if (spec && spec.horizontal) {
      var bars = spec.labels.length * Math.max(1, spec.datasets.length);
      canvas.parentNode.style.height = Math.max(10, Math.min(40, 3 + bars * 1.6)) + "rem";
    }
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".tf-copy-status");
    if (!target) { return; }
    var text = target.innerText.trim();
    function done(ok) {
      if (status) { status.textContent = ok ? "Summary copied." : "Copy did not work: select the text and copy it."; }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    done(ok);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), function (canvas) {
      sizeFor(canvas);
      draw(canvas);
    });
    document.addEventListener("click", function (event) {
      var copyButton = event.target.closest("[data-copy-target]");
      if (copyButton) { copy(copyButton); }
      if (event.target.closest("[data-print]")) { window.print(); }
    });
    // Charts redraw at paper width when printing (and when print media is emulated).
    function resizeAll() {
      Array.prototype.forEach.call(document.querySelectorAll("canvas[data-rendered]"), function (c) {
        if (c.chartInstance) { c.chartInstance.resize(); }
      });
    }
    window.addEventListener("beforeprint", resizeAll);
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      if (print.addEventListener) { print.addEventListener("change", resizeAll); }
    }
  });
}());
