// The index's search: shows the events whose name, field names or descriptions contain every
// word typed (case-insensitive), and hides the topics and domains left without one.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var status = document.getElementById("search-count");
  var none = document.getElementById("no-match");
  var events = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    events.forEach(function (event) {
      var text = event.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      event.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("[data-search]:not([hidden])");
    });
    none.hidden = shown !== 0;
    status.textContent = words.length === 0
      ? events.length + " events"
      : shown + " of " + events.length + " events match";
  }
  input.addEventListener("input", filter);
  filter();
})();
