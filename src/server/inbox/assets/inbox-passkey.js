// Airlock inbox: passkeys. A form with `data-passkey-options` (a vote, or adding a passkey) first
// fetches WebAuthn options from that URL for exactly this form, lets the browser ask the
// authenticator, puts the answer in the form's hidden field and only then sends the form.
// The server checks the answer; this script only carries it. Messages are set as text.
'use strict';

(function () {
  var forms = document.querySelectorAll('form[data-passkey-options]');
  if (forms.length === 0) return;
  var webauthn = window.SimpleWebAuthnBrowser;

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (form.getAttribute('data-busy') === 'yes') return;
      if (!webauthn || !webauthn.browserSupportsWebAuthn()) return say(form, 'This browser cannot use passkeys.');
      form.setAttribute('data-busy', 'yes');
      sign(form).then(
        function () {
          // submit() sends the form without firing this handler again.
          form.submit();
        },
        function (error) {
          form.removeAttribute('data-busy');
          say(form, error && error.shown ? error.message : 'The passkey check did not complete. Try again.');
        },
      );
    });
  });

  function sign(form) {
    var enrol = form.querySelector('input[name="attestation"]');
    var field = enrol || form.querySelector('input[name="assertion"]');
    var body = new URLSearchParams();
    body.set('csrf', form.querySelector('input[name="csrf"]').value);
    var totp = form.querySelector('input[name="totp"]');
    if (totp) body.set('totp', totp.value);
    say(form, enrol ? 'Checking the code…' : 'Confirm with your passkey…');
    return fetch(form.getAttribute('data-passkey-options'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw shown(typeof json.error === 'string' ? json.error : 'Refused.');
          return json.options;
        });
      })
      .then(function (options) {
        say(form, enrol ? 'Follow your browser to create the passkey…' : 'Confirm with your passkey…');
        return enrol ? webauthn.startRegistration({ optionsJSON: options }) : webauthn.startAuthentication({ optionsJSON: options });
      })
      .then(function (answer) {
        field.value = JSON.stringify(answer);
        say(form, 'Sending…');
      });
  }

  function shown(message) {
    var error = new Error(message);
    error.shown = true;
    return error;
  }

  function say(form, message) {
    var status = form.querySelector('.passkey-status');
    if (status) status.textContent = message;
  }
})();
