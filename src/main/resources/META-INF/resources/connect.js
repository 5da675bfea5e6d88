/*
 * Plugboard connect drop-in.
 *
 *   Plugboard.connect({ url, onSuccess, onError, onClose })  // url: the connectUrl your backend received
 *   Plugboard.connect({ token, baseUrl, ... })               // or the token and your Plugboard address
 *
 * Opens the hosted connect page in a popup and resolves with { credentialId, appKey } when the end user
 * has connected an account. Your page's origin must be one of the tenant's allowed origins.
 */
(function (global) {
  'use strict';
  var scriptOrigin = (function () {
    var current = document.currentScript && document.currentScript.src;
    return current ? new URL(current).origin : global.location.origin;
  })();

  function connect(options) {
    options = options || {};
    var url = options.url || ((options.baseUrl || scriptOrigin).replace(/\/+$/, '') + '/connect/' + encodeURIComponent(options.token || ''));
    var plugboardOrigin = new URL(url, global.location.href).origin;
    var width = options.width || 480, height = options.height || 720;
    var left = global.screenX + Math.max(0, (global.outerWidth - width) / 2);
    var top = global.screenY + Math.max(0, (global.outerHeight - height) / 2);
    var popup = global.open(url, 'plugboard-connect',
      'popup=yes,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top);

    return new Promise(function (resolve, reject) {
      if (!popup) {
        var blocked = new Error('The browser blocked the connect popup. Call Plugboard.connect from a click handler.');
        if (options.onError) options.onError(blocked);
        reject(blocked);
        return;
      }
      var done = false;
      function finish() {
        done = true;
        global.removeEventListener('message', onMessage);
        clearInterval(watch);
      }
      function onMessage(event) {
        if (event.origin !== plugboardOrigin || event.source !== popup) return;
        var data = event.data || {};
        if (data.type !== 'plugboard:connected') return;
        finish();
        var result = { credentialId: data.credentialId, appKey: data.appKey };
        if (options.onSuccess) options.onSuccess(result);
        resolve(result);
      }
      var watch = setInterval(function () {
        if (!done && popup.closed) {
          finish();
          if (options.onClose) options.onClose();
          var closed = new Error('The connect window was closed before an account was connected.');
          closed.code = 'closed';
          reject(closed);
        }
      }, 400);
      global.addEventListener('message', onMessage);
    });
  }

  global.Plugboard = Object.assign(global.Plugboard || {}, { connect: connect });
})(window);
