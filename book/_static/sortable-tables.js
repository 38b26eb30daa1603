/* Sortable tables: every table of a page's content with at least MIN_ROWS rows gets a button in
   each column header; pressing it sorts the rows by that column (numbers as numbers, text by
   the reader's locale), pressing again reverses the order. The header carries aria-sort so
   that screen readers announce the order. No library, no network. */
(function () {
  "use strict";
  var MIN_ROWS = 6;
  var NUMBER = /[-+\u2212]?\d[\d,]*(?:\.\d+)?/;

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function asNumber(text) {
    var found = text.replace(/\u2212/g, "-").match(NUMBER);
    return found ? parseFloat(found[0].replace(/,/g, "")) : NaN;
  }

  function isEmpty(text) {
    return text === "" || text === "\u2013" || text === "-";
  }

  function numericColumn(rows, index) {
    var seen = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = cellValue(rows[i], index);
      if (isEmpty(text)) continue;
      if (isNaN(asNumber(text)) || /^[A-Za-z]/.test(text)) return false;
      seen++;
    }
    return seen > 0;
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = numericColumn(rows, index);
    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (isEmpty(x) !== isEmpty(y)) return isEmpty(x) ? 1 : -1;  // gaps always last
      var order = numeric ? asNumber(x) - asNumber(y) : collator.compare(x, y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < MIN_ROWS) return;
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "scicollab-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, th, index); });
    });
    table.classList.add("scicollab-sortable");
  }

  function addStyle() {
    var style = document.createElement("style");
    style.textContent =
      "button.scicollab-sort{all:unset;cursor:pointer;font-weight:inherit;}" +
      "button.scicollab-sort > p{display:inline;margin:0;}" +
      "button.scicollab-sort:focus-visible{outline:2px solid currentColor;outline-offset:2px;}" +
      "th[aria-sort='ascending'] button.scicollab-sort::after{content:' \\25B2';}" +
      "th[aria-sort='descending'] button.scicollab-sort::after{content:' \\25BC';}" +
      "th[aria-sort='none'] button.scicollab-sort::after{content:' \\2195';opacity:.45;}";
    document.head.appendChild(style);
  }

  function start() {
    var root = document.querySelector("main") || document.body;
    var tables = root.querySelectorAll("table");
    if (!tables.length) return;
    addStyle();
    Array.prototype.forEach.call(tables, makeSortable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
