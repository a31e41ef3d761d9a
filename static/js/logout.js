// Log-out forgets the copies of unsaved rating input that rating.js keeps in this browser (localStorage,
// keys "selfeval:…"): on a computer the staff room shares, nobody who comes next finds a colleague's comments.
// The rating page itself asks before leaving with unsaved input (beforeunload), so logging out is a choice.
(function () {
  "use strict";
  var form = document.querySelector("form[data-logout]");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    // rating.js keeps no new copy from now on (its autosave or the submit of its own form could write one later).
    document.documentElement.setAttribute("data-logging-out", "");
    var store = null;
    try { store = window.localStorage; } catch (e) { return; }
    if (!store) { return; }
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (key && key.indexOf("selfeval:") === 0) { store.removeItem(key); }
    }
  });
})();
