/**
 * The page's only script (plain JS, no framework, no network): filters the stream rows by free text and by
 * compliance, and sorts them by any column (click a header; again to reverse). Numbers sort numerically
 * (`data-sort` holds the value), empty cells last.
 */
export const REPORT_PAGE_SCRIPT = `
(function () {
  var table = document.getElementById('streams');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById('filter');
  var compliance = document.getElementById('compliance-filter');
  var shown = document.getElementById('shown');
  var sortColumn = -1;
  var ascending = true;
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var wanted = compliance.value;
    var count = 0;
    rows.forEach(function (row) {
      var visible = (wanted === '' || row.getAttribute('data-compliance') === wanted) &&
        (needle === '' || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = count + ' of ' + rows.length + ' streams';
  }
  function valueOf(row, column) {
    var cell = row.cells[column];
    var sort = cell.getAttribute('data-sort');
    return sort !== null ? sort : cell.textContent.trim();
  }
  function compare(a, b) {
    if (a === b) return 0;
    if (a === '') return 1;
    if (b === '') return -1;
    var x = Number(a), y = Number(b);
    var result = !isNaN(x) && !isNaN(y) ? x - y : a.localeCompare(b);
    return ascending ? result : -result;
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
    header.addEventListener('click', function () {
      ascending = sortColumn === column ? !ascending : true;
      sortColumn = column;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var ea = valueOf(a, column) === '', eb = valueOf(b, column) === '';
        if (ea !== eb) return ea ? 1 : -1;
        return compare(valueOf(a, column), valueOf(b, column));
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  text.addEventListener('input', apply);
  compliance.addEventListener('change', apply);
  apply();
})();
`;
