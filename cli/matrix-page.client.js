// The matrix page's script, inlined into reports/matrix/index.html by cli/matrix-page.ts. It
// draws the page from the JSON embedded beside it (reports/matrix.json's data). Every text that
// came from a loop or a feature goes in through textContent, never as markup.
'use strict';
(function () {
  var data = JSON.parse(document.getElementById('matrix-data').textContent);
  var looks = JSON.parse(document.getElementById('outcome-looks').textContent);

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  /** Only web links: a feature's link never becomes javascript: or anything else. */
  function docLink(href, text) {
    return /^https?:\/\//.test(href || '') ? el('a', { href: href, text: text }) : el('span', { text: text });
  }
  function look(outcome) { return looks[outcome] || { glyph: '?', label: outcome }; }
  /** A class name from an outcome, whatever characters the outcome has. */
  function kind(outcome) { return 'o-' + String(outcome).toLowerCase().replace(/[^a-z0-9]+/g, '-'); }
  function pct(c) { return c.applicable ? Math.floor(100 * c.passed / c.applicable) : 100; }
  var sectionOf = {};
  data.sections.forEach(function (s) { sectionOf[s.folder] = s; });

  function columnHeader(c, cls) {
    return el('th', { scope: 'col', class: cls, title: c.id + (c.loop ? ' (' + c.loop + ')' : '') }, [
      el('span', { class: 'impl', text: c.name + ' ' + c.version }),
      el('span', { class: 'py', text: 'Python ' + c.python }),
      el('span', { class: 'id', text: c.id + (c.partial ? ' (partial run)' : '') }),
      c.selection ? el('span', { class: 'selection', text: 'partial: ' + c.selection }) : null,
    ]);
  }
  /** How many behaviours a column ran. */
  function ran(column) { return Object.keys(column.counts).reduce(function (n, o) { return n + column.counts[o]; }, 0); }

  // The conformance summary: passed of applicable, for every implementation, overall and by section.
  function summaryTable() {
    var head = el('tr', {}, [el('th', { scope: 'col', text: 'section' })].concat(data.columns.map(function (c) { return columnHeader(c, 'col'); })));
    // A section the column ran nothing of is "not run" (its run did not select it), never "n/a"
    // (everything skipped); a column of part of features/ says its total is of that part only.
    function scoreCell(c, column, folder) {
      if (folder && column.sectionsNotRun.indexOf(folder) !== -1) {
        return el('td', { class: 'score not-run', title: column.id + ' ran nothing of this section' }, [el('span', { text: 'not run' })]);
      }
      var text = c.applicable ? c.passed + ' of ' + c.applicable : 'n/a';
      var bar = el('span', { class: 'bar' }, [el('span', { style: 'width:' + pct(c) + '%' })]);
      var title = c.applicable ? pct(c) + '% of the applicable behaviours passed' : 'every behaviour was skipped';
      var scope = null;
      if (!folder && column.selection) {
        title += ', of its selection only (' + column.selection + '), not of the whole spec';
        scope = el('span', { class: 'scope', text: 'selection only' + (data.catalogued ? ': ' + ran(column) + ' of ' + data.catalogued + ' behaviours' : '') });
      }
      return el('td', { class: 'score', title: title }, [el('span', { text: text }), bar, scope]);
    }
    var rows = [el('tr', { class: 'total' }, [el('th', { scope: 'row', text: 'all behaviours' })].concat(data.columns.map(function (c) { return scoreCell(c.conformance, c); })))];
    data.sections.forEach(function (s, i) {
      rows.push(el('tr', {}, [el('th', { scope: 'row' }, [docLink(s.link, s.heading)])].concat(data.columns.map(function (c) { return scoreCell(c.bySection[i], c, s.folder); }))));
    });
    return el('table', { id: 'summary' }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  function cell(c, column) {
    if (!c) return el('td', { class: 'cell o-not-run', 'data-outcome': 'not run', title: 'not run' }, [el('span', { class: 'sr', text: 'not run' })]);
    var l = look(c.outcome);
    var mark = [el('span', { class: 'g', 'aria-hidden': 'true', text: l.glyph }), el('span', { class: 'sr', text: l.label })];
    var td = el('td', { class: 'cell ' + kind(c.outcome), 'data-outcome': c.outcome, 'data-col': column.id, title: l.label + (c.reason ? ': ' + c.reason : '') });
    if (!c.error && !c.reason) {
      mark.forEach(function (m) { td.appendChild(m); });
      return td;
    }
    var detail = el('div', { class: 'detail' }, [el('strong', { text: column.name + ' ' + column.version + ' (Python ' + column.python + '): ' + l.label })]);
    if (c.reason) detail.appendChild(el('p', { class: 'reason', text: (c.outcome === 'skipped' ? 'skipped: ' : 'expected to fail: ') + c.reason }));
    if (c.error) detail.appendChild(el('pre', { class: 'error', text: c.error }));
    td.appendChild(el('details', {}, [el('summary', {}, mark), detail]));
    return td;
  }

  // The matrix: sections in the doc's order, each Rule's quoted sentence, then its examples.
  function matrixTable() {
    var width = data.columns.length + 1;
    var head = el('tr', {}, [el('th', { scope: 'col', text: 'behaviour' })].concat(data.columns.map(function (c) { return columnHeader(c, 'col adapter'); })));
    var body = el('tbody');
    var section = null;
    var group = null;
    data.rows.forEach(function (r) {
      if (r.section !== section) {
        section = r.section;
        group = null;
        var s = sectionOf[section];
        body.appendChild(el('tr', { class: 'section-row', 'data-section': section }, [el('th', { colspan: width, scope: 'rowgroup' }, [docLink(s.link, s.heading)])]));
      }
      var g = r.uri + ':' + (r.ruleLine || r.feature);
      if (g !== group) {
        group = g;
        var what = el('td', { colspan: width }, [el('span', { class: 'feature', text: r.feature })]);
        if (r.sentence) what.appendChild(el('q', { text: r.sentence }));
        what.appendChild(document.createTextNode(' '));
        what.appendChild(docLink(r.link, 'doc'));
        body.appendChild(el('tr', { class: 'rule-row', 'data-section': section, 'data-group': g }, [what]));
      }
      var outcomes = r.cells.map(function (c) { return c ? c.outcome : 'not run'; });
      var tr = el('tr', { class: 'behaviour', 'data-section': section, 'data-group': g, 'data-outcomes': JSON.stringify(outcomes), 'data-differs': String(r.differs) },
        [el('th', { scope: 'row', title: r.id + ' (' + r.uri + ':' + r.line + ')', text: r.name })]);
      r.cells.forEach(function (c, i) { tr.appendChild(cell(c, data.columns[i])); });
      body.appendChild(tr);
    });
    return el('table', { id: 'matrix' }, [el('thead', {}, [head]), body]);
  }

  function filters() {
    var section = el('select', { id: 'filter-section' }, [el('option', { value: '', text: 'every section' })].concat(data.sections.map(function (s) { return el('option', { value: s.folder, text: s.heading }); })));
    var seen = {};
    data.rows.forEach(function (r) { r.cells.forEach(function (c) { seen[c ? c.outcome : 'not run'] = true; }); });
    var order = Object.keys(looks).concat(Object.keys(seen).filter(function (o) { return !looks[o]; }).sort());
    var status = el('select', { id: 'filter-status' }, [el('option', { value: '', text: 'any status' })].concat(order.filter(function (o) { return seen[o]; }).map(function (o) {
      return el('option', { value: o, text: 'with a cell: ' + (o === 'not run' ? 'not run' : look(o).label) });
    })));
    var differ = el('input', { type: 'checkbox', id: 'filter-differ' });
    var shown = el('output', { id: 'shown' });
    function apply() {
      var visible = {};
      var count = 0;
      var total = 0;
      document.querySelectorAll('#matrix tr.behaviour').forEach(function (tr) {
        total++;
        var show = (!section.value || tr.dataset.section === section.value)
          && (!status.value || JSON.parse(tr.dataset.outcomes).indexOf(status.value) !== -1)
          && (!differ.checked || tr.dataset.differs === 'true');
        tr.hidden = !show;
        if (show) { count++; visible[tr.dataset.section] = true; visible[tr.dataset.group] = true; }
      });
      document.querySelectorAll('#matrix tr.section-row').forEach(function (tr) { tr.hidden = !visible[tr.dataset.section]; });
      document.querySelectorAll('#matrix tr.rule-row').forEach(function (tr) { tr.hidden = !visible[tr.dataset.group]; });
      shown.textContent = count + ' of ' + total + ' behaviours shown';
    }
    [section, status, differ].forEach(function (c) { c.addEventListener('change', apply); });
    return { node: el('form', { id: 'filters' }, [
      el('label', {}, [document.createTextNode('section '), section]),
      el('label', {}, [document.createTextNode('status '), status]),
      el('label', {}, [differ, document.createTextNode(' only where implementations differ')]),
      shown,
    ]), apply: apply };
  }

  function legend() {
    return el('ul', { id: 'legend' }, Object.keys(looks).map(function (o) {
      return el('li', {}, [el('span', { class: 'cell-key ' + kind(o), 'aria-hidden': 'true', text: looks[o].glyph }), document.createTextNode(' ' + looks[o].label)]);
    }).concat([el('li', {}, [el('span', { class: 'cell-key o-not-run', 'aria-hidden': 'true', text: '\u00a0' }), document.createTextNode(' not run')])]));
  }

  var root = document.getElementById('app');
  root.textContent = '';
  root.appendChild(el('p', { text: data.columns.length + ' implementations, ' + data.rows.length + ' behaviours; generated ' + data.generated + '. Open a cell to read its error or reason.' }));
  var partial = data.columns.filter(function (c) { return c.selection; });
  if (partial.length) {
    root.appendChild(el('p', { class: 'partial-note', text: partial.length + ' of the ' + data.columns.length + ' columns ran part of features/ only (' +
      partial.map(function (c) { return c.id + ': ' + c.selection; }).join('; ') + '): their figures are of what they selected, not of the whole spec.' }));
  }
  root.appendChild(legend());
  root.appendChild(el('h2', { text: 'Conformance: passed of applicable (skipped is not applicable)' }));
  root.appendChild(summaryTable());
  root.appendChild(el('h2', { text: 'Behaviours' }));
  var f = filters();
  root.appendChild(f.node);
  root.appendChild(matrixTable());
  f.apply();
})();
