// Behaviour every page shares. The Content-Security-Policy runs no inline script or style, so
// what used to be an onclick=, an onchange= or a computed style="" attribute is done here.
(function () {
  "use strict";

  // Sizes computed on the server (progress bars, the 40 % line, a chart's height) travel as data
  // attributes; setting them through the DOM is allowed where a style attribute is not.
  function applySizes(root) {
    var scope = root.querySelectorAll ? root : document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("[data-width], [data-left], [data-height-px]"));
    if (scope.matches && scope.matches("[data-width], [data-left], [data-height-px]")) nodes.push(scope);
    nodes.forEach(function (el) {
      if (el.dataset.width !== undefined) el.style.width = parseFloat(el.dataset.width || 0) + "%";
      if (el.dataset.left !== undefined) el.style.left = parseFloat(el.dataset.left || 0) + "%";
      if (el.dataset.heightPx !== undefined) el.style.height = parseFloat(el.dataset.heightPx || 0) + "px";
    });
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) window.print();
  });

  // <select data-autosubmit>: choosing a value submits its filter form.
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.submit();
  });

  // <form data-submit-once>: a second click while the first submission is on its way would only
  // earn the "already done" notice, so the button is disabled once the form is sent.
  document.addEventListener("submit", function (e) {
    if (!e.target.matches("form[data-submit-once]")) return;
    var button = e.target.querySelector("[type=submit]");
    if (button) setTimeout(function () { button.disabled = true; }, 0);
  });

  if (window.htmx) {
    window.htmx.onLoad(applySizes);  // the page itself and every fragment htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () { applySizes(document); });
  }
})();
