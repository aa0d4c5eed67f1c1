// The inbox page (no framework). The token arrives only in the pairing URL's fragment
// (/inbox#token=...), which browsers never send to a server; it is kept in localStorage and
// removed from the address bar at once. It is sent only in the Authorization header of
// fetch() calls to /api/inbox, never in a query string, never in a cookie.
// A share from Android's share sheet (manifest share_target, GET) opens
// /inbox?url=...&text=...&title=...: those fields are read, the query is removed from the
// address bar, and the link is submitted as if typed.
"use strict";
(function () {
  const KEY = "newsaudio.inbox.token";
  const $ = (id) => document.getElementById(id);
  const message = $("message");

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "";
  }

  // 1. Pairing: take the token from the fragment, keep it, clean the address bar.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has("token")) {
    localStorage.setItem(KEY, fragment.get("token"));
  }
  const query = new URLSearchParams(location.search);
  const shared = { url: query.get("url"), text: query.get("text"), title: query.get("title") };
  if (location.hash || location.search) {
    history.replaceState(null, "", location.pathname);  // no token, no shared link kept
  }
  const token = () => localStorage.getItem(KEY);

  async function api(method, path, body) {
    const headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    const reply = await fetch(path, {
      method, headers, body: body ? JSON.stringify(body) : undefined,
      credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
    });
    let data = {};
    try { data = await reply.json(); } catch (e) { /* not JSON */ }
    if (reply.status === 401) {
      $("unpaired").hidden = false;
    }
    if (!reply.ok) {
      const wait = reply.headers.get("Retry-After");
      throw new Error((data.error || ("HTTP " + reply.status)) + (wait ? " (try again in " + wait + " s)" : ""));
    }
    return { status: reply.status, data };
  }

  function render(items) {
    const list = $("items");
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      const status = document.createElement("span");
      status.className = "status " + item.status;
      status.textContent = item.status;
      li.append(status, " ");
      const safe = /^https?:\/\//i.test(item.episode_url || "");
      const title = document.createElement(safe ? "a" : "span");
      if (safe) title.href = item.episode_url;
      title.textContent = item.title || item.url;
      li.append(title);
      if (item.error) {
        const err = document.createElement("div");
        err.className = "error-text";
        err.textContent = item.error;
        li.append(err);
      }
      list.append(li);
    }
  }

  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    if (!token()) return;
    try {
      const { data } = await api("GET", "/api/inbox");
      render(data.items || []);
      if ((data.items || []).some((i) => i.status === "queued" || i.status === "rendering")) {
        timer = setTimeout(refresh, 5000);
      }
    } catch (e) {
      say(e.message, true);
    }
  }

  async function submit(fields) {
    if (!token()) { $("unpaired").hidden = false; say("not paired", true); return; }
    $("submit").disabled = true;
    try {
      const { status, data } = await api("POST", "/api/inbox", fields);
      say(status === 202
        ? "Queued (position " + data.position + ")."
        : "Already " + data.status + ".", false);
      $("url").value = "";
      await refresh();
    } catch (e) {
      say(e.message, true);
    } finally {
      $("submit").disabled = false;
    }
  }

  $("add").addEventListener("submit", (event) => {
    event.preventDefault();
    submit({ url: $("url").value.trim() });
  });
  $("forget").addEventListener("click", () => {
    localStorage.removeItem(KEY);
    $("items").replaceChildren();
    $("unpaired").hidden = false;
    say("This device's token was forgotten here (revoke it on the server too).", false);
  });

  $("unpaired").hidden = Boolean(token());
  if (shared.url || shared.text || shared.title) {
    const fields = {};
    for (const k of ["url", "text", "title"]) if (shared[k]) fields[k] = shared[k];
    $("url").value = shared.url || "";
    submit(fields);  // the server picks the first http(s) link in url, text, title
  } else {
    refresh();
  }
})();
