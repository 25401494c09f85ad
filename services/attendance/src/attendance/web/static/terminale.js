/* The terminal's screen, when the school's network comes and goes (plain JavaScript, no build).
 *
 * - A form marked `data-coda` is not posted by the browser: its change goes into a queue kept in
 *   IndexedDB, with a new idempotency key (`key`) and, for a tap, the time of the tap; the
 *   screen shows it at once ("In coda: N"), and the queue is replayed in order, one change after
 *   the other, to the form's own address, whenever the network is there.
 * - The server answers each change once: a change sent again with the same key is recognised.
 *   A change it refuses (the day was closed meanwhile, it is not today any more...) leaves the
 *   queue and is listed under "Modifiche non applicate"; no network, or a server error, keeps it
 *   and stops the replay there, so that the order holds. A 401 means the office revoked this
 *   terminal: back to the pairing page.
 * - The service worker (sw.js) serves the screens from its cache without network; the links
 *   marked `data-offline` are fetched into that cache while the network is there.
 * - Without JavaScript the same forms post normally and each change is saved at once.
 */
(function () {
  'use strict';

  const ROOT = '/terminale';
  const PAGES = 'terminale-pagine';
  const DATABASE = 'refettorio-terminale';
  const QUEUE = 'coda';
  const SYNCED = 'terminale-sincronizzato';
  const REFUSED = 'terminale-non-applicate';
  const WARMED = 'terminale-pagine-aggiornate';
  const RETRY_MS = 10000;
  const WARM_EVERY_MS = 60000;
  let pending = 0;
  let syncing = false;
  let reachable = navigator.onLine;

  // The queue, in IndexedDB: one object per change, in the order they were made (`seq`).
  function withQueue(mode, work) {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(QUEUE, { keyPath: 'seq', autoIncrement: true });
      opening.onerror = () => reject(opening.error);
      opening.onsuccess = () => {
        const db = opening.result;
        const tx = db.transaction(QUEUE, mode);
        const request = work(tx.objectStore(QUEUE));
        tx.oncomplete = () => { db.close(); resolve(request.result); };
        tx.onerror = () => { db.close(); reject(tx.error); };
      };
    });
  }
  const queued = () => withQueue('readonly', (store) => store.getAll());
  const enqueue = (change) => withQueue('readwrite', (store) => store.add(change));
  const dequeue = (seq) => withQueue('readwrite', (store) => store.delete(seq));

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function csrfToken() {
    const headers = document.body.getAttribute('hx-headers');
    return headers ? JSON.parse(headers)['X-CSRF-Token'] : '';
  }

  function describe(form, data) {
    const name = form.dataset.nome || '';
    switch (form.dataset.coda) {
      case 'presenza': return `${name}: ${data.get('absent') === 'true' ? 'assente' : 'presente'}`;
      case 'registro': return 'Classe rilevata';
      case 'chiusura': return 'Chiusura della giornata';
      default: return `Correzione per ${name}`;
    }
  }

  // A tap: queue the change, show it, send it.
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.coda) return;
    event.preventDefault();
    const data = new FormData(form);
    data.set('key', newKey());
    if (form.dataset.coda === 'presenza') data.set('tapped_at', new Date().toISOString());
    const change = {
      url: form.action,
      body: new URLSearchParams(data).toString(),
      kind: form.dataset.coda,
      label: describe(form, data),
      student: form.dataset.alunno || null,
      absent: data.get('absent'),
    };
    await enqueue(change);
    if (form.dataset.coda === 'correzione') form.reset();
    await refresh();
    sync();
  });

  async function sync() {
    if (syncing) return;
    syncing = true;
    let sent = 0;
    let stop = null;
    try {
      // The queue's head each time round: a tap made while the replay runs is sent in this one.
      for (let change = (await queued())[0]; change; change = (await queued())[0]) {
        stop = await send(change);
        if (stop) break;
        await dequeue(change.seq);
        sent += 1;
      }
      if (!stop) localStorage.setItem(SYNCED, new Date().toISOString());
    } finally {
      syncing = false;
      await refresh();
    }
    if (stop === 'logout') {
      location.assign(`${ROOT}/abbina`);
    } else if (sent) {
      if (window.htmx) window.htmx.trigger(document.body, 'aggiorna');
      warmSoon();
    }
  }

  // Sends one change; answers why the replay stops there, or nothing if it goes on.
  async function send(change) {
    let response;
    try {
      response = await fetch(change.url, {
        method: 'POST',
        body: change.body,
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'X-CSRF-Token': csrfToken(),
        },
      });
    } catch (error) {
      reachable = false;
      return 'offline';
    }
    reachable = response.status < 500;
    if (response.status === 401) return 'logout';
    if (response.status >= 500 || response.status === 408 || response.status === 429) return 'later';
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      refuse(change, body.message || 'Modifica non applicata.');
    }
    return null;
  }

  function refuse(change, message) {
    const refused = JSON.parse(localStorage.getItem(REFUSED) || '[]');
    refused.push({ label: change.label, message });
    localStorage.setItem(REFUSED, JSON.stringify(refused));
  }

  // What the screen shows: the queue's length, the network, the changes not yet sent.
  async function refresh() {
    const changes = await queued();
    pending = changes.length;
    document.querySelectorAll('[data-coda-numero]').forEach((n) => { n.textContent = String(pending); });
    const status = document.getElementById('stato-coda');
    if (status) {
      const synced = localStorage.getItem(SYNCED) || status.dataset.sincronizzato;
      const online = navigator.onLine && reachable;
      status.classList.toggle('senza-rete', !online);
      status.querySelector('[data-coda-rete]').textContent = online
        ? `Sincronizzato alle ${clock(synced)}`
        : `Senza rete: le modifiche partiranno appena torna (ultima sincronizzazione alle ${clock(synced)})`;
    }
    document.querySelectorAll('[data-in-coda]').forEach((n) => { n.hidden = true; });
    changes.forEach(overlay);
    document.querySelectorAll('[data-coda-avviso]').forEach((n) => n.classList.toggle('d-none', pending === 0));
    showRefused();
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' });
  }

  // A change not sent yet, shown on the screen as if it were saved.
  function overlay(change) {
    if (change.kind === 'presenza') {
      const form = document.querySelector(`form[data-alunno="${change.student}"]`);
      if (form) showTap(form, change.absent === 'true');
    } else if (change.kind === 'chiusura') {
      document.querySelectorAll('form[data-coda="chiusura"]').forEach((f) => { f.hidden = true; });
      document.querySelectorAll('[data-chiusura-in-coda]').forEach((n) => { n.hidden = false; });
    }
  }

  function showTap(form, absent) {
    const button = form.querySelector('button');
    button.setAttribute('aria-pressed', String(absent));
    button.classList.toggle('assente', absent);
    button.querySelector('[data-stato]').textContent = absent ? 'Assente' : 'Presente';
    form.querySelector('input[name="absent"]').value = String(!absent);
    const marker = form.closest('li').querySelector('[data-in-coda]');
    if (marker) marker.hidden = false;
  }

  function showRefused() {
    const box = document.getElementById('non-applicate');
    if (!box) return;
    const refused = JSON.parse(localStorage.getItem(REFUSED) || '[]');
    const list = box.querySelector('[data-non-applicate]');
    list.replaceChildren(...refused.map((r) => {
      const item = document.createElement('li');
      item.textContent = `${r.label}: ${r.message}`;
      return item;
    }));
    box.hidden = refused.length === 0;
  }

  // After a burst of taps, once: the cached screens should show what the server now has.
  let warming = null;
  function warmSoon() {
    clearTimeout(warming);
    warming = setTimeout(() => warm(true), 2000);
  }

  // The screens this one links to, fetched into the service worker's cache while online.
  async function warm(force) {
    if (!('caches' in window) || !navigator.onLine) return;
    const last = Number(localStorage.getItem(WARMED) || 0);
    if (!force && Date.now() - last < WARM_EVERY_MS) return;
    localStorage.setItem(WARMED, String(Date.now()));
    const urls = new Set(Array.from(document.querySelectorAll('a[data-offline]'), (a) => a.pathname + a.search));
    const cache = await caches.open(PAGES);
    await Promise.all(Array.from(urls, async (url) => {
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (error) { /* offline again: the cache keeps what it had */ }
    }));
  }

  window.terminale = { quiete: () => pending === 0 && !syncing };

  document.addEventListener('click', (event) => {
    if (!event.target.closest('[data-dimentica]')) return;
    localStorage.removeItem(REFUSED);
    showRefused();
  });
  document.addEventListener('htmx:afterSwap', () => refresh());
  window.addEventListener('online', () => { reachable = true; sync(); });
  window.addEventListener('offline', () => { reachable = false; refresh(); });

  document.addEventListener('DOMContentLoaded', async () => {
    if (document.querySelector('form[data-abbinamento]')) {
      // Not paired (or no longer): the screens kept for offline use belong to no terminal now.
      if ('caches' in window) await caches.delete(PAGES);
      return;
    }
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register(`${ROOT}/sw.js`, { scope: ROOT }).catch(() => {});
    }
    await refresh();
    sync();
    warm(false);
    setInterval(sync, RETRY_MS);
  });
})();
