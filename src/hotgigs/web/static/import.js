// Resume import pages: drop files, upload them, follow each resume live until it is done.
"use strict";

(() => {
  const { api, el } = window.HotGigs;
  const STAGES = {
    queued: "Waiting in the queue",
    extracting: "Reading the file",
    parsing: "Finding skills, jobs and schools",
    indexing: "Adding to the candidate database",
    completed: "Done",
    failed: "Failed",
  };
  const { FINISHED, follow, dropzone, tooLarge } = window.HotGigsUpload;

  function paint(bar, stage, status) {
    const progress = status.status === "completed" ? 100 : Number(status.progress) || 0;
    bar.querySelector("span").style.width = `${progress}%`;
    bar.setAttribute("aria-valuenow", String(progress));
    bar.classList.toggle("done", status.status === "completed");
    bar.classList.toggle("failed", status.status === "failed");
    stage.textContent = status.status;
    stage.className = `pill status-${status.status}`;
  }

  function single(root) {
    const maxMb = Number(root.dataset.maxMb);
    const box = root.querySelector("[data-status]");
    const bar = box.querySelector("[data-progress]");
    const stage = box.querySelector("[data-stage]");
    const detail = box.querySelector("[data-detail]");
    const error = box.querySelector("[data-error]");
    const open = box.querySelector("[data-open]");
    const link = box.querySelector("[data-open-link]");

    let duplicate = false; // a file imported before: say so and stay, with a link
    const show = (status) => {
      paint(bar, stage, status);
      detail.textContent = status.status === "failed" ? "" : STAGES[status.status] || status.status;
      if (duplicate) detail.textContent = "This file was imported before: nothing new was added.";
      error.textContent = status.status === "failed" ? status.error || "The resume could not be imported." : "";
      if (status.status === "completed" && status.candidate_id) {
        link.href = `/candidates/${status.candidate_id}`;
        open.hidden = false;
        if (duplicate) return;
        detail.textContent = "Done: opening the profile…";
        setTimeout(() => window.location.assign(link.href), 1200);
      }
    };

    dropzone(root, async (files) => {
      if (!files.length) return;
      const file = files[0];
      box.hidden = false;
      open.hidden = true;
      duplicate = false;
      root.querySelector("[data-file-name]").textContent = file.name;
      const refused = files.length > 1 ? "Drop one file here; use Bulk upload for several." : tooLarge(file, maxMb);
      if (refused) {
        show({ status: "failed", progress: 0, error: refused });
        return;
      }
      show({ status: "queued", progress: 0 });
      detail.textContent = "Uploading…";
      const form = new FormData();
      form.append("file", file);
      try {
        const accepted = await api("POST", "/api/resumes/upload", form);
        duplicate = Boolean(accepted.duplicate);
        if (FINISHED.has(accepted.status)) show(accepted);
        else follow(accepted.resume_id, show);
      } catch (exc) {
        show({ status: "failed", progress: 0, error: exc.message });
      }
    });
  }

  function bulk(root) {
    const maxMb = Number(root.dataset.maxMb);
    const limit = Number(root.dataset.bulkLimit);
    const error = root.querySelector("[data-error]");
    const results = document.querySelector("[data-results]");
    const list = results.querySelector("[data-files]");
    const counts = results.querySelector("[data-counts]");
    const summary = document.querySelector("[data-summary]");
    let rows = [];

    const row = (name) => {
      const stage = el("span", { class: "pill status-queued" }, "waiting");
      const bar = el("div", { class: "progress", role: "progressbar", "aria-label": `Progress of ${name}`, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" }, el("span"));
      const detail = el("p", { class: "small muted" }, "Uploading…");
      const item = el("li", { "data-file": name }, el("div", { class: "row between" }, el("strong", {}, name), stage), bar, detail);
      list.append(item);
      return { name, item, stage, bar, detail, state: "uploading" };
    };

    const tally = () => {
      const by = (state) => rows.filter((r) => r.state === state).length;
      const finished = by("completed") + by("failed") + by("duplicate");
      counts.textContent = `${finished} of ${rows.length} finished`;
      if (finished === rows.length) {
        summary.hidden = false;
        summary.querySelector('[data-sum="completed"]').textContent = String(by("completed"));
        summary.querySelector('[data-sum="duplicates"]').textContent = String(by("duplicate"));
        summary.querySelector('[data-sum="failed"]').textContent = String(by("failed"));
      }
    };

    const settle = (r, status, text) => {
      paint(r.bar, r.stage, status);
      r.detail.className = status.status === "failed" ? "small form-error" : "small muted";
      r.detail.replaceChildren(text);
      if (status.status === "completed" && status.candidate_id) {
        r.detail.append(" · ", el("a", { href: `/candidates/${status.candidate_id}` }, "Open profile"));
      }
      if (FINISHED.has(status.status) && r.state !== "duplicate") r.state = status.status;
      tally();
    };

    dropzone(root, async (files) => {
      error.textContent = "";
      if (!files.length) return;
      if (files.length > limit) {
        error.textContent = `At most ${limit} files at once (${files.length} were chosen).`;
        return;
      }
      summary.hidden = true;
      results.hidden = false;
      list.replaceChildren();
      rows = files.map((file) => row(file.name));
      const form = new FormData();
      const sent = [];
      files.forEach((file, index) => {
        const refused = tooLarge(file, maxMb);
        if (refused) settle(rows[index], { status: "failed", progress: 0 }, refused);
        else { form.append("files", file); sent.push(rows[index]); }
      });
      tally();
      if (!sent.length) return;
      try {
        const answer = await api("POST", "/api/resumes/bulk-upload", form);
        answer.items.forEach((item, index) => {
          const r = sent[index];
          if (item.error) { settle(r, { status: "failed", progress: 0 }, item.error); return; }
          if (item.duplicate) {
            r.state = "duplicate";
            settle(r, { status: item.status, progress: 100 }, "Imported before: kept the existing resume.");
            return;
          }
          r.state = "processing";
          settle(r, { status: item.status, progress: 0 }, STAGES[item.status] || item.status);
          follow(item.resume_id, (status) => {
            const text = status.status === "failed" ? status.error || "Could not be imported." : STAGES[status.status] || status.status;
            settle(r, status, text);
          });
        });
      } catch (exc) {
        for (const r of sent) settle(r, { status: "failed", progress: 0 }, exc.message);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-import]");
    if (!root) return;
    if (root.dataset.import === "bulk") bulk(root);
    else single(root);
  });
})();
