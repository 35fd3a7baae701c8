/* global window, document, URL, URLSearchParams, fetch, setTimeout, console */
/**
 * Outlook host emulator: a message list, a reading pane and the add-in task pane in a cross-origin
 * iframe, like Outlook on the web. The pane's Office.js is replaced by office-shim.js, which talks to
 * this page over postMessage (protocol "casepane-host-emulator").
 *
 * Driven by tests through window.hostEmulator:
 *   load({ messages, paneUrl, displayLanguage, theme: 'light'|'dark', userProfile, pinned, bodyDelayMs, selected,
 *          mailboxVersion: '1.13' (default; '1.15' adds multi-select), permissions: 'ReadWriteMailbox' (default) })
 *     A message may carry compose: true (an item being written: subject/to/cc/body through getAsync/setAsync,
 *     body.setSelectedDataAsync) and shared: {owner, targetMailbox, delegatePermissions} (a message in a shared
 *     mailbox / delegated folder: item.getSharedPropertiesAsync answers it).
 *   select(key | null)   select a message (null: nothing selected); fires ItemChanged in a pinned pane
 *   selectMany(keys)     select several messages (multi-select): the first stays the open item; fires
 *                        SelectedItemsChanged; getSelectedItemsAsync lists them all (mailboxVersion 1.15)
 *   compose(key)         the compose item's current {subject, bodyText} (after setAsync / setSelectedDataAsync)
 *   categories(key), masterCategories()   what the pane tagged (the message list shows item categories)
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
  /** loadItemByIdAsync: one item at a time, like Outlook. */
  var loadedItemId = null;
  /** The mailbox's master category list (mailbox.masterCategories): [{displayName, color}]. */
  var masterCategories = [];
  /** Keys of the selected messages (multi-select); selectedKey is the first. */
  var selectedKeys = [];
  /** Compose items' current subject and body, per key. */
  var composeState = {};
  var PRESET_COLORS = {
    Preset0: '#e74856',
    Preset1: '#ff8c00',
    Preset2: '#c19c00',
    Preset3: '#fff100',
    Preset4: '#16c60c',
    Preset5: '#00b7c3',
    Preset6: '#8e8cd8',
    Preset7: '#0078d4',
    Preset8: '#e3008c',
    Preset9: '#881798',
  };

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
  function messageByItemId(itemId) {
    return (
      config.messages.find(function (x) {
        return x.itemId === itemId;
      }) || null
    );
  }
  function composeOf(m) {
    if (!composeState[m.key]) composeState[m.key] = { subject: m.subject || '', bodyText: m.bodyText || '' };
    return composeState[m.key];
  }
  function colorOf(name) {
    var master = masterCategories.find(function (c) {
      return c.displayName === name;
    });
    return (master && PRESET_COLORS[master.color]) || '#8a8886';
  }
  function failed(requestId, name, message, code) {
    post({
      type: 'asyncResult',
      requestId: requestId,
      status: 'failed',
      error: { name: name, message: message, code: code },
    });
  }
  function succeeded(requestId, value) {
    post({ type: 'asyncResult', requestId: requestId, status: 'succeeded', value: value });
  }

  /** The item as Office would describe it: no body (that comes from body.getAsync), no fixture key. */
  function itemState(m) {
    if (!m) return null;
    // An item being written: Office gives only async accessors (the shim builds them); no itemId until it is saved.
    if (m.compose)
      return { compose: true, itemType: 'message', itemId: m.itemId, conversationId: m.conversationId };
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
      shared: !!m.shared,
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
        {
          type: 'button',
          'data-key': m.key,
          'aria-current': String(m.key === selectedKey || selectedKeys.indexOf(m.key) >= 0),
        },
        [
          el('span', {
            class: 'from',
            text: (m.compose ? 'Draft: ' : '') + (m.from.displayName || m.from.emailAddress),
          }),
          el('span', {
            class: 'subject',
            text: (m.compose ? composeOf(m).subject : m.subject) || '(no subject)',
          }),
          el('span', { class: 'date', text: new Date(m.dateTimeCreated).toUTCString() }),
          el(
            'span',
            { class: 'categories', 'data-testid': 'list-categories-' + m.key },
            (categories[m.key] || []).map(function (name) {
              var chip = el('span', { class: 'category', text: name });
              chip.style.borderColor = colorOf(name);
              chip.style.color = colorOf(name);
              return chip;
            }),
          ),
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
    if (m.compose) {
      // A draft: what the add-in wrote into it is visible (subject and body as text).
      var draft = composeOf(m);
      rp.appendChild(el('div', { class: 'meta', text: 'Writing a message' }));
      rp.appendChild(el('h2', { id: 'compose-subject-view', text: draft.subject || '(no subject)' }));
      if (m.to.length)
        rp.appendChild(
          el('div', {
            class: 'meta',
            text:
              'To: ' +
              m.to
                .map(function (p) {
                  return p.displayName + ' <' + p.emailAddress + '>';
                })
                .join('; '),
          }),
        );
      rp.appendChild(el('pre', { id: 'compose-body-view', text: draft.bodyText }));
      return;
    }
    rp.appendChild(el('h2', { text: m.subject || '(no subject)' }));
    if (m.shared)
      rp.appendChild(
        el('div', { class: 'meta', id: 'reading-shared', text: 'In the shared mailbox ' + m.shared.owner }),
      );
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
            mailboxVersion: config.mailboxVersion,
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
      case 'compose': {
        var draftMsg = messageByItemId(data.itemId);
        if (!draftMsg || !draftMsg.compose) {
          failed(data.requestId, 'InvalidOperation', 'The item is not being composed.', 5000);
          break;
        }
        var draftState = composeOf(draftMsg);
        if (data.op === 'get') {
          if (data.field === 'subject') succeeded(data.requestId, draftState.subject);
          else if (data.field === 'body') succeeded(data.requestId, draftState.bodyText);
          else succeeded(data.requestId, draftMsg[data.field] || []);
        } else if (data.op === 'set' && data.field === 'subject') {
          if (String(data.value).length > 255) {
            failed(
              data.requestId,
              'DataExceedsMaximumSize',
              'The subject is longer than 255 characters.',
              9000,
            );
            break;
          }
          draftState.subject = String(data.value);
          renderList();
          renderReadingPane();
          succeeded(data.requestId, undefined);
        } else if (data.op === 'insert') {
          // Inserted at the cursor, which the emulator keeps at the end of the body.
          if (
            data.coercionType !== undefined &&
            data.coercionType !== 'text' &&
            data.coercionType !== 'html'
          ) {
            failed(data.requestId, 'InvalidCoercionType', 'Unsupported coercion type.', 1000);
            break;
          }
          draftState.bodyText += String(data.value);
          renderReadingPane();
          succeeded(data.requestId, undefined);
        } else failed(data.requestId, 'InvalidOperation', 'Unsupported compose operation.', 5000);
        break;
      }
      case 'masterCategories': {
        if (data.op === 'get') {
          succeeded(data.requestId, masterCategories.slice());
          break;
        }
        if (config.permissions !== 'ReadWriteMailbox') {
          failed(
            data.requestId,
            'PermissionDenied',
            'This operation needs ReadWriteMailbox permission.',
            9016,
          );
          break;
        }
        if (data.op === 'add') {
          var duplicate = (data.categories || []).some(function (c) {
            return masterCategories.some(function (x) {
              return x.displayName.toLowerCase() === c.displayName.toLowerCase();
            });
          });
          if (duplicate) {
            failed(
              data.requestId,
              'DuplicateCategory',
              'The category already exists in the master list.',
              9045,
            );
            break;
          }
          (data.categories || []).forEach(function (c) {
            masterCategories.push({ displayName: c.displayName, color: c.color });
          });
        } else if (data.op === 'remove') {
          masterCategories = masterCategories.filter(function (c) {
            return (data.names || []).indexOf(c.displayName) < 0;
          });
        }
        renderList();
        succeeded(data.requestId, undefined);
        break;
      }
      case 'sharedProperties': {
        var sharedMsg = messageByItemId(data.itemId);
        if (!sharedMsg || !sharedMsg.shared) {
          failed(data.requestId, 'InvalidOperation', 'The item is not in a shared folder.', 5000);
          break;
        }
        succeeded(data.requestId, {
          owner: sharedMsg.shared.owner,
          targetMailbox: sharedMsg.shared.targetMailbox || sharedMsg.shared.owner,
          targetRestUrl: 'https://outlook.office.com/api',
          delegatePermissions:
            sharedMsg.shared.delegatePermissions === undefined ? 1 : sharedMsg.shared.delegatePermissions,
        });
        break;
      }
      case 'selectedItems': {
        var keys = selectedKeys.length ? selectedKeys : selectedKey === null ? [] : [selectedKey];
        succeeded(
          data.requestId,
          keys.map(function (k) {
            var sm = config.messages.find(function (x) {
              return x.key === k;
            });
            return {
              itemId: sm.itemId,
              itemType: 'message',
              itemMode: sm.compose ? 'Compose' : 'Read',
              subject: sm.subject,
            };
          }),
        );
        break;
      }
      case 'loadItem': {
        var loaded = messageByItemId(data.itemId);
        if (!loaded) failed(data.requestId, 'ItemNotFound', 'The item no longer exists.', 9013);
        else if (loadedItemId !== null && loadedItemId !== data.itemId)
          failed(
            data.requestId,
            'InvalidOperation',
            'Unload the loaded item before loading another one.',
            5000,
          );
        else {
          loadedItemId = data.itemId;
          succeeded(data.requestId, itemState(loaded));
        }
        break;
      }
      case 'unloadItem':
        if (loadedItemId === data.itemId) loadedItemId = null;
        succeeded(data.requestId, undefined);
        break;
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
        if (data.op !== 'get') {
          renderList();
          if (item.key === selectedKey) renderReadingPane();
        }
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
        mailboxVersion: options.mailboxVersion || '1.13',
        permissions: options.permissions || 'ReadWriteMailbox',
      };
      categories = {};
      masterCategories = [];
      composeState = {};
      selectedKeys = [];
      loadedItemId = null;
      config.messages.forEach(function (m) {
        if (m.categories) categories[m.key] = m.categories.slice();
      });
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
      selectedKeys = [];
      renderList();
      renderReadingPane();
      if (config.pinned) post({ type: 'itemChanged', item: itemState(selectedMessage()) });
      else openPane(); // an unpinned pane does not follow the selection: Outlook reopens it for the new item
    },
    selectMany: function (keys) {
      keys.forEach(function (k) {
        if (
          !config.messages.some(function (m) {
            return m.key === k;
          })
        )
          throw new Error('no message ' + k);
      });
      var first = keys.length ? keys[0] : null;
      var changed = first !== selectedKey;
      selectedKey = first;
      selectedKeys = keys.slice();
      renderList();
      renderReadingPane();
      if (config.pinned && changed) post({ type: 'itemChanged', item: itemState(selectedMessage()) });
      post({ type: 'selectedItemsChanged' });
    },
    compose: function (key) {
      var m = config.messages.find(function (x) {
        return x.key === key;
      });
      return m && m.compose ? { subject: composeOf(m).subject, bodyText: composeOf(m).bodyText } : null;
    },
    masterCategories: function () {
      return masterCategories.slice();
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
