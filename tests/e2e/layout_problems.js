// The layout problems a reader would see on the dashboard (tests/e2e/test_dashboard.py), as a
// list of sentences; evaluated in the page by Playwright.
() => {
  const box = (e) => { const r = e && e.getBoundingClientRect(); return r && r.width && r.height ? r : null; };
  const out = (r, edge) =>
    r.left < edge.left - 1 || r.right > edge.right + 1 || r.top < edge.top - 1 || r.bottom > edge.bottom + 1;
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const found = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) found.push(`page scrolls sideways: ${page.scrollWidth} > ${page.clientWidth}`);
  document.querySelectorAll(".chart-plot.js-plotly-plot").forEach((plot) => {
    const chart = plot.closest(".chart").id;
    const edge = box(plot.querySelector("svg.main-svg"));
    const titles = [...plot.querySelectorAll("g.annotation")].filter((g) => !g.closest(".cartesianlayer"))
      .map((g) => [`title "${g.textContent}"`, box(g)]);
    titles.push([`chart title "${(plot.querySelector(".gtitle") || {}).textContent}"`, box(plot.querySelector(".gtitle"))]);
    titles.push(["legend", box(plot.querySelector("g.legend .bg"))]);
    plot.querySelectorAll("g.infolayer g[class$='title'] text").forEach((t) => {
      if (!t.closest(".gtitle") && t.textContent) titles.push([`axis title "${t.textContent}"`, box(t)]);
    });
    const labels = titles.filter(([, r]) => r);
    const ticks = [];
    plot.querySelectorAll("g.subplot").forEach((subplot) => {
      const name = [...subplot.classList].find((c) => c !== "subplot");
      for (const letter of ["x", "y"]) {
        subplot.querySelectorAll(`g.${letter}axislayer-above g.${letter}tick text`).forEach((t) => {
          const r = box(t);
          if (r) ticks.push([`${name}.${letter}`, t.textContent, r]);
        });
      }
    });
    const areas = [...plot.querySelectorAll("g.draglayer > g")].map((g) => [g.getAttribute("class"), box(g.querySelector("rect.nsewdrag"))]).filter(([, r]) => r);
    labels.forEach(([a, ra], i) => {
      if (out(ra, edge)) found.push(`${chart}: ${a} cut off`);
      labels.slice(i + 1).forEach(([b, rb]) => { if (meet(ra, rb)) found.push(`${chart}: ${a} and ${b} overlap`); });
    });
    ticks.forEach(([axis, a, ra], i) => {
      if (out(ra, edge)) found.push(`${chart}: ${axis} "${a}" cut off`);
      ticks.slice(i + 1).forEach(([other, b, rb]) => { if (meet(ra, rb)) found.push(`${chart}: ${axis} "${a}" overlaps ${other} "${b}"`); });
      labels.forEach(([b, rb]) => { if (meet(ra, rb)) found.push(`${chart}: ${axis} "${a}" overlaps ${b}`); });
      areas.forEach(([name, rb]) => { if (name !== axis.split(".")[0] && meet(ra, rb)) found.push(`${chart}: ${axis} "${a}" inside plot ${name}`); });
    });
  });
  // A word of a table cell split over two lines ("Indetermi / nate"): the tables scroll instead.
  // (A line may break after a hyphen, as in "2026-11-" / "10".)
  document.querySelectorAll("table.data.compact :is(th, td)").forEach((cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width).map((r) => Math.round(r.top)));
        if (lines.size > 1) found.push(`table cell word "${match[0]}" broken over ${lines.size} lines`);
      }
    }
  });
  return found;
}
