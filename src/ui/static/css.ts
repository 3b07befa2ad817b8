/** The UI's one stylesheet, served from the process at /static/tessera.css. Light and dark (prefers-color-scheme). */
export const CSS = String.raw`
:root {
  --bg: #f7f7f5; --panel: #ffffff; --text: #1d1f23; --muted: #646a73; --line: #e3e4e0;
  --accent: #3b5bdb; --accent-soft: #edf1ff;
  --bad: #c92a2a; --bad-soft: #fff0f0; --good: #2b8a3e; --good-soft: #ebfbee;
  --warn: #b35c00; --warn-soft: #fff4e0; --code: #f1f2ee;
  --radius: 8px; --shadow: 0 1px 2px rgba(20,20,30,.06), 0 1px 8px rgba(20,20,30,.04);
  --mono: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --panel: #1d2024; --text: #e6e7e9; --muted: #9aa0a8; --line: #30343a;
    --accent: #8ea6ff; --accent-soft: #232a44;
    --bad: #ff8787; --bad-soft: #3a1f22; --good: #69db7c; --good-soft: #1c3324;
    --warn: #ffc078; --warn-soft: #3a2c19; --code: #262a30;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  line-height: 1.5; -webkit-font-smoothing: antialiased;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: var(--mono); font-size: .88em; }
code { background: var(--code); padding: .1em .35em; border-radius: 4px; }
header.top {
  display: flex; align-items: center; gap: 1.5rem; padding: .7rem 1.5rem;
  background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 5;
}
.brand { font-weight: 700; color: var(--text); letter-spacing: -.01em; font-size: 1.05rem; display: flex; align-items: center; gap: .45rem; }
.brand:hover { text-decoration: none; }
.brand .mark { display: inline-grid; grid-template-columns: 1fr 1fr; gap: 2px; width: 16px; height: 16px; }
.brand .mark i { background: var(--accent); border-radius: 2px; }
.brand .mark i:nth-child(2), .brand .mark i:nth-child(3) { opacity: .45; }
nav.main { display: flex; gap: .25rem; flex: 1; }
nav.main a { color: var(--muted); padding: .35rem .7rem; border-radius: 6px; font-weight: 500; }
nav.main a:hover { background: var(--bg); text-decoration: none; color: var(--text); }
nav.main a[aria-current="page"] { color: var(--text); background: var(--accent-soft); }
.who { color: var(--muted); font-size: .85rem; text-align: right; }
main { max-width: 1180px; margin: 0 auto; padding: 1.6rem 1.5rem 3rem; }
footer { max-width: 1180px; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted); font-size: .8rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; letter-spacing: -.02em; font-weight: 650; }
h1 .mono { font-size: .95em; }
h2 { font-size: 1.05rem; margin: 2rem 0 .7rem; font-weight: 650; }
h2 .count { color: var(--muted); font-weight: 500; }
.sub { color: var(--muted); margin: 0 0 1.2rem; }
.description { max-width: 75ch; margin: .6rem 0 0; white-space: pre-wrap; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); }
.panel.pad { padding: 1rem 1.2rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 1rem; margin: 1.2rem 0; }
.card { padding: 1rem 1.2rem; }
.card .n { font-size: 2rem; font-weight: 700; letter-spacing: -.03em; line-height: 1.1; }
.card .l { color: var(--muted); font-size: .85rem; }
.card a, a.card { color: inherit; } a.card:hover { text-decoration: none; border-color: var(--accent); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .55rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; background: var(--panel); }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: color-mix(in srgb, var(--accent-soft) 35%, transparent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.panel > table { border-radius: var(--radius); overflow: hidden; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.pill {
  display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .78rem; font-weight: 600;
  background: var(--code); color: var(--muted); white-space: nowrap; border: 1px solid transparent;
}
.pill.good { background: var(--good-soft); color: var(--good); }
.pill.bad { background: var(--bad-soft); color: var(--bad); }
.pill.warn { background: var(--warn-soft); color: var(--warn); }
.pill.info { background: var(--accent-soft); color: var(--accent); }
.tag { display: inline-block; font-size: .75rem; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 4px; color: var(--muted); margin-right: .25rem; }
.chip { display: inline-flex; align-items: center; gap: .3rem; font-family: var(--mono); font-size: .78rem; padding: .05rem .45rem; border-radius: 5px; background: var(--code); margin: 0 .25rem .2rem 0; white-space: nowrap; }
.dot { width: .55rem; height: .55rem; border-radius: 50%; display: inline-block; background: var(--muted); }
.dot.pass { background: var(--good); } .dot.fail, .dot.error { background: var(--bad); } .dot.warn { background: var(--warn); }
.meta { display: flex; flex-wrap: wrap; gap: .4rem 1.4rem; color: var(--muted); font-size: .88rem; margin-top: .6rem; }
.meta b { color: var(--text); font-weight: 600; }
.grid2 { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 1.5rem; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } header.top { flex-wrap: wrap; } }
.banner { padding: .7rem 1rem; border-radius: var(--radius); margin-bottom: 1rem; border: 1px solid; }
.banner.ok { background: var(--good-soft); color: var(--good); border-color: color-mix(in srgb, var(--good) 30%, transparent); }
.banner.error { background: var(--bad-soft); color: var(--bad); border-color: color-mix(in srgb, var(--bad) 30%, transparent); }
.banner.warn { background: var(--warn-soft); color: var(--warn); border-color: color-mix(in srgb, var(--warn) 30%, transparent); }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: 0 0 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .75rem; color: var(--muted); gap: .2rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
input, select, textarea, button { font: inherit; color: var(--text); }
input[type=search], input[type=text], input[type=date], select, textarea {
  background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; min-width: 9rem;
}
input[type=search] { min-width: 18rem; }
input:focus, select:focus, textarea:focus { outline: 2px solid color-mix(in srgb, var(--accent) 45%, transparent); outline-offset: 0; border-color: var(--accent); }
textarea { width: 100%; min-height: 4.2rem; resize: vertical; }
button, .button {
  border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: .45rem .95rem; cursor: pointer; font-weight: 600;
  display: inline-flex; align-items: center; gap: .35rem;
}
button:hover { border-color: var(--muted); }
button.approve { background: var(--good); border-color: var(--good); color: #fff; }
button.migrating { background: var(--warn-soft); border-color: color-mix(in srgb, var(--warn) 40%, transparent); color: var(--warn); }
button.block { background: var(--bad-soft); border-color: color-mix(in srgb, var(--bad) 40%, transparent); color: var(--bad); }
@media (prefers-color-scheme: dark) { button.approve { color: #10240f; } }
button[disabled] { opacity: .6; cursor: progress; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; margin-top: .8rem; }
.ackform .row { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; }
.ackform label { display: flex; flex-direction: column; gap: .25rem; font-size: .8rem; color: var(--muted); font-weight: 600; }
.ackform .grow { flex: 1; min-width: 16rem; }
.progress { display: flex; height: 6px; border-radius: 3px; overflow: hidden; background: var(--code); min-width: 90px; }
.progress i { display: block; }
.progress .a { background: var(--good); } .progress .m { background: var(--warn); } .progress .b { background: var(--bad); }
.diff { margin: 0; padding: 0; list-style: none; }
.diff li { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: .8rem; padding: .6rem 1rem; border-bottom: 1px solid var(--line); border-left: 3px solid transparent; }
.diff li:last-child { border-bottom: 0; }
.diff li.breaking { border-left-color: var(--bad); background: color-mix(in srgb, var(--bad-soft) 55%, transparent); }
.diff li.compatible { border-left-color: var(--good); }
.diff li.warning { border-left-color: var(--warn); }
.diff .rule { font-family: var(--mono); font-size: .8rem; font-weight: 600; }
.diff .path { font-family: var(--mono); font-size: .8rem; color: var(--muted); }
.diff .meaning { color: var(--muted); font-size: .85rem; }
.verdict.breaking { color: var(--bad); font-weight: 700; }
.verdict.compatible { color: var(--good); font-weight: 700; }
.answers li { display: grid; grid-template-columns: 9rem 7rem minmax(0,1fr); gap: .8rem; align-items: baseline; }
.empty { padding: 1.2rem; color: var(--muted); text-align: center; }
.pager { display: flex; gap: .8rem; align-items: center; justify-content: space-between; padding: .6rem 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
.stack > * + * { margin-top: 1rem; }
.id { font-family: var(--mono); font-size: .85rem; font-weight: 600; }
td .desc { color: var(--muted); font-size: .85rem; max-width: 48ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; font-size: .9rem; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.teamform .row { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; }
.teamform label { display: flex; flex-direction: column; gap: .25rem; font-size: .8rem; color: var(--muted); font-weight: 600; }
.teamform .grow { flex: 1; min-width: 16rem; }
.teamform input[type=password], .teamform input[type=file] { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; }
.teamform textarea.mono { font-family: var(--mono); font-size: .85rem; }
form.inline { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
form.signout { display: inline; margin-left: .5rem; }
form.signout button { padding: .2rem .6rem; font-size: .8rem; }
`;
