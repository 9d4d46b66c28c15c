// recallkit: keyboard shortcuts for the review queue and focus after htmx swaps.
// One key per decision (the buttons carry data-key); u undoes, n asks for the next line.
(function () {
  "use strict";
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" && el.type !== "radio" && el.type !== "checkbox" ||
      tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }
  document.addEventListener("keydown", function (ev) {
    if (document.body.dataset.page !== "review") return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(document.activeElement)) {
      if (ev.key === "Escape") document.activeElement.blur();
      return;
    }
    var key = ev.key.length === 1 ? ev.key : null;
    if (!key) return;
    var button = document.querySelector('button[data-key="' + CSS.escape(key) + '"]') ||
      document.querySelector('button[data-key="' + CSS.escape(key.toLowerCase()) + '"]');
    if (button && !button.disabled) {
      ev.preventDefault();
      button.click();
    }
  });
  // After a new line arrives, put the focus on its heading so a screen reader reads it
  // and the keys keep working.
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail && ev.detail.target && ev.detail.target.id === "review") {
      var h = document.getElementById("item-heading");
      if (h) h.focus();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.dataset.page === "review") {
      var h = document.getElementById("item-heading");
      if (h) h.focus();
    }
  });
})();
