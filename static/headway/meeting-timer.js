// The meeting page: count a running section timer up every second. The page works without
// this script (the time shown is the time when the page was loaded); it only keeps it live.
(function () {
  "use strict";
  const timers = document.querySelectorAll("[data-timer-running]");
  if (!timers.length) return;
  const loaded = Date.now();

  function show(timer) {
    const base = Number(timer.dataset.timerSeconds || 0);
    const planned = Number(timer.dataset.timerPlanned || 0) * 60;
    const seconds = base + Math.floor((Date.now() - loaded) / 1000);
    const used = timer.querySelector("[data-timer-used]");
    if (used) {
      used.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
    const over = timer.querySelector("[data-timer-over]");
    if (over && planned && seconds > planned) over.hidden = false;
  }

  window.setInterval(function () { timers.forEach(show); }, 1000);
})();
