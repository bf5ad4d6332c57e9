/**
 * R's `abbreviate(names, minlength)` (method "left.kept", the C routine `stripchars`): drop trailing
 * spaces, then lower-case vowels at word ends, then other lower-case vowels, then lower-case
 * letters at word ends, then any lower-case letter, then any character but a word's first, from the
 * right, until the name is short enough; names that collide are abbreviated again, one character
 * longer. lme4 labels the correlation table of the fixed effects with it.
 *
 * @example
 * ```ts
 * abbreviate(["(Intercept)", "poly(t, 2)1", "scale(age)"], 6); // ["(Intr)", "pl(,2)1", "scl(g)"]
 * ```
 */
export function abbreviate(names: readonly string[], minlength: number): string[] {
  const out = names.map((n) => strip(n, minlength));
  let length = minlength;
  let dup = duplicated(out);
  while (dup.some(Boolean)) {
    length++;
    const clash = new Set(out.filter((_, i) => dup[i]));
    names.forEach((n, i) => {
      if (dup[i] || clash.has(out[i])) out[i] = strip(n, length);
    });
    dup = duplicated(out);
    if (length > 1000) break;
  }
  return out;
}

function duplicated(xs: string[]): boolean[] {
  const seen = new Set<string>();
  return xs.map((x) => (seen.has(x) ? true : (seen.add(x), false)));
}

const space = (c: string | undefined) => c === " " || c === "\t" || c === "\n";
const vowel = (c: string) => "aeiou".includes(c);
const lower = (c: string) => c >= "a" && c <= "z";

function strip(name: string, minlength: number): string {
  let s = name.replace(/^\s+/, "");
  if (s.length < minlength) return s;
  let spaces = 0;
  // Trailing spaces go; inner ones are counted (they are word boundaries, removed at the end).
  for (let i = s.length - 1, trailing = true; i > 0; i--) {
    if (space(s[i])) {
      if (trailing) s = s.slice(0, i);
      else spaces++;
    } else trailing = false;
    if (s.length - spaces <= minlength) return done(s, minlength);
  }
  const first = (t: string, i: number) => space(t[i - 1]);
  const last = (t: string, i: number) => !space(t[i - 1]) && (i + 1 >= t.length || space(t[i + 1]));
  const passes: ((t: string, i: number) => boolean)[] = [
    (t, i) => vowel(t[i]) && last(t, i),
    (t, i) => vowel(t[i]) && !first(t, i),
    (t, i) => lower(t[i]) && last(t, i),
    (t, i) => lower(t[i]) && !first(t, i),
    (t, i) => !first(t, i) && !space(t[i]),
  ];
  for (const drop of passes) {
    for (let i = s.length - 1; i > 0; i--) {
      if (i < s.length && drop(s, i)) s = s.slice(0, i) + s.slice(i + 1);
      if (s.length - spaces <= minlength) return done(s, minlength);
    }
  }
  return done(s, minlength);
}

function done(s: string, minlength: number): string {
  return s.length > minlength ? s[0] + s.slice(1).replace(/\s/g, "") : s;
}
