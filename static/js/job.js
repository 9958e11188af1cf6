// A job's progress bar (templates/meetings/_job_progress.html) follows the job's row:
// the script asks its status URL every second or so until the job is done or failed.
// On the minutes page (data-job-reload) the page reloads once the seal is made.
(() => {
  const FIRST_WAIT_MS = 700;
  const LONGEST_WAIT_MS = 5000;

  function follow(box) {
    const bar = box.querySelector(".progress-bar");
    const meter = box.querySelector(".progress");
    const label = box.querySelector(".job-label");
    const count = box.querySelector(".job-count");
    const message = box.querySelector(".job-message");
    const download = document.getElementById("job-download");
    let wait = FIRST_WAIT_MS;

    function show(status) {
      // Set through the CSSOM: the Content-Security-Policy refuses style attributes.
      bar.style.width = `${status.percent}%`;
      meter.setAttribute("aria-valuenow", String(status.percent));
      label.textContent = status.label;
      count.textContent = status.total > 1 ? `${status.done} / ${status.total}` : "";
      box.dataset.jobState = status.state;
      if (!status.finished) return;
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      bar.classList.add(status.state === "done" ? "bg-success" : "bg-danger");
      if (status.message) {
        message.textContent = status.message;
        message.hidden = false;
      }
      if (download && status.download) {
        download.href = status.download;
        download.hidden = false;
      }
    }

    async function poll() {
      try {
        const response = await fetch(box.dataset.jobStatus, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (response.ok) {
          const status = await response.json();
          show(status);
          if (status.finished) {
            if (status.state === "done" && box.dataset.jobReload) window.location.reload();
            return;
          }
        }
      } catch (error) {
        // The network or the server hiccupped: ask again, a little later.
      }
      wait = Math.min(wait * 1.3, LONGEST_WAIT_MS);
      window.setTimeout(poll, wait);
    }

    bar.style.width = `${box.dataset.jobPercent}%`;
    if (!["done", "failed"].includes(box.dataset.jobState)) window.setTimeout(poll, wait);
  }

  document.querySelectorAll("[data-job-status]").forEach(follow);
})();
