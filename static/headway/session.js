// Warn before an idle session ends and let the person extend it (WCAG 2.2.1).
(function () {
  "use strict";
  const body = document.body;
  const total = Number(body.dataset.sessionSeconds || 0);
  const warning = Number(body.dataset.sessionWarning || 0);
  const dialog = document.getElementById("session-dialog");
  if (!total || !dialog) return;
  const remaining = document.getElementById("session-dialog-remaining");
  const extendButton = document.getElementById("session-extend");
  let deadline = 0;
  let warnTimer = 0;
  let endTimer = 0;
  let tick = 0;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )(?:__Host-)?csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function showRemaining() {
    const seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    remaining.textContent = minutes > 1
      ? remaining.dataset.many.replace("%s", minutes)
      : remaining.dataset.one;
  }

  function signOut() {
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(body.dataset.login + "?next=" + next + "&timeout=1");
  }

  function warn() {
    showRemaining();
    tick = window.setInterval(showRemaining, 15000);
    if (!dialog.open) dialog.showModal();
    extendButton.focus();
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(tick);
    deadline = Date.now() + total * 1000;
    warnTimer = window.setTimeout(warn, (total - warning) * 1000);
    endTimer = window.setTimeout(signOut, total * 1000);
  }

  function extend() {
    fetch(body.dataset.sessionExtend, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status === 401) { signOut(); return; }
      if (dialog.open) dialog.close();
      schedule();
    });
  }

  remaining.dataset.many = remaining.dataset.many || "About %s minutes are left.";
  remaining.dataset.one = remaining.dataset.one || "Less than a minute is left.";
  extendButton.addEventListener("click", extend);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); extend(); });
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
