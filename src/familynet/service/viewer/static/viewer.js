// The household viewer's only script: the pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move the keyboard and screen reader focus to a problem the page reports.
  const problem = document.querySelector("[data-focus]");
  if (problem) {
    problem.focus();
  }
  // A print button, shown only where it can work.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
