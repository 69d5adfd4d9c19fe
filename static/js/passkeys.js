// Passkeys page: once django-otp-webauthn's script has registered a passkey, post the name
// typed beside the button (or just reload the list when none was typed).
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var form = document.getElementById("passkey-name-form");
    var id = event.detail && event.detail.id;
    if (!form || !id) { window.location.reload(); return; }
    var name = form.querySelector("input[name='name']");
    if (!name || !name.value.trim()) { window.location.reload(); return; }
    form.action = form.dataset.nameUrl.replace("/0/", "/" + encodeURIComponent(id) + "/");
    form.submit();
  });
})();
