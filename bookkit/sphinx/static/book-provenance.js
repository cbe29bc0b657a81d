/* The provenance panel: every glued number, table and figure opens where it came from.
 * The page carries its records as JSON (#book-provenance-data, written by
 * bookkit/sphinx/provenance.py); each button[data-prov] names one record. One <dialog> serves
 * the page: a real button opens it, focus moves into it, Escape or 关闭 closes it and focus
 * returns to the button. Offline: no request is made. */
(function () {
  "use strict";
  let data = null;
  let dialog = null;
  let opener = null;

  function records() {
    if (data === null) {
      const script = document.getElementById("book-provenance-data");
      data = script ? JSON.parse(script.textContent) : { keys: {} };
    }
    return data;
  }

  function make(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function code(text) {
    return make("code", {}, [text]);
  }

  function section(title, body) {
    return make("section", { class: "prov-section" }, [make("h3", {}, [title]), ...body]);
  }

  function ensureDialog() {
    if (dialog) return dialog;
    dialog = make("dialog", { class: "prov-dialog", "aria-labelledby": "prov-title" });
    const close = make("button", { type: "button", class: "prov-close" }, ["关闭"]);
    close.addEventListener("click", () => dialog.close());
    dialog.append(
      make("div", { class: "prov-head" }, [make("h2", { id: "prov-title", tabindex: "-1" }), close]),
      make("div", { class: "prov-body" })
    );
    dialog.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault(); // the browser's own cancel may not fire (close watchers); close here
        dialog.close();
      }
    });
    dialog.addEventListener("click", (ev) => {
      if (ev.target === dialog) dialog.close(); // a click on the backdrop
    });
    dialog.addEventListener("close", () => {
      if (opener) opener.focus();
      opener = null;
    });
    document.body.append(dialog);
    return dialog;
  }

  function computeSection(entry, doc, all) {
    const body = [];
    if (entry.function) {
      body.push(
        make("p", {}, [
          "由函数 ",
          code(entry.function),
          " 计算并加入本页的结果（",
          code(entry.file || ""),
          `，第 ${entry.line} 行）：`,
        ])
      );
      if (entry.statement) body.push(make("pre", { class: "prov-code" }, [code(entry.statement)]));
    }
    const module = (all.modules || {})[doc];
    if (module) {
      body.push(
        make("p", { class: "prov-note" }, [
          "整页的结果由 ",
          code(module + ".build()"),
          " 一次算出；本书的每次构建都从数据重新计算它。",
        ])
      );
    }
    return section("计算", body);
  }

  function filesSection(doc, all) {
    const files = (all.files || {})[doc] || [];
    const list = make(
      "ul",
      { class: "prov-files" },
      files.map(([path, sha]) =>
        make("li", {}, [
          code(path),
          path.startsWith("seeds/") ? "（来源研究原文，不随本书发布）" : "",
          make("br"),
          make("span", { class: "prov-sha" }, ["SHA-256 ", code(sha)]),
        ])
      )
    );
    const link = make("a", { href: (all.links || {}).data || "#" }, ["数据来源与校验"]);
    return section(`本页读取的文件（${files.length} 个）`, [
      list,
      make("p", { class: "prov-note" }, ["每个数据文件的出处、校验和与许可见附录“", link, "”。"]),
    ]);
  }

  function sourcesSection(entry, all) {
    const items = (entry.sources || []).map((s) => {
      const parts = [];
      if (s.segment) {
        const anchor = "seg-" + s.segment.replace(/^SEG-/, "").toLowerCase();
        parts.push(make("a", { href: `${all.links.segments}#${anchor}` }, [s.segment]), " ");
      } else {
        parts.push(make("span", { class: "prov-what" }, [s.what]), " ");
      }
      parts.push(make("span", { class: "prov-ref" }, [s.ref]), "：", make("q", {}, [s.quote]));
      return make("li", {}, parts);
    });
    if (!items.length) return null;
    return section(`引文与出处（${items.length} 条）`, [make("ul", { class: "prov-sources" }, items)]);
  }

  function open(button) {
    const all = records();
    const ident = button.dataset.prov;
    const entry = all.keys[ident];
    if (!entry) return;
    const doc = ident.split("::")[0];
    const d = ensureDialog();
    const title = d.querySelector("#prov-title");
    const label = (button.getAttribute("aria-label") || "来源").replace(/^来源：(.*)$/, "$1");
    title.textContent =
      entry.kind !== "value"
        ? `${label} 的来源`
        : button.textContent.trim()
          ? `数值“${button.textContent.trim()}”的来源`
          : `“${label}”的来源`;
    const body = d.querySelector(".prov-body");
    body.replaceChildren(
      ...[computeSection(entry, doc, all), sourcesSection(entry, all), filesSection(doc, all)].filter(Boolean)
    );
    opener = button;
    d.showModal();
    title.focus();
  }

  document.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest("button[data-prov]");
    if (!button) return;
    ev.preventDefault();
    open(button);
  });
})();
