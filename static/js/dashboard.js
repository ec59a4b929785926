/* Year overview charts (Chart.js from static/vendor, no CDN).
 *
 * Every figure comes from the server's JSON endpoints already rounded; this file only draws them.
 * Meaning never rests on colour alone: each series has its own fill pattern and luminance, every
 * bar carries its value as text, and the rule lines (40% / 60% / 30%) are dashed and labelled, so
 * a greyscale print reads the same as the screen.
 */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.Chart) { return; }
  root.classList.add("js");

  var INK = "#212529";
  var base = root.dataset.chartBase;
  var charts = {};

  Chart.defaults.font.family = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  Chart.defaults.color = INK;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 22;
  Chart.defaults.plugins.legend.labels.boxHeight = 14;

  // ---------------------------------------------------------------- fills

  function pattern(kind, fg, bg) {
    var size = 10, c = document.createElement("canvas");
    c.width = c.height = size;
    var g = c.getContext("2d");
    g.fillStyle = bg;
    g.fillRect(0, 0, size, size);
    g.strokeStyle = fg;
    g.fillStyle = fg;
    g.lineWidth = 1.6;
    g.beginPath();
    if (kind === "diagonal" || kind === "cross") {
      g.moveTo(0, size); g.lineTo(size, 0);
      g.moveTo(-2, 2); g.lineTo(2, -2);
      g.moveTo(size - 2, size + 2); g.lineTo(size + 2, size - 2);
    }
    if (kind === "cross") {
      g.moveTo(0, 0); g.lineTo(size, size);
      g.moveTo(size - 2, -2); g.lineTo(size + 2, 2);
      g.moveTo(-2, size - 2); g.lineTo(2, size + 2);
    }
    if (kind === "horizontal") { g.moveTo(0, size / 2); g.lineTo(size, size / 2); }
    g.stroke();
    if (kind === "dots") { g.beginPath(); g.arc(size / 2, size / 2, 1.8, 0, Math.PI * 2); g.fill(); }
    return g.createPattern(c, "repeat");
  }

  // Dark with light hatching vs light with dark dots: apart in colour, in grey and in texture.
  var FILL = {
    traditional: pattern("diagonal", "#ffffff", "#8c1c24"),
    innovative: pattern("dots", "#1b4f80", "#dbe8f5"),
    certifiable: pattern("cross", "#ffffff", "#2f5d3a"),
    rest: pattern("horizontal", "#adb5bd", "#f8f9fa"),
    tranche1: pattern("diagonal", "#ffffff", "#495057"),
    tranche2: pattern("dots", "#212529", "#dee2e6"),
    funnel: "#6c757d",
    fields: [pattern("diagonal", "#ffffff", "#1b4f80"), pattern("dots", "#1b4f80", "#dbe8f5"),
             pattern("cross", "#495057", "#f8f9fa")]
  };

  // ---------------------------------------------------------------- plugins

  // Dashed, labelled rule lines across the plot (value on the value axis).
  var ruleLines = {
    id: "ruleLines",
    afterDatasetsDraw: function (chart, args, opts) {
      var lines = (opts && opts.lines) || [];
      var ctx = chart.ctx, area = chart.chartArea;
      lines.forEach(function (line, i) {
        var scale = chart.scales[line.scale || "x"];
        if (!scale) { return; }
        var p = scale.getPixelForValue(line.value);
        ctx.save();
        ctx.strokeStyle = INK;
        ctx.lineWidth = 2;
        ctx.setLineDash(line.dash || [6, 4]);
        ctx.beginPath();
        if (scale.isHorizontal()) { ctx.moveTo(p, area.top - 4); ctx.lineTo(p, area.bottom); }
        else { ctx.moveTo(area.left, p); ctx.lineTo(area.right, p); }
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.font = "bold 12px " + Chart.defaults.font.family;
        ctx.fillStyle = INK;
        if (scale.isHorizontal()) {
          ctx.textAlign = line.align || "center";
          ctx.textBaseline = "bottom";
          ctx.fillText(line.label, p + (line.align === "left" ? 4 : line.align === "right" ? -4 : 0), area.top - 6 - (line.row || 0) * 14);
        } else {
          ctx.textAlign = "right";
          ctx.textBaseline = "bottom";
          ctx.fillText(line.label, area.right - 2, p - 3);
        }
        ctx.restore();
      });
    }
  };

  // Each bar's value as text, on a white box so it reads over any pattern.
  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, horizontal = chart.options.indexAxis === "y";
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (!ds.valueLabels || meta.hidden) { return; }
        meta.data.forEach(function (bar, j) {
          var text = ds.valueLabels[j];
          if (!text || ds.data[j] === null) { return; }
          ctx.save();
          ctx.font = "12px " + Chart.defaults.font.family;
          var w = ctx.measureText(text).width + 8, h = 16, x, y;
          if (ds.labelPosition === "center") {
            x = horizontal ? (bar.x + bar.base) / 2 - w / 2 : bar.x - w / 2;
            y = horizontal ? bar.y - h / 2 : (bar.y + bar.base) / 2 - h / 2;
            if (horizontal && Math.abs(bar.x - bar.base) < w) { return; }
          } else if (horizontal) {
            x = Math.max(bar.x, bar.base) + 4; y = bar.y - h / 2;
          } else {
            x = bar.x - w / 2; y = Math.min(bar.y, bar.base) - h - 2;
          }
          ctx.fillStyle = "rgba(255,255,255,0.92)";
          ctx.strokeStyle = INK;
          ctx.lineWidth = 0.6;
          ctx.fillRect(x, y, w, h);
          ctx.strokeRect(x, y, w, h);
          ctx.fillStyle = INK;
          ctx.textAlign = "left";
          ctx.textBaseline = "middle";
          ctx.fillText(text, x + 4, y + h / 2 + 0.5);
          ctx.restore();
        });
      });
    }
  };

  Chart.register(ruleLines, valueLabels);

  // ---------------------------------------------------------------- helpers

  function num(s) { return s === null || s === undefined ? null : parseFloat(s); }
  function yuan(s) { return Number(s).toLocaleString("zh-CN", {minimumFractionDigits: 2, maximumFractionDigits: 2}); }
  // The filters the page was rendered with (not the selects, which may have been changed without
  // applying them), plus the pending projects ticked now.
  function params(withInclude) {
    var p = new URLSearchParams(root.dataset.filters);
    if (withInclude) {
      document.querySelectorAll('input[name="include"]:checked').forEach(function (box) { p.append("include", box.value); });
    }
    return p;
  }
  function fetchChart(name) {
    return fetch(base + name + ".json?" + params(true).toString(), {credentials: "same-origin",
      headers: {"Accept": "application/json"}}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (charts[id]) { charts[id].destroy(); }
    charts[id] = new Chart(canvas, config);
    canvas.dataset.ready = "1";
  }
  function empty(id, text) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    var p = document.createElement("p");
    p.className = "text-muted small mb-0 chart-empty";
    p.textContent = text;
    canvas.parentNode.replaceChild(p, canvas);
  }
  function percentAxis(title) {
    return {min: 0, max: 100, ticks: {callback: function (v) { return v + "%"; }, stepSize: 20},
            title: {display: !!title, text: title}};
  }
  function barStyle(extra) {
    return Object.assign({borderColor: INK, borderWidth: 1, barPercentage: 0.8, categoryPercentage: 0.85}, extra || {});
  }

  // ---------------------------------------------------------------- charts

  function drawPlan(d) {
    var labels = d.bars.map(function (b) { return b.label; });
    draw("chart-plan", {
      type: "bar",
      data: {labels: labels, datasets: [
        barStyle({label: "传统类", data: d.bars.map(function (b) { return num(b.traditional_share); }),
          backgroundColor: FILL.traditional, labelPosition: "center",
          borderWidth: d.bars.map(function (b) { return b.breach ? 3 : 1; }),
          valueLabels: d.bars.map(function (b) { return "传统类 " + b.traditional + " 个（" + b.traditional_pct + "）" + (b.breach ? " 超过上限" : ""); })}),
        barStyle({label: "创新类", data: d.bars.map(function (b) { return num(b.innovative_share); }),
          backgroundColor: FILL.innovative, labelPosition: "center",
          valueLabels: d.bars.map(function (b) { return "创新类 " + b.innovative + " 个（" + b.innovative_pct + "）"; })})
      ]},
      options: {
        indexAxis: "y", layout: {padding: {top: 22, right: 8}},
        scales: {x: Object.assign(percentAxis(), {stacked: true}), y: {stacked: true}},
        plugins: {
          legend: {position: "bottom"},
          tooltip: {callbacks: {label: function (c) { return c.dataset.valueLabels[c.dataIndex]; }}},
          ruleLines: {lines: [{value: num(d.limit), label: "传统类上限 " + d.limit_label + " ｜ 创新类下限 " + d.innovative_floor_label}]}
        }
      }
    });
    draw("chart-certifiable", {
      type: "bar",
      data: {labels: labels, datasets: [
        barStyle({label: "取证工种", data: d.bars.map(function (b) { return num(b.certifiable_share); }),
          backgroundColor: FILL.certifiable, labelPosition: "center",
          valueLabels: d.bars.map(function (b) { return "取证 " + b.certifiable + "/" + b.total + "（" + b.certifiable_pct + "）"; })}),
        barStyle({label: "非取证工种", data: d.bars.map(function (b) { return b.total ? 100 - num(b.certifiable_share) : 0; }),
          backgroundColor: FILL.rest})
      ]},
      options: {
        indexAxis: "y", layout: {padding: {top: 22, right: 8}},
        scales: {x: Object.assign(percentAxis(), {stacked: true}), y: {stacked: true}},
        plugins: {legend: {position: "bottom"}, tooltip: {enabled: false},
                  ruleLines: {lines: [{value: num(d.certifiable_floor), label: "取证工种下限 " + d.certifiable_floor_label}]}}
      }
    });
    updatePlanPanel(d);
  }

  function updatePlanPanel(d) {
    document.querySelectorAll("[data-plan]").forEach(function (cell) {
      var path = cell.dataset.plan.split("."), value = d[path[0]] && d[path[0]][path[1]];
      if (value !== undefined) { cell.textContent = value; }
    });
    var box = document.getElementById("plan-findings");
    if (!box) { return; }
    box.replaceChildren();
    d.findings.forEach(function (f) {
      var div = document.createElement("div");
      div.className = "alert alert-danger small py-2 mb-2";
      div.dataset.testid = "plan-breach";
      var badge = document.createElement("span");
      badge.className = "badge text-bg-warning";
      badge.textContent = f.waivable_label;
      // The message begins with the clause (二（一）1 …).
      div.append(badge, " " + f.message);
      box.appendChild(div);
    });
    if (!d.findings.length && d.on_the_line) {
      var warn = document.createElement("div");
      warn.className = "alert alert-warning small py-2 mb-2";
      warn.dataset.testid = "plan-on-line";
      warn.textContent = "传统类工种占比正好 " + d.limit_label + "（二（一）1 上限）：再增加传统类工种将超过上限（可豁免，须写明理由）。";
      box.appendChild(warn);
    }
  }

  function drawSubsidy(d) {
    if (!d.trades.length) { return empty("chart-subsidy", "本年度（筛选范围内）暂无立项工种。"); }
    var labels = d.trades.map(function (t) { return t.name; });
    function series(category) {
      return d.trades.map(function (t) { return t.category === category ? num(t.share) : null; });
    }
    function texts() {
      return d.trades.map(function (t) { return t.share_pct + (t.off_line ? "（偏离）" : ""); });
    }
    var max = Math.max(100, Math.ceil(Math.max.apply(null, d.trades.map(function (t) { return num(t.share) || 0; })) / 10) * 10);
    draw("chart-subsidy", {
      type: "bar",
      data: {labels: labels, datasets: [
        barStyle({label: "传统类（≤ " + d.traditional_cap_label + "）", data: series("traditional"), backgroundColor: FILL.traditional,
          valueLabels: texts(), borderWidth: d.trades.map(function (t) { return t.off_line ? 3 : 1; })}),
        barStyle({label: "创新类（≥ " + d.innovative_floor_label + "）", data: series("innovative"), backgroundColor: FILL.innovative,
          valueLabels: texts(), borderWidth: d.trades.map(function (t) { return t.off_line ? 3 : 1; })})
      ]},
      options: {
        indexAxis: "y", layout: {padding: {top: 22, right: 70}},
        datasets: {bar: {skipNull: true}},
        scales: {x: Object.assign(percentAxis("补助 ÷ 工种总预算"), {max: max}), y: {ticks: {autoSkip: false}}},
        plugins: {
          legend: {position: "bottom"},
          tooltip: {callbacks: {
            title: function (items) { var t = d.trades[items[0].dataIndex]; return t.name + " · " + t.project; },
            label: function (c) { var t = d.trades[c.dataIndex];
              return t.category_label + "：补助 " + yuan(t.subsidy) + " 元 / 预算 " + yuan(t.budget) + " 元 = " + t.share_pct; }
          }},
          ruleLines: {lines: [
            {value: num(d.traditional_cap), label: "传统类上限 " + d.traditional_cap_label, align: "right"},
            {value: num(d.innovative_floor), label: "创新类下限 " + d.innovative_floor_label, dash: [2, 3], align: "left"}
          ]}
        }
      }
    });
  }

  function drawFunnel(d) {
    draw("chart-funnel", {
      type: "bar",
      data: {labels: d.stages.map(function (s) { return s.label; }), datasets: [
        barStyle({label: "项目数", data: d.stages.map(function (s) { return s.count; }), backgroundColor: FILL.funnel,
          valueLabels: d.stages.map(function (s) { return s.count + " 项"; })})
      ]},
      options: {indexAxis: "y", layout: {padding: {right: 48}},
                scales: {x: {beginAtZero: true, ticks: {precision: 0}}},
                plugins: {legend: {display: false}}}
    });
  }

  function drawPayments(d) {
    if (!d.months.length) { return empty("chart-payments", "本年度（筛选范围内）暂无拨付记录。"); }
    draw("chart-payments", {
      type: "bar",
      data: {labels: d.months.map(function (m) { return m.month; }), datasets: [
        barStyle({label: "首笔", data: d.months.map(function (m) { return num(m.tranche_1); }), backgroundColor: FILL.tranche1}),
        barStyle({label: "剩余", data: d.months.map(function (m) { return num(m.tranche_2); }), backgroundColor: FILL.tranche2,
          valueLabels: d.months.map(function (m) { return yuan(m.total); })})
      ]},
      options: {layout: {padding: {top: 22}},
                scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, grace: "15%",
                         ticks: {callback: function (v) { return (v / 10000).toLocaleString("zh-CN") + " 万"; }}}},
                plugins: {legend: {position: "bottom"},
                          tooltip: {callbacks: {label: function (c) { return c.dataset.label + "：" + yuan(c.raw) + " 元"; }}}}}
    });
  }

  function drawFields(d) {
    draw("chart-fields", {
      type: "bar",
      data: {labels: d.fields.map(function (f) { return f.label; }), datasets: [
        barStyle({label: "工种数", data: d.fields.map(function (f) { return f.count; }), backgroundColor: FILL.fields,
          valueLabels: d.fields.map(function (f) { return f.count + " 个"; })})
      ]},
      options: {indexAxis: "y", layout: {padding: {right: 40}},
                scales: {x: {beginAtZero: true, ticks: {precision: 0}}},
                plugins: {legend: {display: false},
                          tooltip: {callbacks: {label: function (c) { var f = d.fields[c.dataIndex];
                            return f.count + " 个工种，补助 " + yuan(f.subsidy) + " 元"; }}}}}
    });
  }

  var DRAW = {plan: drawPlan, subsidy: drawSubsidy, funnel: drawFunnel, payments: drawPayments, fields: drawFields};

  function load(name) {
    return fetchChart(name).then(DRAW[name]).catch(function () {
      var id = name === "plan" ? "chart-plan" : "chart-" + name;
      empty(id, "图表数据加载失败，请刷新页面。");
    });
  }

  Object.keys(DRAW).forEach(load);

  // Ticking a pending project recomputes only the plan (二（一）and 一（四）), and the export and the
  // address follow, so what is exported or bookmarked is what is on screen.
  document.querySelectorAll('input[name="include"]').forEach(function (box) {
    box.addEventListener("change", function () {
      var query = params(true).toString();
      var link = document.getElementById("export-link");
      if (link) { link.href = root.dataset.export + "?" + query; }
      history.replaceState(null, "", "?" + query);
      load("plan");
    });
  });
})();
