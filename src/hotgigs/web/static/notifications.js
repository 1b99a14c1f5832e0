// The notification center's preference table: one PUT with every type's two channels.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-preferences]");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector("[data-error]");
    error.textContent = "";
    const preferences = [...form.querySelectorAll("tr[data-type]")].map((row) => ({
      type: row.dataset.type,
      in_app: row.querySelector('input[name="in_app"]').checked,
      browser: row.querySelector('input[name="browser"]').checked,
    }));
    try {
      await window.HotGigs.api("PUT", "/api/notifications/preferences", { preferences });
      window.HotGigs.toast("Preferences saved.");
    } catch (exc) {
      error.textContent = exc.message;
    }
  });
});
