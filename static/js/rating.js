// Rating pages: autosave through the JSON API and a warning before leaving with unsaved input.
// Progressive enhancement only: without this script the form saves by its buttons.
(function () {
  "use strict";
  var form = document.querySelector("form.rating-form");
  if (!form || !window.fetch) { return; }

  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var baseVersion = form.querySelector("[data-base-version]");
  var csrfToken = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var DELAY_MS = 2000;
  var timer = null;
  var saving = false;
  var stopped = false;
  var submitting = false;
  var resubmitWith = null;  // the button pressed while an autosave was on its way

  function say(text) { if (status) { status.textContent = text; } }

  function indicators() { return form.querySelectorAll("fieldset[data-indicator]"); }

  function valuesOf(fieldset) {
    var id = fieldset.getAttribute("data-indicator");
    var checked = fieldset.querySelector('input[name="' + id + '-score"]:checked');
    return {
      id: id,
      score: checked ? checked.value : "",
      comment: fieldset.querySelector('textarea[name="' + id + '-comment"]').value.replace(/\r\n?/g, "\n"),
      seenScore: fieldset.querySelector('input[name="' + id + '-seen_score"]'),
      seenComment: fieldset.querySelector('input[name="' + id + '-seen_comment"]')
    };
  }

  // Only what differs from what the page showed is sent: the same rule the server uses.
  function pendingChanges() {
    var changes = {};
    var count = 0;
    indicators().forEach(function (fieldset) {
      var v = valuesOf(fieldset);
      var change = {};
      if (v.score !== v.seenScore.value) { change.score = v.score === "" ? null : parseInt(v.score, 10); }
      if (v.comment !== v.seenComment.value.replace(/\r\n?/g, "\n")) { change.comment = v.comment; }
      if (Object.keys(change).length) { changes[v.id] = change; count += 1; }
    });
    return count ? changes : null;
  }

  function markSaved(sent) {
    indicators().forEach(function (fieldset) {
      var v = valuesOf(fieldset);
      var change = sent[v.id];
      if (!change) { return; }
      if ("score" in change) { v.seenScore.value = change.score === null ? "" : String(change.score); }
      if ("comment" in change) { v.seenComment.value = change.comment; }
    });
  }

  function time() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  // A save button pressed while an autosave is on its way waits for it: both would be based on
  // the same version, and the form's save would meet the autosave's as a colleague's change.
  function finishSave() {
    saving = false;
    if (resubmitWith) {
      var button = resubmitWith;
      resubmitWith = null;
      form.requestSubmit(button);
    }
  }

  function save() {
    timer = null;
    var changes = pendingChanges();
    if (!changes || saving || stopped || submitting) { return; }
    saving = true;
    say("Wird gespeichert …");
    fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "If-Match": '"' + baseVersion.value + '"',
        "X-CSRFToken": csrfToken
      },
      body: JSON.stringify({ ratings: changes })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 200) {
        baseVersion.value = String(result.body.version);
        markSaved(changes);
        say("Automatisch gespeichert um " + time() + " Uhr.");
        if (pendingChanges()) { schedule(); }
      } else if (result.status === 412) {
        stopped = true;
        say("Jemand anderes hat die Bewertung inzwischen geändert. Ihre Eingaben sind noch da: " +
            "Klicken Sie auf „Entwurf speichern“, um beide Stände zu vergleichen.");
      } else if (result.status === 401) {
        stopped = true;
        say("Ihre Sitzung ist abgelaufen, daher wurde nicht gespeichert. Ihre Eingaben sind noch da: " +
            "Kopieren Sie längere Texte, melden Sie sich neu an und tragen Sie sie wieder ein.");
      } else {
        stopped = true;
        var message = result.body && result.body.error ? result.body.error.message : "";
        say("Automatisches Speichern nicht möglich. " + message +
            " Ihre Eingaben sind noch da: Bitte „Entwurf speichern“ klicken.");
      }
      finishSave();
    }).catch(function () {
      say("Automatisches Speichern fehlgeschlagen (keine Verbindung?). Ihre Eingaben sind noch da.");
      finishSave();
    });
  }

  function schedule() {
    if (stopped) { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    if (saving && form.requestSubmit && event.submitter) {
      event.preventDefault();
      resubmitWith = event.submitter;
      say("Wird gespeichert …");
      return;
    }
    submitting = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && pendingChanges()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
