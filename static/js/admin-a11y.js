/* Accessible names for the widgets the admin builds with JavaScript: the rich-text
   editor's editable area and select2's autocomplete box get the text of the label
   of the field they replace (axe: aria-input-field-name). No other behaviour. */
(function () {
  "use strict";
  function labelText(id) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }
  function name() {
    document.querySelectorAll('.ProseMirror[contenteditable="true"]:not([aria-label])').forEach(function (editable) {
      for (var node = editable.parentElement; node; node = node.parentElement) {
        var textarea = node.querySelector("textarea[id]");
        if (textarea) {
          var text = labelText(textarea.id);
          if (text) editable.setAttribute("aria-label", text);
          return;
        }
      }
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.parentElement && select.parentElement.querySelector(".select2-selection");
      var text = labelText(select.id);
      if (!box || !text) return;
      [box].concat(Array.prototype.slice.call(box.querySelectorAll('[role="textbox"]'))).forEach(function (element) {
        if (!element.getAttribute("aria-label")) element.setAttribute("aria-label", text);
      });
    });
  }
  var observer = new MutationObserver(name);
  document.addEventListener("DOMContentLoaded", function () {
    name();
    observer.observe(document.body, {childList: true, subtree: true});
  });
})();
