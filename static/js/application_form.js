/* Application pages: formset rows, the occupation picker, live sums, and keeping typed text.
 *
 * Nothing typed may be lost: removed rows are only marked DELETE (and can be restored), waiver
 * reasons survive every refresh of the rule panel, and leaving a changed page asks first.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-dirty-guard]");
  var dirty = false;
  var submitting = false;

  function changed(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* ---- formsets: add by cloning the empty form, remove by ticking DELETE ---- */
  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var body = document.querySelector('[data-formset-body="' + prefix + '"]');
    var index = parseInt(total.value, 10);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = index + 1;
    var row = body.lastElementChild;
    var number = row.querySelector("td");
    if (number) number.textContent = String(body.children.length);
    var hint = document.querySelector('[data-formset-empty="' + prefix + '"]');
    if (hint) hint.remove();
    var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) first.focus();
    changed(body);
  }

  function toggleRemove(button) {
    var row = button.closest("[data-formset-row]");
    var box = row.querySelector('input[name$="-DELETE"]');
    box.checked = !box.checked;
    row.classList.toggle("to-delete", box.checked);
    button.textContent = box.checked ? "撤销删除" : "删除";
    changed(row);
  }

  /* ---- sums shown as you type (display only: the server computes what is saved) ---- */
  function fen(value) {
    // As the server reads it (applications/fields.py): full-width digits and commas are fine, and
    // anything else is not a number at all ("3千元abc" is not 3).
    var text = String(value || "").normalize("NFKC").replace(/，/g, ",").replace(/\s/g, "");
    if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?$/.test(text)) return 0;
    var n = parseFloat(text.replace(/,/g, ""));
    return isFinite(n) ? Math.round(n * 100) : 0;
  }

  function yuan(cents) {
    var sign = cents < 0 ? "-" : "";
    cents = Math.abs(cents);
    var whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + whole + "." + String(cents % 100).padStart(2, "0");
  }

  function updateSums() {
    var totalCell = document.querySelector("[data-budget-total]");
    if (totalCell) {
      var budget = 0;
      document.querySelectorAll("[data-budget-amount]").forEach(function (input) {
        var row = input.closest("[data-formset-row]");
        if (row && !row.classList.contains("to-delete") && !row.closest("template")) budget += fen(input.value);
      });
      totalCell.textContent = yuan(budget);
      var subsidyInput = document.querySelector("[data-subsidy]");
      var shareCell = document.querySelector("[data-subsidy-share]");
      if (subsidyInput && shareCell) {
        shareCell.textContent = budget > 0 ? (fen(subsidyInput.value) * 100 / budget).toFixed(2) + "%" : "—";
      }
    }
    document.querySelectorAll("[data-prize-row]").forEach(function (row) {
      var inputs = row.querySelectorAll("input");
      var count = parseInt(inputs[0].value, 10) || 0;
      row.querySelector("[data-prize-subtotal]").textContent = yuan(count * fen(inputs[1].value));
    });
  }

  function updateCategory() {
    var wrap = document.getElementById("field-wrap");
    var checked = document.querySelector("input[data-category]:checked");
    if (wrap && checked) wrap.classList.toggle("opacity-50", checked.value !== "innovative");
  }

  /* ---- occupation picker ---- */
  function closeResults() {
    var box = document.getElementById("occupation-results");
    if (box) box.innerHTML = "";
  }

  function pick(button) {
    var input = document.querySelector("[data-occupation-input]");
    input.value = button.dataset.occupationPick;
    closeResults();
    // "change", not "input": the picker's own search listens for input and would reopen the list.
    input.dispatchEvent(new Event("change", { bubbles: true }));
    dirty = true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var add = target.closest("[data-formset-add]");
    if (add) return addRow(add.dataset.formsetAdd);
    var remove = target.closest("[data-formset-remove]");
    if (remove) return toggleRemove(remove);
    var choice = target.closest("[data-occupation-pick]");
    if (choice) return pick(choice);
    if (!target.closest("[data-occupation-picker]")) closeResults();
    var confirmable = target.closest("[data-confirm]");
    if (confirmable && !window.confirm(confirmable.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeResults();
  });

  /* ---- waiver reasons: kept across panel refreshes, even for a finding that disappears for a while ---- */
  var reasons = {};
  var focusState = null;

  function rememberReasons() {
    document.querySelectorAll("textarea[data-justification]").forEach(function (t) {
      reasons[t.name] = t.value;
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-justification]")) {
      reasons[event.target.name] = event.target.value;
    }
  });

  // Once the page is being saved, a panel refresh (e.g. from the blur of the last field) is pointless.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (submitting && event.detail.elt && event.detail.elt.id === "rule-panel") event.preventDefault();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "rule-panel") return;
    rememberReasons();
    var active = document.activeElement;
    focusState = active && active.id && active.closest("#rule-panel")
      ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "rule-panel") return;
    document.querySelectorAll("#rule-panel textarea[data-justification]").forEach(function (t) {
      if (Object.prototype.hasOwnProperty.call(reasons, t.name)) t.value = reasons[t.name];
    });
    if (focusState) {
      var again = document.getElementById(focusState.id);
      if (again) {
        again.focus();
        try { again.setSelectionRange(focusState.start, focusState.end); } catch (e) { /* not a text field */ }
      }
    }
  });

  /* ---- the form ---- */
  if (form) {
    form.addEventListener("input", function () { dirty = true; updateSums(); });
    form.addEventListener("change", function () { dirty = true; updateSums(); updateCategory(); });
    form.addEventListener("submit", function () {
      dirty = false;
      submitting = true;
      rememberReasons();
      // A reason typed for a finding that is not shown right now is still sent, so it is saved.
      Object.keys(reasons).forEach(function (name) {
        if (!document.querySelector('textarea[data-justification][name="' + CSS.escape(name) + '"]')) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = name;
          hidden.value = reasons[name];
          form.appendChild(hidden);
        }
      });
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("textarea[data-justification]")) dirty = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    updateSums();
    updateCategory();
  }
})();
