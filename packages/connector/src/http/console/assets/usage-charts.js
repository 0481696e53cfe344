// API usage charts with chart.js (served from node_modules as /console/vendor/chart.umd.min.js): per tenant, the
// calls of each purpose per hour over 24 hours, stacked, against a line at the tenant's hourly share. The figures
// come from a JSON data block beside each canvas; the same figures are in the table under it.
/* global document, window, getComputedStyle */
(function () {
  'use strict';
  var PALETTE = ['#2f6fd6', '#d9822b', '#2e9e6a', '#9b59b6', '#c0392b', '#16a2b8', '#7f8c8d', '#b8860b'];

  function colours() {
    var style = getComputedStyle(document.documentElement);
    return {
      text: style.getPropertyValue('--text').trim() || '#1b1f24',
      grid: style.getPropertyValue('--border').trim() || '#d0d7de',
      share: style.getPropertyValue('--fail').trim() || '#b42318',
    };
  }

  var charts = [];
  function draw() {
    charts.forEach(function (chart) {
      chart.destroy();
    });
    charts = [];
    var c = colours();
    document.querySelectorAll('canvas.usage-chart').forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute('data-source'));
      if (!source || typeof window.Chart === 'undefined') return;
      var data = JSON.parse(source.textContent || '{}');
      var datasets = (data.series || []).map(function (series, i) {
        return {
          type: 'bar',
          label: series.purpose,
          data: series.calls,
          backgroundColor: PALETTE[i % PALETTE.length],
          stack: 'calls',
        };
      });
      if (data.sharePerHour !== null && data.sharePerHour !== undefined) {
        datasets.push({
          type: 'line',
          label: 'hourly share',
          data: data.labels.map(function () {
            return data.sharePerHour;
          }),
          borderColor: c.share,
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false,
        });
      }
      charts.push(
        new window.Chart(canvas, {
          data: { labels: data.labels, datasets: datasets },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            color: c.text,
            scales: {
              x: { stacked: true, ticks: { color: c.text }, grid: { color: c.grid } },
              y: {
                stacked: true,
                beginAtZero: true,
                title: { display: true, text: 'calls per hour', color: c.text },
                ticks: { color: c.text, precision: 0 },
                grid: { color: c.grid },
              },
            },
            plugins: { legend: { labels: { color: c.text } } },
          },
        }),
      );
    });
  }
  document.addEventListener('DOMContentLoaded', draw);
  document.addEventListener('console-theme', draw);
})();
