/** The inline style and script of timeline.html (no network: everything the page needs is in the file). */
export const pageStyle = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1e293b;margin:20px 24px;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 2px}
.sub{color:#64748b;margin:0 0 10px}.verdict{font-weight:600;padding:1px 8px;border-radius:10px;color:#fff}
.verdict.passed{background:#16a34a}.verdict.failed{background:#dc2626}.verdict.inconclusive{background:#d97706}.verdict.unknown{background:#64748b}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:8px 0 4px;font-size:12.5px;color:#334155}
.legend span{display:inline-flex;align-items:center;gap:5px}.sw{width:12px;height:12px;display:inline-block;border-radius:2px}
svg{display:block;max-width:100%;height:auto;font-size:11px}
svg .plot-bg{fill:#f8fafc}svg .grid{stroke:#e2e8f0}svg .axis{stroke:#94a3b8}svg .lane{stroke:#e2e8f0}
svg .tick{fill:#64748b;font-size:10.5px}svg .axis-title{fill:#475569;font-size:11px}
svg .lane-label{fill:#334155;font-size:11.5px}svg .marker-label{font-size:10.5px;font-weight:600}
svg .marker.replica{stroke-width:1;opacity:.55}svg .rollout{fill:#fde68a;opacity:.35}
svg .rollout-label{fill:#a16207;font-size:10.5px;font-weight:600}svg .hover{stroke:#0f172a;stroke-width:1}
svg .phase-band{fill:#cbd5e1}svg .phase-band:hover{fill:#94a3b8}svg .band-label{fill:#0f172a;font-size:10.5px;pointer-events:none}
svg .step-0{fill:#e0e7ff}svg .step-1{fill:#c7d2fe}
.summary{color:#475569;font-size:13px;margin:0 0 4px}.failed-count{color:#dc2626;font-weight:600}
#tip{position:absolute;pointer-events:none;background:#0f172a;color:#f8fafc;font:12px/1.35 ui-monospace,monospace;
white-space:pre;padding:6px 8px;border-radius:4px;box-shadow:0 2px 6px #0003}
details{margin-top:24px}table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;border-bottom:1px solid #e2e8f0;text-align:left;vertical-align:top}
td.t{font-variant-numeric:tabular-nums;white-space:nowrap}
`;

/** Hover: the bucket under the pointer (requests by outcome and by version). */
export const pageScript = `
(() => {
  const data = JSON.parse(document.getElementById('timeline-data').textContent);
  const tip = document.getElementById('tip');
  const hide = (svg) => { tip.hidden = true; svg.querySelector('line.hover').setAttribute('visibility', 'hidden'); };
  for (const svg of document.querySelectorAll('svg.section')) {
    const s = data.sections[Number(svg.dataset.section)];
    const left = Number(svg.dataset.left), width = Number(svg.dataset.width);
    const top = Number(svg.dataset.top), bottom = Number(svg.dataset.bottom);
    const hover = svg.querySelector('line.hover');
    svg.addEventListener('mousemove', (ev) => {
      const box = svg.getBoundingClientRect();
      const sx = (ev.clientX - box.left) * (svg.viewBox.baseVal.width / box.width);
      const sy = (ev.clientY - box.top) * (svg.viewBox.baseVal.height / box.height);
      const i = Math.floor(((sx - left) / width) * s.served.length);
      if (i < 0 || i >= s.served.length || sy < top || sy > bottom) return hide(svg);
      hover.setAttribute('x1', sx); hover.setAttribute('x2', sx); hover.setAttribute('visibility', 'visible');
      const at = ((s.start + i * s.bucketMs) / 1000).toFixed(1);
      const lines = ['+' + at + ' s (' + s.bucketMs + ' ms)', 'served   ' + s.served[i], 'refused  ' + s.refused[i], 'failed   ' + s.failed[i]];
      data.versions.forEach((v, k) => { if (s.byVersion[k][i]) lines.push(v + '  ' + s.byVersion[k][i]); });
      tip.textContent = lines.join('\\n');
      tip.style.left = ev.pageX + 14 + 'px'; tip.style.top = ev.pageY + 14 + 'px'; tip.hidden = false;
    });
    svg.addEventListener('mouseleave', () => hide(svg));
  }
})();
`;
