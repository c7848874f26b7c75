// Highlights a submission's line in the plot while its legend entry or a
// table row is pointed at or focused; opens the <details> a link targets;
// fills a cell's explanation in when it is opened.
(function () {
  var plot = document.getElementById('profile-svg');
  function mark(i, on) {
    var line = document.getElementById('curve-' + i);
    if (plot) plot.classList.toggle('dim', on);
    if (line) line.classList.toggle('hl', on);
    var band = document.getElementById('band-' + i);
    if (band) band.classList.toggle('hl', on);
    var panels = document.querySelectorAll('.panels');
    for (var k = 0; k < panels.length; k++) panels[k].classList.toggle('dim', on);
    var mine = document.querySelectorAll('g[data-curve="' + i + '"]');
    for (var k = 0; k < mine.length; k++) mine[k].classList.toggle('hl', on);
    var all = document.querySelectorAll('[data-sub="' + i + '"]');
    for (var k = 0; k < all.length; k++) all[k].classList.toggle('hl', on);
  }
  var subs = document.querySelectorAll('[data-sub]');
  for (var k = 0; k < subs.length; k++) {
    (function (el) {
      var i = el.getAttribute('data-sub');
      el.addEventListener('mouseenter', function () { mark(i, true); });
      el.addEventListener('mouseleave', function () { mark(i, false); });
      el.addEventListener('focusin', function () { mark(i, true); });
      el.addEventListener('focusout', function () { mark(i, false); });
    })(subs[k]);
  }
  // A cell's explanation, unpacked from the page's one packed block (see
  // packed.rs) the first time any cell is opened.
  var packed = document.getElementById('explanations');
  var texts = null;
  function unpack() {
    if (!texts) {
      var bin = atob(JSON.parse(packed.textContent).data);
      var bytes = new Uint8Array(bin.length);
      for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
      texts = new Response(stream).text().then(JSON.parse);
    }
    return texts;
  }
  function explain(d) {
    var id = d.parentElement ? d.parentElement.id : '';
    var pre = d.querySelector('pre.why');
    if (!packed || !pre || pre.textContent || id.indexOf('cell-') !== 0) return;
    var at = id.split('-');
    if (typeof DecompressionStream === 'undefined') {
      pre.textContent = 'This browser cannot unpack the explanations; algoperf-engine explain prints them.';
      return;
    }
    unpack().then(function (t) { pre.textContent = t[+at[1]][+at[2]]; });
  }
  document.addEventListener('toggle', function (e) {
    if (e.target.open) explain(e.target);
  }, true);
  function openTarget() {
    var t = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var d = t ? t.querySelector('details') : null;
    if (d) d.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
