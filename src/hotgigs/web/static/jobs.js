// The job form: posts or patches the job through the JSON API, then opens its matches.
// Its own script (not a plain data-api form) because what is left out matters here:
// skills left empty are read from the description, and weights nobody touched stay default.
"use strict";

(() => {
  /** Whether a field differs from what the page was served with. */
  function changed(field) {
    if (field.type === "checkbox") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return [...field.options].some((o) => o.selected !== o.defaultSelected);
    return field.value !== field.defaultValue;
  }

  function valueOf(field) {
    if (field.type === "checkbox") return field.checked;
    if (field.dataset.type === "list") return field.value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    if (field.type === "number") return field.value.trim() === "" ? null : Number(field.value);
    return field.value;
  }

  /** The JSON body for the API (see the module comment for what is left out). */
  function bodyOf(form) {
    const creating = form.dataset.mode === "create";
    const body = {};
    const groups = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled || field.type === "submit" || field.type === "button") continue;
      const value = valueOf(field);
      const group = field.dataset.group;
      if (group) {
        groups[group] = groups[group] || { changed: false, values: {} };
        groups[group].values[field.name] = value;
        groups[group].changed = groups[group].changed || changed(field);
        continue;
      }
      if (field.dataset.type === "list" && (creating ? value.length === 0 : !changed(field))) continue;
      if (field.type === "number" && value === null) {
        // The API keeps a value it is sent no number for; 0 means "no minimum" when editing.
        if (creating || !changed(field)) continue;
        body[field.name] = 0;
        continue;
      }
      body[field.name] = value;
    }
    for (const [name, group] of Object.entries(groups)) {
      if (group.changed) body[name] = group.values;
    }
    return body;
  }

  async function submit(form, event) {
    event.preventDefault();
    const error = form.querySelector("[data-error]");
    const button = form.querySelector('[type="submit"]');
    error.textContent = "";
    const title = form.elements.title;
    if (!title.value.trim()) {
      error.textContent = "Give the job a title.";
      title.focus();
      return;
    }
    button.disabled = true;
    try {
      const job = await HotGigs.api(form.dataset.method, form.dataset.url, bodyOf(form));
      window.location.assign(form.dataset.then.replace("{id}", encodeURIComponent(job.id)));
    } catch (exc) {
      error.textContent = exc.message;
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-job-form]")) {
      form.addEventListener("submit", (event) => submit(form, event));
    }
  });
})();
