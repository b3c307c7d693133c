/* The camera scanner of the "I have a code" form: progressive enhancement, the typed
   input always stays. A QR code holding a trace address (…/t/<code>) or a bare code
   fills the input and submits the form.

   Decoding: the browser's own BarcodeDetector where it reads QR codes, else the
   barcode-detector ponyfill (ZXing compiled to WebAssembly) from this site's static
   files, loaded only when the camera is started. */
(function () {
  "use strict";

  var root = document.querySelector("[data-code-scanner]");
  var form = root && root.closest("form");
  var input = form && form.querySelector("input[name='code']");
  var media = navigator.mediaDevices;
  if (!input || !media || !media.getUserMedia || !window.isSecureContext) {
    return;
  }

  var texts = root.dataset;
  var start = root.querySelector("[data-scanner-start]");
  var panel = root.querySelector("[data-scanner-panel]");
  var video = root.querySelector("video");
  var closeButton = root.querySelector("[data-scanner-close]");
  var status = root.querySelector("[data-scanner-status]");
  var stream = null;
  var detector = null;
  var timer = null;
  var decoder = null;

  start.hidden = false;
  start.addEventListener("click", open);
  closeButton.addEventListener("click", function () {
    close();
    say("");
    start.focus();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      close();
    }
  });
  window.addEventListener("pagehide", close);

  function say(text) {
    status.textContent = text || "";
  }

  function open() {
    start.hidden = true;
    say(texts.starting);
    media.getUserMedia({audio: false, video: {facingMode: {ideal: "environment"}}})
      .then(function (camera) {
        stream = camera;
        return qrDetector();
      })
      .then(function (ready) {
        detector = ready;
        if (!stream) {
          return null;
        }
        video.srcObject = stream;
        panel.hidden = false;
        return video.play();
      })
      .then(function () {
        if (stream) {
          say(texts.looking);
          scan();
        }
      })
      .catch(function (error) {
        close();
        say(problem(error));
      });
  }

  function close() {
    clearTimeout(timer);
    timer = null;
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.srcObject = null;
    panel.hidden = true;
    start.hidden = false;
  }

  function problem(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return texts.denied;
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NotReadableError" || name === "AbortError") {
      return texts.noCamera;
    }
    return texts.unsupported;
  }

  function scan() {
    if (!stream) {
      return;
    }
    if (video.readyState < 2) {
      timer = setTimeout(scan, 150);
      return;
    }
    detector.detect(video)
      .then(function (found) {
        if (!stream) {
          return;
        }
        var codes = found.map(function (barcode) { return codeIn(barcode.rawValue); }).filter(Boolean);
        if (codes.length) {
          submit(codes[0]);
          return;
        }
        if (found.length) {
          say(texts.notACode);
        }
        timer = setTimeout(scan, 200);
      })
      .catch(function () {
        timer = setTimeout(scan, 400);
      });
  }

  function submit(code) {
    close();
    input.value = code;
    say(texts.found.replace("{code}", code));
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  /* The code a QR code holds: the last part of a trace address (…/t/<code>), or the
     text itself when it looks like a code; otherwise null. */
  function codeIn(text) {
    var value = String(text || "").trim();
    if (/^https?:\/\//i.test(value)) {
      var trace = /^\/t\/([^/]+)\/?$/.exec(new URL(value).pathname);
      return trace ? decodeURIComponent(trace[1]) : null;
    }
    return /^[A-Za-z0-9][A-Za-z0-9 -]{5,59}$/.test(value) ? value : null;
  }

  function qrDetector() {
    return nativeDetector().then(function (native) { return native || ponyfillDetector(); });
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) {
      return Promise.resolve(null);
    }
    return window.BarcodeDetector.getSupportedFormats()
      .then(function (formats) {
        return formats.indexOf("qr_code") === -1 ? null : new window.BarcodeDetector({formats: ["qr_code"]});
      })
      .catch(function () { return null; });
  }

  function ponyfillDetector() {
    decoder = decoder || loadScript(texts.decoder).then(function () {
      var api = window.BarcodeDetectionAPI;
      return api.prepareZXingModule({
        overrides: {
          locateFile: function (path, prefix) {
            return /\.wasm$/.test(path) ? texts.wasm : prefix + path;
          }
        },
        fireImmediately: true
      }).then(function () {
        return new api.BarcodeDetector({formats: ["qr_code"]});
      });
    });
    decoder.catch(function () { decoder = null; });
    return decoder;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
})();
