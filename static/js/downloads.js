/* Downloads with progress: a link marked data-download is fetched in the page, its
   streamed body counted as it arrives (rows for CSV, bytes otherwise), then saved.
   Without JavaScript the link still downloads the file directly. */
(function () {
  "use strict";

  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : fallback;
  }

  function countLines(chunk) {
    var n = 0;
    for (var i = 0; i < chunk.length; i++) {
      if (chunk[i] === 10) { n++; }
    }
    return n;
  }

  function errorText(response) {
    return response.text().then(function (body) {
      try {
        var data = JSON.parse(body);
        return data.detail || data.message || JSON.stringify(data);
      } catch (e) {
        return "The server answered " + response.status + ".";
      }
    });
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function download(link) {
    var group = link.closest("[data-download-group]") || link.parentNode;
    var status = group.querySelector(".tf-download-status");
    var bar = group.querySelector(".tf-download-progress");
    var text = group.querySelector(".tf-download-text");
    var total = parseInt(link.getAttribute("data-download-total") || "", 10);
    var isCsv = link.getAttribute("data-download-format") === "csv";
    var buttons = group.querySelectorAll("[data-download]");

    function show(message, value) {
      status.hidden = false;
      text.textContent = message;
      if (value === null) { bar.removeAttribute("value"); } else { bar.value = value; }
    }

    buttons.forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    show("Preparing the download…", null);
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        return errorText(response).then(function (message) { throw new Error(message); });
      }
      var name = fileName(response, "download");
      var size = parseInt(response.headers.get("Content-Length") || "", 10);
      if (!response.body || !response.body.getReader) {
        return response.blob().then(function (blob) { return [blob, name]; });
      }
      var reader = response.body.getReader();
      var parts = [];
      var bytes = 0;
      var rows = -1;  // the header line is not a record
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) {
            return [new Blob(parts, { type: response.headers.get("Content-Type") || "" }), name];
          }
          parts.push(step.value);
          bytes += step.value.length;
          if (isCsv) {
            rows += countLines(step.value);
            var done = Math.max(rows, 0);
            show(done.toLocaleString() + (total >= 0 ? " of " + total.toLocaleString() : "") + " records received…",
                 total > 0 ? Math.min(100, Math.round(100 * done / total)) : null);
          } else {
            show(Math.round(bytes / 1024).toLocaleString() + " KB received…",
                 size > 0 ? Math.min(100, Math.round(100 * bytes / size)) : null);
          }
          return pump();
        });
      }
      return pump();
    }).then(function (result) {
      save(result[0], result[1]);
      show("Downloaded " + result[1] + ".", 100);
    }).catch(function (error) {
      show("The download failed: " + error.message + " Nothing was saved; try again.", 0);
    }).then(function () {
      buttons.forEach(function (b) { b.removeAttribute("aria-disabled"); });
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download]");
    if (!link || !window.fetch || !window.Blob || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") {
      return;
    }
    download(link);
  });
})();
