// Candidate pages: upload my resume and follow it live, edit my details, look for new matches.
"use strict";

(() => {
  const MATCH_POLL_MS = 3000;
  const MATCH_WAIT_MS = 60000;
  const STAGES = {
    uploading: "Uploading…",
    queued: "Waiting for a free worker…",
    extracting: "Reading the file…",
    parsing: "Understanding your resume…",
    indexing: "Building your profile…",
    completed: "Done. Loading your profile…",
    failed: "Your resume could not be read.",
  };
  const { FINISHED } = window.HotGigsUpload;

  /** The drop zone, the upload and the live status of the resume being processed. */
  function setUpUpload(box) {
    const zone = box.querySelector("[data-dropzone]");
    const panel = box.querySelector("[data-status]");
    const stage = box.querySelector("[data-stage]");
    const bar = box.querySelector("[data-progress]");
    const detail = box.querySelector("[data-detail]");
    const error = box.querySelector("[data-error]");
    const maxMb = Number(box.dataset.maxMb || 10);
    let stopFollowing = null;

    function show(status, progress, message) {
      panel.hidden = false;
      stage.textContent = status;
      stage.className = `pill status-${FINISHED.has(status) || status === "queued" ? status : "processing"}`;
      const percent = Math.max(0, Math.min(100, Number(progress) || 0));
      bar.setAttribute("aria-valuenow", String(percent));
      bar.classList.toggle("done", status === "completed");
      bar.classList.toggle("failed", status === "failed");
      bar.firstElementChild.style.width = `${percent}%`;
      detail.textContent = message || STAGES[status] || status;
    }

    function follow(resumeId, filename) {
      if (stopFollowing) stopFollowing();
      box.querySelector("[data-file-name]").textContent = filename || "Your resume";
      zone.hidden = true;
      const finish = (body) => {
        if (body.status === "completed") {
          show("completed", 100);
          setTimeout(() => window.location.reload(), 700);
        } else {
          show("failed", body.progress, "");
          error.textContent = body.error || STAGES.failed;
          zone.hidden = false;
        }
      };
      stopFollowing = window.HotGigsUpload.follow(resumeId, (body) => {
        if (FINISHED.has(body.status)) finish(body);
        else show(body.status, body.progress);
      });
    }

    async function upload(file) {
      error.textContent = "";
      if (!file) return;
      const refused = window.HotGigsUpload.tooLarge(file, maxMb);
      if (refused) {
        error.textContent = refused;
        return;
      }
      box.querySelector("[data-file-name]").textContent = file.name;
      show("uploading", 0);
      zone.hidden = true;
      const form = new FormData();
      form.append("file", file);
      try {
        const answer = await HotGigs.api("POST", "/api/resumes/upload", form);
        if (answer.duplicate && FINISHED.has(answer.status)) {
          zone.hidden = false;
          show(answer.status, 100, answer.status === "completed"
            ? "You uploaded this same file before: your profile already shows it."
            : "You uploaded this same file before and it could not be read. Try another format.");
          return;
        }
        show(answer.status, answer.progress);
        follow(answer.resume_id, answer.filename || file.name);
      } catch (exc) {
        panel.hidden = true;
        zone.hidden = false;
        error.textContent = exc.message;
      }
    }

    window.HotGigsUpload.dropzone(box, (files) => upload(files[0]));
    // The page was opened while a resume was still being processed: pick it up.
    if (box.dataset.resumeId) {
      show(box.dataset.status, box.dataset.progress);
      follow(box.dataset.resumeId, box.dataset.filename);
    }
  }

  /** Buttons that show and hide a panel (the profile form). */
  function toggle(button) {
    const target = document.getElementById(button.dataset.toggle);
    if (!target) return;
    target.hidden = !target.hidden;
    for (const control of document.querySelectorAll(`[aria-controls="${target.id}"]`)) {
      control.setAttribute("aria-expanded", String(!target.hidden));
    }
    if (!target.hidden) target.querySelector("input, select, textarea")?.focus();
  }

  /** Wait for my matches to change (a rematch running in the background), then reload. */
  function watchMatches(candidateId, { forMs, onGiveUp }) {
    const root = document.querySelector("[data-my-matches]");
    const shown = {
      total: Number(root?.dataset.total || 0),
      best: root?.dataset.best ? Number(root.dataset.best) : -1,
    };
    const until = Date.now() + forMs;
    const timer = setInterval(async () => {
      try {
        const page = await HotGigs.api("GET", `/api/matching/candidates/${candidateId}/matches?limit=1`);
        const best = page.items.length ? page.items[0].score : -1;
        if (page.total !== shown.total || Math.abs(best - shown.best) > 0.01) {
          clearInterval(timer);
          window.location.reload();
          return;
        }
      } catch { /* retried on the next tick */ }
      if (Date.now() > until) {
        clearInterval(timer);
        if (onGiveUp) onGiveUp();
      }
    }, MATCH_POLL_MS);
  }

  function setUpRematch(button) {
    const status = document.querySelector("[data-rematch-status]");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await HotGigs.api("POST", `/api/matching/candidates/${button.dataset.rematchMe}/rematch`);
        status.textContent = "Matching you against every open job. This page updates when something changes.";
        status.hidden = false;
        watchMatches(button.dataset.rematchMe, {
          forMs: MATCH_WAIT_MS,
          onGiveUp: () => {
            status.textContent = "Your matches are up to date.";
            button.disabled = false;
          },
        });
      } catch (exc) {
        HotGigs.toast(exc.message);
        button.disabled = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const box of document.querySelectorAll("[data-upload]")) setUpUpload(box);
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-toggle]");
      if (button) toggle(button);
    });
    for (const button of document.querySelectorAll("button[data-rematch-me]")) setUpRematch(button);
    // A profile just made is matched in the background: show its first matches when they come.
    const waiting = document.querySelector("[data-my-matches][data-waiting]");
    if (waiting) watchMatches(waiting.dataset.candidateId, { forMs: 2 * MATCH_WAIT_MS });
  });
})();
