/* Wide figures on a phone: a static figure keeps its drawn size there (its text stays
   readable) and scrolls sideways inside its own box (scicollab.css). A reader may not see that
   part of it is hidden, so a figure wider than its box gets a line above it saying so; the
   line goes when the figure fits (a wider window, a turned phone). No library, no network. */
(function () {
  "use strict";
  var HINT = "scicollab-scroll-hint";

  function update() {
    var figures = document.querySelectorAll(".bd-article figure");
    for (var i = 0; i < figures.length; i++) {
      var figure = figures[i];
      var hint = figure.previousElementSibling;
      var has = hint && hint.classList.contains(HINT);
      var wide = figure.scrollWidth > figure.clientWidth + 1;
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = HINT;
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = "Wide figure: swipe sideways to see all of it \u2192";
        figure.parentNode.insertBefore(hint, figure);
      } else if (!wide && has) {
        hint.remove();
      }
    }
  }

  window.addEventListener("load", update);
  window.addEventListener("resize", update);
})();
