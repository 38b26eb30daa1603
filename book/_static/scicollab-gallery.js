// The Regions page: the search box above the table of economies shows only the rows whose
// text contains what is typed (name or ISO3 code, case and accents ignored).
document.addEventListener("DOMContentLoaded", () => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  for (const input of document.querySelectorAll("input.scicollab-filter")) {
    const table = document.querySelector(`table.${input.dataset.target}`);
    if (!table) continue;
    const rows = [...table.tBodies[0].rows];
    input.addEventListener("input", () => {
      const wanted = fold(input.value.trim());
      for (const row of rows) {
        row.hidden = wanted !== "" && !fold(row.textContent).includes(wanted);
      }
    });
  }
});
