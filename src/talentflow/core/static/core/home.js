// The officer home chart. The figures are also in the tables beside it, which stay the only
// view when JavaScript or ECharts is unavailable.
(function () {
  "use strict";
  var el = document.getElementById("talent-chart");
  var source = document.getElementById("talent-chart-data");
  if (!el || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  el.hidden = false;
  var tables = document.querySelector("details.chart-tables");
  if (tables) tables.open = false;
  var chart = echarts.init(el);

  function show(key) {
    var series = data[key];
    if (!series) return;
    chart.setOption(
      {
        color: ["#0d6efd"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: series.labels, inverse: true },
        series: [
          { type: "bar", data: series.values, barMaxWidth: 28, label: { show: true, position: "right" } },
        ],
      },
      true
    );
  }

  var switcher = document.querySelector("[data-chart-switch]");
  if (switcher) {
    switcher.classList.remove("d-none");
    switcher.addEventListener("change", function (e) {
      if (e.target && e.target.value) show(e.target.value);
    });
    var checked = switcher.querySelector("input:checked");
    show(checked ? checked.value : "title_level");
  } else {
    show("title_level");
  }
  window.addEventListener("resize", function () { chart.resize(); });
})();
