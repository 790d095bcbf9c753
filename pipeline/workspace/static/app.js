// jixiao review workspace: filter, sort and search the filings; store a reviewer's
// corrections through POST /api/corrections. Plain script, shipped with the package.
(function () {
  "use strict";
  const $ = (s, el) => (el || document).querySelector(s);
  const $$ = (s, el) => Array.from((el || document).querySelectorAll(s));

  // ---- filings page: filter + search + sort
  const table = $("#filings");
  if (table) {
    const rows = $$("tbody tr", table);
    const apply = () => {
      const q = $("#q").value.trim().toLowerCase();
      const sel = $$("#filters select").map((s) => [s.dataset.attr, s.value]).filter(([, v]) => v);
      let shown = 0;
      for (const tr of rows) {
        let ok = !q || tr.dataset.search.includes(q);
        for (const [attr, v] of sel) {
          if (attr === "codes") ok = ok && tr.dataset.codes.split(" ").includes(v);
          else ok = ok && tr.dataset[attr] === v;
        }
        tr.hidden = !ok;
        if (ok) shown++;
      }
      $("#count").textContent = `显示 ${shown} / ${rows.length}`;
    };
    $("#q").addEventListener("input", apply);
    $$("#filters select").forEach((s) => s.addEventListener("change", apply));
    $$("th[data-key]", table).forEach((th) => th.addEventListener("click", () => {
      const key = th.dataset.key, num = th.hasAttribute("data-num");
      const desc = !th.classList.contains("sorted-desc");
      $$("th", table).forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
      th.classList.add(desc ? "sorted-desc" : "sorted-asc");
      const val = (tr) => (num ? Number(tr.dataset[key] || 0) : tr.dataset[key] || "");
      rows.sort((a, b) => {
        const x = val(a), y = val(b);
        const c = num ? x - y : String(x).localeCompare(String(y), "zh");
        return desc ? -c : c;
      });
      const body = $("tbody", table);
      rows.forEach((tr) => body.appendChild(tr));
    }));
    apply();
  }

  // ---- filing page: rows by flag code, line highlight, corrections
  // show a row's line in the source panel (scrolled inside the panel, the page stays put)
  function focusLine(line) {
    $$(".lines li.hit").forEach((li) => li.classList.remove("hit"));
    const li = document.getElementById("L" + line), panel = $("#source");
    if (!li || !panel) return;
    li.classList.add("hit");
    panel.scrollTop = li.offsetTop - panel.offsetTop - 60;
  }
  const rowCode = $("#row-code");
  if (rowCode) {
    rowCode.addEventListener("change", () => {
      $$("article.row").forEach((a) => a.classList.toggle("hidden",
        !!rowCode.value && !a.dataset.codes.split(" ").includes(rowCode.value)));
      const first = $("article.row:not(.hidden)");
      if (first) focusLine(first.dataset.line);
    });
  }
  $$("a.where").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); focusLine(a.dataset.line); }));

  async function send(article, field, value, note, state) {
    const body = {file: article.dataset.file, table: Number(article.dataset.table), row: Number(article.dataset.row),
                  name: article.dataset.name, field: field, value: value, note: note || ""};
    state.textContent = "保存中…";
    const res = await fetch("/api/corrections", {method: "POST", headers: {"Content-Type": "application/json"},
                                                  body: JSON.stringify(body)});
    const data = await res.json();
    if (res.status !== 201) { state.textContent = "未保存：" + (data.detail || res.status); return null; }
    state.textContent = "已保存";
    return data;
  }

  $$("article.row").forEach((article) => {
    const editState = $(".edit .state", article);
    const note = () => ($(".edit .note", article) || {}).value || "";
    $$(".verdict button", article).forEach((b) => b.addEventListener("click", async () => {
      const v = b.closest(".verdict");
      const d = await send(article, b.dataset.field, b.dataset.value, $(".reason", v).value, $(".state", v));
      if (d) $(".state", v).textContent = b.dataset.value === "accept" ? "已确认" : "已驳回";
    }));
    const l2 = $(".save-level2", article);
    if (l2) l2.addEventListener("click", async () => {
      const value = $(".level2-select", article).value;
      const d = await send(article, "level2", value, note(), editState);
      if (d) $(".level2", article).textContent = value;
    });
    const l1 = $(".save-level1", article);
    if (l1) l1.addEventListener("click", () => send(article, "level1", $(".level1-select", article).value, note(), editState));
    $$(".save-text", article).forEach((b) => b.addEventListener("click", async () => {
      const input = $(`.text-edit[data-field="${b.dataset.field}"]`, article);
      const d = await send(article, b.dataset.field, input.value, note(), editState);
      if (d && b.dataset.field === "name") $(".name", article).textContent = input.value;
    }));
  });
  if (location.hash.startsWith("#row-")) {
    const a = document.getElementById(location.hash.slice(1));
    if (a) { a.scrollIntoView(); focusLine(a.dataset.line); }
  }
})();
