// Tells a reader that a narrow table scrolls sideways: the hint above a table of two or
// three columns is shown only while the table is wider than its region (a table of four
// or more has the hint always; style.css shows hints on narrow screens only).
"use strict";
function showScrollHints() {
  for (const hint of document.querySelectorAll("p[data-if-scrolls]")) {
    const region = hint.nextElementSibling;
    hint.hidden = !(region && region.scrollWidth > region.clientWidth + 1);
  }
}
showScrollHints();
window.addEventListener("resize", showScrollHints);
