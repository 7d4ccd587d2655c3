/* Repeats of a web form (templates/forms/webform/repeat.html) without a round trip: "Add
   another" copies the blank instance kept in the repeat's <template>, "Remove" takes an instance
   out and renumbers those after it, the hidden _count field following. Without JavaScript the
   same buttons submit the form (_add=<repeat>, _remove=<instance>) and the server does it. */
(function () {
  "use strict";
  var ATTRIBUTES = ["name", "id", "for", "aria-describedby", "data-path", "value", "data-repeat"];

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function instancesOf(repeat) {
    var box = repeat.querySelector("[data-repeat-instances]");
    return Array.prototype.filter.call(box.children, function (child) {
      return child.matches("[data-repeat-instance]");
    });
  }

  function countField(repeat) {
    return repeat.querySelector("[data-repeat-count]");
  }

  /* Renames "<repeat>[from]" to "<repeat>[to]" at the start of every path-like attribute. */
  function renumber(instance, repeatPath, from, to) {
    var pattern = new RegExp("(^|wf-|_count:)" + escapeRegExp(repeatPath + "[" + from + "]"), "g");
    var replacement = "$1" + repeatPath + "[" + to + "]";
    [instance].concat(Array.prototype.slice.call(instance.querySelectorAll("*"))).forEach(function (element) {
      ATTRIBUTES.forEach(function (name) {
        var value = element.getAttribute(name);
        if (value) {
          element.setAttribute(name, value.split(" ").map(function (part) {
            return part.replace(pattern, replacement);
          }).join(" "));
        }
      });
    });
    instance.querySelectorAll("template").forEach(function (template) {
      template.innerHTML = template.innerHTML.split(repeatPath + "[" + from + "]").join(repeatPath + "[" + to + "]");
    });
    instance.querySelectorAll("[data-instance-number]").forEach(function (number) {
      if (number.closest("[data-repeat-instance]") === instance) {
        number.textContent = String(to + 1);
      }
    });
  }

  function changed(form) {
    if (form) {
      form.dispatchEvent(new CustomEvent("webform:changed"));
    }
  }

  function add(repeat) {
    var template = repeat.querySelector(":scope > template[data-repeat-blank]");
    var count = countField(repeat);
    var index = instancesOf(repeat).length;
    var html = template.innerHTML.split(template.dataset.placeholder).join(String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var instance = holder.firstElementChild;
    instance.querySelectorAll("[data-instance-number]").forEach(function (number) {
      if (number.closest("[data-repeat-instance]") === instance) {
        number.textContent = String(index + 1);
      }
    });
    repeat.querySelector("[data-repeat-instances]").appendChild(instance);
    count.value = String(index + 1);
    var first = instance.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
    changed(repeat.closest("form"));
  }

  function remove(instance) {
    var repeat = instance.parentElement.closest("[data-repeat]");
    var repeatPath = repeat.dataset.repeat;
    var instances = instancesOf(repeat);
    var index = instances.indexOf(instance);
    instance.remove();
    for (var later = index + 1; later < instances.length; later++) {
      renumber(instances[later], repeatPath, later, later - 1);
    }
    countField(repeat).value = String(instances.length - 1);
    repeat.querySelector(":scope > [data-repeat-add]").focus();
    changed(repeat.closest("form"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-repeat-add], [data-repeat-remove]");
    if (!button || !button.closest("[data-webform]")) {
      return;
    }
    event.preventDefault();
    if (button.matches("[data-repeat-add]")) {
      add(button.closest("[data-repeat]"));
    } else {
      remove(button.closest("[data-repeat-instance]"));
    }
  });
})();
