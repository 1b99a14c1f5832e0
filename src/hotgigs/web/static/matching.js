// Matching pages and a profile's matches: show a match's details, mark a match viewed,
// re-run a job's matching, and notice new matches live (match_found over the WebSocket,
// with a poll as the fallback while matching runs).
"use strict";

(() => {
  const POLL_MS = 3000;
  const WAIT_FOR_FIRST_MS = 300000;
  const WAIT_AFTER_RERUN_MS = 60000;

  async function markViewed(button) {
    button.disabled = true;
    try {
      await HotGigs.api("POST", `/api/matching/matches/${button.dataset.markViewed}/viewed`);
      const pill = HotGigs.el("span", { class: "pill ok", role: "status" }, "Viewed");
      const row = button.closest("[data-match-id]");
      row?.querySelector("[data-viewed-pill]")?.removeAttribute("hidden");
      button.replaceWith(pill);
      const viewed = document.querySelector('[data-stat="viewed"]');
      if (viewed) viewed.textContent = String(Number(viewed.textContent) + 1);
    } catch (exc) {
      button.disabled = false;
      HotGigs.toast(exc.message);
    }
  }

  /** A match row's Details button: show or hide the row with its breakdown. */
  function toggleDetails(button) {
    const row = document.getElementById(button.getAttribute("aria-controls"));
    if (!row) return;
    row.hidden = !row.hidden;
    button.setAttribute("aria-expanded", String(!row.hidden));
  }

  /** The dashboard of one job: what it shows, and how it learns that this is out of date. */
  function watchDashboard(root) {
    const jobId = root.dataset.jobId;
    const minScore = Number(root.dataset.minScore) || 0;
    const shown = { total: Number(root.dataset.total), best: root.dataset.best === "" ? -1 : Number(root.dataset.best) };
    const banner = root.querySelector("[data-new-matches]");
    const status = root.querySelector("[data-rematch-status]");
    const waiting = root.querySelector("[data-waiting]");
    let polling = null;

    const outdated = (text) => {
      // Nothing on screen yet: simply show the matches; otherwise do not move the list away.
      if (shown.total === 0) { window.location.reload(); return; }
      root.querySelector("[data-new-matches-text]").textContent = text;
      banner.hidden = false;
      if (status) status.hidden = true;
    };

    async function check() {
      const page = await HotGigs.api(
        "GET", `/api/matching/jobs/${jobId}/matches?limit=1&min_score=${minScore}`);
      const best = page.items.length ? page.items[0].score : -1;
      if (page.total !== shown.total || Math.abs(best - shown.best) > 0.01) {
        const word = page.total === 1 ? "match" : "matches";
        outdated(`Matching finished: ${page.total} ${word}${minScore ? ` scoring ${minScore} or more` : ""}.`);
        return true;
      }
      return false;
    }

    function poll(forMs, onGiveUp) {
      if (polling) clearInterval(polling);
      const until = Date.now() + forMs;
      polling = setInterval(async () => {
        try {
          if (await check()) { clearInterval(polling); polling = null; return; }
        } catch { /* a failed poll is retried on the next tick */ }
        if (Date.now() > until) {
          clearInterval(polling);
          polling = null;
          if (onGiveUp) onGiveUp();
        }
      }, POLL_MS);
    }

    HotGigs.onNotification((message) => {
      if (message.type !== "match_found" || (message.data || {}).job_id !== jobId) return;
      const score = Number(message.data.score) || 0;
      if (score < minScore) return;
      outdated(`New match: ${message.data.candidate_name || "a candidate"} scores ${Math.floor(score)}.`);
    });

    for (const button of document.querySelectorAll("[data-rematch]")) {
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await HotGigs.api("POST", `/api/matching/jobs/${jobId}/rematch`);
          if (status) {
            status.textContent = "Matching again in the background. Changes show up here when it is done.";
            status.hidden = false;
          }
          poll(WAIT_AFTER_RERUN_MS, () => {
            if (status) status.textContent = "No changes so far. Matching may still be running; refresh later.";
            button.disabled = false;
          });
        } catch (exc) {
          HotGigs.toast(exc.message);
          button.disabled = false;
        }
      });
    }

    // A job just posted (or edited) is matched in the background: wait for its first results.
    if (waiting && root.dataset.open === "true") poll(WAIT_FOR_FIRST_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-mark-viewed]");
      if (button) markViewed(button);
      const toggle = event.target.closest("button[data-match-toggle]");
      if (toggle) toggleDetails(toggle);
    });
    const root = document.querySelector("[data-matching]");
    if (root) watchDashboard(root);
  });
})();
