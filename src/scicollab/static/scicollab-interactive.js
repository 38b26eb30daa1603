/* scicollab: draw each interactive figure (.sc-interactive) with plotly.js, served from this
   site, and wire its search box. Names come from the figure's data and are only ever set as
   text (textContent, option values), never as HTML. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var base = here ? here.replace(/[^\/]*$/, "") : "";
  var config = {
    responsive: true, displaylogo: false, scrollZoom: false,
    topojsonURL: base + "vendor/topojson/",
    modeBarButtonsToRemove: ["select2d", "lasso2d"]
  };

  function entities(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function index(plot) {
    var found = {};
    plot.data.forEach(function (trace, t) {
      (trace.customdata || []).forEach(function (row, i) {
        var name = row && row[0];
        if (name === undefined || name === null || name === "") { return; }
        name = String(name);
        (found[name] = found[name] || []).push({curveNumber: t, pointNumber: i});
      });
    });
    return found;
  }

  /* The economy a query names: its own name, or one of the other names readers type for it
     (scicollab-names.js: "South Korea", "Vietnam", "Turkey", "USA"); failing that, the one
     name that begins with the query. */
  function match(names, query) {
    var fold = window.scicollabFold;  // from scicollab-names.js
    var q = fold(query);
    if (!q) { return null; }
    var also = window.scicollabNames || {};
    var exact = names.filter(function (n) {
      return fold(n) === q || (also[n] || []).indexOf(q) >= 0;
    });
    if (exact.length) { return exact[0]; }
    var start = names.filter(function (n) {
      return fold(n).indexOf(q) === 0 ||
        (also[n] || []).some(function (a) { return a.indexOf(q) === 0; });
    });
    return start.length === 1 ? start[0] : null;
  }

  function axisValue(axis, value) {
    return axis && axis.type === "log" ? Math.log10(value) : value;
  }

  function show(block, plot, points, name) {
    var status = block.querySelector(".sc-status");
    var traces = [], selected = [];
    plot.data.forEach(function (trace, t) {
      if (!trace.customdata) { return; }
      traces.push(t);
      if (!points) { selected.push(null); return; }
      selected.push(points.filter(function (p) { return p.curveNumber === t; })
                          .map(function (p) { return p.pointNumber; }));
    });
    Plotly.restyle(plot, {selectedpoints: selected}, traces);
    var annotations = [];
    var layout = plot._fullLayout;
    if (points && layout.xaxis && !layout.geo) {
      points.slice(0, 1).forEach(function (p) {
        // the drawn trace: plot.data keeps plotly's compact encoding of numeric arrays
        // ({bdata, dtype}), which only the full trace holds decoded
        var trace = (plot._fullData || [])[p.curveNumber] || plot.data[p.curveNumber];
        annotations.push({
          x: axisValue(layout.xaxis, trace.x[p.pointNumber]),
          y: axisValue(layout.yaxis, trace.y[p.pointNumber]),
          text: "<b>" + entities(name) + "</b>", showarrow: true, arrowhead: 0, ax: 35,
          ay: -35, bgcolor: "#FFFFFF", bordercolor: "#000000", font: {size: 14},
          name: "sc-found"
        });
      });
    }
    Plotly.relayout(plot, {annotations: annotations});
    block.setAttribute("data-found", points ? name : "");
    status.textContent = points ? name + " is highlighted." : "";
    if (points && layout.xaxis && !layout.geo) {
      try { Plotly.Fx.hover(plot, points.slice(0, 1)); } catch (e) { /* hover is a bonus */ }
    }
  }

  function wire(block, plot) {
    var names = index(plot);
    var list = Object.keys(names).sort();
    var datalist = block.querySelector("datalist");
    list.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      datalist.appendChild(option);
    });
    var input = block.querySelector("input[type=search]");
    var status = block.querySelector(".sc-status");
    input.addEventListener("input", function () {
      var name = match(list, input.value);
      if (name) { show(block, plot, names[name], name); return; }
      show(block, plot, null, "");
      if (input.value.trim().length >= 3) {
        status.textContent = "No economy in this figure matches \u201c" + input.value.trim() +
          "\u201d.";
      }
    });
  }

  function draw(block) {
    var figure = JSON.parse(block.querySelector("script.sc-figure").textContent);
    var plot = block.querySelector(".sc-plot");
    var layout = figure.layout || {};
    var width = plot.clientWidth;
    if (layout.geo && width && width < 600) {
      // A map keeps its proportions on a phone: its height follows the width.
      layout.height = Math.round(width * 0.55) + (figure.data.length > 1 ? 150 : 110);
    }
    Plotly.newPlot(plot, figure.data || [], layout, config).then(function () {
      wire(block, plot);
      block.classList.add("sc-ready");
    });
  }

  function start() {
    if (typeof Plotly === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".sc-interactive"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
