// Charts are Chart.js configurations rendered by the server into data-chart; this only hands them over.
function initCharts(root) {
  for (const canvas of root.querySelectorAll("canvas[data-chart]")) {
    if (canvas.dataset.drawn) continue;
    canvas.dataset.drawn = "1";
    new Chart(canvas, JSON.parse(canvas.dataset.chart));
  }
}
initCharts(document);
document.body.addEventListener("htmx:afterSwap", (event) => initCharts(event.detail.target));
