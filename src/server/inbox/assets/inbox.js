// Airlock inbox: keeps the pending list live over Server-Sent Events. Optional: every action
// works without it. Everything from the server is set as text (textContent), never as HTML.
'use strict';

(function () {
  var region = document.getElementById('pending');
  var count = document.getElementById('pending-count');
  if (!region || !count || typeof window.EventSource !== 'function') return;

  var source = new EventSource(region.getAttribute('data-events'));
  source.addEventListener('pending', function (event) {
    var items;
    try {
      items = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (!Array.isArray(items)) return;
    render(items);
  });
  source.addEventListener('logout', function () {
    source.close();
    window.location.reload();
  });

  function render(items) {
    var body = region.querySelector('tbody');
    if (!body) return;
    var known = {};
    Array.prototype.forEach.call(body.querySelectorAll('tr[data-id]'), function (row) {
      known[row.getAttribute('data-id')] = true;
    });
    var rows = items.map(function (item) {
      var row = document.createElement('tr');
      row.setAttribute('data-id', String(item.id));
      if (!known[item.id]) row.className = 'new';
      var link = document.createElement('a');
      var href = String(item.href);
      // Only inbox links, whatever the stream says.
      link.href = href.indexOf('/inbox/approvals/') === 0 ? href : '/inbox';
      link.textContent = String(item.request);
      row.appendChild(cell(link));
      row.appendChild(cell(String(item.targets)));
      row.appendChild(cell(String(item.environments)));
      row.appendChild(cell(String(item.agent)));
      row.appendChild(cell(String(item.votes) + (item.voted ? ' (you voted)' : '')));
      row.appendChild(cell(timeElement(String(item.askedAt))));
      return row;
    });
    body.replaceChildren.apply(body, rows);
    var sentence = countSentence(items.length);
    // Only a change is announced to screen readers (the paragraph is a polite live region).
    if (count.textContent !== sentence) count.textContent = sentence;
  }

  function cell(content) {
    var td = document.createElement('td');
    if (typeof content === 'string') td.textContent = content;
    else td.appendChild(content);
    return td;
  }

  function timeElement(iso) {
    var time = document.createElement('time');
    time.setAttribute('datetime', iso);
    time.textContent = iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    return time;
  }

  // The same words as the server's countSentence.
  function countSentence(n) {
    if (n === 0) return 'No requests are waiting for you.';
    return n === 1 ? '1 request is waiting for a decision.' : n + ' requests are waiting for a decision.';
  }
})();
