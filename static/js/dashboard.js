// The exposure dashboard: draws each chart from its json_script data with plotly.js (in its
// narrow layout where the chart is narrower than the figure's layout.meta.wide_from, again when
// the window crosses that width), follows a bar's link to the case list on click, and keeps
// empty filters out of shared URLs.
// No inline scripts or handlers anywhere (strict Content-Security-Policy).
(function () {
  "use strict";

  // Only same-site paths ("/cases/?…") are followed, whatever a figure carries.
  function sitePath(value) {
    return typeof value === "string" && value.charAt(0) === "/" && value.charAt(1) !== "/"
      ? value
      : "";
  }

  function followBar(event) {
    var point = event && event.points && event.points[0];
    var path = point ? sitePath(point.customdata) : "";
    if (path) {
      window.location.assign(path);
    }
  }

  var figures = new WeakMap();

  function layoutFor(element, figure) {
    var meta = figure.layout.meta || {};
    return meta.narrow && element.clientWidth < (meta.wide_from || 0) ? "narrow" : "wide";
  }

  // The figure as this element's width wants it: its own layout, or with the keys (and traces)
  // of its narrow layout. layout.meta is ours, not plotly's: it is left out.
  function variant(element, figure) {
    var layout = Object.assign({}, figure.layout);
    var meta = layout.meta || {};
    delete layout.meta;
    element.dataset.wideFrom = meta.wide_from || 0;
    element.dataset.layout = layoutFor(element, figure);
    if (element.dataset.layout === "wide") {
      return { data: figure.data, layout: layout };
    }
    return {
      data: meta.narrow.data || figure.data,
      layout: Object.assign(layout, meta.narrow.layout),
    };
  }

  function draw(root) {
    if (!window.Plotly || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source || element.classList.contains("js-plotly-plot")) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      figures.set(element, figure);
      var shown = variant(element, figure);
      window.Plotly.newPlot(element, shown.data, shown.layout, figure.config).then(function () {
        element.on("plotly_click", followBar);
        element.classList.add("chart-ready");
      });
    });
  }

  // Redraw the charts whose width crossed their figure's wide_from.
  function fit() {
    document.querySelectorAll(".js-plotly-plot[data-chart]").forEach(function (element) {
      var figure = figures.get(element);
      if (figure && layoutFor(element, figure) !== element.dataset.layout) {
        var shown = variant(element, figure);
        window.Plotly.react(element, shown.data, shown.layout, figure.config);
      }
    });
  }

  var fitting = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(fitting);
    fitting = window.setTimeout(fit, 150);
  });

  // Free the charts htmx is about to replace.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (window.Plotly && target && target.querySelectorAll) {
      target.querySelectorAll(".js-plotly-plot").forEach(function (element) {
        window.Plotly.purge(element);
      });
    }
  });

  // Empty filter fields stay out of the request, and so out of the pushed (shareable) URL.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("[data-dashboard-filters]")) {
      return;
    }
    var data = event.detail.formData;
    var empty = [];
    data.forEach(function (value, name) {
      if (value === "") {
        empty.push(name);
      }
    });
    empty.forEach(function (name) {
      if (data.getAll(name).every(function (value) { return value === ""; })) {
        data.delete(name);
      }
    });
  });

  // htmx calls this for the page when it starts and for every fragment it swaps in.
  if (window.htmx) {
    window.htmx.onLoad(draw);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  }
})();
