/* global window, console, setTimeout */
/**
 * Office.js stand-in for the Outlook host emulator (test/e2e/host/host.html).
 *
 * Playwright serves this file in place of https://appsforoffice.microsoft.com/lib/1/hosted/office.js,
 * so the task pane runs unmodified. Like the real Office.js in Outlook on the web, it lives in the
 * add-in's (cross-origin) iframe and talks to the host page, window.parent, over postMessage.
 *
 * An honest stand-in: every member below exists only where the configured host has it. A host is a
 * platform and a Mailbox requirement set (host.js HOSTS: web 1.15, new-windows 1.14, classic-windows 1.8,
 * mac 1.13, mobile 1.5) plus the permission the add-in was granted (ReadItem < ReadWriteItem <
 * ReadWriteMailbox). MEMBERS is the one table of what needs which set and permission, each with the page it
 * follows; offer(...) builds a member only where MEMBERS allows it. To emulate a new member: add its row to
 * MEMBERS (set, permission, cite) and build it with offer(target, 'its.key', value).
 *
 * A member the host lacks reads undefined; a member the pane touches that the emulator does not implement
 * at all is logged with console.warn('[office-shim] unsupported ...') and recorded in
 * window.__officeShimUnsupported so a test can fail on it. Failures carry Outlook's error names and codes
 * (ERRORS below; the Outlook rows of https://learn.microsoft.com/office/dev/add-ins/reference/javascript-api-for-office-error-codes,
 * the names as office.js's own strings carry them, e.g. l_APICallFailedDueToItemChange_Text).
 */
(function () {
  'use strict';

  var PROTOCOL = 'casepane-host-emulator';
  // Outlook on the web today (see host.js HOSTS); a test picks another host configuration.
  var DEFAULT_MAILBOX = '1.15';
  var DEFAULT_PLATFORM = 'OfficeOnline';
  var DEFAULT_PERMISSION = 'ReadWriteMailbox';
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
    // Office.EventType's values for the dialog's two events (office.js: "dialogMessageReceived", "dialogEventReceived").
    DialogMessageReceived: 'dialogMessageReceived',
    DialogEventReceived: 'dialogEventReceived',
  };
  var CategoryColor = {};
  for (var preset = 0; preset <= 24; preset++) CategoryColor['Preset' + preset] = 'Preset' + preset;

  var DOCS = 'https://learn.microsoft.com/javascript/api/';
  /**
   * What each emulated member needs in Outlook: the Mailbox requirement set it belongs to, the minimum permission,
   * and the page that says so. offer() consults this table; nothing else decides whether a member exists.
   */
  var MEMBERS = {
    // Office.context.officeTheme and the OfficeThemeChanged event are Mailbox 1.14 in Outlook.
    'context.officeTheme': {
      set: '1.14',
      permission: 'ReadItem',
      cite: DOCS + 'office/office.context#office-office-context-officetheme-member',
    },
    'event.OfficeThemeChanged': {
      set: '1.14',
      permission: 'ReadItem',
      cite: DOCS + 'outlook/office.officethemechangedeventargs',
    },
    // Item events: Mailbox.addHandlerAsync is 1.5 (read item).
    'event.ItemChanged': { set: '1.5', permission: 'ReadItem', cite: DOCS + 'outlook/office.eventtype' },
    // Item multi-select: SelectedItemsChanged and getSelectedItemsAsync are 1.13, read/write mailbox
    // (https://learn.microsoft.com/office/dev/add-ins/outlook/item-multi-select).
    'event.SelectedItemsChanged': {
      set: '1.13',
      permission: 'ReadWriteMailbox',
      cite: DOCS + 'outlook/office.eventtype',
    },
    'mailbox.getSelectedItemsAsync': {
      set: '1.13',
      permission: 'ReadWriteMailbox',
      cite: DOCS + 'outlook/office.mailbox#outlook-office-mailbox-getselecteditemsasync-member(1)',
    },
    // SelectedItemDetails.internetMessageId / conversationId / hasAttachment arrived in 1.14.
    'selected.details-1.14': {
      set: '1.14',
      permission: 'ReadWriteMailbox',
      cite: DOCS + 'outlook/office.selecteditemdetails',
    },
    'mailbox.loadItemByIdAsync': {
      set: '1.15',
      permission: 'ReadWriteMailbox',
      cite: DOCS + 'outlook/office.mailbox#outlook-office-mailbox-loaditembyidasync-member(1)',
    },
    'loaded.unloadAsync': {
      set: '1.15',
      permission: 'ReadItem',
      cite: DOCS + 'outlook/office.loadedmessageread',
    },
    // The master category list: 1.8, read/write mailbox, for every method.
    'mailbox.masterCategories': {
      set: '1.8',
      permission: 'ReadWriteMailbox',
      cite: DOCS + 'outlook/office.mastercategories',
    },
    // item.categories is 1.8; getAsync needs read item, addAsync / removeAsync read/write item.
    'item.categories': { set: '1.8', permission: 'ReadItem', cite: DOCS + 'outlook/office.categories' },
    'item.categories.write': {
      set: '1.8',
      permission: 'ReadWriteItem',
      cite: DOCS + 'outlook/office.categories',
    },
    'item.getAttachmentContentAsync': {
      set: '1.8',
      permission: 'ReadItem',
      cite:
        DOCS + 'outlook/office.messageread#outlook-office-messageread-getattachmentcontentasync-member(1)',
    },
    // The dialog API in Outlook: displayDialogAsync and messageParent arrived in Mailbox 1.4 ("Outlook support" on
    // https://learn.microsoft.com/javascript/api/requirement-sets/common/dialog-api-requirement-sets; outlook-requirement-set-1-4).
    'ui.displayDialogAsync': {
      set: '1.4',
      permission: 'ReadItem',
      cite: DOCS + 'office/office.ui#office-office-ui-displaydialogasync-member(1)',
    },
    'ui.messageParent': {
      set: '1.4',
      permission: 'ReadItem',
      cite: DOCS + 'office/office.ui#office-office-ui-messageparent-member(1)',
    },
    // Mailbox 1.0, read item; an id that names no message opens nothing and returns no error
    // (https://learn.microsoft.com/javascript/api/outlook/office.mailbox#outlook-office-mailbox-displaymessageform-member(1)).
    'mailbox.displayMessageForm': {
      set: '1.0',
      permission: 'ReadItem',
      cite: DOCS + 'outlook/office.mailbox#outlook-office-mailbox-displaymessageform-member(1)',
    },
    // Outlook's reply form for a read message: displayReplyForm is Mailbox 1.0 (a string body; the ReplyFormData
    // object with htmlBody and callback is 1.1), read item, read mode; "If any of the string parameters exceed their
    // limits, displayReplyForm throws an exception" (htmlBody: "limited to 32 KB", Office.ReplyFormData)
    // (https://learn.microsoft.com/javascript/api/outlook/office.messageread#outlook-office-messageread-displayreplyform-member(1)).
    'item.displayReplyForm': {
      set: '1.0',
      permission: 'ReadItem',
      cite: DOCS + 'outlook/office.messageread#outlook-office-messageread-displayreplyform-member(1)',
    },
    'item.displayReplyFormAsync': {
      set: '1.9',
      permission: 'ReadItem',
      cite: DOCS + 'outlook/office.messageread#outlook-office-messageread-displayreplyformasync-member(1)',
    },
    // The message's header block as one string (MessageRead, 1.8, read item); see also
    // https://learn.microsoft.com/office/dev/add-ins/outlook/internet-headers.
    'item.getAllInternetHeadersAsync': {
      set: '1.8',
      permission: 'ReadItem',
      cite:
        DOCS + 'outlook/office.messageread#outlook-office-messageread-getallinternetheadersasync-member(1)',
    },
    'item.getSharedPropertiesAsync': {
      set: '1.8',
      permission: 'ReadItem',
      cite: DOCS + 'outlook/office.messageread#outlook-office-messageread-getsharedpropertiesasync-member(1)',
    },
    // Compose: Office.InternetHeaders (item.internetHeaders) is Mailbox 1.8; setAsync writes the item, so read/write
    // item (https://learn.microsoft.com/javascript/api/outlook/office.internetheaders). Only headers an add-in set on
    // the item are read back (https://learn.microsoft.com/office/dev/add-ins/outlook/internet-headers).
    'item.internetHeaders': {
      set: '1.8',
      permission: 'ReadWriteItem',
      cite: DOCS + 'outlook/office.internetheaders',
    },
    // The launch-event handlers' event: completed() (Office.AddinCommands.Event), and on OnMessageSend its
    // SmartAlertsEventCompletedOptions (allowEvent, errorMessage), Mailbox 1.12
    // (https://learn.microsoft.com/javascript/api/outlook/office.smartalertseventcompletedoptions). The host decides
    // whether an event fires at all (launch-host.js); the shim only hands it to the associated function.
    // Per-add-in, per-user settings saved in the mailbox; Mailbox 1.1, restricted permission; the object is read
    // from the mailbox when the add-in loads and saveAsync persists it (https://learn.microsoft.com/javascript/api/outlook/office.roamingsettings).
    'context.roamingSettings': {
      set: '1.1',
      permission: 'Restricted',
      cite: DOCS + 'outlook/office.roamingsettings',
    },
    'event.smartAlertsCompleted': {
      set: '1.12',
      permission: 'Restricted',
      cite: DOCS + 'outlook/office.smartalertseventcompletedoptions',
    },
  };
  var PERMISSION_RANK = { Restricted: 0, ReadItem: 1, ReadWriteItem: 2, ReadWriteMailbox: 3 };

  /** Outlook's error names and codes (javascript-api-for-office-error-codes; Office common codes below 9000). */
  var ERRORS = {
    InvalidCoercionType: 1000,
    InvalidEventDispatch: 5001,
    InvalidOperation: 5000,
    InvalidAttachmentId: 9002,
    PermissionDenied: 9016,
    AccessRestricted: 9017,
    APICallFailedDueToItemChange: 9030,
    InvalidCategory: 9044,
    DuplicateCategory: 9045,
    ItemNotFound: 9013,
  };
  function officeError(name, message) {
    return { name: name, message: message, code: ERRORS[name] };
  }

  function supports(key) {
    var need = MEMBERS[key];
    if (!need) throw new Error('[office-shim] no MEMBERS row for ' + key);
    var permission = state.permissions || DEFAULT_PERMISSION;
    return (
      versionAtMost(need.set, state.mailboxVersion || DEFAULT_MAILBOX) &&
      (PERMISSION_RANK[permission] || 0) >= PERMISSION_RANK[need.permission]
    );
  }
  /** Defines target[name] as value only where the configured host has the member `key`. */
  function offer(target, key, name, value) {
    if (supports(key)) target[name] = value;
    return target;
  }
  /** Completes a callback with a failure, asynchronously like Outlook. */
  function failLater(options, callback, name, message) {
    setTimeout(function () {
      if (typeof callback === 'function')
        callback(
          guard(
            {
              status: AsyncResultStatus.Failed,
              value: undefined,
              error: officeError(name, message),
              asyncContext: (options || {}).asyncContext,
            },
            'AsyncResult',
          ),
        );
    }, 0);
  }

  var state = {
    item: null,
    displayLanguage: 'en-US',
    officeTheme: null,
    userProfile: null,
    mailboxVersion: DEFAULT_MAILBOX,
    platform: DEFAULT_PLATFORM,
    permissions: DEFAULT_PERMISSION,
  };
  var currentItem = null;
  var handlers = {};
  var pendingBodies = {};
  var nextRequest = 1;
  var readyInfo = null;
  var readyWaiters = [];
  var actions = {};

  /**
   * Who this Office.js talks to: the host page holding the pane's frame, or — in a dialog, which Outlook opens as a
   * window of its own — the window that opened it (dialog-host.js).
   */
  var hostWindow = window.parent !== window ? window.parent : window.opener;
  function post(message) {
    message.protocol = PROTOCOL;
    if (hostWindow) hostWindow.postMessage(message, '*');
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
    offer(
      item,
      'item.internetHeaders',
      'internetHeaders',
      guard(
        {
          getAsync: function (names, optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            request(
              { type: 'compose', op: 'getHeaders', itemId: m.itemId, names: (names || []).map(String) },
              a.options,
              a.callback,
            );
          },
          setAsync: function (headers, optionsOrCallback, maybeCallback) {
            var a = split(optionsOrCallback, maybeCallback);
            var copy = {};
            Object.keys(headers || {}).forEach(function (k) {
              copy[k] = String(headers[k]);
            });
            request(
              { type: 'compose', op: 'setHeaders', itemId: m.itemId, headers: copy },
              a.options,
              a.callback,
            );
          },
        },
        'Office.context.mailbox.item.internetHeaders',
      ),
    );
    return guard(item, 'Office.context.mailbox.item');
  }

  function attachmentDetails(a) {
    // AttachmentDetails.attachmentType: 'file', 'item' (an attached .eml/.msg or meeting) or 'cloud' (a link to
    // OneDrive/SharePoint); DOCS outlook/office.mailboxenums.attachmenttype.
    return guard(
      {
        id: a.id,
        name: a.name,
        size: a.size,
        contentType: a.contentType,
        attachmentType: a.attachmentType || 'file',
        isInline: !!a.isInline,
      },
      'AttachmentDetails',
    );
  }

  function makeItem(m, path) {
    if (!m) return null;
    if (m.compose) return makeComposeItem(m);
    var loaded = path === 'LoadedItem';
    var self = null;
    /**
     * A call through an item object the selection has left fails with APICallFailedDueToItemChange (9030): the
     * object a pane kept is not silently retargeted, and Office.context.mailbox.item is the new item. A loaded item
     * (loadItemByIdAsync) stays valid until it is unloaded.
     */
    function whenCurrent(options, callback, run) {
      if (!loaded && currentItem !== self)
        return failLater(
          options,
          callback,
          'APICallFailedDueToItemChange',
          'The selected item has been changed.',
        );
      run();
    }
    var item = {
      itemType: 'message',
      // IPM.Note for mail, IPM.Schedule.Meeting.Request for a meeting request (MessageRead.itemClass, 1.1).
      itemClass: m.itemClass || 'IPM.Note',
      itemId: m.itemId,
      internetMessageId: m.internetMessageId,
      conversationId: m.conversationId,
      subject: m.subject,
      from: copyPerson(m.from),
      sender: copyPerson(m.sender || m.from),
      to: (m.to || []).map(copyPerson),
      cc: (m.cc || []).map(copyPerson),
      dateTimeCreated: new Date(m.dateTimeCreated),
      attachments: (m.attachments || []).map(attachmentDetails),
      body: guard(
        {
          getAsync: function (coercionType, optionsOrCallback, maybeCallback) {
            var options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback || {};
            var callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
            var finish = function (result) {
              result.asyncContext = options.asyncContext;
              if (typeof callback === 'function') callback(guard(result, 'AsyncResult'));
            };
            if (coercionType !== CoercionType.Text && coercionType !== CoercionType.Html)
              return failLater(
                options,
                callback,
                'InvalidCoercionType',
                'Unsupported coercion type: ' + coercionType,
              );
            whenCurrent(options, callback, function () {
              var id = nextRequest++;
              pendingBodies[id] = finish;
              post({ type: 'getBody', requestId: id, itemId: m.itemId, coercionType: coercionType });
            });
          },
        },
        'Body',
      ),
    };
    if (m.meeting) {
      // A meeting request is a message (itemType 'message') with start, end and location (MeetingRequest, 1.1).
      item.start = new Date(m.meeting.start);
      item.end = new Date(m.meeting.end);
      item.location = m.meeting.location || '';
    }
    offer(
      item,
      'item.getAttachmentContentAsync',
      'getAttachmentContentAsync',
      function (id, optionsOrCallback, cb) {
        var a = split(optionsOrCallback, cb);
        whenCurrent(a.options, a.callback, function () {
          request(
            { type: 'getAttachmentContent', itemId: m.itemId, attachmentId: id },
            a.options,
            a.callback,
          );
        });
      },
    );
    offer(
      item,
      'item.getAllInternetHeadersAsync',
      'getAllInternetHeadersAsync',
      function (optionsOrCallback, cb) {
        var a = split(optionsOrCallback, cb);
        whenCurrent(a.options, a.callback, function () {
          request({ type: 'internetHeaders', itemId: m.itemId }, a.options, a.callback);
        });
      },
    );
    if (supports('item.categories')) {
      var categoryCall = function (op, write) {
        return function (names, optionsOrCallback, cb) {
          var a = op === 'get' ? split(names, optionsOrCallback) : split(optionsOrCallback, cb);
          if (write && !supports('item.categories.write'))
            return failLater(
              a.options,
              a.callback,
              'PermissionDenied',
              'This method needs ReadWriteItem permission.',
            );
          whenCurrent(a.options, a.callback, function () {
            request(
              { type: 'categories', op: op, itemId: m.itemId, names: op === 'get' ? undefined : names },
              a.options,
              a.callback,
            );
          });
        };
      };
      item.categories = guard(
        {
          getAsync: categoryCall('get', false),
          addAsync: categoryCall('add', true),
          removeAsync: categoryCall('remove', true),
        },
        'Office.context.mailbox.item.categories',
      );
    }
    if (!loaded) {
      /**
       * Both reply members open the same form: the body is a string or ReplyFormData's htmlBody, and over 32 KB
       * the call throws, like Outlook; the sync member's callback (Mailbox 1.9) rides on ReplyFormData.
       */
      var openReply = function (formData, options, callback) {
        var html = typeof formData === 'string' ? formData : (formData && formData.htmlBody) || '';
        if (html.length > 32 * 1024)
          throw new Error('Sys.ArgumentOutOfRangeException: htmlBody is longer than 32 KB');
        whenCurrent(options, callback, function () {
          request({ type: 'displayReplyForm', itemId: m.itemId, htmlBody: html }, options, callback);
        });
      };
      offer(item, 'item.displayReplyForm', 'displayReplyForm', function (formData) {
        openReply(formData, {}, formData && typeof formData === 'object' ? formData.callback : undefined);
      });
      offer(
        item,
        'item.displayReplyFormAsync',
        'displayReplyFormAsync',
        function (formData, optionsOrCallback, cb) {
          var a = split(optionsOrCallback, cb);
          openReply(formData, a.options, a.callback);
        },
      );
    }
    // Only items in a shared folder or shared mailbox are configured with it in the emulator.
    if (m.shared)
      offer(
        item,
        'item.getSharedPropertiesAsync',
        'getSharedPropertiesAsync',
        function (optionsOrCallback, cb) {
          var a = split(optionsOrCallback, cb);
          request({ type: 'sharedProperties', itemId: m.itemId }, a.options, a.callback);
        },
      );
    if (loaded)
      // An item opened with loadItemByIdAsync must be unloaded before the next one is loaded.
      offer(item, 'loaded.unloadAsync', 'unloadAsync', function (optionsOrCallback, cb) {
        var a = split(optionsOrCallback, cb);
        request({ type: 'unloadItem', itemId: m.itemId }, a.options, a.callback);
      });
    self = guard(item, path || 'Office.context.mailbox.item');
    return self;
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
      // Read at call time: the host configuration arrives with 'init', after this script ran.
      get masterCategories() {
        return supports('mailbox.masterCategories') ? masterCategories : undefined;
      },
      get getSelectedItemsAsync() {
        if (!supports('mailbox.getSelectedItemsAsync')) return undefined;
        return function (optionsOrCallback, maybeCallback) {
          var a = split(optionsOrCallback, maybeCallback);
          request(
            { type: 'selectedItems', details114: supports('selected.details-1.14') },
            a.options,
            a.callback,
          );
        };
      },
      get displayMessageForm() {
        if (!supports('mailbox.displayMessageForm')) return undefined;
        // No callback and no result: Outlook opens the message in its own window, or nothing for an unknown id.
        return function (itemId) {
          post({ type: 'displayMessageForm', itemId: String(itemId) });
        };
      },
      get loadItemByIdAsync() {
        if (!supports('mailbox.loadItemByIdAsync')) return undefined;
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
          (eventType === EventType.ItemChanged && supports('event.ItemChanged')) ||
          (eventType === EventType.OfficeThemeChanged && supports('event.OfficeThemeChanged')) ||
          (eventType === EventType.SelectedItemsChanged && supports('event.SelectedItemsChanged'));
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

  /**
   * The Office dialog (https://learn.microsoft.com/office/dev/add-ins/develop/dialog-api-in-office-add-ins). The pane's
   * displayDialogAsync asks the host page (dialog-host.js) to open the page; the host answers with the codes of
   * https://learn.microsoft.com/office/dev/add-ins/develop/dialog-handle-errors-events — 12004 for a page outside
   * the add-in's domain, 12005 for http, 12007 while one is open, 12009 / 12011 when the user or the browser
   * refuses the window — in the callback, and later 12006 (closed by the user) as a DialogEventReceived. The
   * dialog page's own Office.js (this file again, told so by the host) offers only messageParent, which reaches the
   * pane as DialogMessageReceived { message, origin } from a page of the pane's origin only (without DialogOrigin
   * 1.1's targetOrigin a page elsewhere cannot message the pane).
   */
  var openDialog = null;
  function dialogUi() {
    var ui = {};
    if (state.dialog) {
      offer(ui, 'ui.messageParent', 'messageParent', function (message) {
        post({ type: 'dialogMessageParent', message: String(message) });
      });
      return guard(ui, 'Office.context.ui');
    }
    offer(ui, 'ui.displayDialogAsync', 'displayDialogAsync', function (startAddress, optionsOrCallback, cb) {
      var a = split(optionsOrCallback, cb);
      request(
        {
          type: 'displayDialog',
          url: String(startAddress),
          height: a.options.height,
          width: a.options.width,
          displayInIframe: !!a.options.displayInIframe,
        },
        a.options,
        function (result) {
          if (result.status === AsyncResultStatus.Succeeded) {
            openDialog = { handlers: {} };
            var current = openDialog;
            result = guard(
              {
                status: result.status,
                asyncContext: result.asyncContext,
                value: guard(
                  {
                    addEventHandler: function (eventType, handler) {
                      (current.handlers[eventType] = current.handlers[eventType] || []).push(handler);
                    },
                    close: function () {
                      if (openDialog === current) openDialog = null;
                      post({ type: 'closeDialog' });
                    },
                  },
                  'Office.Dialog',
                ),
              },
              'AsyncResult',
            );
          }
          if (typeof a.callback === 'function') a.callback(result);
        },
      );
    });
    return guard(ui, 'Office.context.ui');
  }
  function fireDialog(eventType, args) {
    var target = openDialog;
    if (!target) return;
    (target.handlers[eventType] || []).forEach(function (h) {
      try {
        h(guard(args, 'Office.DialogEventArgs'));
      } catch (e) {
        console.error('[office-shim] dialog handler threw', e);
      }
    });
  }
  window.addEventListener('message', function (event) {
    if (!hostWindow || event.source !== hostWindow) return;
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    if (data.type === 'dialogMessage')
      fireDialog(EventType.DialogMessageReceived, {
        type: EventType.DialogMessageReceived,
        message: data.message,
        origin: data.origin,
      });
    else if (data.type === 'dialogEvent') {
      // After 12006 the dialog is gone: nothing more comes from it.
      fireDialog(EventType.DialogEventReceived, { type: EventType.DialogEventReceived, error: data.error });
      if (data.error === 12006) openDialog = null;
    }
  });

  /** In memory from what the host handed over at init; saveAsync sends a copy back to the host (the mailbox). */
  var roamingValues = {};
  var roamingSettings = guard(
    {
      get: function (name) {
        return Object.prototype.hasOwnProperty.call(roamingValues, name) ? roamingValues[name] : undefined;
      },
      set: function (name, value) {
        roamingValues[String(name)] = JSON.parse(JSON.stringify(value));
      },
      remove: function (name) {
        delete roamingValues[name];
      },
      saveAsync: function (optionsOrCallback, maybeCallback) {
        var a = split(optionsOrCallback, maybeCallback);
        request(
          { type: 'roamingSettings', settings: JSON.parse(JSON.stringify(roamingValues)) },
          a.options,
          a.callback,
        );
      },
    },
    'Office.context.roamingSettings',
  );

  var context = guard(
    {
      get displayLanguage() {
        return state.displayLanguage;
      },
      get officeTheme() {
        // Below 1.14 Outlook has no theme for the add-in (office-js#43: undefined in Outlook).
        if (!supports('context.officeTheme')) return undefined;
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
      // Office.context.partitionKey: a string where add-in instances share an origin's storage (Outlook on the web,
      // new Outlook), undefined elsewhere; a plain property in every requirement set
      // (https://learn.microsoft.com/javascript/api/office/office.context#office-office-context-partitionkey-member).
      // The host gives one only when a test configures it (state.partitionKey).
      get partitionKey() {
        return state.partitionKey || undefined;
      },
      get platform() {
        return state.platform || DEFAULT_PLATFORM;
      },
      requirements: guard({ isSetSupported: isSetSupported }, 'Office.context.requirements'),
      // A dialog page runs Office.js for Office.context.ui only; the mailbox belongs to the pane that opened it.
      get mailbox() {
        return state.dialog ? undefined : mailbox;
      },
      get ui() {
        return dialogUi();
      },
      get roamingSettings() {
        if (state.dialog || !supports('context.roamingSettings')) return undefined;
        return roamingSettings;
      },
    },
    'Office.context',
  );

  var Office = {
    AsyncResultStatus: AsyncResultStatus,
    CoercionType: CoercionType,
    EventType: EventType,
    HostType: { Outlook: 'Outlook' },
    PlatformType: {
      PC: 'PC',
      OfficeOnline: 'OfficeOnline',
      Mac: 'Mac',
      iOS: 'iOS',
      Android: 'Android',
      Universal: 'Universal',
    },
    MailboxEnums: {
      ItemType: { Message: 'message', Appointment: 'appointment' },
      AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud' },
      AttachmentContentFormat: { Base64: 'base64', Url: 'url', Eml: 'eml', ICalendar: 'iCalendar' },
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
    if (!hostWindow || event.source !== hostWindow) return;
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    switch (data.type) {
      case 'init':
        state = data.state;
        roamingValues = state.roamingSettings || {};
        currentItem = makeItem(state.item);
        if (!readyInfo) {
          readyInfo = { host: 'Outlook', platform: state.platform || DEFAULT_PLATFORM };
          if (typeof Office.initialize === 'function') Office.initialize('');
          readyWaiters.splice(0).forEach(function (w) {
            w(readyInfo);
          });
        }
        break;
      case 'itemChanged':
        state.item = data.item;
        currentItem = makeItem(data.item);
        // office-js#5965 / #6833: in real Outlook ItemChanged sometimes never reaches a pinned pane although the
        // selection moved; the host can reproduce that (dropEvent) so the pane's other ways to notice are tested.
        if (!data.dropEvent) fire(EventType.ItemChanged, { type: EventType.ItemChanged });
        break;
      case 'selectedItemsChanged':
        // Several messages selected: Office.context.mailbox.item is null (Microsoft's answer in office-js#3680);
        // SelectedItemsChanged (1.13) is the event that says so.
        if ('item' in data) {
          state.item = data.item;
          currentItem = makeItem(data.item);
        }
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
      case 'launchEvent': {
        // Outlook runs the function the manifest's LaunchEvent names with an event whose completed() ends it
        // (https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch); only the first completed() counts.
        var handler = actions[data.name];
        if (!handler) {
          post({ type: 'launchEventCompleted', name: data.name, missing: true });
          break;
        }
        var ended = false;
        var smartAlerts = data.eventType === 'OnMessageSend' && supports('event.smartAlertsCompleted');
        var launchEvent = guard(
          {
            completed: function (options) {
              if (ended) return;
              ended = true;
              var o = options || {};
              post({
                type: 'launchEventCompleted',
                name: data.name,
                options: smartAlerts
                  ? { allowEvent: o.allowEvent, errorMessage: o.errorMessage }
                  : options === undefined
                    ? null
                    : {},
              });
            },
          },
          'Office.AddinCommands.Event',
        );
        try {
          handler(launchEvent);
        } catch (e) {
          console.error('[office-shim] launch-event handler threw', e);
        }
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
