// The words of the list pages' table cells (headers included) that a line break cuts in two,
// as sentences; evaluated in the page by Playwright (tests/e2e/test_table_words.py).
// A line may break at a space, after a hyphen ("2026-11-" / "10") and between Chinese
// characters, but not inside a word ("Revi / ewe / r"), and a run of Chinese characters is not
// stacked one character a line ("处 / 理 / 人").
() => {
  const cjk = "\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef";
  const words = new RegExp(`[^\\s\\-${cjk}]+|[${cjk}]{2,}`, "gu");
  const found = [];
  document.querySelectorAll("main table.data :is(th, td)").forEach((cell) => {
    const table = cell.closest("table");
    const column = table.querySelectorAll("thead th")[cell.cellIndex];
    const where = `column "${column ? column.textContent.trim() : cell.cellIndex}"`;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(words)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width).map((r) => Math.round(r.top)));
        const chinese = new RegExp(`^[${cjk}]`, "u").test(match[0]);
        if (chinese ? lines.size > 1 && lines.size >= [...match[0]].length : lines.size > 1) {
          found.push(`${where}: "${match[0]}" broken over ${lines.size} lines`);
        }
      }
    }
  });
  return [...new Set(found)];
}
