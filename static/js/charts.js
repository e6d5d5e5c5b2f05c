// Draws the charts of the public MCP pages from data the page embeds (json_script). Every chart
// has a table beside it with the same numbers, so nothing depends on this file running.
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function draw() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = data(canvas.dataset.source);
      if (!spec) { return; }
      var kind = canvas.dataset.chart;
      var datasets;
      if (spec.series) {
        datasets = spec.series.map(function (s) {
          return { label: s.label, data: s.values, spanGaps: true,
                   borderColor: s.colour, backgroundColor: s.colour };
        });
      } else {
        datasets = [{ label: canvas.getAttribute("aria-label"), data: spec.values,
                      backgroundColor: spec.colours || undefined }];
      }
      new Chart(canvas, {
        type: kind,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          // Twice as wide as tall: a doughnut drawn as its own square filled the whole column.
          aspectRatio: 2,
          animation: false,
          plugins: { legend: { display: kind === "doughnut" || !!spec.series } },
          scales: kind === "doughnut" ? {} : { y: { beginAtZero: true, max: 100 } }
        }
      });
      canvas.dataset.drawn = "true";
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
