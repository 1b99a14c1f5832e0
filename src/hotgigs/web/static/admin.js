// Admin pages: share selected candidates, change roles, disable or enable accounts,
// local times in the audit log. Uses HotGigs (app.js) for API calls and DOM building.
"use strict";

(() => {
  const { api, el, toast, formatTime } = window.HotGigs;

  // ---- master database: select candidates and share them ----------------------------
  function setUpSharing() {
    const form = document.querySelector("[data-share-form]");
    if (!form) return;
    const panel = document.querySelector("[data-share-panel]");
    const error = panel.querySelector("[data-error]");
    const button = form.querySelector("[data-share-button]");
    const counter = form.querySelector("[data-selected-count]");
    const all = document.querySelector("[data-select-all]");
    const boxes = () => [...document.querySelectorAll("[data-select]")];
    const chosen = () => boxes().filter((box) => box.checked);

    function refresh() {
      const count = chosen().length;
      counter.textContent = count === 0 ? "No candidates selected"
        : `${count} candidate${count === 1 ? "" : "s"} selected`;
      button.disabled = count === 0;
      if (all) {
        all.checked = count > 0 && count === boxes().length;
        all.indeterminate = count > 0 && count < boxes().length;
      }
      for (const box of boxes()) box.closest("tr").classList.toggle("selected", box.checked);
    }

    document.addEventListener("change", (event) => {
      if (event.target.matches("[data-select]")) refresh();
    });
    all?.addEventListener("change", () => {
      for (const box of boxes()) box.checked = all.checked;
      refresh();
    });

    /** Show a new or changed share in the candidate's row without reloading. */
    function showShare(row, email, permission) {
      const tags = row.querySelector("[data-shares]");
      tags.querySelector("[data-no-shares]")?.remove();
      for (const tag of tags.querySelectorAll(".tag")) {
        if (tag.dataset.email === email || tag.textContent.startsWith(`${email} ·`)) tag.remove();
      }
      tags.append(el("span", { class: "tag new", "data-email": email, title: permission }, `${email} · ${permission}`));
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const select = form.elements.recruiter_id;
      const recruiterId = select.value;
      if (!recruiterId) {
        error.textContent = "Choose the recruiter to share with.";
        select.focus();
        return;
      }
      const email = select.selectedOptions[0].dataset.email;
      const permission = form.elements.permission.value;
      const picked = chosen();
      button.disabled = true;
      const failures = [];
      let shared = 0;
      for (const box of picked) {
        const row = box.closest("tr");
        const name = row.querySelector("a")?.textContent.trim() || "A candidate";
        try {
          await api("POST", "/api/resumes/admin/candidates/share", {
            candidate_id: box.value, recruiter_id: recruiterId, permission,
          });
          shared += 1;
          showShare(row, email, permission);
          box.checked = false;
        } catch (exc) {
          failures.push(`${name}: ${exc.message}`);
        }
      }
      refresh();
      if (shared) toast(`Shared ${shared} candidate${shared === 1 ? "" : "s"} with ${email}.`);
      if (failures.length) error.textContent = failures.join(" ");
    });
    refresh();
  }

  // ---- users: role changes, disable and enable ----------------------------------------
  async function patchUser(userId, body) {
    return api("PATCH", `/api/auth/users/${encodeURIComponent(userId)}`, body);
  }

  function setUpUsers() {
    document.addEventListener("change", async (event) => {
      const select = event.target.closest("[data-user-role]");
      if (!select) return;
      const row = select.closest("tr");
      const previous = select.dataset.current;
      select.disabled = true;
      try {
        const user = await patchUser(select.dataset.userRole, { role: select.value });
        select.dataset.current = user.role;
        toast(`${user.email} is now ${user.role === "admin" ? "an" : "a"} ${user.role}.`);
        row.classList.add("changed");
      } catch (exc) {
        select.value = previous;
        toast(exc.message);
      } finally {
        select.disabled = false;
      }
    });
    document.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-user-active]");
      if (!button) return;
      const active = button.dataset.userActive === "true";
      const email = button.closest("tr").dataset.email;
      if (!active && !window.confirm(`Disable ${email}? They are signed out everywhere at once.`)) return;
      button.disabled = true;
      try {
        await patchUser(button.dataset.userId, { is_active: active });
        toast(active ? `${email} can sign in again.` : `${email} is disabled.`);
        window.location.reload();
      } catch (exc) {
        toast(exc.message);
        button.disabled = false;
      }
    });
  }

  // ---- audit log: times in the reader's time zone -------------------------------------
  function localTimes() {
    for (const node of document.querySelectorAll("time[data-local-time]")) {
      const text = formatTime(node.getAttribute("datetime"));
      if (text) node.textContent = text;
    }
  }

  /** On a phone the filter panel starts closed (unless filters are on), so entries come first. */
  function collapseFiltersOnPhones() {
    const panel = document.querySelector("details[data-collapse-small]");
    if (!panel || panel.closest("[data-filtered]")) return;
    if (window.matchMedia("(max-width: 640px)").matches) panel.open = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    collapseFiltersOnPhones();
    setUpSharing();
    if (document.querySelector("[data-user-row]")) setUpUsers();
    localTimes();
  });
})();
