/* widget.js: the customer chat widget (no build step). Put it on a shop's page with
 *   <script src="https://HUB/widget.js" data-hub="wss://HUB/"></script>
 * (data-hub may name several hubs on one database, separated by commas: tried in order, each after the one
 * before at once, with the back-off only after a whole round of them failed, docs/scaling.md)
 * and it opens a chat panel in the corner; on the hub's own page (/) it fills the page. It speaks the hub's
 * customer protocol (docs/protocol.md, subprotocol opdesk.customer.v1): open a chat with channel "web",
 * messages both ways with the operator's typing shown live, and a 1-5 rating with a comment once the chat is
 * closed, and its transcript by e-mail on request. While nobody is there (the hub's `availability`) it takes an
 * offline request instead, keeps its id and token in localStorage and shows the answer on a later visit. The
 * chat survives a dropped connection, a reload of the page and a hub restart: the dialog, its
 * secret token, the last message seen and the messages not yet acknowledged are kept in sessionStorage, the
 * widget reconnects by itself and `resume`s, and resends what was not acknowledged (with the same ids, so the
 * hub stores each once); an `open` whose answer never came is sent again with its retry key. The customer_token the hub gives (who this customer is, across chats) and the name last
 * given are kept in localStorage, so the next chat from this browser is the same customer's. A photo or a
 * document (JPEG, PNG, WebP, PDF) is attached with 📎: it is uploaded over HTTP with the chat's token
 * (docs/protocol.md, "Files"), and files in the chat (the customer's and those the operator sends) show as a
 * link, images with a thumbnail, fetched with the token. Text from the network is only ever set with
 * textContent, and a file's name only as text and a download attribute. */
(function () {
  "use strict";
  var script = document.currentScript;
  var lang = navigator.language || "";
  var ru = !lang || /^(ru|uk|be|kk)/i.test(lang); /* Russian, else English */
  var T = ru ? {
    title: "Чат с поддержкой", name: "Как к вам обращаться?", first: "Ваш вопрос", start: "Начать чат",
    send: "Отправить", text: "Сообщение…", connecting: "подключение…", online: "на связи",
    waiting: "ждём оператора", place: "вы в очереди: ", typing: "оператор печатает…",
    closed: "Чат завершён. Оцените, пожалуйста, работу оператора:", comment: "Комментарий (необязательно)",
    rate: "Оценить", thanks: "Спасибо за оценку!", lost: "Связь прервалась, переподключаемся…",
    elsewhere: "Чат продолжается в другой вкладке.",
    error: "Ошибка: ", joined: "Оператор", empty: "Напишите имя и вопрос",
    attach: "Прикрепить фото или файл", uploading: "отправляем файл…", upfail: "Файл не отправлен: ",
    mail: "Прислать расшифровку чата на почту:", email: "Ваш e-mail", mailSend: "Прислать",
    mailed: "Расшифровка придёт на ",
    nobody: "Сейчас нет операторов на связи. Оставьте заявку — мы ответим.",
    hours: "Сейчас чат не работает. Оставьте заявку — мы ответим. Откроемся: ",
    contact: "E-mail или телефон", email2: "E-mail", phone: "Телефон", reqText: "Ваш вопрос",
    leave: "Оставить заявку", reqEmpty: "Напишите имя, вопрос и e-mail или телефон",
    left: "Заявка принята. Ответ появится здесь, когда вы вернётесь, и придёт на почту, если вы её указали.",
    waitingAnswer: "Ваша заявка ждёт ответа.", answer: "Ответ на вашу заявку: "
  } : {
    title: "Chat with support", name: "Your name", first: "Your question", start: "Start the chat",
    send: "Send", text: "Message…", connecting: "connecting…", online: "online",
    waiting: "waiting for an operator", place: "your place in the queue: ", typing: "the operator is typing…",
    closed: "The chat is over. Please rate the operator:", comment: "A comment (optional)",
    rate: "Rate", thanks: "Thank you for your rating!", lost: "The connection was lost; reconnecting…",
    elsewhere: "The chat goes on in another tab.",
    error: "Error: ", joined: "Operator", empty: "Write your name and question",
    attach: "Attach a photo or a file", uploading: "sending the file…", upfail: "The file was not sent: ",
    mail: "Send me the transcript by e-mail:", email: "Your e-mail", mailSend: "Send",
    mailed: "The transcript is on its way to ",
    nobody: "No operator is online right now. Leave a request and we will answer.",
    hours: "The chat is closed now. Leave a request and we will answer. We open: ",
    contact: "E-mail or phone", email2: "E-mail", phone: "Phone", reqText: "Your question",
    leave: "Leave a request", reqEmpty: "Write your name, the question and an e-mail or a phone",
    left: "Your request is in. The answer shows here when you come back, and comes by e-mail if you gave one.",
    waitingAnswer: "Your request is waiting for an answer.", answer: "The answer to your request: "
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var root = document.getElementById("opdesk-chat");
  if (!root) {
    root = el("div", "od-floating");
    root.id = "opdesk-chat";
    document.body.appendChild(root);
  }
  /* on a shop's page, load the widget's style from where the widget came from */
  if (script && script.src && !document.querySelector('link[href$="widget.css"]')) {
    var css = el("link");
    css.rel = "stylesheet";
    css.href = script.src.replace(/widget\.js([?#].*)?$/, "widget.css");
    document.head.appendChild(css);
  }
  var hubs = ((script && script.getAttribute("data-hub")) ||
    ((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/")).split(/[\s,]+/).filter(Boolean);
  var hubAt = 0; /* the hub the current (or next) connection goes to */
  var fails = 0; /* attempts failed in a row: the back-off comes after a whole round of the hubs */
  var opening = null; /* the open sent and not yet answered: sent again on a new connection (its retry key) */
  var hub, http; /* its WebSocket address, and its HTTP side (files) */
  function useHub(i) {
    hubAt = i % hubs.length;
    hub = hubs[hubAt];
    http = hub.replace(/^ws/, "http").replace(/\/+$/, "");
  }
  useHub(0);

  var head = el("div", "od-head", T.title);
  var status = el("div", "od-status", T.connecting);
  status.id = "od-status";
  head.appendChild(status);
  var start = el("form", "od-start");
  var nameIn = el("input");
  nameIn.id = "od-name";
  nameIn.placeholder = T.name;
  nameIn.maxLength = 64;
  var firstIn = el("textarea");
  firstIn.id = "od-first";
  firstIn.placeholder = T.first;
  firstIn.rows = 3;
  var startBtn = el("button", "", T.start);
  startBtn.id = "od-start";
  start.appendChild(nameIn);
  start.appendChild(firstIn);
  start.appendChild(startBtn);
  var log = el("div", "od-log");
  log.id = "od-log";
  var typing = el("div", "od-typing");
  typing.id = "od-typing";
  var form = el("form", "od-form");
  form.hidden = true;
  var textIn = el("textarea");
  textIn.id = "od-text";
  textIn.rows = 1;
  textIn.placeholder = T.text;
  var sendBtn = el("button", "", T.send);
  sendBtn.id = "od-send";
  var attach = el("label", "od-attach", "📎");
  attach.title = T.attach;
  attach.setAttribute("aria-label", T.attach);
  var fileIn = el("input");
  fileIn.type = "file";
  fileIn.id = "od-file";
  fileIn.accept = "image/jpeg,image/png,image/webp,application/pdf";
  fileIn.hidden = true;
  attach.appendChild(fileIn);
  form.appendChild(attach);
  form.appendChild(textIn);
  form.appendChild(sendBtn);
  var rate = el("div", "od-rate");
  rate.id = "od-rate";
  rate.hidden = true;
  rate.appendChild(el("div", "", T.closed));
  var stars = el("div", "od-stars");
  var score = 0;
  for (var i = 1; i <= 5; i++) {
    var b = el("button", "od-star", "★");
    b.type = "button";
    b.setAttribute("data-score", String(i));
    b.setAttribute("aria-label", String(i));
    b.addEventListener("click", function (ev) {
      score = Number(ev.currentTarget.getAttribute("data-score"));
      var all = stars.querySelectorAll(".od-star");
      for (var k = 0; k < all.length; k++) all[k].classList.toggle("od-on", k < score);
    });
    stars.appendChild(b);
  }
  rate.appendChild(stars);
  var comment = el("textarea");
  comment.id = "od-comment";
  comment.rows = 2;
  comment.maxLength = 1000;
  comment.placeholder = T.comment;
  rate.appendChild(comment);
  var rateBtn = el("button", "", T.rate);
  rateBtn.id = "od-rate-send";
  rate.appendChild(rateBtn);
  /* after the chat closed: its transcript by mail (docs/protocol.md, "transcript") */
  var mail = el("form", "od-mail");
  mail.id = "od-mail";
  mail.hidden = true;
  mail.appendChild(el("div", "", T.mail));
  var mailIn = el("input");
  mailIn.id = "od-email";
  mailIn.type = "email";
  mailIn.maxLength = 254;
  mailIn.placeholder = T.email;
  var mailBtn = el("button", "", T.mailSend);
  mailBtn.id = "od-mail-send";
  mail.appendChild(mailIn);
  mail.appendChild(mailBtn);
  /* while nobody is there: an offline request instead of a chat (docs/protocol.md, "leave_request") */
  var req = el("form", "od-start od-request");
  req.id = "od-request";
  req.hidden = true;
  var reqNote = el("div", "od-note");
  reqNote.id = "od-request-note";
  var reqName = el("input");
  reqName.id = "od-req-name";
  reqName.placeholder = T.name;
  reqName.maxLength = 64;
  var reqEmail = el("input");
  reqEmail.id = "od-req-email";
  reqEmail.type = "email";
  reqEmail.placeholder = T.email2;
  reqEmail.maxLength = 254;
  var reqPhone = el("input");
  reqPhone.id = "od-req-phone";
  reqPhone.type = "tel";
  reqPhone.placeholder = T.phone;
  reqPhone.maxLength = 32;
  var reqText = el("textarea");
  reqText.id = "od-req-text";
  reqText.placeholder = T.reqText;
  reqText.rows = 3;
  var reqBtn = el("button", "", T.leave);
  reqBtn.id = "od-req-send";
  [reqNote, reqName, reqEmail, reqPhone, reqText, reqBtn].forEach(function (e) { req.appendChild(e); });
  [head, start, req, log, typing, form, rate, mail].forEach(function (e) { root.appendChild(e); });

  var ws = null, open = false, closed = false, n = 0;
  var pending = {}; /* client_msg_id -> the bubble waiting for its ack */
  /* this page's ids; unpredictable, as the open's retry key must be (docs/protocol.md, "open") */
  var tag = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
    return (b + 256).toString(16).slice(1);
  }).join("");
  var typingOn = false, typingTimer = null;
  var retry = 0; /* reconnect back-off */
  var shown = false; /* the log holds this chat (false after a reload: resume from the first message) */
  var done = null; /* the closed chat {dialog, token}: its transcript can be asked for */
  /* an offline request left earlier, kept across visits: {request, token} */
  var RKEY = "opdesk-request:" + hub;
  var request = null;
  try { request = JSON.parse(localStorage.getItem(RKEY)); } catch (e) { request = null; }
  function keepRequest() {
    try {
      if (request) localStorage.setItem(RKEY, JSON.stringify(request));
      else localStorage.removeItem(RKEY);
    } catch (e) { /* storage off: the answer comes by mail only */ }
  }
  var leftNow = false; /* a request was left on this page: no form again */

  /* the chat in progress, kept across reloads of this tab: {dialog, token, seq, pending: {id: text}} */
  var KEY = "opdesk-chat:" + hub;
  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { saved = null; }
  function keep() {
    try {
      if (saved) sessionStorage.setItem(KEY, JSON.stringify(saved));
      else sessionStorage.removeItem(KEY);
    } catch (e) { /* storage off: the chat lasts as long as the page */ }
  }
  /* who this customer is, across chats and days: the customer_token the hub gave this browser (docs/protocol.md,
   * "Who the customer is"), and the name last given, in localStorage */
  var CKEY = "opdesk-customer:" + hub;
  function remembered(k) { try { return localStorage.getItem(CKEY + k); } catch (e) { return null; } }
  function remember(k, v) { try { localStorage.setItem(CKEY + k, v); } catch (e) { /* storage off */ } }
  if (remembered(":name")) nameIn.value = remembered(":name");
  function seen(seq) {
    if (saved && seq > saved.seq) { saved.seq = seq; keep(); }
  }

  function add(cls, text, author) {
    var m = el("div", "od-msg " + cls);
    if (author) m.appendChild(el("span", "od-author", author));
    m.appendChild(document.createTextNode(text));
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }
  function sizeText(n) {
    return n < 1000 ? n + " B" : n < 1e6 ? (n / 1e3).toFixed(1) + " KB" : (n / 1e6).toFixed(1) + " MB";
  }
  /* a file in the chat: {id, name, type, size}; fetched with the token, shown as a link (and a thumbnail) */
  function addFile(cls, f, author) {
    var m = el("div", "od-msg od-file " + cls);
    if (author) m.appendChild(el("span", "od-author", author));
    var a = el("a", "od-file-link", "📎 " + f.name + " · " + sizeText(f.size));
    a.setAttribute("download", f.name);
    a.href = "#";
    m.appendChild(a);
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    if (!saved) return m;
    fetch(http + "/file?dialog=" + saved.dialog + "&id=" + encodeURIComponent(f.id),
          { headers: { Authorization: "Bearer " + saved.token } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.blob(); })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        a.href = url;
        if (f.type !== "pdf") {
          var img = el("img", "od-thumb");
          img.alt = f.name;
          img.src = url;
          m.insertBefore(img, a);
        }
      })
      .catch(function () { /* the link stays without a target */ });
    return m;
  }
  function upload(file) {
    if (!saved || !file) return;
    var wait = add("od-sys", T.uploading);
    fetch(http + "/upload?dialog=" + saved.dialog, {
      method: "POST", body: file,
      headers: { Authorization: "Bearer " + saved.token, "X-Filename": encodeURIComponent(file.name) }
    }).then(function (r) {
      return r.text().then(function (body) {
        wait.remove();
        if (r.status !== 201) { add("od-sys", T.upfail + body.trim()); return; }
        var f = JSON.parse(body);
        seen(f.seq);
        addFile("od-me", { id: f.file, name: f.name, type: f.type, size: f.size });
      });
    }).catch(function (e) { wait.remove(); add("od-sys", T.upfail + e.message); });
  }
  function send(o) {
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(o));
  }
  function say(text) {
    var id = "w-" + tag + "-" + (++n);
    pending[id] = add("od-me od-pending", text);
    if (saved) { saved.pending[id] = text; keep(); }
    send({ type: "message", client_msg_id: id, text: text });
  }
  function showOpen(position) {
    open = true;
    shown = true;
    start.hidden = true;
    form.hidden = false;
    status.textContent = position > 1 ? T.place + position : position === 1 ? T.waiting : T.online;
  }
  function showClosed(rated) {
    closed = true;
    if (saved) { done = { dialog: saved.dialog, token: saved.token }; mail.hidden = false; }
    typing.textContent = "";
    form.hidden = true;
    rate.hidden = rated;
    if (rated) { saved = null; keep(); }
  }
  function setTyping(on) {
    if (on !== typingOn && open && !closed) {
      typingOn = on;
      send({ type: "typing", on: on });
    }
  }

  function connect() {
    var opened = false;
    ws = new WebSocket(hub, "opdesk.customer.v1");
    ws.onopen = function () {
      opened = true;
      retry = 0;
      status.textContent = T.online;
      if (saved) send({ type: "resume", dialog: saved.dialog, token: saved.token, after: shown ? saved.seq : 0 });
      else if (opening) send(opening); /* its opened was lost with the connection: the same chat comes back */
      if (request) send({ type: "request_status", request: request.request, token: request.token });
    };
    ws.onclose = function (ev) {
      form.hidden = true;
      if (ev.code === 4002) { status.textContent = T.elsewhere; return; } /* another tab took the chat */
      if (closed && !saved) return;
      status.textContent = T.lost;
      fails = opened ? 0 : fails + 1;
      useHub(hubAt + 1); /* the next hub, at once unless every one has just failed */
      var now = hubs.length > 1 && (opened || fails % hubs.length !== 0);
      setTimeout(connect, now ? 0 : Math.min(15000, 1000 * Math.pow(2, retry++)));
    };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === "opened") {
        opening = null;
        if (m.token) { saved = { dialog: m.dialog, token: m.token, seq: 1, pending: {} }; keep(); }
        if (m.customer_token) remember(":token", m.customer_token);
        showOpen(m.position);
        textIn.focus();
      } else if (m.type === "resumed") {
        if (m.state === "closed") { shown = true; start.hidden = true; showClosed(m.rated); }
        else showOpen(m.position);
        for (var id in saved.pending) /* the same ids: what was stored already is acked, not stored again */
          send({ type: "message", client_msg_id: id, text: saved.pending[id] });
      } else if (m.type === "message") {
        seen(m.seq);
        if (m.file) {
          if (m.sender === "customer") addFile("od-me", m.file);
          else { typing.textContent = ""; addFile("od-op", m.file, m.author || T.joined); }
          return;
        }
        if (m.sender === "customer") { /* only in a resume: our own messages, from the history */
          var mine = m.client_msg_id && pending[m.client_msg_id];
          if (mine) mine.classList.remove("od-pending");
          else add("od-me", m.text);
          if (saved && m.client_msg_id && saved.pending[m.client_msg_id] !== undefined) {
            delete saved.pending[m.client_msg_id]; /* stored: its resend's ack adds no second bubble */
            keep();
          }
          return;
        }
        typing.textContent = "";
        if (m.sender === "system") add("od-sys", m.text);
        else add("od-op", m.text, m.author || T.joined);
        if (m.sender === "operator") status.textContent = T.online;
      } else if (m.type === "ack") {
        seen(m.seq);
        var b = pending[m.client_msg_id];
        if (b) b.classList.remove("od-pending");
        else if (saved && saved.pending[m.client_msg_id] !== undefined) add("od-me", saved.pending[m.client_msg_id]);
        delete pending[m.client_msg_id];
        if (saved) { delete saved.pending[m.client_msg_id]; keep(); }
      } else if (m.type === "typing") {
        typing.textContent = m.on ? T.typing : "";
      } else if (m.type === "closed") {
        showClosed(false);
      } else if (m.type === "availability") {
        if (saved || open || leftNow) return; /* a chat is on: it goes on whatever */
        start.hidden = !m.online;
        req.hidden = m.online;
        if (!m.online) {
          reqNote.textContent = m.reason === "closed_hours" && m.opens ?
            T.hours + new Date(m.opens).toLocaleString(ru ? "ru-RU" : "en-GB") : T.nobody;
        }
      } else if (m.type === "request_left") {
        request = { request: m.request, token: m.token };
        keepRequest();
        leftNow = true;
        req.hidden = true;
        add("od-sys", T.left);
      } else if (m.type === "request_status") {
        if (m.state === "answered") {
          add("od-op od-answer", m.answer || "", T.answer);
          request = null; /* shown: done */
          keepRequest();
        } else add("od-sys", T.waitingAnswer);
      } else if (m.type === "transcript") {
        add("od-sys", T.mailed + m.email);
      } else if (m.type === "error") {
        if (m.ref === "resume") { saved = null; keep(); start.hidden = false; return; } /* start a new chat */
        if (m.ref === "transcript") mail.hidden = false; /* (a wrong address: try again) */
        if (m.ref === "request_status") { request = null; keepRequest(); return; } /* forgotten by the hub */
        if (m.ref === "leave_request") req.hidden = false;
        add("od-sys", T.error + (m.message || m.code));
      }
    };
  }

  start.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = nameIn.value.trim(), text = firstIn.value.trim();
    if (!name || !text) { status.textContent = T.empty; return; }
    add("od-me", text);
    var o = { type: "open", channel: "web", name: name, text: text, client_msg_id: "w-" + tag + "-0" };
    if (remembered(":token")) o.customer_token = remembered(":token");
    remember(":name", name);
    opening = o;
    send(o);
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = textIn.value.trim();
    if (!text) return;
    textIn.value = "";
    setTyping(false);
    say(text);
  });
  fileIn.addEventListener("change", function () {
    var f = fileIn.files && fileIn.files[0];
    fileIn.value = "";
    upload(f);
  });
  textIn.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });
  textIn.addEventListener("input", function () {
    setTyping(textIn.value.length > 0);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { setTyping(false); }, 5000);
  });
  rateBtn.addEventListener("click", function () {
    if (score < 1) return;
    var o = { type: "rate", score: score };
    if (comment.value.trim()) o.comment = comment.value.trim();
    send(o);
    rate.hidden = true;
    add("od-sys", T.thanks);
    saved = null; /* done: a reload starts a new chat */
    keep();
  });
  req.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = reqName.value.trim(), text = reqText.value.trim();
    var email = reqEmail.value.trim(), phone = reqPhone.value.trim();
    if (!name || !text || (!email && !phone)) { reqNote.textContent = T.reqEmpty; return; }
    var o = { type: "leave_request", name: name, text: text };
    if (email) o.email = email;
    if (phone) o.phone = phone;
    if (remembered(":token")) o.customer_token = remembered(":token");
    add("od-me", text);
    send(o);
    req.hidden = true;
  });
  mail.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var to = mailIn.value.trim();
    if (!to || !done) return;
    send({ type: "transcript", dialog: done.dialog, token: done.token, email: to });
    mail.hidden = true;
  });
  connect();
})();
