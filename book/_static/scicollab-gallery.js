// The Regions page: the search box above the table of economies shows only the rows whose
// text contains what is typed (name or ISO3 code, case and accents ignored), or whose economy
// is also known by it (scicollab-names.js: "South Korea", "Vietnam", "Turkey").
document.addEventListener("DOMContentLoaded", () => {
  const fold = window.scicollabFold;  // from scicollab-names.js, loaded on this page
  const also = window.scicollabNames || {};
  for (const input of document.querySelectorAll("input.scicollab-filter")) {
    const table = document.querySelector(`table.${input.dataset.target}`);
    if (!table) continue;
    const rows = [...table.tBodies[0].rows].map((row) => {
      const name = row.cells[0].textContent.trim();
      return {row, text: fold(row.textContent), names: also[name] || []};
    });
    input.addEventListener("input", () => {
      const wanted = fold(input.value);
      for (const {row, text, names} of rows) {
        row.hidden = wanted !== "" && !text.includes(wanted) &&
          !names.some((other) => other.includes(wanted));
      }
    });
  }
});
