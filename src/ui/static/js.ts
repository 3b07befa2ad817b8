/**
 * The UI's progressive JavaScript, served at /static/tessera.js. Every page
 * works without it; with it, filters apply as you type or choose, and the
 * ack buttons cannot be pressed twice.
 */
export const JS = String.raw`
(function () {
  'use strict';
  // Filters: selects submit on change; the search box refreshes the results in place.
  document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
    form.querySelectorAll('select, input[type=date]').forEach(function (el) {
      el.addEventListener('change', function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
    });
    var target = form.getAttribute('data-results');
    var search = form.querySelector('input[type=search]');
    if (!search || !target) return;
    var timer = 0, seq = 0;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var params = new URLSearchParams(new FormData(form));
        Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
        var url = form.getAttribute('action') + (params.toString() ? '?' + params : '');
        var mine = ++seq;
        fetch(url, { headers: { 'Accept': 'text/html' } }).then(function (r) { return r.text(); }).then(function (text) {
          if (mine !== seq) return;
          var doc = new DOMParser().parseFromString(text, 'text/html');
          var fresh = doc.querySelector(target), old = document.querySelector(target);
          if (fresh && old) { old.replaceWith(fresh); history.replaceState(null, '', url); }
        }).catch(function () {});
      }, 200);
    });
  });
  // Ack forms: one submission at a time.
  document.querySelectorAll('form.ackform').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      var btn = ev.submitter;
      if (btn && btn.name) {
        var hidden = document.createElement('input');
        hidden.type = 'hidden'; hidden.name = btn.name; hidden.value = btn.value;
        form.appendChild(hidden);
      }
      setTimeout(function () {
        form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
        if (btn) btn.textContent = 'Working…';
      }, 0);
    });
  });
})();
`;
