/* wavewatch rollout page: plain browser script (no build step), draws with uPlot.
   Live: fetches main[data-timeline-url] and polls while the rollout runs.
   Report: renders the JSON in <script id="wavewatch-data"> and never fetches. */
(function () {
  'use strict';

  // Every colour drawn on white; test/rollout-page-browser.test.ts checks their contrast.
  var PALETTE = {
    background: '#ffffff',
    text: '#1a1a1a',
    axis: '#595959',
    busy: '#0072b2',
    capacity: '#4d4d4d',
    headroom: '#d55e00',
    rejected: '#aa4499',
    visible: '#d55e00',
    hidden: '#0072b2',
    projected: '#aa4499',
    threshold: '#4d4d4d',
    predicted: '#0072b2',
    verdict: '#4d4d4d',
    critical: '#b00020',
    warning: '#8a5a00',
    wave: '#4d4d4d',
  };
  window.wavewatchPalette = PALETTE;

  // What the verdict asks of the person deploying, in plain words.
  function sentence(d) {
    var next = d.rollout.waves.filter(function (w) { return w.status === 'planned'; })[0];
    var verdict = d.health.verdict;
    if (verdict === 'rollback') return 'Roll back: the change is hurting clusters it already reached.';
    if (verdict === 'hold') return next ? 'Wait: do not start ' + next.wave + ' yet.' : 'Wait: do not continue the rollout yet.';
    if (d.rollout.status !== 'in_progress') return 'The rollout is ' + d.rollout.status.replace('_', ' ') + '; nothing points at its waves now.';
    return next ? 'The next wave, ' + next.wave + ', may go.' : 'Every wave has started; nothing calls for a stop or a rollback now.';
  }
  var VERDICT_LEVEL = { proceed: 0, hold: 1, rollback: 2 };

  var main = document.getElementById('main');
  var embedded = document.getElementById('wavewatch-data');
  /** id -> { u: uPlot, title: string, markers: [{t, name, severity}] } */
  var charts = new Map();
  window.wavewatchCharts = charts;
  var lastData = null;

  // ---- small helpers -------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined) return;
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'class') node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function utc(ms) {
    if (ms === null || ms === undefined || !isFinite(ms)) return '—';
    return new Date(ms).toISOString().slice(11, 19);
  }
  function utcFull(iso) {
    if (!iso) return '—';
    return iso.replace('T', ' ').replace(/\.\d{3}Z$/, '').replace(/Z$/, '') + ' UTC';
  }
  function pct(x) {
    if (x === null || x === undefined || !isFinite(x)) return '—';
    var p = x * 100;
    return (p !== 0 && Math.abs(p) < 0.1 ? p.toFixed(3) : p < 10 ? p.toFixed(1) : p.toFixed(0)) + ' %';
  }
  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return '—';
    var s = Math.max(0, Math.round(seconds));
    var m = Math.floor(s / 60);
    return m > 0 ? m + ' min ' + (s % 60) + ' s' : s + ' s';
  }
  function section(id, title) {
    var h = el('h2', { id: id + '-title', text: title });
    return el('section', { id: id, 'aria-labelledby': id + '-title' }, [h]);
  }
  function table(caption, head, rows) {
    var thead = el('thead', null, [el('tr', null, head.map(function (h) { return el('th', { scope: 'col', text: h }); }))]);
    var tbody = el('tbody', null, rows.map(function (r) {
      return el('tr', null, r.map(function (cell) {
        if (cell && cell.nodeType) return el('td', null, [cell]);
        return el('td', { text: cell === null || cell === undefined ? '—' : String(cell) });
      }));
    }));
    return el('table', { class: 'data' }, [el('caption', { text: caption }), thead, tbody]);
  }
  function chip(verdict) {
    return el('span', { class: 'verdict-chip verdict-' + verdict, text: verdict });
  }

  // ---- sections ------------------------------------------------------------------------
  function summary(d) {
    var h = d.health;
    var r = d.rollout;
    var box = el('section', { id: 'summary', 'aria-labelledby': 'rollout-title' });
    box.appendChild(el('h1', { id: 'rollout-title', text: 'Rollout ' + r.rolloutId }));
    var meta = [r.service, r.version].filter(Boolean).join(' ');
    box.appendChild(el('p', { class: 'meta', text: (meta ? meta + ' · ' : '') + r.status.replace('_', ' ') + ' · started ' + utcFull(r.startedAt) + ' · evaluated at ' + utcFull(h.evaluatedAt) + ' (event time)' }));
    var banner = el('div', { class: 'verdict verdict-' + h.verdict, id: 'verdict', role: 'status', 'aria-live': 'polite' }, [
      el('span', { class: 'word', text: h.verdict }),
      el('span', { class: 'sentence', text: sentence(d) }),
    ]);
    box.appendChild(banner);
    var item = function (x) { return el('li', null, [el('span', { class: 'sev sev-' + x.severity, text: x.severity }), x.message]); };
    // What decides the verdict comes first; changes the analysis judged harmless are folded.
    var blocking = h.reasons.filter(function (x) { return h.verdict !== 'proceed' && (x.severity === 'critical' || x.code !== 'control_plane_overload'); });
    var observations = h.reasons.filter(function (x) { return blocking.indexOf(x) < 0; });
    var reasons = el('div', { id: 'reasons' });
    if (blocking.length > 0) reasons.appendChild(el('p', { class: 'muted', text: 'Why:' }));
    if (blocking.length > 0) reasons.appendChild(el('ul', { class: 'reasons' }, blocking.map(item)));
    var ahead = d.rollout.waves.some(function (w) { return w.status === 'planned'; });
    if (blocking.length === 0) reasons.appendChild(el('p', { text: h.verdict === 'proceed' ? 'No reason to stop: no wave cluster is overloaded or losing DNS' + (ahead ? ', and the next wave is predicted to fit its headroom.' : '.') : 'See the observations below.' }));
    if (observations.length > 0) {
      reasons.appendChild(el('details', null, [
        el('summary', { text: observations.length + ' observation' + (observations.length === 1 ? '' : 's') + ' that do not stop the rollout (changes the waves caused, far from overload)' }),
        el('ul', { class: 'reasons' }, observations.map(item)),
      ]));
    }
    box.appendChild(reasons);
    var links = [el('a', { href: d.links.health, text: 'gate JSON' })];
    if (d.links.grafana) links.push(' · ', el('a', { href: d.links.grafana, text: 'Grafana dashboard' }));
    if (!embedded) links.push(' · ', el('a', { href: '/', text: 'all rollouts' }));
    box.appendChild(el('p', { class: 'live', id: 'live' }, links));
    return box;
  }

  function verdictBefore(d, ms) {
    var found = null;
    d.verdicts.forEach(function (v) { if (Date.parse(v.at) <= ms) found = v; });
    return found;
  }

  function answerBefore(d, ms) {
    var found = null;
    d.gateAnswers.forEach(function (a) { if (Date.parse(a.from) <= ms) found = a; });
    return found;
  }

  function waves(d) {
    var box = section('waves', 'Waves and gate answers');
    box.appendChild(el('div', { class: 'chart', id: 'chart-verdict' }));
    var rows = d.rollout.waves.map(function (w) {
      var started = w.startedAt ? Date.parse(w.startedAt) : null;
      var gate = null;
      if (started !== null) {
        var asked = answerBefore(d, started);
        var evaluated = verdictBefore(d, started - 1);
        // equal answers in a row are folded: the run's last ask may fall after the start
        var askedAt = Date.parse(asked ? asked.to : '') <= started ? 'at ' + utc(Date.parse(asked.to)) : asked ? 'since ' + utc(Date.parse(asked.from)) : '';
        if (asked) gate = el('span', null, [chip(asked.verdict), ' asked ' + askedAt + (asked.verdict === 'proceed' ? '' : ' — started anyway')]);
        else if (evaluated) gate = el('span', null, [chip(evaluated.verdict), ' (evaluated; not asked)']);
      }
      return [w.wave, w.clusters.length + ': ' + w.clusters.slice(0, 8).join(', ') + (w.clusters.length > 8 ? ', …' : ''), w.status.replace('_', ' '), started === null ? '—' : utc(started), w.completedAt ? utc(Date.parse(w.completedAt)) : '—', gate || (started === null ? '—' : 'not asked')];
    });
    box.appendChild(table('Waves in plan order (times UTC, event time); gate = the last answer deploy tools got before the wave started', ['wave', 'clusters', 'status', 'started', 'completed', 'gate'], rows));
    if (d.gateAnswers.length > 0) {
      box.appendChild(table('Answers the gate served to deploy tools (equal answers in a row folded)', ['from', 'to', 'verdict', 'times asked'], d.gateAnswers.map(function (a) {
        return [utc(Date.parse(a.from)), utc(Date.parse(a.to)), chip(a.verdict), a.count];
      })));
    }
    var changes = d.verdicts.map(function (v) {
      return [utc(Date.parse(v.at)), chip(v.verdict), v.reasons.length === 0 ? 'no reason to stop' : v.reasons.slice(0, 3).map(function (x) { return x.message; }).join(' · ') + (v.reasons.length > 3 ? ' · +' + (v.reasons.length - 3) + ' more' : '')];
    });
    box.appendChild(table('Gate answers over time (each change of verdict or reasons, as the evaluation loop recorded it)', ['from', 'verdict', 'why'], changes));
    return box;
  }

  function prediction(d) {
    var box = section('prediction', 'Next wave: predicted utilisation vs headroom');
    var p = d.prediction;
    if (!p) {
      box.appendChild(el('p', { text: 'No prediction yet: it needs a plan with a wave ahead and an effect measured on a started wave.' }));
      return box;
    }
    if (p.t.length > 0) box.appendChild(el('div', { class: 'chart', id: 'chart-prediction' }));
    if (p.wave && p.predictions.length > 0) {
      var rows = p.predictions.slice().sort(function (a, b) { return b.predictedUtilization - a.predictedUtilization; }).map(function (x) {
        var over = x.predictedUtilization > p.headroom;
        var bar = el('span', null, [el('span', { class: 'bar' + (over ? ' over' : ''), style: 'width:' + Math.min(200, Math.round(x.predictedUtilization * 100)) + 'px' }), ' ' + pct(x.predictedUtilization) + (over ? ' — over headroom' : '')]);
        return [x.cluster, x.nodes === null ? '—' : x.nodes, Math.round(x.predicted) + ' of ' + Math.round(x.capacity), bar];
      });
      box.appendChild(table('Next wave ' + p.wave + ': ' + p.verdict + ' (headroom ' + pct(p.headroom) + ' of seats)', ['cluster', 'nodes', 'busy seats predicted', 'utilisation'], rows));
    } else {
      box.appendChild(el('p', { class: 'muted', text: 'No wave ahead now; the chart shows what was predicted while there was one.' }));
    }
    return box;
  }

  function alerts(d) {
    var box = section('alerts', 'Alerts');
    if (d.alerts.length === 0) {
      box.appendChild(el('p', { text: 'No alerts for this rollout or its clusters.' }));
      return box;
    }
    var rows = d.alerts.map(function (a) {
      return [utc(Date.parse(a.startsAt)), a.name, el('span', { class: 'sev sev-' + a.severity, text: a.severity }), a.clusters.join(', '), a.state + (a.endsAt ? ' at ' + utc(Date.parse(a.endsAt)) : ''), a.timeToImpactSeconds === null ? '—' : duration(a.timeToImpactSeconds), a.annotations.summary];
    });
    box.appendChild(table('Alerts in event time (UTC); markers on the charts sit at their start', ['started', 'alert', 'severity', 'clusters', 'state', 'time to impact', 'summary'], rows));
    return box;
  }

  function clusters(d) {
    var box = section('clusters', 'Wave clusters, most at risk first: API-server work and DNS behind the cache');
    if (d.clusters.length === 0) box.appendChild(el('p', { text: 'No wave has started yet.' }));
    box.appendChild(el('p', { class: 'legend-note', text: 'Left: busy seats (Little\u2019s law) against seat capacity and the headroom line, APF rejections on the right axis. Right: DNS SERVFAIL clients see, the miss failure hidden behind the cache, and the projected ratio once cached records expire. ▼ marks an alert, dashed lines the wave start.' }));
    var grid = el('div', { class: 'grid' });
    d.clusters.forEach(function (c, i) {
      var tti = c.timeToImpactSeconds;
      var card = el('article', { class: 'card', 'aria-labelledby': 'cluster-' + i }, [
        el('h3', { id: 'cluster-' + i, text: c.cluster + ' · ' + c.wave + (c.nodes ? ' · ' + c.nodes + ' nodes' : '') + ' · peak ' + pct(c.peakUtilization) + ' of seats' }),
        el('p', { class: 'tti', text: tti === null ? 'DNS: no failure behind the cache' : 'DNS: client-visible errors cross the threshold in ' + duration(tti) }),
        el('div', { class: 'chart', id: 'chart-seats-' + i }),
        el('div', { class: 'chart', id: 'chart-dns-' + i }),
      ]);
      grid.appendChild(card);
    });
    box.appendChild(grid);
    if (d.omittedClusters.length > 0) box.appendChild(el('p', { class: 'muted', text: 'Not drawn (web.maxChartClusters): ' + d.omittedClusters.join(', ') }));
    return box;
  }

  // ---- charts --------------------------------------------------------------------------
  function chartWidth(node) {
    var w = node.parentElement ? node.parentElement.clientWidth : 600;
    return Math.max(280, Math.min(w - 4, 1400));
  }

  function placeMarkers(u, entry) {
    Array.prototype.slice.call(u.over.querySelectorAll('.marker, .wave-line')).forEach(function (m) { m.remove(); });
    var min = u.scales.x.min;
    var max = u.scales.x.max;
    entry.waves.forEach(function (w) {
      if (w.t < min || w.t > max) return;
      u.over.appendChild(el('div', { class: 'wave-line', style: 'left:' + u.valToPos(w.t, 'x') + 'px', 'aria-hidden': 'true', 'data-t': String(w.t) }));
    });
    entry.markers.forEach(function (m) {
      if (m.t < min || m.t > max) return;
      var label = m.name + ' (' + m.severity + ') at ' + utc(m.t * 1000) + ' UTC' + (m.clusters ? ' on ' + m.clusters : '');
      u.over.appendChild(el('div', { class: 'marker ' + m.severity, style: 'left:' + u.valToPos(m.t, 'x') + 'px', tabindex: '0', role: 'img', 'aria-label': label, title: label, 'data-t': String(m.t) }));
    });
  }

  function upsertChart(id, title, series, data, markers, waveLines, axes) {
    var node = document.getElementById(id);
    if (!node) return;
    var existing = charts.get(id);
    if (existing && existing.u.root.isConnected && existing.u.series.length === series.length + 1) {
      existing.markers = markers;
      existing.waves = waveLines;
      existing.u.setData(data);
      return;
    }
    if (existing) existing.u.destroy();
    var entry = { title: title, markers: markers, waves: waveLines, u: null };
    var opts = {
      title: title,
      width: chartWidth(node),
      height: 160,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true } },
      series: [{ label: 'time (UTC)' }].concat(series),
      axes: axes,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      // after every draw, when the plot area and scales are final
      hooks: { draw: [function (u) { placeMarkers(u, entry); }] },
    };
    entry.u = new uPlot(opts, data, node);
    charts.set(id, entry);
  }

  function axis(scale, label, format, side) {
    return { scale: scale, label: label, side: side === 1 ? 1 : 3, stroke: PALETTE.axis, grid: { show: side !== 1, stroke: '#e6e6e6' }, values: format ? function (u, ticks) { return ticks.map(format); } : undefined, size: 56 };
  }
  // 24-hour UTC ticks (uPlot's default is local 12-hour time).
  var timeAxis = { stroke: PALETTE.axis, grid: { stroke: '#e6e6e6' }, values: function (u, ticks) { return ticks.map(function (t) { return utc(t * 1000).slice(0, 5); }); } };
  function line(label, color, scale, extra) {
    var s = { label: label, stroke: color, width: 2, scale: scale, spanGaps: false, points: { show: false } };
    Object.keys(extra || {}).forEach(function (k) { s[k] = extra[k]; });
    return s;
  }
  function ratioTick(v) { return v === null ? '' : +(v * 100).toFixed(2) + '%'; }

  function alertMarkers(d, cluster) {
    return d.alerts.filter(function (a) { return cluster === null || a.clusters.indexOf(cluster) >= 0; }).map(function (a) {
      return { t: Date.parse(a.startsAt) / 1000, name: a.name, severity: a.severity, clusters: a.clusters.join(', ') };
    });
  }
  function waveLines(d, wave) {
    return d.rollout.waves.filter(function (w) { return w.startedAt && (wave === null || w.wave === wave); }).map(function (w) { return { t: Date.parse(w.startedAt) / 1000, wave: w.wave }; });
  }

  function drawCharts(d) {
    var from = Date.parse(d.range.from) / 1000;
    var to = Date.parse(d.range.to) / 1000;
    // Verdict over time: a step line 0 proceed, 1 hold, 2 rollback.
    if (d.verdicts.length > 0) {
      // x: every verdict change and every served answer; the step line holds the evaluated
      // verdict, the dots are what deploy tools were told.
      var changes = d.verdicts.map(function (v) { return [Date.parse(v.at) / 1000, VERDICT_LEVEL[v.verdict]]; });
      var asked = {};
      d.gateAnswers.forEach(function (a) { asked[Date.parse(a.from) / 1000] = VERDICT_LEVEL[a.verdict]; asked[Date.parse(a.to) / 1000] = VERDICT_LEVEL[a.verdict]; });
      var times = changes.map(function (c) { return c[0]; }).concat(Object.keys(asked).map(Number), [to]);
      var vt = times.filter(function (t, i) { return times.indexOf(t) === i; }).sort(function (a, b) { return a - b; });
      var level = null;
      var k = 0;
      var vv = vt.map(function (t) { while (k < changes.length && changes[k][0] <= t) level = changes[k++][1]; return level; });
      var va = vt.map(function (t) { return Object.prototype.hasOwnProperty.call(asked, t) ? asked[t] : null; });
      upsertChart('chart-verdict', 'Gate verdict over time', [
        line('evaluated verdict', PALETTE.verdict, 'v', { paths: uPlot.paths.stepped({ align: 1 }) }),
        line('answer served', PALETTE.busy, 'v', { paths: function () { return null; }, points: { show: true, size: 9, fill: PALETTE.busy } }),
      ], [vt, vv, va], alertMarkers(d, null), waveLines(d, null), [
        timeAxis,
        axis('v', 'verdict', function (v) { return ['proceed', 'hold', 'rollback'][v] || ''; }),
      ]);
      var vu = charts.get('chart-verdict').u;
      vu.setScale('v', { min: -0.2, max: 2.2 });
      vu.setScale('x', { min: Math.min(from, vt[0]), max: to });
    }
    var p = d.prediction;
    if (p && p.t.length > 0) {
      upsertChart('chart-prediction', 'Highest predicted utilisation of the next wave', [
        line('predicted', PALETTE.predicted, 'u'),
        line('headroom', PALETTE.headroom, 'u', { dash: [6, 4] }),
      ], [p.t, p.maxPredicted, p.t.map(function () { return p.headroom; })], alertMarkers(d, null), waveLines(d, null), [timeAxis, axis('u', 'utilisation', ratioTick)]);
    }
    d.clusters.forEach(function (c, i) {
      var headroom = c.capacitySeats.map(function (v) { return v === null ? null : v * (p ? p.headroom : 0.8); });
      upsertChart('chart-seats-' + i, 'API server: busy seats vs capacity', [
        line('busy seats', PALETTE.busy, 'seats'),
        line('capacity', PALETTE.capacity, 'seats', { dash: [8, 4] }),
        line('headroom', PALETTE.headroom, 'seats', { dash: [2, 3] }),
        line('APF rejected/s', PALETTE.rejected, 'rej', { width: 1.5 }),
      ], [c.t, c.busySeats, c.capacitySeats, headroom, c.rejectedRate], alertMarkers(d, c.cluster), waveLines(d, c.wave), [
        timeAxis, axis('seats', 'seats'), axis('rej', 'rejected/s', null, 1),
      ]);
      var threshold = c.t.map(function () { return d.dnsVisibleThreshold; });
      upsertChart('chart-dns-' + i, 'DNS: visible vs hidden vs projected', [
        line('visible SERVFAIL', PALETTE.visible, 'r'),
        line('hidden miss failure', PALETTE.hidden, 'r'),
        line('projected', PALETTE.projected, 'r', { dash: [6, 3] }),
        line('alert threshold', PALETTE.threshold, 'r', { dash: [2, 3], width: 1 }),
      ], [c.t, c.visibleErrorRatio, c.missFailureRatio, c.projectedErrorRatio, threshold], alertMarkers(d, c.cluster), waveLines(d, c.wave), [timeAxis, axis('r', 'ratio', ratioTick)]);
    });
  }

  // ---- render and refresh --------------------------------------------------------------
  function render(d) {
    var firstTime = lastData === null;
    lastData = d;
    document.title = 'Rollout ' + d.rollout.rolloutId + ' — ' + d.health.verdict + ' — wavewatch';
    var parts = [summary(d), waves(d), prediction(d), alerts(d), clusters(d)];
    if (firstTime) {
      main.textContent = '';
      parts.forEach(function (p) { main.appendChild(p); });
    } else {
      // Replace the text sections; keep the chart nodes so uPlot updates in place.
      parts.forEach(function (p) {
        var old = document.getElementById(p.id);
        if (!old) { main.appendChild(p); return; }
        Array.prototype.slice.call(old.querySelectorAll('.chart')).forEach(function (chartNode) {
          var slot = p.querySelector('#' + chartNode.id);
          if (slot) slot.replaceWith(chartNode);
        });
        old.replaceWith(p);
      });
    }
    drawCharts(d);
    main.setAttribute('data-rendered', String(Date.now()));
  }

  function showError(message) {
    var note = document.getElementById('load-error') || el('p', { id: 'load-error', role: 'alert', class: 'verdict verdict-hold' });
    note.textContent = message;
    if (!note.isConnected) main.insertBefore(note, main.firstChild);
  }

  function load() {
    var url = main.getAttribute('data-timeline-url');
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('wavewatch answered ' + res.status + ' for ' + url);
        return res.json();
      })
      .then(function (d) {
        var note = document.getElementById('load-error');
        if (note) note.remove();
        render(d);
        var live = document.getElementById('live');
        if (d.rollout.status === 'in_progress') {
          if (live) live.appendChild(document.createTextNode(' · live: updated ' + new Date().toISOString().slice(11, 19) + ' UTC, every ' + d.pollSeconds + ' s'));
          setTimeout(load, d.pollSeconds * 1000);
        }
      })
      .catch(function (error) {
        // A failed poll keeps the last picture and says so; it tries again.
        showError('Could not refresh: ' + error.message + '. Retrying in 10 s; what you see may be stale.');
        setTimeout(load, 10000);
      });
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (entry) { entry.u.setSize({ width: chartWidth(entry.u.root.parentElement), height: 160 }); });
    }, 150);
  });

  if (embedded) render(JSON.parse(embedded.textContent));
  else load();
})();
