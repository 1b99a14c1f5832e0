// HotGigs pages: API calls with the session cookie + CSRF token, forms that call the API,
// the notification bell and the live WebSocket. Plain JavaScript, no build step.
"use strict";

const HotGigs = (() => {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
  const listeners = new Set();

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  /** The readable reason of an error answer (FastAPI's `detail`, a list for 422s). */
  function reasonOf(body, status) {
    const detail = body && body.detail;
    if (Array.isArray(detail)) {
      return detail.map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".")}: ${d.msg}`).join("; ");
    }
    if (typeof detail === "string") return detail;
    return `The server answered ${status}.`;
  }

  let renewing = null;
  /** Trade the refresh cookie for a new session once, however many calls ask at the same time. */
  function renewSession() {
    renewing = renewing || fetch("/auth/refresh", { method: "POST", credentials: "same-origin" })
      .then((r) => r.ok)
      .finally(() => { setTimeout(() => { renewing = null; }, 1000); });
    return renewing;
  }

  /** Call the API as the signed-in user; JSON in and out, FormData passed as it is. */
  async function api(method, url, body, { retry = true } = {}) {
    const headers = { "X-CSRF-Token": csrf(), Accept: "application/json" };
    let payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
    if (response.status === 401 && retry) {
      if (await renewSession()) return api(method, url, body, { retry: false });
      window.location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      throw new ApiError(401, "Your session has ended; please sign in again.");
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) throw new ApiError(response.status, reasonOf(data, response.status));
    return data;
  }

  /** Build an element: el("a", {href: "/x", class: "c"}, "text", child). Text is never parsed as HTML. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---- toasts ------------------------------------------------------------------------
  // Toasts take their own row of the top bar, in the page's flow: a new one pushes the page
  // down instead of covering its controls or status labels (app.css keeps the browser from
  // scrolling along while one shows). At most MAX_TOASTS show: the newest, after a
  // "+N more" toast for the others that leads to the notification center.
  const MAX_TOASTS = 3;
  const TOAST_MS = 6000;
  const toasts = []; // showing or waiting behind "+N more", oldest first

  function toastBox() {
    const box = document.querySelector("[data-toasts]");
    const bar = document.querySelector(".topbar");
    if (box && bar && box.parentElement !== bar) {
      box.append(el("a", { class: "toast more", href: "/notifications", "data-more-toasts": true, hidden: true }));
      bar.append(box);
    }
    return box;
  }

  function layOutToasts(box) {
    const waiting = toasts.length > MAX_TOASTS ? toasts.length - (MAX_TOASTS - 1) : 0;
    toasts.forEach((item, index) => { item.hidden = index < waiting; });
    const more = box.querySelector("[data-more-toasts]");
    more.textContent = `+${waiting} more`;
    more.setAttribute("aria-label", `+${waiting} more: open the notifications`);
    more.hidden = waiting === 0;
    box.hidden = toasts.length === 0;
  }

  function toast(message, { href } = {}) {
    const box = toastBox();
    if (!box) return;
    const dismiss = () => {
      clearTimeout(timer);
      item.remove();
      toasts.splice(toasts.indexOf(item), 1);
      layOutToasts(box);
    };
    const item = el("div", { class: "toast", role: "status" },
      href ? el("a", { href }, message) : el("span", {}, message),
      el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", onclick: dismiss }, "×"));
    const timer = setTimeout(dismiss, TOAST_MS);
    toasts.push(item);
    box.hidden = false; // shown before it gets the toast, so screen readers announce it
    box.append(item);
    layOutToasts(box);
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : date.toLocaleString();
  }

  /** Read a form into the JSON body its API expects (see data-type on the fields). */
  function formBody(form) {
    const body = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled || field.type === "submit" || field.type === "button") continue;
      const kind = field.dataset.type;
      let value;
      if (field.type === "checkbox") value = field.checked;
      else if (kind === "list") value = field.value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
      else if (field.type === "number") value = field.value === "" ? null : Number(field.value);
      else value = field.value;
      if (field.dataset.optional !== undefined && (value === "" || value === null)) continue;
      if (field.type === "radio" && !field.checked) continue;
      body[field.name] = value;
    }
    return body;
  }

  /** Fill `{name}` in a URL from an answer (e.g. data-then="/jobs/{id}"). */
  function fill(template, data) {
    return template.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(data && data[key] != null ? data[key] : ""));
  }

  /** The visible name of a form field: its label's own text, without hints. */
  function fieldName(field) {
    const label = field.labels && field.labels[0];
    if (!label) return field.name;
    const copy = label.cloneNode(true);
    for (const hint of copy.querySelectorAll(".hint")) hint.remove();
    return copy.textContent.trim() || field.name;
  }

  /** The browser refused a field: say which one and why where the form shows its errors. */
  function showRefusedField(field) {
    const form = field.form;
    field.setAttribute("aria-invalid", "true");
    const error = form && form.querySelector("[data-error]");
    // Only the first refused field speaks; the browser reports the others in order.
    if (!error || form.querySelector('[aria-invalid="true"]') !== field) return;
    error.textContent = `${fieldName(field)}: ${field.validationMessage}`;
  }

  async function submitApiForm(form, event) {
    event.preventDefault();
    const error = form.querySelector("[data-error]");
    if (error) error.textContent = "";
    const submit = form.querySelector('[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const method = form.dataset.method || "POST";
      const url = fill(form.dataset.api, Object.fromEntries(new FormData(form)));
      const data = await api(method, url, method === "DELETE" ? undefined : formBody(form));
      if (form.dataset.done) toast(form.dataset.done);
      const then = form.dataset.then || "reload";
      if (then === "reload") window.location.reload();
      else if (then !== "stay") window.location.assign(fill(then, data));
      else {
        if (form.hasAttribute("data-reset")) form.reset();
        form.dispatchEvent(new CustomEvent("hotgigs:done", { detail: data }));
      }
    } catch (exc) {
      if (error) error.textContent = exc.message;
      else toast(exc.message);
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  async function clickApiButton(button) {
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    try {
      const data = await api(button.dataset.method || "POST", button.dataset.api);
      if (button.dataset.done) toast(button.dataset.done);
      const then = button.dataset.then || "reload";
      if (then === "reload") window.location.reload();
      else if (then !== "stay") window.location.assign(fill(then, data));
    } catch (exc) {
      toast(exc.message);
    } finally {
      button.disabled = false;
    }
  }

  /** Where a notification leads. */
  function linkOf(message) {
    const data = message.data || {};
    if (data.candidate_id) return `/candidates/${data.candidate_id}`;
    if (data.job_id) return `/matching?job=${data.job_id}`;
    if (data.sync_id) return "/drive";
    return "/notifications";
  }

  // ---- the bell and the socket -------------------------------------------------------
  const bell = {
    unread: 0,
    lastId: null,
    setUnread(count) {
      this.unread = Math.max(0, count);
      const badge = document.querySelector("[data-unread]");
      if (!badge) return;
      badge.textContent = this.unread > 99 ? "99+" : String(this.unread);
      badge.hidden = this.unread === 0;
      const toggle = document.querySelector("[data-bell-toggle]");
      if (toggle) toggle.setAttribute("aria-label", `Notifications, ${this.unread} unread`);
    },
    item(n) {
      const link = el("a", { href: linkOf(n), "data-id": n.id },
        n.title || n.type, el("time", { datetime: n.created_at }, formatTime(n.created_at)));
      link.addEventListener("click", () => {
        if (!n.read) api("POST", `/api/notifications/${n.id}/read`).catch(() => {});
      });
      return el("li", { class: n.read ? "" : "unread" }, link);
    },
    async load() {
      const list = document.querySelector("[data-bell-list]");
      const empty = document.querySelector("[data-bell-empty]");
      try {
        const page = await api("GET", "/api/notifications?limit=10");
        list.replaceChildren(...page.items.map((n) => this.item(n)));
        empty.hidden = page.items.length > 0;
        this.setUnread(page.unread);
      } catch (exc) {
        list.replaceChildren(el("li", {}, el("span", { class: "item" }, exc.message)));
      }
    },
  };

  function setUpBell() {
    const toggle = document.querySelector("[data-bell-toggle]");
    const panel = document.getElementById("bell-panel");
    if (!toggle || !panel) return;
    const close = () => { panel.hidden = true; toggle.setAttribute("aria-expanded", "false"); };
    toggle.addEventListener("click", () => {
      const opening = panel.hidden;
      panel.hidden = !opening;
      toggle.setAttribute("aria-expanded", String(opening));
      if (opening) bell.load();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !panel.hidden) { close(); toggle.focus(); }
    });
    document.addEventListener("click", (e) => {
      if (!panel.hidden && !e.target.closest("[data-bell]")) close();
    });
    document.querySelector("[data-read-all]")?.addEventListener("click", async () => {
      await api("POST", "/api/notifications/read-all");
      bell.load();
    });
    const desktop = document.querySelector("[data-enable-desktop]");
    if (desktop && "Notification" in window && Notification.permission === "default") {
      desktop.hidden = false;
      desktop.addEventListener("click", async () => {
        const answer = await Notification.requestPermission();
        desktop.hidden = answer !== "default";
        toast(answer === "granted" ? "Desktop notifications are on." : "Desktop notifications stay off.");
      });
    }
  }

  function deliver(message) {
    if (message.id != null) bell.lastId = message.id;
    if (message.in_app) {
      bell.setUnread(bell.unread + 1);
      const list = document.querySelector("[data-bell-list]");
      const panel = document.getElementById("bell-panel");
      if (list && panel && !panel.hidden) {
        list.prepend(bell.item(message));
        document.querySelector("[data-bell-empty]").hidden = true;
      }
    }
    if (message.browser && "Notification" in window && Notification.permission === "granted" && document.hidden) {
      const notice = new Notification(message.title || "HotGigs", { tag: `hotgigs-${message.id}` });
      notice.onclick = () => { window.focus(); window.location.assign(linkOf(message)); };
    } else if (message.in_app && message.type !== "resume_progress") {
      toast(message.title || message.type, { href: linkOf(message) });
    }
    for (const listener of listeners) listener(message);
  }

  let socket = null;
  let backoff = 500;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const after = bell.lastId != null ? `?after=${bell.lastId}` : "";
    socket = new WebSocket(`${scheme}://${location.host}/ws/connect${after}`);
    socket.addEventListener("open", () => { backoff = 500; });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === "connected") {
        bell.setUnread(message.data.unread);
        document.body.dataset.live = "connected";
        for (const listener of listeners) listener(message);
      } else if (message.type === "pong" || message.type === "caught_up" || message.type === "error") {
        // Control messages: nothing to show.
      } else {
        deliver(message);
      }
    });
    socket.addEventListener("close", async (event) => {
      document.body.dataset.live = "closed";
      if (event.code === 4401) {
        if (!(await renewSession())) return;  // signed out: pages send the user to sign in
        backoff = 500;
      }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 15000);
    });
  }

  /** Call `handler(message)` for every live message (and the `connected` greeting). */
  function onNotification(handler) {
    listeners.add(handler);
    return () => listeners.delete(handler);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.addEventListener("submit", (event) => {
      const form = event.target.closest("form[data-api]");
      if (form) { submitApiForm(form, event); return; }
      // Search and filter forms: leave empty fields out of the address.
      const search = event.target.closest('form[method="get"]');
      if (!search) return;
      const empty = [...search.elements].filter((f) => f.name && !f.disabled && f.value === "");
      for (const field of empty) field.disabled = true;
      setTimeout(() => { for (const field of empty) field.disabled = false; }, 0);
    });
    // `invalid` does not bubble: listen while it travels down to the refused field.
    document.addEventListener("invalid", (event) => showRefusedField(event.target), true);
    document.addEventListener("input", (event) => {
      if (event.target.getAttribute && event.target.getAttribute("aria-invalid") === "true") {
        event.target.removeAttribute("aria-invalid");
      }
    });
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-api]");
      if (button) clickApiButton(button);
    });
    // Bars drawn by the server: the CSP forbids style attributes, so widths are set here.
    for (const bar of document.querySelectorAll("[data-width]")) {
      bar.style.width = `${Math.max(0, Math.min(100, Number(bar.dataset.width) || 0))}%`;
    }
    // Filter forms that apply as soon as a choice changes.
    document.addEventListener("change", (event) => {
      const form = event.target.closest("form[data-autosubmit]");
      if (form) form.requestSubmit();
    });
    if (document.body.hasAttribute("data-signed-in")) {
      setUpBell();
      connect();
    }
  });

  return { api, el, toast, formatTime, onNotification, ApiError, linkOf };
})();
window.HotGigs = HotGigs;
