(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);

  // Table of contents from the section headings.
  var toc = document.getElementById("toc");
  document.querySelectorAll("main > section").forEach(function (s) {
    var h = s.querySelector("h2");
    if (!h) return;
    var a = document.createElement("a");
    a.href = "#" + s.id;
    a.textContent = h.textContent;
    toc.appendChild(a);
  });

  // Sortable tables.
  document.querySelectorAll("table.sortable-table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.classList.add("sortable");
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.classList.contains("total"); });
        var totals = Array.prototype.slice.call(body.rows).filter(function (r) { return r.classList.contains("total"); });
        var dir = th.dataset.dir === "asc" ? -1 : 1;
        th.dataset.dir = dir === 1 ? "asc" : "desc";
        var key = function (r) {
          var t = (r.cells[col] ? r.cells[col].textContent : "").replace(/[,\s%+]/g, "");
          var x = parseFloat(t);
          return isNaN(x) ? t.toLowerCase() : x;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (typeof x === typeof y) return x < y ? -dir : x > y ? dir : 0;
          return typeof x === "number" ? -dir : dir;
        });
        rows.concat(totals).forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Downloads of the embedded data.
  var dl = document.getElementById("downloads");
  function link(name, mime, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: mime }));
    a.download = name;
    a.textContent = name;
    dl.appendChild(a);
  }
  var q = function (s) { s = String(s); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  var rows = ["day,date,camp,observed,mean,sd,p5,p50,p95"];
  data.camps.forEach(function (c) {
    data.days.forEach(function (d, t) {
      rows.push([d, data.dates[t], q(c.name), c.data[t], c.sim.mean[t], c.sim.sd[t], c.sim.p5[t], c.sim.p50[t], c.sim.p95[t]].join(","));
    });
  });
  link("camps.csv", "text/csv", rows.join("\n") + "\n");
  if (data.siege) {
    var f = ["day,date,fate,mean,sd,p5,p50,p95"];
    data.siege.fates.forEach(function (x) {
      data.days.forEach(function (d, t) {
        var b = x.band;
        if (b.mean[t] === undefined) return;
        f.push([d, data.dates[t], x.fate, b.mean[t], b.sd[t], b.p5[t], b.p50[t], b.p95[t]].join(","));
      });
    });
    link("fates.csv", "text/csv", f.join("\n") + "\n");
  }
  if (data.network) link("network.geojson", "application/geo+json", JSON.stringify(data.network));
  link("report-data.json", "application/json", JSON.stringify(data));


  // ---- Interactive charts (uPlot, vendored): hover read-out, zoom, toggles, key dates.
  document.documentElement.classList.add("js");
  var dateOf = {};
  data.days.forEach(function (d, i) { dateOf[d] = data.dates[i]; });
  var fmt = function (v) {
    if (v == null || isNaN(v)) return "–";
    var a = Math.abs(v);
    if (a >= 100) return Math.round(v).toLocaleString("en-GB");
    if (a >= 1) return (Math.round(v * 10) / 10).toLocaleString("en-GB");
    return (Math.round(v * 1000) / 1000).toString();
  };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var shortDate = function (iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? (+m[3]) + " " + MONTHS[+m[2] - 1] : "";
  };
  var fade = function (c, a) { return c.replace("rgb(", "rgba(").replace(")", "," + a + ")"); };
  function keyDatesPlugin(keyDates) {
    return { hooks: { draw: function (u) {
      var ctx = u.ctx, r = devicePixelRatio || 1;
      var x0 = u.scales.x.min, x1 = u.scales.x.max;
      ctx.save();
      ctx.font = (11 * r) + "px sans-serif";
      ctx.fillStyle = "#444";
      ctx.strokeStyle = "rgba(60,60,60,0.55)";
      ctx.lineWidth = r;
      ctx.setLineDash([4 * r, 4 * r]);
      var lastLabel = -1e9;
      keyDates.forEach(function (k) {
        if (k.day < x0 || k.day > x1) return;
        var x = Math.round(u.valToPos(k.day, "x", true)) + 0.5;
        ctx.strokeStyle = k.kind === "key" ? "rgba(40,40,40,0.6)" : "rgba(31,111,209,0.45)";
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        // A label only where it does not run into the previous one.
        // (16 px: the text's height and its halo; all dates are in the table.)
        if (x - lastLabel < 16 * r) return;
        lastLabel = x;
        ctx.save();
        ctx.fillStyle = k.kind === "key" ? "#222" : "#1f5fb0";
        ctx.translate(x - 3 * r, u.bbox.top + 4 * r);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = "right";
        var t = k.label.length > 30 ? k.label.slice(0, 29) + "…" : k.label;
        // A white halo keeps the label readable over the stacked areas.
        ctx.setLineDash([]);
        ctx.lineJoin = "round";
        ctx.lineWidth = 3 * r;
        ctx.strokeStyle = "rgba(255,255,255,0.85)";
        ctx.strokeText(t, 0, 0);
        ctx.fillText(t, 0, 0);
        ctx.restore();
      });
      ctx.restore();
    } } };
  }
  function whiskerPlugin(whiskers) {
    return { hooks: { draw: function (u) {
      var ctx = u.ctx, r = devicePixelRatio || 1;
      ctx.save();
      ctx.lineWidth = 1.5 * r;
      whiskers.forEach(function (w) {
        if (!u.series[w.si].show) return;
        ctx.strokeStyle = w.color;
        w.pts.forEach(function (p) {
          var lo = p[2] == null ? p[1] : p[2], hi = p[3] == null ? p[1] : p[3];
          if (lo === hi) return;
          var x = u.valToPos(p[0], "x", true);
          ctx.beginPath();
          ctx.moveTo(x, u.valToPos(lo, "y", true)); ctx.lineTo(x, u.valToPos(hi, "y", true));
          ctx.moveTo(x - 4 * r, u.valToPos(lo, "y", true)); ctx.lineTo(x + 4 * r, u.valToPos(lo, "y", true));
          ctx.moveTo(x - 4 * r, u.valToPos(hi, "y", true)); ctx.lineTo(x + 4 * r, u.valToPos(hi, "y", true));
          ctx.stroke();
        });
      });
      ctx.restore();
    } } };
  }
  var charts = [];
  function makeChart(el, spec) {
    var xs = spec.x;
    var cols = [xs];
    var series = [{ label: "date", value: function (u, v) { return v == null ? "–" : (dateOf[v] || ("day " + v)) + " (d" + v + ")"; } }];
    var bands = [];
    var whiskers = [];
    var hidden = [];
    var bandOf = {};
    var raw = [null];
    var below = null;
    spec.series.forEach(function (s) {
      var vals = s.values;
      if (spec.stacked) {
        var cum = vals.map(function (v, i) { return (v || 0) + (below ? below[i] : 0); });
        cols.push(cum); raw.push(vals);
        series.push({ label: s.label, points: { show: false }, stroke: s.color, width: 1, fill: fade(s.color, 0.75),
          value: (function (k) { return function (u, v, si, i) { return i == null ? "–" : fmt(raw[k][i]); }; })(cols.length - 1) });
        if (below) bands.push({ series: [cols.length - 1, cols.length - 2], fill: fade(s.color, 0.75) });
        below = cum;
        return;
      }
      var band = null;
      if (s.lo && s.hi) {
        // The band's edges are series of their own (uPlot fills between them)
        // but read out with the line they belong to, not as legend rows.
        cols.push(s.hi); raw.push(null);
        series.push({ label: "95 %", points: { show: false }, stroke: fade(s.color, 0.35), width: 0.5 });
        cols.push(s.lo); raw.push(null);
        series.push({ label: "5 %", points: { show: false }, stroke: fade(s.color, 0.35), width: 0.5 });
        bands.push({ series: [cols.length - 2, cols.length - 1], fill: fade(s.color, 0.18) });
        band = [cols.length - 2, cols.length - 1];
        hidden.push(band[0], band[1]);
      }
      cols.push(vals); raw.push(null);
      series.push({ label: s.label, points: { show: false }, stroke: s.color, width: 2, dash: s.dashed ? [6, 4] : undefined,
        value: (function (b) {
          return function (u, v, si, i) {
            if (v == null) return "–";
            return b && i != null ? fmt(v) + " (" + fmt(u.data[b[1]][i]) + "–" + fmt(u.data[b[0]][i]) + ")" : fmt(v);
          };
        })(band) });
      if (band) bandOf[cols.length - 1] = band;
    });
    (spec.points || []).forEach(function (p) {
      var col = xs.map(function () { return null; });
      p.points.forEach(function (q) {
        var i = xs.indexOf(q[0]);
        if (i >= 0) col[i] = q[1];
      });
      cols.push(col); raw.push(null);
      series.push({ label: p.label, stroke: p.color, fill: p.color, width: 0, paths: function () { return null; },
        points: { show: true, size: 8, fill: p.color, stroke: p.color }, value: function (u, v) { return fmt(v); } });
      whiskers.push({ si: series.length - 1, color: p.color, pts: p.points });
    });
    var width = Math.max(280, el.clientWidth || 500);
    var height = Math.max(220, Math.min(spec.height || 300, 420) - 40);
    var opts = {
      title: spec.title,
      width: width,
      height: height,
      series: series,
      bands: bands,
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      legend: { live: true },
      // Counts start at 0, so curves are not read against a shifted baseline.
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; } } },
      axes: [
        { values: function (u, splits) { return splits.map(function (d) { return shortDate(dateOf[d]); }); }, space: 70 },
        { label: spec.y_label, size: 62, values: function (u, splits) { return splits.map(fmt); } }
      ],
      plugins: [keyDatesPlugin(data.key_dates || []), whiskerPlugin(whiskers)],
      hooks: { setSeries: [function (u, si) {
        // A line switched off takes its band with it.
        var b = si != null && bandOf[si];
        if (b) b.forEach(function (k) { if (u.series[k].show !== u.series[si].show) u.setSeries(k, { show: u.series[si].show }); });
      }] }
    };
    var u = new uPlot(opts, cols, el);
    var rows = el.querySelectorAll(".u-legend .u-series");
    hidden.forEach(function (k) { if (rows[k]) rows[k].style.display = "none"; });
    charts.push({ el: el, u: u });
    return u;
  }
  document.querySelectorAll(".ichart[data-chart]").forEach(function (el) {
    var spec = data.charts && data.charts[el.getAttribute("data-chart")];
    if (spec) makeChart(el, spec);
    else el.parentNode.classList.add("no-ichart");
  });
  document.querySelectorAll("figure.no-ichart .static-fig").forEach(function (d) { d.style.display = "block"; });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) { c.u.setSize({ width: Math.max(280, c.el.clientWidth), height: c.u.height }); });
    }, 150);
  });

  // ---- The map: pan (drag), zoom (wheel, buttons), hover read-out.
  var svg = document.getElementById("map-svg");
  var mapZoom = function () {};
  if (svg) {
    var vb0 = svg.viewBox.baseVal, W = vb0.width, H = vb0.height;
    var view = { x: 0, y: 0, w: W, h: H };
    var apply = function () { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return Math.round(v * 100) / 100; }).join(" ")); };
    var toMap = function (cx, cy) {
      var r = svg.getBoundingClientRect();
      return { x: view.x + (cx - r.left) / r.width * view.w, y: view.y + (cy - r.top) / r.height * view.h };
    };
    mapZoom = function (f, at) {
      var c = at || { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      var w = Math.min(W * 1.5, Math.max(W / 40, view.w / f)), k = w / view.w;
      view.x = c.x - (c.x - view.x) * k; view.y = c.y - (c.y - view.y) * k;
      view.w = w; view.h = view.h * k;
      apply();
    };
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      mapZoom(e.deltaY < 0 ? 1.25 : 0.8, toMap(e.clientX, e.clientY));
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) { drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y }; svg.style.cursor = "grabbing"; });
    window.addEventListener("pointerup", function () { drag = null; svg.style.cursor = ""; });
    window.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      view.x = drag.vx - (e.clientX - drag.x) / r.width * view.w;
      view.y = drag.vy - (e.clientY - drag.y) / r.height * view.h;
      apply();
    });
    document.querySelectorAll(".map-tools button").forEach(function (b) {
      b.addEventListener("click", function () {
        var z = b.getAttribute("data-zoom");
        if (z === "in") mapZoom(1.5); else if (z === "out") mapZoom(1 / 1.5);
        else { view = { x: 0, y: 0, w: W, h: H }; apply(); }
      });
    });
    var info = document.getElementById("map-info");
    svg.querySelectorAll("circle[data-info]").forEach(function (c) {
      c.addEventListener("mouseenter", function () { info.textContent = c.getAttribute("data-info"); c.classList.add("hi"); });
      c.addEventListener("mouseleave", function () { c.classList.remove("hi"); });
    });
  }

  // ---- Self-test (report.html?selftest): scripted events on the first chart
  // and the map, the results written on #report-ready for the browser test.
  var selftest = {};
  var later = function (fn) { setTimeout(function () { try { fn(); } catch (e) { window.__reportErrors.push("selftest: " + e); finish(); } }, 60); };
  var runSelftest = function () {
    var c0 = charts[0];
    if (!c0) return mapTest();
    var over = c0.u.over;
    over.scrollIntoView();
    var r = over.getBoundingClientRect();
    var ev = function (type, fx) {
      over.dispatchEvent(new MouseEvent(type, { bubbles: true, movementX: 5, clientX: r.left + r.width * fx, clientY: r.top + r.height / 2 }));
    };
    ev("mouseenter", 0.5); ev("mousemove", 0.5);
    later(function () {
      selftest.hoverIdx = String(c0.u.cursor.idx);
      var vals = Array.prototype.filter.call(c0.el.querySelectorAll(".u-legend .u-series"), function (r) { return r.style.display !== "none"; })
        .map(function (r) { return r.querySelector(".u-value").textContent; });
      selftest.hover = vals.join(" | ");
      ev("mousedown", 0.2); ev("mousemove", 0.6); ev("mouseup", 0.6);
      later(function () {
        var d = c0.u.data[0];
        selftest.zoom = (c0.u.scales.x.min > d[0] || c0.u.scales.x.max < d[d.length - 1]) ? "yes" : "no";
        var shown = Array.prototype.filter.call(c0.el.querySelectorAll(".u-legend .u-series"), function (r) { return r.style.display !== "none"; });
        var entry = shown[shown.length - 1];
        if (entry) entry.querySelector("th").dispatchEvent(new MouseEvent("click", { bubbles: true }));
        later(function () {
          selftest.toggle = entry && entry.classList.contains("u-off") ? "off" : "on";
          mapTest();
        });
      });
    });
  };
  var mapTest = function () {
    if (svg) {
      var before = svg.getAttribute("viewBox");
      var sr = svg.getBoundingClientRect();
      svg.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, deltaY: -100, clientX: sr.left + sr.width / 2, clientY: sr.top + sr.height / 2 }));
      selftest.mapZoom = svg.getAttribute("viewBox") !== before ? "yes" : "no";
      var sym = svg.querySelector("circle[data-info]");
      if (sym) { sym.dispatchEvent(new MouseEvent("mouseenter")); selftest.mapHover = document.getElementById("map-info").textContent; }
    }
    finish();
  };

  function finish() {
    var ready = document.createElement("div");
    ready.id = "report-ready";
    ready.hidden = true;
    ready.setAttribute("data-camps", String(data.camps.length));
    ready.setAttribute("data-runs", String(data.runs));
    ready.setAttribute("data-errors", String(window.__reportErrors.length));
    ready.setAttribute("data-charts", String(charts.length));
    Object.keys(selftest).forEach(function (k) { ready.setAttribute("data-selftest-" + k.toLowerCase(), selftest[k]); });
    document.body.appendChild(ready);
  }
  if (/[?&]selftest/.test(location.search)) later(runSelftest); else finish();
})();
