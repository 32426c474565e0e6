// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    try { window.DKFDS.init(); } catch (e) { /* the design system's widgets are optional */ }
  }
  // The navigation's overflow button: DKFDS writes its label in Danish only; the page's language names it.
  const nav = document.querySelector(".navigation-menu .nav[data-more-label]");
  const more = document.querySelector(".navigation-menu .more-button span");
  if (nav && more) more.textContent = nav.dataset.moreLabel;
  // Ask before destructive actions marked data-confirm (erasure, revocation, ending).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // The error summary takes focus, so a screen reader announces it and the keyboard starts there.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  document.querySelectorAll("[data-error-summary] a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
    });
  });
  // Character counters on fields with a limit: the text is never cut, the count says what is over.
  document.querySelectorAll("[data-maxlength]").forEach((input) => {
    const max = parseInt(input.dataset.maxlength, 10);
    const out = document.getElementById(input.id + "-count");
    if (!out) return;
    const template = out.dataset.template || "{n} / {max}";
    const update = () => {
      const n = input.value.length;
      out.textContent = template.replace("{n}", n).replace("{max}", max);
      out.classList.toggle("over", n > max);
    };
    input.addEventListener("input", update);
    update();
  });
  // The person picker: type to narrow the list; a warning when a chosen person is outside the age band.
  document.querySelectorAll("[data-picker]").forEach((picker) => {
    const filter = picker.querySelector(".picker-filter input");
    const items = Array.from(picker.querySelectorAll(".picker-list li"));
    const status = picker.querySelector(".picker-status");
    const warning = picker.querySelector(".picker-warning");
    if (filter) {
      filter.hidden = false;
      filter.closest(".picker-filter").hidden = false;
      filter.addEventListener("input", () => {
        const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        let shown = 0;
        items.forEach((li) => {
          const text = li.textContent.toLowerCase();
          const match = words.every((w) => text.includes(w)) || li.querySelector("input:checked");
          li.hidden = !match;
          if (match) shown += 1;
        });
        if (status) status.textContent = (status.dataset.template || "{n}").replace("{n}", shown);
      });
    }
    const bound = (name) => (picker.dataset[name] ? parseInt(picker.dataset[name], 10) : null);
    const check = () => {
      if (!warning) return;
      const min = bound("ageMin");
      const max = bound("ageMax");
      const outside = Array.from(picker.querySelectorAll("input:checked")).some((input) => {
        const age = input.dataset.age === "" || input.dataset.age === undefined ? null : parseInt(input.dataset.age, 10);
        return age !== null && ((min !== null && age < min) || (max !== null && age > max));
      });
      warning.hidden = !outside;
    };
    picker.addEventListener("change", check);
    // The band of the option chosen in another control (a programme), as that choice changes.
    const source = picker.dataset.bandFrom ? document.getElementById(picker.dataset.bandFrom) : null;
    if (source) {
      source.addEventListener("change", () => {
        const option = source.options[source.selectedIndex];
        ["ageMin", "ageMax"].forEach((name) => {
          if (option && option.dataset[name] !== undefined) picker.dataset[name] = option.dataset[name];
          else delete picker.dataset[name];
        });
        check();
      });
    }
    check();
  });
});
