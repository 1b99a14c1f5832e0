// Candidate pages: local times, merging a flagged duplicate (it needs a JSON body), and
// correcting what the parser read on the profile (nested lists: a script of its own).
"use strict";

// Correcting parsed fields. Each form (data-correct="basics" | "work" | "education" |
// "skills") sends only its own part to POST .../corrections. Basics send the fields that
// changed; a list is sent whole, each kept entry with the index it had (`origin`) and only
// its changed keys, so what the form does not show (highlights, summaries) stays and only
// real changes are recorded.
const Corrections = (() => {
  const FLASH = "hotgigs:flash";
  const pristine = new Map();

  const formOf = (key) => document.querySelector(`form[data-correct="${key}"]`);
  const entriesOf = (form) => [...form.querySelectorAll("[data-entries] > [data-entry]")];
  const changed = (field) => field.value !== field.defaultValue;

  function flashLater(message) {
    try { sessionStorage.setItem(FLASH, message); } catch { /* private mode: no toast */ }
  }

  function showFlash() {
    let message = null;
    try {
      message = sessionStorage.getItem(FLASH);
      sessionStorage.removeItem(FLASH);
    } catch { return; }
    if (message) HotGigs.toast(message);
  }

  function open(key) {
    const form = formOf(key);
    if (!form) return;
    // Kept as served, so Cancel can put back removed entries and typed values.
    pristine.set(key, form.cloneNode(true));
    form.hidden = false;
    const view = document.querySelector(`[data-view="${key}"]`);
    if (view) view.hidden = true;
    const button = document.querySelector(`[data-edit="${key}"]`);
    if (button) button.hidden = true;
    const first = form.querySelector("input");
    if (first) first.focus();
    else form.querySelector("[data-add-entry]")?.focus();
  }

  function close(form) {
    const key = form.dataset.correct;
    const fresh = pristine.get(key);
    if (fresh) {
      form.replaceWith(fresh);
      fresh.hidden = true;
    } else {
      form.hidden = true;
    }
    const view = document.querySelector(`[data-view="${key}"]`);
    if (view) view.hidden = false;
    const button = document.querySelector(`[data-edit="${key}"]`);
    if (button) {
      button.hidden = false;
      button.focus();
    }
  }

  /** Number the entries again (legends, labels, remove buttons) after one came or went. */
  function renumber(form) {
    const entries = entriesOf(form);
    entries.forEach((entry, index) => {
      const n = index + 1;
      const legend = entry.querySelector("[data-legend]");
      if (legend) legend.textContent = `${legend.dataset.legend} ${n}`;
      labelRemove(entry, n);
    });
    const none = form.querySelector("[data-none]");
    if (none) none.hidden = entries.length > 0;
  }

  function labelRemove(entry, n) {
    const button = entry.querySelector("[data-remove-entry]");
    if (!button) return;
    const noun = button.dataset.noun || "entry";
    const name = entry.hasAttribute("data-named") ? entry.querySelector("[data-key]").value.trim() : "";
    button.setAttribute("aria-label", `Remove ${name || `${noun} ${n}`}`);
  }

  function blankEntry(form) {
    return form.querySelector("template[data-blank]").content.firstElementChild.cloneNode(true);
  }

  function addEntry(form) {
    const list = form.querySelector("[data-entries]");
    const typed = form.querySelector("[data-add-input]");
    if (!typed) {
      const entry = blankEntry(form);
      list.append(entry);
      renumber(form);
      entry.querySelector("input").focus();
      return true;
    }
    // Skills: each comma-separated name typed in the add box becomes a row.
    const error = form.querySelector("[data-error]");
    error.textContent = "";
    const names = typed.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (!names.length) {
      typed.focus();
      return true;
    }
    const listed = new Set(entriesOf(form).map((e) => e.querySelector("[data-key]").value.trim().toLowerCase()));
    const repeated = [];
    for (const name of names) {
      if (listed.has(name.toLowerCase())) { repeated.push(name); continue; }
      listed.add(name.toLowerCase());
      const entry = blankEntry(form);
      entry.querySelector("[data-key]").value = name;
      list.append(entry);
    }
    renumber(form);
    typed.value = "";
    typed.focus();
    if (repeated.length) {
      error.textContent = `Already listed: ${repeated.join(", ")}.`;
      return false;
    }
    return true;
  }

  function removeEntry(button) {
    const entry = button.closest("[data-entry]");
    const form = entry.closest("form");
    const next = entry.nextElementSibling || entry.previousElementSibling;
    entry.remove();
    renumber(form);
    (next?.querySelector("input") || form.querySelector("[data-add-input]") || form.querySelector("[data-add-entry]"))?.focus();
  }

  /** Basics: the changed fields (location parts grouped); null when nothing changed. */
  function basicsBody(form) {
    const body = {};
    for (const field of form.querySelectorAll("[data-key]")) {
      if (!changed(field)) continue;
      const value = field.value.trim();
      if (field.dataset.group) {
        body[field.dataset.group] = body[field.dataset.group] || {};
        body[field.dataset.group][field.dataset.key] = value;
      } else {
        body[field.dataset.key] = value;
      }
    }
    return Object.keys(body).length ? { basics: body } : null;
  }

  /** A list: every entry left (kept ones with `origin`); null when nothing changed. */
  function listBody(form) {
    const key = form.dataset.correct;
    const items = [];
    let different = false;
    entriesOf(form).forEach((entry) => {
      const item = {};
      const known = entry.dataset.origin !== undefined;
      for (const field of entry.querySelectorAll("[data-key]")) {
        const value = field.value.trim();
        if (known ? changed(field) : value !== "") item[field.dataset.key] = value;
      }
      if (!known && !Object.keys(item).length) return;  // a blank new row is no entry
      different = different || !known || Object.keys(item).length > 0;
      if (known) {
        item.origin = Number(entry.dataset.origin);
        different = different || item.origin !== items.length;  // one above it was removed
      }
      items.push(item);
    });
    different = different || items.length !== Number(form.dataset.count || 0);
    return different ? { [key]: items } : null;
  }

  async function save(form, event) {
    event.preventDefault();
    const error = form.querySelector("[data-error]");
    error.textContent = "";
    // A skill typed in the add box but not added yet is meant to be saved too.
    const typed = form.querySelector("[data-add-input]");
    if (typed && typed.value.trim() && !addEntry(form)) return;
    const body = form.dataset.correct === "basics" ? basicsBody(form) : listBody(form);
    if (!body) {
      HotGigs.toast("Nothing was changed.");
      close(form);
      return;
    }
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      await HotGigs.api("POST", form.dataset.url, body);
      flashLater("Corrections saved.");
      window.location.reload();
    } catch (exc) {
      error.textContent = exc.message;
      submit.disabled = false;
    }
  }

  function setUp() {
    for (const form of document.querySelectorAll("form[data-correct]")) {
      form.dataset.count = String(entriesOf(form).length);
    }
    document.addEventListener("click", (event) => {
      const target = event.target.closest("button");
      if (!target) return;
      if (target.matches("[data-edit]")) open(target.dataset.edit);
      const form = target.closest("form[data-correct]");
      if (!form) return;
      if (target.matches("[data-cancel]")) close(form);
      else if (target.matches("[data-add-entry]")) addEntry(form);
      else if (target.matches("[data-remove-entry]")) removeEntry(target);
    });
    document.addEventListener("submit", (event) => {
      const form = event.target.closest("form[data-correct]");
      if (form) save(form, event);
    });
    document.addEventListener("keydown", (event) => {
      const form = event.target.closest && event.target.closest("form[data-correct]");
      if (!form) return;
      if (event.key === "Escape") close(form);
      else if (event.key === "Enter" && event.target.matches("[data-add-input]")) {
        event.preventDefault();
        addEntry(form);
      }
    });
    document.addEventListener("input", (event) => {
      const entry = event.target.closest && event.target.closest("[data-entry][data-named]");
      if (entry) labelRemove(entry, entriesOf(entry.closest("form")).indexOf(entry) + 1);
    });
    showFlash();
  }

  return { setUp };
})();

document.addEventListener("DOMContentLoaded", () => {
  Corrections.setUp();

  // The server prints UTC; show the reader's own clock.
  for (const node of document.querySelectorAll("time[data-local-time]")) {
    const text = HotGigs.formatTime(node.getAttribute("datetime"));
    if (text) {
      node.title = node.textContent;
      node.textContent = text;
    }
  }

  // Edit shares always may download: the choice is offered for view shares only.
  for (const select of document.querySelectorAll("select[data-share-permission]")) {
    const choice = select.form.querySelector("[data-share-download]");
    const sync = () => {
      const edit = select.value === "edit";
      choice.hidden = edit;
      choice.querySelector("input").disabled = edit;
    };
    select.addEventListener("change", sync);
    sync();
  }

  // On narrow screens the filters start folded, so the results come first.
  const narrow = window.matchMedia("(max-width: 900px)");
  for (const box of document.querySelectorAll("details[data-collapse-narrow]")) {
    if (narrow.matches) box.open = false;
    // Wide screens have room: the filters stay open there.
    box.addEventListener("toggle", () => { if (!narrow.matches && !box.open) box.open = true; });
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-merge]");
    if (!button) return;
    if (!window.confirm("Merge the other profile into this one? Its resumes move here and it is removed.")) return;
    button.disabled = true;
    try {
      await HotGigs.api("POST", button.dataset.merge, { duplicate_id: button.dataset.duplicate });
      window.location.reload();
    } catch (exc) {
      HotGigs.toast(exc.message);
      button.disabled = false;
    }
  });
});
