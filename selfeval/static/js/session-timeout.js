// Rating pages: a warning a few minutes before the session's idle timeout, with one button to continue
// (WCAG 2.2.1). The timeout itself stays: this only renews the session when the person asks for it.
// rating.js reports every answer of the server ("selfeval:server-contact"), since any request renews the session.
(function () {
  "use strict";
  var form = document.querySelector("form[data-session-idle-seconds]");
  var box = document.querySelector("[data-session-warning]");
  if (!form || !box || !window.fetch) { return; }

  var idleMs = parseInt(form.getAttribute("data-session-idle-seconds"), 10) * 1000;
  var url = form.getAttribute("data-keep-alive-url");
  var text = box.querySelector("[data-session-warning-text]");
  var button = box.querySelector("[data-session-extend]");
  var csrfToken = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  // Five minutes ahead; with a short idle time (a test setting) halfway through it.
  var leadMs = Math.min(5 * 60 * 1000, idleMs / 2);
  var lastContact = Date.now();
  var warnTimer = null;
  var endTimer = null;
  var ended = false;

  function clock(ms) {
    var at = new Date(ms);
    return String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0");
  }

  function show(message, withButton) {
    box.classList.add("notice", "notice--warning");
    text.textContent = message;
    button.hidden = !withButton;
  }

  function hide() {
    box.classList.remove("notice", "notice--warning");
    button.hidden = true;
  }

  function warn() {
    show("Ihre Sitzung endet um " + clock(lastContact + idleMs) + " Uhr, wenn bis dahin nichts gespeichert wird. " +
         "Ihre Eingaben bleiben in jedem Fall erhalten.", true);
  }

  function end() {
    ended = true;
    show("Ihre Sitzung ist abgelaufen. Ihre Eingaben sind noch da und in diesem Browser gesichert: " +
         "Klicken Sie auf „Entwurf speichern“, melden Sie sich neu an, dann sehen Sie sie wieder.", false);
    document.dispatchEvent(new CustomEvent("selfeval:session-ended"));
  }

  function arm() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, idleMs - leadMs));
    endTimer = setTimeout(end, idleMs);
  }

  function contact() {
    if (ended) { return; }
    lastContact = Date.now();
    hide();
    arm();
  }

  button.addEventListener("click", function () {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { end(); return; }
      contact();
      text.textContent = "Die Sitzung ist verlängert.";
      // The button is gone: focus the message, not the page's start.
      text.focus();
    }).catch(function () {
      show("Die Sitzung konnte nicht verlängert werden (keine Verbindung?). Ihre Eingaben bleiben erhalten.", true);
    });
  });

  document.addEventListener("selfeval:server-contact", contact);
  arm();
})();
