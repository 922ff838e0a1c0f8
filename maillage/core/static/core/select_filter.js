// Progressive enhancement: a long <select data-filterable> gets a box above it that keeps only
// the options whose text holds what is typed (case and accents folded). Without JavaScript
// the list stays whole, grouped and sorted, and the keyboard's type-ahead still works.
const fold = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

document.querySelectorAll("select[data-filterable]").forEach((select) => {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "fr-input fr-mb-1w";
  box.id = `${select.id}-filter`;
  box.setAttribute("aria-controls", select.id);
  box.setAttribute("aria-label", select.dataset.filterable);
  box.placeholder = select.dataset.filterable;
  select.before(box);
  box.addEventListener("input", () => {
    const wanted = fold(box.value.trim());
    select.querySelectorAll("option").forEach((option) => {
      option.hidden = Boolean(option.value) && !fold(option.text).includes(wanted);
    });
  });
});
