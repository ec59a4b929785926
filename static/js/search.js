// After a lookup by ID number the box is emptied on the server; do the same after an htmx swap.
document.body.addEventListener("htmx:afterSwap", function (e) {
  if (e.detail.target.id === "search-results" && e.detail.target.querySelector("[data-by-id]")) {
    document.getElementById("q").value = "";
  }
});
