// Rating pages: autosave through the JSON API, a copy of unsaved input in this browser, and a warning
// before leaving with unsaved input. Progressive enhancement only: without this script the form saves by
// its buttons (and the server keeps input that arrives after the session ended; see views/unsaved.py).
(function () {
  "use strict";
  var form = document.querySelector("form.rating-form");
  if (!form || !window.fetch) { return; }

  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var baseVersion = form.querySelector("[data-base-version]");
  var csrfToken = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var draftKey = form.getAttribute("data-draft-key");
  var DELAY_MS = 2000;
  // As long as the server keeps input across a log-in: a shared school computer should not hold it longer.
  var KEEP_MS = 4 * 3600 * 1000;
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

  // --- a copy of unsaved input in this browser (localStorage, per school, round, criterion and account) ---

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function snapshot() {
    var fields = {};
    indicators().forEach(function (fieldset) {
      var v = valuesOf(fieldset);
      fields[v.id] = { score: v.score, comment: v.comment, seenScore: v.seenScore.value, seenComment: v.seenComment.value };
    });
    return { keptAt: Date.now(), baseVersion: baseVersion.value, fields: fields };
  }

  // Called on every change and after every save: the copy holds the input exactly while it is unsaved.
  function keepDraft() {
    var store = storage();
    if (!store || !draftKey || document.documentElement.hasAttribute("data-logging-out")) { return; }
    try {
      if (pendingChanges()) { store.setItem(draftKey, JSON.stringify(snapshot())); } else { store.removeItem(draftKey); }
    } catch (e) { /* storage full or forbidden: the server-side paths still hold */ }
  }

  function forgetOldDrafts(store) {
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (key && key.indexOf("selfeval:") === 0) {
        var entry = null;
        try { entry = JSON.parse(store.getItem(key)); } catch (e) { entry = null; }
        if (!entry || !(Date.now() - entry.keptAt < KEEP_MS)) { store.removeItem(key); }
      }
    }
  }

  function changedIn(kept) {
    return kept && (kept.score !== kept.seenScore || kept.comment !== kept.seenComment);
  }

  // Only the fields the person changed count: the others may show a colleague's newer values.
  function showsSameInput(entry) {
    var same = true;
    indicators().forEach(function (fieldset) {
      var v = valuesOf(fieldset);
      var kept = entry.fields[v.id];
      if (changedIn(kept) && (kept.score !== v.score || kept.comment !== v.comment)) { same = false; }
    });
    return same;
  }

  // The person's changes go back into the form. Where the page still shows what they had seen, they apply
  // to the current version; where a colleague changed the same indicator meanwhile, the form names the old
  // version and what the person had seen, so that saving shows both (the usual conflict) instead of overwriting.
  function applyDraft(entry) {
    var overlap = false;
    indicators().forEach(function (fieldset) {
      var v = valuesOf(fieldset);
      var kept = entry.fields[v.id];
      if (changedIn(kept) && (kept.seenScore !== v.seenScore.value || kept.seenComment !== v.seenComment.value)) {
        overlap = true;
      }
    });
    indicators().forEach(function (fieldset) {
      var v = valuesOf(fieldset);
      var kept = entry.fields[v.id];
      if (!changedIn(kept)) { return; }
      var radio = fieldset.querySelector('input[name="' + v.id + '-score"][value="' + kept.score + '"]');
      if (radio) { radio.checked = true; }
      fieldset.querySelector('textarea[name="' + v.id + '-comment"]').value = kept.comment;
      if (overlap) {
        v.seenScore.value = kept.seenScore;
        v.seenComment.value = kept.seenComment;
      }
    });
    if (overlap) { baseVersion.value = entry.baseVersion; }
  }

  function restoreDraft() {
    var store = storage();
    if (!store || !draftKey || document.documentElement.hasAttribute("data-logging-out")) { return; }
    forgetOldDrafts(store);
    var entry = null;
    try { entry = JSON.parse(store.getItem(draftKey)); } catch (e) { entry = null; }
    if (!entry || !entry.fields) { return; }
    // The page already shows this input (saved meanwhile, kept by the server, or a conflict page): keep it current.
    if (showsSameInput(entry)) { keepDraft(); return; }
    applyDraft(entry);
    say("Ihre Eingaben von " + time(new Date(entry.keptAt)) + " Uhr sind aus diesem Browser wiederhergestellt, " +
        "aber noch nicht gespeichert. Prüfen Sie sie und klicken Sie auf „Entwurf speichern“.");
  }

  function serverAnswered() {
    document.dispatchEvent(new CustomEvent("selfeval:server-contact"));
  }

  function time(at) {
    var now = at || new Date();
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
        serverAnswered();
        baseVersion.value = String(result.body.version);
        markSaved(changes);
        keepDraft();
        say("Automatisch gespeichert um " + time() + " Uhr.");
        if (pendingChanges()) { schedule(); }
      } else if (result.status === 412) {
        serverAnswered();
        stopped = true;
        say("Jemand anderes hat die Bewertung inzwischen geändert. Ihre Eingaben sind noch da: " +
            "Klicken Sie auf „Entwurf speichern“, um beide Stände zu vergleichen.");
      } else if (result.status === 409) {
        // The round was closed or the assessment submitted meanwhile: the form's save shows the input to copy.
        serverAnswered();
        stopped = true;
        say(result.body.error.message + " Ihre Eingaben sind nicht gespeichert, stehen aber noch im Formular: " +
            "Klicken Sie auf „Entwurf speichern“, dann sehen Sie, was geschehen ist, und können sie kopieren.");
      } else if (result.status === 401 || result.status === 400) {
        // 401: the session ended; 400: its CSRF token is from an older session (a new log-in in another tab).
        stopped = true;
        say("Ihre Sitzung ist abgelaufen, daher wurde nicht automatisch gespeichert. Ihre Eingaben sind noch da " +
            "und in diesem Browser gesichert: Klicken Sie auf „Entwurf speichern“, melden Sie sich neu an, " +
            "dann sehen Sie sie wieder.");
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

  function changed() {
    keepDraft();
    schedule();
  }

  // After the session's idle time no autosave can succeed: the form's own save keeps the input instead.
  document.addEventListener("selfeval:session-ended", function () {
    stopped = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  restoreDraft();
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (saving && form.requestSubmit && event.submitter) {
      event.preventDefault();
      resubmitWith = event.submitter;
      say("Wird gespeichert …");
      return;
    }
    submitting = true;
    keepDraft();  // until the next page shows it saved (or kept by the server)
    if (timer) { clearTimeout(timer); timer = null; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && pendingChanges()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
