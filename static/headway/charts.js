// Draw the Vega-Lite charts of the template explore/_chart.html under the site's strict CSP:
// expressions run in vega-interpreter (no eval or new Function), vega-embed injects no
// <style> element and no tooltip handler, and the SVG is styled from headway.css.
// Each [data-chart] element names the json_script element that holds its spec. If drawing
// fails, its fallback text stays (the numbers are in the table next to it).
(function () {
  "use strict";
  const drawn = new Map(); // container element → vega-embed result, to finalize on removal

  function options() {
    return {
      renderer: "svg",
      actions: false,
      defaultStyle: false,
      tooltip: false,
      ast: true,
      expr: window.vegaInterpreter.expressionInterpreter,
    };
  }

  function fail(container, error) {
    container.dataset.chartState = "failed";
    console.error("Chart " + container.dataset.chart + " could not be drawn:", error);
  }

  function draw(container) {
    if (container.dataset.chartState) return;
    container.dataset.chartState = "drawing";
    let spec;
    try {
      if (!window.vegaEmbed || !window.vegaInterpreter) throw new Error("vega scripts not loaded");
      const source = document.getElementById(container.dataset.chart);
      if (!source) throw new Error("no element #" + container.dataset.chart + " holds the spec");
      spec = JSON.parse(source.textContent);
    } catch (error) {
      fail(container, error);
      return;
    }
    const canvas = document.createElement("div");
    canvas.className = "chart-canvas";
    container.append(canvas);
    window.vegaEmbed(canvas, spec, options()).then(function (result) {
      container.querySelectorAll(".chart-fallback").forEach(function (el) { el.remove(); });
      container.dataset.chartState = "drawn";
      drawn.set(container, result);
    }).catch(function (error) {
      canvas.remove();
      fail(container, error);
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  function forget(event) {
    const result = drawn.get(event.detail.elt);
    if (!result) return;
    result.finalize(); // stops the view's window resize listener
    drawn.delete(event.detail.elt);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  document.addEventListener("htmx:afterSettle", drawAll);
  document.addEventListener("htmx:beforeCleanupElement", forget);
})();
