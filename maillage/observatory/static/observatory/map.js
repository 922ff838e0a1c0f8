// Draws the observatory's maps with Leaflet (served by the app, no CDN). Each map is a
// <div data-map="ID"> whose settings are the JSON of <script id="ID">: the URL of its
// outlines (GeoJSON), the classes of a choropleth and the lines of a flow map. The figures
// are also in the table beside the map; the map is drawn when data-drawn="true".
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || "fr", {
    maximumFractionDigits: 1,
  });

  function colour(settings, value) {
    if (value === null || value === undefined) {
      return "#f6f6f6";
    }
    var index = 0;
    while (index < settings.breaks.length && value > settings.breaks[index]) {
      index += 1;
    }
    return settings.palette[index];
  }

  function outlineStyle(settings) {
    return function (feature) {
      var value = (feature.properties || {}).value;
      return {
        color: "#000091",
        weight: 1,
        fillColor: settings.breaks.length ? colour(settings, value) : "#cacafb",
        fillOpacity: settings.breaks.length ? 0.8 : 0.35,
      };
    };
  }

  function label(feature, layer) {
    var properties = feature.properties || {};
    var text = properties.name || "";
    if (properties.value !== null && properties.value !== undefined) {
      text += " : " + numberFormat.format(properties.value);
    }
    layer.bindTooltip(text);
    // A shape with a tooltip would be a tab stop without a name: the map is one stop (its
    // region), and the table or list beside it names every territory. Its element exists once
    // the map has a view (fitBounds), hence on "add".
    layer.on("add", function () {
      var element = layer.getElement && layer.getElement();
      if (element) {
        element.setAttribute("tabindex", "-1");
      }
    });
  }

  function draw(element) {
    var settings = JSON.parse(document.getElementById(element.dataset.map).textContent);
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: Boolean(settings.tiles) });
    if (settings.tiles) {
      L.tileLayer(settings.tiles, { attribution: settings.attribution }).addTo(map);
    }
    var bounds = L.latLngBounds([]);
    var loading = [];
    if (settings.url) {
      loading.push(
        fetch(settings.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) {
              throw new Error(String(response.status));
            }
            return response.json();
          })
          .then(function (data) {
            var layer = L.geoJSON(data, { style: outlineStyle(settings), onEachFeature: label });
            layer.addTo(map);
            if (layer.getLayers().length) {
              bounds.extend(layer.getBounds());
            }
          })
      );
    }
    settings.lines.forEach(function (line) {
      L.polyline([line.from, line.to], { color: "#ce0500", weight: line.weight, opacity: 0.7 })
        .bindTooltip(line.label + " : " + numberFormat.format(line.value))
        .addTo(map);
      L.circleMarker(line.to, { radius: 3, color: "#ce0500", fillOpacity: 1 }).addTo(map);
      bounds.extend(line.from);
      bounds.extend(line.to);
    });
    Promise.all(loading)
      .then(function () {
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [12, 12] });
        } else {
          map.setView([46.6, 2.4], 5);
        }
        element.dataset.drawn = "true";
      })
      .catch(function () {
        map.setView([46.6, 2.4], 5);
        element.dataset.drawn = "error";
        var notice = document.getElementById(element.dataset.map + "-error");
        if (notice) {
          notice.hidden = false;
        }
      });
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
