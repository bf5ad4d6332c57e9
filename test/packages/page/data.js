// Twelve sites of ten patients, a site effect and a slope: the same rows in Node and in the page.
export function simulatedSites(rng) {
  const y = [], x = [], site = [];
  for (let s = 0; s < 12; s++) {
    const effect = 2 * rng.normal();
    for (let i = 0; i < 10; i++) {
      site.push(`S${s}`);
      x.push(i);
      y.push(10 + 0.5 * i + effect + rng.normal());
    }
  }
  return { y, x, site };
}
