// The threshold what-if: the slider and the field always say the same number, written as
// the page writes numbers (the form's data-decimal); moving either asks the server for the
// figures again, once the hand has paused. Without JavaScript the field and its button work.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.threshold-form");
  if (!form) return;
  const field = form.querySelector("input[name=threshold]");
  const slider = form.querySelector("input[type=range]");
  const decimal = form.dataset.decimal || ".";
  let pause;
  const ask = () => {
    clearTimeout(pause);
    pause = setTimeout(() => form.requestSubmit(), 250);
  };
  slider.addEventListener("input", () => {
    field.value = slider.value.replace(".", decimal);
    ask();
  });
  field.addEventListener("input", () => {
    const value = parseFloat(field.value.replace(/\s/g, "").replace(decimal, "."));
    if (!Number.isNaN(value)) slider.value = String(value);
  });
});
