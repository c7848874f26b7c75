// Highlights a submission's line in the plot while its legend entry or a
// table row is pointed at or focused; opens the <details> a link targets.
(function () {
  var plot = document.getElementById('profile-svg');
  function mark(i, on) {
    var line = document.getElementById('curve-' + i);
    if (plot) plot.classList.toggle('dim', on);
    if (line) line.classList.toggle('hl', on);
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
  function openTarget() {
    var t = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var d = t ? t.querySelector('details') : null;
    if (d) d.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
