// Optional part of the tracker (script.exclusions.js), as Plausible's variant: data-exclude="/admin, /blog/*, /docs/**"
// skips events on matching pages, data-include="…" skips all others. "*" matches within one path segment, "**" any depth.
var patterns = function (list) {
  return list && list.split(',').map(function (p) {
    return new RegExp('^' + p.trim().replace(/\*\*/g, '.*').replace(/([^.])\*/g, '$1[^/]*') + '/?$');
  });
};
var matches = function (list, page) {
  return list.some(function (p) { return p.test(page); });
};
var exclude = patterns(attr('exclude')), include = patterns(attr('include')), beforeExclusions = extend;
extend = function (props, page) {
  return (include && !matches(include, page)) || (exclude && matches(exclude, page)) || beforeExclusions(props, page);
};
