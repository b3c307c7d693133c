/*
 * Suggestions under the lookup search boxes, as an ARIA 1.2 combobox with a listbox
 * popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
 *
 * Progressive enhancement: an <input data-autocomplete="URL"> works as a plain search
 * box without this script. With it, typing asks URL?q=… (the public API's
 * /autocomplete/, answering {"suggestions": [...]}) and lists what comes back.
 * Down and Up move through the list, Enter takes the highlighted suggestion and
 * submits the form, Escape closes the list (and, when closed, empties the box);
 * a click or tap takes a suggestion too. Suggestions are inserted as text, never HTML.
 */
(function () {
  "use strict";

  var DELAY_MS = 180;
  var MIN_LENGTH = 1;
  var LIMIT = 8;
  var counter = 0;

  function setUp(input) {
    var endpoint = input.getAttribute("data-autocomplete");
    var id = input.id || "autocomplete-" + ++counter;
    var listId = id + "-suggestions";
    var statusId = id + "-suggestions-status";
    var wrapper = document.createElement("div");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    var request = null;
    var items = [];
    var active = -1;
    var lastAsked = "";

    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    list.id = listId;
    list.className = "autocomplete__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");
    list.hidden = true;
    wrapper.appendChild(list);

    status.id = statusId;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function announce(text) {
      status.textContent = text;
    }

    function highlight(index) {
      active = index;
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function choose(index) {
      input.value = items[index].textContent;
      close();
      if (input.form) {
        if (typeof input.form.requestSubmit === "function") {
          input.form.requestSubmit();
        } else {
          input.form.submit();
        }
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (text, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.className = "autocomplete__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = text;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        item.addEventListener("click", function () {
          choose(index);
        });
        list.appendChild(item);
        return item;
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      announce(countText(items.length));
    }

    function countText(count) {
      var template = input.getAttribute("data-suggestions-text");
      return count && template ? template.replace("{count}", String(count)) : "";
    }

    function ask() {
      var prefix = input.value.trim();
      if (prefix.length < MIN_LENGTH) {
        lastAsked = "";
        show([]);
        return;
      }
      if (prefix === lastAsked) {
        return;
      }
      lastAsked = prefix;
      if (request) {
        request.abort();
      }
      request = new AbortController();
      var url = endpoint + "?" + new URLSearchParams({ q: prefix, limit: String(LIMIT) }).toString();
      fetch(url, { signal: request.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === prefix) {
            show(Array.isArray(data.suggestions) ? data.suggestions.map(String) : []);
          }
        })
        .catch(function () {
          /* A failed or aborted request leaves the plain search box working. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (items.length) {
          highlight(active < items.length - 1 ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : items.length - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          lastAsked = "";
        }
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(setUp);
})();
