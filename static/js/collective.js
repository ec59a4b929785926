// The date widget renders without Bootstrap's class; add it rather than hand-write each input.
document.querySelectorAll("input[type=date]").forEach(function (el) { el.classList.add("form-control", "form-control-sm"); });
