// The spindetect report: draws the overview and, on demand, one document's view from the JSON data block.
// Every document string is untrusted: it reaches the page only as text nodes (textContent, createTextNode)
// and title attributes set through the DOM, never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var docs = data.documents;
  var PAGE_SIZE = 100;
  var LABEL_ORDER = ["copy", "spun", "translated", "rewritten", "original", "unscored", "error"];
  // How evidence kinds are drawn: a CSS class for the mark in the text and a heading for the side list.
  var KINDS = [
    {prefix: "garbled_collocation", cls: "m-garbled", heading: "Garbled collocations"},
    {prefix: "rare_synonym", cls: "m-synonym", heading: "Rare synonyms"},
    {prefix: "lm_both_ways", cls: "m-garbled", heading: "Swaps the rest of the sentence confirms"},
    {prefix: "learned swap", cls: "m-garbled", heading: "Swaps of the spinner learned in training"},
    {prefix: "lm_synonym", cls: "m-garbled", heading: "Words the language model would have replaced"},
    {prefix: "unseen_common_pair", cls: "m-pair", heading: "Word pairs English does not use"},
    {prefix: "machine_translated_sentence", cls: "m-mt", heading: "Most MT-like sentence"},
    {prefix: "llm_style_sentence", cls: "m-llm", heading: "Most LLM-like sentence"},
    {prefix: "boilerplate:", cls: "m-furniture", heading: "Page furniture and farm residue"},
    {prefix: "obfuscation:", cls: "m-obfuscation", heading: "Obfuscation undone before scoring"}
  ];
  var state = {query: "", label: "", flaggedOnly: false, sort: "score", direction: -1, page: 0};

  // ------------------------------------------------------------------ small DOM helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function link(text, docIndex, className) {
    var a = el("a", className, text);
    a.href = "#doc=" + Number(docIndex);
    return a;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function formatScore(score) {
    return typeof score === "number" ? score.toFixed(3) : "–";
  }

  function verdictOf(doc) {
    if (doc.error) return "error";
    if (doc.score === null || doc.score === undefined) return "unscored";
    return doc.flagged ? "flagged" : "not flagged";
  }

  function labelOf(doc) {
    if (doc.error) return "error";
    return doc.label || "unscored";
  }

  function kindOf(kind) {
    for (var i = 0; i < KINDS.length; i++) {
      if (kind.indexOf(KINDS[i].prefix) === 0) return KINDS[i];
    }
    return {prefix: kind, cls: "m-other", heading: "Other evidence"};
  }

  // ------------------------------------------------------------------ overview

  var rows = docs.map(function (doc, index) {
    var verdict = verdictOf(doc);
    return {
      index: index, doc: doc, verdict: verdict, label: labelOf(doc),
      haystack: [doc.id, labelOf(doc), verdict, doc.top || "", doc.note || ""].join(" ").toLowerCase()
    };
  });

  function matching() {
    var query = state.query.toLowerCase();
    var selected = rows.filter(function (row) {
      if (state.label && row.label !== state.label) return false;
      if (state.flaggedOnly && !row.doc.flagged) return false;
      return !query || row.haystack.indexOf(query) !== -1;
    });
    var key = state.sort, direction = state.direction;
    selected.sort(function (a, b) {
      var x, y;
      if (key === "score") {
        x = typeof a.doc.score === "number" ? a.doc.score : -1;
        y = typeof b.doc.score === "number" ? b.doc.score : -1;
      } else if (key === "top") {
        x = a.doc.top || ""; y = b.doc.top || "";
      } else if (key === "id") {
        x = a.doc.id; y = b.doc.id;
      } else {
        x = a[key]; y = b[key];
      }
      if (x < y) return -direction;
      if (x > y) return direction;
      return a.index - b.index;
    });
    return selected;
  }

  function drawCounts() {
    var counts = {};
    rows.forEach(function (row) { counts[row.label] = (counts[row.label] || 0) + 1; });
    var labels = Object.keys(counts).sort(function (a, b) {
      var x = LABEL_ORDER.indexOf(a), y = LABEL_ORDER.indexOf(b);
      return (x < 0 ? 99 : x) - (y < 0 ? 99 : y) || (a < b ? -1 : 1);
    });
    var box = document.getElementById("counts");
    var select = document.getElementById("label-filter");
    clear(box);
    labels.forEach(function (label) {
      var chip = el("button", "chip label-" + label.replace(/[^a-z]/g, ""));
      chip.type = "button";
      chip.dataset.label = label;
      chip.appendChild(el("span", "chip-label", label));
      chip.appendChild(el("span", "chip-count", counts[label]));
      chip.setAttribute("aria-pressed", String(state.label === label));
      chip.addEventListener("click", function () {
        state.label = state.label === label ? "" : label;
        select.value = state.label;
        state.page = 0;
        drawCounts();
        drawTable();
      });
      box.appendChild(chip);
      if (select.options.length <= labels.length) {  // filled on the first draw only
        var option = el("option", null, label);
        option.value = label;
        select.appendChild(option);
      }
    });
    var flagged = rows.filter(function (row) { return row.doc.flagged; }).length;
    document.getElementById("summary").textContent = docs.length + " documents, " + flagged + " flagged" +
      (data.models.length ? " · model " + data.models.join(", ") : "");
  }

  function drawTable() {
    var selected = matching();
    var pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    var body = document.querySelector("#documents tbody");
    var fragment = document.createDocumentFragment();
    selected.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (row) {
      var tr = el("tr", "verdict-" + row.verdict.replace(" ", "-"));
      tr.dataset.index = row.index;
      var idCell = el("td", "doc-id");
      idCell.appendChild(link(row.doc.id, row.index));
      tr.appendChild(idCell);
      tr.appendChild(el("td", "verdict", row.verdict));
      tr.appendChild(el("td", "label label-" + row.label.replace(/[^a-z]/g, ""), row.label));
      tr.appendChild(el("td", "number", formatScore(row.doc.score)));
      tr.appendChild(el("td", "top-reason", row.doc.top));
      fragment.appendChild(tr);
    });
    clear(body);
    body.appendChild(fragment);
    document.getElementById("shown").textContent = selected.length + " of " + docs.length + " shown";
    drawPager(pages);
    document.querySelectorAll("#documents th").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.key === state.sort ?
        (state.direction > 0 ? "ascending" : "descending") : "none");
    });
  }

  function drawPager(pages) {
    var pager = document.getElementById("pager");
    clear(pager);
    if (pages <= 1) return;
    function button(text, page, disabled) {
      var b = el("button", "page", text);
      b.type = "button";
      b.disabled = disabled;
      b.addEventListener("click", function () { state.page = page; drawTable(); });
      pager.appendChild(b);
    }
    button("← previous", state.page - 1, state.page === 0);
    pager.appendChild(el("span", "page-of", "page " + (state.page + 1) + " of " + pages));
    button("next →", state.page + 1, state.page >= pages - 1);
  }

  function drawErrors() {
    var failed = rows.filter(function (row) { return row.doc.error; });
    var section = document.getElementById("errors");
    section.hidden = failed.length === 0;
    var list = document.getElementById("error-list");
    clear(list);
    failed.forEach(function (row) {
      var li = el("li", "error-item");
      li.appendChild(link(row.doc.id, row.index));
      li.appendChild(el("span", "error-type", row.doc.error.type));
      li.appendChild(el("span", "error-message", row.doc.error.message));
      list.appendChild(li);
    });
  }

  function drawStories() {
    var section = document.getElementById("stories");
    section.hidden = !data.clustered;
    var list = document.getElementById("story-list");
    clear(list);
    if (data.clustered && data.stories.length === 0) {
      list.appendChild(el("p", "empty", "No two documents of this batch tell the same story."));
    }
    data.stories.forEach(function (story) {
      var box = el("div", "story");
      box.appendChild(el("h3", null, "Story " + story.key + " · " + story.members.length + " versions"));
      var ol = el("ol", "story-members");
      story.members.forEach(function (member) {
        var li = el("li", "member role-" + (member.role === "original" ? "original" : "derived"));
        li.appendChild(el("span", "relation", member.relation));
        if (member.doc !== null && member.doc !== undefined) {
          li.appendChild(link(member.id, member.doc));
          var doc = docs[member.doc];
          li.appendChild(el("span", "label label-" + labelOf(doc).replace(/[^a-z]/g, ""), labelOf(doc)));
        } else {
          li.appendChild(el("span", null, member.id));
        }
        if (typeof member.similarity === "number") {
          li.appendChild(el("span", "similarity", "similarity " + member.similarity.toFixed(2)));
        }
        ol.appendChild(li);
      });
      box.appendChild(ol);
      list.appendChild(box);
    });
  }

  // ------------------------------------------------------------------ document view

  // Text with marks: `marks` are {start, end, cls, tip, ref}; overlapping marks split the text into
  // segments that carry every covering mark's class. A mark with start == end (a removed invisible
  // character) becomes a visible badge at its place.
  function markedText(text, marks) {
    var box = el("div", "marked-text");
    var cuts = [0, text.length];
    marks.forEach(function (m) { cuts.push(m.start, m.end); });
    cuts = cuts.filter(function (c, i, all) { return all.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var spans = marks.filter(function (m) { return m.end > m.start; });
    var points = marks.filter(function (m) { return m.end === m.start; });
    for (var k = 0; k < cuts.length; k++) {
      var at = cuts[k];
      points.filter(function (m) { return m.start === at; }).forEach(function (m) {
        var badge = el("span", "mark " + m.cls + " point", "⟨" + m.label + "⟩");
        badge.title = m.tip;
        badge.dataset.ref = m.ref;
        box.appendChild(badge);
      });
      if (k + 1 >= cuts.length) break;
      var next = cuts[k + 1];
      var piece = text.slice(at, next);
      var covering = spans.filter(function (m) { return m.start <= at && m.end >= next; });
      if (!covering.length) {
        box.appendChild(document.createTextNode(piece));
        continue;
      }
      var classes = [], tips = [], refs = [];
      covering.forEach(function (m) {
        if (classes.indexOf(m.cls) < 0) classes.push(m.cls);
        if (tips.indexOf(m.tip) < 0) tips.push(m.tip);
        refs.push(m.ref);
      });
      var span = el("span", "mark " + classes.join(" "), piece);
      span.title = tips.join("\n");
      span.dataset.ref = refs.join(" ");
      box.appendChild(span);
    }
    return box;
  }

  function tipOf(item) {
    var kind = item[0], replaced = item[2];
    if (kind === "garbled_collocation") return "garbled collocation; probably replaced “" + replaced + "”";
    if (kind === "rare_synonym") return "rare synonym; probably for “" + replaced + "”";
    if (kind === "lm_synonym") return "the language model expected “" + replaced + "” here";
    if (kind === "lm_both_ways") {
      return "probably replaced “" + replaced + "”: the rest of its sentence reads far likelier with it";
    }
    if (kind === "learned swap") return "a substitute of the spinner learned in training; probably replaced “" +
        replaced + "”";
    if (kind.indexOf("obfuscation:") === 0) return replaced;
    return kind.replace("_", " ").replace(/_/g, " ") + (replaced ? "; for “" + replaced + "”" : "");
  }

  function evidenceMarks(doc) {
    var marks = [];
    doc.evidence.forEach(function (item, ref) {
      if (item[3] < 0) return;
      var kind = kindOf(item[0]);
      marks.push({start: item[3], end: item[4], cls: kind.cls + " k-" + item[0].replace(/[^a-z_]/g, "").replace(/_/g, "-"),
                  tip: tipOf(item), ref: ref, label: (item[2].split(":")[0] || "removed")});
    });
    return marks;
  }

  function drawEvidenceList(doc, container) {
    var groups = {};
    var order = [];
    doc.evidence.forEach(function (item, ref) {
      var kind = kindOf(item[0]);
      if (!groups[kind.heading]) { groups[kind.heading] = []; order.push(kind.heading); }
      groups[kind.heading].push({item: item, ref: ref, cls: kind.cls});
    });
    if (!order.length) {
      container.appendChild(el("p", "empty", "No evidence recorded."));
      return;
    }
    var headings = KINDS.map(function (kind) { return kind.heading; });
    order.sort(function (a, b) {
      var x = headings.indexOf(a), y = headings.indexOf(b);
      return (x < 0 ? 99 : x) - (y < 0 ? 99 : y);
    });
    order.forEach(function (heading) {
      container.appendChild(el("h4", null, heading + " (" + groups[heading].length + ")"));
      var ul = el("ul", "evidence-list");
      groups[heading].forEach(function (entry) {
        var item = entry.item;
        var li = el("li", "evidence " + entry.cls);
        li.dataset.ref = entry.ref;
        var shown = item[0].indexOf("obfuscation:") === 0 ? item[2] : "“" + item[1] + "”";
        li.appendChild(el("span", "evidence-text", shown));
        if (item[2] && item[0].indexOf("obfuscation:") !== 0) {
          li.appendChild(el("span", "replaced", "→ " + item[2]));
        }
        if (item[0].indexOf(":") > 0 && item[0].indexOf("obfuscation:") !== 0) {
          li.appendChild(el("span", "kind", item[0].split(":")[1].replace(/_/g, " ")));
        }
        if (item[3] < 0) li.appendChild(el("span", "placeless", item[0].indexOf("boilerplate:") === 0 ?
          "page line outside the scored text" : "not located in the text"));
        li.addEventListener("click", function () { flash(entry.ref); });
        ul.appendChild(li);
      });
      container.appendChild(ul);
    });
  }

  function flash(ref) {
    var marks = document.querySelectorAll("#doc-text .mark");
    for (var i = 0; i < marks.length; i++) {
      if ((" " + marks[i].dataset.ref + " ").indexOf(" " + ref + " ") >= 0) {
        marks[i].scrollIntoView({block: "center"});
        marks[i].classList.add("flash");
        setTimeout(function (m) { m.classList.remove("flash"); }, 1200, marks[i]);
        return;
      }
    }
  }

  function drawReasons(doc, container) {
    if (!doc.reasons.length) {
      container.appendChild(el("p", "empty", "No reasons (the document was not scored)."));
      return;
    }
    var largest = Math.max.apply(null, doc.reasons.map(function (r) { return Math.abs(r[1]); })) || 1;
    var chart = el("div", "reason-chart");
    doc.reasons.forEach(function (reason) {
      var row = el("div", "reason " + (reason[1] >= 0 ? "for" : "against"));
      row.title = reason[2];
      row.appendChild(el("span", "reason-name", reason[0]));
      var track = el("span", "reason-track");
      var bar = el("span", "reason-bar");
      bar.style.width = (50 * Math.abs(reason[1]) / largest).toFixed(1) + "%";
      track.appendChild(bar);
      row.appendChild(track);
      row.appendChild(el("span", "reason-value", (reason[1] >= 0 ? "+" : "") + reason[1].toFixed(2)));
      chart.appendChild(row);
    });
    container.appendChild(chart);
    container.appendChild(el("p", "hint", "Log-odds each feature adds to the verdict's label against its strongest rival; hover for what it measured."));
  }

  function drawFurniture(doc, container) {
    if (!doc.furniture.length) return;
    container.appendChild(el("h4", null, "Page lines the extractor dropped (" + doc.furniture.length + ")"));
    var ul = el("ul", "furniture-list");
    doc.furniture.forEach(function (line) {
      var li = el("li", line[1] ? "furniture m-furniture" : "furniture");
      if (line[1]) li.appendChild(el("span", "kind", line[1].split(":")[1].replace(/_/g, " ")));
      li.appendChild(el("span", "furniture-text", line[0]));
      ul.appendChild(li);
    });
    container.appendChild(ul);
  }

  function drawSource(doc, container) {
    var source = doc.source;
    var section = el("section", "source");
    section.id = "side-by-side";
    section.appendChild(el("h3", null, "Matched original: " + source.id));
    if (source.relation) {
      // A story match ties the two by names, numbers and sentence order alone: the classifier did not see it.
      var article = /^[aeiou]/.test(source.relation) ? "an " : "a ";
      section.appendChild(el("p", "relation", "This document is " + article + source.relation + " of it" +
        (source.matched_by === "story" ? " (matched by story evidence, not shared wording)" : "") + "."));
    }
    var measures = ["similarity", "coverage", "verbatim_fraction", "substitution_rate"].map(function (key) {
      return key.replace("_", " ") + " " + (typeof source[key] === "number" ? source[key].toFixed(2) : "–");
    });
    section.appendChild(el("p", "measures", measures.join(" · ")));
    if (!source.rows) {
      section.appendChild(el("p", "empty", "The original's text is not in this report (render it from spindetect.report.collect with the source index)."));
      container.appendChild(section);
      return;
    }
    var legend = el("p", "legend");
    [["verbatim", "verbatim"], ["substituted", "substituted word"], ["changed", "reworded"],
     ["deleted", "only in the original"], ["inserted", "only in this document"]].forEach(function (pair) {
      legend.appendChild(el("span", "mark d-" + pair[0], pair[1]));
    });
    section.appendChild(legend);
    var table = el("table", "aligned");
    var head = el("tr");
    ["original", "this document", "similarity"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    source.rows.forEach(function (row) {
      var tr = el("tr", row.similarity === null ? "unaligned" : "aligned-pair");
      [[row.original, row.original_marks], [row.copy, row.copy_marks]].forEach(function (side) {
        var td = el("td", "sentence");
        var marks = side[1].map(function (m) {
          return {start: m[0], end: m[1], cls: "d-" + m[2], ref: "",
                  tip: m[2] + (m[3] ? ": “" + m[3] + "” on the other side" : "")};
        });
        td.appendChild(markedText(side[0], marks));
        tr.appendChild(td);
      });
      tr.appendChild(el("td", "number", typeof row.similarity === "number" ? row.similarity.toFixed(2) : ""));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    section.appendChild(table);
    container.appendChild(section);
  }

  function drawDocument(index) {
    var doc = docs[index];
    var view = document.getElementById("document");
    clear(view);
    var nav = el("nav", "doc-nav");
    var back = el("a", "back", "← all documents");
    back.href = "#";
    nav.appendChild(back);
    if (index > 0) nav.appendChild(link("‹ previous", index - 1, "prev"));
    if (index < docs.length - 1) nav.appendChild(link("next ›", index + 1, "next"));
    view.appendChild(nav);

    var header = el("div", "doc-header");
    header.appendChild(el("h2", "doc-title", doc.id));
    var badges = el("p", "badges");
    badges.appendChild(el("span", "badge verdict-" + verdictOf(doc).replace(" ", "-"), verdictOf(doc)));
    badges.appendChild(el("span", "badge label label-" + labelOf(doc).replace(/[^a-z]/g, ""), labelOf(doc)));
    badges.appendChild(el("span", "badge score", "score " + formatScore(doc.score)));
    if (doc.model) badges.appendChild(el("span", "badge model", doc.model));
    header.appendChild(badges);
    if (doc.input && doc.input !== doc.id) header.appendChild(el("p", "input", "input: " + doc.input));
    if (doc.error) header.appendChild(el("p", "error-box", doc.error.type + ": " + doc.error.message));
    if (doc.note) header.appendChild(el("p", "note", doc.note));
    view.appendChild(header);

    var layout = el("div", "doc-layout");
    var main = el("div", "doc-main");
    var side = el("aside", "doc-side");
    if (typeof doc.text === "string") {
      main.appendChild(el("h3", null, "Scored text"));
      var textBox = markedText(doc.text, evidenceMarks(doc));
      textBox.id = "doc-text";
      main.appendChild(textBox);
    } else if (!doc.error) {
      main.appendChild(el("p", "empty", "The text is not in this report; evidence is listed on the right."));
    }
    if (doc.source) drawSource(doc, main);
    side.appendChild(el("h3", null, "Reasons"));
    drawReasons(doc, side);
    side.appendChild(el("h3", null, "Evidence"));
    drawEvidenceList(doc, side);
    drawFurniture(doc, side);
    layout.appendChild(main);
    layout.appendChild(side);
    view.appendChild(layout);
  }

  // ------------------------------------------------------------------ routing and wiring

  function route() {
    var match = /^#doc=(\d+)$/.exec(location.hash);
    var index = match ? Number(match[1]) : -1;
    var overview = document.getElementById("overview");
    var view = document.getElementById("document");
    if (index >= 0 && index < docs.length) {
      drawDocument(index);
      overview.hidden = true;
      view.hidden = false;
      window.scrollTo(0, 0);
    } else {
      view.hidden = true;
      clear(view);
      overview.hidden = false;
    }
  }

  var filterTimer = null;
  document.getElementById("filter").addEventListener("input", function (event) {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(function () {
      state.query = event.target.value;
      state.page = 0;
      drawTable();
    }, 80);
  });
  document.getElementById("label-filter").addEventListener("change", function (event) {
    state.label = event.target.value;
    state.page = 0;
    drawCounts();
    drawTable();
  });
  document.getElementById("flagged-only").addEventListener("change", function (event) {
    state.flaggedOnly = event.target.checked;
    state.page = 0;
    drawTable();
  });
  document.querySelectorAll("#documents th").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.key;
      state.direction = state.sort === key ? -state.direction : (key === "score" ? -1 : 1);
      state.sort = key;
      drawTable();
    });
  });
  window.addEventListener("hashchange", route);

  drawCounts();
  drawTable();
  drawErrors();
  drawStories();
  route();
  document.body.dataset.ready = "true";
  if (window.performance && performance.mark) performance.mark("report-ready");  // for benchmarks/report_bench.py
})();
