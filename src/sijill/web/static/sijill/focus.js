// After a refused post the page opens on its error summary: the focus moves there, so a
// screen reader reads the problems first and the keyboard starts from their links. A
// listener in a file, not an inline script: the Content-Security-Policy runs none.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-focus-first]");
  if (summary instanceof HTMLElement) {
    summary.focus();
  }
});
