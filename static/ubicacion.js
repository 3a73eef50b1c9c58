// "Use my location" on /reportes/nuevo (issue 4, item 4): a progressive enhancement. Without
// this script the form asks for alcaldía + street or typed coordinates and works the same; with
// it, a button fills lat/lon from navigator.geolocation. Loaded deferred from our own origin
// (CSP script-src 'self'; Permissions-Policy geolocation=(self)); its texts come from the page
// (data-* attributes written from the catalog), so it holds no language of its own.
(function () {
  'use strict';
  var box = document.getElementById('ubicacion');
  var lat = document.getElementById('lat');
  var lon = document.getElementById('lon');
  var status = document.getElementById('ubicacion-estado');
  if (!box || !lat || !lon || !status || !('geolocation' in navigator)) return;
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = box.getAttribute('data-label');
  button.addEventListener('click', function () {
    button.disabled = true;
    status.textContent = box.getAttribute('data-wait');
    navigator.geolocation.getCurrentPosition(function (pos) {
      // Six decimals: about 10 cm, more than any phone knows; the server checks the range.
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      status.textContent = box.getAttribute('data-done');
      button.disabled = false;
    }, function () {
      status.textContent = box.getAttribute('data-error');
      button.disabled = false;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
  box.insertBefore(button, status);
  box.hidden = false;
})();
