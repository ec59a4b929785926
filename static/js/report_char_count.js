// Live count of the report's characters; the server counts the same way (whitespace not counted).
(function () {
  var out = document.getElementById("char-count");
  var form = document.getElementById("report-form");
  if (!out || !form) return;
  var hint = document.getElementById("char-hint");
  var min = parseInt(out.dataset.min, 10), max = parseInt(out.dataset.max, 10);
  function update() {
    var n = 0;
    form.querySelectorAll("[data-report-section]").forEach(function (el) { n += el.value.replace(/\s/g, "").length; });
    out.textContent = n;
    var ok = n >= min && n <= max;
    hint.className = "badge " + (ok ? "text-bg-success" : "text-bg-warning");
    hint.textContent = ok ? "字数合适" : (n < min ? "偏少" : "偏多");
  }
  form.addEventListener("input", update);
  update();
})();
