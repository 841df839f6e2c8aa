/*
 * Parley duty desk: keeps a page current without reloading it. Served by the node as /ui/desk.js (the pages' policy
 * allows scripts from the node only, none inline); every page works without it, with a plain Refresh link.
 *
 * The frame (layout.jte) marks a page that wants this with a bar carrying data-refresh-seconds, its texts in the
 * reader's language (data-text-*), a pause button and the Refresh link. Every interval the script fetches the page
 * again with ?refresh=auto (which the node does not count as the officer's activity, so an unattended desk still
 * times out) and replaces the content (#live) only when it changed. It never replaces what the officer is working in:
 * while focus is inside a form or a field holds typed text it waits, and it keeps focus on the same link across an
 * update. New cases are announced politely (#live-news, aria-live); the pause button stops it until pressed again.
 */
(function () {
  'use strict';
  var bar = document.querySelector('[data-refresh-seconds]');
  var region = document.getElementById('live');
  var news = document.getElementById('live-news');
  if (!bar || !region || !news || !window.fetch || !window.DOMParser) return;
  var status = bar.querySelector('.autorefresh-state');
  var toggle = bar.querySelector('button');
  var refresh = bar.querySelector('a');
  var clock = document.querySelector('.clock');
  var paused = false, held = false, failed = false, ended = false, busy = false;
  var ticks = 0, due = Date.now() + seconds() * 1000;

  function seconds() {
    var s = parseInt(bar.getAttribute('data-refresh-seconds'), 10);
    return s > 0 ? s : 60;
  }

  function text(name, arg) {
    return (bar.getAttribute('data-text-' + name) || '').replace('{0}', arg == null ? '' : arg);
  }

  function show() {
    var state = ended ? 'ended' : paused ? 'paused' : failed ? 'offline' : held ? 'held' : 'running';
    bar.setAttribute('data-state', state);
    status.textContent = text(state, clock ? clock.textContent.trim() : '');
    toggle.textContent = text(paused ? 'resume' : 'pause');
    toggle.hidden = ended;
  }

  function announce(message) {
    news.textContent = '';
    window.setTimeout(function () { news.textContent = message; }, 100);
  }

  /** True while the officer is in a form, or something typed anywhere would be lost by a replacement. */
  function working() {
    var f = document.activeElement;
    if (f && f !== document.body && (f.closest('form') || f.matches('input, textarea, select, [contenteditable]'))) return true;
    return Array.prototype.some.call(region.querySelectorAll('input, textarea, select'), changed);
  }

  function changed(el) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') return false;
    if (el.type === 'checkbox' || el.type === 'radio') return el.checked !== el.defaultChecked;
    if (el.tagName === 'SELECT') return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    return el.value !== el.defaultValue;
  }

  function address() {
    var u = new URL(refresh.getAttribute('href'), window.location.href);
    u.searchParams.delete('lang'); // the language was chosen already; asking again would store it again
    u.searchParams.set('refresh', 'auto');
    return u.toString();
  }

  /** The cases a region lists, by address, each with its link text. */
  function cases(root) {
    var out = {};
    Array.prototype.forEach.call(root.querySelectorAll('a[href^="/cases/"]'), function (a) {
      out[a.getAttribute('href')] = a.textContent.trim();
    });
    return out;
  }

  /** Where focus is in the region, to put it back after the update: same id, or same link, counted among its equals. */
  function focusMark() {
    var f = document.activeElement;
    if (!f || !region.contains(f) || f === region) return null;
    var selector = f.id ? '#' + CSS.escape(f.id) : f.getAttribute('href') ? 'a[href="' + CSS.escape(f.getAttribute('href')) + '"]' : null;
    if (!selector) return null;
    return { selector: selector, index: Array.prototype.indexOf.call(region.querySelectorAll(selector), f) };
  }

  function replace(fresh) {
    var before = cases(region);
    var mark = focusMark();
    var nodes = Array.prototype.slice.call(fresh.childNodes);
    region.replaceChildren.apply(region, nodes.map(function (n) { return document.adoptNode(n); }));
    if (mark) {
      var again = region.querySelectorAll(mark.selector)[Math.max(mark.index, 0)];
      if (again) again.focus({ preventScroll: true });
    }
    var after = cases(region), added = [];
    Object.keys(after).forEach(function (href) {
      if (!(href in before) && added.indexOf(after[href]) < 0) added.push(after[href]);
    });
    if (added.length) announce(text('new', added.join('; ')));
  }

  function update() {
    busy = true;
    fetch(address(), { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(function (res) {
        // a session that ended is answered with the sign-in form: stop, and say so
        if (res.redirected && new URL(res.url).pathname.indexOf('/login') === 0) {
          ended = true;
          return null;
        }
        if (!res.ok) throw new Error('status ' + res.status);
        return res.text();
      })
      .then(function (html) {
        if (html == null) {
          announce(text('ended'));
          return;
        }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('live');
        if (!fresh) throw new Error('no content');
        failed = false;
        var time = doc.querySelector('.clock');
        if (time && clock) clock.textContent = time.textContent;
        held = working(); // the officer may have started typing while the page was on its way
        if (!held && fresh.innerHTML !== region.innerHTML) replace(fresh);
      })
      .catch(function () {
        if (!failed) announce(text('offline', clock ? clock.textContent.trim() : ''));
        failed = true;
      })
      .then(function () {
        busy = false;
        due = Date.now() + seconds() * 1000;
        show();
      });
  }

  function tick() {
    bar.setAttribute('data-ticks', String(++ticks));
    if (paused || ended || busy) return;
    if (working()) {
      if (!held) { held = true; show(); }
      return;
    }
    // out of the form again with an update waiting: take it now
    if (held || Date.now() >= due || seconds() * 1000 < due - Date.now()) update();
  }

  toggle.addEventListener('click', function () {
    paused = !paused;
    if (!paused) due = 0; // resuming brings the desk up to date at once
    show();
    announce(status.textContent);
  });

  status.hidden = false;
  toggle.hidden = false;
  bar.setAttribute('data-ticks', '0');
  show();
  window.setInterval(tick, 1000);
})();
