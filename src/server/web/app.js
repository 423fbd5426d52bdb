// acg2vec's web page: search, analyze and duplicates over the native API (docs/server.md).
// Plain JavaScript, no framework, nothing loaded from elsewhere.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { models: [], indexes: [], apiKey: sessionStorage.getItem('acg2vec-api-key') || '' };

// ---- talking to the server ------------------------------------------------------------

class ApiFailure extends Error {}

function authHeaders() {
  return state.apiKey ? { Authorization: 'Bearer ' + state.apiKey } : {};
}

// A JSON request; an error answer becomes an ApiFailure with the server's own words.
async function api(method, path, body) {
  const init = { method, headers: authHeaders() };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiFailure('The server did not answer (' + e.message + '). Is acg2vec serve still running?');
  }
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON: reported below */ }
  if (response.status === 401) $('credentials').hidden = false;
  if (!response.ok) {
    const error = json && json.error;
    const words = error ? (error.message || error.code) : text.slice(0, 200) || response.statusText;
    throw new ApiFailure(`${method} ${path} failed (${response.status}): ${words}`);
  }
  if (json === null) throw new ApiFailure(`${method} ${path}: the answer is not JSON`);
  return json;
}

function showError(e) {
  const box = $('error');
  box.textContent = e instanceof ApiFailure ? e.message : 'Something went wrong: ' + e;
  box.hidden = false;
  if (!(e instanceof ApiFailure)) console.warn(e);
}
function clearError() { $('error').hidden = true; }

// Runs `work` with a status line saying what is going on; errors are shown on the page.
async function withStatus(text, work) {
  clearError();
  const status = $('status');
  const before = status.textContent;
  const working = text + '…';
  status.textContent = working;
  document.body.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    document.body.removeAttribute('aria-busy');
    if (status.textContent === working) status.textContent = before;  // unless the work said more
  }
}

// ---- thumbnails: fetched with the credentials, a few at a time, kept as blob: URLs ---------

const thumbnailUrls = new Map();
const thumbnailQueue = [];
let thumbnailsLoading = 0;

function thumbnailImage(index, key) {
  const img = document.createElement('img');
  img.alt = key;
  img.loading = 'lazy';
  const id = index + '\n' + key;
  if (thumbnailUrls.has(id)) {
    img.src = thumbnailUrls.get(id);
  } else {
    thumbnailQueue.push({ img, index, key, id });
    pumpThumbnails();
  }
  return img;
}

async function pumpThumbnails() {
  while (thumbnailsLoading < 4 && thumbnailQueue.length > 0) {
    const job = thumbnailQueue.shift();
    thumbnailsLoading++;
    loadThumbnail(job).finally(() => { thumbnailsLoading--; pumpThumbnails(); });
  }
}

async function loadThumbnail({ img, index, key, id }) {
  const path = `/v1/indexes/${encodeURIComponent(index)}/thumbnail?size=256&key=${encodeURIComponent(key)}`;
  try {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) throw new Error(response.status);
    const url = URL.createObjectURL(await response.blob());
    if (response.headers.get('X-Thumbnail-Error')) img.title = response.headers.get('X-Thumbnail-Error');
    else thumbnailUrls.set(id, url);
    img.src = url;
  } catch (e) {
    img.replaceWith(Object.assign(document.createElement('span'), { textContent: 'no image' }));
  }
}

// ---- pieces of the page ----------------------------------------------------------------

function element(tag, props = {}, children = []) {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
}

function fillSelect(select, items, label) {
  const previous = select.value;
  select.replaceChildren(...items.map((i) => element('option', { value: i.name, textContent: label(i) })));
  if (items.some((i) => i.name === previous)) select.value = previous;
}

// A result card: thumbnail, key, score, categories and the actions given.
function card(index, key, scoreText, categories, actions) {
  const chips = element('div', { className: 'chips' },
    (categories || []).filter((c) => !c.startsWith('content:'))
      .map((c) => element('span', { className: 'chip', textContent: c })));
  const meta = element('div', { className: 'meta' }, [
    element('span', { className: 'key', textContent: key }),
    element('span', { className: 'score', textContent: scoreText }),
    chips,
    element('div', { className: 'actions' }, actions),
  ]);
  return element('article', { className: 'card' },
    [element('div', { className: 'thumb' }, [thumbnailImage(index, key)]), meta]);
}

function button(text, onClick, className = 'secondary') {
  return element('button', { type: 'button', textContent: text, className, onclick: onClick });
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new ApiFailure(`${file.name}: cannot read the file`));
    reader.readAsDataURL(file);
  });
}

// A drop zone that takes an image by drop, paste (while its view is shown), click or keyboard.
function imageDropZone(zoneId, inputId, viewId, onImage) {
  const zone = $(zoneId);
  const input = $(inputId);
  const take = async (file) => {
    if (!file) return;
    if (file.type && !file.type.startsWith('image/')) {
      showError(new ApiFailure(`${file.name}: not an image (${file.type})`));
      return;
    }
    onImage(file, await readFile(file));
  };
  zone.addEventListener('click', () => input.click());
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); }
  });
  input.addEventListener('change', () => { take(input.files[0]); input.value = ''; });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    take(e.dataTransfer.files[0]);
  });
  document.addEventListener('paste', (e) => {
    if ($(viewId).hidden) return;
    const item = [...e.clipboardData.items].find((i) => i.type.startsWith('image/'));
    if (item) take(item.getAsFile());
  });
}

function indexByName(name) { return state.indexes.find((i) => i.name === name); }
function modelByName(name) { return state.models.find((m) => m.name === name); }

// ---- search ------------------------------------------------------------------------------

let lastQueryImage = null;  // data URL of the last image searched with

function searchFilters(body) {
  const category = $('search-category').value;
  const prefix = $('search-prefix').value;
  if (category) body.categories = [category];
  if (prefix) body.prefix = prefix;
  return body;
}

async function search(query, description) {
  const index = $('search-index').value;
  if (!index) return showError(new ApiFailure('No index is served: start acg2vec serve with --index NAME=FILE.idx'));
  const k = Math.max(1, Math.min(1000, Number($('search-k').value) || 24));
  const answer = await withStatus('Searching ' + index,
    () => api('POST', '/v1/search', searchFilters({ index, k, ...query })));
  if (!answer) return;
  $('search-query').replaceChildren(element('span', { textContent: description }));
  if (query.image) $('search-query').prepend(element('img', { src: query.image, alt: 'query image' }));
  const writable = indexByName(index).writable;
  const cards = answer.hits.map((hit) => card(index, hit.key, 'similarity ' + hit.score.toFixed(3), hit.categories, [
    button('More like this', () => search({ key: hit.key }, `Like ${hit.key}`)),
    ...(writable ? [button('Remove', (e) => removeKey(index, hit.key, e.target.closest('.card')), 'danger')] : []),
  ]));
  $('search-results').replaceChildren(...cards);
  if (cards.length === 0) $('search-results').append(element('p', { textContent: 'No matches.' }));
  $('search-results').setAttribute('data-hits', String(cards.length));
}

async function removeKey(index, key, cardElement) {
  if (!confirm(`Remove ${key} from the index ${index}? The file itself stays.`)) return;
  const answer = await withStatus('Removing ' + key, () => api('POST', `/v1/indexes/${encodeURIComponent(index)}/remove`, { key }));
  if (answer && cardElement) cardElement.remove();
  await refreshIndexes();
}

async function addImages(event) {
  event.preventDefault();
  const index = $('search-index').value;
  const files = [...$('add-files').files];
  const prefix = $('add-prefix').value;
  const progress = $('add-progress');
  progress.hidden = false;
  progress.max = files.length;
  progress.value = 0;
  let added = 0;
  const failed = [];
  clearError();
  for (const file of files) {
    $('add-status').textContent = `Adding ${file.name} (${progress.value + 1} of ${files.length})`;
    try {
      const answer = await api('POST', `/v1/indexes/${encodeURIComponent(index)}/add`,
        { key: prefix + file.name, image: await readFile(file) });
      added += answer.action === 'added' || answer.action === 'updated' ? 1 : 0;
    } catch (e) {
      failed.push(`${file.name}: ${e.message}`);
    }
    progress.value += 1;
  }
  $('add-status').textContent = `${added} of ${files.length} added to ${index}.`;
  if (failed.length > 0) showError(new ApiFailure(failed.join('\n')));
  $('add-form').reset();
  await refreshIndexes();
}

async function refreshCategories() {
  const index = $('search-index').value;
  const select = $('search-category');
  if (!index) return;
  const answer = await withStatus('Reading categories', () => api('GET', `/v1/indexes/${encodeURIComponent(index)}/categories`));
  if (!answer) return;
  const previous = select.value;
  select.replaceChildren(element('option', { value: '', textContent: 'any' }),
    ...answer.categories.map((c) => element('option', { value: c.name, textContent: `${c.name} (${c.count})` })));
  if (answer.categories.some((c) => c.name === previous)) select.value = previous;
}

function onSearchIndexChange() {
  const index = indexByName($('search-index').value);
  const model = index && modelByName(index.model);
  const text = $('search-text');
  const canText = Boolean(model && model.tasks.includes('embed_text'));
  text.disabled = !canText;
  text.placeholder = canText ? 'describe the picture' : 'this index\'s model has no text tower: search by image';
  $('manage').hidden = !(index && index.writable);
  refreshCategories();
}

// ---- analyze -----------------------------------------------------------------------------

let lastAnalysis = null;

const MAX_BARS = 200;  // a low threshold on a 10,000-tag model would otherwise list thousands

function bars(list, items, emptyText) {
  list.replaceChildren(...items.slice(0, MAX_BARS).map((t) => {
    const li = element('li', {}, [element('span', { textContent: t.name }),
      element('span', { textContent: t.probability.toFixed(3) })]);
    li.style.setProperty('--p', (t.probability * 100).toFixed(1) + '%');  // CSSOM: allowed by the page's CSP
    return li;
  }));
  if (items.length === 0) list.append(element('li', { className: 'empty', textContent: emptyText }));
  if (items.length > MAX_BARS) {
    list.append(element('li', { className: 'empty', textContent: `and ${items.length - MAX_BARS} more: raise the threshold` }));
  }
  list.setAttribute('data-count', String(items.length));
}

function renderTags() {
  if (!lastAnalysis || !lastAnalysis.ratings) return;
  const general = Number($('general-threshold').value);
  const character = Number($('character-threshold').value);
  $('general-threshold-value').textContent = general.toFixed(2);
  $('character-threshold-value').textContent = character.toFixed(2);
  bars($('tags-ratings'), lastAnalysis.ratings, 'none');
  bars($('tags-characters'), lastAnalysis.characters.filter((t) => t.probability >= character), 'none above the threshold');
  bars($('tags-general'), lastAnalysis.general.filter((t) => t.probability >= general), 'none above the threshold');
}

function renderScores(heads) {
  $('scores').replaceChildren(...heads.map((head) => {
    const classes = Object.entries(head.probabilities).map(([name, probability]) => ({ name, probability }));
    const list = element('ul', { className: 'bars' });
    bars(list, classes, '');
    const title = head.head ? `${head.head}: ${head.class}` : head.class;
    const expected = head.expected_value !== undefined ? ` (expected value ${head.expected_value.toFixed(2)})` : '';
    return element('div', {}, [element('h3', { textContent: title + expected }), list]);
  }));
}

async function analyze(file, dataUrl) {
  const model = $('analyze-model').value;
  if (!model) return showError(new ApiFailure('No served model takes images.'));
  $('analysis').hidden = true;  // not the previous image's results under this one's name
  // Tags come with low thresholds so that the sliders filter them here, without another pass.
  const answer = await withStatus(`Analyzing ${file.name} with ${model}`, () => api('POST', '/v1/analyze',
    { model, image: dataUrl, general_threshold: 0.05, character_threshold: 0.05 }));
  if (!answer) return;
  const result = answer.results[0];
  if (result.error) return showError(new ApiFailure(`${file.name}: ${result.error.message}`));
  lastAnalysis = result;
  $('analysis').hidden = false;
  $('analyze-preview').src = dataUrl;
  $('analyze-preview').alt = file.name;
  $('analyze-tags').hidden = !result.ratings;
  renderTags();
  $('analyze-scores').hidden = !result.heads;
  if (result.heads) renderScores(result.heads);
  const index = state.indexes.find((i) => i.model === model);
  $('analyze-neighbours').hidden = !(index && result.vector);
  if (index && result.vector) {
    $('neighbours-index').textContent = index.name;
    const hits = await withStatus('Finding neighbours', () => api('POST', '/v1/search', { index: index.name, vector: result.vector, k: 12 }));
    if (hits) {
      $('neighbours').replaceChildren(...hits.hits.map((h) => card(index.name, h.key, 'similarity ' + h.score.toFixed(3), h.categories, [])));
    }
  }
}

// ---- duplicates --------------------------------------------------------------------------

async function findDuplicates(event) {
  if (event) event.preventDefault();
  const index = $('duplicates-index').value;
  if (!index) return showError(new ApiFailure('No index is served.'));
  const minScore = Number($('duplicates-score').value);
  const answer = await withStatus('Looking for duplicates in ' + index,
    () => api('POST', `/v1/indexes/${encodeURIComponent(index)}/duplicates`, { min_score: minScore }));
  if (!answer) return;
  const writable = indexByName(index).writable;
  const groups = answer.groups.map((group, n) => {
    const title = group.identical ? 'identical files' : 'near-duplicates';
    return element('section', { className: 'group' }, [
      element('h2', { textContent: `Group ${n + 1}: ${group.members.length} ${title}` }),
      element('div', { className: 'grid' }, group.members.map((m) =>
        card(index, m.key, m.identical ? 'same bytes' : `similarity ${m.score.toFixed(3)} to ${m.nearest}`, [],
          writable ? [button('Remove', (e) => removeKey(index, m.key, e.target.closest('.card')), 'danger')] : []))),
    ]);
  });
  $('duplicates').replaceChildren(...groups);
  $('duplicates').setAttribute('data-groups', String(groups.length));
  $('duplicates-summary').textContent = groups.length === 0
    ? `No duplicates at similarity ${minScore.toFixed(3)} or above.`
    : `${groups.length} group(s) at similarity ${minScore.toFixed(3)} or above.`;
}

// ---- tabs and start-up ----------------------------------------------------------------------

function selectTab(tab) {
  for (const t of document.querySelectorAll('[role=tab]')) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
  clearError();  // an error belongs to the view it happened in
  if (tab.id === 'tab-duplicates' && !$('duplicates').hasChildNodes()) findDuplicates();
}

function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(tab));
    tab.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (step) selectTab(tabs[(i + step + tabs.length) % tabs.length]);
    });
  });
}

async function refreshIndexes() {
  const answer = await api('GET', '/v1/indexes');
  state.indexes = answer.indexes;
  const label = (i) => `${i.name} (${i.size} images, ${i.model})`;
  fillSelect($('search-index'), state.indexes, label);
  fillSelect($('duplicates-index'), state.indexes, label);
  $('status').textContent = `${state.models.length} model(s), ${state.indexes.length} index(es)`;
}

async function start() {
  const loaded = await withStatus('Connecting', async () => {
    state.models = (await api('GET', '/v1/models')).models;
    await refreshIndexes();
    return true;
  });
  if (!loaded) return;
  const imageModels = state.models.filter((m) => m.tasks.some((t) => t !== 'embed_text'));
  fillSelect($('analyze-model'), imageModels, (m) => `${m.name} (${m.tasks.join(', ')})`);
  onSearchIndexChange();
}

function wire() {
  setUpTabs();
  $('credentials').addEventListener('submit', (e) => {
    e.preventDefault();
    state.apiKey = $('api-key').value;
    sessionStorage.setItem('acg2vec-api-key', state.apiKey);
    $('credentials').hidden = true;
    start();
  });
  $('search-index').addEventListener('change', onSearchIndexChange);
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('search-text').value.trim();
    if (text) search({ text }, `Text: ${text}`);
    else if (lastQueryImage) search({ image: lastQueryImage.dataUrl }, `Like ${lastQueryImage.name}`);
    else showError(new ApiFailure('Type a text or drop an image to search with.'));
  });
  imageDropZone('search-drop', 'search-file', 'view-search', (file, dataUrl) => {
    lastQueryImage = { name: file.name, dataUrl };
    $('search-text').value = '';
    search({ image: dataUrl }, `Like ${file.name}`);
  });
  $('add-form').addEventListener('submit', addImages);
  imageDropZone('analyze-drop', 'analyze-file', 'view-analyze', analyze);
  $('general-threshold').addEventListener('input', renderTags);
  $('character-threshold').addEventListener('input', renderTags);
  $('duplicates-form').addEventListener('submit', findDuplicates);
  let timer = null;
  $('duplicates-score').addEventListener('input', () => {
    $('duplicates-score-value').textContent = Number($('duplicates-score').value).toFixed(3);
    clearTimeout(timer);
    timer = setTimeout(findDuplicates, 300);
  });
  $('duplicates-index').addEventListener('change', () => findDuplicates());
}

wire();
start();
