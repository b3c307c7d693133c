/* The site's service worker. frontend.views.service_worker serves it from /serviceworker.js
   with CONFIG (frontend/pwa.py) written before it: the app shell, the offline page of
   each language and a version that changes with them.

   - Pages: network first. A certificate page or trace page that loads is saved (the
     last CONFIG.savedPagesLimit of them); without a network the saved copy is served,
     marked so that pwa.js says it is a saved copy, else the offline page.
   - Static files and media: from the cache at once, refreshed from the network behind
     it. A saved page's own stylesheets, scripts and images are fetched with it.
   - Anything but GET, the admin, the API and documents: never touched. */
"use strict";

var SHELL_CACHE = "greencert-shell-" + CONFIG.version;
var STATIC_CACHE = "greencert-static";
var SAVED_CACHE = "greencert-saved-pages";
var STATIC_LIMIT = 120;
var SAVED_AT = "X-Saved-At";
var SAVED_TITLE = "X-Saved-Title";

var languages = CONFIG.languages.join("|");
var languagePrefix = new RegExp("^/(" + languages + ")/");
var savedPages = [
  new RegExp("^/(" + languages + ")/lookup/certificates/[^/]+/$"),
  /^\/t\/[^/]+$/
];
var untouched = /^\/(admin|api|documents|django-admin)(\/|$)/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(CONFIG.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("greencert-shell-") === 0 && name !== SHELL_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || untouched.test(url.pathname)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, url));
  } else if (isAsset(url) && !request.headers.has("range")) {
    event.respondWith(staleWhileRevalidate(event));
  }
});

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === "keep" && typeof message.html === "string") {
    // A page that loaded before this worker controlled it: save what the reader saw.
    var key = savedKey(new URL(message.url, self.location.origin));
    if (key) {
      var response = new Response(message.html, {headers: {"Content-Type": "text/html; charset=utf-8"}});
      event.waitUntil(savePage(key, response));
    }
  } else if (message.type === "list-saved" && event.ports[0]) {
    event.waitUntil(listSaved().then(function (pages) { event.ports[0].postMessage(pages); }));
  }
});

function networkFirst(event, url) {
  var key = savedKey(url);
  return fetch(event.request)
    .then(function (response) {
      if (key && response.status === 200) {
        event.waitUntil(savePage(key, response.clone()));
      }
      return response;
    })
    .catch(function () {
      return readSaved(key).then(function (saved) { return saved || offlinePage(url); });
    });
}

function staleWhileRevalidate(event) {
  var request = event.request;
  var fromNetwork = fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      event.waitUntil(caches.open(STATIC_CACHE)
        .then(function (cache) { return cache.put(request, copy).then(function () { return trim(cache, STATIC_LIMIT); }); }));
    }
    return response;
  });
  return caches.match(request).then(function (cached) {
    if (cached) {
      event.waitUntil(fromNetwork.catch(function () { return null; }));
      return cached;
    }
    return fromNetwork;
  });
}

function isAsset(url) {
  return url.pathname.indexOf(CONFIG.staticUrl) === 0 || url.pathname.indexOf(CONFIG.mediaUrl) === 0;
}

/* The stylesheets, scripts and images of a saved page, so that it reads offline as it
   looked even when it was opened before this worker ran. */
function keepAssets(html, pageUrl) {
  var pattern = /<(?:link|script|img)\b[^>]*?\s(?:href|src)="([^"]+)"/gi;
  var urls = [];
  var match;
  while ((match = pattern.exec(html)) !== null) {
    var url = new URL(match[1].replace(/&amp;/g, "&"), pageUrl);
    if (url.origin === self.location.origin && isAsset(url) && urls.indexOf(url.href) === -1) {
      urls.push(url.href);
    }
  }
  return caches.open(STATIC_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return caches.match(url).then(function (cached) {
        return cached || fetch(url).then(function (response) {
          return response.ok ? cache.put(url, response) : null;
        });
      }).catch(function () { return null; });
    })).then(function () { return trim(cache, STATIC_LIMIT); });
  });
}

/* The address a page is saved under (without its query), or null for pages not kept. */
function savedKey(url) {
  if (url.origin !== self.location.origin) {
    return null;
  }
  for (var i = 0; i < savedPages.length; i++) {
    if (savedPages[i].test(url.pathname)) {
      return url.origin + url.pathname;
    }
  }
  return null;
}

function savePage(key, response) {
  return response.text().then(function (html) {
    return storePage(key, response, html).then(function () { return keepAssets(html, key); });
  });
}

function storePage(key, response, html) {
  var headers = new Headers({"Content-Type": response.headers.get("Content-Type") || "text/html; charset=utf-8"});
  headers.set(SAVED_AT, new Date().toISOString());
  headers.set(SAVED_TITLE, encodeURIComponent(pageTitle(html)));
  return caches.open(SAVED_CACHE).then(function (cache) {
    // put() replaces an older copy at the end of the list: trim() keeps the newest.
    return cache.put(key, new Response(html, {headers: headers}))
      .then(function () { return trim(cache, CONFIG.savedPagesLimit); });
  });
}

function readSaved(key) {
  if (!key) {
    return Promise.resolve(null);
  }
  return caches.open(SAVED_CACHE)
    .then(function (cache) { return cache.match(key); })
    .then(function (saved) {
      if (!saved) {
        return null;
      }
      var savedAt = saved.headers.get(SAVED_AT) || "";
      return saved.text().then(function (html) {
        // pwa.js shows the "saved copy" notice on a page whose <html> carries this.
        var marked = html.replace(/<html\b/i, '<html data-saved-copy="' + savedAt.replace(/[^0-9TZ:.+-]/g, "") + '"');
        return new Response(marked, {headers: {"Content-Type": saved.headers.get("Content-Type")}});
      });
    });
}

function listSaved() {
  return caches.open(SAVED_CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        return cache.match(request).then(function (response) {
          return {
            url: request.url,
            title: decodeURIComponent(response.headers.get(SAVED_TITLE) || ""),
            savedAt: response.headers.get(SAVED_AT) || ""
          };
        });
      }));
    }).then(function (pages) { return pages.reverse(); });
  });
}

function offlinePage(url) {
  return caches.match(CONFIG.offline[pageLanguage(url)]).then(function (page) {
    return page || Response.error();
  });
}

/* The language of the address, else the browser's first that the site has. */
function pageLanguage(url) {
  var prefix = languagePrefix.exec(url.pathname);
  if (prefix) {
    return prefix[1];
  }
  var preferred = self.navigator.languages || [self.navigator.language || ""];
  for (var i = 0; i < preferred.length; i++) {
    var wanted = preferred[i].toLowerCase();
    for (var j = 0; j < CONFIG.languages.length; j++) {
      if (CONFIG.languages[j].split("-")[0] === wanted.split("-")[0]) {
        return CONFIG.languages[j];
      }
    }
  }
  return CONFIG.defaultLanguage;
}

function pageTitle(html) {
  var match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return match ? match[1].replace(/\s+/g, " ").trim() : "";
}

function trim(cache, limit) {
  return cache.keys().then(function (requests) {
    var extra = requests.slice(0, Math.max(0, requests.length - limit));
    return Promise.all(extra.map(function (request) { return cache.delete(request); }));
  });
}
