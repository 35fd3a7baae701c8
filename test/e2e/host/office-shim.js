/* global window, console, setTimeout */
/**
 * Office.js stand-in for the Outlook host emulator (test/e2e/host/host.html).
 *
 * Playwright serves this file in place of https://appsforoffice.microsoft.com/lib/1/hosted/office.js,
 * so the task pane runs unmodified. Like the real Office.js in Outlook on the web, it lives in the
 * add-in's (cross-origin) iframe and talks to the host page, window.parent, over postMessage: it asks
 * for the selected item on load, asks for bodies on demand, and is told when the selection or the
 * theme changes. It implements exactly this subset of the API:
 *
 *   Office.onReady([cb]) -> Promise<{host:'Outlook', platform:'OfficeOnline'}>, Office.initialize
 *   Office.context.displayLanguage, .officeTheme, .requirements.isSetSupported(name, version)
 *   Office.context.mailbox.item (null when nothing is selected): itemType, itemId, internetMessageId,
 *     conversationId, subject, from, sender, to, cc, dateTimeCreated (Date), attachments,
 *     body.getAsync(coercionType, [options], callback),
 *     getAttachmentContentAsync(id, [options], callback) and categories.getAsync / addAsync / removeAsync
 *     (Mailbox 1.8: the emulated host claims Mailbox up to 1.13 by default, so it has them);
 *     getSharedPropertiesAsync([options], callback) only on a message configured as in a shared mailbox
 *   compose items (a message configured with compose: true): subject / to / cc as objects with getAsync
 *     (subject also setAsync), body.getAsync and body.setSelectedDataAsync(text, {coercionType}, callback)
 *   Office.context.mailbox.masterCategories.getAsync / addAsync / removeAsync (addAsync needs the configured
 *     permission ReadWriteMailbox, the default; a name that exists fails with DuplicateCategory, like Outlook)
 *   Office.context.mailbox.getSelectedItemsAsync / loadItemByIdAsync (loaded items have unloadAsync): only when
 *     the host is configured with mailboxVersion 1.15 or later; undefined otherwise
 *   Office.context.mailbox.addHandlerAsync(eventType, handler, [options], [callback]), .userProfile
 *   Office.AsyncResultStatus, Office.CoercionType, Office.EventType, Office.HostType,
 *   Office.PlatformType, Office.MailboxEnums.ItemType / AttachmentType / CategoryColor, Office.actions.associate
 *
 * Anything else the pane touches is undefined, logged with console.warn('[office-shim] unsupported ...')
 * and recorded in window.__officeShimUnsupported so a test can fail on it.
 */
(function () {
  'use strict';

  var PROTOCOL = 'casepane-host-emulator';
  var DEFAULT_MAILBOX = '1.13';
  var IGNORED = {
    then: 1,
    toJSON: 1,
    constructor: 1,
    $$typeof: 1,
    nodeType: 1,
    tagName: 1,
    asymmetricMatch: 1,
    '@@__IMMUTABLE_ITERABLE__@@': 1,
    '@@__IMMUTABLE_RECORD__@@': 1,
    _isMockFunction: 1,
    valueOf: 1,
    toString: 1,
    hasOwnProperty: 1,
  };

  var unsupported = (window.__officeShimUnsupported = []);
  function guard(target, path) {
    return new Proxy(target, {
      get: function (t, prop, receiver) {
        if (typeof prop === 'symbol' || prop in t || Object.prototype.hasOwnProperty.call(IGNORED, prop))
          return Reflect.get(t, prop, receiver);
        var name = path + '.' + String(prop);
        if (unsupported.indexOf(name) < 0) {
          unsupported.push(name);
          console.warn('[office-shim] unsupported: ' + name);
        }
        return undefined;
      },
    });
  }

  var AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' };
  var CoercionType = { Text: 'text', Html: 'html' };
  var EventType = {
    ItemChanged: 'olkItemSelectedChanged',
    OfficeThemeChanged: 'officeThemeChanged',
    SelectedItemsChanged: 'olkSelectedItemsChanged',
  };
  var CategoryColor = {};
  for (var preset = 0; preset <= 24; preset++) CategoryColor['Preset' + preset] = 'Preset' + preset;

  var state = {
    item: null,
    displayLanguage: 'en-US',
    officeTheme: null,
    userProfile: null,
    mailboxVersion: DEFAULT_MAILBOX,
  };
  var currentItem = null;
  var handlers = {};
  var pendingBodies = {};
  var nextRequest = 1;
  var readyInfo = null;
  var readyWaiters = [];
  var actions = {};

  function post(message) {
    message.protocol = PROTOCOL;
    window.parent.postMessage(message, '*');
  }

  /** Sends a request to the host; its answer ({status, value | error}) completes an Office-style callback. */
  function request(message, options, callback) {
    var id = nextRequest++;
    pendingBodies[id] = function (result) {
      result.asyncContext = (options || {}).asyncContext;
      if (typeof callback === 'function') callback(guard(result, 'AsyncResult'));
    };
    message.requestId = id;
    post(message);
  }
  function split(optionsOrCallback, maybeCallback) {
    return typeof optionsOrCallback === 'function'
      ? { options: {}, callback: optionsOrCallback }
      : { options: optionsOrCallback || {}, callback: maybeCallback };
  }

  function copyPerson(p) {
    return p
      ? guard({ displayName: p.displayName, emailAddress: p.emailAddress }, 'EmailAddressDetails')
      : null;
  }

  /** A property that is an object with getAsync (and setAsync) in compose mode, like Office.Subject / Office.Recipients. */
  function asyncProperty(m, field, writable, path) {
    var prop = {
      getAsync: function (optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request({ type: 'compose', op: 'get', field: field, itemId: m.itemId }, a.options, function (r) {
          if (field !== 'subject' && r.status === AsyncResultStatus.Succeeded)
            r = guard(
              { status: r.status, value: (r.value || []).map(copyPerson), asyncContext: r.asyncContext },
              'AsyncResult',
            );
          if (typeof a.callback === 'function') a.callback(r);
        });
      },
    };
    if (writable)
      prop.setAsync = function (value, optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request(
          { type: 'compose', op: 'set', field: field, itemId: m.itemId, value: value },
          a.options,
          a.callback,
        );
      };
    return guard(prop, path);
  }

  function makeComposeItem(m) {
    var item = {
      itemType: 'message',
      conversationId: m.conversationId,
      subject: asyncProperty(m, 'subject', true, 'Office.context.mailbox.item.subject'),
      to: asyncProperty(m, 'to', false, 'Office.context.mailbox.item.to'),
      cc: asyncProperty(m, 'cc', false, 'Office.context.mailbox.item.cc'),
      body: guard(
        {
          getAsync: function (coercionType, optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            request({ type: 'compose', op: 'get', field: 'body', itemId: m.itemId }, a.options, a.callback);
          },
          setSelectedDataAsync: function (data, optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            request(
              {
                type: 'compose',
                op: 'insert',
                field: 'body',
                itemId: m.itemId,
                value: data,
                coercionType: a.options.coercionType,
              },
              a.options,
              a.callback,
            );
          },
        },
        'Body',
      ),
    };
    return guard(item, 'Office.context.mailbox.item');
  }

  function makeItem(m, path) {
    if (!m) return null;
    if (m.compose) return makeComposeItem(m);
    var item = {
      itemType: 'message',
      itemId: m.itemId,
      internetMessageId: m.internetMessageId,
      conversationId: m.conversationId,
      subject: m.subject,
      from: copyPerson(m.from),
      sender: copyPerson(m.sender || m.from),
      to: (m.to || []).map(copyPerson),
      cc: (m.cc || []).map(copyPerson),
      dateTimeCreated: new Date(m.dateTimeCreated),
      attachments: (m.attachments || []).map(function (a) {
        return guard(
          {
            id: a.id,
            name: a.name,
            size: a.size,
            contentType: a.contentType,
            attachmentType: 'file',
            isInline: !!a.isInline,
          },
          'AttachmentDetails',
        );
      }),
      // Mailbox 1.8 (the emulated host claims up to 1.13).
      getAttachmentContentAsync: function (attachmentId, optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request(
          { type: 'getAttachmentContent', itemId: m.itemId, attachmentId: attachmentId },
          a.options,
          a.callback,
        );
      },
      categories: guard(
        {
          getAsync: function (optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            request({ type: 'categories', op: 'get', itemId: m.itemId }, a.options, a.callback);
          },
          addAsync: function (names, optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            request({ type: 'categories', op: 'add', itemId: m.itemId, names: names }, a.options, a.callback);
          },
          removeAsync: function (names, optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            request(
              { type: 'categories', op: 'remove', itemId: m.itemId, names: names },
              a.options,
              a.callback,
            );
          },
        },
        'Office.context.mailbox.item.categories',
      ),
      body: guard(
        {
          getAsync: function (coercionType, optionsOrCallback, maybeCallback) {
            var options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback || {};
            var callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
            var finish = function (result) {
              result.asyncContext = options.asyncContext;
              if (typeof callback === 'function') callback(guard(result, 'AsyncResult'));
            };
            if (coercionType !== CoercionType.Text && coercionType !== CoercionType.Html) {
              setTimeout(function () {
                finish({
                  status: AsyncResultStatus.Failed,
                  value: undefined,
                  error: {
                    name: 'InvalidCoercionType',
                    message: 'Unsupported coercion type: ' + coercionType,
                    code: 1000,
                  },
                });
              }, 0);
              return;
            }
            var id = nextRequest++;
            pendingBodies[id] = finish;
            post({ type: 'getBody', requestId: id, itemId: m.itemId, coercionType: coercionType });
          },
        },
        'Body',
      ),
    };
    if (m.shared)
      // Mailbox 1.8: only items in a shared folder or shared mailbox are configured with it in the emulator.
      item.getSharedPropertiesAsync = function (optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request({ type: 'sharedProperties', itemId: m.itemId }, a.options, a.callback);
      };
    if (path === 'LoadedItem')
      // Mailbox 1.15: an item opened with loadItemByIdAsync must be unloaded before the next one is loaded.
      item.unloadAsync = function (optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request({ type: 'unloadItem', itemId: m.itemId }, a.options, a.callback);
      };
    return guard(item, path || 'Office.context.mailbox.item');
  }

  function fire(eventType, args) {
    (handlers[eventType] || []).forEach(function (h) {
      try {
        h(args);
      } catch (e) {
        console.error('[office-shim] handler for ' + eventType + ' threw', e);
      }
    });
  }

  function versionAtMost(version, max) {
    var want = String(version || '1.1')
      .split('.')
      .map(Number);
    var have = String(max).split('.').map(Number);
    var major = want[0] || 0;
    var minor = want[1] || 0;
    return major < have[0] || (major === have[0] && minor <= (have[1] || 0));
  }
  function isSetSupported(name, version) {
    if (name !== 'Mailbox') return false; // NestedAppAuth, IdentityAPI, ...: not in this host
    return versionAtMost(version, state.mailboxVersion || DEFAULT_MAILBOX);
  }
  function multiSelect() {
    return versionAtMost('1.15', state.mailboxVersion || DEFAULT_MAILBOX);
  }

  var masterCategories = guard(
    {
      getAsync: function (optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request({ type: 'masterCategories', op: 'get' }, a.options, a.callback);
      },
      addAsync: function (categories, optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        var list = (categories || []).map(function (c) {
          return { displayName: String(c && c.displayName), color: String(c && c.color) };
        });
        request({ type: 'masterCategories', op: 'add', categories: list }, a.options, a.callback);
      },
      removeAsync: function (names, optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request({ type: 'masterCategories', op: 'remove', names: names }, a.options, a.callback);
      },
    },
    'Office.context.mailbox.masterCategories',
  );

  var mailbox = guard(
    {
      get item() {
        return currentItem;
      },
      masterCategories: masterCategories,
      // Mailbox 1.13 / 1.15 (item multi-select): present only when the host claims 1.15.
      get getSelectedItemsAsync() {
        if (!multiSelect()) return undefined;
        return function (optionsOrCallback, maybeCallback) {
          var a = split(optionsOrCallback, maybeCallback);
          request({ type: 'selectedItems' }, a.options, a.callback);
        };
      },
      get loadItemByIdAsync() {
        if (!multiSelect()) return undefined;
        return function (itemId, optionsOrCallback, maybeCallback) {
          var a = split(optionsOrCallback, maybeCallback);
          request({ type: 'loadItem', itemId: itemId }, a.options, function (r) {
            if (r.status === AsyncResultStatus.Succeeded)
              r = guard(
                { status: r.status, value: makeItem(r.value, 'LoadedItem'), asyncContext: r.asyncContext },
                'AsyncResult',
              );
            if (typeof a.callback === 'function') a.callback(r);
          });
        };
      },
      get userProfile() {
        var p = state.userProfile;
        return p
          ? guard(
              { displayName: p.displayName, emailAddress: p.emailAddress, timeZone: 'UTC' },
              'Office.context.mailbox.userProfile',
            )
          : null;
      },
      addHandlerAsync: function (eventType, handler, optionsOrCallback, maybeCallback) {
        var callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
        var options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback || {};
        var known =
          eventType === EventType.ItemChanged ||
          eventType === EventType.OfficeThemeChanged ||
          (eventType === EventType.SelectedItemsChanged && multiSelect());
        if (known) (handlers[eventType] = handlers[eventType] || []).push(handler);
        var result = known
          ? { status: AsyncResultStatus.Succeeded, value: undefined, asyncContext: options.asyncContext }
          : {
              status: AsyncResultStatus.Failed,
              error: { name: 'InvalidEventDispatch', message: 'Unsupported event: ' + eventType, code: 5001 },
              asyncContext: options.asyncContext,
            };
        post({ type: 'handlerAdded', eventType: eventType, ok: known });
        if (typeof callback === 'function')
          setTimeout(function () {
            callback(guard(result, 'AsyncResult'));
          }, 0);
      },
    },
    'Office.context.mailbox',
  );

  var context = guard(
    {
      get displayLanguage() {
        return state.displayLanguage;
      },
      get officeTheme() {
        var t = state.officeTheme;
        return t
          ? guard(
              {
                bodyBackgroundColor: t.bodyBackgroundColor,
                bodyForegroundColor: t.bodyForegroundColor,
                controlBackgroundColor: t.controlBackgroundColor,
                controlForegroundColor: t.controlForegroundColor,
              },
              'Office.context.officeTheme',
            )
          : null;
      },
      requirements: guard({ isSetSupported: isSetSupported }, 'Office.context.requirements'),
      mailbox: mailbox,
    },
    'Office.context',
  );

  var Office = {
    AsyncResultStatus: AsyncResultStatus,
    CoercionType: CoercionType,
    EventType: EventType,
    HostType: { Outlook: 'Outlook' },
    PlatformType: { OfficeOnline: 'OfficeOnline' },
    MailboxEnums: {
      ItemType: { Message: 'message', Appointment: 'appointment' },
      AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud' },
      CategoryColor: CategoryColor,
    },
    context: context,
    actions: {
      associate: function (name, fn) {
        actions[name] = fn;
        post({ type: 'actionAssociated', name: name });
      },
    },
    initialize: undefined,
    onReady: function (callback) {
      return new Promise(function (resolve) {
        var done = function (info) {
          if (typeof callback === 'function') callback(info);
          resolve(info);
        };
        if (readyInfo) done(readyInfo);
        else readyWaiters.push(done);
      });
    },
  };
  window.Office = guard(Office, 'Office');
  // For the function file: the host can invoke a command the way Outlook does for ExecuteFunction.
  window.__officeShimActions = actions;

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    switch (data.type) {
      case 'init':
        state = data.state;
        currentItem = makeItem(state.item);
        if (!readyInfo) {
          readyInfo = { host: 'Outlook', platform: 'OfficeOnline' };
          if (typeof Office.initialize === 'function') Office.initialize('');
          readyWaiters.splice(0).forEach(function (w) {
            w(readyInfo);
          });
        }
        break;
      case 'itemChanged':
        state.item = data.item;
        currentItem = makeItem(data.item);
        fire(EventType.ItemChanged, { type: EventType.ItemChanged });
        break;
      case 'selectedItemsChanged':
        fire(EventType.SelectedItemsChanged, { type: EventType.SelectedItemsChanged });
        break;
      case 'themeChanged':
        state.officeTheme = data.officeTheme;
        fire(EventType.OfficeThemeChanged, {
          type: EventType.OfficeThemeChanged,
          officeTheme: context.officeTheme,
        });
        break;
      case 'bodyResult':
      case 'asyncResult': {
        var finish = pendingBodies[data.requestId];
        delete pendingBodies[data.requestId];
        if (finish)
          finish(
            data.status === 'succeeded'
              ? { status: AsyncResultStatus.Succeeded, value: data.value }
              : { status: AsyncResultStatus.Failed, value: undefined, error: data.error },
          );
        break;
      }
      case 'invokeAction': {
        var fn = actions[data.name];
        if (fn)
          fn({
            source: { id: data.name },
            completed: function () {
              post({ type: 'actionCompleted', name: data.name });
            },
          });
        break;
      }
    }
  });

  post({ type: 'hello', href: window.location.href });
})();
