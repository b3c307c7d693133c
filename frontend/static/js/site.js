// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Phones: the main navigation is folded (site.css). Without this script a menu link
  // opens it as the page's #site-nav target; this swaps the link for a button that
  // opens and closes it in place.
  var toggle = document.querySelector(".nav-toggle");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    };
    document.documentElement.classList.add("has-nav-toggle");
    toggle.hidden = false;
    setOpen(nav.matches(":target"));
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }
})();
