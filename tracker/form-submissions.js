// Optional part of the tracker (script.form-submissions.js), as Plausible's "Form submissions" measurement: every
// valid form submitted sends "Form: Submission", unless the form is tagged (see tagged-events.js).
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if ((form.hasAttribute('novalidate') || form.checkValidity()) && !/(^| )plausible-event-name(=|--)/.test(form.className)) {
      window.plausible('Form: Submission');
    }
  }, true);
})();
