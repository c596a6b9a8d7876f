// presale's only script of its own: tell the server the browser's time
// zone at sign-in, so times show in local time until the user picks one.
document.addEventListener("DOMContentLoaded", function () {
  var tz = document.querySelector('input[name="time_zone"][data-browser-tz]');
  if (tz && window.Intl) {
    tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
});
