// persona-agent web workspace: the little script the pages need, served from the package (no CDN).
// Every page works without it (forms post, links open pages); with it, answers stream, forms swap
// their result in place, citations open in a dialog and jobs show their progress live.
// Research and model text is only ever inserted as text (textContent) or as HTML the server
// rendered with escaping; the Content-Security-Policy allows no inline script.
(() => {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
  const post = (form, headers) => fetch(form.action, {
    method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
    headers: {"X-CSRF-Token": csrf(), ...headers},
  });
  const scroll = (element) => element?.scrollIntoView({block: "end", behavior: "smooth"});

  // ----------------------------------------------------------------------------------- chat
  function bubble(speaker) {
    const article = document.createElement("article");
    article.className = "turn answer streaming";
    const header = document.createElement("header");
    header.textContent = (speaker === "focus group" ? "focus group" : "@" + speaker) + " is answering…";
    const text = document.createElement("p");
    text.className = "text";
    article.append(header, text);
    return article;
  }

  function onChatEvent(event, log, pending) {
    switch (event.type) {
      case "question":
        log.insertAdjacentHTML("beforeend", event.html);
        break;
      case "start":
        log.dataset.pieces = "0";
        pending = bubble(event.speaker);
        log.append(pending);
        break;
      case "token":
        if (pending) pending.querySelector(".text").textContent += event.text;
        log.dataset.pieces = String(Number(log.dataset.pieces || 0) + 1);  // how the last answer arrived
        break;
      case "text":
        if (pending) pending.querySelector(".text").textContent = event.text;
        log.dataset.pieces = String(Number(log.dataset.pieces || 0) + 1);
        break;
      case "reply":
      case "error":
        if (pending) {
          pending.insertAdjacentHTML("beforebegin", event.html);
          pending.querySelector(".text").textContent = "";
        } else {
          log.insertAdjacentHTML("beforeend", event.html);
        }
        break;
      case "done":
        if (pending) pending.remove();
        pending = null;
        log.dataset.turns = String(Number(log.dataset.turns || 0) + 1);
        break;
    }
    scroll(log.lastElementChild);
    return pending;
  }

  async function streamForm(form) {
    const log = document.querySelector(form.dataset.stream);
    const button = form.querySelector("button[type=submit]");
    const question = form.querySelector("textarea");
    let pending = null;
    button.disabled = true;
    form.classList.add("busy");
    log.querySelector(".empty-log")?.remove();
    try {
      const response = await post(form, {"Accept": "application/x-ndjson"});
      if (!response.ok || !response.body) throw new Error((await response.text()) || response.statusText);
      question.value = "";
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, {stream: true});
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim()) pending = onChatEvent(JSON.parse(line), log, pending);
        }
      }
    } catch (error) {
      const failed = document.createElement("p");
      failed.className = "turn error";
      failed.setAttribute("role", "alert");
      failed.textContent = "That failed: " + error.message;
      log.append(failed);
    } finally {
      if (pending) pending.remove();
      button.disabled = false;
      form.classList.remove("busy");
      question.focus();
    }
  }

  // ----------------------------------------------------------------------------------- fragments
  async function swapForm(form) {
    const target = document.querySelector(form.dataset.swap);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    target.replaceChildren(Object.assign(document.createElement("p"), {className: "note working", textContent: "Working…"}));
    try {
      const response = await post(form, {"X-Fragment": "1"});
      await fill(target, response);
    } catch (error) {
      target.textContent = "That failed: " + error.message;
    } finally {
      button.disabled = false;
    }
  }

  async function fill(target, response) {
    const body = await response.text();
    if ((response.headers.get("content-type") || "").startsWith("text/html")) target.innerHTML = body;
    else target.textContent = body;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[data-stream]")) {
      event.preventDefault();
      streamForm(form);
    } else if (form.matches("form[data-swap]")) {
      event.preventDefault();
      swapForm(form);
    }
  });

  document.addEventListener("keydown", (event) => {  // Enter sends a question, Shift+Enter is a new line
    const area = event.target;
    if (event.key === "Enter" && !event.shiftKey && area.matches && area.matches("form[data-stream] textarea")) {
      event.preventDefault();
      area.form.requestSubmit();
    }
  });

  // ----------------------------------------------------------------------------------- citations
  document.addEventListener("click", async (event) => {
    const link = event.target.closest && event.target.closest("a.cite");
    const dialog = document.getElementById("evidence-dialog");
    if (!link || !dialog || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const url = new URL(link.href);
    url.searchParams.set("fragment", "1");
    const body = dialog.querySelector(".dialog-body");
    try {
      await fill(body, await fetch(url, {credentials: "same-origin", headers: {"X-Fragment": "1"}}));
    } catch (error) {
      body.textContent = "Could not open " + link.textContent + ": " + error.message;
    }
    if (!dialog.open) dialog.showModal();
  });

  document.addEventListener("click", (event) => {  // a click on the backdrop closes the dialog
    if (event.target.id === "evidence-dialog") event.target.close();
  });

  // ----------------------------------------------------------------------------------- jobs
  function task(tasks, name) {
    let row = tasks.querySelector(`.task[data-name="${CSS.escape(name)}"]`);
    if (!row) {
      row = document.createElement("div");
      row.className = "task";
      row.dataset.name = name;
      const label = document.createElement("label");
      label.append(name + " ", Object.assign(document.createElement("span"), {className: "count"}), " ",
                   Object.assign(document.createElement("span"), {className: "item"}));
      row.append(label, document.createElement("progress"));
      tasks.append(row);
    }
    return row;
  }

  function onJobEvent(event, tasks, events) {
    if (event.kind === "start" || event.kind === "advance") {
      const row = task(tasks, String(event.name ?? ""));
      const progress = row.querySelector("progress");
      if (event.kind === "start") {
        progress.max = Math.max(1, Number(event.total) || 1);
        progress.value = 0;
      } else {
        progress.value = Number(progress.value) + Number(event.by ?? 1);
        row.querySelector(".item").textContent = String(event.item ?? "");
      }
      row.querySelector(".count").textContent = `${progress.value}/${progress.max}`;
      return;
    }
    const item = document.createElement("li");
    const key = streamKey(event);
    if (key) item.dataset.key = key;
    item.append(Object.assign(document.createElement("b"), {textContent: event.kind}));
    for (const [key, value] of Object.entries(event)) {
      if (key === "kind") continue;
      const field = document.createElement("span");
      field.className = "field";
      field.textContent = `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`;
      item.append(" ", field);
    }
    const last = events.lastElementChild;
    if (key && last && last.dataset.key === key) last.replaceWith(item);  // a measurement updates its line
    else events.append(item);
    scroll(item);
  }

  // The same rule as the server's jobs.stream_key: numbers-only updates of one persona's or task's kind.
  function streamKey(event) {
    const who = event.persona ?? event.name;
    const rest = Object.entries(event).filter(([key]) => !["kind", "persona", "name"].includes(key));
    if (event.kind === "start" || event.kind === "advance" || who === undefined || !rest.length) return null;
    return rest.every(([, value]) => typeof value === "number") ? `${event.kind}|${who}` : null;
  }

  const job = document.getElementById("job");
  if (job && job.dataset.status === "running" && window.EventSource) {
    const source = new EventSource(`${job.dataset.events}?after=${job.dataset.cursor}`);
    const tasks = document.getElementById("tasks");
    const events = document.getElementById("events");
    source.onmessage = (message) => onJobEvent(JSON.parse(message.data), tasks, events);
    source.addEventListener("end", (message) => {
      const end = JSON.parse(message.data);
      source.close();
      job.dataset.status = end.status;
      const status = document.getElementById("job-status");
      status.textContent = end.status;
      status.className = `status status-${end.status}`;
      document.getElementById("outcome").innerHTML = end.html;
    });
  }
})();
