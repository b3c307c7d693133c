// Service worker: filled in by the PWA work (issue 6). Installs nothing yet.
self.addEventListener("install", function () { self.skipWaiting(); });
