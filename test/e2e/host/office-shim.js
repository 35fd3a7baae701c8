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
 *     (Mailbox 1.8: the emulated host claims Mailbox up to 1.13, so it has them)
 *   Office.context.mailbox.addHandlerAsync(eventType, handler, [options], [callback]), .userProfile
 *   Office.AsyncResultStatus, Office.CoercionType, Office.EventType, Office.HostType,
 *   Office.PlatformType, Office.MailboxEnums.ItemType / AttachmentType, Office.actions.associate
 *
 * Anything else the pane touches is undefined, logged with console.warn('[office-shim] unsupported ...')
 * and recorded in window.__officeShimUnsupported so a test can fail on it.
 */
(function () {
  'use strict';

  var PROTOCOL = 'casepane-host-emulator';
  var MAX_MAILBOX = [1, 13];
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
  var EventType = { ItemChanged: 'olkItemSelectedChanged', OfficeThemeChanged: 'officeThemeChanged' };

  var state = { item: null, displayLanguage: 'en-US', officeTheme: null, userProfile: null };
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

  function makeItem(m) {
    if (!m) return null;
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
    return guard(item, 'Office.context.mailbox.item');
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

  function isSetSupported(name, version) {
    if (name !== 'Mailbox') return false; // NestedAppAuth, IdentityAPI, ...: not in this host
    var want = String(version || '1.1')
      .split('.')
      .map(Number);
    var major = want[0] || 0;
    var minor = want[1] || 0;
    return major < MAX_MAILBOX[0] || (major === MAX_MAILBOX[0] && minor <= MAX_MAILBOX[1]);
  }

  var mailbox = guard(
    {
      get item() {
        return currentItem;
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
        var known = eventType === EventType.ItemChanged || eventType === EventType.OfficeThemeChanged;
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
