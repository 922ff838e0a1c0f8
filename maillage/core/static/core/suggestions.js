// Progressive enhancement: fill a search box's <datalist> as the person types.
// Without JavaScript the box still works as a plain search field.
document.querySelectorAll("input[data-suggestions-url][list]").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (input.value.trim().length < 2) return;
      const url = `${input.dataset.suggestionsUrl}?q=${encodeURIComponent(input.value)}`;
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      if (response.ok) list.innerHTML = await response.text();
    }, 200);
  });
});
