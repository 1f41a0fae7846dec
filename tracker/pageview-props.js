// Optional part of the tracker (script.pageview-props.js), as Plausible's variant: event-<name>="value" attributes on
// the script tag go as props with every event (props passed to the call win).
var beforePageviewProps = extend;
extend = function (props, page) {
  for (var i = 0, attrs = me.attributes; i < attrs.length; i++) {
    var name = attrs[i].name;
    if (!name.indexOf('event-') && !(name.slice(6) in props)) props[name.slice(6)] = attrs[i].value;
  }
  return beforePageviewProps(props, page);
};
