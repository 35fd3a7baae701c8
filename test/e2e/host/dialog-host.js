/* global window, document, URL, screen, setInterval, clearInterval */
/**
 * The Office dialog as the host emulator shows it: the host side of Office.context.ui.displayDialogAsync
 * (office-shim.js is the add-in side). Outlook opens the page in a window of its own (displayInIframe false); so
 * does the emulator (window.open), and the page's Office.js talks to this page through window.opener.
 *
 * What it follows (https://learn.microsoft.com/office/dev/add-ins/develop/dialog-handle-errors-events and
 * https://learn.microsoft.com/office/dev/add-ins/develop/dialog-api-in-office-add-ins):
 *   - the start page must be https (12005) and of the add-in's own domain (12004: "The domain must be the same
 *     domain as the host page (including protocol and port number)"; AppDomains are not emulated);
 *   - one dialog at a time per host window (12007);
 *   - Outlook on the web may ask the user to allow the window (12009 when ignored) and the browser may block it
 *     (12011): the host's dialogPolicy, or hostEmulator.setDialogPolicy('ignore' | 'block' | 'allow');
 *   - the user closing the window is DialogEventReceived 12006; the pane's dialog.close() sends nothing;
 *   - the page may navigate anywhere (a sign-in service and back); messageParent reaches the pane only while the
 *     dialog shows a page of the add-in's origin (the message carries that origin, DialogOrigin 1.1's `origin`).
 * Driven by tests through window.hostEmulator: dialog() → { url, height, width } | null (the open dialog),
 * setDialogPolicy(policy); a test closes the window as the user does (Playwright's page.close()).
 */
(function () {
  'use strict';

  var PROTOCOL = 'casepane-host-emulator';
  /** Set by a test at run time; otherwise the host configuration's dialogPolicy. */
  var policy = null;
  var dialogWindow = null;
  var opened = null;

  function pane() {
    return document.getElementById('taskpane');
  }
  function paneOrigin() {
    var p = pane();
    return p ? new URL(p.src, window.location.href).origin : null;
  }
  function toPane(message) {
    var p = pane();
    if (!p || !p.contentWindow) return;
    message.protocol = PROTOCOL;
    p.contentWindow.postMessage(message, paneOrigin());
  }
  function answer(requestId, error) {
    toPane(
      error
        ? {
            type: 'asyncResult',
            requestId: requestId,
            status: 'failed',
            error: { name: 'Error', message: error.message, code: error.code },
          }
        : { type: 'asyncResult', requestId: requestId, status: 'succeeded', value: null },
    );
  }
  function open(data) {
    var url;
    try {
      url = new URL(data.url);
    } catch {
      return answer(data.requestId, { code: 12004, message: 'The domain of the URL is not trusted.' });
    }
    if (url.protocol !== 'https:')
      return answer(data.requestId, { code: 12005, message: 'The URL must use the HTTPS protocol.' });
    if (url.origin !== paneOrigin())
      return answer(data.requestId, { code: 12004, message: 'The domain of the URL is not trusted.' });
    if (dialogWindow && !dialogWindow.closed)
      return answer(data.requestId, {
        code: 12007,
        message: 'A dialog box is already opened from this host window.',
      });
    var refusal = policy || window.hostEmulator.dialogPolicy();
    if (refusal === 'ignore')
      return answer(data.requestId, { code: 12009, message: 'The user chose to ignore the dialog box.' });
    if (refusal === 'block')
      return answer(data.requestId, {
        code: 12011,
        message: "The user's browser is configured in a way that blocks popups.",
      });
    // Office sizes the dialog in percent of the screen (1–99).
    var percent = function (v) {
      var n = Number(v);
      return n >= 1 && n <= 99 ? n : 80;
    };
    opened = { url: url.href, height: percent(data.height), width: percent(data.width) };
    // displayInIframe: false (the pane's choice, and the only way in desktop Outlook): a top-level window, so the
    // page has first-party storage and cookies — what a sign-in page needs.
    var features =
      'popup,width=' +
      Math.round((screen.availWidth * opened.width) / 100) +
      ',height=' +
      Math.round((screen.availHeight * opened.height) / 100);
    dialogWindow = window.open(url.href, 'casepane-office-dialog', features);
    if (!dialogWindow) {
      opened = null;
      return answer(data.requestId, {
        code: 12011,
        message: "The user's browser is configured in a way that blocks popups.",
      });
    }
    watchClosed();
    answer(data.requestId, null);
  }

  /** The user closing the window is DialogEventReceived 12006; the pane's own close() is not. */
  var closedTimer = null;
  function watchClosed() {
    if (closedTimer) clearInterval(closedTimer);
    closedTimer = setInterval(function () {
      if (!dialogWindow || !dialogWindow.closed) return;
      clearInterval(closedTimer);
      closedTimer = null;
      var byPane = closingByPane;
      dialogWindow = null;
      opened = null;
      closingByPane = false;
      if (!byPane) toPane({ type: 'dialogEvent', error: 12006 });
    }, 100);
  }
  var closingByPane = false;
  function closeByPane() {
    if (!dialogWindow) return;
    closingByPane = true;
    dialogWindow.close();
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.protocol !== PROTOCOL) return;
    var p = pane();
    if (p && event.source === p.contentWindow && event.origin === paneOrigin()) {
      if (data.type === 'displayDialog') open(data);
      else if (data.type === 'closeDialog') closeByPane();
      return;
    }
    if (!dialogWindow || event.source !== dialogWindow) return;
    if (data.type === 'hello') {
      var state = window.hostEmulator.dialogState();
      state.dialog = true;
      dialogWindow.postMessage({ protocol: PROTOCOL, type: 'init', state: state }, event.origin);
    } else if (data.type === 'dialogMessageParent' && event.origin === paneOrigin()) {
      toPane({ type: 'dialogMessage', message: data.message, origin: event.origin });
    }
  });

  function install() {
    var api = window.hostEmulator;
    api.dialog = function () {
      return opened && dialogWindow && !dialogWindow.closed
        ? { url: opened.url, height: opened.height, width: opened.width }
        : null;
    };
    api.setDialogPolicy = function (next) {
      policy = next;
    };
  }
  if (window.hostEmulator) install();
  else window.addEventListener('DOMContentLoaded', install);
})();
