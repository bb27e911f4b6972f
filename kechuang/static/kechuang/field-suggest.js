// 推荐技术领域: a click on a suggested field selects it in the same form's 技术领域 list.
(function () {
  if (window.kcFieldSuggest) return;
  window.kcFieldSuggest = true;

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-kc-field]");
    if (!button) return;
    const form = button.closest("form");
    const select = form && form.querySelector("select[name=field]");
    if (!select) return;
    select.value = button.dataset.kcField;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const group = button.parentElement;
    group.querySelectorAll("[data-kc-field]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
  });
})();
