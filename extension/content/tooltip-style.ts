/** The tooltip's own styles, inside its shadow root: nothing of the page's CSS reaches in. */
export const TOOLTIP_CSS = `
:host { all: initial; }
.card {
  box-sizing: border-box; max-width: min(24rem, calc(100vw - 16px)); max-height: min(60vh, 28rem); overflow: auto;
  padding: 10px 12px; border-radius: 8px; border: 1px solid #d5d9e0;
  background: #ffffff; color: #1c1e21; box-shadow: 0 6px 24px rgba(0, 0, 0, .18);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
  text-align: start; white-space: normal; letter-spacing: normal; outline: none;
}
.card:focus-visible { box-shadow: 0 0 0 2px #3b6fd8, 0 6px 24px rgba(0, 0, 0, .18); }
.head { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; margin-bottom: 4px; }
.term { font-weight: 650; font-size: 15px; }
.field { font-size: 12px; color: #5b6270; }
p { margin: 0 0 6px; }
.long { color: #30343b; }
.related { font-size: 13px; }
.actions { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-top: 6px; font-size: 13px; }
button, a { font: inherit; color: #2454b8; }
button { background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline; text-underline-offset: 2px; }
.know { margin-inline-start: auto; color: #5b6270; }
.note { color: #5b6270; }
.origin { font-size: 12px; color: #5b6270; }
[hidden] { display: none !important; }
@media (prefers-color-scheme: dark) {
  .card { background: #23262b; color: #e8eaed; border-color: #444a53; }
  .field, .know, .note, .origin { color: #a9b0bb; }
  .long { color: #d3d6db; }
  button, a { color: #8ab4f8; }
}
`;
