// Autocomplete widget (kechuang.core.widgets.AutocompleteSelect): htmx fetches the matches,
// this script sends the typed text as ``q`` and copies the chosen option into the hidden input.
(function () {
  if (window.kcAutocomplete) return;
  window.kcAutocomplete = true;

  function box(el) { return el.closest("[data-kc-ac]"); }
  function close(root) {
    root.querySelector("[data-kc-ac-results]").innerHTML = "";
    root.querySelector("[data-kc-ac-input]").setAttribute("aria-expanded", "false");
  }
  function choose(option) {
    const root = box(option);
    root.querySelector("[data-kc-ac-value]").value = option.dataset.value;
    const input = root.querySelector("[data-kc-ac-input]");
    input.value = option.dataset.label;
    close(root);
    input.focus();
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const input = event.detail.elt;
    if (input.matches && input.matches("[data-kc-ac-input]")) {
      event.detail.parameters.q = input.value;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const root = event.target.closest && event.target.closest("[data-kc-ac]");
    if (root) root.querySelector("[data-kc-ac-input]").setAttribute("aria-expanded", "true");
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-kc-ac-input]")) {
      // Typing invalidates the previous choice until an option is picked again.
      box(event.target).querySelector("[data-kc-ac-value]").value = "";
    }
  });
  document.addEventListener("click", function (event) {
    const option = event.target.closest("[data-kc-ac-option]");
    if (option) { choose(option); return; }
    document.querySelectorAll("[data-kc-ac]").forEach(function (root) {
      if (!root.contains(event.target)) close(root);
    });
  });
  document.addEventListener("keydown", function (event) {
    const el = event.target;
    if (!el.closest || !box(el)) return;
    const root = box(el);
    const options = Array.from(root.querySelectorAll("[data-kc-ac-option]"));
    const index = options.indexOf(el);
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      options[Math.min(index + 1, options.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      (index === 0 ? root.querySelector("[data-kc-ac-input]") : options[index - 1]).focus();
    } else if (event.key === "Enter" && el.matches("[data-kc-ac-input]")) {
      event.preventDefault();  // never submit the form from the search box
      if (options.length === 1) choose(options[0]);
    } else if (event.key === "Escape") {
      close(root);
    }
  });
})();
