// Candidate pages: local times, and merging a flagged duplicate (it needs a JSON body).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The server prints UTC; show the reader's own clock.
  for (const node of document.querySelectorAll("time[data-local-time]")) {
    const text = HotGigs.formatTime(node.getAttribute("datetime"));
    if (text) {
      node.title = node.textContent;
      node.textContent = text;
    }
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
