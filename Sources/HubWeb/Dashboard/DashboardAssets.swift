/// The dashboard's stylesheet and script, served by the hub itself (`/static/…`): no CDN.
enum DashboardAssets {
    static let css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; }
        header { background: #1d2330; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
        header a { color: #cfe0ff; text-decoration: none; } header h1 { font-size: 18px; margin: 0 16px 0 0; }
        main { padding: 16px; max-width: 1100px; }
        .cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
        .card { background: #fff; border-radius: 6px; padding: 8px 14px; box-shadow: 0 1px 2px #0002; min-width: 120px; }
        .card b { display: block; font-size: 22px; }
        table { border-collapse: collapse; background: #fff; width: 100%; margin: 8px 0 16px; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e6ea; }
        .chart { width: 100%; max-width: 760px; background: #fff; }
        .chart .plot { fill: #fff; stroke: #ccd; } .chart .grid { stroke: #eef; } .chart .axis { font-size: 10px; fill: #667; }
        .chart .series { fill: none; stroke-width: 1.5; } .chart .rate { stroke: #d0342c; } .chart .score { stroke: #2c6bd0; }
        .chart circle.series { fill: currentColor; } .chart .reference { stroke: #e09b00; stroke-dasharray: 4 3; }
        .state-normal { color: #2a7a2a; } .state-warning { color: #b07000; } .state-alarm { color: #c0201a; font-weight: bold; }
        .online { color: #2a7a2a; } .offline { color: #888; } td.problem { color: #c0201a; font-weight: bold; }
        .outage { background: #fdecea; border: 1px solid #c0201a; border-radius: 6px; padding: 8px 12px; margin: 0 0 12px; }
        button { margin-right: 4px; } .empty { color: #888; } .error { color: #c0201a; }
        img.spectrogram { display: block; width: 320px; height: 96px; margin-top: 4px; image-rendering: pixelated; }
        td.alarm-active_unacknowledged { color: #c0201a; font-weight: bold; } td.alarm-active_acknowledged { color: #b07000; }
        td.alarm-cleared { color: #2a7a2a; } td.alarm-closed { color: #888; }
        .shelved { display: inline-block; background: #e6e9f5; color: #334; border-radius: 4px; padding: 0 5px; font-size: 12px; }
        form.alarm-action { background: #fff; border-radius: 6px; padding: 6px 10px; margin: 6px 0; box-shadow: 0 1px 2px #0002; }
        .chart .score-max { stroke: #2c6bd0; stroke-width: 0.75; opacity: 0.6; } .chart .deviation { stroke: #b2182b; }
        .chart .peak { fill: #b2182b; } .note { color: #556; font-size: 12px; margin: 2px 0 6px; }
        nav.ranges { display: flex; gap: 4px; margin: 4px 0; } nav.ranges a { padding: 2px 10px; border-radius: 4px;
          background: #fff; border: 1px solid #ccd; color: #1d2330; text-decoration: none; }
        nav.ranges a[aria-current] { background: #1d2330; color: #fff; }
        #overview .site { background: #fff; padding: 6px 10px; margin: 6px 0; border-radius: 6px; } #overview h4 { margin: 2px 0; }
        #overview .line { display: flex; gap: 8px; align-items: flex-start; margin: 2px 0; }
        #overview .line-name { flex: 0 0 240px; font-size: 12px; } #overview .cells { display: flex; flex-wrap: wrap; gap: 2px; }
        #overview .cells a, .legend .cell { display: inline-block; width: 11px; height: 11px; border-radius: 2px; }
        .s-normal { background: #4caf50; } .s-warning { background: #f0a020; } .s-alarm { background: #d32f2f; } .s-none { background: #c8ccd2; }
        .spectra { display: flex; gap: 8px; align-items: flex-start; flex-wrap: wrap; } .spectra figure { margin: 0; }
        .spectra figure.wide img { width: 400px; height: 160px; } .spectra figure.narrow img { width: 32px; height: 160px; }
        .spectra img { display: block; image-rendering: pixelated; border: 1px solid #ccd; } figcaption { font-size: 12px; color: #556; max-width: 400px; }
        .chart.when { max-width: 820px; height: 110px; } td.louder { color: #b2182b; } td.quieter { color: #2166ac; }
        """

    static let js = """
        // Mark audio elements that loaded, so a page check (or a person) can see playback is ready.
        document.addEventListener('DOMContentLoaded', () => {
          for (const audio of document.querySelectorAll('audio')) {
            audio.addEventListener('loadedmetadata', () => { audio.dataset.loaded = 'true'; });
            audio.addEventListener('error', () => { audio.dataset.loaded = 'error'; });
          }
        });
        // Write actions (labels, rollouts, retraining) POST with the bearer token kept in this browser's
        // localStorage; a refused token is forgotten, so the next action asks again.
        async function post(url, body) {
          let token = localStorage.getItem('earshot-token');
          if (!token) { token = prompt('Hub token'); if (!token) return null; localStorage.setItem('earshot-token', token); }
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token },
            body: JSON.stringify(body),
          });
          if (response.status === 401) localStorage.removeItem('earshot-token');
          return response;
        }
        async function show(response, element) {
          if (!response || !element) return;
          element.textContent = response.ok ? 'done' : response.status === 401 ? 'token refused' : response.status + ': ' + await response.text();
          if (response.ok && element.dataset.reload) setTimeout(() => location.reload(), 500);
        }
        document.addEventListener('click', async (event) => {
          const label = event.target.closest('button[data-label]');
          if (label) {
            const response = await post(label.dataset.url, { label: label.dataset.label, author: 'dashboard' });
            const cell = document.getElementById(label.dataset.target);
            if (response && response.status === 401 && cell) { cell.textContent = 'token refused'; return; }
            if (response && response.ok && cell) { cell.textContent = label.dataset.label; }
            return;
          }
          const action = event.target.closest('button[data-action]');
          if (action) await show(await post(action.dataset.action, {}), document.getElementById(action.dataset.target));
        });
        // Signing in to read the dashboard also keeps the token for write actions.
        document.addEventListener('submit', (event) => {
          const login = event.target.closest('form#login');
          if (login) localStorage.setItem('earshot-token', login.elements.token.value);
        });
        // Forms whose data-api URL takes the fields as a JSON body ({family} in the URL is filled in).
        document.addEventListener('submit', async (event) => {
          const form = event.target.closest('form[data-api]');
          if (!form) return;
          event.preventDefault();
          const body = {};
          for (const [key, value] of new FormData(form)) {
            if (value !== '') body[key] = form.elements[key].type === 'number' ? Number(value) : value;
          }
          const url = form.dataset.api.replace('{family}', encodeURIComponent(body.family || ''));
          await show(await post(url, body), form.querySelector('.api-result'));
        });
        """
}
