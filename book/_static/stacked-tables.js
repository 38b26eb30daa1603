/* Tables of sentences on a phone: the rows of a table inside a ".scicollab-stacked" container
   (scicollab.report.stacked) read as cards there, each cell under its column's name, instead
   of columns a few words wide that scroll sideways. This names each cell after its column
   (data-label, shown by scicollab.css below 576 px) and keeps the table's roles, which
   screen readers would lose once the rows are no longer laid out as a table. */
(function () {
  "use strict";

  function label(table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      th.setAttribute("role", "columnheader");
      return th.textContent.trim();
    });
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          cell.setAttribute("role", "cell");
          if (names[index]) cell.setAttribute("data-label", names[index]);
        });
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".scicollab-stacked table"), label);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
