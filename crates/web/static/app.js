// Progressive enhancement: the inbox refreshes its rows when the server says something changed.
(function () {
  var rows = document.getElementById("inbox-rows");
  if (!rows || !window.EventSource) return;
  var events = new EventSource("/events");
  events.addEventListener("inbox", function () {
    fetch("/inbox/rows" + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) rows.outerHTML = html; rows = document.getElementById("inbox-rows"); });
  });
})();

// Keys on the inbox: j/k move, o opens, a checks the row for answering, / searches.
(function () {
  if (!document.getElementById("inbox-rows")) return;
  var at = -1;
  function rows() { return document.querySelectorAll("#inbox-rows tbody tr"); }
  function select(i) {
    var list = rows();
    if (!list.length) return;
    at = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (r, n) { r.classList.toggle("selected", n === at); });
    list[at].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || e.ctrlKey || e.metaKey || e.altKey) return;
    var list = rows();
    if (e.key === "j") { select(at + 1); }
    else if (e.key === "k") { select(at - 1); }
    else if (e.key === "o" && list[at]) { var link = list[at].querySelector("a"); if (link) link.click(); }
    else if (e.key === "a" && list[at]) { var box = list[at].querySelector("input[type=checkbox]"); if (box) box.checked = !box.checked; }
    else if (e.key === "/") { var q = document.getElementById("inbox-q"); if (q) { e.preventDefault(); q.focus(); } }
    else { return; }
  });
})();
