// The Setup tab: profile, platform URL, API key (shown masked, never sent to the page), proxy and workers;
// Apply Changes writes the files the CLI reads, Test Connection runs `config test` on the connection in use.
(function () {
  'use strict';
  const el = (...args) => IL.el(...args);
  if (!document.getElementById('tab-tools-css')) {
    document.head.append(IL.el('link', { id: 'tab-tools-css', rel: 'stylesheet', href: '/static/tab-tools.css' }));
  }

  function field(id, label, input, hint) {
    input.id = id;
    const parts = [el('label', { for: id }, label), input];
    if (hint) {
      const hintId = id + '-hint';
      input.setAttribute('aria-describedby', hintId);
      parts.push(el('small', { id: hintId, class: 'hint' }, hint));
    }
    return el('div', { class: 'field' }, ...parts);
  }

  function number(value, min, max) {
    return el('input', { type: 'number', min: String(min), max: String(max), value: String(value), inputmode: 'numeric' });
  }

  function render(section, settings) {
    const status = el('p', { id: 'setup-status', role: 'status', 'aria-live': 'polite' });
    const profile = el('select', {});
    for (const name of settings.profiles) {
      const option = el('option', { value: name }, name + (name === settings.activeProfile ? ' (in use)' : ''));
      if (name === settings.profile) option.selected = true;
      profile.append(option);
    }
    const newProfile = el('input', { type: 'text', placeholder: 'new profile name', autocomplete: 'off' });
    const url = el('input', { type: 'url', value: settings.platform.value, autocomplete: 'off', spellcheck: 'false' });
    const insecure = el('input', { type: 'checkbox', id: 'setup-insecure' });
    insecure.checked = !settings.platformIsRescale;
    const key = el('input', { type: 'password', autocomplete: 'new-password', placeholder: 'leave empty to keep the current key' });
    const keyNow = settings.apiKey
      ? 'Current key: ' + settings.apiKey.value + ' (from ' + settings.apiKey.source + ')'
      : 'No key is set: the Jobs and Files tabs need one.';
    const proxyMode = el('select', {});
    for (const mode of ['no-proxy', 'system', 'basic', 'ntlm']) {
      const option = el('option', { value: mode }, mode);
      if (mode === settings.proxyMode) option.selected = true;
      proxyMode.append(option);
    }
    const proxyHost = el('input', { type: 'text', value: settings.proxyHost, autocomplete: 'off' });
    const proxyPort = number(settings.proxyPort, 0, 65535);
    const tar = number(settings.tarWorkers, 1, 256);
    const upload = number(settings.uploadWorkers, 1, 256);
    const job = number(settings.jobWorkers, 1, 256);
    const apply = el('button', { type: 'submit', id: 'setup-apply' }, 'Apply Changes');
    const test = el('button', { type: 'button', id: 'setup-test' }, 'Test Connection');
    const result = el('div', { id: 'setup-test-result', role: 'status', 'aria-live': 'polite', class: 'test-result' });

    const notes = [];
    if (settings.overrides.length) {
      notes.push(el('p', { class: 'note warning' }, '⚠ Set in the environment, and used instead of the profile: ' + settings.overrides.join(', ')));
    }
    for (const warning of settings.warnings) notes.push(el('p', { class: 'note warning' }, '⚠ ' + warning));

    const form = el('form', { id: 'setup-form', 'aria-label': 'Connection settings' },
      el('fieldset', {}, el('legend', {}, 'Connection'),
        field('setup-profile', 'Profile', profile, 'The profile the other tabs use is marked "(in use)".'),
        field('setup-new-profile', 'Or a new profile', newProfile),
        field('setup-url', 'Platform URL', url, 'For example https://platform.rescale.com or https://eu.rescale.com'),
        el('div', { class: 'field inline' }, insecure, el('label', { for: 'setup-insecure' }, 'Allow a host that is not a Rescale platform (an emulator)')),
        field('setup-key', 'API key', key, keyNow)),
      el('fieldset', {}, el('legend', {}, 'Proxy'),
        field('setup-proxy-mode', 'Proxy mode', proxyMode),
        field('setup-proxy-host', 'Proxy host', proxyHost),
        field('setup-proxy-port', 'Proxy port', proxyPort)),
      el('fieldset', {}, el('legend', {}, 'Workers'),
        field('setup-tar-workers', 'Archive (tar) workers', tar),
        field('setup-upload-workers', 'Upload workers', upload),
        field('setup-job-workers', 'Job workers', job)),
      el('p', { class: 'muted' }, 'Stored in ' + settings.configFile + ' and the profile files (the key file with mode 600).'),
      el('div', { class: 'actions' }, apply, test),
      status, result);

    profile.addEventListener('change', () => load(section, profile.value));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      apply.disabled = true;
      status.textContent = 'Saving…';
      const body = {
        profile: newProfile.value.trim() || profile.value,
        url: url.value.trim(),
        insecureHost: insecure.checked,
        proxyMode: proxyMode.value,
        proxyHost: proxyHost.value.trim(),
        proxyPort: Number(proxyPort.value),
        tarWorkers: Number(tar.value),
        uploadWorkers: Number(upload.value),
        jobWorkers: Number(job.value),
      };
      if (key.value.trim()) body.key = key.value.trim();
      key.value = '';
      try {
        const saved = await IL.api('/api/setup', { method: 'POST', body: body });
        render(section, saved);
        document.getElementById('setup-status').textContent = '✓ Saved profile ' + saved.profile + '.';
      } catch (error) {
        status.textContent = '✗ Not saved: ' + error.message;
        apply.disabled = false;
      }
    });
    test.addEventListener('click', async () => {
      test.disabled = true;
      result.replaceChildren(el('p', {}, 'Testing…'));
      try {
        const outcome = await IL.api('/api/setup/test', { method: 'POST', body: {} });
        result.replaceChildren(outcome.ok
          ? el('dl', { class: 'ok' },
              el('dt', {}, 'Result'), el('dd', {}, '✓ Connected'),
              el('dt', {}, 'Platform'), el('dd', {}, outcome.platform),
              el('dt', {}, 'User'), el('dd', {}, outcome.user),
              el('dt', {}, 'Storage'), el('dd', {}, outcome.storage))
          : el('p', { class: 'error' }, '✗ Failed: ' + outcome.error));
      } catch (error) {
        result.replaceChildren(el('p', { class: 'error' }, '✗ Failed: ' + error.message));
      }
      test.disabled = false;
    });
    section.replaceChildren(el('h2', {}, 'Setup'), ...notes, form);
  }

  async function load(section, profile) {
    try {
      const query = profile ? '?profile=' + encodeURIComponent(profile) : '';
      render(section, await IL.api('/api/setup' + query));
    } catch (error) {
      section.replaceChildren(el('h2', {}, 'Setup'), el('p', { class: 'error', role: 'alert' }, '✗ ' + error.message));
    }
  }

  IL.onTab('setup', (section) => load(section || document.getElementById('tab-setup')));
})();
