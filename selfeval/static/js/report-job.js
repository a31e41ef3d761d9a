// Polls a report job's progress and updates the bar, the status line and the download link.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section) { return; }
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var download = document.getElementById("job-download");
  var lastAnnounced = -1;

  function describe(job) {
    if (job.state === "done") {
      var text = "Fertig: " + (job.done - job.failed) + " von " + job.total + " Berichten erstellt.";
      return job.failed ? text + " " + job.failed + " Berichte konnten nicht erstellt werden." : text;
    }
    if (job.state === "failed") {
      return "Die Berichte konnten nicht erstellt werden. Bitte versuchen Sie es erneut oder wenden Sie sich an die Verwaltung.";
    }
    return job.done + " von " + job.total + " Berichten erstellt …";
  }

  function update(job) {
    bar.max = job.total;
    bar.value = job.done;
    bar.textContent = job.done + " von " + job.total;
    // Screen readers hear the status at most every tenth of the way, not on every report.
    var step = Math.floor((job.done / Math.max(job.total, 1)) * 10);
    if (job.state !== "running" || step !== lastAnnounced) {
      status.textContent = describe(job);
      lastAnnounced = step;
    }
    if (job.state === "done") { download.hidden = false; }
    if (job.state === "running") { window.setTimeout(poll, 1000); }
  }

  // The job is gone (deleted two hours after it finished, or with its account): say so and stop asking.
  function gone() {
    download.hidden = true;
    status.textContent = "Diesen Auftrag gibt es nicht mehr: Berichte werden zwei Stunden nach ihrer Erstellung gelöscht. " +
      "Bitte starten Sie die Berichte in der Auswertung neu.";
  }

  function poll() {
    fetch(section.getAttribute("data-status-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 404) { return null; }
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (job) { if (job === null) { gone(); } else { update(job); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (bar && status && download) { window.setTimeout(poll, 500); }
})();
