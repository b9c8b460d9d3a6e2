// The household viewer's only script: the pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move the keyboard and screen reader focus to a problem the page reports.
  const problem = document.querySelector("[data-focus]");
  if (problem) {
    problem.focus();
  }
  // A genogram wider than the screen scrolls: start with the child in view.
  const drawing = document.querySelector(".genogram .drawing");
  const child = drawing && drawing.querySelector(".index-outline");
  if (child) {
    const box = child.getBoundingClientRect();
    const frame = drawing.getBoundingClientRect();
    drawing.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
  }
  // A print button, shown only where it can work.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
