/* global window, document, URL, URLSearchParams, fetch, setTimeout, console, DOMParser */
/**
 * Outlook host emulator: a message list, a reading pane and the add-in task pane in a cross-origin
 * iframe, like Outlook on the web. The pane's Office.js is replaced by office-shim.js, which talks to
 * this page over postMessage (protocol "casepane-host-emulator").
 *
 * Driven by tests through window.hostEmulator:
 *   load({ messages, paneUrl, displayLanguage, theme: 'light'|'dark', userProfile, pinned, bodyDelayMs, selected,
 *          host: 'web' (default) | 'new-windows' | 'classic-windows' | 'mac' | 'mobile' (HOSTS: a platform and a
 *          Mailbox requirement set), mailboxVersion (overrides the host's set), permissions: 'ReadWriteMailbox'
 *          (default) | 'ReadWriteItem' | 'ReadItem', masterCategories: [{displayName, color}] (the agent's
 *          mailbox's master list), sharedMasterCategories: {owner: [...]} (a shared mailbox's own list),
 *          dialogPolicy: 'allow' (default) | 'ignore' | 'block' (dialog-host.js: the Office dialog refused) })
 *     A message may also carry attachments of attachmentType 'item' (an attached .eml: content as text) or 'cloud'
 *     (a link: url), meeting: {start, end, location} with itemClass 'IPM.Schedule.Meeting.Request', and
 *     bodyError: {name, message} (a body Outlook will not hand out: IRM-protected, a folder without read rights).
 *     A message may carry compose: true (an item being written: subject/to/cc/body through getAsync/setAsync,
 *     body.setSelectedDataAsync) and shared: {owner, targetMailbox, delegatePermissions} (a message in a shared
 *     mailbox / delegated folder: item.getSharedPropertiesAsync answers it).
 *   select(key | null, {dropEvent})  select a message (null: nothing selected); fires ItemChanged in a pinned
 *                        pane (and SelectedItemsChanged on 1.13+) unless dropEvent (office-js#5965: it never came)
 *   selectMany(keys)     select several messages (multi-select): mailbox.item becomes null (office-js#3680) and
 *                        SelectedItemsChanged fires; getSelectedItemsAsync lists them all (Mailbox 1.13)
 *   compose(key)         the compose item's current {subject, bodyText} (after setAsync / setSelectedDataAsync)
 *   replyForms()         the reply forms displayReplyForm opened ({itemId, htmlBody, key}; the draft is in the list)
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
  /**
   * Host configurations: a platform and the highest Mailbox requirement set it supports, as Microsoft's
   * "Outlook client support" table lists them
   * (https://learn.microsoft.com/javascript/api/requirement-sets/outlook/outlook-api-requirement-sets).
   * Classic Windows stands for a perpetual Outlook 2019 (1.8); mobile for Outlook on Android/iOS (1.5).
   */
  var HOSTS = {
    web: { platform: 'OfficeOnline', mailboxVersion: '1.15' },
    'new-windows': { platform: 'PC', mailboxVersion: '1.14' },
    'classic-windows': { platform: 'PC', mailboxVersion: '1.8' },
    mac: { platform: 'Mac', mailboxVersion: '1.13' },
    mobile: { platform: 'Android', mailboxVersion: '1.5' },
  };
  function versionAtLeast(have, want) {
    var h = String(have).split('.').map(Number);
    var w = String(want).split('.').map(Number);
    return h[0] > w[0] || (h[0] === w[0] && (h[1] || 0) >= (w[1] || 0));
  }
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
  /**
   * Master category lists per mailbox ('' is the agent's own; a shared mailbox has its own list): an item can only
   * carry categories of its mailbox's list (Categories.addAsync fails with InvalidCategory otherwise;
   * https://learn.microsoft.com/javascript/api/outlook/office.categories#outlook-office-categories-addasync-member(1)).
   */
  var masterLists = { '': [] };
  function mailboxOf(m) {
    return m && m.shared ? m.shared.owner : '';
  }
  function listOf(mailbox) {
    return (masterLists[mailbox] = masterLists[mailbox] || []);
  }
  /** Item ids displayMessageForm opened, in order (unknown ids open nothing, as in Outlook). */
  var messageForms = [];
  /** displayMessageForm: the message in its own window, drawn here as a dialog over the host. */
  function renderMessageForm(m) {
    var old = $('message-form');
    if (old) old.remove();
    var close = el('button', { type: 'button', id: 'message-form-close', text: 'Close' });
    close.addEventListener('click', function () {
      form.remove();
    });
    var form = el('section', { id: 'message-form', role: 'dialog', 'aria-label': 'Message window' }, [
      el('h2', { id: 'message-form-subject', text: m.subject || '(no subject)' }),
      el('div', { class: 'meta', text: 'From: ' + m.from.displayName + ' <' + m.from.emailAddress + '>' }),
      el('pre', { id: 'message-form-body', text: m.bodyText || '' }),
      close,
    ]);
    form.setAttribute('data-item-id', m.itemId);
    document.body.appendChild(form);
  }
  /** What displayReplyForm opened, in order: the message replied to and the body the add-in gave. */
  var replyForms = [];
  /**
   * displayReplyForm: Outlook's reply in a window of its own (a pop-out in Outlook on the web), addressed to the
   * sender only, "RE:" before the subject, the add-in's HTML above the quoted original. The draft joins the list.
   */
  function openReplyForm(source, htmlBody) {
    // DOMParser never runs scripts: the add-in's HTML is only read for its text here.
    var text = new DOMParser().parseFromString(htmlBody, 'text/html').body.textContent || '';
    var key = 'reply-' + (replyForms.length + 1);
    var draft = {
      key: key,
      compose: true,
      itemId: undefined,
      conversationId: source.conversationId,
      subject: 'RE: ' + (source.subject || ''),
      from: config.userProfile,
      to: [source.from],
      cc: [],
      bodyText: text + '\n\n-----\n' + (source.bodyText || ''),
      dateTimeCreated: new Date().toISOString(),
      attachments: [],
    };
    replyForms.push({ itemId: source.itemId, htmlBody: htmlBody, key: key });
    config.messages.push(draft);
    renderList();
    var old = $('reply-form');
    if (old) old.remove();
    var close = el('button', { type: 'button', id: 'reply-form-close', text: 'Close' });
    var form = el('section', { id: 'reply-form', role: 'dialog', 'aria-label': 'Reply window' }, [
      el('h2', { id: 'reply-form-subject', text: draft.subject }),
      el('div', { class: 'meta', text: 'To: ' + source.from.emailAddress }),
      el('pre', { id: 'reply-form-body', text: draft.bodyText }),
      close,
    ]);
    close.addEventListener('click', function () {
      form.remove();
    });
    document.body.appendChild(form);
  }
  /** Keys of the selected messages (multi-select); selectedKey is the first. */
  var selectedKeys = [];
  /** The add-in's roaming settings as the mailbox holds them (Office.context.roamingSettings.saveAsync). */
  var roaming = {};
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
    if (!composeState[m.key])
      composeState[m.key] = { subject: m.subject || '', bodyText: m.bodyText || '', headers: {} };
    return composeState[m.key];
  }
  function colorOf(name, m) {
    var master = listOf(mailboxOf(m)).find(function (c) {
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
      itemClass: m.itemClass,
      meeting: m.meeting,
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
  /** While a message of the launch-event runtime (launch-host.js) is handled, its answers go back to that frame. */
  var replyTo = null;
  function post(message) {
    message.protocol = PROTOCOL;
    if (replyTo) return replyTo.win.postMessage(message, replyTo.origin);
    if (!pane || !pane.contentWindow) return;
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
              chip.style.borderColor = colorOf(name, m);
              chip.style.color = colorOf(name, m);
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
    var runtime = window.hostEmulator.launchRuntime ? window.hostEmulator.launchRuntime() : null;
    var fromRuntime = !!runtime && event.source === runtime.win && event.origin === runtime.origin;
    if (!fromRuntime && (!pane || event.source !== pane.contentWindow || event.origin !== paneOrigin)) return;
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    log.push({
      type: data.type,
      at: Date.now(),
      itemId: data.itemId,
      eventType: data.eventType,
      name: data.name,
      from: fromRuntime ? 'launch-runtime' : 'pane',
    });
    replyTo = fromRuntime ? runtime : null;
    try {
      handle(data, fromRuntime);
    } finally {
      replyTo = null;
    }
  });

  function handle(data, fromRuntime) {
    switch (data.type) {
      case 'hello':
        if (!fromRuntime) setStatus('pane ready');
        post({
          type: 'init',
          state: {
            item: itemState(selectedMessage()),
            displayLanguage: config.displayLanguage,
            officeTheme: THEMES[config.theme] || THEMES.light,
            userProfile: config.userProfile,
            mailboxVersion: config.mailboxVersion,
            platform: config.platform,
            permissions: config.permissions,
            // What this add-in saved in the mailbox, as Outlook loads it with the add-in.
            roamingSettings: JSON.parse(JSON.stringify(roaming)),
          },
        });
        break;
      case 'roamingSettings':
        // RoamingSettings.saveAsync: the whole set replaces what the mailbox holds.
        roaming = data.settings || {};
        succeeded(data.requestId, undefined);
        break;
      case 'getBody': {
        var m = config.messages.find(function (x) {
          return x.itemId === data.itemId;
        });
        var answer = function () {
          // A body Outlook will not hand out: an IRM-protected message (AccessRestricted) or one in a folder the
          // user may not read (PermissionDenied); the names are Outlook's (javascript-api-for-office-error-codes).
          if (m && m.bodyError)
            post({
              type: 'bodyResult',
              requestId: data.requestId,
              status: 'failed',
              error: { name: m.bodyError.name, message: m.bodyError.message, code: m.bodyError.code },
            });
          else if (!m)
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
        var owner = messageByItemId(data.itemId);
        var att =
          owner &&
          owner.attachments.find(function (x) {
            return x.id === data.attachmentId;
          });
        // AttachmentContent.format: base64 for files, eml for an attached message, url for a cloud attachment
        // (https://learn.microsoft.com/javascript/api/outlook/office.mailboxenums.attachmentcontentformat).
        if (!att) failed(data.requestId, 'InvalidAttachmentId', 'The attachment ID was invalid.', 9002);
        else if (owner.bodyError && owner.bodyError.name === 'PermissionDenied')
          failed(data.requestId, 'PermissionDenied', 'You do not have permission to read this item.', 9016);
        else if (att.attachmentType === 'cloud')
          succeeded(data.requestId, { format: 'url', content: att.url });
        else if (att.attachmentType === 'item')
          succeeded(data.requestId, { format: 'eml', content: att.contentText || '' });
        else if (att.contentBase64 === undefined)
          failed(data.requestId, 'InvalidAttachmentId', 'The attachment ID was invalid.', 9002);
        else succeeded(data.requestId, { format: 'base64', content: att.contentBase64 });
        break;
      }
      case 'compose': {
        // Compose items: Subject.getAsync/setAsync (a subject is at most 255 characters; DataExceedsMaximumSize),
        // Recipients.getAsync, Body.setSelectedDataAsync (text or html) —
        // https://learn.microsoft.com/javascript/api/outlook/office.messagecompose
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
        } else if (data.op === 'getHeaders') {
          // Only headers set on this item by an add-in; names compare case-insensitively (RFC 5322 1.2.2).
          var found = {};
          (data.names || []).forEach(function (name) {
            Object.keys(draftState.headers).forEach(function (k) {
              if (k.toLowerCase() === String(name).toLowerCase()) found[k] = draftState.headers[k];
            });
          });
          succeeded(data.requestId, found);
        } else if (data.op === 'setHeaders') {
          // Header names are printable ASCII without ':' and values one unfolded line (RFC 5322 2.2).
          var bad = Object.keys(data.headers || {}).filter(function (k) {
            return !/^[!-9;-~]+$/.test(k) || /[\r\n]/.test(String(data.headers[k]));
          });
          if (bad.length) {
            failed(data.requestId, 'InvalidFormatError', 'Invalid header: ' + bad.join(', '), 9000);
            break;
          }
          Object.keys(data.headers || {}).forEach(function (k) {
            draftState.headers[k] = String(data.headers[k]);
          });
          succeeded(data.requestId, undefined);
        } else failed(data.requestId, 'InvalidOperation', 'Unsupported compose operation.', 5000);
        break;
      }
      case 'masterCategories': {
        // The list of the mailbox the open item is in (the agent's own, or a shared mailbox's).
        var mailbox = mailboxOf(selectedMessage());
        var master = listOf(mailbox);
        if (data.op === 'get') {
          succeeded(data.requestId, master.slice());
          break;
        }
        if (data.op === 'add') {
          var duplicate = (data.categories || []).some(function (c) {
            return master.some(function (x) {
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
            master.push({ displayName: c.displayName, color: c.color });
          });
        } else if (data.op === 'remove') {
          masterLists[mailbox] = master.filter(function (c) {
            return (data.names || []).indexOf(c.displayName) < 0;
          });
        }
        renderList();
        succeeded(data.requestId, undefined);
        break;
      }
      case 'internetHeaders': {
        // MessageRead.getAllInternetHeadersAsync (1.8): the message's header block as one string —
        // https://learn.microsoft.com/office/dev/add-ins/outlook/internet-headers
        var headersMsg = messageByItemId(data.itemId);
        if (!headersMsg) {
          failed(data.requestId, 'ItemNotFound', 'The item was not found.', 9013);
          break;
        }
        succeeded(data.requestId, headersMsg.internetHeaders || '');
        break;
      }
      case 'sharedProperties': {
        // Item.getSharedPropertiesAsync (1.8): owner, targetMailbox, targetRestUrl, delegatePermissions —
        // https://learn.microsoft.com/office/dev/add-ins/outlook/delegate-access
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
            // SelectedItemDetails: itemType 'Message' and itemMode 'Read' / 'Compose' as documented (capitalised,
            // unlike MailboxEnums.ItemType.Message 'message'); the 1.14 members only where the host has 1.14.
            var entry = {
              itemId: sm.itemId,
              itemType: 'Message',
              itemMode: sm.compose ? 'Compose' : 'Read',
              subject: sm.subject,
            };
            if (data.details114) {
              entry.internetMessageId = sm.internetMessageId || '';
              entry.conversationId = sm.conversationId;
              entry.hasAttachment = (sm.attachments || []).length > 0;
            }
            return entry;
          }),
        );
        break;
      }
      case 'displayMessageForm': {
        var formMsg = messageByItemId(data.itemId);
        if (formMsg && !formMsg.compose) {
          messageForms.push(data.itemId);
          renderMessageForm(formMsg);
        }
        break;
      }
      case 'displayReplyForm': {
        var repliedTo = messageByItemId(data.itemId);
        if (!repliedTo || repliedTo.compose)
          failed(data.requestId, 'InvalidOperation', 'The item is not a received message.', 5000);
        else {
          openReplyForm(repliedTo, String(data.htmlBody || ''));
          succeeded(data.requestId);
        }
        break;
      }
      case 'loadItem': {
        // One loaded item at a time, unloaded before the next
        // (https://learn.microsoft.com/javascript/api/outlook/office.loadedmessageread, "Important").
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
        // Item categories (1.8): names only from the mailbox's master list —
        // https://learn.microsoft.com/javascript/api/outlook/office.categories
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
        var known = listOf(mailboxOf(item));
        var unknown = (data.names || []).filter(function (name) {
          return !known.some(function (c) {
            return c.displayName.toLowerCase() === String(name).toLowerCase();
          });
        });
        if (data.op === 'add' && unknown.length) {
          failed(
            data.requestId,
            'InvalidCategory',
            'Invalid categories were provided: ' + unknown.join(', '),
            9044,
          );
          break;
        }
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
                  var c = known.find(function (x) {
                    return x.displayName === name;
                  });
                  return { displayName: name, color: c ? c.color : 'Preset0' };
                })
              : undefined,
        });
        break;
      }
      default:
        break;
    }
  }

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
        hostName: options.host || 'web',
        permissions: options.permissions || 'ReadWriteMailbox',
        // Whether a dialog may open (dialog-host.js): 'allow', or 'ignore' / 'block' as the user or browser may.
        dialogPolicy: options.dialogPolicy || 'allow',
        // The manifest's launch events (launch-host.js): { runtimeUrl, requires, events: [{ type, functionName, sendMode }] }.
        launch: options.launch || null,
      };
      var hostConfig = HOSTS[config.hostName];
      if (!hostConfig) throw new Error('no host configuration ' + config.hostName);
      config.platform = hostConfig.platform;
      config.mailboxVersion = options.mailboxVersion || hostConfig.mailboxVersion;
      document.body.classList.toggle(
        'mobile',
        hostConfig.platform === 'Android' || hostConfig.platform === 'iOS',
      );
      categories = {};
      masterLists = { '': (options.masterCategories || []).slice() };
      Object.keys(options.sharedMasterCategories || {}).forEach(function (owner) {
        masterLists[owner] = options.sharedMasterCategories[owner].slice();
      });
      composeState = {};
      roaming = {};
      selectedKeys = [];
      loadedItemId = null;
      messageForms = [];
      replyForms = [];
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
    select: function (key, options) {
      if (
        key !== null &&
        !config.messages.some(function (m) {
          return m.key === key;
        })
      )
        throw new Error('no message ' + key);
      var wasMany = selectedKeys.length > 1;
      selectedKey = key;
      selectedKeys = [];
      renderList();
      renderReadingPane();
      // An unpinned pane does not follow the selection: Outlook reopens it for the new item
      // (https://learn.microsoft.com/office/dev/add-ins/outlook/pinnable-taskpane).
      if (!config.pinned) return openPane();
      var item = itemState(selectedMessage());
      post({ type: 'itemChanged', item: item, dropEvent: !!(options && options.dropEvent) });
      // The selection itself changed too (from several messages to one, or to another one).
      if (versionAtLeast(config.mailboxVersion, '1.13') && (wasMany || !(options && options.dropEvent)))
        post({ type: 'selectedItemsChanged' });
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
      if (keys.length <= 1) return api.select(keys.length ? keys[0] : null);
      // Several selected: no open item (office-js#3680), the reading pane shows none of them.
      selectedKey = null;
      selectedKeys = keys.slice();
      renderList();
      renderReadingPane();
      // Without multi-select (before 1.13) Outlook just leaves the pane without an item.
      if (versionAtLeast(config.mailboxVersion, '1.13')) post({ type: 'selectedItemsChanged', item: null });
      else post({ type: 'itemChanged', item: null });
    },
    compose: function (key) {
      var m = config.messages.find(function (x) {
        return x.key === key;
      });
      return m && m.compose
        ? { subject: composeOf(m).subject, bodyText: composeOf(m).bodyText, headers: composeOf(m).headers }
        : null;
    },
    masterCategories: function (owner) {
      return listOf(owner || '').slice();
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
    messageForms: function () {
      return messageForms.slice();
    },
    /** The reply forms opened (displayReplyForm): [{itemId, htmlBody, key}], key naming the draft in the list. */
    replyForms: function () {
      return replyForms.slice();
    },
    themes: THEMES,
    hosts: HOSTS,
    /** What a dialog page's Office.js is told at start (dialog-host.js): the host, not the mailbox's items. */
    dialogState: function () {
      return {
        item: null,
        displayLanguage: config.displayLanguage,
        mailboxVersion: config.mailboxVersion,
        platform: config.platform,
        permissions: config.permissions,
      };
    },
    dialogPolicy: function () {
      return config.dialogPolicy;
    },
    roamingSettings: function () {
      return JSON.parse(JSON.stringify(roaming));
    },
    /** For launch-host.js: the manifest's launch events, the host's Mailbox set, and the item being written. */
    launchConfig: function () {
      var m = selectedMessage();
      return {
        launch: config.launch,
        mailboxVersion: config.mailboxVersion,
        item: m && m.compose ? m.key : null,
      };
    },
    versionAtLeast: versionAtLeast,
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
