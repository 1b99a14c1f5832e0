// Shared by the upload pages: a drop zone, and following a resume live until it is done.
"use strict";

window.HotGigsUpload = (() => {
  const FINISHED = new Set(["completed", "failed"]);
  const RESUME_TYPES = new Set(["resume_progress", "resume_completed", "resume_failed"]);
  const POLL_MS = 2500;

  /**
   * Call update(status) as the resume moves on: live from the socket, with the status route
   * polled as a safety net (the socket may be reconnecting). Stops by itself once the resume
   * is finished; returns a function that stops it sooner.
   */
  function follow(resumeId, update) {
    let done = false;
    const take = (status) => {
      if (done || !status || !status.status) return;
      if (FINISHED.has(status.status)) {
        done = true;
        stop();
      }
      update(status);
    };
    const unsubscribe = window.HotGigs.onNotification((message) => {
      const data = message.data || {};
      if (RESUME_TYPES.has(message.type) && data.resume_id === resumeId) take(data);
    });
    const timer = setInterval(async () => {
      try {
        take(await window.HotGigs.api("GET", `/api/resumes/${resumeId}/status`));
      } catch { /* the next tick tries again */ }
    }, POLL_MS);
    function stop() {
      done = true;
      unsubscribe();
      clearInterval(timer);
    }
    return stop;
  }

  /** Hand the files dropped on, or chosen in, the root's drop zone to `take(files)`. */
  function dropzone(root, take) {
    const zone = root.querySelector("[data-dropzone]");
    const input = root.querySelector("[data-file-input]");
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      take([...event.dataTransfer.files]);
    });
    input.addEventListener("change", () => { take([...input.files]); input.value = ""; });
  }

  /** The reason a file is refused before it is sent, or null. */
  function tooLarge(file, maxMb) {
    return file.size > maxMb * 1024 * 1024 ? `${file.name} is larger than the ${maxMb} MB limit.` : null;
  }

  return { FINISHED, follow, dropzone, tooLarge };
})();
