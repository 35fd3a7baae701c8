/* global window, document, URL, URLSearchParams, fetch, setTimeout, console */
/**
 * Outlook host emulator: a message list, a reading pane and the add-in task pane in a cross-origin
 * iframe, like Outlook on the web. The pane's Office.js is replaced by office-shim.js, which talks to
 * this page over postMessage (protocol "casepane-host-emulator").
 *
 * Driven by tests through window.hostEmulator:
 *   load({ messages, paneUrl, displayLanguage, theme: 'light'|'dark', userProfile, pinned, bodyDelayMs, selected })
 *   select(key | null)   select a message (null: nothing selected); fires ItemChanged in a pinned pane
 *   setTheme(name)       'light' | 'dark'; fires OfficeThemeChanged
 *   setBodyDelay(ms)     delay body.getAsync answers (to provoke selection races)
 *   reloadPane()         reopen the task pane
 *   log                  what the pane asked for (hello, getBody, handlerAdded, ...)
 * For a person: host.html?messages=<url of HostMessage[] JSON>&pane=<task pane URL>[&lang=pl-PL][&theme=dark]
 */
(function () {
  'use strict';

  var PROTOCOL = 'casepane-host-emulator';
  var THEMES = {
    light: {
      bodyBackgroundColor: '#FFFFFF',
      bodyForegroundColor: '#242424',
      controlBackgroundColor: '#FFFFFF',
      controlForegroundColor: '#242424',
    },
    dark: {
      bodyBackgroundColor: '#292929',
      bodyForegroundColor: '#FFFFFF',
      controlBackgroundColor: '#1F1F1F',
      controlForegroundColor: '#FFFFFF',
    },
  };

  var config = null;
  var selectedKey = null;
  var pane = null;
  var paneOrigin = null;
  var log = [];
  /** Categories per message key (item.categories.addAsync / removeAsync). */
  var categories = {};

  function $(id) {
    return document.getElementById(id);
  }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') node.textContent = props[k];
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(c);
    });
    return node;
  }
  function selectedMessage() {
    if (!config || selectedKey === null) return null;
    return (
      config.messages.find(function (m) {
        return m.key === selectedKey;
      }) || null
    );
  }
  /** The item as Office would describe it: no body (that comes from body.getAsync), no fixture key. */
  function itemState(m) {
    if (!m) return null;
    return {
      itemType: 'message',
      itemId: m.itemId,
      internetMessageId: m.internetMessageId,
      conversationId: m.conversationId,
      subject: m.subject,
      from: m.from,
      sender: m.sender,
      to: m.to,
      cc: m.cc,
      dateTimeCreated: m.dateTimeCreated,
      // Contents stay with the host: the pane gets them only through getAttachmentContentAsync.
      attachments: m.attachments.map(function (a) {
        return {
          id: a.id,
          name: a.name,
          size: a.size,
          contentType: a.contentType,
          attachmentType: a.attachmentType,
          isInline: a.isInline,
        };
      }),
    };
  }
  function post(message) {
    if (!pane || !pane.contentWindow) return;
    message.protocol = PROTOCOL;
    pane.contentWindow.postMessage(message, paneOrigin);
  }
  function setStatus(text) {
    $('host-status').textContent = text;
  }

  function renderList() {
    var list = $('message-list');
    list.textContent = '';
    config.messages.forEach(function (m) {
      var button = el(
        'button',
        { type: 'button', 'data-key': m.key, 'aria-current': String(m.key === selectedKey) },
        [
          el('span', { class: 'from', text: m.from.displayName || m.from.emailAddress }),
          el('span', { class: 'subject', text: m.subject || '(no subject)' }),
          el('span', { class: 'date', text: new Date(m.dateTimeCreated).toUTCString() }),
        ],
      );
      button.addEventListener('click', function () {
        api.select(m.key);
      });
      list.appendChild(el('li', {}, [button]));
    });
  }

  function renderReadingPane() {
    var rp = $('reading-pane');
    rp.textContent = '';
    var m = selectedMessage();
    if (!m) {
      rp.appendChild(el('p', { class: 'meta', text: 'Select a message.' }));
      return;
    }
    var people = function (list) {
      return list
        .map(function (p) {
          return p.displayName + ' <' + p.emailAddress + '>';
        })
        .join('; ');
    };
    rp.appendChild(el('h2', { text: m.subject || '(no subject)' }));
    rp.appendChild(el('div', { class: 'meta', text: 'From: ' + people([m.from]) }));
    if (m.to.length) rp.appendChild(el('div', { class: 'meta', text: 'To: ' + people(m.to) }));
    if (m.cc.length) rp.appendChild(el('div', { class: 'meta', text: 'Cc: ' + people(m.cc) }));
    if ((categories[m.key] || []).length)
      rp.appendChild(
        el('div', {
          class: 'meta',
          id: 'reading-categories',
          text: 'Categories: ' + categories[m.key].join(', '),
        }),
      );
    if (m.attachments.length)
      rp.appendChild(
        el('div', {
          class: 'meta',
          text:
            'Attachments: ' +
            m.attachments
              .map(function (a) {
                return a.name + ' (' + a.size + ' B)';
              })
              .join(', '),
        }),
      );
    if (m.bodyHtml) {
      // Outlook shows HTML mail without running it: a fully sandboxed frame (no scripts, no forms, no navigation).
      var frame = el('iframe', { id: 'reading-body', title: 'Message body', sandbox: '' });
      frame.srcdoc = m.bodyHtml;
      rp.appendChild(frame);
    } else {
      rp.appendChild(el('pre', { id: 'reading-text', text: m.bodyText }));
    }
  }

  function openPane() {
    var host = $('pane-host');
    if (pane) host.removeChild(pane);
    paneOrigin = new URL(config.paneUrl, window.location.href).origin;
    pane = el('iframe', { id: 'taskpane', name: 'taskpane', title: 'Casepane add-in' });
    pane.src = config.paneUrl;
    host.appendChild(pane);
    setStatus('pane loading');
  }

  function applyTheme(name) {
    document.body.classList.toggle('dark', name === 'dark');
  }

  window.addEventListener('message', function (event) {
    if (!pane || event.source !== pane.contentWindow || event.origin !== paneOrigin) return;
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    log.push({
      type: data.type,
      at: Date.now(),
      itemId: data.itemId,
      eventType: data.eventType,
      name: data.name,
    });
    switch (data.type) {
      case 'hello':
        setStatus('pane ready');
        post({
          type: 'init',
          state: {
            item: itemState(selectedMessage()),
            displayLanguage: config.displayLanguage,
            officeTheme: THEMES[config.theme] || THEMES.light,
            userProfile: config.userProfile,
          },
        });
        break;
      case 'getBody': {
        var m = config.messages.find(function (x) {
          return x.itemId === data.itemId;
        });
        var answer = function () {
          if (!m)
            post({
              type: 'bodyResult',
              requestId: data.requestId,
              status: 'failed',
              error: { name: 'ItemNotFound', message: 'The item no longer exists.', code: 9013 },
            });
          else
            post({
              type: 'bodyResult',
              requestId: data.requestId,
              status: 'succeeded',
              value: data.coercionType === 'html' ? m.bodyHtml || m.bodyText : m.bodyText,
            });
        };
        var delay =
          typeof config.bodyDelayFor === 'object' &&
          config.bodyDelayFor &&
          m &&
          config.bodyDelayFor[m.key] !== undefined
            ? config.bodyDelayFor[m.key]
            : config.bodyDelayMs;
        if (delay > 0) setTimeout(answer, delay);
        else answer();
        break;
      }
      case 'getAttachmentContent': {
        var owner = config.messages.find(function (x) {
          return x.itemId === data.itemId;
        });
        var att =
          owner &&
          owner.attachments.find(function (x) {
            return x.id === data.attachmentId;
          });
        if (!att || att.contentBase64 === undefined)
          post({
            type: 'asyncResult',
            requestId: data.requestId,
            status: 'failed',
            error: { name: 'InvalidAttachmentId', message: 'The attachment ID was invalid.', code: 9002 },
          });
        else
          post({
            type: 'asyncResult',
            requestId: data.requestId,
            status: 'succeeded',
            value: { format: 'base64', content: att.contentBase64 },
          });
        break;
      }
      case 'categories': {
        var item = config.messages.find(function (x) {
          return x.itemId === data.itemId;
        });
        if (!item) {
          post({
            type: 'asyncResult',
            requestId: data.requestId,
            status: 'failed',
            error: { name: 'ItemNotFound', message: 'The item no longer exists.', code: 9013 },
          });
          break;
        }
        var list = (categories[item.key] = categories[item.key] || []);
        (data.names || []).forEach(function (name) {
          var at = list.indexOf(String(name));
          if (data.op === 'add' && at < 0) list.push(String(name));
          if (data.op === 'remove' && at >= 0) list.splice(at, 1);
        });
        if (data.op !== 'get' && item.key === selectedKey) renderReadingPane();
        post({
          type: 'asyncResult',
          requestId: data.requestId,
          status: 'succeeded',
          value:
            data.op === 'get'
              ? list.map(function (name) {
                  return { displayName: name, color: 'Preset7' };
                })
              : undefined,
        });
        break;
      }
      default:
        break;
    }
  });

  var api = {
    log: log,
    load: function (options) {
      config = {
        messages: options.messages || [],
        paneUrl: options.paneUrl,
        displayLanguage: options.displayLanguage || 'en-US',
        theme: options.theme || 'light',
        userProfile: options.userProfile || {
          displayName: 'Alex Agent',
          emailAddress: 'alex.agent@casepane.example',
        },
        pinned: options.pinned !== false,
        bodyDelayMs: options.bodyDelayMs || 0,
        bodyDelayFor: options.bodyDelayFor || null,
      };
      selectedKey =
        options.selected === undefined
          ? config.messages[0]
            ? config.messages[0].key
            : null
          : options.selected;
      $('pin-state').textContent = config.pinned ? '\u00a0(pinned)' : '';
      applyTheme(config.theme);
      renderList();
      renderReadingPane();
      openPane();
    },
    select: function (key) {
      if (
        key !== null &&
        !config.messages.some(function (m) {
          return m.key === key;
        })
      )
        throw new Error('no message ' + key);
      selectedKey = key;
      renderList();
      renderReadingPane();
      if (config.pinned) post({ type: 'itemChanged', item: itemState(selectedMessage()) });
      else openPane(); // an unpinned pane does not follow the selection: Outlook reopens it for the new item
    },
    setTheme: function (name) {
      config.theme = name;
      applyTheme(name);
      post({ type: 'themeChanged', officeTheme: THEMES[name] || THEMES.light });
    },
    setBodyDelay: function (ms, perKey) {
      config.bodyDelayMs = ms;
      config.bodyDelayFor = perKey || null;
    },
    reloadPane: openPane,
    categories: function (key) {
      return (categories[key] || []).slice();
    },
    selected: function () {
      return selectedKey;
    },
    themes: THEMES,
  };
  window.hostEmulator = api;

  // Manual use: host.html?messages=...&pane=...
  var params = new URLSearchParams(window.location.search);
  if (params.get('messages') && params.get('pane')) {
    fetch(params.get('messages'))
      .then(function (r) {
        return r.json();
      })
      .then(function (messages) {
        api.load({
          messages: messages,
          paneUrl: params.get('pane'),
          displayLanguage: params.get('lang') || undefined,
          theme: params.get('theme') || undefined,
        });
      })
      .catch(function (e) {
        console.error('host emulator: cannot load messages', e);
      });
  }
})();
