/* docgen's search-and-ask widget.
 *
 * It shows itself only where `docgen serve` answers at the site's root (GET api/status); on a
 * static host the probe fails and nothing is added, so the theme's own search is all there is.
 * Everything the API returns is shown as text (textContent), never parsed as HTML, and a
 * link is made only to a page of this same site.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__docgenAsk) return;
  window.__docgenAsk = true;
  // The script lives at <site root>/assets/docgen/ask.js: the API is beside the site.
  var root = new URL("../../", script.src);

  function api(path) {
    return new URL("api/" + path, root).href;
  }

  // A URL from the API as a link into this site, or null (another origin, another scheme).
  function siteLink(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      var target = new URL(url, root);
    } catch (error) {
      return null;
    }
    if (target.origin !== root.origin || !target.pathname.startsWith(root.pathname)) return null;
    return target.href;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(url, text) {
    var href = siteLink(url);
    if (!href) return element("span", "", text);
    var anchor = element("a", "", text);
    anchor.href = href;
    return anchor;
  }

  function build(status) {
    var button = element("button", "docgen-ask__open md-header__button", status.ask ? "Ask" : "Find");
    button.type = "button";
    button.title = status.ask ? "Search and ask the documentation" : "Search the documentation";
    button.setAttribute("aria-haspopup", "dialog");

    var dialog = element("dialog", "docgen-ask");
    dialog.setAttribute("aria-label", button.title);
    var form = element("form", "docgen-ask__form");
    var input = element("input", "docgen-ask__input");
    input.type = "search";
    input.name = "q";
    input.maxLength = status.max_query || 500;
    input.autocomplete = "off";
    input.placeholder = status.ask ? "Search, or ask a question and press Enter" : "Search the documentation";
    input.setAttribute("aria-label", input.placeholder);
    var close = element("button", "docgen-ask__close", "Close");
    close.type = "button";
    form.appendChild(input);
    if (status.ask) {
      var submit = element("button", "docgen-ask__submit", "Ask");
      submit.type = "submit";
      form.appendChild(submit);
    }
    form.appendChild(close);
    var answer = element("div", "docgen-ask__answer");
    answer.setAttribute("aria-live", "polite");
    var results = element("ol", "docgen-ask__results");
    dialog.appendChild(form);
    dialog.appendChild(answer);
    dialog.appendChild(results);

    var searchTimer = null;
    var searchSeen = 0;
    var asking = null;

    function showResults(hits) {
      results.replaceChildren();
      hits.forEach(function (hit) {
        var item = element("li", "docgen-ask__result");
        var title = link(hit.url, hit.title || hit.symbol || hit.url);
        title.className = "docgen-ask__title";
        item.appendChild(title);
        if (hit.snippet) item.appendChild(element("p", "docgen-ask__snippet", hit.snippet));
        if (hit.file) item.appendChild(element("p", "docgen-ask__where", hit.file + (hit.line ? ":" + hit.line : "")));
        results.appendChild(item);
      });
      if (!hits.length) results.appendChild(element("li", "docgen-ask__empty", "Nothing found."));
    }

    function search(query) {
      var seen = ++searchSeen;
      fetch(api("search?limit=8&q=" + encodeURIComponent(query)))
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body && body.error ? body.error : "search failed");
            return body;
          });
        })
        .then(function (hits) {
          if (seen === searchSeen) showResults(Array.isArray(hits) ? hits : []);
        })
        .catch(function (error) {
          if (seen === searchSeen) showProblem(error.message);
        });
    }

    function showProblem(message) {
      answer.replaceChildren(element("p", "docgen-ask__error", String(message)));
    }

    // The final answer: its text, with each [n] a link to the n-th citation's page.
    function showAnswer(result) {
      answer.replaceChildren();
      var text = element("p", result.abstained ? "docgen-ask__text docgen-ask__text--abstained" : "docgen-ask__text");
      var cited = {};
      (result.citations || []).forEach(function (citation) {
        cited[String(citation.number)] = citation;
      });
      String(result.answer || "").split(/(\[\d+\])/).forEach(function (part) {
        var number = /^\[(\d+)\]$/.exec(part);
        var citation = number && cited[number[1]];
        text.appendChild(citation ? link(citation.url, part) : document.createTextNode(part));
      });
      answer.appendChild(text);
      var sources = result.citations || [];
      if (sources.length) {
        var list = element("ol", "docgen-ask__citations");
        sources.forEach(function (citation) {
          var item = element("li");
          item.value = citation.number;
          item.appendChild(link(citation.url, citation.title || citation.symbol || citation.url));
          list.appendChild(item);
        });
        answer.appendChild(list);
      }
    }

    // Reads the server-sent events of POST api/ask: `text` while the answer is written,
    // then `answer` (or `error`).
    function ask(question) {
      if (asking) asking.abort();
      asking = new AbortController();
      var live = element("p", "docgen-ask__text docgen-ask__text--writing");
      answer.replaceChildren(live);
      fetch(api("ask"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: question }),
        signal: asking.signal,
      })
        .then(function (response) {
          if (!response.ok) {
            return response.json().then(
              function (body) { showProblem(body && body.error ? body.error : "the question was refused"); },
              function () { showProblem("the question was refused (" + response.status + ")"); }
            );
          }
          var reader = response.body.getReader();
          var decoder = new TextDecoder();
          var pending = "";
          function onEvent(block) {
            var kind = "message";
            var data = "";
            block.split("\n").forEach(function (line) {
              if (line.startsWith("event: ")) kind = line.slice(7);
              else if (line.startsWith("data: ")) data += line.slice(6);
            });
            var value = JSON.parse(data);
            if (kind === "text") live.textContent += value;
            else if (kind === "answer") showAnswer(value);
            else if (kind === "error") showProblem(value.error);
          }
          function pump() {
            return reader.read().then(function (chunk) {
              if (chunk.done) return;
              pending += decoder.decode(chunk.value, { stream: true });
              var blocks = pending.split("\n\n");
              pending = blocks.pop();
              blocks.forEach(function (block) {
                if (block.trim()) onEvent(block);
              });
              return pump();
            });
          }
          return pump();
        })
        .catch(function (error) {
          if (error.name !== "AbortError") showProblem(error.message);
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(searchTimer);
      var query = input.value.trim();
      if (!query) {
        results.replaceChildren();
        return;
      }
      searchTimer = setTimeout(function () { search(query); }, 150);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = input.value.trim();
      if (question && status.ask) ask(question);
      else if (question) search(question);
    });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      if (asking) asking.abort();
    });
    button.addEventListener("click", function () {
      dialog.showModal();
      input.focus();
    });

    // In Material's header, before its own search; elsewhere, floating. Material's instant
    // navigation swaps the page without reloading this script: place it again after each.
    function place() {
      if (button.isConnected) return;
      var header = document.querySelector(".md-header__inner");
      button.classList.toggle("docgen-ask__open--floating", !header);
      if (header) header.insertBefore(button, header.querySelector(".md-search"));
      else document.body.appendChild(button);
      if (!dialog.isConnected) document.body.appendChild(dialog);
    }
    place();
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(place);
  }

  function probe() {
    fetch(api("status"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (!response.ok || type.indexOf("application/json") < 0) return null;
        return response.json();
      })
      .then(function (status) {
        if (status && status.docgen) build(status);
      })
      .catch(function () {}); // a static host: no widget
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", probe);
  else probe();
})();
