/* global window, document, URL, setTimeout, clearTimeout */
/**
 * Event-based activation as the host emulator runs it (office-shim.js is the add-in side): the manifest's launch-event
 * runtime and the events Outlook fires into it. What it follows:
 *   - https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch — Outlook loads the <Runtime>'s page (the
 *     HTML page in Outlook on the web, new Outlook and Mac) when an event of the manifest's LaunchEvents occurs, calls
 *     the function the LaunchEvent's FunctionName names (Office.actions.associate), and ends the runtime once the
 *     handler calls event.completed(); the runtime is short-lived, so nothing survives from one event to the next
 *     but storage. OnNewMessageCompose is Mailbox 1.10; an add-in whose overrides a client cannot take gets no events.
 *   - https://learn.microsoft.com/office/dev/add-ins/outlook/onmessagesend-onappointmentsend-events — OnMessageSend
 *     (Smart Alerts) is Mailbox 1.12: the message is sent only when the handler completes with allowEvent: true
 *     (https://learn.microsoft.com/javascript/api/outlook/office.smartalertseventcompletedoptions); after about five
 *     seconds Outlook tells the user the add-in is taking long (with SendMode PromptUser the user may send anyway),
 *     and a handler that has not completed after five minutes times out.
 * A host below an event's set never fires it and never loads the runtime: such a client keeps today's behaviour.
 * Driven by tests through window.hostEmulator:
 *   launchEvent(type, { promptAfterMs, timeoutMs, loadTimeoutMs }) → Promise<{ fired, reason?, allowed?, ms?, options?,
 *     prompted?, timedOut?, unavailable? }>: fires OnNewMessageCompose or OnMessageSend for the compose item that is
 *     selected (unavailable: the runtime page did not load within loadTimeoutMs, default 30 s);
 *   sent() → the messages an allowed OnMessageSend let go ({ key, subject, headers, bodyText, ms }).
 */
(function () {
  'use strict';

  var PROTOCOL = 'casepane-host-emulator';
  /** The set each event arrived in (the autolaunch page's "Supported events" table). */
  var EVENT_SETS = { OnNewMessageCompose: '1.10', OnMessageSend: '1.12' };
  var PROMPT_AFTER_MS = 5000;
  var TIMEOUT_MS = 5 * 60 * 1000;

  var frame = null;
  var frameOrigin = null;
  var associated = {};
  var waiting = null;
  var sent = [];

  function removeRuntime() {
    if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
    frame = null;
    frameOrigin = null;
    associated = {};
  }

  /** Loads the runtime page in a hidden frame (as Outlook on the web does) and waits for the handler's association. */
  function loadRuntime(url, functionName, loadTimeoutMs) {
    removeRuntime();
    frameOrigin = new URL(url, window.location.href).origin;
    frame = document.createElement('iframe');
    frame.id = 'launch-runtime';
    frame.name = 'launch-runtime';
    frame.title = 'Casepane event runtime';
    frame.hidden = true;
    frame.src = url;
    document.body.appendChild(frame);
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        waiting = null;
        reject(new Error('the runtime never associated ' + functionName));
      }, loadTimeoutMs);
      waiting = {
        name: functionName,
        resolve: function () {
          clearTimeout(timer);
          resolve();
        },
      };
      if (associated[functionName]) waiting.resolve();
    });
  }

  var completion = null;
  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== frameOrigin) return;
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    if (data.type === 'actionAssociated') {
      associated[data.name] = true;
      if (waiting && waiting.name === data.name) {
        var w = waiting;
        waiting = null;
        w.resolve();
      }
    } else if (data.type === 'launchEventCompleted' && completion && completion.name === data.name) {
      var c = completion;
      completion = null;
      c.resolve(data);
    }
  });

  function fire(type, options) {
    var api = window.hostEmulator;
    var cfg = api.launchConfig();
    var opts = options || {};
    var need = EVENT_SETS[type];
    if (!need) return Promise.reject(new Error('no such launch event ' + type));
    var launch = cfg.launch;
    var declared =
      launch &&
      launch.events.find(function (e) {
        return e.type === type;
      });
    if (!declared) return Promise.resolve({ fired: false, reason: 'not in the manifest' });
    if (!api.versionAtLeast(cfg.mailboxVersion, need))
      return Promise.resolve({ fired: false, reason: type + ' needs Mailbox ' + need });
    if (!api.versionAtLeast(cfg.mailboxVersion, launch.requires))
      return Promise.resolve({ fired: false, reason: 'the overrides require Mailbox ' + launch.requires });
    if (cfg.item === null) return Promise.resolve({ fired: false, reason: 'no message is being written' });
    var started = Date.now();
    var loadTimeoutMs = opts.loadTimeoutMs === undefined ? 30000 : opts.loadTimeoutMs;
    return loadRuntime(launch.runtimeUrl, declared.functionName, loadTimeoutMs).then(
      function () {
        return new Promise(function (resolve) {
          var result = { fired: true, prompted: false, timedOut: false };
          var prompt = setTimeout(
            function () {
              result.prompted = true;
            },
            opts.promptAfterMs === undefined ? PROMPT_AFTER_MS : opts.promptAfterMs,
          );
          var timeout = setTimeout(
            function () {
              completion = null;
              result.timedOut = true;
              finish(null);
            },
            opts.timeoutMs === undefined ? TIMEOUT_MS : opts.timeoutMs,
          );
          function finish(data) {
            clearTimeout(prompt);
            clearTimeout(timeout);
            result.ms = Date.now() - started;
            result.options = data ? data.options : null;
            // Smart Alerts sends only on allowEvent: true; a timed-out handler does not send (the user may retry).
            result.allowed =
              type === 'OnMessageSend'
                ? !!(data && data.options && data.options.allowEvent === true)
                : !!data;
            if (type === 'OnMessageSend' && result.allowed) {
              var item = api.compose(cfg.item);
              sent.push({
                key: cfg.item,
                subject: item.subject,
                headers: Object.assign({}, item.headers),
                bodyText: item.bodyText,
                ms: result.ms,
              });
            }
            removeRuntime();
            resolve(result);
          }
          completion = { name: declared.functionName, resolve: finish };
          frame.contentWindow.postMessage(
            { protocol: PROTOCOL, type: 'launchEvent', name: declared.functionName, eventType: type },
            frameOrigin,
          );
        });
      },
      function () {
        // The runtime did not load (its server is down): the add-in is unavailable. Outlook then sends the message
        // unless the send mode is Block (MS-OWEMXML LaunchEventSendMode: PromptUser and SoftBlock send "if it is
        // unavailable"); no handler ran, so nothing of the add-in's happened.
        removeRuntime();
        var allowed = type !== 'OnMessageSend' || declared.sendMode !== 'Block';
        var item = api.compose(cfg.item);
        if (type === 'OnMessageSend' && allowed)
          sent.push({
            key: cfg.item,
            subject: item.subject,
            headers: Object.assign({}, item.headers),
            bodyText: item.bodyText,
            ms: Date.now() - started,
          });
        return { fired: true, unavailable: true, allowed: allowed, ms: Date.now() - started };
      },
    );
  }

  function install() {
    var api = window.hostEmulator;
    api.launchRuntime = function () {
      return frame && frame.contentWindow ? { win: frame.contentWindow, origin: frameOrigin } : null;
    };
    api.launchEvent = fire;
    api.sent = function () {
      return sent.slice();
    };
  }
  if (window.hostEmulator) install();
  else window.addEventListener('DOMContentLoaded', install);
})();
