/** The matrix page's stylesheet (inline: the page is one self-contained file). */
export const pageStyle = `
:root { font-family: system-ui, sans-serif; color: #1d2430; background: #fafbfc; }
body { margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.gate { display: inline-block; padding: 4px 10px; border-radius: 4px; font-weight: 600; margin: 8px 0; }
.gate.ok { background: #dff5e3; color: #14632a; } .gate.bad { background: #fde2e1; color: #8d1c17; }
.gate.unsure { background: #fff1cc; color: #7a5300; }
table.matrix { border-collapse: collapse; margin: 16px 0; }
table.matrix th, table.matrix td { border: 1px solid #d5dae1; padding: 8px 10px; vertical-align: top; }
table.matrix thead th { background: #eef1f5; font-size: 13px; }
table.matrix tbody th { text-align: left; background: #f4f6f9; white-space: nowrap; font-size: 13px; }
td.cell { min-width: 220px; font-size: 13px; }
td.cell.empty { background: #f4f4f4; color: #888; }
.verdict { font-weight: 700; text-transform: uppercase; font-size: 12px; letter-spacing: .04em; }
td.passed { background: #f0fbf2; } td.passed .verdict { color: #14632a; }
td.failed { background: #fff3f2; } td.failed .verdict { color: #b3261e; }
td.inconclusive { background: #fffaeb; } td.inconclusive .verdict { color: #8a5a00; }
td.refused { background: #f3f0fa; } td.refused .verdict { color: #5b3e96; }
td.missing { background: #f4f4f4; } td.missing .verdict { color: #555; }
.path { color: #555; font-size: 12px; }
dl.figures { display: grid; grid-template-columns: max-content max-content; gap: 1px 10px; margin: 6px 0; }
dl.figures dt { color: #5a6473; } dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; }
ul.failed-checks, ul.problems { margin: 4px 0; padding-left: 18px; }
ul.failed-checks li, ul.problems li { margin: 2px 0; }
.badge { font-size: 11px; background: #e3e8ef; border-radius: 3px; padding: 1px 5px; margin-left: 4px; }
section.regressions li { color: #8d1c17; }
footer { color: #6b7482; font-size: 12px; margin-top: 24px; }
`;
