/* The installable site, for browsers with service workers; every page works without it.
   - Registers /serviceworker.js once the page has loaded and the browser is idle.
   - A certificate page opened before the worker was running is handed to it to keep.
   - A page the worker served from its saved copies says so, with the time it was saved.
   - The offline page lists the pages saved for offline reading.
   Texts come translated from the data attributes of this script's tag (base.html). */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) {
    return;
  }
  var texts = script.dataset;
  var language = document.documentElement.lang;

  showSavedCopyNotice();
  listSavedPages();
  // After the page has loaded and gone quiet: the page itself comes first.
  if (document.readyState === "complete") {
    whenIdle(register);
  } else {
    window.addEventListener("load", function () { whenIdle(register); });
  }

  function whenIdle(task) {
    if ("requestIdleCallback" in window) {
      window.requestIdleCallback(task, {timeout: 3000});
    } else {
      setTimeout(task, 1000);
    }
  }

  function register() {
    navigator.serviceWorker.register(texts.serviceWorker, {scope: "/"})
      .then(function () { return navigator.serviceWorker.ready; })
      .then(keepThisPage)
      .catch(function (error) { console.warn("Service worker not registered:", error); });
  }

  function keepThisPage(registration) {
    if (navigator.serviceWorker.controller || !registration.active) {
      return;
    }
    registration.active.postMessage({
      type: "keep",
      url: location.href,
      html: "<!DOCTYPE html>\n" + document.documentElement.outerHTML
    });
  }

  function formatTime(iso) {
    var time = new Date(iso);
    if (isNaN(time.getTime())) {
      return iso;
    }
    return time.toLocaleString(language, {dateStyle: "medium", timeStyle: "short"});
  }

  function showSavedCopyNotice() {
    var savedAt = document.documentElement.getAttribute("data-saved-copy");
    var main = document.getElementById("main");
    if (!savedAt || !main || !texts.savedCopy) {
      return;
    }
    var notice = document.createElement("p");
    notice.className = "notice notice--warning saved-copy";
    notice.setAttribute("role", "status");
    notice.textContent = texts.savedCopy.replace("{time}", formatTime(savedAt));
    main.insertBefore(notice, main.firstChild);
  }

  function listSavedPages() {
    var list = document.querySelector("[data-saved-pages]");
    var controller = navigator.serviceWorker.controller;
    if (!list || !controller) {
      return;
    }
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) { showSavedPages(list, event.data || []); };
    controller.postMessage({type: "list-saved"}, [channel.port2]);
  }

  function showSavedPages(list, pages) {
    var empty = document.querySelector("[data-saved-pages-empty]");
    var savedOn = list.getAttribute("data-saved-on") || "{time}";
    list.textContent = "";
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = withoutSiteName(plainText(page.title)) || page.url;
      var when = document.createElement("small");
      when.textContent = savedOn.replace("{time}", formatTime(page.savedAt));
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(when);
      list.appendChild(item);
    });
    list.hidden = pages.length === 0;
    if (empty) {
      empty.hidden = pages.length > 0;
    }
  }

  /* A page title without the site's name, which ends every title (base.html). */
  function withoutSiteName(title) {
    var parts = document.title.split(" · ");
    var suffix = " · " + parts[parts.length - 1];
    return parts.length > 1 && title.slice(-suffix.length) === suffix ? title.slice(0, -suffix.length) : title;
  }

  /* A <title>'s source text (with entities such as &amp;) as plain text. */
  function plainText(html) {
    return new DOMParser().parseFromString(html, "text/html").documentElement.textContent.trim();
  }
})();
