// Horizontal bar charts of figures per region (the stats pages of calls, appointments and
// recognition). Each <div data-region-bars="ID"> is drawn from the json_script element ID:
// {"regions": [...], "series": [{"name", "values"}]}. Optional data-stack (one stacked bar per
// region) and data-bar-width. The figures are in the page's table too, which stays the only
// view without JavaScript or ECharts.
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-region-bars]").forEach(function (el) {
    var source = document.getElementById(el.dataset.regionBars);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var width = Number(el.dataset.barWidth || 28);
    el.hidden = false;
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.regions, inverse: true },
      series: data.series.map(function (s) {
        var bar = { type: "bar", name: s.name, barMaxWidth: width, data: s.values.map(Number) };
        if (el.dataset.stack) bar.stack = el.dataset.stack;
        return bar;
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
