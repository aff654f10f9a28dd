/// The console's one style sheet, served as `/assets/console.css`.
enum ConsoleStyle {
    static let source = """
        :root { --fg: #1d2433; --muted: #6b7385; --line: #d9dde5; --accent: #2454c5; --bad: #b3261e; --ok: #1e7b34; --bg: #f6f7f9; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #1d2433; color: #fff; flex-wrap: wrap; }
        header nav { display: flex; gap: .2rem; margin-left: auto; }
        header nav a { color: #cfd6e6; text-decoration: none; padding: .3rem .6rem; border-radius: 4px; }
        header nav a[aria-current] { background: #34405a; color: #fff; }
        header .cluster { color: #9aa6bf; font-family: ui-monospace, monospace; }
        main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
        h1 { font-size: 1.4rem; margin: .4rem 0 1rem; }
        h2 { font-size: 1.1rem; margin-top: 1.6rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef0f4; font-weight: 600; }
        th a { color: inherit; }
        td pre { margin: 0; max-width: 70ch; white-space: pre-wrap; word-break: break-all; }
        pre.hex { font-size: 12px; color: #444; }
        tr.live { background: #fffbe6; }
        a { color: var(--accent); }
        .badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; background: #e3e6ec; font-size: 12px; color: var(--fg); }
        .badge.binary { background: #f2dede; color: #7a1c1c; }
        .badge.null { color: var(--muted); }
        .ok { color: var(--ok); } .bad { color: var(--bad); } .muted { color: var(--muted); }
        .banner { padding: .5rem .8rem; background: #eef3ff; border: 1px solid #c8d6fb; border-radius: 4px; }
        .banner.stale, .error { background: #fdecea; border: 1px solid #f5c2bd; color: var(--bad); padding: .5rem .8rem; border-radius: 4px; }
        .age { color: var(--muted); font-size: 12px; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: .6rem; }
        .figures div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
        .figures dt { color: var(--muted); font-size: 12px; } .figures dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
        .figures div.bad dd { color: var(--bad); }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
        form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
        form.stacked { display: grid; gap: .6rem; max-width: 640px; }
        form.stacked label { display: grid; gap: .2rem; }
        form.inline { display: inline; }
        textarea, input, select { font: inherit; padding: .25rem .4rem; }
        .button, button { display: inline-block; padding: .3rem .8rem; border: 1px solid var(--accent); border-radius: 4px; background: #fff; color: var(--accent); text-decoration: none; cursor: pointer; font: inherit; }
        .js-only { display: none; }
        .js .js-only { display: inline-block; }
        .js .js-only[hidden] { display: none; }
        ul.headers { margin: 0; padding-left: 1rem; }
        dl.record dt { font-weight: 600; margin-top: .6rem; }
        dl.record dd pre { white-space: pre-wrap; word-break: break-all; }
        """
}
