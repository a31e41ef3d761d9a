// The copies of unsaved rating input that rating.js keeps in this browser (localStorage, keys "selfeval:…")
// live only while the input is unsaved:
// - after a save through the form, the next page names the saved criterion's copy (meta "saved-copy"): it goes,
//   so that it can never come back later as "restored" over a colleague's newer values;
// - a log-out deletes every copy: on a computer the staff room shares, nobody who comes next finds a colleague's
//   comments. The rating page itself asks before leaving with unsaved input (beforeunload), so that is a choice.
(function () {
  "use strict";
  var store = null;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }

  function forgetAll() {
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (key && key.indexOf("selfeval:") === 0) { store.removeItem(key); }
    }
  }

  var saved = document.querySelector('meta[name="saved-copy"]');
  if (saved && saved.content.indexOf("selfeval:") === 0) { store.removeItem(saved.content); }
  // The page after a log-out: once more, for a copy the last page's own save wrote after the form's clean-up.
  if (document.querySelector('meta[name="forget-copies"]')) { forgetAll(); }

  var form = document.querySelector("form[data-logout]");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    // rating.js keeps no new copy from now on (its autosave or the submit of its own form could write one later).
    document.documentElement.setAttribute("data-logging-out", "");
    forgetAll();
  });
})();
