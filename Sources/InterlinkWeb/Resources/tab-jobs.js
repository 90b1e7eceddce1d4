// The Jobs tab: the account's Rescale jobs, paged on the server, filtered by status and searched by name; a job's
// details, stop, delete (after a confirmation; a running job is refused with the reason), its live log, and the
// download of its outputs into the study directory with progress.
(function () {
  'use strict';
  const el = (...args) => IL.el(...args);
  if (!document.getElementById('tab-tools-css')) {
    document.head.append(IL.el('link', { id: 'tab-tools-css', rel: 'stylesheet', href: '/static/tab-tools.css' }));
  }
  const STATUSES = ['', 'Queued', 'Validated', 'Started', 'Executing', 'Stopping', 'Completed'];
  // Status is told by a symbol and a word, never by colour alone.
  function statusBadge(job) {
    const word = job.status;
    const reason = job.reason || '';
    const symbol = job.ended ? (/fail/i.test(reason) ? '✗' : /stop/i.test(reason) ? '■' : '✓')
      : word === 'Not submitted' ? '○' : word === 'Stopping' ? '■' : '●';
    const kind = job.ended ? (symbol === '✗' ? 'failed' : 'done') : word === 'Not submitted' ? 'pending' : 'running';
    return el('span', { class: 'status status-' + kind }, symbol + ' ' + word + (job.reason ? ' (' + job.reason + ')' : ''));
  }

  const state = { page: 1, pageSize: 25, status: '', search: '', selected: null, log: null };

  function toolbar(section) {
    const status = el('select', { id: 'jobs-status' });
    for (const value of STATUSES) {
      const option = el('option', { value: value }, value || 'Any status');
      if (value === state.status) option.selected = true;
      status.append(option);
    }
    const search = el('input', { id: 'jobs-search', type: 'search', value: state.search, placeholder: 'name contains…' });
    const size = el('select', { id: 'jobs-page-size' });
    for (const value of [10, 25, 50, 100]) {
      const option = el('option', { value: String(value) }, String(value));
      if (value === state.pageSize) option.selected = true;
      size.append(option);
    }
    const refresh = el('button', { type: 'submit', id: 'jobs-refresh' }, 'Search');
    const form = el('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter jobs' },
      el('label', { for: 'jobs-status' }, 'Status'), status,
      el('label', { for: 'jobs-search' }, 'Search'), search,
      el('label', { for: 'jobs-page-size' }, 'Per page'), size, refresh);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      state.status = status.value;
      state.search = search.value.trim();
      state.pageSize = Number(size.value);
      state.page = 1;
      loadTable(section);
    });
    status.addEventListener('change', () => form.requestSubmit());
    return form;
  }

  async function loadTable(section) {
    const body = section.querySelector('#jobs-rows');
    const pager = section.querySelector('#jobs-pager');
    const note = section.querySelector('#jobs-note');
    note.textContent = 'Loading…';
    const query = new URLSearchParams({ page: String(state.page), pageSize: String(state.pageSize) });
    if (state.status) query.set('status', state.status);
    if (state.search) query.set('search', state.search);
    let table;
    try {
      table = await IL.api('/api/jobs?' + query.toString());
    } catch (error) {
      note.textContent = '✗ ' + error.message;
      body.replaceChildren();
      return;
    }
    body.replaceChildren(...table.jobs.map((job) => row(section, job)));
    note.textContent = table.jobs.length
      ? 'Page ' + table.page + (table.total != null ? ' of ' + Math.max(1, Math.ceil(table.total / table.pageSize)) + ' (' + table.total + ' jobs)' : '')
      : 'No jobs match.';
    const previous = el('button', { type: 'button', id: 'jobs-previous' }, '← Previous');
    const next = el('button', { type: 'button', id: 'jobs-next' }, 'Next →');
    previous.disabled = table.page <= 1;
    next.disabled = !table.hasNext;
    previous.addEventListener('click', () => { state.page -= 1; loadTable(section); });
    next.addEventListener('click', () => { state.page += 1; loadTable(section); });
    pager.replaceChildren(previous, next);
  }

  function row(section, job) {
    const details = el('button', { type: 'button', class: 'link', 'aria-label': 'Details of ' + job.name }, job.name || job.id);
    details.addEventListener('click', () => showDetails(section, job.id));
    const stop = el('button', { type: 'button', 'data-action': 'stop', 'aria-label': 'Stop ' + job.name }, 'Stop');
    stop.disabled = job.ended;
    stop.addEventListener('click', () => stopJob(section, job));
    const remove = el('button', { type: 'button', 'data-action': 'delete', 'aria-label': 'Delete ' + job.name }, 'Delete');
    remove.addEventListener('click', () => deleteJob(section, job));
    return el('tr', { 'data-job': job.id },
      el('td', {}, el('code', {}, job.id)), el('td', {}, details), el('td', {}, statusBadge(job)),
      el('td', {}, job.created ? new Date(job.created).toLocaleString() : '—'),
      el('td', { class: 'actions' }, stop, remove));
  }

  function say(section, text) {
    section.querySelector('#jobs-message').textContent = text;
  }

  async function stopJob(section, job) {
    say(section, 'Stopping ' + job.id + '…');
    try {
      const outcome = await IL.api('/api/jobs/' + encodeURIComponent(job.id) + '/stop', { method: 'POST', body: {} });
      say(section, outcome.outcome === 'ended'
        ? 'Job ' + job.id + ' has already ended (' + outcome.status + ').'
        : '■ Stop requested for job ' + job.id + '.');
    } catch (error) {
      say(section, '✗ Stop failed: ' + error.message);
    }
    loadTable(section);
  }

  function confirmDialog(text) {
    return new Promise((resolve) => {
      const cancel = el('button', { type: 'button', value: 'cancel' }, 'Cancel');
      const confirm = el('button', { type: 'button', value: 'delete', class: 'danger', id: 'jobs-confirm-delete' }, 'Delete');
      const dialog = el('dialog', { id: 'jobs-confirm', 'aria-labelledby': 'jobs-confirm-text' },
        el('p', { id: 'jobs-confirm-text' }, text), el('div', { class: 'actions' }, cancel, confirm));
      const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
      cancel.addEventListener('click', () => close(false));
      confirm.addEventListener('click', () => close(true));
      dialog.addEventListener('cancel', () => close(false));
      document.body.append(dialog);
      dialog.showModal();
      cancel.focus();
    });
  }

  async function deleteJob(section, job) {
    if (!(await confirmDialog('Delete job ' + job.id + ' (' + job.name + ')? This cannot be undone.'))) {
      say(section, 'Nothing deleted.');
      return;
    }
    try {
      await IL.api('/api/jobs/' + encodeURIComponent(job.id) + '/delete', { method: 'POST', body: {} });
      say(section, '✓ Deleted job ' + job.id + '.');
    } catch (error) {
      say(section, '✗ Not deleted: ' + error.message);
    }
    loadTable(section);
  }

  function closeLog() {
    if (state.log) { state.log.close(); state.log = null; }
  }

  async function showDetails(section, id) {
    closeLog();
    const panel = section.querySelector('#jobs-details');
    panel.replaceChildren(el('p', {}, 'Loading ' + id + '…'));
    let details;
    try {
      details = await IL.api('/api/jobs/' + encodeURIComponent(id));
    } catch (error) {
      panel.replaceChildren(el('p', { class: 'error' }, '✗ ' + error.message));
      return;
    }
    const job = details.job;
    const facts = [['ID', job.id], ['Name', job.name], ['Status', statusBadge(job)], ['Created', job.created || '—'],
      ['Owner', details.owner || '—'], ['Analysis', details.analysis || '—'], ['Core type', details.coreType || '—'],
      ['Cores per slot', details.coresPerSlot != null ? String(details.coresPerSlot) : '—'], ['Command', details.command || '—']];
    const list = el('dl', {});
    for (const [term, value] of facts) list.append(el('dt', {}, term), el('dd', {}, value));
    const log = el('pre', { id: 'jobs-log', class: 'log', tabindex: '0', 'aria-label': 'process_output.log of ' + job.id });
    const logState = el('p', { id: 'jobs-log-state', role: 'status', 'aria-live': 'polite' });
    const follow = el('button', { type: 'button', id: 'jobs-follow' }, 'Follow log');
    follow.addEventListener('click', () => {
      if (state.log) {
        closeLog();
        follow.textContent = 'Follow log';
        logState.textContent = 'Not following.';
      } else {
        followLog(job.id, log, logState, follow);
      }
    });
    const target = el('input', { id: 'jobs-download-dir', type: 'text', value: 'jobs/' + job.id });
    const download = el('button', { type: 'button', id: 'jobs-download' }, 'Download outputs');
    const progress = el('ul', { id: 'jobs-transfers', class: 'transfers', 'aria-live': 'polite' });
    download.addEventListener('click', () => downloadOutputs(job.id, target.value.trim(), download, progress, logState));
    panel.replaceChildren(el('h3', {}, 'Job ' + job.id), list,
      el('div', { class: 'toolbar' }, follow,
        el('label', { for: 'jobs-download-dir' }, 'Into (under the study directory)'), target, download),
      progress, logState, log);
    panel.focus();
  }

  function followLog(id, log, logState, button) {
    closeLog();
    log.textContent = '';
    logState.textContent = 'Following the log…';
    button.textContent = 'Stop following';
    const source = new EventSource('/api/jobs/' + encodeURIComponent(id) + '/log');
    state.log = source;
    const stopFollowing = () => {
      closeLog();
      button.textContent = 'Follow log';
    };
    source.addEventListener('lines', (event) => {
      const lines = JSON.parse(event.data);
      if (lines.length) log.append(lines.join('\n') + '\n');
      log.scrollTop = log.scrollHeight;
    });
    source.addEventListener('waiting', (event) => { logState.textContent = '○ ' + JSON.parse(event.data)[0]; });
    source.addEventListener('end', (event) => { logState.textContent = '✓ ' + JSON.parse(event.data)[0]; stopFollowing(); });
    source.addEventListener('error', (event) => {
      if (event.data) logState.textContent = '✗ ' + JSON.parse(event.data)[0];
      stopFollowing();
    });
  }

  function transferLine(transfer) {
    const percent = transfer.total ? Math.floor(transfer.bytes * 100 / transfer.total) : null;
    const bar = el('progress', { max: '100', value: String(percent || 0), 'aria-label': transfer.name });
    const words = transfer.state === 'failed' ? '✗ failed: ' + transfer.error
      : transfer.state === 'done' ? '✓ done'
      : (percent != null ? percent + '%' : IL.fmtBytes(transfer.bytes)) + ' at ' + IL.fmtBytes(transfer.rate) + '/s'
        + (transfer.eta != null ? ', ' + IL.fmtDuration(transfer.eta) + ' left' : '');
    return el('li', { 'data-transfer': transfer.id, 'data-state': transfer.state }, transfer.name + ' ', bar, ' ' + words);
  }

  async function downloadOutputs(id, path, button, progress, logState) {
    button.disabled = true;
    const poll = setInterval(async () => {
      try {
        const transfers = await IL.api('/api/jobs/transfers');
        progress.replaceChildren(...transfers.map(transferLine));
      } catch (error) { /* the next poll tries again */ }
    }, 300);
    try {
      const summary = await IL.api('/api/jobs/' + encodeURIComponent(id) + '/download', { method: 'POST', body: { path: path } });
      logState.textContent = '✓ Outputs in ' + summary.path + ': ' + summary.downloaded + ' downloaded ('
        + IL.fmtBytes(summary.bytes) + '), ' + summary.present + ' already there.';
    } catch (error) {
      logState.textContent = '✗ Download failed: ' + error.message;
    }
    clearInterval(poll);
    progress.replaceChildren(...(await IL.api('/api/jobs/transfers')).map(transferLine));
    button.disabled = false;
  }

  IL.onTab('jobs', (section) => {
    section = section || document.getElementById('tab-jobs');
    const table = el('table', { id: 'jobs-table', 'aria-label': 'Rescale jobs' },
      el('thead', {}, el('tr', {}, ...['ID', 'Name', 'Status', 'Created', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', { id: 'jobs-rows' }));
    section.replaceChildren(el('h2', {}, 'Rescale jobs'), toolbar(section),
      el('p', { id: 'jobs-message', role: 'status', 'aria-live': 'polite' }),
      table, el('p', { id: 'jobs-note', class: 'muted' }), el('nav', { id: 'jobs-pager', 'aria-label': 'Pages' }),
      el('section', { id: 'jobs-details', tabindex: '-1', 'aria-label': 'Job details' }));
    loadTable(section);
  });
})();
