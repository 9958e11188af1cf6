/* The secretary's remarks editor: keyboard first, autosaved, never loses text.
 *
 * The page (DOM) is the document being edited; collect() reads it into the
 * JSON the server stores. Every change is kept in localStorage at once and
 * sent to the server a moment later with the revision it was based on; the
 * local copy is dropped only when the server has confirmed exactly that
 * text. A 409 answer opens the conflict dialog: both texts side by side and
 * an explicit choice, never a silent overwrite.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const T = config.text;
  const root = document.getElementById("remarks");
  const statusEl = document.getElementById("save-status");
  const errorsEl = document.getElementById("save-errors");
  const storageKey = "minutes-editor:" + config.meeting;
  const csrfInput = document.querySelector("[name=csrfmiddlewaretoken]");
  // Read at each request: logging in again (in another tab) rotates the token.
  function csrf() {
    const cookie = document.cookie.split(/;\s*/).find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : csrfInput.value;
  }
  const overviewRevision = document.querySelector("#overview-form [name=revision]");
  const SAVE_DELAY = 1200;
  const SAVE_MAX_WAIT = 4000;

  let revision = config.state.revision;
  let keySeq = 0;
  let saveTimer = null;
  let firstChangeAt = null;
  let inFlight = false;
  let dirty = false;
  let blockedByConflict = false;
  let lastSent = null;

  const speakers = config.speakers;
  const speakerByKey = new Map(speakers.map((s) => [s.key, s]));

  function newKey(prefix) {
    keySeq += 1;
    return prefix + "new" + Date.now().toString(36) + keySeq;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  // ---- Speakers ----------------------------------------------------------

  // Entries that are nobody's words: a stage direction, an agenda heading.
  const UNSPOKEN = new Set(["d", "h"]);

  function headingOf(block) {
    const option = speakerByKey.get(block.speaker);
    if (UNSPOKEN.has(block.speaker)) return option ? option.label : "";
    if (block.speaker.startsWith("m:") || block.speaker.startsWith("a:")) {
      const name = option ? option.name : "";
      return (name + " " + (block.label || (option ? option.label : ""))).trim();
    }
    if (block.speaker === "u" && block.written_name) return block.written_name + " " + block.label;
    return block.label || "";
  }

  function optionText(option) {
    return (option.name ? option.name + " " : "") + option.label;
  }

  function matchingOptions(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return speakers.slice(0, 12);
    return speakers.filter((option) => {
      const hay = (optionText(option) + " " + option.hint).toLowerCase();
      return words.every((word) => hay.includes(word));
    });
  }

  function setSpeaker(section, speaker, label, writtenName) {
    section.dataset.speaker = speaker;
    section.dataset.label = label || "";
    section.dataset.writtenName = writtenName || "";
    const block = { speaker, label: label || "", written_name: writtenName || "" };
    section.querySelector("input.speaker").value = headingOf(block);
    const flag = section.querySelector(".eblock-flag");
    flag.hidden = speaker !== "u";
    section.classList.toggle("eblock-direction", speaker === "d");
    section.classList.toggle("eblock-heading", speaker === "h");
  }

  /* The speaker field's text, resolved when the field is left without a
   * choice: an exact option, or kept as typed and flagged unidentified. */
  function resolveTyped(section) {
    const input = section.querySelector("input.speaker");
    const typed = input.value.trim();
    const current = headingOf({
      speaker: section.dataset.speaker || "",
      label: section.dataset.label,
      written_name: section.dataset.writtenName,
    });
    if (typed === current && section.dataset.speaker) return;
    if (!typed) {
      setSpeaker(section, "", "", "");
      return;
    }
    const exact = speakers.filter((o) => optionText(o) === typed || o.name === typed);
    if (exact.length === 1) setSpeaker(section, exact[0].key, exact[0].label, "");
    else setSpeaker(section, "u", typed.slice(0, 30), "");
    changed();
  }

  function closeOptions(section) {
    const list = section.querySelector(".speaker-options");
    list.hidden = true;
    list.replaceChildren();
    const input = section.querySelector("input.speaker");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function showOptions(section) {
    const input = section.querySelector("input.speaker");
    const list = section.querySelector(".speaker-options");
    const found = matchingOptions(input.value).slice(0, 12);
    list.replaceChildren(
      ...found.map((option, index) =>
        el(
          "li",
          {
            role: "option",
            id: section.dataset.key + "-opt-" + index,
            "data-key": option.key,
            "aria-selected": index === 0 ? "true" : "false",
            className: "speaker-option" + (index === 0 ? " active" : ""),
          },
          [
            el("span", { text: optionText(option) }),
            el("small", { className: "text-body-secondary ms-2", text: option.hint }),
          ],
        ),
      ),
    );
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", found.length ? "true" : "false");
    if (found.length) input.setAttribute("aria-activedescendant", list.firstElementChild.id);
    else input.removeAttribute("aria-activedescendant");
  }

  function moveActive(section, step) {
    const items = [...section.querySelectorAll(".speaker-option")];
    if (!items.length) return;
    let index = items.findIndex((item) => item.classList.contains("active"));
    items[index]?.classList.remove("active");
    items[index]?.setAttribute("aria-selected", "false");
    index = (index + step + items.length) % items.length;
    items[index].classList.add("active");
    items[index].setAttribute("aria-selected", "true");
    section.querySelector("input.speaker").setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  }

  function chooseActive(section) {
    const active = section.querySelector(".speaker-option.active");
    if (!active) return false;
    const option = speakerByKey.get(active.dataset.key);
    setSpeaker(section, option.key, option.label, "");
    closeOptions(section);
    changed();
    return true;
  }

  // ---- Blocks, statements, resolutions -------------------------------------

  function agendaSelect(value) {
    const select = el("select", {
      className: "form-select form-select-sm agenda-item",
      "aria-label": T.agendaItem,
    });
    select.append(el("option", { value: "", text: T.noAgendaItem }));
    for (const item of config.agendaItems) {
      const option = el("option", { value: item.id, text: item.label });
      if (item.id === value) option.selected = true;
      select.append(option);
    }
    return select;
  }

  function statementItem(text) {
    const area = el("textarea", {
      className: "form-control statement",
      rows: 1,
      "aria-label": T.statement,
      placeholder: T.statementPlaceholder,
    });
    area.value = text || "";
    return el("li", { className: "statement-item" }, [
      el("span", { className: "stmt-handle", "aria-hidden": "true", text: "⋮" }),
      area,
    ]);
  }

  /* Touch: a visible button for every keyboard action (data-action, see
   * runAction below). The statement buttons act on the block's current
   * statement: the one last touched, else the last one. */
  function toolButton(action, label, title, extra) {
    return el("button", {
      type: "button",
      className: "btn btn-sm btn-outline-secondary " + (extra || ""),
      "data-action": action,
      title,
      "aria-label": title,
      text: label,
    });
  }

  function blockTools() {
    return el("div", { className: "eblock-tools", role: "toolbar", "aria-label": T.tools }, [
      el("div", { className: "tool-group", role: "group" }, [
        toolButton("new-statement", T.newStatementShort, T.newStatement),
        toolButton("statement-up", T.statementUpShort, T.statementUp),
        toolButton("statement-down", T.statementDownShort, T.statementDown),
        toolButton("join-statement", T.joinStatementShort, T.joinStatement),
      ]),
      el("div", { className: "tool-group", role: "group" }, [
        toolButton("block-up", T.blockUpShort, T.blockUp),
        toolButton("block-down", T.blockDownShort, T.blockDown),
      ]),
      el("div", { className: "tool-group", role: "group" }, [
        toolButton("new-resolution", T.newResolutionShort, T.newResolution),
        toolButton("new-block", T.newBlockShort, T.newBlock, "btn-outline-primary"),
      ]),
    ]);
  }

  function blockSection(block) {
    const key = block.key || newKey("b");
    const section = el("section", {
      className: "eblock",
      "data-key": key,
      "data-id": block.id || "",
    });
    const input = el("input", {
      className: "form-control form-control-sm speaker",
      type: "text",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": key + "-options",
      "aria-label": T.speaker,
      placeholder: T.speakerPlaceholder,
      autocomplete: "off",
    });
    const head = el("div", { className: "eblock-head" }, [
      el("span", { className: "eblock-handle", title: T.dragToMove, text: "⠿" }),
      el("span", { className: "eblock-number" }),
      el("div", { className: "speaker-field" }, [
        input,
        el("ul", {
          className: "speaker-options list-unstyled",
          id: key + "-options",
          role: "listbox",
          hidden: true,
        }),
      ]),
      el("span", { className: "badge text-bg-warning eblock-flag", text: T.unidentified, hidden: true }),
      agendaSelect(block.agenda_item || null),
      el("button", {
        type: "button",
        className: "btn btn-sm btn-outline-danger eblock-delete",
        title: T.deleteBlock,
        "aria-label": T.deleteBlock,
        text: "✕",
      }),
    ]);
    const list = el("ol", { className: "statements-edit" });
    const statements = block.statements && block.statements.length ? block.statements : [""];
    for (const text of statements) list.append(statementItem(text));
    section.append(head, list, blockTools());
    setSpeaker(section, block.speaker || "", block.label || "", block.written_name || "");
    if (block.note) section.querySelector(".eblock-flag").title = block.note;
    makeSortable(list, ".stmt-handle");
    return section;
  }

  function resolutionCard(resolution) {
    const key = resolution.key || newKey("r");
    const card = el("div", {
      className: "eresolution card card-body py-2",
      "data-key": key,
      "data-id": resolution.id || "",
    });
    const question = el("input", {
      className: "form-control form-control-sm res-question",
      "aria-label": T.question,
      placeholder: T.question,
    });
    question.value = resolution.question || "";
    const method = el("select", { className: "form-select form-select-sm res-method", "aria-label": T.method });
    for (const m of config.methods) method.append(el("option", { value: m.value, text: m.label }));
    method.value = resolution.method || "no_objection";
    const outcome = el("select", { className: "form-select form-select-sm res-outcome", "aria-label": T.outcome });
    for (const o of config.outcomes) outcome.append(el("option", { value: o.value, text: o.label }));
    outcome.value = resolution.outcome || "passed";
    const votes = ["votes_for", "votes_against", "abstentions"].map((name) => {
      const input = el("input", {
        type: "number",
        min: 0,
        className: "form-control form-control-sm res-votes",
        "data-field": name,
        "aria-label": T[name],
        placeholder: T[name],
      });
      input.value = resolution[name] ?? "";
      return input;
    });
    card.append(
      el("div", { className: "d-flex flex-wrap gap-2 align-items-center" }, [
        el("span", { className: "eblock-handle", title: T.dragToMove, text: "⠿" }),
        el("strong", { className: "small", text: T.resolution }),
        question,
        agendaSelect(resolution.agenda_item || null),
        method,
        el("span", { className: "res-counts d-flex gap-1" }, votes),
        outcome,
        el("div", { className: "tool-group", role: "group" }, [
          toolButton("block-up", "↑", T.resolutionUp),
          toolButton("block-down", "↓", T.resolutionDown),
        ]),
        el("button", {
          type: "button",
          className: "btn btn-sm btn-outline-danger res-delete",
          "aria-label": T.deleteResolution,
          text: "✕",
        }),
      ]),
    );
    syncCounts(card);
    return card;
  }

  function syncCounts(card) {
    const counted = card.querySelector(".res-method").value !== "no_objection";
    card.querySelector(".res-counts").hidden = !counted;
  }

  function makeSortable(container, handle) {
    if (!window.Sortable || !config.editable) return;
    // Statements can be dragged into another speaker's block too.
    const group = container.classList.contains("statements-edit") ? "statements" : undefined;
    window.Sortable.create(container, { handle, group, animation: 120, onEnd: changed });
  }

  function render(state) {
    root.replaceChildren();
    const cards = new Map();
    for (const resolution of state.resolutions || []) {
      const list = cards.get(resolution.after || null) || [];
      list.push(resolution);
      cards.set(resolution.after || null, list);
    }
    for (const resolution of cards.get(null) || []) root.append(resolutionCard(resolution));
    for (const block of state.blocks) {
      root.append(blockSection(block));
      for (const resolution of cards.get(block.key) || []) root.append(resolutionCard(resolution));
    }
    if (!state.blocks.length) root.append(blockSection({}));
    root.querySelectorAll("textarea.statement").forEach(autoGrow);
    if (!config.editable) {
      root.querySelectorAll("input, textarea, select, button").forEach((n) => (n.disabled = true));
    }
  }

  function collect() {
    const doc = { blocks: [], resolutions: [] };
    let lastBlock = null;
    for (const node of root.children) {
      if (node.classList.contains("eblock")) {
        const statements = [...node.querySelectorAll("textarea.statement")]
          .map((area) => area.value.trim())
          .filter(Boolean);
        const speaker = node.dataset.speaker || "";
        if (!speaker && !statements.length) continue; // an untouched new block
        const item = node.querySelector("select.agenda-item").value;
        doc.blocks.push({
          key: node.dataset.key,
          id: node.dataset.id ? Number(node.dataset.id) : null,
          speaker,
          label: node.dataset.label || "",
          written_name: node.dataset.writtenName || "",
          agenda_item: item ? Number(item) : null,
          statements,
        });
        lastBlock = node.dataset.key;
      } else if (node.classList.contains("eresolution")) {
        const number = (name) => {
          const value = node.querySelector(`[data-field=${name}]`).value;
          return value === "" ? null : Number(value);
        };
        const question = node.querySelector(".res-question").value.trim();
        if (!question) continue; // a new card: sent once its question is typed
        const item = node.querySelector("select.agenda-item").value;
        doc.resolutions.push({
          key: node.dataset.key,
          id: node.dataset.id ? Number(node.dataset.id) : null,
          after: lastBlock,
          agenda_item: item ? Number(item) : null,
          question,
          method: node.querySelector(".res-method").value,
          outcome: node.querySelector(".res-outcome").value,
          votes_for: number("votes_for"),
          votes_against: number("votes_against"),
          abstentions: number("abstentions"),
        });
      }
    }
    return doc;
  }

  function comparable(doc) {
    const strip = (rows) => rows.map(({ key, id, ...rest }) => rest);
    return JSON.stringify({ blocks: strip(doc.blocks), resolutions: strip(doc.resolutions).map(({ after, ...r }) => r) });
  }

  // ---- Saving --------------------------------------------------------------

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }

  function keepLocally() {
    const entry = { base: revision, document: collect(), at: new Date().toISOString() };
    // What a save under way sent: if the page closes before its answer, the
    // next visit can tell that the server has it (see the restore below).
    if (inFlight && lastSent) entry.sent = comparable(lastSent);
    try {
      localStorage.setItem(storageKey, JSON.stringify(entry));
    } catch (error) {
      setStatus("error", T.localStorageFull);
    }
  }

  function changed() {
    if (!config.editable) return;
    dirty = true;
    keepLocally();
    if (blockedByConflict) return;
    setStatus("dirty", T.unsaved);
    const now = Date.now();
    firstChangeAt = firstChangeAt || now;
    clearTimeout(saveTimer);
    const wait = Math.max(0, Math.min(SAVE_DELAY, firstChangeAt + SAVE_MAX_WAIT - now));
    saveTimer = setTimeout(save, wait);
  }

  async function save() {
    clearTimeout(saveTimer);
    if (inFlight || blockedByConflict || !config.editable) return;
    const doc = collect();
    inFlight = true;
    dirty = false;
    firstChangeAt = null;
    lastSent = doc;
    keepLocally();
    setStatus("saving", T.saving);
    let response;
    try {
      response = await fetch(config.urls.save, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ base: revision, document: doc }),
        credentials: "same-origin",
      });
    } catch (error) {
      inFlight = false;
      dirty = true;
      setStatus("offline", T.offline);
      saveTimer = setTimeout(save, 5000);
      return;
    }
    inFlight = false;
    let body = {};
    try {
      body = await response.json();
    } catch (error) {
      body = {};
    }
    // An ended session answers with the login page (a redirect that fetch
    // follows, 200 with HTML): that is not a save, whatever the status says.
    const signedOut = response.redirected || [401, 403].includes(response.status);
    if (response.ok && !signedOut && typeof body.revision === "string") {
      revision = body.revision;
      // The overview form on this page is based on the same revision.
      if (overviewRevision) overviewRevision.value = revision;
      assignIds(body);
      clearErrors();
      if (dirty) {
        keepLocally();
        saveTimer = setTimeout(save, SAVE_DELAY);
      } else if (comparable(collect()) === comparable(doc)) {
        localStorage.removeItem(storageKey);
        setStatus("saved", T.savedAt.replace("%s", body.saved_at));
      }
      refreshPreview();
    } else if (response.status === 409) {
      dirty = true;
      blockedByConflict = true;
      keepLocally();
      // "Yours" is what the page holds now, typed during the save included.
      showConflict(body.conflict, collect());
    } else if (signedOut) {
      dirty = true;
      keepLocally();
      setStatus("error", T.signedOut);
    } else {
      dirty = true;
      setStatus("error", T.notSaved);
      showErrors(body.errors || [{ message: T.serverError }]);
    }
  }

  function assignIds(body) {
    for (const [key, id] of Object.entries(body.blocks || {})) {
      const node = root.querySelector(`.eblock[data-key="${CSS.escape(key)}"]`);
      if (node) node.dataset.id = id;
    }
    for (const [key, id] of Object.entries(body.resolutions || {})) {
      const node = root.querySelector(`.eresolution[data-key="${CSS.escape(key)}"]`);
      if (node) node.dataset.id = id;
    }
  }

  function clearErrors() {
    errorsEl.replaceChildren();
    root.querySelectorAll(".has-error").forEach((node) => node.classList.remove("has-error"));
  }

  function showErrors(errors) {
    clearErrors();
    errorsEl.replaceChildren(
      ...errors.map((error) => el("li", { text: error.message })),
    );
    for (const error of errors) {
      if (!error.key) continue;
      const node = root.querySelector(`[data-key="${CSS.escape(error.key)}"]`);
      node?.classList.add("has-error");
    }
  }

  // ---- Conflict ------------------------------------------------------------

  function asText(doc) {
    const lines = [];
    for (const block of doc.blocks) {
      if (UNSPOKEN.has(block.speaker)) {
        // As printed: a direction and a heading stay recognisable when pasted back.
        lines.push(...block.statements, "");
        continue;
      }
      lines.push("<" + headingOf(block) + ">");
      for (const statement of block.statements) lines.push("- " + statement);
      lines.push("");
    }
    for (const resolution of doc.resolutions || []) lines.push("[" + T.resolution + "] " + resolution.question);
    return lines.join("\n").trim();
  }

  const conflictDialog = document.getElementById("conflict-dialog");
  let conflict = null;
  let conflictShown = false;
  conflictDialog.addEventListener("shown.bs.modal", () => (conflictShown = true));
  conflictDialog.addEventListener("hidden.bs.modal", () => (conflictShown = false));

  function hideConflict() {
    const modal = window.bootstrap.Modal.getOrCreateInstance(conflictDialog);
    // Bootstrap ignores hide() while the dialog is still fading in: a quick
    // choice is carried out as soon as it has appeared.
    if (conflictShown) modal.hide();
    else conflictDialog.addEventListener("shown.bs.modal", () => modal.hide(), { once: true });
  }

  function showConflict(info, mine) {
    conflict = { theirs: info.theirs, mine };
    setStatus("conflict", T.conflictStatus);
    document.getElementById("conflict-who").textContent = T.conflictWho
      .replace("%(user)s", info.by)
      .replace("%(time)s", info.at);
    document.getElementById("conflict-theirs").textContent = asText(info.theirs);
    document.getElementById("conflict-mine").textContent = asText(mine);
    window.bootstrap.Modal.getOrCreateInstance(conflictDialog).show();
  }

  document.getElementById("conflict-keep-mine").addEventListener("click", () => {
    // Explicit: the secretary has seen their text and chooses to replace it.
    revision = conflict.theirs.revision;
    blockedByConflict = false;
    hideConflict();
    save();
  });

  document.getElementById("conflict-take-theirs").addEventListener("click", () => {
    const mine = asText(collect());
    revision = conflict.theirs.revision;
    blockedByConflict = false;
    dirty = false;
    render(conflict.theirs);
    localStorage.removeItem(storageKey);
    // My text is not thrown away: it waits in the paste box to be reused.
    document.getElementById("paste-text").value = mine;
    document.getElementById("paste-panel").open = true;
    hideConflict();
    setStatus("saved", T.tookTheirs);
    refreshPreview();
  });

  // ---- Keyboard ------------------------------------------------------------

  function currentSection(node) {
    return node.closest(".eblock") || node.closest(".eresolution");
  }

  function focusStatement(area, atEnd) {
    area.focus();
    const at = atEnd ? area.value.length : 0;
    area.setSelectionRange(at, at);
  }

  function newBlockAfter(node) {
    const section = blockSection({});
    if (node) node.after(section);
    else root.append(section);
    section.querySelector("input.speaker").focus();
    return section;
  }

  function neighbourBlock(section, direction) {
    let node = direction < 0 ? section.previousElementSibling : section.nextElementSibling;
    while (node && !node.classList.contains("eblock")) {
      node = direction < 0 ? node.previousElementSibling : node.nextElementSibling;
    }
    return node;
  }

  /* A statement at the edge of its block moves on into the neighbouring block
   * (it was said by the other speaker); an emptied block keeps a line to type in. */
  function moveStatement(item, direction) {
    const sibling = direction < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (sibling) return move(item, direction);
    const section = item.closest(".eblock");
    const target = neighbourBlock(section, direction);
    if (!target) return false;
    const list = target.querySelector(".statements-edit");
    if (direction < 0) list.append(item);
    else list.prepend(item);
    if (!section.querySelector(".statement-item")) section.querySelector(".statements-edit").append(statementItem(""));
    changed();
    return true;
  }

  /* Split at the caret: the text after it becomes the next statement. */
  function splitStatement(target) {
    const item = target.closest("li");
    const rest = target.value.slice(target.selectionEnd);
    target.value = target.value.slice(0, target.selectionStart).trimEnd();
    autoGrow(target);
    const next = statementItem(rest.trimStart());
    item.after(next);
    const area = next.querySelector("textarea");
    autoGrow(area);
    focusStatement(area, false);
    changed();
  }

  /* The statement joins the one above it (false when it is the first). */
  function joinStatement(target) {
    const item = target.closest("li");
    const previous = item.previousElementSibling;
    if (!previous) return false;
    const area = previous.querySelector("textarea");
    const join = area.value.length;
    area.value = area.value + (target.value ? " " + target.value : "");
    item.remove();
    autoGrow(area);
    area.focus();
    area.setSelectionRange(join, join);
    changed();
    return true;
  }

  /* A new speaker block after this one and the resolutions recorded after it. */
  function addBlockAfter(section) {
    let after = section;
    while (after.nextElementSibling && after.nextElementSibling.classList.contains("eresolution")) {
      after = after.nextElementSibling;
    }
    return newBlockAfter(after);
  }

  function addResolutionAfter(section) {
    const card = resolutionCard({});
    section.after(card);
    card.querySelector(".res-question").focus();
    changed();
    return card;
  }

  /* The statement the block's buttons act on: the one last touched, else the last. */
  function currentStatement(section) {
    const items = [...section.querySelectorAll(".statement-item")];
    return items.find((item) => item.classList.contains("current-statement")) || items[items.length - 1];
  }

  function runAction(button) {
    const section = currentSection(button);
    const item = section.classList.contains("eblock") ? currentStatement(section) : null;
    const area = item?.querySelector("textarea.statement");
    switch (button.dataset.action) {
      case "new-statement":
        splitStatement(area);
        break;
      case "statement-up":
      case "statement-down":
        moveStatement(item, button.dataset.action === "statement-up" ? -1 : 1);
        markCurrent(item);
        item.scrollIntoView({ block: "nearest" });
        break;
      case "join-statement":
        joinStatement(area);
        break;
      case "block-up":
      case "block-down":
        move(section, button.dataset.action === "block-up" ? -1 : 1);
        section.scrollIntoView({ block: "nearest" });
        break;
      case "new-resolution":
        addResolutionAfter(section);
        break;
      case "new-block":
        addBlockAfter(section);
        break;
    }
  }

  function move(node, direction) {
    const sibling = direction < 0 ? node.previousElementSibling : node.nextElementSibling;
    if (!sibling) return false;
    if (direction < 0) sibling.before(node);
    else sibling.after(node);
    changed();
    return true;
  }

  root.addEventListener("keydown", (event) => {
    // A Korean IME reports the Enter that ends a syllable as a keydown of its
    // own (isComposing, or keyCode 229) before the real one: act on the real one.
    if (event.isComposing || event.keyCode === 229) return;
    const target = event.target;
    const section = currentSection(target);
    if (!section || !config.editable) return;

    if (target.matches("input.speaker")) {
      const list = section.querySelector(".speaker-options");
      if (event.key === "ArrowDown" && !event.altKey) {
        event.preventDefault();
        if (list.hidden) showOptions(section);
        else moveActive(section, 1);
        return;
      }
      if (event.key === "ArrowUp" && !event.altKey && !list.hidden) {
        event.preventDefault();
        moveActive(section, -1);
        return;
      }
      if (event.key === "Escape") {
        closeOptions(section);
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && !event.ctrlKey && !list.hidden) {
        if (chooseActive(section) && event.key === "Enter") {
          event.preventDefault();
          focusStatement(section.querySelector("textarea.statement"), true);
        }
        return;
      }
      if (event.key === "Enter" && !event.ctrlKey) {
        event.preventDefault();
        resolveTyped(section);
        focusStatement(section.querySelector("textarea.statement"), true);
        return;
      }
    }

    if (event.key === "Enter" && event.ctrlKey) {
      event.preventDefault();
      if (target.matches("input.speaker")) resolveTyped(section);
      addBlockAfter(section);
      return;
    }
    if (event.altKey && (event.key === "r" || event.key === "R" || event.code === "KeyR")) {
      event.preventDefault();
      addResolutionAfter(section);
      return;
    }
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      const direction = event.key === "ArrowUp" ? -1 : 1;
      if (target.matches("textarea.statement") && !event.shiftKey) {
        moveStatement(target.closest("li"), direction);
      } else {
        move(section, direction);
      }
      target.focus();
      return;
    }
    if (event.key === "Backspace" && event.ctrlKey && event.shiftKey) {
      event.preventDefault();
      deleteNode(section);
      return;
    }

    if (target.matches("textarea.statement")) {
      const item = target.closest("li");
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey) {
        event.preventDefault();
        splitStatement(target);
        return;
      }
      if (event.key === "Backspace" && target.selectionStart === 0 && target.selectionEnd === 0) {
        if (joinStatement(target)) event.preventDefault();
        return;
      }
      if (event.key === "ArrowUp" && target.selectionStart === 0) {
        const previous = item.previousElementSibling?.querySelector("textarea");
        if (previous) {
          event.preventDefault();
          focusStatement(previous, true);
        }
      }
      if (event.key === "ArrowDown" && target.selectionEnd === target.value.length) {
        const next = item.nextElementSibling?.querySelector("textarea");
        if (next) {
          event.preventDefault();
          focusStatement(next, false);
        }
      }
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      save();
    }
    if (event.altKey && (event.key === "p" || event.key === "P" || event.code === "KeyP")) {
      event.preventDefault();
      const panel = document.getElementById("paste-panel");
      panel.open = true;
      document.getElementById("paste-text").focus();
    }
  });

  function deleteNode(section) {
    const isBlock = section.classList.contains("eblock");
    const hasText = isBlock && [...section.querySelectorAll("textarea.statement")].some((a) => a.value.trim());
    if (hasText && !window.confirm(T.confirmDelete)) return;
    const neighbour = section.previousElementSibling || section.nextElementSibling;
    section.remove();
    if (!root.querySelector(".eblock")) root.append(blockSection({}));
    (neighbour || root).querySelector?.("input, textarea")?.focus();
    changed();
  }

  root.addEventListener("click", (event) => {
    const option = event.target.closest(".speaker-option");
    if (option) {
      const section = currentSection(option);
      section.querySelectorAll(".speaker-option").forEach((o) => o.classList.remove("active"));
      option.classList.add("active");
      chooseActive(section);
      focusStatement(section.querySelector("textarea.statement"), true);
      return;
    }
    const button = event.target.closest(".eblock-delete, .res-delete");
    if (button) deleteNode(currentSection(button));
    const tool = event.target.closest("button[data-action]");
    if (tool && config.editable) runAction(tool);
  });

  function markCurrent(item) {
    const section = item.closest(".eblock");
    section.querySelectorAll(".current-statement").forEach((other) => other.classList.remove("current-statement"));
    item.classList.add("current-statement");
  }

  root.addEventListener("focusin", (event) => {
    if (event.target.matches("textarea.statement")) markCurrent(event.target.closest("li"));
  });

  root.addEventListener("input", (event) => {
    const target = event.target;
    if (target.matches("input.speaker")) {
      showOptions(currentSection(target));
      return; // resolved on choice or when the field is left
    }
    if (target.matches("textarea.statement")) autoGrow(target);
    changed();
  });

  root.addEventListener("change", (event) => {
    if (event.target.matches(".res-method")) syncCounts(currentSection(event.target));
    if (!event.target.matches("input.speaker")) changed();
  });

  root.addEventListener("focusout", (event) => {
    const target = event.target;
    if (!target.matches("input.speaker")) return;
    const section = currentSection(target);
    // Let a click on an option land first.
    setTimeout(() => {
      if (section.contains(document.activeElement)) return;
      closeOptions(section);
      resolveTyped(section);
    }, 150);
  });

  root.addEventListener("paste", (event) => {
    if (!event.target.matches("textarea.statement")) return;
    const text = event.clipboardData.getData("text/plain");
    if (!/\n/.test(text) || !/(^|\n)\s*(#*\s*[<〈＜][^>〉＞\n]+[>〉＞]|[○◯]\S)/.test(text)) return;
    event.preventDefault();
    document.getElementById("paste-panel").open = true;
    document.getElementById("paste-text").value = text;
    parsePaste();
  });

  function autoGrow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 2 + "px";
  }

  // ---- Paste to structure ------------------------------------------------------

  let parsed = null;

  async function parsePaste() {
    const text = document.getElementById("paste-text").value;
    const out = document.getElementById("paste-preview");
    const accept = document.getElementById("paste-accept");
    accept.disabled = true;
    const response = await fetch(config.urls.parse, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ text }),
      credentials: "same-origin",
    }).catch(() => null);
    if (!response) {
      out.replaceChildren(el("p", { className: "text-danger", text: T.offline }));
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (response.redirected || [401, 403].includes(response.status)) {
      out.replaceChildren(el("p", { className: "text-danger", text: T.signedOut }));
      return;
    }
    if (!response.ok || !Array.isArray(body.blocks)) {
      out.replaceChildren(...(body.errors || []).map((e) => el("p", { className: "text-danger", text: e.message })));
      return;
    }
    parsed = body;
    const statements = body.blocks.reduce((n, b) => n + b.statements.length, 0);
    const unmatched = body.blocks.filter((b) => !b.identified).length;
    const summary = T.parsedSummary
      .replace("%(blocks)s", body.blocks.length)
      .replace("%(statements)s", statements)
      .replace("%(unmatched)s", unmatched);
    out.replaceChildren(
      el("p", { className: "fw-semibold", text: summary }),
      ...(body.notes || []).map((note) => el("p", { className: "text-warning-emphasis small paste-note", text: note })),
      el(
        "ol",
        { className: "paste-blocks small" },
        body.blocks.map((b) =>
          UNSPOKEN.has(b.speaker)
            ? el("li", { className: "paste-unspoken" }, [
                el("em", { text: b.heading + ": " }),
                el("span", { text: b.statements.join(" ") }),
              ])
            : el("li", { className: b.identified ? "" : "text-warning-emphasis" }, [
                el("strong", { text: "<" + b.heading + "> " }),
                el("span", {
                  text: b.identified
                    ? "→ " + headingOf(b) + " · " + T.statementsCount.replace("%s", b.statements.length)
                    : "⚠ " + b.note + " · " + T.statementsCount.replace("%s", b.statements.length),
                }),
              ]),
        ),
      ),
      ...(body.unplaced.length
        ? [
            el("p", { className: "text-danger mb-1", text: T.unplacedTitle }),
            el(
              "ul",
              { className: "small paste-unplaced" },
              body.unplaced.map((u) => el("li", { text: T.line.replace("%s", u.line) + " " + u.text })),
            ),
          ]
        : []),
    );
    accept.disabled = body.blocks.length === 0;
  }

  document.getElementById("paste-parse").addEventListener("click", parsePaste);
  document.getElementById("paste-accept").addEventListener("click", () => {
    if (!parsed) return;
    const untouched = [...root.querySelectorAll(".eblock")].filter(
      (n) => !n.dataset.speaker && ![...n.querySelectorAll("textarea")].some((a) => a.value.trim()),
    );
    untouched.forEach((n) => n.remove());
    let first = null;
    for (const block of parsed.blocks) {
      const section = blockSection(block);
      root.append(section);
      section.querySelectorAll("textarea.statement").forEach(autoGrow);
      first = first || section;
    }
    if (parsed.unplaced.length) {
      // Not placed, not lost: the unplaced lines stay in the paste box.
      document.getElementById("paste-text").value = parsed.unplaced.map((u) => u.text).join("\n");
    } else {
      document.getElementById("paste-text").value = "";
    }
    document.getElementById("paste-preview").replaceChildren();
    parsed = null;
    document.getElementById("paste-accept").disabled = true;
    first?.querySelector("input.speaker").focus();
    changed();
  });

  // ---- Preview -------------------------------------------------------------

  const previewEl = document.getElementById("preview");
  let previewVersion = "internal";

  async function refreshPreview() {
    if (!previewEl || previewEl.closest("[hidden]")) return;
    const response = await fetch(config.urls.preview + "?version=" + previewVersion, {
      credentials: "same-origin",
    }).catch(() => null);
    if (response && response.ok && !response.redirected) {
      const body = await response.json().catch(() => ({}));
      // rendered by our own template, escaped there
      if (typeof body.html === "string") previewEl.innerHTML = body.html;
    }
  }

  document.querySelectorAll("[data-preview-version]").forEach((button) => {
    button.addEventListener("click", () => {
      previewVersion = button.dataset.previewVersion;
      document.querySelectorAll("[data-preview-version]").forEach((b) =>
        b.classList.toggle("active", b === button),
      );
      refreshPreview();
    });
  });

  // ---- Start: offer unsaved local changes back -------------------------------

  render(config.state);
  refreshPreview();
  const stored = (() => {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  })();
  if (stored && config.editable && comparable(stored.document) !== comparable(collect())) {
    const banner = document.getElementById("restore-banner");
    banner.querySelector(".restore-time").textContent = new Date(stored.at).toLocaleString();
    banner.hidden = false;
    document.getElementById("restore-accept").addEventListener("click", () => {
      render(stored.document);
      // Based on the old revision, unless the save under way when the page
      // closed did land: then the server's text is the base, not a rival.
      revision = stored.sent === comparable(config.state) ? config.state.revision : stored.base;
      banner.hidden = true;
      changed();
      save();
    });
    document.getElementById("restore-discard").addEventListener("click", () => {
      if (!window.confirm(T.confirmDiscard)) return;
      localStorage.removeItem(storageKey);
      banner.hidden = true;
    });
  } else if (stored) {
    localStorage.removeItem(storageKey);
  }
  document.getElementById("save-now")?.addEventListener("click", () => save());
  // On a touch screen the buttons replace the shortcuts: their list starts folded.
  if (window.matchMedia("(pointer: coarse)").matches) document.getElementById("shortcuts").open = false;
  if (config.editable) setStatus("saved", T.upToDate);
  else setStatus("saved", T.readOnly);

  // The overview form reloads the page: send the remarks first.
  document.getElementById("overview-form")?.addEventListener("submit", async (event) => {
    if (!config.editable || (!dirty && !inFlight)) return;
    event.preventDefault();
    const form = event.target;
    while (inFlight) await new Promise((resolve) => setTimeout(resolve, 100));
    if (dirty) await save();
    if (!dirty && !blockedByConflict) form.submit();
  });

  // Back from logging in again in another tab: send what is waiting here.
  window.addEventListener("focus", () => {
    if (dirty && statusEl.dataset.state === "error") save();
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty || inFlight) {
      keepLocally();
      event.preventDefault();
    }
  });
  root.querySelector("input.speaker")?.focus();
})();
