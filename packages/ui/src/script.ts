/**
 * `/assets/ui.js`: progressive enhancement only; every page works without it in current
 * browsers. It (1) adds Invoker Commands (`<button commandfor command="show-modal">`, which opens
 * the confirmation dialogs natively since Chromium 135, Firefox 144 and Safari 26.2) and
 * `<dialog closedby="any">` to older browsers, and (2) disables a form's submit buttons once it is
 * submitted, so a double click does not post twice.
 */
export const uiJs = `// aTES UI: progressive enhancement; the pages work without it.
/* global document, window, Element, HTMLButtonElement, HTMLDialogElement, HTMLFormElement */
(() => {
  'use strict';
  if (!('command' in HTMLButtonElement.prototype)) {
    document.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[commandfor]') : null;
      if (!button) return;
      const target = document.getElementById(button.getAttribute('commandfor') || '');
      if (!(target instanceof HTMLDialogElement)) return;
      const command = button.getAttribute('command');
      if (command === 'show-modal' && !target.open) target.showModal();
      else if (command === 'close' && target.open) target.close();
    });
  }
  if (!('closedBy' in HTMLDialogElement.prototype)) {
    document.addEventListener('click', (event) => {
      const dialog = event.target;
      if (!(dialog instanceof HTMLDialogElement) || !dialog.open || dialog.getAttribute('closedby') !== 'any') return;
      const r = dialog.getBoundingClientRect();
      if (event.clientX < r.left || event.clientX > r.right || event.clientY < r.top || event.clientY > r.bottom) dialog.close();
    });
  }
  document.addEventListener('submit', (event) => {
    const form = event.target;
    const submitter = event.submitter;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((submitter && submitter.getAttribute('formmethod') === 'dialog') || form.method === 'dialog') return;
    // After this task, so the submitter's name and value are still sent.
    setTimeout(() => {
      for (const b of form.querySelectorAll('button:not([type=button]), input[type=submit]')) {
        b.disabled = true;
        b.setAttribute('data-ui-busy', '');
      }
      if (submitter) submitter.setAttribute('aria-busy', 'true');
    }, 0);
  });
  // Coming back through the history cache: buttons disabled above work again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    for (const b of document.querySelectorAll('[data-ui-busy]')) {
      b.disabled = false;
      b.removeAttribute('data-ui-busy');
      b.removeAttribute('aria-busy');
    }
  });
})();
`;
