// The index's search and filters: rows are shown or hidden from the data block beside this script.
(() => {
  const data = JSON.parse(document.getElementById('kpi-data').textContent);
  const byId = new Map(data.kpis.map((k) => [k.id, k]));
  const search = document.getElementById('search');
  const filters = ['tier', 'role', 'owner', 'unit'].map((f) => [f, document.getElementById(`filter-${f}`)]);
  const rows = [...document.querySelectorAll('#kpis tbody tr')];
  const shown = document.getElementById('shown');
  const matches = (k, words, chosen) =>
    words.every((w) => k.text.includes(w)) &&
    chosen.every(([f, v]) => (f === 'role' ? k.roles.includes(v) : k[f] === v));
  const update = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter((w) => w !== '');
    const chosen = filters.filter(([, el]) => el.value !== '').map(([f, el]) => [f, el.value]);
    let count = 0;
    for (const row of rows) {
      const ok = matches(byId.get(row.dataset.id), words, chosen);
      row.hidden = !ok;
      if (ok) count++;
    }
    shown.textContent = `${count} of ${rows.length} KPIs`;
  };
  search.addEventListener('input', update);
  for (const [, el] of filters) el.addEventListener('change', update);
  update();
})();
