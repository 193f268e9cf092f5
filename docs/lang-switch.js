// The language switch: a link in the menu bar to the same page in the other edition.
//
// The English book is built into docs/book/ and the Chinese one into docs/book/zh/,
// with the same relative page paths, so a page's twin is found by rewriting its path
// relative to the book root (mdBook's `path_to_root`). Relative links keep it working
// over HTTP and from file://. scripts/check-docs follows every switch in Chromium.
(function () {
    "use strict";
    // English pages the Chinese edition summarises on one page instead of mirroring.
    var EN_ONLY = [["beyond/", "beyond/README.html"]];

    var zh = document.documentElement.lang.toLowerCase().indexOf("zh") === 0;
    var root = typeof path_to_root === "string" ? path_to_root : "";
    var depth = (root.match(/\.\.\//g) || []).length;
    var parts = window.location.pathname.split("/");
    var file = parts.pop() || "index.html";
    var page = parts.slice(parts.length - depth).concat([file]).join("/");

    var target;
    if (zh) {
        target = root + "../" + page;
    } else {
        EN_ONLY.forEach(function (rule) {
            if (page.indexOf(rule[0]) === 0) {
                page = rule[1];
            }
        });
        target = root + "zh/" + page;
    }

    var link = document.createElement("a");
    link.id = "language-switch";
    link.href = target;
    link.hreflang = zh ? "en" : "zh-CN";
    link.lang = link.hreflang;
    link.textContent = zh ? "English" : "中文";
    link.title = zh ? "Read this page in English" : "阅读本页的中文版";
    var buttons = document.querySelector(".right-buttons");
    if (buttons) {
        buttons.insertBefore(link, buttons.firstChild);
    } else {
        document.body.insertBefore(link, document.body.firstChild);
    }
})();
