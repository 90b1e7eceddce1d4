// The Files tab: the study directory and the Rescale folders side by side. Upload a local file into the Rescale
// folder shown, download a Rescale file into the local directory shown, delete, create folders; every transfer
// shows its progress with rate and ETA (from the event bus, and from the server's list of transfers).
(function () {
  'use strict';
  const el = (...args) => IL.el(...args);
  if (!document.getElementById('tab-tools-css')) {
    document.head.append(IL.el('link', { id: 'tab-tools-css', rel: 'stylesheet', href: '/static/tab-tools.css' }));
  }
  const state = { local: '', remote: [], transfers: new Map() };

  function say(text) {
    document.getElementById('files-message').textContent = text;
  }

  function pane(side, title) {
    const name = el('input', { id: 'files-' + side + '-new', type: 'text', autocomplete: 'off' });
    const create = el('button', { type: 'submit' }, 'Create folder');
    const form = el('form', { class: 'toolbar', 'aria-label': 'New ' + title + ' folder' },
      el('label', { for: 'files-' + side + '-new' }, 'New folder'), name, create);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!name.value.trim()) return;
      try {
        if (side === 'local') {
          await IL.api('/api/files/local/folder', { method: 'POST', body: { path: state.local, name: name.value.trim() } });
        } else {
          await IL.api('/api/files/remote/folder', { method: 'POST', body: { folder: currentFolder(), name: name.value.trim() } });
        }
        say('✓ Created folder ' + name.value.trim() + '.');
        name.value = '';
      } catch (error) {
        say('✗ ' + error.message);
      }
      side === 'local' ? loadLocal() : loadRemote();
    });
    return el('section', { class: 'pane', id: 'files-' + side, 'aria-labelledby': 'files-' + side + '-title' },
      el('h3', { id: 'files-' + side + '-title' }, title),
      el('nav', { id: 'files-' + side + '-path', class: 'crumbs', 'aria-label': title + ' path' }),
      form,
      el('table', { 'aria-labelledby': 'files-' + side + '-title' },
        el('thead', {}, el('tr', {}, ...['Name', 'Size', 'Date', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', { id: 'files-' + side + '-rows' })));
  }

  function currentFolder() {
    return state.remote.length ? state.remote[state.remote.length - 1].id : '';
  }

  function button(label, name, action) {
    const b = el('button', { type: 'button', 'aria-label': label + ' ' + name, 'data-action': label.toLowerCase() }, label);
    b.addEventListener('click', action);
    return b;
  }

  async function loadLocal() {
    const rows = document.getElementById('files-local-rows');
    let listing;
    try {
      listing = await IL.api('/api/files/local?path=' + encodeURIComponent(state.local));
    } catch (error) {
      say('✗ ' + error.message);
      return;
    }
    const crumbs = [el('button', { type: 'button', class: 'link' }, 'study directory')];
    crumbs[0].addEventListener('click', () => { state.local = ''; loadLocal(); });
    const parts = listing.path ? listing.path.split('/') : [];
    parts.forEach((part, index) => {
      const target = parts.slice(0, index + 1).join('/');
      const crumb = el('button', { type: 'button', class: 'link' }, part);
      crumb.addEventListener('click', () => { state.local = target; loadLocal(); });
      crumbs.push(el('span', { 'aria-hidden': 'true' }, ' / '), crumb);
    });
    document.getElementById('files-local-path').replaceChildren(...crumbs);
    // Every row is built anew: nothing of the previous directory stays on screen.
    rows.replaceChildren(...listing.entries.map((entry) => {
      const actions = [];
      if (entry.kind === 'directory') {
        actions.push(button('Open', entry.name, () => { state.local = entry.path; loadLocal(); }));
      } else if (entry.kind === 'file') {
        actions.push(button('Upload', entry.name, () => upload(entry)));
      }
      actions.push(button('Delete', entry.name, () => removeLocal(entry)));
      const icon = entry.kind === 'directory' ? '📁 ' : entry.kind === 'link' ? '↪ ' : '';
      return el('tr', { 'data-name': entry.name, 'data-kind': entry.kind },
        el('td', {}, icon + entry.name + (entry.kind === 'directory' ? '/' : entry.kind === 'link' ? ' (link)' : '')),
        el('td', {}, entry.size != null ? IL.fmtBytes(entry.size) : '—'),
        el('td', {}, entry.modified ? new Date(entry.modified).toLocaleString() : '—'),
        el('td', { class: 'actions' }, ...actions));
    }));
    if (!listing.entries.length) rows.replaceChildren(el('tr', {}, el('td', { colspan: '4' }, 'Empty directory.')));
  }

  async function loadRemote() {
    const rows = document.getElementById('files-remote-rows');
    let listing;
    try {
      listing = await IL.api('/api/files/remote?folder=' + encodeURIComponent(currentFolder()));
    } catch (error) {
      say('✗ ' + error.message);
      rows.replaceChildren();
      return;
    }
    if (!state.remote.length) state.remote.push({ id: listing.folder, name: 'My Library' });
    const crumbs = [];
    state.remote.forEach((folder, index) => {
      const crumb = el('button', { type: 'button', class: 'link' }, folder.name);
      crumb.addEventListener('click', () => { state.remote = state.remote.slice(0, index + 1); loadRemote(); });
      if (index) crumbs.push(el('span', { 'aria-hidden': 'true' }, ' / '));
      crumbs.push(crumb);
    });
    document.getElementById('files-remote-path').replaceChildren(...crumbs);
    rows.replaceChildren(...listing.entries.map((entry) => {
      const actions = [];
      if (entry.type === 'folder') {
        actions.push(button('Open', entry.name, () => { state.remote.push({ id: entry.id, name: entry.name }); loadRemote(); }));
      } else {
        actions.push(button('Download', entry.name, () => download(entry)));
      }
      actions.push(button('Delete', entry.name, () => removeRemote(entry)));
      return el('tr', { 'data-name': entry.name, 'data-kind': entry.type, 'data-id': entry.id },
        el('td', {}, (entry.type === 'folder' ? '📁 ' : '') + entry.name + (entry.type === 'folder' ? '/' : '')),
        el('td', {}, entry.size != null ? IL.fmtBytes(entry.size) : '—'),
        el('td', {}, entry.date ? new Date(entry.date).toLocaleString() : '—'),
        el('td', { class: 'actions' }, ...actions));
    }));
    if (!listing.entries.length) rows.replaceChildren(el('tr', {}, el('td', { colspan: '4' }, 'Empty folder.')));
  }

  function confirmDialog(text) {
    return new Promise((resolve) => {
      const cancel = el('button', { type: 'button' }, 'Cancel');
      const confirm = el('button', { type: 'button', class: 'danger', id: 'files-confirm-delete' }, 'Delete');
      const dialog = el('dialog', { id: 'files-confirm', 'aria-labelledby': 'files-confirm-text' },
        el('p', { id: 'files-confirm-text' }, text), el('div', { class: 'actions' }, cancel, confirm));
      const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
      cancel.addEventListener('click', () => close(false));
      confirm.addEventListener('click', () => close(true));
      dialog.addEventListener('cancel', () => close(false));
      document.body.append(dialog);
      dialog.showModal();
      cancel.focus();
    });
  }

  async function removeLocal(entry) {
    if (!(await confirmDialog('Delete ' + entry.path + ' from the study directory?'))) return;
    try {
      await IL.api('/api/files/local/delete', { method: 'POST', body: { path: entry.path } });
      say('✓ Deleted ' + entry.path + '.');
    } catch (error) {
      say('✗ ' + error.message);
    }
    loadLocal();
  }

  async function removeRemote(entry) {
    const what = entry.type === 'folder' ? 'the Rescale folder ' + entry.name + ' and everything in it' : 'the Rescale file ' + entry.name;
    if (!(await confirmDialog('Delete ' + what + '? This cannot be undone.'))) return;
    try {
      await IL.api('/api/files/remote/delete', { method: 'POST', body: { type: entry.type, id: entry.id } });
      say('✓ Deleted ' + entry.name + '.');
    } catch (error) {
      say('✗ ' + error.message);
    }
    loadRemote();
  }

  async function upload(entry) {
    say('Uploading ' + entry.name + '…');
    const poll = pollTransfers();
    try {
      const result = await IL.api('/api/files/upload', { method: 'POST', body: { path: entry.path, folder: currentFolder() } });
      say('✓ Uploaded ' + result.name + ' (' + IL.fmtBytes(result.bytes) + ').');
    } catch (error) {
      say('✗ Upload failed: ' + error.message);
    }
    await poll.stop();
    loadRemote();
  }

  async function download(entry) {
    say('Downloading ' + entry.name + '…');
    const poll = pollTransfers();
    try {
      const result = await IL.api('/api/files/download', { method: 'POST', body: { id: entry.id, path: state.local } });
      say('✓ Downloaded ' + result.name + ' to ' + result.path + '.');
    } catch (error) {
      say('✗ Download failed: ' + error.message);
    }
    await poll.stop();
    loadLocal();
  }

  function showTransfer(transfer) {
    state.transfers.set(transfer.id, transfer);
    const rows = [...state.transfers.values()].reverse().slice(0, 50).map((t) => {
      const percent = t.total ? Math.floor(t.bytes * 100 / t.total) : null;
      const words = t.state === 'failed' ? '✗ failed: ' + t.error : t.state === 'done' ? '✓ done' : '● running';
      return el('tr', { 'data-transfer': t.id, 'data-state': t.state },
        el('td', {}, t.direction === 'upload' ? '↑ upload' : '↓ download'),
        el('td', {}, t.name),
        el('td', {}, el('progress', { max: '100', value: String(t.state === 'done' ? 100 : percent || 0), 'aria-label': 'Progress of ' + t.name }),
          ' ' + (percent != null ? percent + '%' : IL.fmtBytes(t.bytes))),
        el('td', {}, IL.fmtBytes(t.rate) + '/s'),
        el('td', {}, t.state === 'running' && t.eta != null ? IL.fmtDuration(t.eta) : '—'),
        el('td', {}, words));
    });
    document.getElementById('files-transfer-rows').replaceChildren(...rows);
  }

  // The page polls the server's transfers while one of its own runs (events from the bus arrive too).
  function pollTransfers() {
    const refresh = async () => {
      try {
        for (const transfer of (await IL.api('/api/files/transfers')).reverse()) showTransfer(transfer);
      } catch (error) { /* the next poll tries again */ }
    };
    const timer = setInterval(refresh, 300);
    return { stop: async () => { clearInterval(timer); await refresh(); } };
  }

  IL.onTab('files', (section) => {
    section = section || document.getElementById('tab-files');
    const transfers = el('table', { id: 'files-transfers', 'aria-label': 'Transfers' },
      el('thead', {}, el('tr', {}, ...['Direction', 'File', 'Progress', 'Rate', 'ETA', 'State'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', { id: 'files-transfer-rows', 'aria-live': 'polite' }));
    section.replaceChildren(el('h2', {}, 'Files'),
      el('p', { id: 'files-message', role: 'status', 'aria-live': 'polite' }),
      el('div', { class: 'panes' }, pane('local', 'Study directory'), pane('remote', 'Rescale')),
      el('h3', {}, 'Transfers'), transfers);
    if (IL.subscribe) {
      IL.subscribe((event) => event.source === 'transfer' && !!event.data, (event) => showTransfer(JSON.parse(event.data)));
    }
    loadLocal();
    loadRemote();
  });
})();
