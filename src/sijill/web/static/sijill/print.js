// Buttons marked data-print print the page. A listener here, not an onclick attribute:
// the Content-Security-Policy runs no inline script (docs/web-dashboards.md).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
