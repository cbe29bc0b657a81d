/* The segment browser (book/segments.html): filter the table of every coded segment.
 * bookkit/sphinx/segments.py marks the header cells: seg-col-<name> names a column,
 * seg-filter asks for a menu. The menus are built from the values in their column (a cell may
 * hold several, separated by "；"), so a new column gets its menu without a change here. The
 * filters are read from and written to the address (?case=…&code=…&q=…), so a link can open the
 * browser on a set of segments (a heat-map cell on its quotations). A code or case in the
 * address may be given by its id (CAP.AGL) or by the label shown. Offline, no request. */
(function () {
  "use strict";
  const SEP = "；";

  function make(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function values(cell) {
    return cell.textContent.split(SEP).map((v) => v.trim()).filter(Boolean);
  }

  function matches(option, wanted) {
    return option === wanted || option.endsWith(`（${wanted}）`) || option.startsWith(`${wanted} `);
  }

  function init() {
    const table = document.getElementById("tbl-seg-all");
    if (!table || !table.tHead || !table.tBodies.length) return;
    const heads = [...table.tHead.rows[0].cells];
    const rows = [...table.tBodies[0].rows];
    const columns = heads
      .map((th, index) => ({ th, index, key: (th.className.match(/seg-col-(\w+)/) || [])[1] }))
      .filter((c) => c.key && c.th.classList.contains("seg-filter"));
    const form = make("form", { class: "seg-filters", role: "search", "aria-label": "筛选编码片段" });
    form.addEventListener("submit", (ev) => ev.preventDefault());
    const selects = {};
    columns.forEach((c) => {
      const seen = [];
      rows.forEach((r) => values(r.cells[c.index]).forEach((v) => seen.includes(v) || seen.push(v)));
      if (c.key !== "case") seen.sort((a, b) => a.localeCompare(b, "zh"));
      const id = `seg-filter-${c.key}`;
      const select = make("select", { id, name: c.key }, [
        make("option", { value: "" }, ["全部"]),
        ...seen.map((v) => make("option", { value: v }, [v])),
      ]);
      selects[c.key] = select;
      form.append(make("div", { class: "seg-field" }, [make("label", { for: id }, [c.th.textContent.trim()]), select]));
    });
    const search = make("input", { id: "seg-filter-q", name: "q", type: "search", autocomplete: "off" });
    form.append(make("div", { class: "seg-field seg-search" }, [make("label", { for: "seg-filter-q" }, ["搜索"]), search]));
    const reset = make("button", { type: "button", class: "seg-reset" }, ["清除筛选"]);
    form.append(reset);
    const status = make("p", { class: "seg-count", role: "status", "aria-live": "polite" });
    const holder = table.closest(".pst-scrollable-table-container") || table;
    holder.before(form, status);

    function apply(updateAddress) {
      const q = search.value.trim().toLowerCase();
      let shown = 0;
      rows.forEach((row) => {
        const ok =
          columns.every((c) => !selects[c.key].value || values(row.cells[c.index]).includes(selects[c.key].value)) &&
          (!q || row.textContent.toLowerCase().includes(q));
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = shown === rows.length ? `共 ${rows.length} 个片段` : `显示 ${shown} 个片段（共 ${rows.length} 个）`;
      if (updateAddress) {
        const params = new URLSearchParams();
        Object.entries(selects).forEach(([k, s]) => s.value && params.set(k, s.value));
        if (search.value.trim()) params.set("q", search.value.trim());
        const query = params.toString();
        try {
          history.replaceState(null, "", query ? `?${query}` : location.pathname);
        } catch (err) {
          /* a file:// page may refuse a new address; the filter still applies */
        }
      }
    }

    const params = new URLSearchParams(location.search);
    Object.entries(selects).forEach(([k, select]) => {
      const wanted = params.get(k);
      if (!wanted) return;
      const option = [...select.options].find((o) => o.value && matches(o.value, wanted));
      if (option) select.value = option.value;
    });
    search.value = params.get("q") || "";
    Object.values(selects).forEach((s) => s.addEventListener("change", () => apply(true)));
    search.addEventListener("input", () => apply(true));
    reset.addEventListener("click", () => {
      Object.values(selects).forEach((s) => (s.value = ""));
      search.value = "";
      apply(true);
    });
    apply(false);
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.hidden) {
      reset.click();
      target.scrollIntoView();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
