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
