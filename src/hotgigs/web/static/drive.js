// Google Drive pages: connect (OAuth consent), "Sync now", edit a sync, and live run results.
// The server renders every sync; to show news this script fetches the same page again and
// swaps its [data-syncs] part, so there is one way a sync looks.
"use strict";

(() => {
  const { api, toast, formatTime, onNotification } = window.HotGigs;
  const POLL_MS = 3000;
  // Syncs started from this page: id -> how many runs they had; news is a run beyond that.
  const expecting = new Map();
  let timer = null;
  let loading = null;

  function localTimes(root) {
    for (const node of root.querySelectorAll("time[data-local-time]")) {
      const text = formatTime(node.getAttribute("datetime"));
      if (text) node.textContent = text;
    }
  }

  function drawBars(root) {
    for (const bar of root.querySelectorAll("[data-width]")) {
      bar.style.width = `${Math.max(0, Math.min(100, Number(bar.dataset.width) || 0))}%`;
    }
  }

  /** Whether something on the page is still expected to change. */
  function waiting() {
    return expecting.size > 0 || document.querySelector("[data-sync][data-pending]") !== null;
  }

  function settle() {
    for (const [id, runs] of expecting) {
      const card = document.querySelector(`[data-sync="${CSS.escape(id)}"]`);
      if (!card) expecting.delete(id);
      else if (Number(card.dataset.runs) > runs && !card.hasAttribute("data-pending")) expecting.delete(id);
    }
  }

  /** Fetch this page again and put its fresh syncs in place of the shown ones. */
  async function refresh() {
    if (loading) return loading;
    // Never swap a form away while someone edits a sync; the next poll tries again.
    if (document.querySelector("[data-sync-edit]:not([hidden])")) return null;
    loading = (async () => {
      try {
        const response = await fetch(location.pathname + location.search, {
          credentials: "same-origin", headers: { Accept: "text/html" },
        });
        if (!response.ok || response.redirected) return;
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const incoming = fresh.querySelector("[data-syncs]");
        const current = document.querySelector("[data-syncs]");
        if (!incoming || !current) return;
        // Keep open "Earlier runs" panels open across the swap.
        const open = [...current.querySelectorAll("[data-sync] details[open]")]
          .map((d) => d.closest("[data-sync]").dataset.sync);
        const node = document.importNode(incoming, true);
        for (const id of open) node.querySelector(`[data-sync="${CSS.escape(id)}"] details`)?.setAttribute("open", "");
        current.replaceWith(node);
        localTimes(node);
        drawBars(node);
        settle();
      } catch {
        // Offline for a moment: the next poll or notification tries again.
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  function poll() {
    clearTimeout(timer);
    timer = null;
    if (!waiting()) return;
    timer = setTimeout(async () => {
      await refresh();
      poll();
    }, POLL_MS);
  }

  async function connect(button) {
    const error = button.parentElement.querySelector("[data-connect-error]");
    if (error) error.textContent = "";
    button.disabled = true;
    try {
      const { url } = await api("GET", "/api/google-drive/auth/url");
      window.location.assign(url);
    } catch (exc) {
      if (error) error.textContent = exc.message;
      else toast(exc.message);
      button.disabled = false;
    }
  }

  async function syncNow(button) {
    const id = button.dataset.syncNow;
    const card = document.querySelector(`[data-sync="${CSS.escape(id)}"]`);
    button.disabled = true;
    try {
      await api("POST", `/api/google-drive/syncs/${encodeURIComponent(id)}/sync`);
      expecting.set(id, Number(card?.dataset.runs || 0));
      toast("Sync started: the results appear here when it finishes.");
      if (card) card.setAttribute("data-pending", "");
      poll();
    } catch (exc) {
      toast(exc.message);
    } finally {
      // The next refresh draws the button again; on the detail page it sits outside it.
      setTimeout(() => { button.disabled = false; }, POLL_MS);
    }
  }

  /** Show or hide a sync's edit form; hiding it puts back the values it was drawn with. */
  function toggleEdit(button, open) {
    const form = document.getElementById(button.getAttribute("aria-controls"));
    if (!form) return;
    form.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      form.elements.folder_name.focus();
      form.elements.folder_name.select();
    } else {
      form.reset();
      const error = form.querySelector("[data-error]");
      if (error) error.textContent = "";
      button.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTimes(document);
    document.addEventListener("click", (event) => {
      const connectButton = event.target.closest("[data-connect]");
      if (connectButton) connect(connectButton);
      const edit = event.target.closest("[data-edit-sync]");
      if (edit) toggleEdit(edit, edit.getAttribute("aria-expanded") !== "true");
      const cancel = event.target.closest("[data-edit-cancel]");
      if (cancel) {
        const form = cancel.closest("[data-sync-edit]");
        const opener = document.querySelector(`[aria-controls="${CSS.escape(form.id)}"]`);
        if (opener) toggleEdit(opener, false);
      }
      const now = event.target.closest("[data-sync-now]");
      if (now && !now.disabled) syncNow(now);
    });
    onNotification(async (message) => {
      // The greeting too: a run may have finished while this page was loading.
      if (message.type === "drive_sync_completed" || (message.type === "connected" && waiting())) {
        await refresh();
        poll();
      }
    });
    poll();
  });
})();
