// Optional part of the tracker (script.tagged-events.js), as Plausible's variant: an element with the CSS classes
// plausible-event-name=Signup plausible-event-plan=pro (or "--" for "=", "+" for a space) sends "Signup" with the prop
// plan=pro when clicked (a form: when submitted); plausible-revenue-amount=… and plausible-revenue-currency=… add revenue.
(function () {
  'use strict';

  function tagOf(element) {
    // The clicked element may sit inside the tagged one (an icon in a button): look a few levels up.
    for (var depth = 0; element && element.classList && depth < 4; depth++, element = element.parentNode) {
      var tag = { props: {}, revenue: {} }, classes = element.classList;
      for (var i = 0; i < classes.length; i++) {
        var match = classes[i].match(/^plausible-(event|revenue)-(.+?)(=|--)(.+)$/);
        if (!match) continue;
        var value = match[4].replace(/\+/g, ' ');
        if (match[1] === 'revenue') tag.revenue[match[2]] = value;
        else if (match[2].toLowerCase() === 'name') tag.name = value;
        else tag.props[match[2]] = value;
      }
      if (tag.name) return { element: element, name: tag.name, options: { props: tag.props, revenue: tag.revenue.currency && tag.revenue } };
    }
  }

  function onEvent(event) {
    var tag = tagOf(event.target);
    // A tagged form counts on submit, not on every click inside it.
    if (tag && (tag.element.tagName === 'FORM') === (event.type === 'submit')) window.plausible(tag.name, tag.options);
  }

  document.addEventListener('click', onEvent);
  document.addEventListener('auxclick', function (event) { if (event.button === 1) onEvent(event); });
  document.addEventListener('submit', onEvent);
})();
